package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/alexedwards/scs/v2/memstore"

	"github.com/obieg/obieg/internal/domain/problem"
	"github.com/obieg/obieg/internal/records/cases"
)

// TestErrorAnswers checks the one mapping of errors to answers: each kind answers its status
// and a Polish message on the JSON API and on pages alike, with the request id that is in
// the log beside the error's own text, which people never see.
func TestErrorAnswers(t *testing.T) {
	const internal = "SQLSTATE 23505 duplicate key value violates unique constraint"
	cause := errors.New(internal)
	fields := []problem.FieldError{{Field: "regon", Message: "REGON to 9 albo 14 cyfr z poprawną cyfrą kontrolną."}}
	tests := []struct {
		name    string
		err     error
		code    int
		message string
		fields  bool
	}{
		{"not found with a message", fmt.Errorf("read case: %w", fmt.Errorf("%w: X.1: %w", cases.ErrNotFound, cause)), http.StatusNotFound, "Nie ma takiej sprawy.", false},
		{"not found", problem.NewNotFound("", cause), http.StatusNotFound, msgNotFound, false},
		{"invalid with fields", fmt.Errorf("save: %w", problem.NewInvalid("", cause, fields...)), http.StatusUnprocessableEntity, fields[0].Message, true},
		{"invalid", problem.NewInvalid("", cause), http.StatusUnprocessableEntity, msgInvalid, false},
		{"conflict", problem.NewConflict("", cause), http.StatusConflict, msgConflict, false},
		{"refused", problem.NewRefused("Czynność odrzucona: sprawa jest zawieszona", cause), http.StatusConflict, "Czynność odrzucona: sprawa jest zawieszona", false},
		{"transient", problem.NewTransient(cause), http.StatusServiceUnavailable, msgTransient, false},
		{"no kind", fmt.Errorf("list cases: %w", cause), http.StatusInternalServerError, msgInternal, false},
		{"the web's own", badRequest("Nieprawidłowy formularz.", cause), http.StatusBadRequest, "Nieprawidłowy formularz.", false},
	}
	var log bytes.Buffer
	srv, err := New(Deps{Logger: slog.New(slog.NewTextHandler(&log, nil)), Sessions: memstore.New()})
	if err != nil {
		t.Fatal(err)
	}
	var current error
	fail := func(w http.ResponseWriter, r *http.Request) error { return current }
	srv.mux.HandleFunc("GET /api/v1/test-error", srv.handle(fail))
	srv.mux.HandleFunc("GET /test-error", srv.handle(fail))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			current = tt.err
			for _, path := range []string{"/api/v1/test-error", "/test-error"} {
				log.Reset()
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				body := rec.Body.String()
				if rec.Code != tt.code {
					t.Errorf("%s: got status %d, want %d", path, rec.Code, tt.code)
				}
				if strings.Contains(body, internal) {
					t.Errorf("%s: the answer shows the error's own text:\n%s", path, body)
				}
				var id string
				if strings.HasPrefix(path, "/api/") {
					var got struct {
						Error     string               `json:"error"`
						RequestID string               `json:"request_id"`
						Fields    []problem.FieldError `json:"fields"`
					}
					if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
						t.Fatalf("%s: %v in %s", path, err, body)
					}
					if got.Error != tt.message {
						t.Errorf("%s: got message %q, want %q", path, got.Error, tt.message)
					}
					if (len(got.Fields) > 0) != tt.fields {
						t.Errorf("%s: got fields %v, want fields %v", path, got.Fields, tt.fields)
					}
					id = got.RequestID
				} else {
					if !strings.Contains(body, htmltemplate.HTMLEscapeString(tt.message)) {
						t.Errorf("%s: the page does not say %q:\n%s", path, tt.message, body)
					}
					if _, after, ok := strings.Cut(body, "Identyfikator zgłoszenia: <code>"); ok {
						id, _, _ = strings.Cut(after, "<")
					}
				}
				if id == "" {
					t.Fatalf("%s: no request id in the answer:\n%s", path, body)
				}
				logged := log.String()
				if strings.Count(logged, "request_id="+id) != 1 || !strings.Contains(logged, internal) {
					t.Errorf("%s: want the error logged once with request id %s and its text, got:\n%s", path, id, logged)
				}
			}
		})
	}
}

// TestRefusalGoesBack checks that a form's refusal (invalid, conflict, refused) returns to
// its page with the reason, and other failures are the request's.
func TestRefusalGoesBack(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string // the Location, or "" for a failure
	}{
		{"done", nil, "/administracja?wykonano=rule"},
		{"invalid", problem.NewInvalid("Zmiana odrzucona: Nie ma komórki X.", nil), "/administracja?odmowa=Zmiana+odrzucona%3A+Nie+ma+kom%C3%B3rki+X."},
		{"refused", problem.NewRefused("Nie teraz.", nil), "/administracja?odmowa=Nie+teraz."},
		{"not found", problem.NewNotFound("", nil), ""},
		{"no kind", errors.New("connection reset"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			err := backAfter(rec, httptest.NewRequest(http.MethodPost, "/administracja/reguly/x", nil), "/administracja", "rule", tt.err)
			if tt.want == "" {
				if err == nil {
					t.Errorf("got a redirect to %s, want the failure", rec.Header().Get("Location"))
				}
				return
			}
			if err != nil || rec.Header().Get("Location") != tt.want {
				t.Errorf("got %v, %q, want a redirect to %q", err, rec.Header().Get("Location"), tt.want)
			}
		})
	}
}
