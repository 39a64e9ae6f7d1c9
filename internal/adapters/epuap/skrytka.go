package epuap

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/obieg/obieg/internal/adapters/soap"
	"github.com/obieg/obieg/internal/signatures/safexml"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// SkrytkaClient sends documents to ePUAP boxes through the skrytka service (skrytka.wsdl,
// nadaj and nadajAny) on behalf of one office. It is safe for concurrent use.
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
	req := schema.DokumentNadaj{Dokument: schema.Dokument{NazwaPliku: m.NazwaPliku, TypPliku: m.TypPliku, Zawartosc: m.Zawartosc}}
	sent, err := c.send(ctx, schema.ActionNadaj, c.nadajHeaders(m), xml.Name{Space: schema.NS, Local: "Dokument"}, req)
	if err != nil {
		return Sent{}, fmt.Errorf("epuap: nadaj to %s: %w", m.AdresSkrytki, err)
	}
	return sent, nil
}

// SendAny sends m with nadajAny: m.Zawartosc must be one XML document in UTF-8, which
// travels as the content of ext:Dokument rather than in Base64, and its name as the
// NazwaPliku header; m.TypPliku is not sent (the contract has no place for it). The XML
// declaration is dropped, as no declaration may stand inside an element; a document with
// a DTD is refused before sending. Answers and errors as for Send.
//
// Whatever the addressee receives are the document's bytes after the declaration. An
// enveloped signature made with inclusive C14N may not survive a receiver that
// canonicalises the document in place, inside the envelope: it would see the envelope's
// namespace declarations. Send, which carries the bytes in Base64, has no such risk.
func (c *SkrytkaClient) SendAny(ctx context.Context, m Message) (Sent, error) {
	switch {
	case m.AdresSkrytki == "":
		return Sent{}, errors.New("epuap: nadajAny: no addressee box")
	case m.NazwaPliku == "":
		return Sent{}, fmt.Errorf("epuap: nadajAny to %s: no file name", m.AdresSkrytki)
	}
	inner, err := bodyXML(m.Zawartosc)
	if err != nil {
		return Sent{}, fmt.Errorf("epuap: nadajAny to %s: %w", m.AdresSkrytki, err)
	}
	headers := append(c.nadajHeaders(m), soap.HeaderBlock{Name: schema.HeaderNazwaPliku, Value: m.NazwaPliku})
	sent, err := c.send(ctx, schema.ActionNadajAny, headers, xml.Name{Space: schema.NSObiektyExt, Local: "Dokument"}, schema.DokumentAny{Inner: inner})
	if err != nil {
		return Sent{}, fmt.Errorf("epuap: nadajAny to %s: %w", m.AdresSkrytki, err)
	}
	return sent, nil
}

// bodyXML checks that doc is one well-formed XML document without a DTD (safexml) and
// returns it without a byte order mark and XML declaration, fit to be written inside an
// element.
func bodyXML(doc []byte) ([]byte, error) {
	if len(bytes.TrimSpace(doc)) == 0 {
		return nil, errors.New("empty document")
	}
	if _, err := safexml.ParseBytes(doc, safexml.Limits{MaxBytes: soap.DefaultMaxMessageSize}); err != nil {
		return nil, fmt.Errorf("document: %w", err)
	}
	doc = bytes.TrimPrefix(doc, []byte("\xEF\xBB\xBF"))
	if rest, ok := bytes.CutPrefix(doc, []byte("<?xml")); ok {
		end := bytes.Index(rest, []byte("?>"))
		if end < 0 {
			return nil, errors.New("document: unterminated XML declaration")
		}
		if enc := declaredEncoding(rest[:end]); enc != "" && !strings.EqualFold(enc, "utf-8") {
			return nil, fmt.Errorf("document: encoding %s: nadajAny carries UTF-8 only (Send takes any)", enc)
		}
		doc = rest[end+2:]
	}
	return bytes.TrimLeft(doc, " \t\r\n"), nil
}

// declaredEncoding returns the encoding named in the pseudo-attributes of an XML
// declaration, "" when none is.
func declaredEncoding(decl []byte) string {
	_, after, ok := bytes.Cut(decl, []byte("encoding"))
	if !ok {
		return ""
	}
	after = bytes.TrimLeft(after, " \t\r\n=")
	if len(after) == 0 || (after[0] != '"' && after[0] != '\'') {
		return ""
	}
	value, _, _ := bytes.Cut(after[1:], after[:1])
	return string(value)
}

// nadajHeaders are the SOAP headers that nadaj and nadajAny share, in the contract's order.
func (c *SkrytkaClient) nadajHeaders(m Message) []soap.HeaderBlock {
	return []soap.HeaderBlock{
		{Name: schema.HeaderIdentyfikatorPodmiotu, Value: c.podmiot},
		{Name: schema.HeaderAdresSkrytki, Value: m.AdresSkrytki},
		{Name: schema.HeaderAdresOdpowiedzi, Value: m.AdresOdpowiedzi},
		{Name: schema.HeaderCzyProbne, Value: m.CzyProbne},
		{Name: schema.HeaderDaneDodatkowe, Value: schema.Base64(m.DaneDodatkowe)},
	}
}

// send sends a nadaj or nadajAny request and reads OdpowiedzSkrytki: the document's id and
// its UPP, verified when certificates are pinned.
func (c *SkrytkaClient) send(ctx context.Context, action string, headers []soap.HeaderBlock, name xml.Name, req any) (Sent, error) {
	var resp schema.OdpowiedzSkrytki
	if err := c.callWithHeaders(ctx, action, headers, name, req, &resp); err != nil {
		return Sent{}, err
	}
	if resp.Status.Kod != schema.StatusOK {
		return Sent{}, statusError(resp.Status)
	}
	sent := Sent{IdentyfikatorDokumentu: resp.IdentyfikatorDokumentu, IdentyfikatorUpp: resp.IdentyfikatorUpp, Komunikat: resp.Status.Komunikat}
	if resp.Zalacznik != nil {
		sent.UPP = resp.Zalacznik.Zawartosc
	}
	if c.pinned != nil && sent.UPP != nil {
		if err := VerifyUPP(sent.UPP, c.pinned, c.now()); err != nil {
			return Sent{}, err
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
