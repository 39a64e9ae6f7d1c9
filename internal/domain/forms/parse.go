package forms

import (
	"encoding/xml"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/obieg/obieg/internal/domain/civil"
	schemas "github.com/obieg/obieg/xmlschemas/forms"
)

// Namespaces of the CRD common structures the forms use.
const (
	nsMeta       = "http://crd.gov.pl/xml/schematy/meta/2009/11/16/"
	nsAdres      = "http://crd.gov.pl/xml/schematy/adres/2009/11/09/"
	nsOsoba      = "http://crd.gov.pl/xml/schematy/osoba/2009/11/16/"
	nsInstytucja = "http://crd.gov.pl/xml/schematy/instytucja/2009/11/16/"
)

// Address is a postal address (adr:Adres).
type Address struct {
	PostalCode string // KodPocztowy, NN-NNN; may be empty
	Post       string // Poczta; may be empty
	Town       string // Miejscowosc
	Street     string // Ulica; may be empty
	Building   string // Budynek; may be empty
	Flat       string // Lokal; may be empty
}

// Party is a sender or an addressee of a form (meta:Podmiot): a person or an institution.
type Party struct {
	Institution string // NazwaInstytucji; empty for a person
	FirstName   string // Imie; empty for an institution
	Surname     string // Nazwisko; empty for an institution
	PESEL       string // may be empty
	EPUAP       string // IdentyfikatorEPUAP of an institution; may be empty
	Address     *Address
}

// Envelope is what every form carries besides its content.
type Envelope struct {
	Namespace string     // the template namespace
	Created   civil.Date // meta:Data typDaty="utworzony"
	Name      string     // str:NazwaDokumentu
	To        []Party    // str:Adresaci
	From      []Party    // str:Nadawcy
	// Attachments and Signatures count str:Zalacznik and ds:Signature elements, as Detect does.
	Attachments int
	Signatures  int
}

// decode makes sure doc, which Detect read as det (size, DTD, limits, charset checked), is of
// form formType and decodes it into v.
func decode(doc []byte, det Detection, formType string, v any) error {
	if det.FormType != formType {
		return refuse(ReasonInvalid, "the document is form %s, not %s", det.FormType, formType)
	}
	if err := repeated(doc); err != "" {
		return refuse(ReasonInvalid, "form %s: %s", formType, err)
	}
	if err := newDecoder(bytesWithoutBOM(doc)).Decode(v); err != nil {
		return refuse(ReasonInvalid, "decode form %s: %v", formType, err)
	}
	return nil
}

// repeatable are the elements the form XSDs allow more than once under one parent; every
// other element may occur at most once, which encoding/xml would not notice (it keeps the
// last).
var repeatable = map[xml.Name]bool{
	{Space: schemas.NSFamilyCard, Local: "Czlonek"}:     true,
	{Space: schemas.NSComplaint, Local: "Akapit"}:       true,
	{Space: schemas.NSFacilityReport, Local: "Miejsca"}: true,
	{Space: nsMeta, Local: "Podmiot"}:                   true,
	{Space: nsStruktura, Local: "Zalacznik"}:            true,
	{Space: nsDsig, Local: "Signature"}:                 true,
}

// repeated returns a description of the first element that occurs twice under one parent
// without being repeatable, or "". Inside a ds:Signature nothing is checked. doc has passed
// Detect, so it is well-formed and within the limits.
func repeated(doc []byte) string {
	d := newDecoder(bytesWithoutBOM(doc))
	var stack []map[xml.Name]bool
	inSignature := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return "" // io.EOF; other errors were reported by Detect
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if inSignature > 0 || (t.Name.Space == nsDsig && t.Name.Local == "Signature") {
				inSignature++
				continue
			}
			if n := len(stack); n > 0 {
				if stack[n-1][t.Name] && !repeatable[t.Name] {
					return fmt.Sprintf("element {%s}%s repeated", t.Name.Space, t.Name.Local)
				}
				stack[n-1][t.Name] = true
			}
			stack = append(stack, map[xml.Name]bool{})
		case xml.EndElement:
			if inSignature > 0 {
				inSignature--
				continue
			}
			stack = stack[:len(stack)-1]
		}
	}
}

