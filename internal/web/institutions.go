package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/problem"
	"github.com/obieg/obieg/internal/records/auth"
	"github.com/obieg/obieg/internal/records/institutions"
)

// Institutions is what administration needs of the database of institutions.
type Institutions interface {
	List(ctx context.Context) ([]institutions.Institution, error)
	Get(ctx context.Context, id int64) (institutions.Institution, error)
	Create(ctx context.Context, i institutions.Institution, who institutions.Who) (institutions.Institution, error)
	Update(ctx context.Context, i institutions.Institution, who institutions.Who) (institutions.Institution, error)
	Deactivate(ctx context.Context, id int64, who institutions.Who) (institutions.Institution, error)
}

var _ Institutions = (*institutions.Store)(nil)

func institutionID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, problem.NewNotFound("Nie ma takiej instytucji.", fmt.Errorf("institution id %q", r.PathValue("id")))
	}
	return id, nil
}

func (s *Server) institutionsPage(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if err := s.adminOnly(u, "administer institutions"); err != nil {
		return err
	}
	list, err := s.institutions.List(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, "institutions.html", map[string]any{"Title": "Baza instytucji", "Nav": "administracja", "Institutions": list,
		"KindName": institutions.KindName, "User": &u, "Done": r.URL.Query().Get("wykonano")})
}

// institutionForm shows the form of a new institution (id 0) or of institution id, with the
// errors of a refused attempt.
func (s *Server) institutionForm(w http.ResponseWriter, r *http.Request, u auth.User, i institutions.Institution, form map[string]string, errs map[string]string) error {
	title := "Nowa instytucja"
	if i.ID != 0 {
		title = "Instytucja: " + i.Name
	}
	if form == nil {
		form = map[string]string{"regon": i.REGON, "epuap": i.EPUAP, "name": i.Name, "kind": i.Kind, "address": i.Address}
		if i.Since != nil {
			form["since"] = i.Since.String()
		}
		if i.Until != nil {
			form["until"] = i.Until.String()
		}
		if i.Active || i.ID == 0 {
			form["active"] = "on"
		}
	}
	if len(errs) > 0 {
		w.WriteHeader(http.StatusUnprocessableEntity)
	}
	return s.render(w, r, "institution.html", map[string]any{"Title": title, "Nav": "administracja", "Institution": i,
		"Form": form, "Errors": errs, "Kinds": institutions.Kinds(), "User": &u})
}

func (s *Server) newInstitutionPage(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if err := s.adminOnly(u, "administer institutions"); err != nil {
		return err
	}
	return s.institutionForm(w, r, u, institutions.Institution{}, nil, nil)
}

func (s *Server) institutionPage(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if err := s.adminOnly(u, "administer institutions"); err != nil {
		return err
	}
	id, err := institutionID(r)
	if err != nil {
		return err
	}
	i, err := s.institutions.Get(r.Context(), id)
	if err != nil {
		return err
	}
	return s.institutionForm(w, r, u, i, nil, nil)
}

// saveInstitutionForm creates (no id in the path) or changes an institution from the form;
// a refused change shows the form again with its errors.
func (s *Server) saveInstitutionForm(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if err := s.adminOnly(u, "change institutions"); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return badRequest("Nieprawidłowy formularz.", err)
	}
	form := map[string]string{}
	for _, f := range []string{"regon", "epuap", "name", "kind", "address", "since", "until", "active"} {
		form[f] = strings.TrimSpace(r.PostForm.Get(f))
	}
	i := institutions.Institution{REGON: form["regon"], EPUAP: form["epuap"], Name: form["name"], Kind: form["kind"],
		Address: form["address"], Active: form["active"] != ""}
	errs := map[string]string{}
	for f, d := range map[string]**civil.Date{"since": &i.Since, "until": &i.Until} {
		if form[f] == "" {
			continue
		}
		v, err := civil.ParseDate(form[f])
		if err != nil {
			errs[f] = "Podaj datę w postaci RRRR-MM-DD."
			continue
		}
		*d = &v
	}
	var err error
	if r.PathValue("id") != "" {
		if i.ID, err = institutionID(r); err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return s.institutionForm(w, r, u, i, form, errs)
	}
	var saved institutions.Institution
	if i.ID == 0 {
		saved, err = s.institutions.Create(r.Context(), i, institutions.Who(who(u)))
	} else {
		saved, err = s.institutions.Update(r.Context(), i, institutions.Who(who(u)))
	}
	if fields := problem.FieldMap(err); len(fields) > 0 {
		return s.institutionForm(w, r, u, i, form, fields)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/administracja/instytucje?wykonano="+strconv.FormatInt(saved.ID, 10), http.StatusSeeOther)
	return nil
}

func (s *Server) deactivateInstitutionForm(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if err := s.adminOnly(u, "change institutions"); err != nil {
		return err
	}
	id, err := institutionID(r)
	if err != nil {
		return err
	}
	if _, err := s.institutions.Deactivate(r.Context(), id, institutions.Who(who(u))); err != nil {
		return err
	}
	http.Redirect(w, r, "/administracja/instytucje?wykonano="+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// institutionInput is an institution as the API takes it.
type institutionInput struct {
	REGON   string      `json:"regon"`
	EPUAP   string      `json:"epuap"`
	Name    string      `json:"name"`
	Kind    string      `json:"kind"`
	Address string      `json:"address"`
	Active  *bool       `json:"active"`
	Since   *civil.Date `json:"since"`
	Until   *civil.Date `json:"until"`
}

func (in institutionInput) institution() institutions.Institution {
	return institutions.Institution{REGON: in.REGON, EPUAP: in.EPUAP, Name: in.Name, Kind: in.Kind, Address: in.Address,
		Active: in.Active == nil || *in.Active, Since: in.Since, Until: in.Until}
}

func (s *Server) institutionsAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	return adminRead(s, w, u, "list institutions", http.StatusOK, func() (map[string]any, error) {
		l, err := s.institutions.List(r.Context())
		return list("institutions", l), err
	})
}

func (s *Server) institutionAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	return adminRead(s, w, u, "read institutions", http.StatusOK, func() (institutions.Institution, error) {
		id, err := institutionID(r)
		if err != nil {
			return institutions.Institution{}, err
		}
		return s.institutions.Get(r.Context(), id)
	})
}

func (s *Server) createInstitutionAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	return adminChange(s, w, r, u, "change institutions", http.StatusCreated, func(in institutionInput) (institutions.Institution, error) {
		return s.institutions.Create(r.Context(), in.institution(), institutions.Who(who(u)))
	})
}

func (s *Server) putInstitutionAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	return adminChange(s, w, r, u, "change institutions", http.StatusOK, func(in institutionInput) (institutions.Institution, error) {
		id, err := institutionID(r)
		if err != nil {
			return institutions.Institution{}, err
		}
		i := in.institution()
		i.ID = id
		return s.institutions.Update(r.Context(), i, institutions.Who(who(u)))
	})
}

func (s *Server) deactivateInstitutionAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	return adminRead(s, w, u, "change institutions", http.StatusOK, func() (institutions.Institution, error) {
		id, err := institutionID(r)
		if err != nil {
			return institutions.Institution{}, err
		}
		return s.institutions.Deactivate(r.Context(), id, institutions.Who(who(u)))
	})
}
