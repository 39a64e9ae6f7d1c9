package web

import (
	"context"
	"net/http"

	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/records/auth"
	"github.com/obieg/obieg/internal/records/cases"
)

// complaintsRegister lists the complaints and motions u may see: the cases of the JRWA class
// the complaint form is routed to (rejestr skarg i wniosków).
func (s *Server) complaintsRegister(ctx context.Context, u auth.User) ([]cases.RegisterEntry, error) {
	scope := u.Cases()
	if scope.Empty() {
		return nil, forbidden(u, "see the complaints register")
	}
	rule, err := s.targets.Lookup(ctx, forms.Complaint)
	if err != nil {
		return nil, err
	}
	var units []string
	if !scope.All {
		units = scope.Units
	}
	return s.caseFiles.Register(ctx, rule.Class, units, 2000)
}

func (s *Server) complaintsPage(w http.ResponseWriter, r *http.Request, u auth.User) error {
	list, err := s.complaintsRegister(r.Context(), u)
	if err != nil {
		return err
	}
	return s.render(w, r, "complaints.html", map[string]any{"Title": "Rejestr skarg i wniosków", "Nav": "skargi",
		"Entries": list, "User": &u})
}

func (s *Server) complaintsAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	list, err := s.complaintsRegister(r.Context(), u)
	if err != nil {
		return err
	}
	if list == nil {
		list = []cases.RegisterEntry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"complaints": list})
	return nil
}
