package epuapsim

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/obieg/obieg/internal/signatures/safexml"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

var doreczycielService = &service{
	name:       "doreczyciel",
	wsdl:       schema.DoreczycielWSDL,
	maxRequest: maxSkrytkaRequest,
	ops: []operation{
		{schema.ActionDorecz, obName("Dokument"), (*Simulator).dorecz},
		{schema.ActionOdbierz, obName("UPD"), (*Simulator).odbierz},
	},
}

// nsDSig is the namespace of ds:Signature.
const nsDSig = "http://www.w3.org/2000/09/xmldsig#"

// Identity of ePUAP as the sender of UPDs and the body that issues them.
const (
	epuapID    = "ePUAP"
	epuapNazwa = "Elektroniczna Platforma Usług Administracji Publicznej"
)

// dorecz serves doręczyciel's dorecz: the signed document goes to the end of the addressee
// box's queue as a delivery awaiting collection (unless CzyProbne), and the answer carries
// the document's id and the order's id. The UPD comes later, to the sender's box
// AdresOdpowiedzi, when the addressee collects the document (see collect).
func (s *Simulator) dorecz(ctx context.Context, r *request) (xml.Name, any, error) {
	h, err := s.decodeNadajHeaders(r)
	if err != nil {
		return xml.Name{}, nil, err
	}
	var (
		termin        schema.DateTime
		docID, sprawa string
		draft         schema.UPD
	)
	hasTermin := false
	for _, f := range []struct {
		name  xml.Name
		v     any
		found *bool
	}{
		{schema.HeaderTerminDoreczenia, &termin, &hasTermin},
		{schema.HeaderIdentyfikatorDokumentu, &docID, nil},
		{schema.HeaderIdentyfikatorSprawy, &sprawa, nil},
		// The contract lets the sender pass a UPD and says nothing of what it is for: it is
		// checked to be well-formed and otherwise ignored.
		{schema.HeaderUPD, &draft, nil},
	} {
		found, err := r.env.DecodeHeader(f.name, f.v)
		if err != nil {
			return xml.Name{}, nil, badRequest(KodBladZapytania, "header %s: %w", f.name.Local, err)
		}
		if f.found != nil {
			*f.found = found
		}
	}
	if err := s.authorize(h.podmiot, r.cert); err != nil {
		return xml.Name{}, nil, err
	}
	var d schema.DokumentNadaj
	if err := r.env.DecodeBody(&d); err != nil {
		return xml.Name{}, nil, badRequest(KodBladZapytania, "decode ob:Dokument: %w", err)
	}
	if len(d.Zawartosc) == 0 {
		return xml.Name{}, nil, badRequest(KodBladZapytania, "empty document")
	}
	if err := checkSigned(d.Zawartosc); err != nil {
		return xml.Name{}, nil, badRequest(KodNiepodpisany, "dorecz accepts only signed documents: %w", err)
	}
	now := s.now()
	if hasTermin && !termin.After(now) {
		return xml.Name{}, nil, badRequest(KodBladZapytania, "TerminDoreczenia %s has passed", termin.Format(time.RFC3339))
	}
	to, err := s.boxAt(ctx, h.adres)
	if err != nil {
		return xml.Name{}, nil, err
	}
	if h.odpowiedz == "" {
		return xml.Name{}, nil, badRequest(KodBladZapytania, "no AdresOdpowiedzi header: the UPD is delivered there")
	}
	reply, err := s.boxAt(ctx, h.odpowiedz)
	if err != nil {
		return xml.Name{}, nil, err
	}
	if reply.Podmiot != h.podmiot {
		return xml.Name{}, nil, badRequest(KodNieznanaSkrytka, "AdresOdpowiedzi %q is not a box of %q", h.odpowiedz, h.podmiot)
	}
	it := s.sentItem(to, h, d.Dokument, r.cert)
	it.Doreczenie = &Doreczenie{IdentyfikatorDokumentu: docID, IdentyfikatorSprawy: sprawa}
	it.identify() // final once the store has given it its sending time
	if hasTermin {
		it.Doreczenie.TerminDoreczenia = termin.UTC()
	}
	name := obName("OdpowiedzDoreczyciela")
	answer := func(it Item) schema.OdpowiedzDoreczyciela {
		return schema.OdpowiedzDoreczyciela{
			Status:                 ok("Dokument przyjęty do doręczenia"),
			IdentyfikatorDokumentu: schema.Nillable{Value: it.ID},
			IdentyfikatorZlecenia:  schema.Nillable{Value: it.Doreczenie.Zlecenie},
		}
	}
	if h.probne {
		a := answer(it)
		a.Status.Komunikat = "Doręczenie próbne: dokument nie został przekazany adresatowi"
		return name, a, nil
	}
	it, err = s.store.Append(ctx, it)
	if err != nil {
		return xml.Name{}, nil, fmt.Errorf("dorecz to %s: %w", to.Address, err)
	}
	return name, answer(it), nil
}

