package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/alexedwards/scs/v2/memstore"

	"github.com/obieg/obieg/internal/web"
)

// notifier records what the callback endpoint passes on; fail makes the next call fail.
type notifier struct {
	mu       sync.Mutex
	arrived  int
	evidence []string
	fail     bool
}

func (n *notifier) MessageArrived(context.Context) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.fail {
		n.fail = false
		return errors.New("Temporal unreachable")
	}
	n.arrived++
	return nil
}

func (n *notifier) Evidence(_ context.Context, id string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.evidence = append(n.evidence, id)
	return nil
}

// TestEDeliveryCallback: each event of e-Doręczenia is accepted with the contract's
// SuccessInfo; a statement repeated under the same Notification-Id is answered again and
// passed on once, unless passing it on failed; a wrong token, an unknown event or a body
// that is no statement is refused.
func TestEDeliveryCallback(t *testing.T) {
	n := &notifier{}
	srv, err := web.New(web.Deps{EDelivery: n, CallbackToken: "sekret", Sessions: memstore.New(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	post := func(query, id, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/callbacks/edoreczenia?"+query, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if id != "" {
			req.Header.Set("Notification-Id", id)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	const box = "AE:PL-12345-67890-ABCDE-12"
	message := `{"eDeliveryAddress":"` + box + `","notificationType":"NewMessage","notification":[{"id":"m1"}]}`
	evidence := `{"eDeliveryAddress":"` + box + `","notificationType":"NewEvidence","notification":[{"id":"m2","type":"e1"}]}`

	n.fail = true
	if status, _ := post("token=sekret&event=onMessage", "n1", message); status < 500 {
		t.Errorf("failed to pass on: got %d, want a 5xx so that the service retries", status)
	}
	for range 3 {
		status, body := post("token=sekret&event=onMessage", "n1", message)
		var info struct{ Status, NotificationID string }
		_ = json.Unmarshal([]byte(body), &info)
		if status != http.StatusOK || info.NotificationID != "n1" || info.Status != "OK" {
			t.Errorf("onMessage: got %d %s, want 200 SuccessInfo", status, body)
		}
	}
	if n.arrived != 1 {
		t.Errorf("a repeated statement: intake woken %d times, want 1", n.arrived)
	}
	for range 2 {
		if status, body := post("token=sekret&event=onEvidence", "n2", evidence); status != http.StatusOK {
			t.Errorf("onEvidence: got %d %s", status, body)
		}
	}
	// Without a Notification-Id nothing tells repeats apart: each is passed on, which the
	// cases bear (an evidence they have is passed over).
	post("token=sekret&event=onEvidence", "", evidence)
	if len(n.evidence) != 2 || n.evidence[0] != "m2" {
		t.Errorf("evidences passed on: got %v, want m2 twice", n.evidence)
	}
	if status, _ := post("token=sekret&event=onInbox", "n3", message); status != http.StatusOK || n.arrived != 2 {
		t.Errorf("onInbox: got %d, intake woken %d times; want 200, 2", status, n.arrived)
	}
	for _, ev := range []string{"onMessageCreated", "onArchiveCreated"} {
		if status, body := post("token=sekret&event="+ev, "", `{"eDeliveryAddress":"`+box+`","notificationType":"X","notification":[]}`); status != http.StatusOK {
			t.Errorf("%s: got %d %s, want 200", ev, status, body)
		}
	}
	for _, tc := range []struct{ name, query, body string }{
		{"wrong token", "token=guess&event=onMessage", message},
		{"unknown event", "token=sekret&event=onEverything", message},
		{"not a statement", "token=sekret&event=onMessage", `{"notification":[]}`},
	} {
		if status, _ := post(tc.query, "", tc.body); status != http.StatusUnauthorized && status != http.StatusBadRequest {
			t.Errorf("%s: got %d, want 401 or 400", tc.name, status)
		}
	}
}
