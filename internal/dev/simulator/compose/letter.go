package compose

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Namespaces of the general letter and of the common CRD schemas it uses.
const (
	NSTemplate   = "http://crd.gov.pl/wzor/2013/12/12/1410/"
	NSMeta       = "http://crd.gov.pl/xml/schematy/meta/2009/11/16/"
	NSStruktura  = "http://crd.gov.pl/xml/schematy/struktura/2009/11/16/"
	NSAdres      = "http://crd.gov.pl/xml/schematy/adres/2009/11/09/"
	NSOsoba      = "http://crd.gov.pl/xml/schematy/osoba/2009/11/16/"
	NSInstytucja = "http://crd.gov.pl/xml/schematy/instytucja/2009/11/16/"
)

// Address is a postal address (adr:Adres).
type Address struct {
	KodPocztowy string
	Miejscowosc string
	Ulica       string
	Budynek     string
	Lokal       string
}

// Person is the sender of a letter (oso:Osoba).
type Person struct {
	Imie     string
	Nazwisko string
	PESEL    string // from the fake range; "" to leave it out
	Adres    Address
	Login    string // ePUAP login (identyfikator), for filing the letter
}

// Attachment is an attachment embedded in the letter (str:Zalacznik, kodowanie base64).
type Attachment struct {
	NazwaPliku string
	Format     string // media type
	Dane       []byte
}

// Letter is the content of a general letter.
type Letter struct {
	Data                 time.Time // date written (meta:Data typDaty="utworzony")
	Nadawca              Person
	Adresat              string // name of the institution
	AdresAdresata        Address
	SkrytkaAdresata      string // the institution's ePUAP box address
	MiejscowoscDokumentu string
	Tytul                string
	Rodzaj               string // wniosek, skarga, podanie, wyjaśnienie, inne pismo
	Informacje           []string
	Zalaczniki           []Attachment
}

// GeneralLetter returns the XML of the letter Random(seed) describes.
func GeneralLetter(seed int64) []byte { return Random(seed).XML() }

// Random returns a plausible letter, the same for the same seed.
func Random(seed int64) Letter {
	r := rand.New(rand.NewPCG(uint64(seed), 0x6f6269656721))
	female := r.IntN(2) == 0
	sn := surnames[r.IntN(len(surnames))]
	first, last := menFirst[r.IntN(len(menFirst))], sn[0]
	if female {
		first, last = womenFirst[r.IntN(len(womenFirst))], sn[1]
	}
	town := towns[r.IntN(len(towns))]
	m := matters[r.IntN(len(matters))]
	rc := recipients[r.IntN(len(recipients))]
	l := Letter{
		Data: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(300)),
		Nadawca: Person{
			Imie:     first,
			Nazwisko: last,
			PESEL:    fakePESEL(r, female),
			Adres: Address{
				KodPocztowy: town.postal,
				Miejscowosc: town.name,
				Ulica:       streets[r.IntN(len(streets))],
				Budynek:     fmt.Sprint(1 + r.IntN(120)),
			},
			Login: login(first, last, r),
		},
		Adresat:              rc.name,
		AdresAdresata:        Address{KodPocztowy: rc.postal, Miejscowosc: rc.town, Ulica: rc.street, Budynek: rc.building},
		SkrytkaAdresata:      rc.box,
		MiejscowoscDokumentu: town.name,
		Tytul:                m.title,
		Rodzaj:               m.rodzaj,
		Informacje:           append([]string{}, m.body...),
	}
	if r.IntN(3) == 0 {
		l.Nadawca.Adres.Lokal = fmt.Sprint(1 + r.IntN(60))
	}
	for range r.IntN(3) {
		name := attachmentNames[r.IntN(len(attachmentNames))]
		format := "application/pdf"
		if strings.HasSuffix(name, ".jpg") {
			format = "image/jpeg"
		}
		data := make([]byte, 64+r.IntN(512))
		for i := range data {
			data[i] = byte(r.Uint32())
		}
		l.Zalaczniki = append(l.Zalaczniki, Attachment{NazwaPliku: name, Format: format, Dane: data})
	}
	return l
}

// login makes an ePUAP-looking login from a name: ASCII, lower case, with digits.
func login(first, last string, r *rand.Rand) string {
	ascii := strings.NewReplacer("ą", "a", "ć", "c", "ę", "e", "ł", "l", "ń", "n", "ó", "o", "ś", "s", "ź", "z", "ż", "z",
		"Ą", "a", "Ć", "c", "Ę", "e", "Ł", "l", "Ń", "n", "Ó", "o", "Ś", "s", "Ź", "z", "Ż", "z")
	return strings.ToLower(ascii.Replace(first[:1]+last)) + fmt.Sprint(10+r.IntN(90))
}

// fakePESEL returns a PESEL with a valid check digit that no living person has: born in
// 22yy, which PESEL codes by adding 60 to the month.
func fakePESEL(r *rand.Rand, female bool) string {
	sex := 2 * r.IntN(5) // even: female
	if !female {
		sex++
	}
	digits := fmt.Sprintf("%02d%02d%02d%03d%d", r.IntN(100), 60+1+r.IntN(12), 1+r.IntN(28), r.IntN(1000), sex)
	return digits + fmt.Sprint(peselCheck(digits))
}