// odbierz serves doręczyciel's odbierz: the addressee collects a delivery by sending a
// signed UPD (pos:Dokument) whose IdentyfikatorDokumentu names a delivery waiting in one of
// its boxes. ePUAP then issues its own UPD to the sender (collect); the document stays in
// the box until its pull is confirmed. A trial (CzyProbne) checks and collects nothing.
func (s *Simulator) odbierz(ctx context.Context, r *request) (xml.Name, any, error) {
	var podmiot string
	var probne bool
	found, err := r.env.DecodeHeader(schema.HeaderIdentyfikatorPodmiotu, &podmiot)
	switch {
	case err != nil:
		return xml.Name{}, nil, badRequest(KodBladZapytania, "header IdentyfikatorPodmiotu: %w", err)
	case !found:
		return xml.Name{}, nil, badRequest(KodBladZapytania, "no IdentyfikatorPodmiotu header")
	}
	if _, err := r.env.DecodeHeader(schema.HeaderCzyProbne, &probne); err != nil {
		return xml.Name{}, nil, badRequest(KodBladZapytania, "header CzyProbne: %w", err)
	}
	if err := s.authorize(podmiot, r.cert); err != nil {
		return xml.Name{}, nil, err
	}
	var u schema.UPD
	if err := r.env.DecodeBody(&u); err != nil {
		return xml.Name{}, nil, badRequest(KodBladZapytania, "decode ob:UPD: %w", err)
	}
	if err := checkSigned(u.Zawartosc); err != nil {
		return xml.Name{}, nil, badRequest(KodNiepodpisany, "odbierz needs a signed UPD: %w", err)
	}
	docID, err := updDocumentID(u.Zawartosc)
	if err != nil {
		return xml.Name{}, nil, badRequest(KodBladZapytania, "UPD: %w", err)
	}
	it, err := s.findDelivery(ctx, func(it Item) bool { return it.Podmiot == podmiot && it.ID == docID })
	if errors.Is(err, ErrNotFound) {
		return xml.Name{}, nil, badRequest(KodNieznaneZlecenie, "no delivery of document %q awaits collection by %q", docID, podmiot)
	}
	if err != nil {
		return xml.Name{}, nil, fmt.Errorf("odbierz %s: %w", docID, err)
	}
	name := obName("StatusDoreczyciela")
	if probne {
		return name, schema.StatusDoreczyciela{Status: ok("Odbiór próbny: nic nie odebrano")}, nil
	}
	if _, err := s.collect(ctx, it); err != nil {
		return xml.Name{}, nil, fmt.Errorf("odbierz %s: %w", docID, err)
	}
	return name, schema.StatusDoreczyciela{Status: ok("Dokument odebrany")}, nil
}

