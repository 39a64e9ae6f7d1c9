// Package web is obieg's HTTP edge: the pages clerks use (in Polish, WCAG 2.1 AA minded) and
// the JSON API under /api/v1. Handlers return errors; one function (answerFor, errors.go)
// turns an error's kind (internal/domain/problem) into the status and the Polish message, the
// same on every route, and the person sees it with a request id while the detail is logged
// once; internal error text never reaches the page.
package web

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/obieg/obieg/internal/domain/blob"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/domain/problem"
	"github.com/obieg/obieg/internal/records/audit"
	"github.com/obieg/obieg/internal/records/auth"
	"github.com/obieg/obieg/internal/records/cases"
	"github.com/obieg/obieg/internal/records/register"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// OpenAPI is the description of the JSON API, served at /api/v1/openapi.yaml.
//
//go:embed api/openapi.yaml
var OpenAPI []byte

// Cases is what the web edge needs of the case store.
type Cases interface {
	List(ctx context.Context, f cases.Filter) ([]casefile.Case, error)
}

// Submissions is what the web edge needs of the register.
type Submissions interface {
	ListByStatus(ctx context.Context, status string, limit int) ([]register.Submission, error)
}

// Users is what the web edge needs of the user store.
type Users interface {
	Authenticate(ctx context.Context, username, password string) (auth.User, error)
	Get(ctx context.Context, username string) (auth.User, error)
}

// Auditor records events in the audit log.
type Auditor interface {
	Append(ctx context.Context, e audit.Entry) (audit.Recorded, error)
}

// Pinger checks that the database answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps are what the server works with.
type Deps struct {
	Cases     Cases
	CaseFiles CaseFiles
	Actions   CaseActions
	Registry  Registry
	Targets   Targets
	Plan      Plan
	Rules     Rules
	// Institutions is the database of institutions reports are accepted from.
	Institutions Institutions
	// Accounts is the administration of users.
	Accounts    Accounts
	SubActions  SubmissionActions
	Submissions Submissions
	Users       Users
	Audit       Auditor
	DB          Pinger
	// Sessions keeps sign-in sessions (in production the PostgreSQL store of scs).
	Sessions scs.Store
	// SecureCookies marks the session cookie Secure (HTTPS only).
	SecureCookies bool
	// Office is the office's name, for the letterhead of documents.
	Office string
	// Deliveries are the sendings of the cases' letters, with their proofs of receipt (kept in
	// DocumentsBucket); nil shows none.
	Deliveries Deliveries
	// Documents reads the documents the office produced, kept in DocumentsBucket.
	Documents       DocumentBytes
	DocumentsBucket string
	// EDelivery passes e-Doręczenia's callbacks on to the cases and the mailbox's intake;
	// CallbackToken is the secret the callback URLs carry. Without them
	// /callbacks/edoreczenia answers 404.
	EDelivery     EDeliveryNotifier
	CallbackToken string
	// Raw reads the submissions as received, kept in RawBucket: the forms cases were opened
	// from, read under FormLimits (forms.DefaultLimits when zero) to propose drafts.
	Raw        DocumentBytes
	RawBucket  string
	FormLimits forms.Limits
	// Extracts gives what was read of a submission's document at intake (its form's content),
	// to propose drafts; nil proposes the general skeleton.
	Extracts FormExtracts
	// Archive reports the archive bucket's probe on /healthz; nil leaves it out.
	Archive ArchiveHealth
	Logger  *slog.Logger
}

// ArchiveHealth says whether the archive bucket passed its probe (internal/app): checked is
// false until one ran; err says why the archive may not be written.
type ArchiveHealth interface {
	ArchiveState() (checked bool, at time.Time, err error)
}

// FormExtracts gives the extract of a stored document (internal/records/extracts): the stored
// one, or one made from the document; a document that does not read as a form gives
// *forms.Error, a missing one blob.ErrNotFound.
type FormExtracts interface {
	Of(ctx context.Context, raw blob.Ref) (forms.Extract, error)
}

