package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"

	"github.com/obieg/obieg/internal/adapters/edoreczenia"
	"github.com/obieg/obieg/internal/domain/problem"
)

// EDeliveryNotifier passes on e-Doręczenia's callbacks: an evidence about a sent message was
// issued (to the case that waits for it; a message no case waits for is not an error), or a
// letter arrived in the office's mailbox (to its intake).
type EDeliveryNotifier interface {
	Evidence(ctx context.Context, messageID string) error
	MessageArrived(ctx context.Context) error
}

// edeliveryCallback receives e-Doręczenia's callbacks at
// POST /callbacks/edoreczenia?token=...&event=onEvidence|onMessage|onInbox|onMessageCreated|onArchiveCreated:
// the token, a secret of the callback URL obieg registered, proves the caller knows it, and
// event says which callback it is (the body does not). An onMessage or onInbox wakes the
// intake of the mailbox; each notification of an onEvidence names a sent message, and the
// case waiting for its proof is told. Either asks the service itself: nothing in the body is
// taken on trust. onMessageCreated and onArchiveCreated are acknowledged: obieg follows its
// sending tasks itself and makes no archives.
//
// The service repeats a callback it saw fail, and may repeat one that did not: a statement
// whose Notification-Id was passed on already is answered again without being passed on,
// and passing on is itself safe to repeat (the intake lists what it has not taken; a case
// passes over an evidence it has).
func (s *Server) edeliveryCallback(w http.ResponseWriter, r *http.Request) error {
	if s.edelivery == nil || s.callbackToken == "" {
		return problem.NewNotFound("Nie ma takiego adresu.", errors.New("e-Doręczenia callbacks are not configured"))
	}
	if subtle.ConstantTimeCompare([]byte(r.URL.Query().Get("token")), []byte(s.callbackToken)) != 1 {
		return &httpError{code: http.StatusUnauthorized, message: "Nieprawidłowy token wywołania zwrotnego.", err: errors.New("e-Doręczenia callback with a wrong token")}
	}
	event := edoreczenia.Event(r.URL.Query().Get("event"))
	if event == "" {
		event = edoreczenia.OnEvidence // the URL obieg registered before events were named
	}
	if !slices.Contains(callbackEvents, event) {
		return badRequest("Unknown event.", fmt.Errorf("e-Doręczenia callback for event %q", event))
	}
	st, err := edoreczenia.ParseStatement(r.Body)
	if err != nil {
		return badRequest("Nieprawidłowa treść MessageStatement.", err)
	}
	id := r.Header.Get("Notification-Id")
	answer := map[string]string{"status": "OK", "eDeliveryAddress": st.EDeliveryAddress}
	if id != "" {
		answer["notificationId"] = id
		if s.callbacksSeen.has(id) {
			s.logger.InfoContext(r.Context(), "e-Doręczenia callback repeated", "event", string(event), "notification_id", id)
			writeJSON(w, http.StatusOK, answer)
			return nil
		}
	}
	switch event {
	case edoreczenia.OnMessage, edoreczenia.OnInbox:
		if err := s.edelivery.MessageArrived(r.Context()); err != nil {
			return err
		}
	case edoreczenia.OnEvidence:
		for _, n := range st.Notification {
			if n.ID == "" {
				continue
			}
			if err := s.edelivery.Evidence(r.Context(), n.ID); err != nil {
				return err
			}
		}
	}
	if id != "" {
		s.callbacksSeen.add(id)
	}
	// The contract's callback answer: 200 with a SuccessInfo.
	writeJSON(w, http.StatusOK, answer)
	return nil
}

var callbackEvents = []edoreczenia.Event{edoreczenia.OnMessage, edoreczenia.OnEvidence, edoreczenia.OnInbox,
	edoreczenia.OnMessageCreated, edoreczenia.OnArchiveCreated}

// recentIDs remembers the last recentMax notification ids passed on.
type recentIDs struct {
	mu    sync.Mutex
	set   map[string]bool
	order []string
}

const recentMax = 4096

func (r *recentIDs) has(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.set[id]
}

func (r *recentIDs) add(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.set == nil {
		r.set = map[string]bool{}
	}
	if r.set[id] {
		return
	}
	r.set[id] = true
	r.order = append(r.order, id)
	if len(r.order) > recentMax {
		delete(r.set, r.order[0])
		r.order = r.order[1:]
	}
}
