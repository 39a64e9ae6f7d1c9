package edoreczeniasim_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/simulator/edoreczeniasim"
)

// receiver records callbacks by path (/{kind}) and answers each with the next status of
// its script (200 once the script is spent).
type receiver struct {
	t      testing.TB
	mu     sync.Mutex
	script []int
	got    []call
	srv    *httptest.Server
}

type call struct {
	kind, notificationID string
	body                 []byte
	status               int
}

func newReceiver(t testing.TB, script ...int) *receiver {
	rc := &receiver{t: t, script: script}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		kind := r.URL.Path[1:]
		if err := edoreczeniasim.CheckCallback(kind, b); err != nil {
			t.Errorf("callback %s: %v\n%s", kind, err, b)
		}
		rc.mu.Lock()
		status := http.StatusOK
		if len(rc.script) > 0 {
			status, rc.script = rc.script[0], rc.script[1:]
		}
		rc.got = append(rc.got, call{kind, r.Header.Get("Notification-Id"), b, status})
		rc.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"status":"OK"}`))
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) calls() []call {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.got)
}

func (rc *receiver) kinds() []string {
	var out []string
	for _, c := range rc.calls() {
		if c.status == http.StatusOK {
			out = append(out, c.kind)
		}
	}
	slices.Sort(out)
	return out
}

func (rc *receiver) urls(kinds ...string) map[string]string {
	m := map[string]string{}
	for _, k := range kinds {
		m[k] = rc.srv.URL + "/" + k
	}
	return m
}

// TestCallbacksEveryEvent: every callback a mailbox subscribes to is called, each with the
// statement the contract declares for it.
func TestCallbacksEveryEvent(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tok := e.token(t, "ezd", "s3cret", "")
	officeRc, citizenRc := newReceiver(t), newReceiver(t)
	e.must(t, http.StatusOK, tok, "PUT", edoreczeniasim.APIPrefix+"/"+office+"/message_subscriptions", map[string]string{
		"messageCallbackUrl": officeRc.srv.URL + "/onMessage", "evidenceCallbackUrl": officeRc.srv.URL + "/onEvidence",
		"inboxCallbackUrl": officeRc.srv.URL + "/onInbox", "messageCreatedCallbackUrl": officeRc.srv.URL + "/onMessageCreated",
		"archiveCreatedCallbackUrl": officeRc.srv.URL + "/onArchiveCreated"}, nil)
	if _, err := e.sim.Subscribe(ctx, citizen, citizenRc.urls(edoreczeniasim.CallbackOnMessage, edoreczeniasim.CallbackOnInbox)); err != nil {
		t.Fatal(err)
	}
	id := e.send(t, tok, citizen)
	if got, want := citizenRc.kinds(), []string{"onInbox", "onMessage"}; !slices.Equal(got, want) {
		t.Errorf("citizen's callbacks: got %v, want %v", got, want)
	}
	var task struct{ TaskID string }
	e.must(t, http.StatusAccepted, tok, "POST", edoreczeniasim.APIPrefix+"/"+office+"/message-archive-task",
		map[string]any{"messageId": []string{id}, "taskDescription": "Archiwum sprawy"}, &task)
	if _, err := e.sim.Collect(ctx, citizen, id); err != nil {
		t.Fatal(err)
	}
	if got, want := officeRc.kinds(), []string{"onArchiveCreated", "onEvidence", "onEvidence", "onMessageCreated"}; !slices.Equal(got, want) {
		t.Errorf("office's callbacks: got %v, want %v (A.1 and the proof of receipt)", got, want)
	}
	for _, c := range officeRc.calls() {
		if c.kind != edoreczeniasim.CallbackOnMessageCreated {
			continue
		}
		var st struct {
			Notification []struct {
				MessageTaskID string `json:"messageTaskId"`
				Messages      []struct {
					MessageID string `json:"messageId"`
					Status    string `json:"status"`
				} `json:"messages"`
			} `json:"notification"`
		}
		if err := json.Unmarshal(c.body, &st); err != nil || len(st.Notification) != 1 || st.Notification[0].MessageTaskID == "" ||
			len(st.Notification[0].Messages) != 1 || st.Notification[0].Messages[0].MessageID != id {
			t.Errorf("onMessageCreated: got %s, %v; want the task of %s", c.body, err, id)
		}
	}
}

// TestCallbackRetried: a receiver that fails is called again after 1s, then 2s, with the
// same statement and notification id, until it answers 200; one that refuses the statement
// (400) is not called again.
func TestCallbackRetried(t *testing.T) {
	e := newEnv(t, edoreczeniasim.WithCallbackRetry(edoreczeniasim.CallbackRetry{Attempts: 4, First: time.Second, Max: time.Minute}))
	ctx := context.Background()
	tok := e.token(t, "ezd", "s3cret", "")
	rc := newReceiver(t, http.StatusServiceUnavailable, http.StatusInternalServerError)
	if _, err := e.sim.Subscribe(ctx, citizen, rc.urls(edoreczeniasim.CallbackOnMessage)); err != nil {
		t.Fatal(err)
	}
	e.send(t, tok, citizen)
	if n := len(rc.calls()); n != 1 || e.sim.PendingCallbacks() != 1 {
		t.Fatalf("after the first failure: %d calls, %d pending; want 1, 1", n, e.sim.PendingCallbacks())
	}
	if err := e.sim.Advance(ctx, 900*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if n := len(rc.calls()); n != 1 {
		t.Errorf("before the first backoff ended: %d calls, want 1", n)
	}
	for _, step := range []time.Duration{100 * time.Millisecond, 2 * time.Second} {
		if err := e.sim.Advance(ctx, step); err != nil {
			t.Fatal(err)
		}
	}
	calls := rc.calls()
	if len(calls) != 3 || calls[2].status != http.StatusOK || e.sim.PendingCallbacks() != 0 {
		t.Fatalf("got %+v, %d pending; want three attempts, the last answered 200", calls, e.sim.PendingCallbacks())
	}
	for _, c := range calls[1:] {
		if string(c.body) != string(calls[0].body) || c.notificationID != calls[0].notificationID || c.notificationID == "" {
			t.Errorf("a retry differs: %s %q, first %s %q", c.body, c.notificationID, calls[0].body, calls[0].notificationID)
		}
	}

	refusing := newReceiver(t, http.StatusBadRequest)
	if _, err := e.sim.Subscribe(ctx, citizen, refusing.urls(edoreczeniasim.CallbackOnMessage)); err != nil {
		t.Fatal(err)
	}
	e.send(t, tok, citizen)
	if err := e.sim.Advance(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
	if n := len(refusing.calls()); n != 1 || e.sim.PendingCallbacks() != 0 {
		t.Errorf("a refused statement: %d calls, %d pending; want 1, 0", n, e.sim.PendingCallbacks())
	}
}

// TestCallbackGivenUp: a receiver that never answers is tried Attempts times in all.
func TestCallbackGivenUp(t *testing.T) {
	e := newEnv(t, edoreczeniasim.WithCallbackRetry(edoreczeniasim.CallbackRetry{Attempts: 3, First: time.Second, Max: 2 * time.Second}))
	ctx := context.Background()
	tok := e.token(t, "ezd", "s3cret", "")
	rc := newReceiver(t, 503, 503, 503, 503, 503)
	if _, err := e.sim.Subscribe(ctx, citizen, rc.urls(edoreczeniasim.CallbackOnMessage)); err != nil {
		t.Fatal(err)
	}
	e.send(t, tok, citizen)
	for range 5 {
		if err := e.sim.Advance(ctx, 2*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(rc.calls()); n != 3 || e.sim.PendingCallbacks() != 0 {
		t.Errorf("got %d calls, %d pending; want 3, 0", n, e.sim.PendingCallbacks())
	}
}
