package epuap

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/obieg/obieg/internal/domain/civil"
)

// NS is the namespace of the ePUAP message objects (obiektypk.xsd), prefix "ob".
const NS = "http://wsdl.epuap.gov.pl/obiekty/"

// SOAPAction values of the pull service operations (pull.wsdl).
const (
	ActionOczekujaceDokumenty = "http://ws.epuap.gov.pl/pull/oczekujaceDokumenty"
	ActionPobierzNastepny     = "http://ws.epuap.gov.pl/pull/pobierzNastepny"
	ActionPotwierdzOdebranie  = "http://ws.epuap.gov.pl/pull/potwierdzOdebranie"
)

// PullPath is the path of the pull service on an ePUAP host.
const PullPath = "/pk_external_ws/services/pull"

// Status codes of StatusTyp.kod as ePUAP uses them in the pull service.
const (
	StatusOK         = 1 // the operation succeeded
	StatusNoDocument = 0 // pobierzNastepny: nothing waits in the box
)

// Base64 is an xsd:base64Binary value: encoded as standard Base64, decoded ignoring the
// white space that base64Binary allows (line breaks every 76 characters are common).
type Base64 []byte

// MarshalText encodes b as standard Base64.
func (b Base64) MarshalText() ([]byte, error) {
	out := make([]byte, base64.StdEncoding.EncodedLen(len(b)))
	base64.StdEncoding.Encode(out, b)
	return out, nil
}

// UnmarshalText decodes standard Base64, ignoring white space.
func (b *Base64) UnmarshalText(text []byte) error {
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r':
			return -1
		}
		return r
	}, string(text))
	out, err := base64.StdEncoding.DecodeString(clean)
	if err != nil {
		return fmt.Errorf("base64Binary: %w", err)
	}
	*b = out
	return nil
}

// DateTime is an xsd:dateTime. It encodes as RFC 3339 with the fractional seconds it has;
// it decodes RFC 3339 and also a time without a zone, which xsd:dateTime allows and which
// is read as Polish local time (Europe/Warsaw), where ePUAP runs.
type DateTime struct{ time.Time }

// MarshalText encodes t as RFC 3339 with nanoseconds, trailing zeros dropped.
func (t DateTime) MarshalText() ([]byte, error) {
	return []byte(t.Format(time.RFC3339Nano)), nil
}

// UnmarshalText decodes an xsd:dateTime.
func (t *DateTime) UnmarshalText(text []byte) error {
	s := strings.TrimSpace(string(text))
	if v, err := time.Parse(time.RFC3339Nano, s); err == nil {
		t.Time = v
		return nil
	}
	v, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", s, civil.Warsaw)
	if err != nil {
		return fmt.Errorf("dateTime %q: %w", s, err)
	}
	t.Time = v
	return nil
}

// Status is StatusTyp: kod 1 means OK. Komunikat is nillable in the schema; an absent or
// nil komunikat decodes as "".
type Status struct {
	Kod       int    `xml:"kod"`
	Komunikat string `xml:"komunikat"`
}

// ZapytaniePull is ZapytaniePullTyp, the common part of every pull request: which office
// (podmiot) asks about which of its boxes.
type ZapytaniePull struct {
	Podmiot      string `xml:"podmiot"`
	NazwaSkrytki string `xml:"nazwaSkrytki"`
	AdresSkrytki string `xml:"adresSkrytki"`
}

// ZapytaniePullOczekujace is the request of oczekujaceDokumenty.
type ZapytaniePullOczekujace struct {
	XMLName xml.Name `xml:"http://wsdl.epuap.gov.pl/obiekty/ ZapytaniePullOczekujace"`
	ZapytaniePull
}

// ZapytaniePullPobierz is the request of pobierzNastepny.
type ZapytaniePullPobierz struct {
	XMLName xml.Name `xml:"http://wsdl.epuap.gov.pl/obiekty/ ZapytaniePullPobierz"`
	ZapytaniePull
}

// ZapytaniePullPotwierdz is the request of potwierdzOdebranie; Skrot identifies the
// document being confirmed by the digest of its content.
type ZapytaniePullPotwierdz struct {
	XMLName xml.Name `xml:"http://wsdl.epuap.gov.pl/obiekty/ ZapytaniePullPotwierdz"`
	ZapytaniePull
	Skrot string `xml:"skrot"`
}

