package edoreczeniasim

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// SimPrefix is where the simulator's own routes live (no token needed: a development tool).
const SimPrefix = "/sim/edoreczenia"

func (s *Simulator) simRoutes(mux *http.ServeMux) {
	mux.HandleFunc("PUT "+SimPrefix+"/mailboxes/{address}", s.handleSimMailbox)
	mux.HandleFunc("GET "+SimPrefix+"/mailboxes/{address}", s.handleSimMailboxContent)
	mux.HandleFunc("POST "+SimPrefix+"/mailboxes/{address}/messages/{messageId}/collect", s.handleSimCollect)
	mux.HandleFunc("PUT "+SimPrefix+"/clients/{clientId}", s.handleSimClient)
	mux.HandleFunc("GET "+SimPrefix+"/clock", s.handleSimClock)
	mux.HandleFunc("POST "+SimPrefix+"/clock/advance", s.handleSimAdvance)
	mux.HandleFunc("GET "+SimPrefix+"/faults", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, faultsJSON(s.Faults()))
	})
	mux.HandleFunc("PUT "+SimPrefix+"/faults", s.handleSimFaults)
}

// simFail answers an error of a simulator route as plain JSON {"error": ...}.
func (s *Simulator) simFail(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusBadRequest
	switch {
	case errors.Is(err, ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, ErrInvalid):
	default:
		s.log.Error("simulator request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

func (s *Simulator) simDecode(w http.ResponseWriter, r *http.Request, v any) error {
	b, err := readAll(w, r)
	if err != nil {
		return fmt.Errorf("read body: %v: %w", err, ErrInvalid)
	}
	if len(b) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("body: %v: %w", err, ErrInvalid)
	}
	return nil
}

// handleSimMailbox creates a mailbox: PUT /sim/edoreczenia/mailboxes/{address}, body
// {"name": "..."} (optional).
func (s *Simulator) handleSimMailbox(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name string `json:"name"`
	}
	if err := s.simDecode(w, r, &body); err != nil {
		s.simFail(w, r, err)
		return
	}
	m, err := s.CreateMailbox(r.Context(), r.PathValue("address"), body.Name)
	if err != nil {
		s.simFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

// handleSimCollect is the addressee opening a received item (Collect).
func (s *Simulator) handleSimCollect(w http.ResponseWriter, r *http.Request) {
	m, err := s.Collect(r.Context(), r.PathValue("address"), r.PathValue("messageId"))
	if err != nil {
		s.simFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"messageId": m.ID, "opened": m.Opened, "status": m.Status, "received": m.Received})
}

// handleSimClient registers an API client: PUT /sim/edoreczenia/clients/{clientId}, body
// {"secret": "...", "scopes": [...], "addresses": [...]}, or, instead of "secret",
// "publicKey": a PEM certificate or PKIX public key verifying the client's assertions.
func (s *Simulator) handleSimClient(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Secret    string   `json:"secret"`
		PublicKey string   `json:"publicKey"`
		Scopes    []string `json:"scopes"`
		Addresses []string `json:"addresses"`
	}
	if err := s.simDecode(w, r, &body); err != nil {
		s.simFail(w, r, err)
		return
	}
	c := Client{ID: r.PathValue("clientId"), Secret: body.Secret, Scopes: body.Scopes, Addresses: body.Addresses}
	if body.PublicKey != "" {
		k, err := ParsePublicKey([]byte(body.PublicKey))
		if err != nil {
			s.simFail(w, r, err)
			return
		}
		c.PublicKey = k
	}
	if err := s.RegisterClient(c); err != nil {
		s.simFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"clientId": c.ID, "scopes": c.Scopes, "addresses": c.Addresses})
}

func (s *Simulator) handleSimClock(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]time.Time{"now": s.Now()})
}

// handleSimAdvance moves the clock: POST /sim/edoreczenia/clock/advance?by=336h.
func (s *Simulator) handleSimAdvance(w http.ResponseWriter, r *http.Request) {
	d, err := time.ParseDuration(r.URL.Query().Get("by"))
	if err != nil {
		s.simFail(w, r, fmt.Errorf("by: want a duration such as 336h: %w", ErrInvalid))
		return
	}
	if err := s.Advance(r.Context(), d); err != nil {
		s.simFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]time.Time{"now": s.Now()})
}

type faultsBody struct {
	Latency  string  `json:"latency"`
	Error503 float64 `json:"error503"`
	Seed     uint64  `json:"seed"`
}

func faultsJSON(f Faults) faultsBody {
	return faultsBody{Latency: f.Latency.String(), Error503: f.Error503, Seed: f.Seed}
}

func (s *Simulator) handleSimFaults(w http.ResponseWriter, r *http.Request) {
	var body faultsBody
	if err := s.simDecode(w, r, &body); err != nil {
		s.simFail(w, r, err)
		return
	}
	var f Faults
	if body.Latency != "" {
		d, err := time.ParseDuration(body.Latency)
		if err != nil || d < 0 {
			s.simFail(w, r, fmt.Errorf("latency %q: %w", body.Latency, ErrInvalid))
			return
		}
		f.Latency = d
	}
	if body.Error503 < 0 || body.Error503 > 1 {
		s.simFail(w, r, fmt.Errorf("error503 must be in [0, 1]: %w", ErrInvalid))
		return
	}
	f.Error503, f.Seed = body.Error503, body.Seed
	s.SetFaults(f)
	writeJSON(w, http.StatusOK, faultsJSON(f))
}

// handleSimMailboxContent lists a mailbox's messages (no attachment content), so that a
// developer finds the id to collect: GET /sim/edoreczenia/mailboxes/{address}.
func (s *Simulator) handleSimMailboxContent(w http.ResponseWriter, r *http.Request) {
	if err := s.Tick(r.Context()); err != nil {
		s.simFail(w, r, err)
		return
	}
	ctx := r.Context()
	mb, err := s.store.Mailbox(ctx, r.PathValue("address"))
	if err != nil {
		s.simFail(w, r, fmt.Errorf("mailbox: %w", err))
		return
	}
	msgs, err := s.store.Messages(ctx, mb.Address)
	if err != nil {
		s.simFail(w, r, err)
		return
	}
	type item struct {
		ID          string     `json:"id"`
		Label       string     `json:"label"`
		From        string     `json:"from"`
		To          string     `json:"to"`
		Subject     string     `json:"subject"`
		CaseID      string     `json:"caseId,omitempty"`
		Status      string     `json:"status,omitempty"`
		Opened      bool       `json:"opened"`
		Available   time.Time  `json:"available,omitzero"`
		Received    time.Time  `json:"received,omitzero"`
		Attachments []string   `json:"attachments,omitempty"`
		Evidences   []Evidence `json:"evidences,omitempty"`
	}
	out := struct {
		Mailbox  Mailbox `json:"mailbox"`
		Messages []item  `json:"messages"`
	}{Mailbox: mb, Messages: []item{}}
	for _, m := range msgs {
		it := item{ID: m.ID, Label: m.Label, From: m.From, To: m.To, Subject: m.Subject, CaseID: m.CaseID, Status: m.Status,
			Opened: m.Opened, Available: m.Available, Received: m.Received, Evidences: m.Evidences}
		for _, a := range m.Attachments {
			it.Attachments = append(it.Attachments, a.Name)
		}
		for i := range it.Evidences {
			it.Evidences[i].File = nil // its document is downloaded through the API
		}
		out.Messages = append(out.Messages, it)
	}
	writeJSON(w, http.StatusOK, out)
}
