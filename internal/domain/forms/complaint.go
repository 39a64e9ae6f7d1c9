package forms

import (
	"encoding/xml"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ComplaintKind says whether a complaint form carries a complaint or a motion (RodzajPisma).
type ComplaintKind string

// Kinds of complaint form (art. 227 KPA).
const (
	KindComplaint ComplaintKind = "skarga"
	KindMotion    ComplaintKind = "wniosek"
)

// ComplaintOrMotion is a complaint or a motion (form Complaint).
type ComplaintOrMotion struct {
	Envelope
	Place   string // MiejscowoscDokumentu; may be empty
	Title   string // Tytul
	Kind    ComplaintKind
	Subject string // Przedmiot
	// Concerns is the body complained about or addressed (PodmiotDotyczacy); nil when the
	// author named none, which means the addressee.
	Concerns *Body
	// Content holds the paragraphs (Akapit), trimmed; blank ones are left out.
	Content []string
	// Author is the sender who identified themselves with a name and an address; nil when
	// the complaint is anonymous (no sender, or a sender without an address).
	Author *Party
}

// Anonymous reports whether the complaint names no author with a name and an address
// (art. 63 §2 KPA): such a complaint is left unexamined.
func (c ComplaintOrMotion) Anonymous() bool { return c.Author == nil }

// Body is a body a complaint concerns.
type Body struct {
	Name    string
	Address *Address
}

type xComplaint struct {
	XMLName xml.Name `xml:"urn:obieg:wzor:skarga-wniosek:2026-1 Dokument"`
	Opis    *xOpis   `xml:"urn:obieg:wzor:skarga-wniosek:2026-1 OpisDokumentu"`
	Dane    *xDane   `xml:"urn:obieg:wzor:skarga-wniosek:2026-1 DaneDokumentu"`
	Tresc   *struct {
		Miejscowosc *string `xml:"urn:obieg:wzor:skarga-wniosek:2026-1 MiejscowoscDokumentu"`
		Tytul       *string `xml:"urn:obieg:wzor:skarga-wniosek:2026-1 Tytul"`
		Rodzaj      *string `xml:"urn:obieg:wzor:skarga-wniosek:2026-1 RodzajPisma"`
		Przedmiot   *string `xml:"urn:obieg:wzor:skarga-wniosek:2026-1 Przedmiot"`
		Podmiot     *struct {
			Nazwa   *string      `xml:"urn:obieg:wzor:skarga-wniosek:2026-1 Nazwa"`
			Adres   *xAddress    `xml:"http://crd.gov.pl/xml/schematy/adres/2009/11/09/ Adres"`
			Unknown []anyElement `xml:",any"`
		} `xml:"urn:obieg:wzor:skarga-wniosek:2026-1 PodmiotDotyczacy"`
		Tresc *struct {
			Akapit  []string     `xml:"urn:obieg:wzor:skarga-wniosek:2026-1 Akapit"`
			Unknown []anyElement `xml:",any"`
		} `xml:"urn:obieg:wzor:skarga-wniosek:2026-1 Tresc"`
		Zalaczniki *xZalaczniki `xml:"http://crd.gov.pl/xml/schematy/struktura/2009/11/16/ Zalaczniki"`
		Unknown    []anyElement `xml:",any"`
	} `xml:"urn:obieg:wzor:skarga-wniosek:2026-1 TrescDokumentu"`
	Unknown []anyElement `xml:",any"`
}

// ParseComplaint reads a complaint or motion (form Complaint) with the safety of Detect and
// checks it against its form. A document that is not a complaint form, or does not follow it,
// is refused with an *Error (ReasonInvalid for the latter). An anonymous complaint is valid:
// what to do with it is package complaints' business.
func ParseComplaint(doc []byte, lim Limits) (ComplaintOrMotion, error) {
	det, err := Detect(doc, lim)
	if err != nil {
		return ComplaintOrMotion{}, err
	}
	return readComplaint(doc, det)
}

// readComplaint is ParseComplaint of a document Detect has read as det.
func readComplaint(doc []byte, det Detection) (ComplaintOrMotion, error) {
	var x xComplaint
	if err := decode(doc, det, Complaint, &x); err != nil {
		return ComplaintOrMotion{}, err
	}
	var p problems
	p.unknown("Dokument", x.Unknown, true)
	c := ComplaintOrMotion{Envelope: p.envelope(x.Opis, x.Dane, false, det)}
	t := x.Tresc
	if t == nil {
		p.add("TrescDokumentu", "missing")
		return ComplaintOrMotion{}, p.err(Complaint)
	}
	p.unknown("TrescDokumentu", t.Unknown, false)
	c.Place = p.optText("TrescDokumentu/MiejscowoscDokumentu", t.Miejscowosc)
	c.Title = p.text("TrescDokumentu/Tytul", t.Tytul)
	c.Kind = ComplaintKind(p.oneOf("TrescDokumentu/RodzajPisma", t.Rodzaj, string(KindComplaint), string(KindMotion)))
	c.Subject = p.text("TrescDokumentu/Przedmiot", t.Przedmiot)
	if b := t.Podmiot; b != nil {
		p.unknown("TrescDokumentu/PodmiotDotyczacy", b.Unknown, false)
		c.Concerns = &Body{
			Name:    p.text("TrescDokumentu/PodmiotDotyczacy/Nazwa", b.Nazwa),
			Address: p.address("TrescDokumentu/PodmiotDotyczacy/Adres", b.Adres),
		}
	}
	switch {
	case t.Tresc == nil:
		p.add("TrescDokumentu/Tresc", "missing")
	case len(t.Tresc.Akapit) == 0:
		p.add("TrescDokumentu/Tresc/Akapit", "missing")
	case len(t.Tresc.Akapit) > 200:
		p.add("TrescDokumentu/Tresc/Akapit", "more than 200 paragraphs")
	default:
		p.unknown("TrescDokumentu/Tresc", t.Tresc.Unknown, false)
		for i, a := range t.Tresc.Akapit {
			if utf8.RuneCountInString(a) > 20000 {
				p.add(fmt.Sprintf("TrescDokumentu/Tresc/Akapit[%d]", i+1), "longer than 20000 characters")
			}
			if a = strings.TrimSpace(a); a != "" {
				c.Content = append(c.Content, a)
			}
		}
	}
	p.attachments("TrescDokumentu/Zalaczniki", t.Zalaczniki)
	for _, s := range c.From {
		if s.Address != nil && (s.Institution != "" || s.Surname != "") {
			author := s
			c.Author = &author
			break
		}
	}
	if err := p.err(Complaint); err != nil {
		return ComplaintOrMotion{}, err
	}
	return c, nil
}
