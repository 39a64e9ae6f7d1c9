package epuapsim

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/obieg/obieg/internal/adapters/epuap"
)

// Errors of a Store and of the Simulator, to be tested with errors.Is.
var (
	ErrUnknownBox = errors.New("epuapsim: no such box")
	ErrNotFound   = errors.New("epuapsim: no such document")
	ErrInvalid    = errors.New("epuapsim: invalid request")
)

// Box is an office's box: podmiot is the office's ePUAP identifier, Name the box name
// (nazwaSkrytki) and Address its address (adresSkrytki), "/podmiot/name".
type Box struct {
	Podmiot string `json:"podmiot"`
	Name    string `json:"nazwaSkrytki"`
	Address string `json:"adresSkrytki"`
}

// Sender is who filed a document (danePodmiotu of the pull answer).
type Sender struct {
	Identyfikator string `json:"identyfikator"`
	TypOsoby      string `json:"typOsoby"` // "F" natural person, "P" legal person
	ImieSkrot     string `json:"imieSkrot,omitempty"`
	NazwiskoNazwa string `json:"nazwiskoNazwa,omitempty"`
	NIP           string `json:"nip,omitempty"`
	PESEL         string `json:"pesel,omitempty"`
	REGON         string `json:"regon,omitempty"`
	Zgoda         bool   `json:"zgoda"`
}

// Item is one document waiting in a box.
type Item struct {
	Seq             uint64    `json:"seq"` // filing order across all boxes, assigned by the Store
	ID              string    `json:"id"`  // epuap.DocumentID of the item
	Podmiot         string    `json:"podmiot"`
	NazwaSkrytki    string    `json:"nazwaSkrytki"`
	AdresSkrytki    string    `json:"adresSkrytki"`
	Sender          Sender    `json:"danePodmiotu"`
	Uzytkownik      string    `json:"uzytkownik,omitempty"`
	System          string    `json:"system,omitempty"`
	AdresOdpowiedzi string    `json:"adresOdpowiedzi,omitempty"`
	CzyTestowe      bool      `json:"czyTestowe"`
	DaneDodatkowe   []byte    `json:"daneDodatkowe,omitempty"`
	NazwaPliku      string    `json:"nazwaPliku"`
	TypPliku        string    `json:"typPliku,omitempty"`
	Zawartosc       []byte    `json:"zawartosc"`
	DataNadania     time.Time `json:"dataNadania"`
	// Doreczenie is set on a document that doręczyciel's dorecz put into the box: a
	// delivery whose collection ePUAP certifies with a UPD.
	Doreczenie *Doreczenie `json:"doreczenie,omitempty"`
}

// identify sets the item's ID from what the pull answer tells of it, as obieg derives it
// (epuap.DocumentID), and names a delivery order after it. ePUAP's pull answer carries no
// document id, so the simulator makes the id unique per document through the sending time:
// the Store gives every filing a sending time later than all earlier ones (a millisecond
// later when the clock has not moved on, and kept across restarts by a FileStore), so two
// filings never share an id even when box, sender, clock and content coincide.
func (it *Item) identify() {
	it.ID = epuap.DocumentID(it.AdresSkrytki, it.Sender.Identyfikator, it.DataNadania, it.Zawartosc)
	if it.Doreczenie != nil {
		it.Doreczenie.Zlecenie = "ZLECENIE-" + it.ID
	}
}

// Doreczenie is what the simulator keeps of a delivery order (zlecenie doręczenia).
type Doreczenie struct {
	Zlecenie string `json:"identyfikatorZlecenia"` // ePUAP's id of the order
	// IdentyfikatorDokumentu is the sender's own id of the document (header
	// IdentyfikatorDokumentu), "" when it gave none.
	IdentyfikatorDokumentu string    `json:"identyfikatorDokumentu,omitempty"`
	IdentyfikatorSprawy    string    `json:"identyfikatorSprawy,omitempty"`
	TerminDoreczenia       time.Time `json:"terminDoreczenia,omitzero"`
}

