package epuapsim

import (
	"github.com/obieg/obieg/internal/dev/simulator/faults"

	"context"
	"crypto"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/adapters/wssec"
)

// Simulator is a simulated ePUAP holding boxes in a Store. It is safe for concurrent use.
type Simulator struct {
	store Store
	now   func() time.Time
	log   *slog.Logger
	// confirm serialises potwierdzOdebranie so two confirmations of the same skrot cannot
	// both match the same item.
	confirm sync.Mutex

	// security is on when requests must carry WS-Security; signer signs the answers.
	security bool
	signer   *wssec.Signer
	certMu   sync.RWMutex
	certs    map[string]*wssec.Pins // system certificates by podmiot

	faults    faults.Injector[Faults]
	repo      Repo
	downloads downloads

	// updMu guards upds, the UPDs issued, by delivery order (see collect).
	updMu sync.Mutex
	upds  map[string][]byte

	uppOnce sync.Once
	uppKey  crypto.Signer
	uppCert *x509.Certificate
	uppErr  error
}

// Option configures a Simulator.
type Option func(*Simulator)

// WithWSSecurity makes the simulator check WS-Security on every SOAP request: a request
// that is unsigned, badly signed, signed with a certificate no office registered
// (RegisterCertificate) or one not registered for the podmiot it names gets a SOAP fault
// (ob:Wyjatek, KodBladPodpisu or KodBrakUprawnien) and no data. Answers, faults included,
// are signed with signer, as ePUAP signs them with its own certificate; a nil signer leaves
// them unsigned.
//
// Without this option the simulator accepts any request, signed or not: the explicit
// insecure mode of obieg's development setup (internal/app) and of tests without keys.
func WithWSSecurity(signer *wssec.Signer) Option {
	return func(s *Simulator) {
		s.security = true
		s.signer = signer
	}
}

// WithRepo keeps FileRepo's files in r (a DirRepo to keep them across restarts); the
// default is a MemRepo.
func WithRepo(r Repo) Option {
	return func(s *Simulator) { s.repo = r }
}

// WithFaults starts the simulator with faults injected; see SetFaults.
func WithFaults(f Faults) Option {
	return func(s *Simulator) { s.faults.Set(f, f.Seed) }
}

// New returns a simulator over store. now gives the sending time of filed documents and the
// time at which WS-Security certificates are checked (pass time.Now outside tests); log
// receives one line per failed request. Without options WS-Security is not checked, no
// fault is injected and FileRepo's files are kept in memory.
func New(store Store, now func() time.Time, log *slog.Logger, opts ...Option) *Simulator {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Simulator{store: store, now: now, log: log, certs: map[string]*wssec.Pins{}}
	s.repo = NewMemRepo()
	s.downloads.n = map[string]int{}
	s.upds = map[string][]byte{}
	for _, o := range opts {
		o(s)
	}
	return s
}

// BoxAddress returns the address ePUAP gives the box name of podmiot: "/podmiot/name".
func BoxAddress(podmiot, name string) string { return "/" + podmiot + "/" + name }

// CreateBox creates the box name of podmiot (address BoxAddress(podmiot, name)); creating
// one that exists does nothing. ErrInvalid for an empty or malformed name.
func (s *Simulator) CreateBox(ctx context.Context, podmiot, name string) (Box, error) {
	if err := checkName(podmiot); err != nil {
		return Box{}, fmt.Errorf("create box: podmiot: %w", err)
	}
	if err := checkName(name); err != nil {
		return Box{}, fmt.Errorf("create box: skrytka: %w", err)
	}
	b := Box{Podmiot: podmiot, Name: name, Address: BoxAddress(podmiot, name)}
	if err := s.store.PutBox(ctx, b); err != nil {
		return Box{}, fmt.Errorf("create box %s: %w", b.Address, err)
	}
	return b, nil
}

func checkName(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("%w: empty", ErrInvalid)
	case len(s) > 100: // IdentyfikatorPodmiotuTyp maxLength
		return fmt.Errorf("%w: longer than 100 bytes", ErrInvalid)
	case strings.ContainsAny(s, "/?#\x00"):
		return fmt.Errorf("%w: %q contains / ? # or NUL", ErrInvalid, s)
	}
	return nil
}

// Boxes lists the boxes, ordered by podmiot and address.
func (s *Simulator) Boxes(ctx context.Context) ([]Box, error) {
	boxes, err := s.store.Boxes(ctx)
	if err != nil {
		return nil, fmt.Errorf("list boxes: %w", err)
	}
	return boxes, nil
}

// FileRequest is a document to file into a box, as a citizen or institution would through
// ePUAP. Zero values get defaults: Sender.TypOsoby "F", NazwaPliku "dokument.xml", TypPliku
// "text/xml".
type FileRequest struct {
	Podmiot         string // the office owning the box
	Skrytka         string // box name; its address is BoxAddress(Podmiot, Skrytka)
	Sender          Sender // Sender.Identyfikator is required
	Uzytkownik      string
	System          string
	AdresOdpowiedzi string
	CzyTestowe      bool
	DaneDodatkowe   []byte
	NazwaPliku      string
	TypPliku        string
	Zawartosc       []byte // required
}

