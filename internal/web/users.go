package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/obieg/obieg/internal/domain/problem"
	"github.com/obieg/obieg/internal/records/auth"
)

// Accounts is what the administration of users needs of the user store.
type Accounts interface {
	List(ctx context.Context) ([]auth.Account, error)
	Account(ctx context.Context, username string) (auth.Account, error)
	Register(ctx context.Context, u auth.User, password string, who auth.Who) error
	Change(ctx context.Context, username string, c auth.Change, who auth.Who) (auth.Account, error)
	SetActive(ctx context.Context, username string, active bool, who auth.Who) (auth.Account, error)
	ResetPassword(ctx context.Context, username, password string, who auth.Who) error
}

var _ Accounts = (*auth.Store)(nil)

func whoAdmin(u auth.User) auth.Who { return auth.Who(who(u)) }

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if err := s.adminOnly(u, "administer users"); err != nil {
		return err
	}
	list, err := s.accounts.List(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, "users.html", map[string]any{"Title": "Użytkownicy", "Nav": "administracja", "Accounts": list,
		"RoleName": roleName, "User": &u, "Done": r.URL.Query().Get("wykonano"), "Refused": r.URL.Query().Get("odmowa")})
}

func roleName(role auth.Role) string {
	for _, r := range auth.Roles() {
		if r.Code == string(role) {
			return r.Name
		}
	}
	return string(role)
}

// userForm shows the page of a new user (account with no username) or of an existing one,
// with the errors of a refused attempt and, once, a password just given.
func (s *Server) userForm(w http.ResponseWriter, r *http.Request, u auth.User, a auth.Account, form, errs map[string]string, password string) error {
	units, _, err := s.targets.Targets(r.Context())
	if err != nil {
		return err
	}
	title := "Nowy użytkownik"
	if a.Username != "" {
		title = "Użytkownik: " + a.Username
	}
	if form == nil {
		form = map[string]string{"username": a.Username, "full_name": a.FullName, "position": a.Position, "role": string(a.Role), "unit": a.Unit}
	}
	if password != "" {
		// The password is shown this once: no cache may keep the page.
		w.Header().Set("Cache-Control", "no-store")
	}
	if len(errs) > 0 {
		w.WriteHeader(http.StatusUnprocessableEntity)
	}
	return s.render(w, r, "user.html", map[string]any{"Title": title, "Nav": "administracja", "Account": a, "Self": a.Username == u.Username,
		"Form": form, "Errors": errs, "Roles": auth.Roles(), "Units": units, "Password": password, "MinPassword": auth.MinPasswordLength,
		"User": &u, "Done": r.URL.Query().Get("wykonano"), "Refused": r.URL.Query().Get("odmowa")})
}

func (s *Server) newUserPage(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if err := s.adminOnly(u, "administer users"); err != nil {
		return err
	}
	return s.userForm(w, r, u, auth.Account{Active: true}, nil, nil, "")
}

func (s *Server) userPage(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if err := s.adminOnly(u, "administer users"); err != nil {
		return err
	}
	a, err := s.accounts.Account(r.Context(), r.PathValue("username"))
	if err != nil {
		return err
	}
	return s.userForm(w, r, u, a, nil, nil, "")
}

func userFields(r *http.Request) map[string]string {
	form := map[string]string{}
	for _, f := range []string{"username", "full_name", "position", "role", "unit"} {
		form[f] = strings.TrimSpace(r.PostForm.Get(f))
	}
	return form
}

func parseAdminForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return badRequest("Nieprawidłowy formularz.", err)
	}
	return nil
}

// createUserForm adds a user; without a password given, one is generated and shown once.
func (s *Server) createUserForm(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if err := s.adminOnly(u, "change users"); err != nil {
		return err
	}
	if err := parseAdminForm(w, r); err != nil {
		return err
	}
	form := userFields(r)
	nu := auth.User{Username: form["username"], FullName: form["full_name"], Position: form["position"], Role: auth.Role(form["role"]), Unit: form["unit"]}
	password := r.PostForm.Get("password")
	generated := password == ""
	if generated {
		password = auth.GeneratePassword()
	}
	err := s.accounts.Register(r.Context(), nu, password, whoAdmin(u))
	if fields := problem.FieldMap(err); len(fields) > 0 {
		return s.userForm(w, r, u, auth.Account{Active: true}, form, fields, "")
	}
	if err != nil {
		return err
	}
	a, err := s.accounts.Account(r.Context(), nu.Username)
	if err != nil {
		return err
	}
	if !generated {
		http.Redirect(w, r, "/administracja/uzytkownicy/"+url.PathEscape(a.Username)+"?wykonano=utworzono", http.StatusSeeOther)
		return nil
	}
	return s.userForm(w, r, u, a, nil, nil, password)
}

