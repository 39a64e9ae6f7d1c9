package epuap

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"time"

	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// ErrNoDocument is returned by Next when nothing waits in the box.
var ErrNoDocument = errors.New("epuap: no document waiting in the box")

// Box names the office's box that a client pulls from: the request's podmiot,
// nazwaSkrytki and adresSkrytki (written "/podmiot/skrytka").
type Box struct {
	Podmiot string
	Name    string
	Address string
}

// PullClient calls ePUAP's pull service for one box. It is safe for concurrent use.
type PullClient struct {
	caller
	box Box
}

// NewPullClient returns a client of the pull service at endpoint (for example
// https://ws.epuap.gov.pl/pk_external_ws/services/pull) for box. Timeouts come from hc and
// from the ctx of each call: ePUAP can take minutes to answer, so give hc a generous one.
// Without options requests are not signed and answers not verified; production passes
// WithSigner and WithPinnedCertificates.
func NewPullClient(endpoint string, hc *http.Client, box Box, opts ...Option) *PullClient {
	return &PullClient{caller: newCaller(endpoint, hc, opts), box: box}
}

func (c *PullClient) query() schema.ZapytaniePull {
	return schema.ZapytaniePull{Podmiot: c.box.Podmiot, NazwaSkrytki: c.box.Name, AdresSkrytki: c.box.Address}
}

// Pending returns how many documents wait in the box (oczekujaceDokumenty).
func (c *PullClient) Pending(ctx context.Context) (int, error) {
	var resp schema.OdpowiedzPullOczekujace
	req := schema.ZapytaniePullOczekujace{ZapytaniePull: c.query()}
	if err := c.call(ctx, schema.ActionOczekujaceDokumenty, xml.Name{Space: schema.NS, Local: "ZapytaniePullOczekujace"}, req, &resp); err != nil {
		return 0, fmt.Errorf("epuap: oczekujaceDokumenty for %s: %w", c.box.Address, err)
	}
	if resp.Status.Kod != schema.StatusOK {
		return 0, fmt.Errorf("epuap: oczekujaceDokumenty for %s: %w", c.box.Address, statusError(resp.Status))
	}
	return resp.Oczekujace, nil
}

// Next returns the oldest document waiting in the box (pobierzNastepny), or ErrNoDocument.
// ePUAP returns the same document until it is confirmed.
func (c *PullClient) Next(ctx context.Context) (*Delivery, error) {
	var resp schema.OdpowiedzPullPobierz
	req := schema.ZapytaniePullPobierz{ZapytaniePull: c.query()}
	if err := c.call(ctx, schema.ActionPobierzNastepny, xml.Name{Space: schema.NS, Local: "ZapytaniePullPobierz"}, req, &resp); err != nil {
		return nil, fmt.Errorf("epuap: pobierzNastepny from %s: %w", c.box.Address, err)
	}
	d, err := nextFrom(&resp)
	if err != nil && !errors.Is(err, ErrNoDocument) {
		return nil, fmt.Errorf("epuap: pobierzNastepny from %s: %w", c.box.Address, err)
	}
	return d, err
}

// nextFrom interprets a pobierzNastepny answer.
func nextFrom(resp *schema.OdpowiedzPullPobierz) (*Delivery, error) {
	switch resp.Status.Kod {
	case schema.StatusNoDocument:
		return nil, ErrNoDocument
	case schema.StatusOK:
		return deliveryFrom(resp)
	default:
		return nil, statusError(resp.Status)
	}
}

// Confirm tells ePUAP that the document whose zawartosc is content has been received, which
// removes it from the box (potwierdzOdebranie). The document is named by its skrot,
// Base64(SHA-1(content)), as the clients known to work with ePUAP send it.
func (c *PullClient) Confirm(ctx context.Context, content []byte) error {
	return c.ConfirmSkrot(ctx, Skrot(content))
}

// ConfirmSkrot is Confirm for a caller that kept the digest, Skrot(content), rather than the
// content itself.
func (c *PullClient) ConfirmSkrot(ctx context.Context, skrot string) error {
	var resp schema.OdpowiedzPullPotwierdz
	req := schema.ZapytaniePullPotwierdz{ZapytaniePull: c.query(), Skrot: skrot}
	if err := c.call(ctx, schema.ActionPotwierdzOdebranie, xml.Name{Space: schema.NS, Local: "ZapytaniePullPotwierdz"}, req, &resp); err != nil {
		return fmt.Errorf("epuap: potwierdzOdebranie in %s: %w", c.box.Address, err)
	}
	if resp.Status.Kod != schema.StatusOK {
		return fmt.Errorf("epuap: potwierdzOdebranie in %s: %w", c.box.Address, statusError(resp.Status))
	}
	return nil
}