func bytesWithoutBOM(doc []byte) []byte {
	if len(doc) >= 3 && doc[0] == 0xef && doc[1] == 0xbb && doc[2] == 0xbf {
		return doc[3:]
	}
	return doc
}

// problems collects what a document breaks of its form, each with its path.
type problems []string

func (p *problems) add(path, format string, args ...any) {
	*p = append(*p, path+": "+fmt.Sprintf(format, args...))
}

// err returns nil or the refusal listing the first problems.
func (p problems) err(formType string) error {
	if len(p) == 0 {
		return nil
	}
	const shown = 5
	detail := strings.Join(p[:min(len(p), shown)], "; ")
	if len(p) > shown {
		detail += fmt.Sprintf("; and %d more", len(p)-shown)
	}
	return refuse(ReasonInvalid, "form %s: %s", formType, detail)
}

// anyElement catches a child element the form does not define.
type anyElement struct {
	XMLName xml.Name
}

// unknown reports every element of extra as not part of the form, except signatures when
// allowSignature.
func (p *problems) unknown(path string, extra []anyElement, allowSignature bool) {
	for _, e := range extra {
		if allowSignature && e.XMLName.Space == nsDsig {
			continue
		}
		p.add(path, "unexpected element {%s}%s", e.XMLName.Space, e.XMLName.Local)
	}
}

// text checks a required text element (the XSD's Tekst: 1 to 200 characters on one line, not
// only white space) and returns it trimmed. A nil v is a missing element.
func (p *problems) text(path string, v *string) string {
	if v == nil {
		p.add(path, "missing")
		return ""
	}
	return p.textValue(path, *v)
}

// optText checks an optional text element.
func (p *problems) optText(path string, v *string) string {
	if v == nil {
		return ""
	}
	return p.textValue(path, *v)
}

func (p *problems) textValue(path, v string) string {
	switch {
	case strings.TrimSpace(v) == "":
		p.add(path, "empty")
	case strings.ContainsAny(v, "\r\n"):
		p.add(path, "more than one line")
	case utf8.RuneCountInString(v) > 200:
		p.add(path, "longer than 200 characters")
	}
	return strings.TrimSpace(v)
}

// date checks a required date (xs:date written YYYY-MM-DD).
func (p *problems) date(path string, v *string) civil.Date {
	if v == nil {
		p.add(path, "missing")
		return civil.Date{}
	}
	d, err := civil.ParseDate(strings.TrimSpace(*v))
	if err != nil {
		p.add(path, "not a date YYYY-MM-DD: %q", truncate(*v, 20))
	}
	return d
}

// optDate checks an optional date.
func (p *problems) optDate(path string, v *string) civil.Date {
	if v == nil {
		return civil.Date{}
	}
	return p.date(path, v)
}

// oneOf checks a required value of an enumeration (compared exactly, as xs:string is).
func (p *problems) oneOf(path string, v *string, allowed ...string) string {
	if v == nil {
		p.add(path, "missing")
		return ""
	}
	for _, a := range allowed {
		if *v == a {
			return a
		}
	}
	p.add(path, "%q is not one of %s", truncate(*v, 40), strings.Join(allowed, ", "))
	return ""
}

// boolean checks an xs:boolean restricted to true and false.
func (p *problems) boolean(path string, v *string) bool {
	if v == nil {
		p.add(path, "missing")
		return false
	}
	switch strings.TrimSpace(*v) {
	case "true":
		return true
	case "false":
		return false
	}
	p.add(path, "%q is neither true nor false", truncate(*v, 20))
	return false
}