// checkSigned checks that doc is XML carrying a ds:Signature, as its root (enveloping) or
// as a child of its root (enveloped). Whether the signature verifies is not checked.
func checkSigned(doc []byte) error {
	d, err := safexml.ParseBytes(doc, safexml.Limits{MaxBytes: maxSkrytkaRequest})
	if err != nil {
		return err
	}
	root := d.Root()
	isSig := func(e *etree.Element) bool { return e.Tag == "Signature" && e.NamespaceURI() == nsDSig }
	if root == nil {
		return errors.New("no root element")
	}
	if isSig(root) {
		return nil
	}
	for _, c := range root.ChildElements() {
		if isSig(c) {
			return nil
		}
	}
	return errors.New("no ds:Signature under the root element")
}

// updDocumentID returns the IdentyfikatorDokumentu of a UPD (pos:Dokument).
func updDocumentID(upd []byte) (string, error) {
	d, err := safexml.ParseBytes(upd, safexml.Limits{})
	if err != nil {
		return "", err
	}
	root := d.Root()
	if root == nil || root.Tag != "Dokument" || root.NamespaceURI() != schema.NSUPO {
		return "", errors.New("root is not pos:Dokument")
	}
	el := root.SelectElement("IdentyfikatorDokumentu")
	if el == nil || el.NamespaceURI() != schema.NSUPO || strings.TrimSpace(el.Text()) == "" {
		return "", errors.New("no pos:IdentyfikatorDokumentu")
	}
	return strings.TrimSpace(el.Text()), nil
}

// findDelivery returns the first delivery (an item with Doreczenie) waiting in any box for
// which match is true; ErrNotFound when there is none.
func (s *Simulator) findDelivery(ctx context.Context, match func(Item) bool) (Item, error) {
	boxes, err := s.store.Boxes(ctx)
	if err != nil {
		return Item{}, fmt.Errorf("find delivery: %w", err)
	}
	for _, b := range boxes {
		items, err := s.store.Items(ctx, b.Podmiot, b.Address)
		if err != nil {
			return Item{}, fmt.Errorf("find delivery in %s: %w", b.Address, err)
		}
		for _, it := range items {
			if it.Doreczenie != nil && match(it) {
				return it, nil
			}
		}
	}
	return Item{}, fmt.Errorf("find delivery: %w", ErrNotFound)
}