// Skrot returns the digest that potwierdzOdebranie expects for content:
// Base64(SHA-1(content)).
func Skrot(content []byte) string {
	sum := sha1.Sum(content)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// StatusError is a pull answer whose status.kod is not the expected one.
type StatusError struct {
	Kod       int
	Komunikat string
}

// Error says which status came back.
func (e *StatusError) Error() string {
	return fmt.Sprintf("status kod %d: %s", e.Kod, e.Komunikat)
}

func statusError(s schema.Status) error {
	return &StatusError{Kod: s.Kod, Komunikat: s.Komunikat}
}

// Sender is the data ePUAP holds about the one who filed a document (danePodmiotu).
type Sender struct {
	Identyfikator string // ePUAP identifier of the citizen or institution
	TypOsoby      string // "F" natural person, "P" legal person (other values occur)
	ImieSkrot     string // first name, or short name of an institution
	NazwiskoNazwa string // surname, or name of an institution
	NIP           string
	PESEL         string // never log it
	REGON         string
	Zgoda         bool // consents to electronic correspondence
}

// Delivery is one document pulled from the box with everything ePUAP says about it
// (OdpowiedzPullPobierz).
type Delivery struct {
	Sender          Sender
	Uzytkownik      string    // daneNadawcy/uzytkownik: login of the sending user
	System          string    // daneNadawcy/system: identifier of the sending system
	DataNadania     time.Time // when the document was sent to the box
	NazwaSkrytki    string
	AdresSkrytki    string
	AdresOdpowiedzi string // box to answer to; "" when nil
	CzyTestowe      bool
	DaneDodatkowe   []byte // decoded daneDodatkowe, usually XML
	NazwaPliku      string
	TypPliku        string
	Zawartosc       []byte // the document exactly as filed
}

func deliveryFrom(r *schema.OdpowiedzPullPobierz) (*Delivery, error) {
	switch {
	case r.Dokument == nil:
		return nil, errors.New("status OK but no dokument in the answer")
	case r.DanePodmiotu == nil:
		return nil, errors.New("status OK but no danePodmiotu in the answer")
	case r.DataNadania == nil:
		return nil, errors.New("status OK but no dataNadania in the answer")
	}
	d := &Delivery{
		Sender: Sender{
			Identyfikator: r.DanePodmiotu.Identyfikator,
			TypOsoby:      r.DanePodmiotu.TypOsoby,
			ImieSkrot:     r.DanePodmiotu.ImieSkrot,
			NazwiskoNazwa: r.DanePodmiotu.NazwiskoNazwa,
			NIP:           r.DanePodmiotu.NIP,
			PESEL:         r.DanePodmiotu.PESEL,
			REGON:         r.DanePodmiotu.REGON,
			Zgoda:         r.DanePodmiotu.Zgoda,
		},
		DataNadania: r.DataNadania.Time,
		NazwaPliku:  r.Dokument.NazwaPliku,
		TypPliku:    r.Dokument.TypPliku,
		Zawartosc:   r.Dokument.Zawartosc,
	}
	if r.DaneNadawcy != nil {
		d.Uzytkownik, d.System = r.DaneNadawcy.Uzytkownik, r.DaneNadawcy.System
	}
	if r.NazwaSkrytki != nil {
		d.NazwaSkrytki = *r.NazwaSkrytki
	}
	if r.AdresSkrytki != nil {
		d.AdresSkrytki = *r.AdresSkrytki
	}
	if r.AdresOdpowiedzi != nil && !r.AdresOdpowiedzi.Nil {
		d.AdresOdpowiedzi = r.AdresOdpowiedzi.Value
	}
	if r.CzyTestowe != nil {
		d.CzyTestowe = *r.CzyTestowe
	}
	if r.DaneDodatkowe != nil {
		d.DaneDodatkowe = *r.DaneDodatkowe
	}
	return d, nil
}

// ID returns a stable identifier of the delivery; see DocumentID.
func (d *Delivery) ID() string {
	return DocumentID(d.AdresSkrytki, d.Sender.Identyfikator, d.DataNadania, d.Zawartosc)
}

// DocumentID derives an identifier for a document in a box, because the pull answer
// carries none. It is the lowercase hex of the first 16 bytes of SHA-256 over a
// length-prefixed (8-byte big-endian) encoding of: the box address, the sender's
// identifier, the sending time in RFC 3339 UTC with nine fractional digits, and the
// SHA-256 of the content.
//
// Every field comes from ePUAP's record of one filing, so a redelivery of the same box item
// (Next before Confirm, or after a crash before Confirm) gives the same id, and obieg starts
// no second workflow for it. A citizen who files the same bytes again later makes a new
// filing with a new sending time, hence a new id: it is a new submission under the law
// even if its content is a duplicate.
func DocumentID(adresSkrytki, nadawca string, dataNadania time.Time, content []byte) string {
	h := sha256.New()
	sum := sha256.Sum256(content)
	for _, field := range [][]byte{
		[]byte(adresSkrytki),
		[]byte(nadawca),
		[]byte(dataNadania.UTC().Format("2006-01-02T15:04:05.000000000Z07:00")),
		sum[:],
	} {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(field)))
		h.Write(n[:])
		h.Write(field)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