// Server serves obieg's pages and API.
type Server struct {
	cases        Cases
	caseFiles    CaseFiles
	actions      CaseActions
	registry     Registry
	targets      Targets
	plan         Plan
	rules        Rules
	institutions Institutions
	accounts     Accounts
	subActions   SubmissionActions
	submissions  Submissions
	users        Users
	audit        Auditor
	db           Pinger
	sessions     *scs.SessionManager
	office       string
	docs         DocumentBytes
	docBucket    string
	deliveries   Deliveries
	edelivery    EDeliveryNotifier
	// callbackToken is the secret of the e-Doręczenia callback URL.
	callbackToken string
	callbacksSeen recentIDs // notification ids of callbacks passed on
	raw           DocumentBytes
	rawBucket     string
	extracts      FormExtracts
	archive       ArchiveHealth
	hsts          bool // answers carry Strict-Transport-Security (secure cookies: served behind TLS)
	formLimits    forms.Limits
	logger        *slog.Logger
	pages         map[string]*template.Template
	mux           *http.ServeMux
	handler       http.Handler
}

// New returns a server over d.
func New(d Deps) (*Server, error) {
	srv := &Server{office: d.Office, docs: d.Documents, docBucket: d.DocumentsBucket, deliveries: d.Deliveries, cases: d.Cases, caseFiles: d.CaseFiles, actions: d.Actions, registry: d.Registry, targets: d.Targets, plan: d.Plan, rules: d.Rules, institutions: d.Institutions, accounts: d.Accounts, subActions: d.SubActions, submissions: d.Submissions, users: d.Users, audit: d.Audit, db: d.DB, logger: d.Logger,
		edelivery: d.EDelivery, callbackToken: d.CallbackToken,
		pages: map[string]*template.Template{}, mux: http.NewServeMux()}
	srv.raw, srv.rawBucket, srv.formLimits, srv.extracts, srv.archive = d.Raw, d.RawBucket, d.FormLimits, d.Extracts, d.Archive
	if srv.formLimits.MaxBytes == 0 {
		srv.formLimits = forms.DefaultLimits
	}
	srv.sessions = scs.New()
	srv.sessions.Store = d.Sessions
	srv.sessions.Lifetime = 10 * time.Hour   // a working day and some
	srv.sessions.IdleTimeout = 1 * time.Hour // a forgotten session does not stay open
	srv.sessions.Cookie.Name = "obieg_session"
	srv.sessions.Cookie.HttpOnly = true
	srv.sessions.Cookie.SameSite = http.SameSiteLaxMode
	srv.sessions.Cookie.Secure = d.SecureCookies
	srv.sessions.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		srv.fail(w, r, err)
	}
	funcs := template.FuncMap{"datetime": formatDateTime, "dict": dict, "proofText": proofText, "size": sizeOf, "wallclock": wallclock}
	for _, page := range []string{"admin.html", "institutions.html", "institution.html", "users.html", "user.html", "cases.html", "case.html", "complaints.html", "quarantine.html", "error.html", "login.html"} {
		t, err := template.New(page).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/fields.html", "templates/"+page)
		if err != nil {
			return nil, err
		}
		srv.pages[page] = t
	}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	srv.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	srv.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/sprawy", http.StatusSeeOther)
	})
	srv.mux.HandleFunc("GET /logowanie", srv.handle(srv.loginPage))
	srv.mux.HandleFunc("POST /logowanie", srv.handle(srv.login))
	srv.mux.HandleFunc("POST /wyloguj", srv.handle(srv.logout))
	srv.mux.HandleFunc("GET /sprawy", srv.signedIn(srv.casesPage))
	srv.mux.HandleFunc("GET /sprawy/{ref}", srv.signedIn(srv.casePage))
	srv.mux.HandleFunc("POST /sprawy/{ref}/{action}", srv.signedIn(srv.caseActionForm))
	for _, format := range []string{"xml", "pdf"} {
		srv.mux.HandleFunc("GET /sprawy/{ref}/dokumenty/{id}/"+format, srv.signedIn(srv.caseDocument(format)))
		srv.mux.HandleFunc("GET /api/v1/cases/{ref}/documents/{id}/"+format, srv.signedIn(srv.caseDocument(format)))
		srv.mux.HandleFunc("GET /sprawy/{ref}/metryka."+format, srv.signedIn(srv.caseHistoryFile(format)))
		srv.mux.HandleFunc("GET /api/v1/cases/{ref}/metryka."+format, srv.signedIn(srv.caseHistoryFile(format)))
	}
	srv.mux.HandleFunc("GET /sprawy/{ref}/doreczenia/{id}/dowod", srv.signedIn(srv.deliveryProof))
	srv.mux.HandleFunc("GET /api/v1/cases/{ref}/deliveries/{id}/proof", srv.signedIn(srv.deliveryProof))
	srv.mux.HandleFunc("GET /api/v1/cases/{ref}", srv.signedIn(srv.caseAPI))
	srv.mux.HandleFunc("GET /api/v1/cases/{ref}/submission", srv.signedIn(srv.caseIncomingAPI))
	srv.mux.HandleFunc("GET /sprawy/{ref}/wplyw/dokument", srv.signedIn(srv.incomingFile("document")))
	srv.mux.HandleFunc("GET /api/v1/cases/{ref}/submission/document", srv.signedIn(srv.incomingFile("document")))
	srv.mux.HandleFunc("GET /sprawy/{ref}/wplyw/zalaczniki/{n}", srv.signedIn(srv.incomingFile("attachment")))
	srv.mux.HandleFunc("GET /api/v1/cases/{ref}/submission/attachments/{n}", srv.signedIn(srv.incomingFile("attachment")))
	srv.mux.HandleFunc("GET /sprawy/{ref}/wplyw/raport", srv.signedIn(srv.incomingFile("report")))
	srv.mux.HandleFunc("GET /api/v1/cases/{ref}/submission/report", srv.signedIn(srv.incomingFile("report")))
	srv.mux.HandleFunc("GET /api/v1/cases/{ref}/draft-proposal", srv.signedIn(srv.draftProposalAPI))
	srv.mux.HandleFunc("POST /api/v1/cases/{ref}/actions/{action}", srv.signedIn(srv.caseActionAPI))
	srv.mux.HandleFunc("GET /kwarantanna", srv.signedIn(srv.quarantinePage))
	srv.mux.HandleFunc("GET /rejestr-skarg", srv.signedIn(srv.complaintsPage))
	srv.mux.HandleFunc("GET /administracja", srv.signedIn(srv.adminPage))
	srv.mux.HandleFunc("POST /administracja/reguly/{form}", srv.signedIn(srv.putRuleForm))
	srv.mux.HandleFunc("GET /administracja/instytucje", srv.signedIn(srv.institutionsPage))
	srv.mux.HandleFunc("GET /administracja/instytucje/nowa", srv.signedIn(srv.newInstitutionPage))
	srv.mux.HandleFunc("POST /administracja/instytucje", srv.signedIn(srv.saveInstitutionForm))
	srv.mux.HandleFunc("GET /administracja/instytucje/{id}", srv.signedIn(srv.institutionPage))
	srv.mux.HandleFunc("POST /administracja/instytucje/{id}", srv.signedIn(srv.saveInstitutionForm))
	srv.mux.HandleFunc("POST /administracja/instytucje/{id}/dezaktywacja", srv.signedIn(srv.deactivateInstitutionForm))
	srv.mux.HandleFunc("GET /api/v1/institutions", srv.signedIn(srv.institutionsAPI))
	srv.mux.HandleFunc("POST /api/v1/institutions", srv.signedIn(srv.createInstitutionAPI))
	srv.mux.HandleFunc("GET /api/v1/institutions/{id}", srv.signedIn(srv.institutionAPI))
	srv.mux.HandleFunc("PUT /api/v1/institutions/{id}", srv.signedIn(srv.putInstitutionAPI))
	srv.mux.HandleFunc("POST /api/v1/institutions/{id}/deactivate", srv.signedIn(srv.deactivateInstitutionAPI))
	srv.mux.HandleFunc("GET /administracja/uzytkownicy", srv.signedIn(srv.usersPage))
	srv.mux.HandleFunc("GET /administracja/uzytkownicy/nowy", srv.signedIn(srv.newUserPage))
	srv.mux.HandleFunc("POST /administracja/uzytkownicy", srv.signedIn(srv.createUserForm))
	srv.mux.HandleFunc("GET /administracja/uzytkownicy/{username}", srv.signedIn(srv.userPage))
	srv.mux.HandleFunc("POST /administracja/uzytkownicy/{username}", srv.signedIn(srv.changeUserForm))
	srv.mux.HandleFunc("POST /administracja/uzytkownicy/{username}/haslo", srv.signedIn(srv.resetPasswordForm))
	srv.mux.HandleFunc("POST /administracja/uzytkownicy/{username}/dezaktywacja", srv.signedIn(srv.setActiveForm(false)))
	srv.mux.HandleFunc("POST /administracja/uzytkownicy/{username}/aktywacja", srv.signedIn(srv.setActiveForm(true)))
	srv.mux.HandleFunc("GET /api/v1/users", srv.signedIn(srv.usersAPI))
	srv.mux.HandleFunc("POST /api/v1/users", srv.signedIn(srv.createUserAPI))
	srv.mux.HandleFunc("GET /api/v1/users/{username}", srv.signedIn(srv.userAPI))
	srv.mux.HandleFunc("PUT /api/v1/users/{username}", srv.signedIn(srv.putUserAPI))
	srv.mux.HandleFunc("POST /api/v1/users/{username}/password", srv.signedIn(srv.resetPasswordAPI))
	srv.mux.HandleFunc("POST /api/v1/users/{username}/deactivate", srv.signedIn(srv.setActiveAPI(false)))
	srv.mux.HandleFunc("POST /api/v1/users/{username}/activate", srv.signedIn(srv.setActiveAPI(true)))
	srv.mux.HandleFunc("GET /api/v1/routing-rules", srv.signedIn(srv.rulesAPI))
	srv.mux.HandleFunc("PUT /api/v1/routing-rules/{form}", srv.signedIn(srv.putRuleAPI))
	srv.mux.HandleFunc("GET /api/v1/jrwa", srv.signedIn(srv.classesAPI))
	srv.mux.HandleFunc("PUT /api/v1/jrwa/{symbol}", srv.signedIn(srv.putClassAPI))
	srv.mux.HandleFunc("GET /api/v1/complaints", srv.signedIn(srv.complaintsAPI))
	srv.mux.HandleFunc("GET /api/v1/cases", srv.signedIn(srv.casesAPI))
	srv.mux.HandleFunc("GET /api/v1/submissions", srv.signedIn(srv.submissionsAPI))
	srv.mux.HandleFunc("POST /api/v1/submissions/{id}/actions/{action}", srv.signedIn(srv.submissionActionAPI))
	srv.mux.HandleFunc("POST /kwarantanna/{id}/{action}", srv.signedIn(srv.submissionActionForm))
	srv.mux.HandleFunc("GET /api/v1/deadline", srv.signedIn(srv.deadlineAPI))
	srv.mux.HandleFunc("GET /api/v1/openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		w.Write(OpenAPI)
	})
	srv.mux.HandleFunc("GET /healthz", srv.handle(srv.health))
	srv.mux.HandleFunc("POST /callbacks/edoreczenia", srv.handle(srv.edeliveryCallback))
	// Any other path: the error page in Polish, or the API's JSON error.
	srv.mux.HandleFunc("/", srv.handle(func(w http.ResponseWriter, r *http.Request) error {
		return problem.NewNotFound("Nie ma takiej strony.", fmt.Errorf("no route for %s %s", r.Method, r.URL.Path))
	}))
	// Forms change state only by POST; cross-origin POSTs from browsers are refused, with the
	// error page in Polish.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(srv.handle(func(w http.ResponseWriter, r *http.Request) error {
		return &httpError{code: http.StatusForbidden, message: "Żądanie wysłane z innej witryny zostało odrzucone. Otwórz stronę obiegu i wyślij formularz stamtąd.",
			err: fmt.Errorf("cross-origin %s %s", r.Method, r.URL.Path)}
	}))
	srv.handler = srv.sessions.LoadAndSave(cop.Handler(srv.mux))
	srv.hsts = d.SecureCookies
	return srv, nil
}