var (
	postalCode = regexp.MustCompile(`^[0-9]{2}-[0-9]{3}$`)
	digits11   = regexp.MustCompile(`^[0-9]{11}$`)
	count      = regexp.MustCompile(`^(0|[1-9][0-9]{0,5})$`)
)

// number checks a required count (the XSD's Liczba: 0 to 999999).
func (p *problems) number(path string, v *string) int {
	if v == nil {
		p.add(path, "missing")
		return 0
	}
	s := strings.TrimSpace(*v)
	if !count.MatchString(s) {
		p.add(path, "%q is not a whole number from 0 to 999999", truncate(*v, 20))
		return 0
	}
	n, _ := strconv.Atoi(s)
	return n
}

// pesel checks the pattern of a PESEL (11 digits). The check digit is not the form's
// business: a wrong one is for the clerk to query, not a reason to quarantine.
func (p *problems) pesel(path string, v *string) string {
	if v == nil {
		return ""
	}
	if !digits11.MatchString(*v) {
		p.add(path, "not 11 digits")
	}
	return *v
}

// xAddress is adr:Adres.
type xAddress struct {
	KodPocztowy *string      `xml:"http://crd.gov.pl/xml/schematy/adres/2009/11/09/ KodPocztowy"`
	Poczta      *string      `xml:"http://crd.gov.pl/xml/schematy/adres/2009/11/09/ Poczta"`
	Miejscowosc *string      `xml:"http://crd.gov.pl/xml/schematy/adres/2009/11/09/ Miejscowosc"`
	Ulica       *string      `xml:"http://crd.gov.pl/xml/schematy/adres/2009/11/09/ Ulica"`
	Budynek     *string      `xml:"http://crd.gov.pl/xml/schematy/adres/2009/11/09/ Budynek"`
	Lokal       *string      `xml:"http://crd.gov.pl/xml/schematy/adres/2009/11/09/ Lokal"`
	Unknown     []anyElement `xml:",any"`
}

func (p *problems) address(path string, a *xAddress) *Address {
	if a == nil {
		return nil
	}
	p.unknown(path, a.Unknown, false)
	out := &Address{
		Post:     p.optText(path+"/Poczta", a.Poczta),
		Town:     p.text(path+"/Miejscowosc", a.Miejscowosc),
		Street:   p.optText(path+"/Ulica", a.Ulica),
		Building: p.optText(path+"/Budynek", a.Budynek),
		Flat:     p.optText(path+"/Lokal", a.Lokal),
	}
	if a.KodPocztowy != nil {
		out.PostalCode = *a.KodPocztowy
		if !postalCode.MatchString(*a.KodPocztowy) {
			p.add(path+"/KodPocztowy", "not NN-NNN")
		}
	}
	return out
}

// xAddressHolder is an element whose only child is a required adr:Adres.
type xAddressHolder struct {
	Adres   *xAddress    `xml:"http://crd.gov.pl/xml/schematy/adres/2009/11/09/ Adres"`
	Unknown []anyElement `xml:",any"`
}

func (p *problems) addressHolder(path string, h *xAddressHolder) *Address {
	if h == nil {
		return nil
	}
	p.unknown(path, h.Unknown, false)
	if h.Adres == nil {
		p.add(path+"/Adres", "missing")
		return &Address{}
	}
	return p.address(path+"/Adres", h.Adres)
}

type xPerson struct {
	IdOsoby *struct {
		PESEL   *string      `xml:"http://crd.gov.pl/xml/schematy/osoba/2009/11/16/ PESEL"`
		Unknown []anyElement `xml:",any"`
	} `xml:"http://crd.gov.pl/xml/schematy/osoba/2009/11/16/ IdOsoby"`
	Imie     *string      `xml:"http://crd.gov.pl/xml/schematy/osoba/2009/11/16/ Imie"`
	Nazwisko *string      `xml:"http://crd.gov.pl/xml/schematy/osoba/2009/11/16/ Nazwisko"`
	Adres    *xAddress    `xml:"http://crd.gov.pl/xml/schematy/adres/2009/11/09/ Adres"`
	Unknown  []anyElement `xml:",any"`
}