func peselCheck(first10 string) int {
	weights := [10]int{1, 3, 7, 9, 1, 3, 7, 9, 1, 3}
	sum := 0
	for i, w := range weights {
		sum += int(first10[i]-'0') * w
	}
	return (10 - sum%10) % 10
}

// builder writes prefixed elements with an xml.Encoder; names are written as given.
type builder struct {
	enc *xml.Encoder
	err error
}

func (b *builder) start(name string, attrs ...string) {
	if b.err != nil {
		return
	}
	se := xml.StartElement{Name: xml.Name{Local: name}}
	for i := 0; i+1 < len(attrs); i += 2 {
		se.Attr = append(se.Attr, xml.Attr{Name: xml.Name{Local: attrs[i]}, Value: attrs[i+1]})
	}
	b.err = b.enc.EncodeToken(se)
}

func (b *builder) end(name string) {
	if b.err != nil {
		return
	}
	b.err = b.enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: name}})
}

func (b *builder) text(name, value string, attrs ...string) {
	b.start(name, attrs...)
	if b.err == nil {
		b.err = b.enc.EncodeToken(xml.CharData(value))
	}
	b.end(name)
}

// optional writes the element only when value is not empty.
func (b *builder) optional(name, value string) {
	if value != "" {
		b.text(name, value)
	}
}

func (b *builder) address(a Address) {
	b.start("adr:Adres")
	b.text("adr:KodPocztowy", a.KodPocztowy)
	b.text("adr:Poczta", a.Miejscowosc)
	b.text("adr:Miejscowosc", a.Miejscowosc)
	b.optional("adr:Ulica", a.Ulica)
	b.text("adr:Budynek", a.Budynek)
	b.optional("adr:Lokal", a.Lokal)
	b.end("adr:Adres")
}

// XML renders the letter as an unsigned wnio:Dokument in UTF-8.
func (l Letter) XML() []byte {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	b := &builder{enc: xml.NewEncoder(&buf)}
	b.enc.Indent("", "  ")
	b.start("wnio:Dokument",
		"xmlns:wnio", NSTemplate, "xmlns:meta", NSMeta, "xmlns:str", NSStruktura,
		"xmlns:adr", NSAdres, "xmlns:oso", NSOsoba, "xmlns:inst", NSInstytucja)

	b.start("wnio:OpisDokumentu")
	b.start("meta:Data", "typDaty", "utworzony")
	b.text("meta:Czas", l.Data.Format(time.DateOnly))
	b.end("meta:Data")
	b.end("wnio:OpisDokumentu")

	b.start("wnio:DaneDokumentu")
	b.start("str:Naglowek")
	b.text("str:NazwaDokumentu", "Pismo ogólne do podmiotu publicznego")
	b.end("str:Naglowek")
	b.start("str:Adresaci")
	b.start("meta:Podmiot")
	b.start("inst:Instytucja")
	b.text("inst:NazwaInstytucji", l.Adresat)
	b.address(l.AdresAdresata)
	b.optional("inst:IdentyfikatorEPUAP", l.SkrytkaAdresata)
	b.end("inst:Instytucja")
	b.end("meta:Podmiot")
	b.end("str:Adresaci")
	b.start("str:Nadawcy")
	b.start("meta:Podmiot")
	b.start("oso:Osoba")
	if l.Nadawca.PESEL != "" {
		b.start("oso:IdOsoby")
		b.text("oso:PESEL", l.Nadawca.PESEL)
		b.end("oso:IdOsoby")
	}
	b.text("oso:Imie", l.Nadawca.Imie)
	b.text("oso:Nazwisko", l.Nadawca.Nazwisko)
	b.address(l.Nadawca.Adres)
	b.end("oso:Osoba")
	b.end("meta:Podmiot")
	b.end("str:Nadawcy")
	b.end("wnio:DaneDokumentu")

	b.start("wnio:TrescDokumentu", "format", "text/xml", "kodowanie", "XML")
	b.text("wnio:MiejscowoscDokumentu", l.MiejscowoscDokumentu)
	b.text("wnio:Tytul", l.Tytul)
	rodzaj := []string{"rodzaj", l.Rodzaj}
	if l.Rodzaj == "inne pismo" {
		rodzaj = append(rodzaj, "jakiInny", "zawiadomienie")
	}
	b.start("wnio:RodzajWnioskuRozszerzony", rodzaj...)
	b.end("wnio:RodzajWnioskuRozszerzony")
	b.start("wnio:Informacje")
	for _, inf := range l.Informacje {
		b.text("wnio:Informacja", inf)
	}
	b.end("wnio:Informacje")
	if len(l.Zalaczniki) > 0 {
		b.start("str:Zalaczniki")
		for _, z := range l.Zalaczniki {
			b.start("str:Zalacznik", "format", z.Format, "kodowanie", "base64", "nazwaPliku", z.NazwaPliku)
			b.text("str:DaneZalacznika", base64.StdEncoding.EncodeToString(z.Dane))
			b.end("str:Zalacznik")
		}
		b.end("str:Zalaczniki")
	}
	b.end("wnio:TrescDokumentu")
	b.end("wnio:Dokument")
	if b.err == nil {
		b.err = b.enc.Close()
	}
	if b.err != nil {
		// Only a bug (an invalid name above) can make the encoder fail.
		panic(fmt.Sprintf("compose: render letter: %v", b.err))
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}
