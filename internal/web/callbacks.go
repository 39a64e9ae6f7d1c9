package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"

	"github.com/obieg/obieg/internal/domain/problem"
	"github.com/obieg/obieg/internal/edoreczenia"
)

// EDeliveryNotifier passes on e-Doręczenia's callbacks: an evidence about a sent message was
// issued (to the case that waits for it; a message no case waits for is not an error), or a
// letter arrived in the office's mailbox (to its intake).
type EDeliveryNotifier interface {
	Evidence(ctx context.Context, messageID string) error
	MessageArrived(ctx context.Context) error
}

// edeliveryCallback receives e-Doręczenia's callbacks (a MessageStatement) at
// POST /callbacks/edoreczenia?token=...&event=onEvidence|onMessage: the token, a secret of
// the callback URL obieg registered, proves the caller knows it, and event says which
// callback it is (the body does not). An onMessage wakes the intake of the mailbox; each
// notification of an onEvidence names a sent message, and the case waiting for its proof is
// told. Either asks the service itself: nothing in the body is taken on trust.
func (s *Server) edeliveryCallback(w http.ResponseWriter, r *http.Request) error {
	if s.edelivery == nil || s.callbackToken == "" {
		return problem.NewNotFound("Nie ma takiego adresu.", errors.New("e-Doręczenia callbacks are not configured"))
	}
	if subtle.ConstantTimeCompare([]byte(r.URL.Query().Get("token")), []byte(s.callbackToken)) != 1 {
		return &httpError{code: http.StatusUnauthorized, message: "Nieprawidłowy token wywołania zwrotnego.", err: errors.New("e-Doręczenia callback with a wrong token")}
	}
	st, err := edoreczenia.ParseStatement(r.Body)
	if err != nil {
		return badRequest("Nieprawidłowa treść MessageStatement.", err)
	}
	if r.URL.Query().Get("event") == string(edoreczenia.OnMessage) {
		if err := s.edelivery.MessageArrived(r.Context()); err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "OK", "eDeliveryAddress": st.EDeliveryAddress})
		return nil
	}
	for _, n := range st.Notification {
		if n.ID == "" {
			continue
		}
		if err := s.edelivery.Evidence(r.Context(), n.ID); err != nil {
			return err
		}
	}
	// The contract's callback answer: 200 with a SuccessInfo.
	writeJSON(w, http.StatusOK, map[string]string{"status": "OK", "eDeliveryAddress": st.EDeliveryAddress})
	return nil
}