type xInstitution struct {
	Nazwa   *string      `xml:"http://crd.gov.pl/xml/schematy/instytucja/2009/11/16/ NazwaInstytucji"`
	Adres   *xAddress    `xml:"http://crd.gov.pl/xml/schematy/adres/2009/11/09/ Adres"`
	EPUAP   *string      `xml:"http://crd.gov.pl/xml/schematy/instytucja/2009/11/16/ IdentyfikatorEPUAP"`
	Unknown []anyElement `xml:",any"`
}

type xParty struct {
	Osoba      *xPerson      `xml:"http://crd.gov.pl/xml/schematy/osoba/2009/11/16/ Osoba"`
	Instytucja *xInstitution `xml:"http://crd.gov.pl/xml/schematy/instytucja/2009/11/16/ Instytucja"`
	Unknown    []anyElement  `xml:",any"`
}

type xParties struct {
	Podmiot []xParty     `xml:"http://crd.gov.pl/xml/schematy/meta/2009/11/16/ Podmiot"`
	Unknown []anyElement `xml:",any"`
}

func (p *problems) parties(path string, ps *xParties) []Party {
	if ps == nil {
		return nil
	}
	p.unknown(path, ps.Unknown, false)
	if len(ps.Podmiot) == 0 {
		p.add(path+"/Podmiot", "missing")
	}
	var out []Party
	for i, x := range ps.Podmiot {
		at := fmt.Sprintf("%s/Podmiot[%d]", path, i+1)
		p.unknown(at, x.Unknown, false)
		switch {
		case x.Osoba != nil && x.Instytucja != nil:
			p.add(at, "both Osoba and Instytucja")
		case x.Osoba != nil:
			o := x.Osoba
			p.unknown(at+"/Osoba", o.Unknown, false)
			party := Party{
				FirstName: p.text(at+"/Osoba/Imie", o.Imie),
				Surname:   p.text(at+"/Osoba/Nazwisko", o.Nazwisko),
				Address:   p.address(at+"/Osoba/Adres", o.Adres),
			}
			if o.IdOsoby != nil {
				p.unknown(at+"/Osoba/IdOsoby", o.IdOsoby.Unknown, false)
				if o.IdOsoby.PESEL == nil {
					p.add(at+"/Osoba/IdOsoby/PESEL", "missing")
				}
				party.PESEL = p.pesel(at+"/Osoba/IdOsoby/PESEL", o.IdOsoby.PESEL)
			}
			out = append(out, party)
		case x.Instytucja != nil:
			in := x.Instytucja
			p.unknown(at+"/Instytucja", in.Unknown, false)
			out = append(out, Party{
				Institution: p.text(at+"/Instytucja/NazwaInstytucji", in.Nazwa),
				Address:     p.address(at+"/Instytucja/Adres", in.Adres),
				EPUAP:       p.optText(at+"/Instytucja/IdentyfikatorEPUAP", in.EPUAP),
			})
		default:
			p.add(at, "neither Osoba nor Instytucja")
		}
	}
	return out
}

type xData struct {
	TypDaty *string      `xml:"typDaty,attr"`
	Czas    *string      `xml:"http://crd.gov.pl/xml/schematy/meta/2009/11/16/ Czas"`
	Unknown []anyElement `xml:",any"`
}

type xOpis struct {
	Data    *xData       `xml:"http://crd.gov.pl/xml/schematy/meta/2009/11/16/ Data"`
	Unknown []anyElement `xml:",any"`
}

