package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/obieg/obieg/internal/records/audit"
	"github.com/obieg/obieg/internal/records/auth"
)

// sessionUser is the session key holding the signed-in username.
const sessionUser = "username"

// currentUser returns the signed-in user of r, or nil. The user is read again on every
// request, so a disabled account loses access at once.
func (s *Server) currentUser(r *http.Request) *auth.User {
	name := s.sessions.GetString(r.Context(), sessionUser)
	if name == "" {
		return nil
	}
	u, err := s.users.Get(r.Context(), name)
	if err != nil {
		return nil
	}
	return &u
}

// signedIn adapts a handler that needs a signed-in user. Without one, a page redirects to
// the sign-in page and the API answers 401.
func (s *Server) signedIn(h func(w http.ResponseWriter, r *http.Request, u auth.User) error) http.HandlerFunc {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		u := s.currentUser(r)
		if u == nil {
			if isAPI(r) {
				return &httpError{code: http.StatusUnauthorized, message: "Zaloguj się.", err: errors.New("not signed in")}
			}
			http.Redirect(w, r, "/logowanie?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return nil
		}
		return h(w, r, *u)
	})
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "login.html", map[string]any{"Title": "Logowanie", "Next": safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return badRequest("Nieprawidłowy formularz.", err)
	}
	username := strings.TrimSpace(r.PostForm.Get("login"))
	next := safeNext(r.PostForm.Get("next"))
	u, err := s.users.Authenticate(r.Context(), username, r.PostForm.Get("haslo"))
	if errors.Is(err, auth.ErrBadCredentials) {
		s.logger.WarnContext(r.Context(), "sign-in refused", "username", username)
		w.WriteHeader(http.StatusUnauthorized)
		return s.render(w, r, "login.html", map[string]any{"Title": "Logowanie", "Next": next, "Login": username,
			"Error": "Nieprawidłowy login lub hasło."})
	}
	if err != nil {
		return err
	}
	// A new session token on sign-in: a token planted before cannot be ridden.
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionUser, u.Username)
	s.logger.InfoContext(r.Context(), "signed in", "username", u.Username, "role", u.Role)
	if _, err := s.audit.Append(r.Context(), audit.Entry{OccurredAt: time.Now(), Actor: u.Username, ActorRole: string(u.Role),
		Action: audit.ActionAuthLogin, ObjectType: "user", ObjectID: u.Username, Unit: u.Unit}); err != nil {
		return err
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	http.Redirect(w, r, "/logowanie", http.StatusSeeOther)
	return nil
}

// safeNext keeps a redirect target only when it is a path on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/sprawy"
	}
	return next
}