// ServeHTTP serves a request. No page may be framed by another site (signing is a click), and
// no answer is kept by a browser's or a proxy's cache: pages, the API and files alike show
// case files. Behind TLS (secure cookies) browsers are told to come back over HTTPS only.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	if s.hsts {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	s.handler.ServeHTTP(w, r)
}

// handle adapts a handler that returns an error: see fail.
func (s *Server) handle(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}

// fail answers a failed request: the error is logged once with a request id and the person
// sees the Polish message answerFor gives, with that id, never the error's text. Refusals of
// access are logged as such.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	id := requestID()
	a := answerFor(err)
	code := a.code
	switch code {
	case http.StatusUnauthorized, http.StatusForbidden:
		s.logger.WarnContext(r.Context(), "access refused", "request_id", id, "method", r.Method, "path", r.URL.Path, "status", code, "reason", err.Error())
		if u := s.currentUser(r); u != nil && code == http.StatusForbidden {
			if _, aerr := s.audit.Append(r.Context(), audit.Entry{OccurredAt: time.Now(), Actor: u.Username, ActorRole: string(u.Role),
				Action: audit.ActionAuthDenied, ObjectType: "path", ObjectID: r.URL.Path, Unit: u.Unit,
				Details: map[string]any{"method": r.Method, "request_id": id}}); aerr != nil {
				s.logger.ErrorContext(r.Context(), "record refusal in the audit log", "request_id", id, "err", aerr)
			}
		}
	default:
		// A person's error (not found, invalid, refused) is a warning; obieg's own, an error.
		level := slog.LevelError
		if code < http.StatusInternalServerError {
			level = slog.LevelWarn
		}
		s.logger.Log(r.Context(), level, "request failed", "request_id", id, "method", r.Method, "path", r.URL.Path, "status", code, "err", err)
	}
	if isAPI(r) {
		body := map[string]any{"error": a.message, "request_id": id}
		if len(a.fields) > 0 {
			body["fields"] = a.fields
		}
		writeJSON(w, code, body)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	s.pages["error.html"].ExecuteTemplate(w, "layout", map[string]any{"Title": "Błąd", "Message": a.message, "RequestID": id, "User": s.currentUser(r)})
}