// Store keeps boxes and their queues. Implementations are safe for concurrent use.
type Store interface {
	// PutBox records b. Putting a box that exists changes nothing and is not an error.
	PutBox(ctx context.Context, b Box) error
	// Boxes returns every box, ordered by podmiot and address.
	Boxes(ctx context.Context) ([]Box, error)
	// Append puts it at the end of the queue of the box (it.Podmiot, it.AdresSkrytki) and
	// returns it with Seq assigned. A new filing (Seq 0) also gets its sending time and ID:
	// it.DataNadania stays unless it is not after the last filing's sending time in the
	// store, in any box, and is then a millisecond after that one (see Item.identify); an
	// item the store held before (a redelivery) keeps both. ErrUnknownBox if that box does not
	// exist; other errors if it could not be stored, in which case nothing was appended.
	Append(ctx context.Context, it Item) (Item, error)
	// Items returns the queue of a box, oldest first; an empty queue is not an error.
	// ErrUnknownBox if the box does not exist.
	Items(ctx context.Context, podmiot, adres string) ([]Item, error)
	// Remove deletes the item seq from the queue of a box. ErrUnknownBox if the box does not
	// exist, ErrNotFound if the item is not (or no longer) in it.
	Remove(ctx context.Context, podmiot, adres string, seq uint64) error
}

type boxKey struct{ podmiot, adres string }

// MemStore is a Store in memory.
type MemStore struct {
	mu    sync.Mutex
	boxes map[boxKey]Box
	items map[boxKey][]Item
	seq   uint64
	// last is the latest sending time given to a filing, so that the next one's is later.
	last time.Time
}

var _ Store = (*MemStore)(nil)

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore {
	return &MemStore{boxes: map[boxKey]Box{}, items: map[boxKey][]Item{}}
}

// PutBox implements Store.
func (m *MemStore) PutBox(_ context.Context, b Box) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := boxKey{b.Podmiot, b.Address}
	if _, ok := m.boxes[k]; !ok {
		m.boxes[k] = b
	}
	return nil
}

// Boxes implements Store.
func (m *MemStore) Boxes(_ context.Context) ([]Box, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Box, 0, len(m.boxes))
	for _, b := range m.boxes {
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b Box) int {
		return cmp.Or(cmp.Compare(a.Podmiot, b.Podmiot), cmp.Compare(a.Address, b.Address))
	})
	return out, nil
}

// Append implements Store.
func (m *MemStore) Append(_ context.Context, it Item) (Item, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.appendLocked(it, nil)
}

// appendLocked assigns the next Seq and sending time, identifies the item, calls persist
// (if any) and only then appends.
func (m *MemStore) appendLocked(it Item, persist func(Item) error) (Item, error) {
	k := boxKey{it.Podmiot, it.AdresSkrytki}
	if _, ok := m.boxes[k]; !ok {
		return Item{}, fmt.Errorf("append to %s: %w", it.AdresSkrytki, ErrUnknownBox)
	}
	if it.Seq == 0 { // a new filing; a redelivery keeps its sending time and ID
		it.DataNadania = it.DataNadania.UTC().Truncate(time.Millisecond)
		if next := m.last.Add(time.Millisecond); it.DataNadania.Before(next) {
			it.DataNadania = next
		}
		it.identify()
	}
	it.Seq = m.seq + 1
	if persist != nil {
		if err := persist(it); err != nil {
			return Item{}, err
		}
	}
	m.seq = it.Seq
	if it.DataNadania.After(m.last) {
		m.last = it.DataNadania
	}
	m.items[k] = append(m.items[k], it)
	return it, nil
}

// Items implements Store.
func (m *MemStore) Items(_ context.Context, podmiot, adres string) ([]Item, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := boxKey{podmiot, adres}
	if _, ok := m.boxes[k]; !ok {
		return nil, fmt.Errorf("items of %s: %w", adres, ErrUnknownBox)
	}
	return slices.Clone(m.items[k]), nil
}

// Remove implements Store.
func (m *MemStore) Remove(_ context.Context, podmiot, adres string, seq uint64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.removeLocked(podmiot, adres, seq, nil)
}

func (m *MemStore) removeLocked(podmiot, adres string, seq uint64, persist func() error) error {
	k := boxKey{podmiot, adres}
	if _, ok := m.boxes[k]; !ok {
		return fmt.Errorf("remove from %s: %w", adres, ErrUnknownBox)
	}
	q := m.items[k]
	i := slices.IndexFunc(q, func(it Item) bool { return it.Seq == seq })
	if i < 0 {
		return fmt.Errorf("remove %d from %s: %w", seq, adres, ErrNotFound)
	}
	if persist != nil {
		if err := persist(); err != nil {
			return err
		}
	}
	m.items[k] = slices.Delete(q, i, i+1)
	return nil
}
