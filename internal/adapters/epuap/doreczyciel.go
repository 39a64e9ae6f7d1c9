package epuap

import (
	"context"
	"crypto/x509"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/obieg/obieg/internal/adapters/soap"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// DoreczycielClient hands documents to ePUAP's doręczyciel service (doreczyciel.wsdl) on
// behalf of one office: dorecz delivers a signed document to a box with proof of receipt,
// odbierz collects a document delivered that way. It is safe for concurrent use.
type DoreczycielClient struct {
	caller
	podmiot string
}

// NewDoreczycielClient returns a client of the doręczyciel service at endpoint (for example
// https://ws.epuap.gov.pl/pk_external_ws/services/doreczyciel) acting as podmiot. Options as
// for NewPullClient.
func NewDoreczycielClient(endpoint string, hc *http.Client, podmiot string, opts ...Option) *DoreczycielClient {
	return &DoreczycielClient{caller: newCaller(endpoint, hc, opts), podmiot: podmiot}
}

// DeliveryOrder is a document to deliver with proof of receipt (zlecenie doręczenia).
type DeliveryOrder struct {
	AdresSkrytki string // the addressee's box, "/podmiot/skrytka"; required
	// AdresOdpowiedzi is the office's own box, where ePUAP sends the UPD once the addressee
	// has collected the document; required.
	AdresOdpowiedzi  string
	TerminDoreczenia time.Time // deadline of the delivery; zero for none
	CzyProbne        bool      // a trial: ePUAP checks the request but delivers nothing
	// IdentyfikatorDokumentu and IdentyfikatorSprawy are the office's own ids of the
	// document and of its case (znak sprawy); both optional.
	IdentyfikatorDokumentu string
	IdentyfikatorSprawy    string
	DaneDodatkowe          []byte // additional XML data
	// UPD is sent as the optional ob:UPD header when set; the contract does not say what
	// ePUAP does with it.
	UPD        []byte
	NazwaPliku string // file name; required
	TypPliku   string // media type, e.g. text/xml
	Zawartosc  []byte // the document, signed (ePUAP refuses unsigned ones); required
}

// Ordered is what ePUAP answered to a delivery order. The UPD is not part of it: ePUAP
// issues it when the addressee collects the document and sends it to the order's
// AdresOdpowiedzi, where the office pulls it like any document (see ParseUPD, VerifyUPD).
type Ordered struct {
	IdentyfikatorDokumentu string // ePUAP's id of the document; the UPD names it
	IdentyfikatorZlecenia  string // ePUAP's id of the order
	Komunikat              string // status komunikat
}

// Dorecz hands o to ePUAP for delivery (dorecz) and returns the ids ePUAP gave the document
// and the order. A refusal is a *soap.Fault error; a status other than OK is a
// *StatusError.
func (c *DoreczycielClient) Dorecz(ctx context.Context, o DeliveryOrder) (Ordered, error) {
	switch {
	case o.AdresSkrytki == "":
		return Ordered{}, errors.New("epuap: dorecz: no addressee box")
	case o.AdresOdpowiedzi == "":
		return Ordered{}, fmt.Errorf("epuap: dorecz to %s: no box for the UPD (AdresOdpowiedzi)", o.AdresSkrytki)
	case len(o.Zawartosc) == 0:
		return Ordered{}, fmt.Errorf("epuap: dorecz to %s: empty document", o.AdresSkrytki)
	case o.NazwaPliku == "":
		return Ordered{}, fmt.Errorf("epuap: dorecz to %s: no file name", o.AdresSkrytki)
	}
	// Headers in the order of doreczRequest's parts.
	headers := []soap.HeaderBlock{
		{Name: schema.HeaderIdentyfikatorPodmiotu, Value: c.podmiot},
		{Name: schema.HeaderAdresSkrytki, Value: o.AdresSkrytki},
		{Name: schema.HeaderAdresOdpowiedzi, Value: o.AdresOdpowiedzi},
	}
	if !o.TerminDoreczenia.IsZero() {
		headers = append(headers, soap.HeaderBlock{Name: schema.HeaderTerminDoreczenia, Value: schema.DateTime{Time: o.TerminDoreczenia}})
	}
	headers = append(headers, soap.HeaderBlock{Name: schema.HeaderCzyProbne, Value: o.CzyProbne})
	if o.IdentyfikatorDokumentu != "" {
		headers = append(headers, soap.HeaderBlock{Name: schema.HeaderIdentyfikatorDokumentu, Value: o.IdentyfikatorDokumentu})
	}
	if o.IdentyfikatorSprawy != "" {
		headers = append(headers, soap.HeaderBlock{Name: schema.HeaderIdentyfikatorSprawy, Value: o.IdentyfikatorSprawy})
	}
	headers = append(headers, soap.HeaderBlock{Name: schema.HeaderDaneDodatkowe, Value: schema.Base64(o.DaneDodatkowe)})
	if o.UPD != nil {
		headers = append(headers, soap.HeaderBlock{Name: schema.HeaderUPD, Value: schema.Dokument{NazwaPliku: "UPD.xml", TypPliku: "text/xml", Zawartosc: o.UPD}})
	}
	req := schema.DokumentNadaj{Dokument: schema.Dokument{NazwaPliku: o.NazwaPliku, TypPliku: o.TypPliku, Zawartosc: o.Zawartosc}}
	var resp schema.OdpowiedzDoreczyciela
	if err := c.callWithHeaders(ctx, schema.ActionDorecz, headers, xml.Name{Space: schema.NS, Local: "Dokument"}, req, &resp); err != nil {
		return Ordered{}, fmt.Errorf("epuap: dorecz to %s: %w", o.AdresSkrytki, err)
	}
	if resp.Status.Kod != schema.StatusOK {
		return Ordered{}, fmt.Errorf("epuap: dorecz to %s: %w", o.AdresSkrytki, statusError(resp.Status))
	}
	return Ordered{
		IdentyfikatorDokumentu: nonNil(resp.IdentyfikatorDokumentu),
		IdentyfikatorZlecenia:  nonNil(resp.IdentyfikatorZlecenia),
		Komunikat:              resp.Status.Komunikat,
	}, nil
}

func nonNil(n schema.Nillable) string {
	if n.Nil {
		return ""
	}
	return strings.TrimSpace(n.Value)
}

// Odbierz collects a document delivered to the office with proof of receipt (odbierz),
// sending upd, the UPD (pos:Dokument) naming the document by its IdentyfikatorDokumentu and
// signed by the office. czyProbne asks for a trial that collects nothing. A refusal is a
// *soap.Fault error; a status other than OK is a *StatusError.
func (c *DoreczycielClient) Odbierz(ctx context.Context, upd []byte, czyProbne bool) error {
	if len(upd) == 0 {
		return errors.New("epuap: odbierz: empty UPD")
	}
	headers := []soap.HeaderBlock{
		{Name: schema.HeaderIdentyfikatorPodmiotu, Value: c.podmiot},
		{Name: schema.HeaderCzyProbne, Value: czyProbne},
	}
	req := schema.UPD{Dokument: schema.Dokument{NazwaPliku: "UPD.xml", TypPliku: "text/xml", Zawartosc: upd}}
	var resp schema.StatusDoreczyciela
	if err := c.callWithHeaders(ctx, schema.ActionOdbierz, headers, xml.Name{Space: schema.NS, Local: "UPD"}, req, &resp); err != nil {
		return fmt.Errorf("epuap: odbierz: %w", err)
	}
	if resp.Kod != schema.StatusOK {
		return fmt.Errorf("epuap: odbierz: %w", statusError(resp.Status))
	}
	return nil
}

// ErrUPD wraps a UPD that does not parse, or whose signature does not verify against the
// pinned certificates.
var ErrUPD = errors.New("epuap: UPD not valid")

// Party is a podmiot named in a UPD: its name and ePUAP identifier.
type Party struct {
	Nazwa         string
	Identyfikator string
}

// UPD is what an urzędowe poświadczenie doręczenia (pos:Dokument) certifies: that
// Adresat collected the document IdentyfikatorDokumentu sent by Nadawca.
type UPD struct {
	IdentyfikatorPoswiadczenia string
	Adresat                    Party
	Nadawca                    Party
	Wystawca                   Party     // PodmiotWystawiajacyPoswiadczenie: ePUAP
	DataDoreczenia             time.Time // when the document reached the addressee's box
	DataOdbioru                time.Time // when the addressee collected it
	DataUtworzenia             time.Time // DataUtworzeniaPoswiadczenia
	IdentyfikatorDokumentu     string    // Ordered.IdentyfikatorDokumentu
	IdentyfikatorSprawy        string
	InformacjaUzupelniajaca    string
}

// ParseUPD reads a UPD without checking its signature (safexml: size, depth, no DTD); use
// VerifyUPD for anything that relies on it. Every failure wraps ErrUPD.
func ParseUPD(data []byte) (*UPD, error) {
	root, err := poswiadczenieRoot(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUPD, err)
	}
	u, err := updFrom(root)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUPD, err)
	}
	return u, nil
}