// OdpowiedzPullOczekujace is the answer of oczekujaceDokumenty.
type OdpowiedzPullOczekujace struct {
	XMLName    xml.Name `xml:"http://wsdl.epuap.gov.pl/obiekty/ OdpowiedzPullOczekujace"`
	Status     Status   `xml:"status"`
	Oczekujace int      `xml:"oczekujace"`
}

// OdpowiedzPullPotwierdz is the answer of potwierdzOdebranie.
type OdpowiedzPullPotwierdz struct {
	XMLName xml.Name `xml:"http://wsdl.epuap.gov.pl/obiekty/ OdpowiedzPullPotwierdz"`
	Status  Status   `xml:"status"`
}

// DanePodmiotu is DanePodmiotuTyp: the sender (citizen or institution) on whose behalf the
// document was filed. TypOsoby is "F" (natural person) or "P" (legal person) per the schema.
type DanePodmiotu struct {
	Identyfikator string `xml:"identyfikator"`
	TypOsoby      string `xml:"typOsoby"`
	ImieSkrot     string `xml:"imieSkrot,omitempty"`
	NazwiskoNazwa string `xml:"nazwiskoNazwa,omitempty"`
	NIP           string `xml:"nip,omitempty"`
	PESEL         string `xml:"pesel,omitempty"`
	REGON         string `xml:"regon,omitempty"`
	Zgoda         bool   `xml:"zgoda"`
}

// DaneNadawcy is DaneNadawcyTyp: the user login or system that sent the document.
type DaneNadawcy struct {
	Uzytkownik string `xml:"uzytkownik,omitempty"`
	System     string `xml:"system,omitempty"`
}

// Dokument is DokumentTyp: a named file and its content.
type Dokument struct {
	NazwaPliku string `xml:"nazwaPliku"`
	TypPliku   string `xml:"typPliku,omitempty"`
	Zawartosc  Base64 `xml:"zawartosc"`
}

// NSXSI is the XML Schema instance namespace (xsi:nil).
const NSXSI = "http://www.w3.org/2001/XMLSchema-instance"

// Nillable is a string element declared nillable="true": Nil is written and read as
// xsi:nil="true".
type Nillable struct {
	Nil   bool
	Value string
}

// MarshalXML writes the element, empty with xsi:nil="true" when n.Nil.
func (n Nillable) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if n.Nil {
		start.Attr = append(start.Attr,
			xml.Attr{Name: xml.Name{Local: "xmlns:xsi"}, Value: NSXSI},
			xml.Attr{Name: xml.Name{Local: "xsi:nil"}, Value: "true"})
		return e.EncodeElement("", start)
	}
	return e.EncodeElement(n.Value, start)
}

// UnmarshalXML reads the element and its xsi:nil attribute.
func (n *Nillable) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	for _, a := range start.Attr {
		if a.Name.Space == NSXSI && a.Name.Local == "nil" {
			v := strings.TrimSpace(a.Value)
			n.Nil = v == "true" || v == "1"
		}
	}
	return d.DecodeElement(&n.Value, &start)
}

// OdpowiedzPullPobierz is the answer of pobierzNastepny. The schema requires every element,
// but an empty box is answered with Status.Kod == StatusNoDocument and nothing else, so
// every element after Status is a pointer: nil means absent.
type OdpowiedzPullPobierz struct {
	XMLName         xml.Name      `xml:"http://wsdl.epuap.gov.pl/obiekty/ OdpowiedzPullPobierz"`
	Status          Status        `xml:"status"`
	DanePodmiotu    *DanePodmiotu `xml:"danePodmiotu"`
	DaneNadawcy     *DaneNadawcy  `xml:"daneNadawcy"`
	DataNadania     *DateTime     `xml:"dataNadania"`
	NazwaSkrytki    *string       `xml:"nazwaSkrytki"`
	AdresSkrytki    *string       `xml:"adresSkrytki"`
	AdresOdpowiedzi *Nillable     `xml:"adresOdpowiedzi"`
	CzyTestowe      *bool         `xml:"czyTestowe"`
	DaneDodatkowe   *Base64       `xml:"daneDodatkowe"`
	Dokument        *Dokument     `xml:"dokument"`
}
