package epuapsim

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"

	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// Kod values of the ob:Wyjatek in the simulator's faults. ePUAP publishes none, so these
// are the simulator's own.
const (
	KodBladZapytania    = 100 // malformed envelope or request, unknown operation
	KodBladPodpisu      = 110 // WS-Security: unsigned, badly signed, unregistered certificate
	KodBrakUprawnien    = 120 // the signing certificate is not registered for the podmiot named
	KodNieznanaSkrytka  = 200 // podmiot, box name and box address name no box
	KodNieznanySkrot    = 300 // no waiting document has that skrot
	KodNieznanyPlik     = 400 // FileRepo: no such file, or already downloaded
	KodNiepodpisany     = 500 // doręczyciel: the document (dorecz) or the UPD (odbierz) carries no signature
	KodNieznaneZlecenie = 600 // odbierz: no delivery awaiting collection in the podmiot's boxes matches the UPD
	KodBladSystemu      = 900 // the simulator failed
)

// maxRequest caps a pull request: they carry three or four short strings.
const maxRequest = 1 << 20

func obName(local string) xml.Name { return xml.Name{Space: schema.NS, Local: local} }

var pullService = &service{
	name:       "pull",
	wsdl:       schema.PullWSDL,
	maxRequest: maxRequest,
	ops: []operation{
		{schema.ActionOczekujaceDokumenty, obName("ZapytaniePullOczekujace"), (*Simulator).oczekujace},
		{schema.ActionPobierzNastepny, obName("ZapytaniePullPobierz"), (*Simulator).pobierzNastepny},
		{schema.ActionPotwierdzOdebranie, obName("ZapytaniePullPotwierdz"), (*Simulator).potwierdzOdebranie},
	},
}

// decodeQuery decodes a pull request body into v, checks that its signer may act for the
// podmiot it names and finds the box it names.
func (s *Simulator) decodeQuery(ctx context.Context, req *request, v any, q *schema.ZapytaniePull) (Box, error) {
	if err := req.env.DecodeBody(v); err != nil {
		return Box{}, badRequest(KodBladZapytania, "decode %s: %w", req.env.BodyName.Local, err)
	}
	if err := s.authorize(q.Podmiot, req.cert); err != nil {
		return Box{}, err
	}
	b, err := s.box(ctx, q.Podmiot, q.NazwaSkrytki, q.AdresSkrytki)
	if errors.Is(err, ErrUnknownBox) {
		return Box{}, badRequest(KodNieznanaSkrytka, "%w", err)
	}
	return b, err
}

func ok(komunikat string) schema.Status {
	return schema.Status{Kod: schema.StatusOK, Komunikat: komunikat}
}

func (s *Simulator) oczekujace(ctx context.Context, r *request) (xml.Name, any, error) {
	var req schema.ZapytaniePullOczekujace
	b, err := s.decodeQuery(ctx, r, &req, &req.ZapytaniePull)
	if err != nil {
		return xml.Name{}, nil, err
	}
	items, err := s.store.Items(ctx, b.Podmiot, b.Address)
	if err != nil {
		return xml.Name{}, nil, fmt.Errorf("oczekujaceDokumenty %s: %w", b.Address, err)
	}
	return xml.Name{Space: schema.NS, Local: "OdpowiedzPullOczekujace"},
		schema.OdpowiedzPullOczekujace{Status: ok("OK"), Oczekujace: len(items)}, nil
}

func (s *Simulator) pobierzNastepny(ctx context.Context, r *request) (xml.Name, any, error) {
	name := xml.Name{Space: schema.NS, Local: "OdpowiedzPullPobierz"}
	var req schema.ZapytaniePullPobierz
	b, err := s.decodeQuery(ctx, r, &req, &req.ZapytaniePull)
	if err != nil {
		return xml.Name{}, nil, err
	}
	items, err := s.store.Items(ctx, b.Podmiot, b.Address)
	if err != nil {
		return xml.Name{}, nil, fmt.Errorf("pobierzNastepny %s: %w", b.Address, err)
	}
	if len(items) == 0 {
		// Not schema-valid (every other element is required) but what ePUAP answers; see
		// the package comment.
		return name, schema.OdpowiedzPullPobierz{
			Status: schema.Status{Kod: schema.StatusNoDocument, Komunikat: "Brak dokumentów do pobrania"},
		}, nil
	}
	return name, answerOf(items[0]), nil
}