// Filed describes a document waiting in a box, without its content.
type Filed struct {
	ID           string    `json:"id"` // what epuap.Delivery.ID gives when it is pulled
	Podmiot      string    `json:"podmiot"`
	NazwaSkrytki string    `json:"nazwaSkrytki"`
	AdresSkrytki string    `json:"adresSkrytki"`
	Nadawca      string    `json:"nadawca"` // sender's identyfikator
	NazwaNadawcy string    `json:"nazwaNadawcy,omitempty"`
	NazwaPliku   string    `json:"nazwaPliku"`
	TypPliku     string    `json:"typPliku,omitempty"`
	Rozmiar      int       `json:"rozmiar"`
	SHA256       string    `json:"sha256"` // hex
	Skrot        string    `json:"skrot"`  // Base64(SHA-1), what potwierdzOdebranie expects
	DataNadania  time.Time `json:"dataNadania"`
	CzyTestowe   bool      `json:"czyTestowe"`
	Seq          uint64    `json:"seq"`
	// Zlecenie is the delivery order of a document put there by doręczyciel's dorecz, ""
	// for any other.
	Zlecenie string `json:"identyfikatorZlecenia,omitempty"`
}

func filedOf(it Item) Filed {
	sum := sha256.Sum256(it.Zawartosc)
	name := strings.TrimSpace(it.Sender.ImieSkrot + " " + it.Sender.NazwiskoNazwa)
	zlecenie := ""
	if it.Doreczenie != nil {
		zlecenie = it.Doreczenie.Zlecenie
	}
	return Filed{
		Zlecenie:     zlecenie,
		ID:           it.ID,
		Podmiot:      it.Podmiot,
		NazwaSkrytki: it.NazwaSkrytki,
		AdresSkrytki: it.AdresSkrytki,
		Nadawca:      it.Sender.Identyfikator,
		NazwaNadawcy: name,
		NazwaPliku:   it.NazwaPliku,
		TypPliku:     it.TypPliku,
		Rozmiar:      len(it.Zawartosc),
		SHA256:       hex.EncodeToString(sum[:]),
		Skrot:        epuap.Skrot(it.Zawartosc),
		DataNadania:  it.DataNadania,
		CzyTestowe:   it.CzyTestowe,
		Seq:          it.Seq,
	}
}

// File puts a document at the end of a box's queue, sent now (to the millisecond, as ePUAP
// records it). ErrUnknownBox if the box does not exist, ErrInvalid if the request lacks
// the sender's identifier or the content.
func (s *Simulator) File(ctx context.Context, req FileRequest) (Filed, error) {
	adres := BoxAddress(req.Podmiot, req.Skrytka)
	switch {
	case req.Sender.Identyfikator == "":
		return Filed{}, fmt.Errorf("file into %s: %w: no sender identifier", adres, ErrInvalid)
	case len(req.Zawartosc) == 0:
		return Filed{}, fmt.Errorf("file into %s: %w: empty document", adres, ErrInvalid)
	}
	it := Item{
		Podmiot:         req.Podmiot,
		NazwaSkrytki:    req.Skrytka,
		AdresSkrytki:    adres,
		Sender:          req.Sender,
		Uzytkownik:      req.Uzytkownik,
		System:          req.System,
		AdresOdpowiedzi: req.AdresOdpowiedzi,
		CzyTestowe:      req.CzyTestowe,
		DaneDodatkowe:   req.DaneDodatkowe,
		NazwaPliku:      cmpOr(req.NazwaPliku, "dokument.xml"),
		TypPliku:        cmpOr(req.TypPliku, "text/xml"),
		Zawartosc:       req.Zawartosc,
		DataNadania:     s.now().UTC().Truncate(time.Millisecond),
	}
	it.Sender.TypOsoby = cmpOr(it.Sender.TypOsoby, "F")
	it, err := s.store.Append(ctx, it)
	if err != nil {
		return Filed{}, fmt.Errorf("file into %s: %w", adres, err)
	}
	return filedOf(it), nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// BoxContents is a box and the documents waiting in it, oldest first.
type BoxContents struct {
	Box
	Waiting []Filed `json:"oczekujace"`
}

// Waiting lists the boxes of podmiot (every box when podmiot is "") with the documents
// waiting in them. ErrUnknownBox when podmiot has no box.
func (s *Simulator) Waiting(ctx context.Context, podmiot string) ([]BoxContents, error) {
	boxes, err := s.Boxes(ctx)
	if err != nil {
		return nil, err
	}
	var out []BoxContents
	for _, b := range boxes {
		if podmiot != "" && b.Podmiot != podmiot {
			continue
		}
		items, err := s.store.Items(ctx, b.Podmiot, b.Address)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", b.Address, err)
		}
		bc := BoxContents{Box: b, Waiting: make([]Filed, 0, len(items))}
		for _, it := range items {
			bc.Waiting = append(bc.Waiting, filedOf(it))
		}
		out = append(out, bc)
	}
	if podmiot != "" && len(out) == 0 {
		return nil, fmt.Errorf("list boxes of %s: %w", podmiot, ErrUnknownBox)
	}
	return out, nil
}

// box finds the box a pull request names; ErrUnknownBox when podmiot and address name no
// box, or when the name does not match the box at that address.
func (s *Simulator) box(ctx context.Context, podmiot, name, adres string) (Box, error) {
	boxes, err := s.store.Boxes(ctx)
	if err != nil {
		return Box{}, fmt.Errorf("find box %s: %w", adres, err)
	}
	for _, b := range boxes {
		if b.Podmiot == podmiot && b.Address == adres {
			if b.Name != name {
				return Box{}, fmt.Errorf("box %s is named %q, not %q: %w", adres, b.Name, name, ErrUnknownBox)
			}
			return b, nil
		}
	}
	return Box{}, fmt.Errorf("podmiot %q has no box %q: %w", podmiot, adres, ErrUnknownBox)
}

// matches reports whether skrot is the Base64 SHA-1 or SHA-256 of content.
func matches(skrot string, content []byte) bool {
	got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(skrot))
	if err != nil {
		return false
	}
	s1 := sha1.Sum(content)
	s256 := sha256.Sum256(content)
	return subtle.ConstantTimeCompare(got, s1[:]) == 1 || subtle.ConstantTimeCompare(got, s256[:]) == 1
}
