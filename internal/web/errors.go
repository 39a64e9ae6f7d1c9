package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/obieg/obieg/internal/domain/problem"
)

// Messages people see when an error of a kind carries no Polish message of its own.
const (
	msgInternal  = "Wystąpił błąd po stronie systemu. Spróbuj ponownie za chwilę."
	msgNotFound  = "Nie ma takiego obiektu albo nie masz do niego dostępu."
	msgInvalid   = "Dane są nieprawidłowe."
	msgConflict  = "Dane zmieniły się w międzyczasie. Odśwież stronę i spróbuj ponownie."
	msgRefused   = "Czynność odrzucona."
	msgTransient = "Usługa, z której korzysta obieg, jest chwilowo niedostępna. Spróbuj ponownie za chwilę."
)

// answer is how the web answers a failed request: the status, the Polish message people
// see, and the fields at fault of a refused form or body.
type answer struct {
	code    int
	message string
	fields  []problem.FieldError
}

// answerFor is the one mapping of errors to answers, for pages and the JSON API alike. An
// *httpError (the web's own refusals: a malformed request, a person not signed in or not
// allowed) answers its status and message. Otherwise the error's kind decides:
//
//	NotFound  404 Not Found
//	Invalid   422 Unprocessable Entity, with the fields at fault
//	Conflict  409 Conflict
//	Refused   409 Conflict
//	Transient 503 Service Unavailable
//	Internal  500 Internal Server Error
//
// and people see the error's Polish message, or the kind's general one when it has none.
// The error's own text is for the log only.
func answerFor(err error) answer {
	var he *httpError
	if errors.As(err, &he) {
		return answer{code: he.code, message: he.message, fields: problem.FieldsOf(err)}
	}
	message := problem.MessageOf(err)
	or := func(general string) string {
		if message == "" {
			return general
		}
		return message
	}
	switch problem.KindOf(err) {
	case problem.NotFound:
		return answer{code: http.StatusNotFound, message: or(msgNotFound)}
	case problem.Invalid:
		return answer{code: http.StatusUnprocessableEntity, message: or(msgInvalid), fields: problem.FieldsOf(err)}
	case problem.Conflict:
		return answer{code: http.StatusConflict, message: or(msgConflict)}
	case problem.Refused:
		return answer{code: http.StatusConflict, message: or(msgRefused)}
	case problem.Transient:
		return answer{code: http.StatusServiceUnavailable, message: msgTransient}
	}
	return answer{code: http.StatusInternalServerError, message: msgInternal}
}

// refusal reports whether a form's failure is a refusal to show on the page it came from
// (invalid input, a conflict, a refused action) rather than a failure of the request, and
// the message that says why.
func refusal(err error) (string, bool) {
	a := answerFor(err)
	switch a.code {
	case http.StatusUnprocessableEntity, http.StatusConflict:
		return a.message, true
	}
	return "", false
}

// backAfter answers a form: back to the page with the outcome shown, a refusal (see refusal)
// as its reason; any other error is the request's failure.
func backAfter(w http.ResponseWriter, r *http.Request, back, done string, err error) error {
	if err != nil {
		msg, ok := refusal(err)
		if !ok {
			return err
		}
		http.Redirect(w, r, back+"?odmowa="+url.QueryEscape(msg), http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, back+"?wykonano="+url.QueryEscape(done), http.StatusSeeOther)
	return nil
}
