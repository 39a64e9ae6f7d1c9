package web

import (
	"net/http"

	"github.com/obieg/obieg/internal/records/auth"
)

// adminRead answers an administrator's request that reads (or changes without a body): u must
// be an administrator (what names the request in the refusal), do gives the answer, written
// as JSON with status.
func adminRead[Out any](s *Server, w http.ResponseWriter, u auth.User, what string, status int, do func() (Out, error)) error {
	if err := s.adminOnly(u, what); err != nil {
		return err
	}
	out, err := do()
	if err != nil {
		return err
	}
	writeJSON(w, status, out)
	return nil
}

// adminChange answers an administrator's change: the JSON body read into an In (unknown
// fields refused), passed to do, whose result is written as JSON with status.
func adminChange[In, Out any](s *Server, w http.ResponseWriter, r *http.Request, u auth.User, what string, status int, do func(In) (Out, error)) error {
	if err := s.adminOnly(u, what); err != nil {
		return err
	}
	var in In
	if err := decodeAction(w, r, &in); err != nil {
		return err
	}
	out, err := do(in)
	if err != nil {
		return err
	}
	writeJSON(w, status, out)
	return nil
}

// list answers a list under its name, an empty list rather than null.
func list[T any](name string, items []T) map[string]any {
	if items == nil {
		items = []T{}
	}
	return map[string]any{name: items}
}