// httpError is an error with a status code and a message fit for a person.
type httpError struct {
	code    int
	message string
	err     error
}

func (e *httpError) Error() string { return e.message + ": " + e.err.Error() }
func (e *httpError) Unwrap() error { return e.err }

func badRequest(message string, err error) error {
	return &httpError{code: http.StatusBadRequest, message: message, err: err}
}

func forbidden(u auth.User, what string) error {
	return &httpError{code: http.StatusForbidden, message: "Nie masz uprawnień do tej strony.",
		err: fmt.Errorf("user %s (%s, unit %q) may not %s", u.Username, u.Role, u.Unit, what)}
}

// isAPI reports whether r is for a machine (the JSON API, the services' callbacks), to be
// answered in JSON.
func isAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/callbacks/")
}

func requestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, page string, data map[string]any) error {
	if _, ok := data["User"]; !ok {
		data["User"] = s.currentUser(r)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return s.pages[page].ExecuteTemplate(w, "layout", data)
}

// formatDateTime writes a time (or a *time.Time, possibly nil) as Warsaw's local time.
func formatDateTime(v any) string {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
	case *time.Time:
		if x != nil {
			t = *x
		}
	}
	if t.IsZero() {
		return "—"
	}
	return t.In(civil.Warsaw).Format("2006-01-02 15:04")
}

