package edoreczenia_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/adapters/edoreczenia"
	"github.com/obieg/obieg/internal/dev/simulator/edoreczeniasim"
	"github.com/obieg/obieg/internal/domain/problem"
)

const (
	office  = "AE:PL-12345-67890-ABCDE-12"
	citizen = "AE:PL-54321-09876-EDCBA-21"
	nobody  = "AE:PL-00000-00000-AAAAA-00"
)

type env struct {
	sim   *edoreczeniasim.Simulator
	store *edoreczeniasim.MemStore
	url   string
	polls atomic.Int64 // requests to a task's status
}

// countPolls counts the task status requests that pass through it.
type countPolls struct {
	e    *env
	next http.RoundTripper
}

func (c countPolls) RoundTrip(r *http.Request) (*http.Response, error) {
	if len(r.URL.Path) > 7 && r.URL.Path[len(r.URL.Path)-7:] == "/status" {
		c.e.polls.Add(1)
	}
	return c.next.RoundTrip(r)
}

// newEnv starts a simulator with the office's and the citizen's mailboxes and the office's
// EZD registered as client "ezd".
func newEnv(t testing.TB, opts ...edoreczeniasim.Option) *env {
	t.Helper()
	store := edoreczeniasim.NewMemStore()
	sim := edoreczeniasim.New(store, time.Now, nil, opts...)
	for _, a := range []string{office, citizen} {
		if _, err := sim.CreateMailbox(context.Background(), a, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := sim.RegisterClient(edoreczeniasim.Client{ID: "ezd", Secret: "s3cret", Addresses: []string{office},
		Scopes: []string{edoreczenia.ScopeReadMessages, edoreczenia.ScopeWriteMessages, edoreczenia.ScopeReadSettings, edoreczenia.ScopeWriteSettings}}); err != nil {
		t.Fatal(err)
	}
	if err := sim.RegisterClient(edoreczeniasim.Client{ID: "reader", Secret: "r", Addresses: []string{office},
		Scopes: []string{edoreczenia.ScopeReadMessages}}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	return &env{sim: sim, store: store, url: srv.URL}
}

// client returns a client of the office's mailbox whose every exchange is checked against
// the OpenAPI document; it polls from 5ms.
func (e *env) client(t testing.TB, id, secret string) *edoreczenia.Client {
	t.Helper()
	hc := &http.Client{Timeout: 10 * time.Second, Transport: countPolls{e, &edoreczeniasim.Conforming{Report: func(err error) { t.Error(err) }}}}
	c, err := edoreczenia.New(edoreczenia.Config{BaseURL: e.url + edoreczeniasim.APIPrefix, TokenURL: e.url + edoreczeniasim.TokenPath,
		ClientID: id, ClientSecret: secret, Address: office, HTTPClient: hc,
		Poll: edoreczenia.Backoff{Initial: 5 * time.Millisecond, Max: 200 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var letter = edoreczenia.Message{Recipient: citizen, Subject: "Decyzja w sprawie Karty Dużej Rodziny", Text: "W załączeniu decyzja.",
	Attachments: []edoreczenia.Attachment{
		{Name: "decyzja.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.7 decyzja")},
		{Name: "decyzja.xml", ContentType: "application/xml", Data: []byte("<decyzja/>")},
	}}

// TestDelivery sends a letter; the citizen collects it or not: the proof of receipt has the
// collection date, or the date 14 days after availability.
func TestDelivery(t *testing.T) {
	for _, tc := range []struct {
		name    string
		collect time.Duration // after sending; 0: never
		deemed  bool
	}{
		{"collected after 3 days", 3 * 24 * time.Hour, false},
		{"collected on the last day", 14*24*time.Hour - time.Hour, false},
		{"not collected", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.client(t, "ezd", "s3cret")
			ctx := context.Background()
			sent, err := c.Send(ctx, letter)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			sentAt := e.sim.Now()
			evs, err := c.Evidences(ctx, sent.MessageID)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := edoreczenia.Delivered(evs); ok || len(evs) != 1 || evs[0].Type != edoreczenia.TypeSubmissionAcceptance {
				t.Fatalf("after sending: got %+v, want A.1 only", evs)
			}
			if st, err := c.State(ctx, sent.MessageID); err != nil || st.Delivered || st.DaysToReceive != 14 {
				t.Errorf("after sending: got state %+v %v, want waiting, 14 days to receive", st, err)
			}
			var want time.Time
			if tc.collect > 0 {
				if err := e.sim.Advance(ctx, tc.collect); err != nil {
					t.Fatal(err)
				}
				want = e.sim.Now()
				if _, err := e.sim.Collect(ctx, citizen, sent.MessageID); err != nil {
					t.Fatal(err)
				}
			}
			if err := e.sim.Advance(ctx, 15*24*time.Hour); err != nil {
				t.Fatal(err)
			}
			if evs, err = c.Evidences(ctx, sent.MessageID); err != nil {
				t.Fatal(err)
			}
			d, ok := edoreczenia.Delivered(evs)
			if !ok {
				t.Fatalf("got no proof of receipt in %+v", evs)
			}
			if tc.deemed {
				want = evs[0].Event.Add(edoreczeniasim.DeemedAfter)
				if want.Sub(sentAt.Add(14*24*time.Hour)).Abs() > time.Second {
					t.Errorf("available %s, sent %s: want them the same", evs[0].Event, sentAt)
				}
			}
			if d.Deemed != tc.deemed || d.Date.Sub(want).Abs() > time.Second {
				t.Errorf("got delivery %+v, want %s deemed=%v", d, want, tc.deemed)
			}
			st, err := c.State(ctx, sent.MessageID)
			if err != nil {
				t.Fatal(err)
			}
			if !st.Delivered || st.Deemed != tc.deemed || !st.ReceiptDate.Equal(d.Date) {
				t.Errorf("got state %+v, want delivered on %s, deemed=%v", st, d.Date, tc.deemed)
			}
			doc, err := c.EvidenceFile(ctx, edoreczenia.MessageTypePURDE, d.EvidenceID)
			if err != nil {
				t.Fatalf("EvidenceFile: %v", err)
			}
			if !bytes.Contains(doc, []byte(sent.MessageID)) || !bytes.Contains(doc, []byte(d.EvidenceID)) {
				t.Errorf("the proof of receipt does not name message %s and evidence %s:\n%s", sent.MessageID, d.EvidenceID, doc)
			}
			if _, err := c.EvidenceFile(ctx, edoreczenia.MessageTypePURDE, "no-such-evidence"); !errors.Is(err, edoreczenia.ErrNotFound) {
				t.Errorf("an unknown evidence: got %v, want ErrNotFound", err)
			}
		})
	}
}

// TestCallback: the office subscribes to onEvidence; the proof of receipt comes to it.
func TestCallback(t *testing.T) {
	e := newEnv(t)
	c := e.client(t, "ezd", "s3cret")
	ctx := context.Background()
	var mu sync.Mutex
	var got []edoreczenia.Statement
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := edoreczenia.ParseStatement(r.Body)
		if err != nil {
			t.Error(err)
		}
		mu.Lock()
		got = append(got, s)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"OK"}`))
	}))
	t.Cleanup(cb.Close)
	if id, err := c.Subscribe(ctx, cb.URL+"/edoreczenia/evidence", edoreczenia.OnEvidence); err != nil || id == "" {
		t.Fatalf("Subscribe: %q %v", id, err)
	}
	sent, err := c.Send(ctx, letter)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.sim.Collect(ctx, citizen, sent.MessageID); err != nil {
		t.Fatal(err)
	}
	evs, err := c.Evidences(ctx, sent.MessageID)
	if err != nil {
		t.Fatal(err)
	}
	d, ok := edoreczenia.Delivered(evs)
	if !ok {
		t.Fatalf("no proof of receipt in %+v", evs)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 {
		t.Fatalf("callbacks: got %d, want 2 (A.1, proof of receipt)", len(got))
	}
	last := got[1]
	if last.EDeliveryAddress != office || last.NotificationType != "NewEvidence" || len(last.Notification) != 1 ||
		last.Notification[0].ID != sent.MessageID || last.Notification[0].Type != d.EvidenceID {
		t.Errorf("onEvidence: got %+v, want NewEvidence for %s, evidence %s", last, sent.MessageID, d.EvidenceID)
	}
}

// TestBackoff: a task that takes 300ms is polled a handful of times, not in a loop.
func TestBackoff(t *testing.T) {
	e := newEnv(t, edoreczeniasim.WithProcessing(300*time.Millisecond))
	c := e.client(t, "ezd", "s3cret")
	start := time.Now()
	if _, err := c.Send(context.Background(), letter); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < 300*time.Millisecond {
		t.Errorf("Send returned after %s, before the task could finish", took)
	}
	// 5ms doubling to 200ms, drawn from the upper half: at most ~11 polls before 300ms pass,
	// plus the one that sees FINISHED.
	if n := e.polls.Load(); n < 2 || n > 12 {
		t.Errorf("got %d polls, want between 2 and 12", n)
	}
}

// TestErrors checks the kinds of errors.
func TestErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		client *edoreczenia.Client
		run    func(*edoreczenia.Client) error
		want   error
		kind   problem.Kind
	}{
		{"wrong secret", e.client(t, "ezd", "nope"), func(c *edoreczenia.Client) error { _, err := c.Send(ctx, letter); return err }, edoreczenia.ErrUnauthorized, problem.Internal},
		{"no write scope", e.client(t, "reader", "r"), func(c *edoreczenia.Client) error { _, err := c.Send(ctx, letter); return err }, edoreczenia.ErrForbidden, problem.Internal},
		{"no such mailbox", e.client(t, "ezd", "s3cret"), func(c *edoreczenia.Client) error {
			m := letter
			m.Recipient = nobody
			_, err := c.Send(ctx, m)
			var re *edoreczenia.RejectedError
			if errors.As(err, &re) && (re.Addressee != nobody || re.Code != "ADDRESSEE_NOT_FOUND") {
				t.Errorf("got %+v, want addressee %s, ADDRESSEE_NOT_FOUND", re, nobody)
			}
			return err
		}, edoreczenia.ErrRejected, problem.Refused},
		{"not an address", e.client(t, "ezd", "s3cret"), func(c *edoreczenia.Client) error {
			m := letter
			m.Recipient = "jan@example.com"
			_, err := c.Send(ctx, m)
			return err
		}, edoreczenia.ErrInvalid, problem.Invalid},
		{"text over 5000 characters", e.client(t, "ezd", "s3cret"), func(c *edoreczenia.Client) error {
			m := letter
			m.Text = strings.Repeat("ą", edoreczenia.MaxTextBody+1)
			_, err := c.Draft(ctx, m)
			return err
		}, edoreczenia.ErrInvalid, problem.Invalid},
		{"unknown message", e.client(t, "ezd", "s3cret"), func(c *edoreczenia.Client) error { _, err := c.Evidences(ctx, "nope"); return err }, edoreczenia.ErrNotFound, problem.NotFound},
		{"unknown event", e.client(t, "ezd", "s3cret"), func(c *edoreczenia.Client) error {
			_, err := c.Subscribe(ctx, "http://x.invalid/", "onEverything")
			return err
		}, edoreczenia.ErrInvalid, problem.Invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run(tc.client)
			if !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
			if got := problem.KindOf(err); got != tc.kind {
				t.Errorf("got kind %v, want %v", got, tc.kind)
			}
			// A clerk is told in Polish; a refused token or scope names what to check.
			msg := edoreczenia.Explain(err)
			if (tc.want == edoreczenia.ErrUnauthorized && !strings.Contains(msg, "danych logowania")) ||
				(tc.want == edoreczenia.ErrForbidden && !strings.Contains(msg, "zakresu")) || msg == "" {
				t.Errorf("Explain: got %q", msg)
			}
		})
	}
}

// TestPolishText: 2,600 Polish letters are 5,200 bytes but 2,600 characters, within the
// contract's maxLength of textBody.
func TestPolishText(t *testing.T) {
	e := newEnv(t)
	m := letter
	m.Text = strings.Repeat("ż", 2600)
	if _, err := e.client(t, "ezd", "s3cret").Send(context.Background(), m); err != nil {
		t.Errorf("Send: %v", err)
	}
}

// TestOverloaded: a service answering 503 is ErrTransient to Send; once it recovers,
// sending works again.
func TestOverloaded(t *testing.T) {
	e := newEnv(t, edoreczeniasim.WithProcessing(100*time.Millisecond))
	c := e.client(t, "ezd", "s3cret")
	ctx := context.Background()
	e.sim.SetFaults(edoreczeniasim.Faults{Error503: 1})
	if _, err := c.Send(ctx, letter); !errors.Is(err, edoreczenia.ErrTransient) {
		t.Fatalf("Send to a failing service: got %v, want ErrTransient", err)
	}
	e.sim.SetFaults(edoreczeniasim.Faults{})
	sent, err := c.Send(ctx, edoreczenia.Message{Recipient: citizen, Subject: "Pismo"})
	if err != nil {
		t.Fatal(err)
	}
	if sent.MessageID == "" || sent.Status != "Czeka na doręczenie" {
		t.Errorf("got %+v, want a message waiting for delivery", sent)
	}
}

// TestWaitThroughFaults: while the service answers half the requests with 503, Wait keeps
// polling (with backoff) until it learns the task's outcome.
func TestWaitThroughFaults(t *testing.T) {
	e := newEnv(t, edoreczeniasim.WithProcessing(50*time.Millisecond))
	c := e.client(t, "ezd", "s3cret")
	ctx := context.Background()
	d, err := e.sim.CreateDraft(ctx, office, edoreczeniasim.Draft{To: citizen, Subject: "Pismo"})
	if err != nil {
		t.Fatal(err)
	}
	task, err := e.sim.SendDraft(ctx, office, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.sim.SetFaults(edoreczeniasim.Faults{Error503: 0.5, Seed: 3})
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	sent, err := c.Wait(ctx, d.ID, task.ID)
	if err != nil || sent.MessageID != d.ID {
		t.Fatalf("Wait: got %+v %v, want message %s", sent, err, d.ID)
	}
}

// TestLargeAttachment: an attachment over 15 MB goes through the multipart upload and
// arrives whole beside a small one.
func TestLargeAttachment(t *testing.T) {
	e := newEnv(t)
	c := e.client(t, "ezd", "s3cret")
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<20) // 16 MiB
	big[len(big)-1] = 'X'
	m := letter
	m.Attachments = append(slices.Clone(letter.Attachments), edoreczenia.Attachment{Name: "akta.zip", ContentType: "application/zip", Data: big})
	sent, err := c.Send(context.Background(), m)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	got, err := e.store.Message(context.Background(), citizen, sent.MessageID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Attachments) != 3 || !bytes.Equal(got.Attachments[2].Data, big) || got.Attachments[2].Hash != edoreczeniasim.Hash(big) {
		t.Errorf("got %d attachments, the last %d bytes, want 3, the last %d bytes", len(got.Attachments), len(got.Attachments[len(got.Attachments)-1].Data), len(big))
	}
}

// TestSteps: the steps of Send resume as an activity retrying would: a draft sent twice is
// ErrNotFound the second time, Wait can be repeated, and the case reference travels.
func TestSteps(t *testing.T) {
	e := newEnv(t)
	c := e.client(t, "ezd", "s3cret")
	ctx := context.Background()
	m := letter
	m.CaseID = "ROPS-SP.5211.7.2026"
	draftID, err := c.Draft(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	taskID, err := c.SendDraft(ctx, draftID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SendDraft(ctx, draftID); !errors.Is(err, edoreczenia.ErrNotFound) {
		t.Errorf("sending the draft again: got %v, want ErrNotFound", err)
	}
	for i := range 2 {
		sent, err := c.Wait(ctx, draftID, taskID)
		if err != nil || sent.MessageID != draftID || sent.TaskID != taskID {
			t.Errorf("Wait %d: got %+v %v, want message %s, task %s", i, sent, err, draftID, taskID)
		}
	}
	got, err := e.store.Message(ctx, citizen, draftID)
	if err != nil || got.CaseID != m.CaseID {
		t.Errorf("delivered message: got case %q %v, want %q", got.CaseID, err, m.CaseID)
	}
}

// TestInbox: letters a citizen sends to the office are listed oldest first without being
// opened, and read whole, attachments checked, when opened; the listing can start at a
// submission time.
func TestInbox(t *testing.T) {
	e := newEnv(t)
	c := e.client(t, "ezd", "s3cret")
	ctx := context.Background()
	form := []byte(`<?xml version="1.0"?><wnio:Dokument xmlns:wnio="http://crd.gov.pl/wzor/2013/12/12/1410/"/>`)
	first, err := e.sim.Post(ctx, citizen, edoreczeniasim.Draft{To: office, Subject: "Wniosek o kartę", Text: "W załączeniu wniosek."},
		edoreczeniasim.Attachment{Name: "wniosek.xml", ContentType: "application/xml", Data: form})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.sim.Advance(ctx, time.Minute); err != nil {
		t.Fatal(err)
	}
	second, err := e.sim.Post(ctx, citizen, edoreczeniasim.Draft{To: office, Subject: "Skarga", Text: "Skarżę się na opieszałość."})
	if err != nil {
		t.Fatal(err)
	}
	list, err := c.Inbox(ctx, time.Time{}, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].MessageID != first.ID || list[1].MessageID != second.ID || list[0].From != citizen || list[0].Subject != "Wniosek o kartę" {
		t.Fatalf("inbox %+v, want the two letters oldest first", list)
	}
	later, err := c.Inbox(ctx, list[1].SubmissionDate, 0, 10)
	if err != nil || len(later) != 1 || later[0].MessageID != second.ID {
		t.Errorf("inbox from %s: %+v, %v; want the second letter", list[1].SubmissionDate, later, err)
	}
	in, err := c.Open(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if in.From != citizen || in.Text != "W załączeniu wniosek." || len(in.Attachments) != 1 || !bytes.Equal(in.Attachments[0].Data, form) ||
		in.Attachments[0].Name != "wniosek.xml" || len(in.Raw) == 0 {
		t.Errorf("opened %+v", in)
	}
	// The attachment was downloaded on its own: the message's answer kept does not carry it.
	if bytes.Contains(in.Raw, []byte(base64.StdEncoding.EncodeToString(form))) || in.Attachments[0].ID == "" {
		t.Errorf("the answer kept carries the attachment's content, or the attachment has no id: %s", in.Raw)
	}
	// Opened, the citizen's copy has its proof of receipt; opening again is allowed.
	if _, err := c.Open(ctx, first.ID); err != nil {
		t.Errorf("second Open: %v", err)
	}
	if _, err := c.Open(ctx, "no-such-message"); !errors.Is(err, edoreczenia.ErrNotFound) {
		t.Errorf("Open of an unknown message: %v, want ErrNotFound", err)
	}
}

// TestEvidenceFileTooLarge: a document over MaxEvidenceFile is refused, not read whole.
func TestEvidenceFileTooLarge(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"access_token":"t","token_type":"Bearer","expires_in":3600}`))
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(bytes.Repeat([]byte("x"), edoreczenia.MaxEvidenceFile+1))
	}))
	t.Cleanup(srv.Close)
	c, err := edoreczenia.New(edoreczenia.Config{BaseURL: srv.URL + "/api/v1", TokenURL: srv.URL + "/token",
		ClientID: "id", ClientSecret: "secret", Address: office})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.EvidenceFile(context.Background(), edoreczenia.MessageTypePURDE, "e"); !errors.Is(err, edoreczenia.ErrTooLarge) {
		t.Errorf("got %v, want ErrTooLarge", err)
	}
}