// VerifyUPD checks the enveloped ds:Signature of a UPD as VerifyUPP does and returns what
// the signed document says: the fields are read from the element the signature covers.
// Every failure wraps ErrUPD.
func VerifyUPD(data []byte, certs []*x509.Certificate, now time.Time) (*UPD, error) {
	signed, err := verifyPoswiadczenie(data, certs, now)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUPD, err)
	}
	u, err := updFrom(signed)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUPD, err)
	}
	return u, nil
}

// updFrom reads the fields of a UPD's pos:Dokument; children in other namespaces are
// ignored. IdentyfikatorPoswiadczenia and IdentyfikatorDokumentu are required.
func updFrom(root *etree.Element) (*UPD, error) {
	child := func(name string) *etree.Element {
		for _, c := range root.ChildElements() {
			if c.Tag == name && c.NamespaceURI() == schema.NSUPO {
				return c
			}
		}
		return nil
	}
	text := func(name string) string {
		if el := child(name); el != nil {
			return strings.TrimSpace(el.Text())
		}
		return ""
	}
	party := func(name string) Party {
		el := child(name)
		if el == nil {
			return Party{}
		}
		var p Party
		for _, c := range el.ChildElements() {
			if c.NamespaceURI() != schema.NSUPO {
				continue
			}
			switch c.Tag {
			case "Nazwa":
				p.Nazwa = strings.TrimSpace(c.Text())
			case "IdentyfikatorPodmiotu":
				p.Identyfikator = strings.TrimSpace(c.Text())
			}
		}
		return p
	}
	u := &UPD{
		IdentyfikatorPoswiadczenia: text("IdentyfikatorPoswiadczenia"),
		Adresat:                    party("Adresat"),
		Nadawca:                    party("Nadawca"),
		Wystawca:                   party("PodmiotWystawiajacyPoswiadczenie"),
		IdentyfikatorDokumentu:     text("IdentyfikatorDokumentu"),
		IdentyfikatorSprawy:        text("IdentyfikatorSprawy"),
		InformacjaUzupelniajaca:    text("InformacjaUzupelniajaca"),
	}
	switch {
	case u.IdentyfikatorPoswiadczenia == "":
		return nil, errors.New("no IdentyfikatorPoswiadczenia")
	case u.IdentyfikatorDokumentu == "":
		return nil, errors.New("no IdentyfikatorDokumentu")
	}
	for _, d := range []struct {
		name string
		t    *time.Time
	}{
		{"DataDoreczenia", &u.DataDoreczenia},
		{"DataOdbioru", &u.DataOdbioru},
		{"DataUtworzeniaPoswiadczenia", &u.DataUtworzenia},
	} {
		s := text(d.name)
		if s == "" {
			continue
		}
		var v schema.DateTime
		if err := v.UnmarshalText([]byte(s)); err != nil {
			return nil, fmt.Errorf("%s: %w", d.name, err)
		}
		*d.t = v.Time
	}
	return u, nil
}

// IsPoswiadczenie reports whether data is a poświadczenie (UPP or UPD): an XML document
// whose root is pos:Dokument in the UPO namespace. It says nothing of its signature or
// fields: a UPD pulled from the office's box is recognised by it, then checked with
// VerifyUPD.
func IsPoswiadczenie(data []byte) bool {
	_, err := poswiadczenieRoot(data)
	return err == nil
}
