package epuapsim

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/obieg/obieg/internal/soap"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// Kod values of the ob:Wyjatek in the simulator's faults. ePUAP publishes none, so these
// are the simulator's own.
const (
	KodBladZapytania   = 100 // malformed envelope or request, unknown operation
	KodNieznanaSkrytka = 200 // podmiot, box name and box address name no box
	KodNieznanySkrot   = 300 // no waiting document has that skrot
	KodBladSystemu     = 900 // the simulator failed
)

// maxRequest caps a pull request: they carry three or four short strings.
const maxRequest = 1 << 20

type operation struct {
	action  string
	element string
	serve   func(s *Simulator, ctx context.Context, env *soap.Envelope) (xml.Name, any, error)
}

var operations = []operation{
	{schema.ActionOczekujaceDokumenty, "ZapytaniePullOczekujace", (*Simulator).oczekujace},
	{schema.ActionPobierzNastepny, "ZapytaniePullPobierz", (*Simulator).pobierzNastepny},
	{schema.ActionPotwierdzOdebranie, "ZapytaniePullPotwierdz", (*Simulator).potwierdzOdebranie},
}

// requestError is a request the simulator refuses, answered with a Client fault.
type requestError struct {
	kod int
	err error
}

// Error and Unwrap make a requestError an error wrapping its cause.
func (e *requestError) Error() string { return e.err.Error() }
func (e *requestError) Unwrap() error { return e.err }

func badRequest(kod int, format string, args ...any) error {
	return &requestError{kod: kod, err: fmt.Errorf(format, args...)}
}

// pickOperation chooses the operation by SOAPAction, or by the body element when the
// action is empty; a non-empty action must agree with the body.
func pickOperation(action string, body xml.Name) (operation, error) {
	for _, op := range operations {
		if action != "" && action != op.action {
			continue
		}
		if body != (xml.Name{Space: schema.NS, Local: op.element}) {
			if action != "" {
				return operation{}, badRequest(KodBladZapytania, "SOAPAction %s needs a body of ob:%s, not {%s}%s", action, op.element, body.Space, body.Local)
			}
			continue
		}
		return op, nil
	}
	if action != "" {
		return operation{}, badRequest(KodBladZapytania, "unknown SOAPAction %q", action)
	}
	return operation{}, badRequest(KodBladZapytania, "unknown operation {%s}%s", body.Space, body.Local)
}

// parseRequest reads and checks a pull request up to dispatch: the envelope, its header,
// the operation. It is what FuzzParseRequest exercises.
func (s *Simulator) parseRequest(r *http.Request) (*soap.Envelope, operation, error) {
	env, err := soap.ReadMessage(r.Body, maxRequest)
	if err != nil {
		return nil, operation{}, badRequest(KodBladZapytania, "read request: %w", err)
	}
	if err := s.checkHeader(env); err != nil {
		return nil, operation{}, err
	}
	op, err := pickOperation(soap.Action(r), env.BodyName)
	if err != nil {
		return nil, operation{}, err
	}
	return env, op, nil
}

// checkHeader is where WS-Security will be verified (wsse:Security, X.509 token, signature
// over the body). For now any header, or none, is accepted.
func (s *Simulator) checkHeader(env *soap.Envelope) error {
	_ = env.Header
	return nil
}

func (s *Simulator) servePull(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		if r.URL.Query().Has("wsdl") || strings.EqualFold(r.URL.RawQuery, "wsdl") {
			s.serveWSDL(w, r, schema.PullWSDL)
			return
		}
		http.Error(w, "ePUAP pull service (SOAP 1.1); WSDL at ?wsdl", http.StatusMethodNotAllowed)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxRequest+1)
	env, op, err := s.parseRequest(r)
	if err == nil {
		var name xml.Name
		var resp any
		name, resp, err = op.serve(s, r.Context(), env)
		if err == nil {
			out, merr := soap.Marshal(name, resp)
			if merr == nil {
				soap.WriteMessage(w, http.StatusOK, out)
				return
			}
			err = merr
		}
	}
	s.writeFault(w, r, err)
}

func (s *Simulator) writeFault(w http.ResponseWriter, r *http.Request, err error) {
	var re *requestError
	var f *soap.Fault
	switch {
	case errors.As(err, &re):
		f = &soap.Fault{Code: soap.FaultClient, String: "Nieprawidłowe zapytanie", HasWyjatek: true, Kod: re.kod, Komunikat: re.Error()}
		s.log.InfoContext(r.Context(), "pull request refused", "action", soap.Action(r), "kod", f.Kod, "komunikat", f.Komunikat)
	default:
		s.log.ErrorContext(r.Context(), "pull request failed", "action", soap.Action(r), "err", err)
		f = &soap.Fault{Code: soap.FaultServer, String: "Błąd systemu", HasWyjatek: true, Kod: KodBladSystemu, Komunikat: "Wewnętrzny błąd symulatora ePUAP"}
	}
	soap.WriteFault(w, f)
}

// decodeQuery decodes a pull request body into v and finds the box it names.
func (s *Simulator) decodeQuery(ctx context.Context, env *soap.Envelope, v any, q *schema.ZapytaniePull) (Box, error) {
	if err := env.DecodeBody(v); err != nil {
		return Box{}, badRequest(KodBladZapytania, "decode %s: %w", env.BodyName.Local, err)
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

func (s *Simulator) oczekujace(ctx context.Context, env *soap.Envelope) (xml.Name, any, error) {
	var req schema.ZapytaniePullOczekujace
	b, err := s.decodeQuery(ctx, env, &req, &req.ZapytaniePull)
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

func (s *Simulator) pobierzNastepny(ctx context.Context, env *soap.Envelope) (xml.Name, any, error) {
	name := xml.Name{Space: schema.NS, Local: "OdpowiedzPullPobierz"}
	var req schema.ZapytaniePullPobierz
	b, err := s.decodeQuery(ctx, env, &req, &req.ZapytaniePull)
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

func (s *Simulator) potwierdzOdebranie(ctx context.Context, env *soap.Envelope) (xml.Name, any, error) {
	var req schema.ZapytaniePullPotwierdz
	b, err := s.decodeQuery(ctx, env, &req, &req.ZapytaniePull)
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
		if err := s.store.Remove(ctx, b.Podmiot, b.Address, it.Seq); err != nil {
			return xml.Name{}, nil, fmt.Errorf("potwierdzOdebranie %s: %w", b.Address, err)
		}
		return xml.Name{Space: schema.NS, Local: "OdpowiedzPullPotwierdz"},
			schema.OdpowiedzPullPotwierdz{Status: ok("OK")}, nil
	}
	return xml.Name{}, nil, badRequest(KodNieznanySkrot, "no document waiting in %s has skrot %q", b.Address, req.Skrot)
}