// visibleCases lists the cases u may see, or refuses a user who may see none.
func (s *Server) visibleCases(ctx context.Context, u auth.User) ([]casefile.Case, error) {
	scope := u.Cases()
	if scope.Empty() {
		return nil, forbidden(u, "list cases")
	}
	f := cases.Filter{Limit: 500}
	if !scope.All {
		f.Units = scope.Units
	}
	return s.cases.List(ctx, f)
}

func (s *Server) casesPage(w http.ResponseWriter, r *http.Request, u auth.User) error {
	list, err := s.visibleCases(r.Context(), u)
	if err != nil {
		return err
	}
	return s.render(w, r, "cases.html", map[string]any{"Title": "Sprawy", "Nav": "sprawy", "Cases": list, "User": &u})
}

func (s *Server) quarantinePage(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if !u.MayViewIncoming() {
		return forbidden(u, "view the quarantine")
	}
	list, err := s.submissions.ListByStatus(r.Context(), register.StatusQuarantined, 500)
	if err != nil {
		return err
	}
	unrouted, err := s.registry.ListUnrouted(r.Context(), 500)
	if err != nil {
		return err
	}
	units, classes, err := s.targets.Targets(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, "quarantine.html", map[string]any{"Title": "Kwarantanna", "Nav": "kwarantanna", "Submissions": list,
		"Unrouted": unrouted, "Units": units, "Classes": classes, "Reasons": reasonText, "User": &u,
		"Done": r.URL.Query().Get("wykonano"), "Refused": r.URL.Query().Get("odmowa")})
}