type xDane struct {
	Naglowek *struct {
		NazwaDokumentu *string      `xml:"http://crd.gov.pl/xml/schematy/struktura/2009/11/16/ NazwaDokumentu"`
		Unknown        []anyElement `xml:",any"`
	} `xml:"http://crd.gov.pl/xml/schematy/struktura/2009/11/16/ Naglowek"`
	Adresaci *xParties    `xml:"http://crd.gov.pl/xml/schematy/struktura/2009/11/16/ Adresaci"`
	Nadawcy  *xParties    `xml:"http://crd.gov.pl/xml/schematy/struktura/2009/11/16/ Nadawcy"`
	Unknown  []anyElement `xml:",any"`
}

// xZalaczniki is str:Zalaczniki; attachments are counted by Detect, their content is not read.
type xZalaczniki struct {
	Zalacznik []struct {
		Format     *string      `xml:"format,attr"`
		Kodowanie  *string      `xml:"kodowanie,attr"`
		NazwaPliku *string      `xml:"nazwaPliku,attr"`
		Dane       *string      `xml:"http://crd.gov.pl/xml/schematy/struktura/2009/11/16/ DaneZalacznika"`
		Unknown    []anyElement `xml:",any"`
	} `xml:"http://crd.gov.pl/xml/schematy/struktura/2009/11/16/ Zalacznik"`
	Unknown []anyElement `xml:",any"`
}

func (p *problems) attachments(path string, z *xZalaczniki) {
	if z == nil {
		return
	}
	p.unknown(path, z.Unknown, false)
	if len(z.Zalacznik) == 0 {
		p.add(path+"/Zalacznik", "missing")
	}
	for i, a := range z.Zalacznik {
		at := fmt.Sprintf("%s/Zalacznik[%d]", path, i+1)
		p.unknown(at, a.Unknown, false)
		for _, attr := range []struct {
			name string
			v    *string
		}{{"format", a.Format}, {"kodowanie", a.Kodowanie}, {"nazwaPliku", a.NazwaPliku}} {
			if attr.v == nil {
				p.add(at+"/@"+attr.name, "missing")
			}
		}
		if a.Dane == nil {
			p.add(at+"/DaneZalacznika", "missing")
		}
	}
}

// envelope checks OpisDokumentu and DaneDokumentu; senderRequired says whether str:Nadawcy
// must be there.
func (p *problems) envelope(opis *xOpis, dane *xDane, senderRequired bool, det Detection) Envelope {
	env := Envelope{Namespace: det.Namespace, Attachments: det.Attachments, Signatures: det.Signatures}
	if opis == nil {
		p.add("OpisDokumentu", "missing")
	} else {
		p.unknown("OpisDokumentu", opis.Unknown, false)
		if opis.Data == nil {
			p.add("OpisDokumentu/Data", "missing")
		} else {
			p.unknown("OpisDokumentu/Data", opis.Data.Unknown, false)
			if opis.Data.TypDaty == nil {
				p.add("OpisDokumentu/Data/@typDaty", "missing")
			}
			env.Created = p.date("OpisDokumentu/Data/Czas", opis.Data.Czas)
		}
	}
	if dane == nil {
		p.add("DaneDokumentu", "missing")
		return env
	}
	p.unknown("DaneDokumentu", dane.Unknown, false)
	if dane.Naglowek == nil {
		p.add("DaneDokumentu/Naglowek", "missing")
	} else {
		p.unknown("DaneDokumentu/Naglowek", dane.Naglowek.Unknown, false)
		if dane.Naglowek.NazwaDokumentu == nil {
			p.add("DaneDokumentu/Naglowek/NazwaDokumentu", "missing")
		} else {
			env.Name = strings.TrimSpace(*dane.Naglowek.NazwaDokumentu)
		}
	}
	if dane.Adresaci == nil {
		p.add("DaneDokumentu/Adresaci", "missing")
	}
	env.To = p.parties("DaneDokumentu/Adresaci", dane.Adresaci)
	if dane.Nadawcy == nil && senderRequired {
		p.add("DaneDokumentu/Nadawcy", "missing")
	}
	env.From = p.parties("DaneDokumentu/Nadawcy", dane.Nadawcy)
	return env
}