func answerOf(it Item) schema.OdpowiedzPullPobierz {
	sent := schema.DateTime{Time: it.DataNadania}
	nazwa, adres := it.NazwaSkrytki, it.AdresSkrytki
	odp := schema.Nillable{Value: it.AdresOdpowiedzi, Nil: it.AdresOdpowiedzi == ""}
	testowe := it.CzyTestowe
	dodatkowe := schema.Base64(it.DaneDodatkowe)
	return schema.OdpowiedzPullPobierz{
		Status: ok("OK"),
		DanePodmiotu: &schema.DanePodmiotu{
			Identyfikator: it.Sender.Identyfikator,
			TypOsoby:      it.Sender.TypOsoby,
			ImieSkrot:     it.Sender.ImieSkrot,
			NazwiskoNazwa: it.Sender.NazwiskoNazwa,
			NIP:           it.Sender.NIP,
			PESEL:         it.Sender.PESEL,
			REGON:         it.Sender.REGON,
			Zgoda:         it.Sender.Zgoda,
		},
		DaneNadawcy:     &schema.DaneNadawcy{Uzytkownik: it.Uzytkownik, System: it.System},
		DataNadania:     &sent,
		NazwaSkrytki:    &nazwa,
		AdresSkrytki:    &adres,
		AdresOdpowiedzi: &odp,
		CzyTestowe:      &testowe,
		DaneDodatkowe:   &dodatkowe,
		Dokument: &schema.Dokument{
			NazwaPliku: it.NazwaPliku,
			TypPliku:   it.TypPliku,
			Zawartosc:  it.Zawartosc,
		},
	}
}

func (s *Simulator) potwierdzOdebranie(ctx context.Context, r *request) (xml.Name, any, error) {
	var req schema.ZapytaniePullPotwierdz
	b, err := s.decodeQuery(ctx, r, &req, &req.ZapytaniePull)
	if err != nil {
		return xml.Name{}, nil, err
	}
	s.confirm.Lock()
	defer s.confirm.Unlock()
	items, err := s.store.Items(ctx, b.Podmiot, b.Address)
	if err != nil {
		return xml.Name{}, nil, fmt.Errorf("potwierdzOdebranie %s: %w", b.Address, err)
	}
	for _, it := range items {
		if !matches(req.Skrot, it.Zawartosc) {
			continue
		}
		if it.Doreczenie != nil {
			// The addressee has taken a delivery: ePUAP certifies it to the sender. The UPD
			// is issued before the item goes, so a failure leaves the item to confirm again.
			if _, err := s.collect(ctx, it); err != nil {
				return xml.Name{}, nil, fmt.Errorf("potwierdzOdebranie %s: %w", b.Address, err)
			}
		}
		if err := s.store.Remove(ctx, b.Podmiot, b.Address, it.Seq); err != nil {
			return xml.Name{}, nil, fmt.Errorf("potwierdzOdebranie %s: %w", b.Address, err)
		}
		if s.faults.Roll(func(f Faults) float64 { return f.Duplicate }) {
			// ePUAP delivering an item again after its confirmation: the same filing (sending
			// time, sender, content), at the end of the queue.
			if _, err := s.store.Append(ctx, it); err != nil {
				return xml.Name{}, nil, fmt.Errorf("potwierdzOdebranie %s: duplicate: %w", b.Address, err)
			}
		}
		return xml.Name{Space: schema.NS, Local: "OdpowiedzPullPotwierdz"},
			schema.OdpowiedzPullPotwierdz{Status: ok("OK")}, nil
	}
	return xml.Name{}, nil, badRequest(KodNieznanySkrot, "no document waiting in %s has skrot %q", b.Address, req.Skrot)
}