// reasonText says each quarantine reason in Polish, for the registry clerk.
var reasonText = map[string]string{
	"empty":            "dokument pusty",
	"too-large":        "dokument przekracza dopuszczalny rozmiar",
	"not-xml":          "dokument nie jest poprawnym XML",
	"dtd":              "dokument zawiera niedozwoloną deklarację DTD",
	"limits":           "dokument przekracza limity struktury (zagnieżdżenie, liczba elementów)",
	"unknown-form":     "nieznany formularz",
	"signature-failed": "podpis elektroniczny jest nieważny (treść mogła zostać zmieniona)",
	"signature-scope":  "podpis nie obejmuje całego dokumentu",
	"upd-invalid":      "poświadczenie doręczenia (UPD) z ePUAP nie jest ważne",
	"upd-unmatched":    "poświadczenie doręczenia (UPD) nie dotyczy żadnej wysyłki urzędu",
}

func (s *Server) casesAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	list, err := s.visibleCases(r.Context(), u)
	if err != nil {
		return err
	}
	if list == nil {
		list = []casefile.Case{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"cases": list})
	return nil
}

func (s *Server) submissionsAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if !u.MayViewIncoming() {
		return forbidden(u, "list submissions")
	}
	status := r.URL.Query().Get("status")
	switch status {
	case register.StatusReceived, register.StatusQuarantined, register.StatusRegistered, register.StatusDismissed:
	default:
		return badRequest("Parametr status musi mieć wartość received, quarantined albo registered.", errors.New("bad status "+status))
	}
	list, err := s.submissions.ListByStatus(r.Context(), status, 500)
	if err != nil {
		return err
	}
	if list == nil {
		list = []register.Submission{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"submissions": list})
	return nil
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		return problem.NewTransient(fmt.Errorf("ping the database: %w", err))
	}
	// The server answers without a WORM archive (people can work on their cases), but the
	// health says so: the archive writes nothing until the probe passes.
	answer := map[string]string{"status": "ok", "database": "ok"}
	if s.archive != nil {
		switch checked, at, err := s.archive.ArchiveState(); {
		case !checked:
			answer["archive"] = "not probed yet"
		case err != nil:
			answer["status"], answer["archive"] = "degraded", "refused: "+err.Error()
			answer["archive_probed_at"] = at.UTC().Format(time.RFC3339)
		default:
			answer["archive"] = "ok"
			answer["archive_probed_at"] = at.UTC().Format(time.RFC3339)
		}
	}
	writeJSON(w, http.StatusOK, answer)
	return nil
}

// dict builds a map for passing several values to a sub-template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, errors.New("dict: keys must be strings")
		}
		m[k] = kv[i+1]
	}
	return m, nil
}
