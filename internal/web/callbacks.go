package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"

	"github.com/obieg/obieg/internal/edoreczenia"
)

// EvidenceNotifier passes on e-Doręczenia's news that an evidence about a sent message was
// issued, to the case that waits for it. Evidence returns ErrNoSuchAction-free errors: a
// message no case waits for is not an error.
type EvidenceNotifier interface {
	Evidence(ctx context.Context, messageID string) error
}

// edeliveryCallback receives e-Doręczenia's onEvidence callbacks (a MessageStatement) at
// POST /callbacks/edoreczenia?token=...: the token, a secret of the callback URL obieg
// registered, proves the caller knows it. Each notification names a sent message; the case
// waiting for its proof is told, and asks the service for the evidences itself: nothing in
// the body is taken on trust.
func (s *Server) edeliveryCallback(w http.ResponseWriter, r *http.Request) error {
	if s.evidence == nil || s.callbackToken == "" {
		return &httpError{code: http.StatusNotFound, message: "Not found.", err: errors.New("e-Doręczenia callbacks are not configured")}
	}
	if subtle.ConstantTimeCompare([]byte(r.URL.Query().Get("token")), []byte(s.callbackToken)) != 1 {
		return &httpError{code: http.StatusUnauthorized, message: "Unauthorized.", err: errors.New("e-Doręczenia callback with a wrong token")}
	}
	st, err := edoreczenia.ParseStatement(r.Body)
	if err != nil {
		return badRequest("Invalid MessageStatement.", err)
	}
	for _, n := range st.Notification {
		if n.ID == "" {
			continue
		}
		if err := s.evidence.Evidence(r.Context(), n.ID); err != nil {
			return err
		}
	}
	// The contract's callback answer: 200 with a SuccessInfo.
	writeJSON(w, http.StatusOK, map[string]string{"status": "OK", "eDeliveryAddress": st.EDeliveryAddress})
	return nil
}