func (s *Server) changeUserForm(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if err := s.adminOnly(u, "change users"); err != nil {
		return err
	}
	if err := parseAdminForm(w, r); err != nil {
		return err
	}
	username := r.PathValue("username")
	form := userFields(r)
	form["username"] = username
	_, err := s.accounts.Change(r.Context(), username, auth.Change{FullName: form["full_name"], Position: form["position"],
		Role: auth.Role(form["role"]), Unit: form["unit"]}, whoAdmin(u))
	if fields := problem.FieldMap(err); len(fields) > 0 {
		a, aerr := s.accounts.Account(r.Context(), username)
		if aerr != nil {
			return aerr
		}
		return s.userForm(w, r, u, a, form, fields, "")
	}
	return s.afterUserChange(w, r, username, "zmieniono", err)
}

// afterUserChange goes back to the user's page with the outcome; a refusal (the
// administrator's own account) is shown there as its reason.
func (s *Server) afterUserChange(w http.ResponseWriter, r *http.Request, username, done string, err error) error {
	return backAfter(w, r, "/administracja/uzytkownicy/"+url.PathEscape(username), done, err)
}

func (s *Server) setActiveForm(active bool) func(w http.ResponseWriter, r *http.Request, u auth.User) error {
	return func(w http.ResponseWriter, r *http.Request, u auth.User) error {
		if err := s.adminOnly(u, "change users"); err != nil {
			return err
		}
		_, err := s.accounts.SetActive(r.Context(), r.PathValue("username"), active, whoAdmin(u))
		done := "dezaktywowano"
		if active {
			done = "aktywowano"
		}
		return s.afterUserChange(w, r, r.PathValue("username"), done, err)
	}
}

// resetPasswordForm gives a user a new password: the one the administrator typed, or a
// generated one shown once.
func (s *Server) resetPasswordForm(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if err := s.adminOnly(u, "change users"); err != nil {
		return err
	}
	if err := parseAdminForm(w, r); err != nil {
		return err
	}
	username := r.PathValue("username")
	a, err := s.accounts.Account(r.Context(), username)
	if err != nil {
		return err
	}
	password := r.PostForm.Get("password")
	generated := password == ""
	if generated {
		password = auth.GeneratePassword()
	}
	err = s.accounts.ResetPassword(r.Context(), username, password, whoAdmin(u))
	if fields := problem.FieldMap(err); fields["password"] != "" {
		// The field of the new password on the user's page.
		return s.userForm(w, r, u, a, nil, map[string]string{"new-password": fields["password"]}, "")
	}
	if err != nil {
		return err
	}
	if !generated {
		return s.afterUserChange(w, r, username, "haslo", nil)
	}
	return s.userForm(w, r, u, a, nil, nil, password)
}

// newUser is a user as the API takes it, with an optional password.
type newUser struct {
	Username string    `json:"username"`
	FullName string    `json:"full_name"`
	Position string    `json:"position"`
	Role     auth.Role `json:"role"`
	Unit     string    `json:"unit"`
	Password string    `json:"password"`
}

// givenPassword is the answer that carries a generated password, shown once.
type givenPassword struct {
	User     *auth.Account `json:"user,omitempty"`
	Password string        `json:"password,omitempty"`
}

func (s *Server) usersAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	return adminRead(s, w, u, "list users", http.StatusOK, func() (map[string]any, error) {
		l, err := s.accounts.List(r.Context())
		return list("users", l), err
	})
}

func (s *Server) userAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	return adminRead(s, w, u, "read users", http.StatusOK, func() (auth.Account, error) {
		return s.accounts.Account(r.Context(), r.PathValue("username"))
	})
}

func (s *Server) createUserAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if err := s.adminOnly(u, "change users"); err != nil {
		return err
	}
	var in newUser
	if err := decodeAction(w, r, &in); err != nil {
		return err
	}
	out := givenPassword{}
	if in.Password == "" {
		in.Password = auth.GeneratePassword()
		out.Password = in.Password
	}
	if err := s.accounts.Register(r.Context(), auth.User{Username: in.Username, FullName: in.FullName, Position: in.Position,
		Role: in.Role, Unit: in.Unit}, in.Password, whoAdmin(u)); err != nil {
		return err
	}
	a, err := s.accounts.Account(r.Context(), strings.TrimSpace(in.Username))
	if err != nil {
		return err
	}
	out.User = &a
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func (s *Server) putUserAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	return adminChange(s, w, r, u, "change users", http.StatusOK, func(c auth.Change) (auth.Account, error) {
		return s.accounts.Change(r.Context(), r.PathValue("username"), c, whoAdmin(u))
	})
}

func (s *Server) setActiveAPI(active bool) func(w http.ResponseWriter, r *http.Request, u auth.User) error {
	return func(w http.ResponseWriter, r *http.Request, u auth.User) error {
		return adminRead(s, w, u, "change users", http.StatusOK, func() (auth.Account, error) {
			return s.accounts.SetActive(r.Context(), r.PathValue("username"), active, whoAdmin(u))
		})
	}
}

func (s *Server) resetPasswordAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if err := s.adminOnly(u, "change users"); err != nil {
		return err
	}
	var in struct {
		Password string `json:"password"`
	}
	if err := decodeAction(w, r, &in); err != nil {
		return err
	}
	out := givenPassword{}
	if in.Password == "" {
		in.Password = auth.GeneratePassword()
		out.Password = in.Password
	}
	if err := s.accounts.ResetPassword(r.Context(), r.PathValue("username"), in.Password, whoAdmin(u)); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
	return nil
}
