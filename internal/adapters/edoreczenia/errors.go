package edoreczenia

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/obieg/obieg/internal/domain/problem"
)

// Kinds of errors, to be tested with errors.Is: every *APIError is one of the first five,
// a refused sending is ErrRejected. ErrInvalid, ErrNotFound, ErrTransient and ErrRejected
// are of the kinds problem.Invalid, NotFound, Transient and Refused.
var (
	// ErrInvalid: the service refused the request as malformed (400).
	ErrInvalid = problem.NewInvalid("", errors.New("edoreczenia: invalid request"))
	// ErrNotFound: no such draft, message or task (400 with error NOT_FOUND: the contract
	// declares no 404).
	ErrNotFound = problem.NewNotFound("", errors.New("edoreczenia: not found"))
	// ErrUnauthorized: the client credentials or the token were refused (401, or the
	// token endpoint's invalid_client).
	ErrUnauthorized = errors.New("edoreczenia: unauthorized")
	// ErrForbidden: the token lacks a scope or the client may not use the mailbox (403).
	ErrForbidden = errors.New("edoreczenia: forbidden")
	// ErrTransient: the service is overloaded or failing (429, 5xx); try again later.
	ErrTransient = problem.NewTransient(errors.New("edoreczenia: service unavailable"))
	// ErrTooLarge: the service answered more than the client accepts (EvidenceFile).
	ErrTooLarge = errors.New("edoreczenia: answer too large")
	// ErrRejected: the service processed the sending and refused it (see *RejectedError).
	ErrRejected = problem.NewRefused("", errors.New("edoreczenia: sending rejected"))
)

// APIError is an error answer of the service: its HTTP status and the first ErrorInfo of
// its body (error, error_description, messageId), or the token endpoint's RFC 6749 error.
type APIError struct {
	Op          string // what the client was doing, "create draft"
	Status      int
	Code        string // ErrorInfo.error
	Description string // ErrorInfo.error_description
	MessageID   string
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("edoreczenia: %s: %d %s", e.Op, e.Status, http.StatusText(e.Status))
	if e.Code != "" {
		s += ": " + e.Code
	}
	if e.Description != "" {
		s += ": " + e.Description
	}
	return s
}

// Is reports whether e is of the kind target (ErrInvalid, ErrNotFound, ErrUnauthorized,
// ErrForbidden, ErrTransient).
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.Status == http.StatusNotFound || (e.Status == http.StatusBadRequest && e.Code == "NOT_FOUND")
	case ErrInvalid:
		return e.Status == http.StatusBadRequest && e.Code != "NOT_FOUND" && e.Code != "invalid_client"
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized || e.Code == "invalid_client"
	case ErrForbidden:
		return e.Status == http.StatusForbidden
	case ErrTransient:
		return e.Status == http.StatusTooManyRequests || e.Status >= 500
	}
	return false
}

// Kind is the kind of the answer (problem.KindOf): not found, invalid (a malformed request),
// transient (429, 5xx); a refused credential or scope is none of these (problem.Internal),
// a fault of obieg's configuration that no one asking can mend.
func (e *APIError) Kind() problem.Kind {
	switch {
	case e.Is(ErrNotFound):
		return problem.NotFound
	case e.Is(ErrInvalid):
		return problem.Invalid
	case e.Is(ErrTransient):
		return problem.Transient
	}
	return problem.Internal
}

// RejectedError is a sending that the service processed and refused, as its task reports.
type RejectedError struct {
	MessageID   string
	TaskID      string
	Addressee   string
	Status      string // the message status, "Odrzucona"
	Code        string // the task entry's error
	Description string
}

func (e *RejectedError) Error() string {
	return fmt.Sprintf("edoreczenia: sending %s to %s rejected: %s %s: %s", e.MessageID, e.Addressee, e.Status, e.Code, e.Description)
}

// Unwrap makes a RejectedError ErrRejected, of kind problem.Refused: sent again, it is
// refused again.
func (e *RejectedError) Unwrap() error { return ErrRejected }

// Explain says in Polish, for a clerk, what went wrong in err: a refused token, a missing
// scope or mailbox right, a refused request, a service out of order. It names no secret.
func Explain(err error) string {
	var api *APIError
	detail := ""
	if errors.As(err, &api) && api.Code != "" {
		detail = " (" + api.Code + ")"
	}
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrUnauthorized):
		return "e-Doręczenia nie przyjęły danych logowania systemu" + detail + ": administrator musi sprawdzić identyfikator klienta i jego sekret albo klucz (EDORECZENIA_CLIENT_ID)."
	case errors.Is(err, ErrForbidden):
		return "e-Doręczenia odmówiły dostępu" + detail + ": token systemu nie obejmuje potrzebnego zakresu albo system nie ma prawa do tej skrzynki; administrator musi to sprawdzić w konfiguracji klienta w e-Doręczeniach."
	case errors.Is(err, ErrTransient):
		return "Usługa e-Doręczeń jest chwilowo niedostępna; obieg spróbuje ponownie."
	case errors.Is(err, ErrNotFound):
		return "e-Doręczenia nie znają tej wiadomości" + detail + "."
	case errors.Is(err, ErrInvalid):
		return "e-Doręczenia nie przyjęły żądania" + detail + ": " + err.Error()
	case errors.Is(err, ErrRejected):
		return "e-Doręczenia odrzuciły przesyłkę: " + err.Error()
	default:
		return "Błąd połączenia z e-Doręczeniami: " + err.Error()
	}
}
