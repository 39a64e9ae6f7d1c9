package epuap

import (
	"context"
	"crypto/x509"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/obieg/obieg/internal/safexml"
	"github.com/obieg/obieg/internal/soap"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// SkrytkaClient sends documents to ePUAP boxes through the skrytka service (skrytka.wsdl,
// nadaj) on behalf of one office. It is safe for concurrent use.
type SkrytkaClient struct {
	caller
	podmiot string
}

// NewSkrytkaClient returns a client of the skrytka service at endpoint (for example
// https://ws.epuap.gov.pl/pk_external_ws/services/skrytka) sending as podmiot. Options as
// for NewPullClient; with WithPinnedCertificates the UPP's signature is verified too.
func NewSkrytkaClient(endpoint string, hc *http.Client, podmiot string, opts ...Option) *SkrytkaClient {
	return &SkrytkaClient{caller: newCaller(endpoint, hc, opts), podmiot: podmiot}
}

// Message is a document to send to a box.
type Message struct {
	AdresSkrytki    string // the addressee's box, "/podmiot/skrytka"; required
	AdresOdpowiedzi string // the office's box for answers
	CzyProbne       bool   // a trial: ePUAP checks the request but delivers nothing
	DaneDodatkowe   []byte // additional XML data
	NazwaPliku      string // file name; required
	TypPliku        string // media type, e.g. text/xml
	Zawartosc       []byte // the document; required
}

// Sent is what ePUAP answered to a sent document.
type Sent struct {
	IdentyfikatorDokumentu string // ePUAP's id of the document
	IdentyfikatorUpp       string // id of the UPP; "" when none was issued (a trial)
	// UPP is the urzędowe poświadczenie przedłożenia (pos:Dokument, signed by ePUAP), nil
	// when none came back.
	UPP       []byte
	Komunikat string // status komunikat
}

// ErrUPP wraps a UPP whose signature does not verify against the pinned certificates.
var ErrUPP = errors.New("epuap: UPP signature not verified")

// Send sends m with nadaj and returns the document's id and its UPP. A refusal is a
// *soap.Fault error; a status other than OK is a *StatusError.
func (c *SkrytkaClient) Send(ctx context.Context, m Message) (Sent, error) {
	switch {
	case m.AdresSkrytki == "":
		return Sent{}, errors.New("epuap: nadaj: no addressee box")
	case len(m.Zawartosc) == 0:
		return Sent{}, fmt.Errorf("epuap: nadaj to %s: empty document", m.AdresSkrytki)
	case m.NazwaPliku == "":
		return Sent{}, fmt.Errorf("epuap: nadaj to %s: no file name", m.AdresSkrytki)
	}
	headers := []soap.HeaderBlock{
		{Name: schema.HeaderIdentyfikatorPodmiotu, Value: c.podmiot},
		{Name: schema.HeaderAdresSkrytki, Value: m.AdresSkrytki},
		{Name: schema.HeaderAdresOdpowiedzi, Value: m.AdresOdpowiedzi},
		{Name: schema.HeaderCzyProbne, Value: m.CzyProbne},
		{Name: schema.HeaderDaneDodatkowe, Value: schema.Base64(m.DaneDodatkowe)},
	}
	req := schema.DokumentNadaj{Dokument: schema.Dokument{NazwaPliku: m.NazwaPliku, TypPliku: m.TypPliku, Zawartosc: m.Zawartosc}}
	var resp schema.OdpowiedzSkrytki
	if err := c.callWithHeaders(ctx, schema.ActionNadaj, headers, xml.Name{Space: schema.NS, Local: "Dokument"}, req, &resp); err != nil {
		return Sent{}, fmt.Errorf("epuap: nadaj to %s: %w", m.AdresSkrytki, err)
	}
	if resp.Status.Kod != schema.StatusOK {
		return Sent{}, fmt.Errorf("epuap: nadaj to %s: %w", m.AdresSkrytki, statusError(resp.Status))
	}
	sent := Sent{IdentyfikatorDokumentu: resp.IdentyfikatorDokumentu, IdentyfikatorUpp: resp.IdentyfikatorUpp, Komunikat: resp.Status.Komunikat}
	if resp.Zalacznik != nil {
		sent.UPP = resp.Zalacznik.Zawartosc
	}
	if c.pinned != nil && sent.UPP != nil {
		if err := VerifyUPP(sent.UPP, c.pinned, c.now()); err != nil {
			return Sent{}, fmt.Errorf("epuap: nadaj to %s: %w", m.AdresSkrytki, err)
		}
	}
	return sent, nil
}

// VerifyUPP checks the enveloped ds:Signature of a UPP (pos:Dokument) with goxmldsig: it
// must cover the whole document and be made at now by one of certs. The UPP is parsed with
// safexml (size, depth, no DTD).
func VerifyUPP(upp []byte, certs []*x509.Certificate, now time.Time) error {
	if _, err := verifyPoswiadczenie(upp, certs, now); err != nil {
		return fmt.Errorf("%w: %w", ErrUPP, err)
	}
	return nil
}

// verifyPoswiadczenie checks the enveloped signature of a poświadczenie (UPP, UPD: root
// pos:Dokument) against certs at now and returns the element the signature covers, as
// goxmldsig gives it: what a caller may read.
func verifyPoswiadczenie(data []byte, certs []*x509.Certificate, now time.Time) (*etree.Element, error) {
	root, err := poswiadczenieRoot(data)
	if err != nil {
		return nil, err
	}
	vc := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: certs})
	vc.Clock = dsig.NewFakeClockAt(now)
	signed, err := vc.Validate(root)
	if err != nil {
		return nil, err
	}
	return signed, nil
}

// poswiadczenieRoot parses a poświadczenie with safexml (size, depth, no DTD) and returns
// its root, which must be pos:Dokument.
func poswiadczenieRoot(data []byte) (*etree.Element, error) {
	doc, err := safexml.ParseBytes(data, safexml.Limits{})
	if err != nil {
		return nil, err
	}
	root := doc.Root()
	if root == nil || root.Tag != "Dokument" || root.NamespaceURI() != schema.NSUPO {
		return nil, errors.New("root is not pos:Dokument")
	}
	return root, nil
}
