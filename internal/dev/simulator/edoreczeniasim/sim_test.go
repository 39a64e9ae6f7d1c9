package edoreczeniasim_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/simulator/edoreczeniasim"
)

const (
	office  = "AE:PL-12345-67890-ABCDE-12" // the regional centre
	citizen = "AE:PL-54321-09876-EDCBA-21" // the addressee
	nobody  = "AE:PL-00000-00000-AAAAA-00" // no such mailbox
)

var allScopes = []string{edoreczeniasim.ScopeReadMessages, edoreczeniasim.ScopeWriteMessages,
	edoreczeniasim.ScopeReadSettings, edoreczeniasim.ScopeWriteSettings}

type env struct {
	sim  *edoreczeniasim.Simulator
	url  string
	http *http.Client
}

// newEnv starts a simulator with the office's and the citizen's mailboxes and clients
// "ezd" (all scopes, office) and "citizen-app" (read_messages, citizen), behind an HTTP
// server, with a client that checks every exchange against the OpenAPI document.
func newEnv(t testing.TB, opts ...edoreczeniasim.Option) *env {
	t.Helper()
	sim := edoreczeniasim.New(edoreczeniasim.NewMemStore(), time.Now, nil, opts...)
	ctx := context.Background()
	for _, a := range []string{office, citizen} {
		if _, err := sim.CreateMailbox(ctx, a, a); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []edoreczeniasim.Client{
		{ID: "ezd", Secret: "s3cret", Scopes: allScopes, Addresses: []string{office}},
		{ID: "reader", Secret: "r", Scopes: []string{edoreczeniasim.ScopeReadMessages}, Addresses: []string{office}},
		{ID: "citizen-app", Secret: "c", Scopes: []string{edoreczeniasim.ScopeReadMessages}, Addresses: []string{citizen}},
	} {
		if err := sim.RegisterClient(c); err != nil {
			t.Fatal(err)
		}
	}
	// One test server for both handlers, so that tests name the control routes by path; a
	// deployment serves ControlHandler on a listener of its own (TestControlRoutesApart).
	mux := http.NewServeMux()
	mux.Handle(edoreczeniasim.SimPrefix+"/", sim.ControlHandler())
	mux.Handle("/", sim.Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &env{sim: sim, url: srv.URL, http: &http.Client{Transport: &edoreczeniasim.Conforming{Report: func(err error) {
		t.Helper()
		t.Error(err)
	}}}}
}

// token obtains a bearer token for client id with HTTP Basic authentication.
func (e *env) token(t testing.TB, id, secret, scope string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	if scope != "" {
		form.Set("scope", scope)
	}
	req, _ := http.NewRequest(http.MethodPost, e.url+edoreczeniasim.TokenPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	resp, err := e.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("token for %s: got %s %s, want 200", id, resp.Status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.TokenType != "Bearer" {
		t.Fatalf("token for %s: %v, type %q", id, err, tok.TokenType)
	}
	return tok.AccessToken
}

// call makes an API request with bearer tok (none if empty) and a JSON body (none if nil);
// it returns the status and the body.
func (e *env) call(t testing.TB, tok, method, path string, body any) (int, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.url+path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := e.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// must is call expecting want; it decodes the answer into out (unless nil).
func (e *env) must(t testing.TB, want int, tok, method, path string, body, out any) {
	t.Helper()
	status, b := e.call(t, tok, method, path, body)
	if status != want {
		t.Fatalf("%s %s: got %d %s, want %d", method, path, status, b, want)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

func draftBody(to, subject string) map[string]any {
	return map[string]any{"messageMetadata": map[string]any{"shippingService": "electronic",
		"to": []any{map[string]string{"eDeliveryAddress": to}}, "subject": subject}, "textBody": "W załączeniu decyzja."}
}

func fileBody(name string, data []byte, hash string) map[string]any {
	return map[string]any{"fileMetadata": map[string]any{"fileId": "f-" + name, "filename": name,
		"contentType": "application/pdf", "size": len(data), "alg": "SHA-3", "hash": hash},
		"file": base64.StdEncoding.EncodeToString(data)}
}

type evidence struct {
	EvidenceID string    `json:"evidenceId"`
	Type       string    `json:"type"`
	EventDate  time.Time `json:"eventDate"`
	ReasonID   string    `json:"reasonId"`
}

// send sends a letter from the office to to and returns its message id, polling its task.
func (e *env) send(t testing.TB, tok, to string) string {
	t.Helper()
	p := edoreczeniasim.APIPrefix + "/" + office
	var d struct{ MessageID string }
	e.must(t, 200, tok, "POST", p+"/drafts", draftBody(to, "Decyzja w sprawie KDR"), &d)
	data := []byte("%PDF-1.7 decyzja")
	var fw struct {
		AttachmentID string `json:"attachmentId"`
	}
	e.must(t, 200, tok, "POST", p+"/drafts/"+d.MessageID+"/attachments", fileBody("decyzja.pdf", data, edoreczeniasim.Hash(data)), &fw)
	if fw.AttachmentID == "" {
		t.Fatal("no attachmentId")
	}
	var info struct{ MessageTaskID string }
	e.must(t, 202, tok, "POST", p+"/drafts/send", map[string]string{"messageId": d.MessageID}, &info)
	var st struct{ MessageTaskStatus string }
	e.must(t, 200, tok, "GET", p+"/messages/tasks/"+info.MessageTaskID+"/status", nil, &st)
	if st.MessageTaskStatus != "FINISHED" {
		t.Fatalf("task status: got %s, want FINISHED", st.MessageTaskStatus)
	}
	return d.MessageID
}

func (e *env) evidences(t testing.TB, tok, id string) []evidence {
	t.Helper()
	var w struct{ Evidences []evidence }
	e.must(t, 200, tok, "GET", edoreczeniasim.APIPrefix+"/"+office+"/messages/"+id+"/evidences", nil, &w)
	return w.Evidences
}

// callbacks records the bodies POSTed to it, checked against MessageStatement.
type callbacks struct {
	mu     sync.Mutex
	bodies []map[string]any
	srv    *httptest.Server
}

func newCallbacks(t testing.TB) *callbacks {
	t.Helper()
	c := &callbacks{}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if err := edoreczeniasim.CheckStatement(b); err != nil {
			t.Errorf("callback %s: %v", r.URL.Path, err)
		}
		var v map[string]any
		_ = json.Unmarshal(b, &v)
		v["path"] = r.URL.Path
		c.mu.Lock()
		c.bodies = append(c.bodies, v)
		c.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"OK"}`))
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *callbacks) got() []map[string]any {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]map[string]any(nil), c.bodies...)
}

// TestCollected: the citizen collects the letter three days after it was sent: the proof of
// receipt carries that date, the onEvidence callback names it and the message is Doręczona.
func TestCollected(t *testing.T) {
	e := newEnv(t)
	tok := e.token(t, "ezd", "s3cret", "")
	cb := newCallbacks(t)
	var sub struct{ SubscriptionID string }
	e.must(t, 200, tok, "PUT", edoreczeniasim.APIPrefix+"/"+office+"/message_subscriptions",
		map[string]string{"evidenceCallbackUrl": cb.srv.URL + "/evidence"}, &sub)
	var subs []map[string]any
	e.must(t, 200, tok, "GET", edoreczeniasim.APIPrefix+"/"+office+"/message_subscriptions", nil, &subs)
	if len(subs) != 1 || subs[0]["name"] != "onEvidence" || subs[0]["id"] != sub.SubscriptionID {
		t.Errorf("subscriptions: got %v, want one onEvidence %s", subs, sub.SubscriptionID)
	}

	id := e.send(t, tok, citizen)
	if err := e.sim.Advance(context.Background(), 3*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	collectedAt := e.sim.Now()
	resp, err := http.Post(e.url+edoreczeniasim.SimPrefix+"/mailboxes/"+citizen+"/messages/"+id+"/collect", "", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("collect: %v %v", err, resp.Status)
	}
	resp.Body.Close()
	resp, err = http.Get(e.url + edoreczeniasim.SimPrefix + "/mailboxes/" + citizen)
	if err != nil {
		t.Fatal(err)
	}
	var content struct {
		Messages []struct {
			ID     string
			Opened bool
		}
	}
	_ = json.NewDecoder(resp.Body).Decode(&content)
	resp.Body.Close()
	if len(content.Messages) != 1 || content.Messages[0].ID != id || !content.Messages[0].Opened {
		t.Errorf("citizen's mailbox: got %+v, want %s opened", content, id)
	}

	evs := e.evidences(t, tok, id)
	if len(evs) != 2 || evs[0].Type != "A.1" || evs[1].Type != "BP.OX" {
		t.Fatalf("evidences: got %+v, want A.1 then BP.OX", evs)
	}
	if got := evs[1].EventDate; got.Sub(collectedAt).Abs() > time.Second || evs[1].ReasonID != edoreczeniasim.ReasonCollected {
		t.Errorf("proof of receipt: got %s %s, want %s %s", got, evs[1].ReasonID, collectedAt, edoreczeniasim.ReasonCollected)
	}
	var msgs []struct {
		MessageControlData struct{ Status string }
		MessageMetadata    struct{ ReceiptDate time.Time }
	}
	e.must(t, 200, tok, "GET", edoreczeniasim.APIPrefix+"/"+office+"/messages/"+id+"?format=metadata", nil, &msgs)
	if len(msgs) != 1 || msgs[0].MessageControlData.Status != edoreczeniasim.StatusDelivered {
		t.Errorf("sent message: got %+v, want status %s", msgs, edoreczeniasim.StatusDelivered)
	}
	got := cb.got()
	if len(got) != 2 {
		t.Fatalf("callbacks: got %v, want 2 (A.1, BP.OX)", got)
	}
	n := got[1]["notification"].([]any)[0].(map[string]any)
	if got[1]["notificationType"] != "NewEvidence" || n["id"] != id || n["type"] != evs[1].EvidenceID {
		t.Errorf("onEvidence: got %v, want NewEvidence for %s, type %s", got[1], id, evs[1].EvidenceID)
	}
}

// TestDeemedDelivered: not collected, the letter is deemed delivered 14 days after it was
// made available, not a minute earlier; collecting it later changes nothing.
func TestDeemedDelivered(t *testing.T) {
	e := newEnv(t)
	tok := e.token(t, "ezd", "s3cret", "")
	id := e.send(t, tok, citizen)
	var msgs []struct {
		MessageControlData struct {
			Status        string
			DaysToReceive int
		}
		MessageMetadata struct{ SubmissionDate time.Time }
	}
	e.must(t, 200, tok, "GET", edoreczeniasim.APIPrefix+"/"+office+"/messages/"+id+"?format=metadata", nil, &msgs)
	if msgs[0].MessageControlData.Status != edoreczeniasim.StatusWaiting || msgs[0].MessageControlData.DaysToReceive != 14 {
		t.Errorf("after sending: got %+v, want %s, 14 days to receive", msgs[0].MessageControlData, edoreczeniasim.StatusWaiting)
	}
	available := msgs[0].MessageMetadata.SubmissionDate
	ctx := context.Background()
	if err := e.sim.Advance(ctx, 14*24*time.Hour-time.Minute); err != nil {
		t.Fatal(err)
	}
	if evs := e.evidences(t, tok, id); len(evs) != 1 {
		t.Fatalf("a minute before 14 days: got %+v, want only A.1", evs)
	}
	if err := e.sim.Advance(ctx, 2*time.Minute); err != nil {
		t.Fatal(err)
	}
	evs := e.evidences(t, tok, id)
	if len(evs) != 2 || evs[1].Type != "BP.OX" || evs[1].ReasonID != edoreczeniasim.ReasonDeemed {
		t.Fatalf("after 14 days: got %+v, want A.1 and BP.OX deemed", evs)
	}
	if want := available.Add(edoreczeniasim.DeemedAfter); !evs[1].EventDate.Equal(want) {
		t.Errorf("deemed delivered on %s, want %s", evs[1].EventDate, want)
	}
	if _, err := e.sim.Collect(ctx, citizen, id); err != nil {
		t.Fatal(err)
	}
	if evs := e.evidences(t, tok, id); len(evs) != 2 {
		t.Errorf("collected after deemed delivery: got %d evidences, want 2", len(evs))
	}
}

// TestReadFullCollects: the addressee's system reading the message in the full format opens
// it (the contract's definition of opening) and so collects it; the onMessage callback told
// it the message had arrived.
func TestReadFullCollects(t *testing.T) {
	e := newEnv(t)
	tok := e.token(t, "ezd", "s3cret", "")
	cb := newCallbacks(t)
	if _, err := e.sim.Subscribe(context.Background(), citizen, map[string]string{edoreczeniasim.CallbackOnMessage: cb.srv.URL + "/in"}); err != nil {
		t.Fatal(err)
	}
	id := e.send(t, tok, citizen)
	if got := cb.got(); len(got) != 1 || got[0]["notificationType"] != "NewMessage" {
		t.Fatalf("onMessage: got %v, want one NewMessage", got)
	}
	ctok := e.token(t, "citizen-app", "c", edoreczeniasim.ScopeReadMessages)
	var list struct {
		Messages []struct{ MessageMetadata struct{ MessageID string } }
		Total    int
	}
	e.must(t, 200, ctok, "GET", edoreczeniasim.APIPrefix+"/"+citizen+"/messages?label=INBOX&opened=false", nil, &list)
	if list.Total != 1 || list.Messages[0].MessageMetadata.MessageID != id {
		t.Fatalf("citizen's inbox: got %+v, want %s", list, id)
	}
	var msgs []struct {
		MessageControlData struct{ Opened bool }
		Attachments        []struct{ File struct{ File string } }
	}
	e.must(t, 200, ctok, "GET", edoreczeniasim.APIPrefix+"/"+citizen+"/messages/"+id+"?format=fullExtended", nil, &msgs)
	if !msgs[0].MessageControlData.Opened || len(msgs[0].Attachments) != 1 || msgs[0].Attachments[0].File.File == "" {
		t.Errorf("read fullExtended: got %+v, want opened with the attachment's content", msgs)
	}
	if evs := e.evidences(t, tok, id); len(evs) != 2 || evs[1].ReasonID != edoreczeniasim.ReasonCollected {
		t.Errorf("evidences: got %+v, want a proof of receipt", evs)
	}
}

// TestRejected: a letter to an address with no mailbox is rejected by its task, with A.2.
func TestRejected(t *testing.T) {
	e := newEnv(t)
	tok := e.token(t, "ezd", "s3cret", "")
	p := edoreczeniasim.APIPrefix + "/" + office
	var d struct{ MessageID string }
	e.must(t, 200, tok, "POST", p+"/drafts", draftBody(nobody, "Pismo"), &d)
	var info struct{ MessageTaskID string }
	e.must(t, 202, tok, "POST", p+"/drafts/send", map[string]string{"messageId": d.MessageID}, &info)
	var entries []map[string]any
	e.must(t, 200, tok, "GET", p+"/messages/tasks/"+info.MessageTaskID, nil, &entries)
	if len(entries) != 1 || entries[0]["status"] != edoreczeniasim.StatusRejected || entries[0]["error"] != "ADDRESSEE_NOT_FOUND" {
		t.Errorf("task: got %v, want rejected, ADDRESSEE_NOT_FOUND", entries)
	}
	if evs := e.evidences(t, tok, d.MessageID); len(evs) != 1 || evs[0].Type != "A.2" {
		t.Errorf("evidences: got %+v, want A.2", evs)
	}
}

// TestPendingTask: with a processing time the task is PENDING until it has passed.
func TestPendingTask(t *testing.T) {
	e := newEnv(t, edoreczeniasim.WithProcessing(time.Hour))
	tok := e.token(t, "ezd", "s3cret", "")
	p := edoreczeniasim.APIPrefix + "/" + office
	var d struct{ MessageID string }
	e.must(t, 200, tok, "POST", p+"/drafts", draftBody(citizen, "Pismo"), &d)
	var info struct{ MessageTaskID string }
	e.must(t, 202, tok, "POST", p+"/drafts/send", map[string]string{"messageId": d.MessageID}, &info)
	for _, tc := range []struct {
		advance time.Duration
		want    string
	}{{0, "PENDING"}, {59 * time.Minute, "PENDING"}, {time.Minute, "FINISHED"}} {
		if err := e.sim.Advance(context.Background(), tc.advance); err != nil {
			t.Fatal(err)
		}
		var st struct{ MessageTaskStatus string }
		e.must(t, 200, tok, "GET", p+"/messages/tasks/"+info.MessageTaskID+"/status", nil, &st)
		if st.MessageTaskStatus != tc.want {
			t.Errorf("after %s more: got %s, want %s", tc.advance, st.MessageTaskStatus, tc.want)
		}
	}
}

// TestRefused checks what the simulator refuses, and that its refusals follow the document.
func TestRefused(t *testing.T) {
	e := newEnv(t)
	tok := e.token(t, "ezd", "s3cret", "")
	reader := e.token(t, "reader", "r", "")
	p := edoreczeniasim.APIPrefix + "/" + office
	var d struct{ MessageID string }
	e.must(t, 200, tok, "POST", p+"/drafts", draftBody(citizen, "Pismo"), &d)
	data := []byte("treść")
	for _, tc := range []struct {
		name, tok, method, path string
		body                    any
		want                    int
		code                    string
	}{
		{"no token", "", "GET", p + "/messages", nil, 401, "invalid_token"},
		{"unknown token", "forged", "GET", p + "/messages", nil, 401, "invalid_token"},
		{"scope", reader, "POST", p + "/drafts", draftBody(citizen, "x"), 403, "insufficient_scope"},
		{"another mailbox", tok, "GET", edoreczeniasim.APIPrefix + "/" + citizen + "/messages", nil, 403, "access_denied"},
		{"bad hash", tok, "POST", p + "/drafts/" + d.MessageID + "/attachments", fileBody("a.pdf", data, edoreczeniasim.Hash([]byte("inna"))), 400, "INVALID_REQUEST"},
		{"sha-2", tok, "POST", p + "/drafts/" + d.MessageID + "/attachments", func() map[string]any {
			b := fileBody("a.pdf", data, edoreczeniasim.Hash(data))
			b["fileMetadata"].(map[string]any)["alg"] = "SHA-256"
			return b
		}(), 400, "INVALID_REQUEST"},
		{"no fileId", tok, "POST", p + "/drafts/" + d.MessageID + "/attachments", func() map[string]any {
			b := fileBody("a.pdf", data, edoreczeniasim.Hash(data))
			b["fileMetadata"].(map[string]any)["fileId"] = ""
			return b
		}(), 400, "INVALID_REQUEST"},
		{"unknown draft", tok, "POST", p + "/drafts/send", map[string]string{"messageId": "nope"}, 400, "NOT_FOUND"},
		{"bad addressee", tok, "POST", p + "/drafts", draftBody("jan@example.com", "x"), 400, "INVALID_REQUEST"},
		{"unknown message", tok, "GET", p + "/messages/nope/evidences", nil, 400, "NOT_FOUND"},
		{"unknown task", tok, "GET", p + "/messages/tasks/nope/status", nil, 400, "NOT_FOUND"},
		{"callback not a URL", tok, "PUT", p + "/message_subscriptions", map[string]string{"evidenceCallbackUrl": "/relative"}, 400, "INVALID_REQUEST"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, b := e.call(t, tc.tok, tc.method, tc.path, tc.body)
			var errs []struct{ Error string }
			_ = json.Unmarshal(b, &errs)
			if status != tc.want || len(errs) != 1 || errs[0].Error != tc.code {
				t.Errorf("got %d %s, want %d %s", status, b, tc.want, tc.code)
			}
		})
	}
}

// TestToken checks the token endpoint's refusals (RFC 6749 5.2).
func TestToken(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name       string
		form       url.Values
		user, pass string
		want       int
		code       string
	}{
		{"wrong secret", url.Values{"grant_type": {"client_credentials"}}, "ezd", "nope", 401, "invalid_client"},
		{"unknown client", url.Values{"grant_type": {"client_credentials"}}, "who", "x", 401, "invalid_client"},
		{"grant", url.Values{"grant_type": {"password"}}, "ezd", "s3cret", 400, "unsupported_grant_type"},
		{"scope not granted", url.Values{"grant_type": {"client_credentials"}, "scope": {"write_messages"}}, "reader", "r", 400, "invalid_scope"},
		{"secret in the body", url.Values{"grant_type": {"client_credentials"}, "client_id": {"ezd"}, "client_secret": {"s3cret"}}, "", "", 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", e.url+edoreczeniasim.TokenPath, strings.NewReader(tc.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.user != "" {
				req.SetBasicAuth(tc.user, tc.pass)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body struct{ Error string }
			_ = json.NewDecoder(resp.Body).Decode(&body)
			if resp.StatusCode != tc.want || body.Error != tc.code {
				t.Errorf("got %d %q, want %d %q", resp.StatusCode, body.Error, tc.want, tc.code)
			}
		})
	}
}

// TestUpload checks the multipart upload of large attachments: the simulator computes the
// hash, and refuses another algorithm or a wrong size.
func TestUpload(t *testing.T) {
	e := newEnv(t)
	tok := e.token(t, "ezd", "s3cret", "")
	p := edoreczeniasim.APIPrefix + "/" + office
	var d struct{ MessageID string }
	e.must(t, 200, tok, "POST", p+"/drafts", draftBody(citizen, "Akta"), &d)
	data := bytes.Repeat([]byte("akta "), 1000)
	for _, tc := range []struct {
		name       string
		alg, size  string
		want       int
		wantHashOf []byte
	}{
		{"whole", "SHA-3", "5000", 200, data},
		{"no alg nor size", "", "", 200, data},
		{"SHA-256", "SHA-256", "", 400, nil},
		{"wrong size", "SHA-3", "4999", 400, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			_ = mw.WriteField("filename", "akta.txt")
			_ = mw.WriteField("contentType", "text/plain")
			if tc.alg != "" {
				_ = mw.WriteField("alg", tc.alg)
			}
			if tc.size != "" {
				_ = mw.WriteField("size", tc.size)
			}
			fw, _ := mw.CreateFormFile("file", "akta.txt")
			_, _ = fw.Write(data)
			_ = mw.Close()
			req, _ := http.NewRequest("POST", e.url+p+"/"+d.MessageID+"/attachments/upload", &body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := e.http.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var fw2 struct {
				FileMetadata struct{ Hash string }
			}
			_ = json.NewDecoder(resp.Body).Decode(&fw2)
			if resp.StatusCode != tc.want {
				t.Fatalf("got %s, want %d", resp.Status, tc.want)
			}
			if tc.wantHashOf != nil && fw2.FileMetadata.Hash != edoreczeniasim.Hash(tc.wantHashOf) {
				t.Errorf("got hash %q, want %q", fw2.FileMetadata.Hash, edoreczeniasim.Hash(tc.wantHashOf))
			}
		})
	}
}

// TestSubscriptionSwitch: a subscription switched off gets no callback; deleted, it is gone.
func TestSubscriptionSwitch(t *testing.T) {
	e := newEnv(t)
	tok := e.token(t, "ezd", "s3cret", "")
	cb := newCallbacks(t)
	p := edoreczeniasim.APIPrefix + "/" + office + "/message_subscriptions"
	var sub struct{ SubscriptionID string }
	e.must(t, 200, tok, "PUT", p, map[string]string{"evidenceCallbackUrl": cb.srv.URL}, &sub)
	e.must(t, 200, tok, "PATCH", p, map[string]any{"subscriptionId": sub.SubscriptionID, "status": false}, nil)
	var subs []struct{ Status bool }
	e.must(t, 200, tok, "GET", p, nil, &subs)
	if len(subs) != 1 || subs[0].Status {
		t.Errorf("after switching off: got %+v, want one, off", subs)
	}
	e.send(t, tok, citizen)
	if got := cb.got(); len(got) != 0 {
		t.Errorf("switched off: got callbacks %v, want none", got)
	}
	e.must(t, 200, tok, "DELETE", p, nil, nil)
	e.must(t, 200, tok, "GET", p, nil, &subs)
	if len(subs) != 0 {
		t.Errorf("after deleting: got %+v, want none", subs)
	}
	if status, _ := e.call(t, tok, "PATCH", p, map[string]any{"subscriptionId": sub.SubscriptionID, "status": true}); status != 400 {
		t.Errorf("switching a deleted subscription: got %d, want 400", status)
	}
}