// collect records that the addressee collected the delivery it: it issues the UPD and puts
// it at the end of the sender's box AdresOdpowiedzi, as a document sent by ePUAP. An order
// is certified once: collecting it again returns the UPD already issued. The record of
// issued UPDs lives in memory, so after a restart a delivery still waiting in a box (in a
// FileStore) can be certified a second time; the UPD's id is the same.
func (s *Simulator) collect(ctx context.Context, it Item) ([]byte, error) {
	s.updMu.Lock()
	defer s.updMu.Unlock()
	if upd, ok := s.upds[it.Doreczenie.Zlecenie]; ok {
		return upd, nil
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	upd, err := s.upd(it, now)
	if err != nil {
		return nil, err
	}
	reply, err := s.boxAt(ctx, it.AdresOdpowiedzi)
	if err != nil {
		return nil, fmt.Errorf("deliver the UPD of %s: %w", it.Doreczenie.Zlecenie, err)
	}
	out := Item{
		Podmiot:      reply.Podmiot,
		NazwaSkrytki: reply.Name,
		AdresSkrytki: reply.Address,
		Sender:       Sender{Identyfikator: epuapID, TypOsoby: "P", NazwiskoNazwa: epuapNazwa, Zgoda: true},
		System:       epuapID,
		NazwaPliku:   "UPD.xml",
		TypPliku:     "text/xml",
		Zawartosc:    upd,
		DataNadania:  now,
	}
	if _, err := s.store.Append(ctx, out); err != nil {
		return nil, fmt.Errorf("deliver the UPD of %s: %w", it.Doreczenie.Zlecenie, err)
	}
	s.upds[it.Doreczenie.Zlecenie] = upd
	return upd, nil
}

// upd returns the UPD (urzędowe poświadczenie doręczenia) of the delivery it, collected at
// odebrano: a poświadczenie naming the addressee, the sender, ePUAP as its issuer, when the
// document reached the box and when it was collected.
func (s *Simulator) upd(it Item, odebrano time.Time) ([]byte, error) {
	d := it.Doreczenie
	sum := sha256.Sum256(it.Zawartosc)
	info := fmt.Sprintf("Zlecenie doręczenia %s: dokument %s odebrany ze skrytki %s; SHA-256 treści %s",
		d.Zlecenie, it.NazwaPliku, it.AdresSkrytki, hex.EncodeToString(sum[:]))
	if d.IdentyfikatorDokumentu != "" {
		info += "; identyfikator dokumentu nadawcy " + d.IdentyfikatorDokumentu
	}
	fields := []posField{
		{name: "IdentyfikatorPoswiadczenia", text: "UPD-" + it.ID},
		{name: "Adresat", party: &party{nazwa: it.Podmiot, id: it.Podmiot}},
		{name: "Nadawca", party: senderParty(it)},
		{name: "PodmiotWystawiajacyPoswiadczenie", party: &party{nazwa: epuapNazwa, id: epuapID}},
		{name: "DataDoreczenia", text: it.DataNadania.Format(time.RFC3339Nano)},
		{name: "DataOdbioru", text: odebrano.Format(time.RFC3339Nano)},
		{name: "DataUtworzeniaPoswiadczenia", text: odebrano.Format(time.RFC3339Nano)},
		{name: "IdentyfikatorDokumentu", text: it.ID},
	}
	if d.IdentyfikatorSprawy != "" {
		fields = append(fields, posField{name: "IdentyfikatorSprawy", text: d.IdentyfikatorSprawy})
	}
	fields = append(fields, posField{name: "InformacjaUzupelniajaca", text: info})
	return s.poswiadczenie(fields)
}

// DeliveryStatus is the state of a delivery order: waiting for the addressee, or collected
// with its UPD.
type DeliveryStatus struct {
	Zlecenie     string `json:"identyfikatorZlecenia"`
	AdresSkrytki string `json:"adresSkrytki,omitempty"` // the addressee's box, while waiting
	Odebrane     bool   `json:"odebrane"`
	UPD          []byte `json:"upd,omitempty"` // the UPD, once collected
}

// Delivery returns the state of the delivery order zlecenie; ErrNotFound when no delivery
// waits under that id and none was collected since the simulator started.
func (s *Simulator) Delivery(ctx context.Context, zlecenie string) (DeliveryStatus, error) {
	s.updMu.Lock()
	upd, ok := s.upds[zlecenie]
	s.updMu.Unlock()
	if ok {
		return DeliveryStatus{Zlecenie: zlecenie, Odebrane: true, UPD: upd}, nil
	}
	it, err := s.findDelivery(ctx, func(it Item) bool { return it.Doreczenie.Zlecenie == zlecenie })
	if err != nil {
		return DeliveryStatus{}, fmt.Errorf("delivery %s: %w", zlecenie, err)
	}
	return DeliveryStatus{Zlecenie: zlecenie, AdresSkrytki: it.AdresSkrytki}, nil
}

// Collect collects the delivery order zlecenie on the addressee's behalf, as a person
// opening it in the ePUAP web interface would, and returns the UPD (see collect). The
// document stays in the box; collecting it again returns the same UPD. ErrNotFound when no delivery waits under that id.
func (s *Simulator) Collect(ctx context.Context, zlecenie string) ([]byte, error) {
	s.updMu.Lock()
	upd, ok := s.upds[zlecenie]
	s.updMu.Unlock()
	if ok {
		return upd, nil
	}
	it, err := s.findDelivery(ctx, func(it Item) bool { return it.Doreczenie.Zlecenie == zlecenie })
	if err != nil {
		return nil, fmt.Errorf("collect %s: %w", zlecenie, err)
	}
	return s.collect(ctx, it)
}
