package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/obieg/obieg/internal/adapters/s3"
	"github.com/obieg/obieg/internal/dev/demo"
	"github.com/obieg/obieg/internal/dev/devstack/stacktest"
	"github.com/obieg/obieg/internal/domain/blob"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/delivery"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/records/audit"
	"github.com/obieg/obieg/internal/records/auth"
	"github.com/obieg/obieg/internal/records/cases"
	"github.com/obieg/obieg/internal/records/deliveries"
	"github.com/obieg/obieg/internal/records/institutions"
	"github.com/obieg/obieg/internal/records/plan"
	"github.com/obieg/obieg/internal/records/register"
	"github.com/obieg/obieg/internal/web"
)

func TestMain(m *testing.M) { stacktest.Main(m) }

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// office is the demo office with one case in SEK, one in OIS and one quarantined submission,
// served over HTTP.
type office struct {
	url              string
	logs             *syncBuffer
	sekCase, oisCase string // references
	acted            *[]string
	pool             *pgxpool.Pool
	quarantined      string // submission id
	sekDelivery      string // a sending of the SEK case, delivered, with its proof kept
	proof            []byte // that proof
	raw              rawStore
	letter           letterFiles // of the SEK case
}

// rawStore stands in for the bucket of submissions as received, by key.
type rawStore map[string][]byte

func (m rawStore) Get(_ context.Context, bucket, key string, max int64) ([]byte, error) {
	b, ok := m[bucket+"/"+key]
	if !ok {
		return nil, blob.ErrNotFound
	}
	if int64(len(b)) > max {
		return nil, errors.New("too large")
	}
	return b, nil
}

// Of reads the extract of a document of the map as internal/records/extracts makes one: with
// forms.Read (the end-to-end tests in internal/app run the real store on MinIO).
func (m rawStore) Of(ctx context.Context, ref blob.Ref) (forms.Extract, error) {
	data, err := m.Get(ctx, ref.Bucket, ref.Key, forms.DefaultLimits.MaxBytes)
	if err != nil {
		return forms.Extract{}, err
	}
	return forms.Read(data, forms.DefaultLimits)
}

// recordingActions stands in for the cases' workflows (the end-to-end test in internal/app
// runs the real ones): it records what reached it.
type recordingActions struct{ acted *[]string }

func (a recordingActions) Act(_ context.Context, ref string, req web.ActionRequest) (string, error) {
	what := req.Actor.Username + " " + req.Action + " " + ref
	if req.BoxAddress != "" {
		what += " " + req.BoxAddress
	}
	*a.acted = append(*a.acted, what)
	return "assigned", nil
}

func (a recordingActions) ActOnSubmission(_ context.Context, workflowID string, req web.SubmissionRequest) (string, error) {
	*a.acted = append(*a.acted, req.Actor.Username+" "+req.Action+" "+workflowID)
	return "routed", nil
}

func newOffice(t *testing.T) office {
	t.Helper()
	ctx := context.Background()
	pool, _ := stacktest.Pool(t)
	if err := demo.Seed(ctx, pool); err != nil {
		t.Fatal(err)
	}
	sekCase := openCase(t, pool, "a", "SEK", "0600")
	oisCase := openCase(t, pool, "b", "OIS", "5131")
	reg := register.New(pool)
	id := record(t, pool, "c")
	quarantined := uuid.UUID(id).String()
	if err := reg.Quarantine(ctx, id, "not-xml", "XML syntax error", time.Now()); err != nil {
		t.Fatal(err)
	}
	blobs, bucket := stacktest.Blob(t, false)
	sekDelivery, proof := deliveredWithProof(t, pool, blobs, bucket, sekCase)
	raw := rawStore{}
	letter := withLetter(t, pool, raw, sekCase)
	logs := &syncBuffer{}
	store := pgxstore.NewWithCleanupInterval(pool, 0)
	var acted []string
	srv, err := web.New(web.Deps{
		Cases: cases.New(pool), CaseFiles: cases.New(pool), Actions: recordingActions{&acted},
		Registry: reg, Targets: plan.New(pool), SubActions: recordingActions{&acted},
		Plan: plan.New(pool), Rules: plan.New(pool), Institutions: institutions.New(pool), Accounts: auth.New(pool),
		Submissions: reg, Users: auth.New(pool), Audit: audit.New(pool), DB: pool,
		Sessions: store, Logger: slog.New(slog.NewTextHandler(logs, nil)),
		Office: "Regionalny Ośrodek Polityki Społecznej w Łodzi", Raw: raw, RawBucket: "raw", Extracts: raw,
		Documents: blobs, DocumentsBucket: bucket, Deliveries: deliveries.New(pool),
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return office{url: ts.URL, logs: logs, sekCase: sekCase, oisCase: oisCase, acted: &acted, pool: pool, quarantined: quarantined,
		sekDelivery: sekDelivery.String(), proof: proof, raw: raw, letter: letter}
}

// deliveredWithProof records a signed answer in the case ref, sent through e-Doręczenia and
// delivered, its proof of receipt kept in bucket as the delivery activity keeps it.
func deliveredWithProof(t *testing.T, pool *pgxpool.Pool, blobs *s3.Client, bucket, ref string) (uuid.UUID, []byte) {
	t.Helper()
	ctx := context.Background()
	cs := cases.New(pool)
	c, err := cs.Get(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := cs.AddDocument(ctx, casefile.Document{CaseID: c.ID, Kind: "odpowiedz", Title: "Odpowiedź", Status: "signed",
		XMLKey: "documents/x", PDFKey: "documents/y", SHA256: strings.Repeat("ab", 32), CreatedAt: time.Now(), CreatedBy: "kierownik.sek"}, "doc-"+ref)
	if err != nil {
		t.Fatal(err)
	}
	ds := deliveries.New(pool)
	d, err := ds.Ensure(ctx, delivery.Delivery{CaseID: c.ID, DocumentID: doc.ID, Channel: delivery.ChannelEDoreczenia,
		Address: "AE:PL-20000-00002-JANKO-22", CreatedAt: time.Now(), CreatedBy: "kierownik.sek"}, "sending-"+ref)
	if err != nil {
		t.Fatal(err)
	}
	proof := []byte(`<?xml version="1.0" encoding="UTF-8"?><DowodEDoreczenia xmlns="urn:obieg:edoreczeniasim:dowod:1"><IdentyfikatorWiadomosci>msg-1</IdentyfikatorWiadomosci></DowodEDoreczenia>`)
	stored, err := blobs.PutContentAt(ctx, bucket, "proofs/", proof, "application/xml")
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.Drafted(ctx, d.ID, "msg-1"); err != nil {
		t.Fatal(err)
	}
	if err := ds.Sent(ctx, d.ID, "task-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := ds.Delivered(ctx, d.ID, civil.DateOf(time.Now()), false, "ev-1", delivery.Proof{Key: stored.Key, SHA256: stored.SHA256,
		Size: stored.Size, Signature: delivery.ProofUnsigned}); err != nil {
		t.Fatal(err)
	}
	return d.ID, proof
}

func record(t *testing.T, pool *pgxpool.Pool, id string) [16]byte {
	t.Helper()
	sha := strings.Repeat(id, 64)[:64]
	sub, err := register.New(pool).Record(context.Background(), register.Submission{
		Channel: "epuap", BoxDocumentID: id, WorkflowID: "submission/epuap/" + id, ReceivedAt: time.Now(), PulledAt: time.Now(),
		SenderName: "Jan Testowy", RawKey: "sha256/" + sha, SHA256: sha, Size: 10,
	})
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func openCase(t *testing.T, pool *pgxpool.Pool, id, unit, class string) string {
	t.Helper()
	sub := record(t, pool, id)
	c, err := cases.New(pool).Open(context.Background(), sub, unit, class, "Sprawa "+unit, time.Now(), civil.Warsaw)
	if err != nil {
		t.Fatal(err)
	}
	return c.Reference
}

// client signs in as username (no sign-in when username is "") and returns an HTTP client
// that does not follow redirects and checks every API exchange against the OpenAPI document.
func (o office) client(t *testing.T, username string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: &conforming{t: t, router: apiRouter(t)},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if username == "" {
		return c
	}
	resp, err := c.PostForm(o.url+"/logowanie", url.Values{"login": {username}, "haslo": {demo.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: got %s, want a redirect", username, resp.Status)
	}
	return c
}

var (
	routerOnce sync.Once
	router     routers.Router
	routerErr  error
)

// apiRouter loads and checks the OpenAPI document once.
func apiRouter(t *testing.T) routers.Router {
	t.Helper()
	routerOnce.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromData(web.OpenAPI)
		if err != nil {
			routerErr = err
			return
		}
		if routerErr = doc.Validate(context.Background()); routerErr != nil {
			return
		}
		router, routerErr = gorillamux.NewRouter(doc)
	})
	if routerErr != nil {
		t.Fatalf("OpenAPI document: %v", routerErr)
	}
	return router
}

// conforming is a transport that checks each request to the API, and its response, against
// the OpenAPI document: what the API does is what it says.
type conforming struct {
	t      *testing.T
	router routers.Router
}

func (c *conforming) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || !(strings.HasPrefix(req.URL.Path, "/api/") || req.URL.Path == "/healthz") || req.URL.Path == "/api/v1/openapi.yaml" {
		return resp, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(body))

	check, _ := http.NewRequest(req.Method, req.URL.String(), bytes.NewReader(reqBody))
	check.Header = req.Header
	route, params, ferr := c.router.FindRoute(check)
	if ferr != nil {
		c.t.Errorf("%s %s is not in the OpenAPI document: %v", req.Method, req.URL.Path, ferr)
		return resp, nil
	}
	in := &openapi3filter.RequestValidationInput{Request: check, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if resp.StatusCode < 400 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			c.t.Errorf("%s %s: request does not follow the OpenAPI document: %v", req.Method, req.URL, err)
		}
	}
	if err := openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}); err != nil {
		c.t.Errorf("%s %s: %d response does not follow the OpenAPI document: %v\n%s", req.Method, req.URL, resp.StatusCode, err, body)
	}
	return resp, nil
}

// TestDeadlineAPI checks the deadline route and health against the document (through the
// conforming transport) and their answers.
func TestDeadlineAPI(t *testing.T) {
	o := newOffice(t)
	c := o.client(t, "referent.sek")
	resp, err := c.Get(o.url + "/api/v1/deadline?start=2026-12-10&term=14d&exclude=2026-12-11..2026-12-12")
	if err != nil {
		t.Fatal(err)
	}
	var ex struct {
		Due string `json:"due"`
	}
	json.NewDecoder(resp.Body).Decode(&ex)
	resp.Body.Close()
	// 10 Dec + 14 days = 24 Dec (a holiday from 2025), extended by 2 excluded days: 26 Dec
	// (a holiday), 27 Dec Sunday: Monday 28 December.
	if resp.StatusCode != http.StatusOK || ex.Due != "2026-12-28" {
		t.Errorf("got %d due %s, want 200 due 2026-12-28", resp.StatusCode, ex.Due)
	}
	for _, q := range []string{"start=2026-02-30&term=1m", "start=2026-02-01&term=1y", "start=2026-02-01&term=1m&exclude=x"} {
		resp, err := c.Get(o.url + "/api/v1/deadline?" + q)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: got %d, want 400", q, resp.StatusCode)
		}
	}
	resp, err = c.Get(o.url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
}

// TestAccess checks every route against every role: who may see what, and that everyone
// else is refused.
func TestAccess(t *testing.T) {
	o := newOffice(t)
	type want struct {
		code  int
		cases string // comma-separated references' units for /api/v1/cases
	}
	sek, ois := "/api/v1/cases/"+o.sekCase, "/api/v1/cases/"+o.oisCase
	sekPage := "/sprawy/" + o.sekCase
	sekPDF := "/api/v1/cases/" + o.sekCase + "/metryka.pdf"
	sekDraft := "/api/v1/cases/" + o.sekCase + "/draft-proposal"
	complaints := "/api/v1/complaints"
	sekProof := "/api/v1/cases/" + o.sekCase + "/deliveries/" + o.sekDelivery + "/proof"
	sekProofPage := "/sprawy/" + o.sekCase + "/doreczenia/" + o.sekDelivery + "/dowod"
	routes := []string{"/api/v1/cases", "/sprawy", "/kwarantanna", "/api/v1/submissions?status=quarantined", sek, ois, sekPage, sekPDF, sekDraft, complaints, "/rejestr-skarg",
		sekProof, sekProofPage}
	// The incoming letter and its files.
	letterAPI := []string{sek + "/submission", sek + "/submission/document", sek + "/submission/attachments/1", sek + "/submission/report"}
	letterPages := []string{sekPage + "/wplyw/dokument", sekPage + "/wplyw/zalaczniki/1", sekPage + "/wplyw/raport"}
	routes = append(append(routes, letterAPI...), letterPages...)
	tests := []struct {
		user string
		want map[string]want
	}{
		{"", map[string]want{"/api/v1/cases": {code: 401}, "/sprawy": {code: 303}, "/kwarantanna": {code: 303}, "/api/v1/submissions?status=quarantined": {code: 401},
			sek: {code: 401}, ois: {code: 401}, sekPage: {code: 303}, sekPDF: {code: 401}, sekDraft: {code: 401}, complaints: {code: 401}, "/rejestr-skarg": {code: 303}}},
		{"referent.ois", map[string]want{"/api/v1/cases": {200, "OIS"}, "/sprawy": {code: 200}, "/kwarantanna": {code: 403}, "/api/v1/submissions?status=quarantined": {code: 403},
			sek: {code: 403}, ois: {code: 200}, sekPage: {code: 403}, sekPDF: {code: 403}, sekDraft: {code: 403}, complaints: {code: 200}, "/rejestr-skarg": {code: 200}}},
		{"kierownik.sek", map[string]want{"/api/v1/cases": {200, "SEK"}, "/sprawy": {code: 200}, "/kwarantanna": {code: 403}, "/api/v1/submissions?status=quarantined": {code: 403},
			sek: {code: 200}, ois: {code: 403}, sekPage: {code: 200}, sekPDF: {code: 200}, sekDraft: {code: 200}, complaints: {code: 200}, "/rejestr-skarg": {code: 200}}},
		{"kancelaria", map[string]want{"/api/v1/cases": {code: 403}, "/sprawy": {code: 403}, "/kwarantanna": {code: 200}, "/api/v1/submissions?status=quarantined": {code: 200},
			sek: {code: 403}, ois: {code: 403}, sekPage: {code: 403}, sekPDF: {code: 403}, sekDraft: {code: 403}, complaints: {code: 403}, "/rejestr-skarg": {code: 403}}},
		{"archiwista", map[string]want{"/api/v1/cases": {200, "OIS,SEK"}, "/sprawy": {code: 200}, "/kwarantanna": {code: 403}, "/api/v1/submissions?status=quarantined": {code: 403},
			sek: {code: 200}, ois: {code: 200}, sekPage: {code: 200}, sekPDF: {code: 200}, sekDraft: {code: 200}, complaints: {code: 200}, "/rejestr-skarg": {code: 200}}},
		{"admin", map[string]want{"/api/v1/cases": {200, "OIS,SEK"}, "/sprawy": {code: 200}, "/kwarantanna": {code: 200}, "/api/v1/submissions?status=quarantined": {code: 200},
			sek: {code: 200}, ois: {code: 200}, sekPage: {code: 200}, sekPDF: {code: 200}, sekDraft: {code: 200}, complaints: {code: 200}, "/rejestr-skarg": {code: 200}}},
	}
	// The proof of receipt of a sending is read as the case file is: by whoever may see it.
	for _, tt := range tests {
		tt.want[sekProof], tt.want[sekProofPage] = tt.want[sek], tt.want[sekPage]
		for _, r := range letterAPI {
			tt.want[r] = tt.want[sek]
		}
		for _, r := range letterPages {
			tt.want[r] = tt.want[sekPage]
		}
	}
	// Administration (the institutions, the users) is for administrators only.
	for _, route := range adminPages {
		routes = append(routes, route)
		for _, tt := range tests {
			switch {
			case tt.user == "":
				tt.want[route] = want{code: 303}
				if strings.HasPrefix(route, "/api/") {
					tt.want[route] = want{code: 401}
				}
			case tt.user == "admin":
				tt.want[route] = want{code: 200}
			default:
				tt.want[route] = want{code: 403}
			}
		}
	}
	for _, tt := range tests {
		name := tt.user
		if name == "" {
			name = "anonymous"
		}
		t.Run(name, func(t *testing.T) {
			c := o.client(t, tt.user)
			for _, route := range routes {
				w := tt.want[route]
				refusals := strings.Count(o.logs.String(), "access refused")
				resp, err := c.Get(o.url + route)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != w.code {
					t.Errorf("GET %s: got %d, want %d", route, resp.StatusCode, w.code)
					continue
				}
				if w.cases != "" {
					var got struct {
						Cases []struct{ Unit string } `json:"cases"`
					}
					if err := json.Unmarshal(body, &got); err != nil {
						t.Fatal(err)
					}
					var units []string
					for _, c := range got.Cases {
						units = append(units, c.Unit)
					}
					if strings.Join(units, ",") != w.cases && strings.Join(reverse(units), ",") != w.cases {
						t.Errorf("GET %s: got cases of units %v, want %s", route, units, w.cases)
					}
				}
				if w.code == 403 && strings.Count(o.logs.String(), "access refused") <= refusals {
					t.Errorf("GET %s refused without a log line", route)
				}
			}
		})
	}
}

// adminPages are the routes administrators read: the institutions and the users (the demo
// seed's first institution has id 1).
var adminPages = []string{"/administracja", "/administracja/instytucje", "/administracja/instytucje/nowa", "/administracja/instytucje/1",
	"/api/v1/institutions", "/api/v1/institutions/1", "/administracja/uzytkownicy", "/administracja/uzytkownicy/nowy",
	"/administracja/uzytkownicy/referent.sek", "/api/v1/users", "/api/v1/users/referent.sek"}

// adminChanges are the routes administrators change the institutions and the users by.
var adminChanges = []struct{ method, path, body string }{
	{http.MethodPost, "/api/v1/institutions", `{"regon":"123456785","name":"Dom","kind":"ops"}`},
	{http.MethodPut, "/api/v1/institutions/1", `{"regon":"123456785","name":"Dom","kind":"ops"}`},
	{http.MethodPost, "/api/v1/institutions/1/deactivate", ``},
	{http.MethodPost, "/administracja/instytucje", `regon=123456785&name=Dom&kind=ops&active=on`},
	{http.MethodPost, "/administracja/instytucje/1", `regon=123456785&name=Dom&kind=ops&active=on`},
	{http.MethodPost, "/administracja/instytucje/1/dezaktywacja", ``},
	{http.MethodPost, "/api/v1/users", `{"username":"intruz","full_name":"Intruz","role":"admin"}`},
	{http.MethodPut, "/api/v1/users/referent.sek", `{"full_name":"Maria Wiśniewska","role":"admin"}`},
	{http.MethodPost, "/api/v1/users/referent.sek/password", `{"password":"przejete-haslo-123"}`},
	{http.MethodPost, "/api/v1/users/referent.sek/deactivate", ``},
	{http.MethodPost, "/api/v1/users/referent.sek/activate", ``},
	{http.MethodPost, "/administracja/uzytkownicy", `username=intruz&full_name=Intruz&role=admin&password=przejete-haslo-123`},
	{http.MethodPost, "/administracja/uzytkownicy/referent.sek", `full_name=Maria+Wi%C5%9Bniewska&role=admin`},
	{http.MethodPost, "/administracja/uzytkownicy/referent.sek/haslo", `password=przejete-haslo-123`},
	{http.MethodPost, "/administracja/uzytkownicy/referent.sek/dezaktywacja", ``},
	{http.MethodPost, "/administracja/uzytkownicy/referent.sek/aktywacja", ``},
}

// send makes a request with a JSON body to the API and a form body to pages.
func send(t *testing.T, c *http.Client, method, url, body string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if strings.Contains(url, "/api/") {
		req.Header.Set("Content-Type", "application/json")
	} else {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, b
}

// TestAdminChangesRefused checks that no one but an administrator may change the institutions
// or the users, that each refusal is logged and audited, and that nothing changed.
func TestAdminChangesRefused(t *testing.T) {
	o := newOffice(t)
	for _, user := range []string{"", "referent.ois", "kierownik.sek", "kancelaria", "archiwista"} {
		c := o.client(t, user)
		for _, ch := range adminChanges {
			refusals := strings.Count(o.logs.String(), "access refused")
			resp, _ := send(t, c, ch.method, o.url+ch.path, ch.body)
			want := http.StatusForbidden
			if user == "" {
				want = http.StatusSeeOther
				if strings.HasPrefix(ch.path, "/api/") {
					want = http.StatusUnauthorized
				}
			}
			if resp.StatusCode != want {
				t.Errorf("%s %s as %q: got %d, want %d", ch.method, ch.path, user, resp.StatusCode, want)
			}
			if want == http.StatusForbidden && strings.Count(o.logs.String(), "access refused") <= refusals {
				t.Errorf("%s %s as %q refused without a log line", ch.method, ch.path, user)
			}
		}
	}
	var changes, denied int
	o.pool.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE action LIKE 'institution.%' OR action LIKE 'user.%'),
		count(*) FILTER (WHERE action = 'auth.denied' AND (object_id LIKE '%/institu%' OR object_id LIKE '%/instytucje%'
			OR object_id LIKE '%/uzytkownicy%' OR object_id LIKE '%/users%'))
		FROM audit_log`).Scan(&changes, &denied)
	if changes != 0 || denied != 4*len(adminChanges) {
		t.Errorf("audit log: %d changes (want 0), %d refusals (want %d)", changes, denied, 4*len(adminChanges))
	}
	var role string
	var active bool
	o.pool.QueryRow(context.Background(), `SELECT role, active FROM users, institutions WHERE username = 'referent.sek' AND id = 1`).Scan(&role, &active)
	if role != "clerk" || !active {
		t.Errorf("after the refusals: referent.sek is %s, institution 1 active %v", role, active)
	}
}

func reverse(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

func TestSignIn(t *testing.T) {
	o := newOffice(t)
	c := o.client(t, "")

	// A wrong password: refused, no session, the form again with the message.
	resp, err := c.PostForm(o.url+"/logowanie", url.Values{"login": {"admin"}, "haslo": {"zle-haslo-123"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "Nieprawidłowy login lub hasło") {
		t.Errorf("wrong password: got %d, want 401 with a message", resp.StatusCode)
	}
	if resp, _ := c.Get(o.url + "/api/v1/cases"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("after a refused sign-in the API answers %d, want 401", resp.StatusCode)
	}

	// next may only lead within the site.
	for next, want := range map[string]string{"/kwarantanna": "/kwarantanna", "//evil.example/": "/sprawy", "https://evil.example/": "/sprawy", "/\\evil.example": "/sprawy"} {
		resp, err := o.client(t, "").PostForm(o.url+"/logowanie", url.Values{"login": {"admin"}, "haslo": {demo.Password}, "next": {next}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Location"); got != want {
			t.Errorf("next=%q: redirected to %q, want %q", next, got, want)
		}
	}

	// A cross-site form post is refused before it is read.
	req, _ := http.NewRequest(http.MethodPost, o.url+"/logowanie", strings.NewReader(url.Values{"login": {"admin"}, "haslo": {demo.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site sign-in: got %d, want 403", resp.StatusCode)
	}

	// Signing out ends the session.
	admin := o.client(t, "admin")
	resp, err = admin.PostForm(o.url+"/wyloguj", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp, _ := admin.Get(o.url + "/api/v1/cases"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("after signing out the API answers %d, want 401", resp.StatusCode)
	}
}

// TestActionsAccess checks that an action on another unit's case never reaches its workflow.
func TestActionsAccess(t *testing.T) {
	o := newOffice(t)
	post := func(c *http.Client, ref string) int {
		resp, err := c.Post(o.url+"/api/v1/cases/"+ref+"/actions/assign", "application/json", strings.NewReader(`{"assignee":"referent.sek"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(o.client(t, "kierownik.ois"), o.sekCase); code != http.StatusForbidden {
		t.Errorf("head of OIS acting on a SEK case: got %d, want 403", code)
	}
	if code := post(o.client(t, ""), o.sekCase); code != http.StatusUnauthorized {
		t.Errorf("anonymous action: got %d, want 401", code)
	}
	if code := post(o.client(t, "kierownik.sek"), o.sekCase); code != http.StatusOK {
		t.Errorf("head of SEK acting on a SEK case: got %d, want 200", code)
	}
	route := func(c *http.Client) int {
		resp, err := c.Post(o.url+"/api/v1/submissions/"+o.quarantined+"/actions/route", "application/json",
			strings.NewReader(`{"unit":"SEK","jrwa_class":"0600","title":"Pismo"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := route(o.client(t, "kierownik.sek")); code != http.StatusForbidden {
		t.Errorf("a head routing a submission: got %d, want 403", code)
	}
	if code := route(o.client(t, "kancelaria")); code != http.StatusOK {
		t.Errorf("the registry routing a submission: got %d, want 200", code)
	}
	if got := strings.Join(*o.acted, "; "); got != "kierownik.sek assign "+o.sekCase+"; kancelaria route submission/epuap/c" {
		t.Errorf("actions that reached the workflows: %q, want only the SEK head's and the registry's", got)
	}
}

// TestForwardForm checks that the case page offers the head the forward with the competent
// body's optional ePUAP box, and that the form and the API carry the box to the workflow.
func TestForwardForm(t *testing.T) {
	o := newOffice(t)
	c := o.client(t, "kierownik.sek")
	resp, err := c.Get(o.url + "/sprawy/" + o.sekCase)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`action="/sprawy/` + o.sekCase + `/forward"`, `name="box_address"`, "Adres skrytki ePUAP organu właściwego"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the case page lacks %s", want)
		}
	}
	resp, err = c.PostForm(o.url+"/sprawy/"+o.sekCase+"/forward", url.Values{"body": {"Wojewoda"}, "reason": {"nadzór"}, "box_address": {" /uw/skrytka "}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = c.Post(o.url+"/api/v1/cases/"+o.sekCase+"/actions/forward", "application/json",
		strings.NewReader(`{"body":"Wojewoda","reason":"nadzór","box_address":"/uw/skrytka"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("API forward: got %d, want 200", resp.StatusCode)
	}
	want := "kierownik.sek forward " + o.sekCase + " /uw/skrytka"
	if got := strings.Join(*o.acted, "; "); got != want+"; "+want {
		t.Errorf("actions that reached the workflow: %q, want twice %q", got, want)
	}
}

// TestAudited checks that reading a case file, being refused and signing in are recorded in
// the audit log.
func TestAudited(t *testing.T) {
	o := newOffice(t)
	ois := o.client(t, "referent.ois")
	for _, path := range []string{"/api/v1/cases/" + o.oisCase, "/sprawy/" + o.oisCase, "/api/v1/cases/" + o.oisCase + "/draft-proposal",
		"/api/v1/cases/" + o.sekCase, "/api/v1/cases/" + o.sekCase + "/draft-proposal"} {
		resp, err := ois.Get(o.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	var got []string
	rows, err := o.pool.Query(context.Background(), `SELECT actor || ' ' || action || ' ' || object_id FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		got = append(got, s)
	}
	want := []string{
		"referent.ois auth.login referent.ois",
		"referent.ois case.read " + o.oisCase,
		"referent.ois case.read " + o.oisCase,
		"referent.ois case.read " + o.oisCase,
		"referent.ois auth.denied /api/v1/cases/" + o.sekCase,
		"referent.ois auth.denied /api/v1/cases/" + o.sekCase + "/draft-proposal",
	}
	tail := got[len(got)-len(want):]
	if strings.Join(tail, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit log ends with\n%s\nwant\n%s", strings.Join(tail, "\n"), strings.Join(want, "\n"))
	}
}

// TestAdministration checks that the administrator edits routing rules and the filing plan,
// that a change breaking them is refused, that no one else may, and that changes are audited.
func TestAdministration(t *testing.T) {
	o := newOffice(t)
	admin, clerk := o.client(t, "admin"), o.client(t, "referent.sek")
	put := func(c *http.Client, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPut, o.url+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	tests := []struct {
		name    string
		client  *http.Client
		path    string
		body    string
		want    int
		message string // a fragment of the Polish message of a refusal
	}{
		{"rule changed", admin, "/api/v1/routing-rules/pismo-ogolne", `{"jrwa_class":"0600","unit":"KAN","term":"14d"}`, 200, ""},
		{"rule to a class with children", admin, "/api/v1/routing-rules/pismo-ogolne", `{"jrwa_class":"06","unit":"KAN","term":"1m"}`, 422, "Zmiana odrzucona: Klasa JRWA 06 nie istnieje lub nie jest klasą końcową."},
		{"rule with a bad term", admin, "/api/v1/routing-rules/pismo-ogolne", `{"jrwa_class":"0600","unit":"KAN","term":"1y"}`, 422, `Termin \"1y\"`},
		{"rule by a clerk", clerk, "/api/v1/routing-rules/pismo-ogolne", `{"jrwa_class":"0600","unit":"SEK","term":"1m"}`, 403, ""},
		{"class added", admin, "/api/v1/jrwa/0602", `{"heading":"Korespondencja z mediami","category":"B5"}`, 200, ""},
		{"category on a class with children", admin, "/api/v1/jrwa/057", `{"heading":"Skargi i wnioski","category":"A"}`, 422, "Klasa 057 ma podklasy"},
		{"childless top class", admin, "/api/v1/jrwa/9", `{"heading":"Inne"}`, 422, "Klasa 9 nie ma podklas"},
		{"class by a clerk", clerk, "/api/v1/jrwa/0603", `{"heading":"X","category":"B5"}`, 403, ""},
		{"class counted from its documents", admin, "/api/v1/jrwa/0604", `{"heading":"Ogłoszenia","category":"B2","counting":"creation"}`, 200, ""},
		{"unknown counting", admin, "/api/v1/jrwa/0605", `{"heading":"X","category":"B2","counting":"kiedys"}`, 422, "nieznany sposób liczenia"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, body := put(tt.client, tt.path, tt.body)
			if got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
			if !strings.Contains(body, tt.message) {
				t.Errorf("got %s, want the message to say %q", body, tt.message)
			}
		})
	}
	// The page's form answers a refused rule as the API does, and says why on the page.
	resp, _ := send(t, admin, http.MethodPost, o.url+"/administracja/reguly/pismo-ogolne", "jrwa_class=06&unit=KAN&term=1m")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "odmowa="+url.QueryEscape("Zmiana odrzucona: Klasa JRWA 06")) {
		t.Errorf("a refused rule by the form: got %d to %q, want back to the page with the reason", resp.StatusCode, loc)
	}
	var term string
	o.pool.QueryRow(context.Background(), `SELECT term FROM routing_rules WHERE form_type = 'pismo-ogolne'`).Scan(&term)
	if term != "14d" {
		t.Errorf("rule term %q, want the accepted change 14d", term)
	}
	var audited int
	o.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action IN ('routing.rule_saved', 'jrwa.class_saved') AND actor = 'admin'`).Scan(&audited)
	if audited != 3 {
		t.Errorf("%d changes audited, want 3", audited)
	}
	var counting string
	o.pool.QueryRow(context.Background(), `SELECT retention_counting FROM jrwa_classes WHERE symbol = '0604'`).Scan(&counting)
	if counting != "creation" {
		t.Errorf("class 0604 counts from %q, want creation", counting)
	}
	for user, want := range map[string]int{"admin": 200, "referent.sek": 403} {
		resp, err := o.client(t, user).Get(o.url + "/administracja")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("/administracja for %s: got %d, want %d", user, resp.StatusCode, want)
		}
	}
}

// TestInstitutionsAdministration checks that the administrator adds, changes and deactivates
// institutions through the API and the pages, that a wrong REGON or a REGON in use is refused
// with its reason shown at its field, and that every change is audited.
func TestInstitutionsAdministration(t *testing.T) {
	o := newOffice(t)
	admin := o.client(t, "admin")
	tests := []struct {
		name, method, path, body string
		want                     int
		has                      string
	}{
		{"add", http.MethodPost, "/api/v1/institutions", `{"regon":"12345678500010","name":"Filia DPS w Bochni","kind":"dom-pomocy-spolecznej","since":"2026-01-01"}`, 201, `"active": true`},
		{"add with a wrong check digit", http.MethodPost, "/api/v1/institutions", `{"regon":"12345678500011","name":"Filia","kind":"ops"}`, 422, "cyfrą kontrolną"},
		{"add a REGON in use", http.MethodPost, "/api/v1/institutions", `{"regon":"993040016","name":"Inny DPS","kind":"dom-pomocy-spolecznej"}`, 422, "ma już ten REGON"},
		{"add without REGON and ePUAP", http.MethodPost, "/api/v1/institutions", `{"name":"Inny DPS","kind":"dom-pomocy-spolecznej"}`, 422, "REGON albo identyfikator ePUAP"},
		{"add with an unknown field", http.MethodPost, "/api/v1/institutions", `{"regon":"123456785","name":"X","kind":"ops","nip":"1"}`, 400, ""},
		{"change", http.MethodPut, "/api/v1/institutions/1", `{"regon":"993040016","epuap":"dps_alberta","name":"Dom Pomocy Społecznej im. św. Brata Alberta w Krakowie","kind":"dom-pomocy-spolecznej","until":"2026-12-31"}`, 200, `"until": "2026-12-31"`},
		{"change a missing one", http.MethodPut, "/api/v1/institutions/999", `{"regon":"123456785","name":"X","kind":"ops"}`, 404, ""},
		{"read", http.MethodGet, "/api/v1/institutions/1", ``, 200, `"changed_by": "admin"`},
		{"deactivate", http.MethodPost, "/api/v1/institutions/2/deactivate", ``, 200, `"active": false`},
		{"deactivate a missing one", http.MethodPost, "/api/v1/institutions/999/deactivate", ``, 404, ""},
		{"list", http.MethodGet, "/api/v1/institutions", ``, 200, "Filia DPS w Bochni"},
		{"form with a wrong REGON", http.MethodPost, "/administracja/instytucje", `regon=123&name=Nowa&kind=ops&active=on`, 422,
			`aria-describedby="regon-hint regon-error" aria-invalid="true"`},
		{"form with a bad date", http.MethodPost, "/administracja/instytucje", `regon=123456785&name=Nowa&kind=ops&since=1.02.2026`, 422, `id="since-error"`},
		{"form adds", http.MethodPost, "/administracja/instytucje", `epuap=ops_wieliczka&name=Ośrodek+Pomocy+Społecznej+w+Wieliczce&kind=ops&active=on`, 303, ""},
		{"form deactivates", http.MethodPost, "/administracja/instytucje/3/dezaktywacja", ``, 303, ""},
		{"list page", http.MethodGet, "/administracja/instytucje", ``, 200, "Ośrodek Pomocy Społecznej w Wieliczce"},
		{"edit page", http.MethodGet, "/administracja/instytucje/1", ``, 200, `<legend>Identyfikacja nadawcy</legend>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := send(t, admin, tt.method, o.url+tt.path, tt.body)
			if resp.StatusCode != tt.want || !strings.Contains(string(body), tt.has) {
				t.Errorf("got %d, want %d with %q\n%s", resp.StatusCode, tt.want, tt.has, body)
			}
		})
	}
	var actions string
	o.pool.QueryRow(context.Background(), `SELECT string_agg(action, ' ' ORDER BY seq) FROM audit_log WHERE object_type = 'institution' AND actor = 'admin'`).Scan(&actions)
	if want := "institution.created institution.updated institution.deactivated institution.created institution.deactivated"; actions != want {
		t.Errorf("audited %q, want %q", actions, want)
	}
}

// TestUsersAdministration checks that the administrator adds users (with a password given
// once), changes their role and unit, resets passwords, and deactivates and reactivates them,
// that a deactivated user loses access at once, and that an administrator cannot deactivate
// or demote themselves.
func TestUsersAdministration(t *testing.T) {
	o := newOffice(t)
	admin := o.client(t, "admin")
	resp, body := send(t, admin, http.MethodPost, o.url+"/api/v1/users", `{"username":"referent.wpis","full_name":"Jan Nowicki","role":"clerk","unit":"WPIS"}`)
	var created struct {
		User     struct{ Username, Unit string }
		Password string
	}
	json.Unmarshal(body, &created)
	if resp.StatusCode != http.StatusCreated || created.User.Unit != "WPIS" || len(created.Password) != 16 || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("add a user: got %d %s", resp.StatusCode, body)
	}
	clerk := signIn(t, o, "referent.wpis", created.Password)
	if resp, _ := send(t, clerk, http.MethodGet, o.url+"/api/v1/cases", ""); resp.StatusCode != http.StatusOK {
		t.Errorf("the new user lists cases: got %d", resp.StatusCode)
	}

	tests := []struct {
		name, method, path, body string
		want                     int
		has                      string
	}{
		{"a username in use", http.MethodPost, "/api/v1/users", `{"username":"referent.sek","full_name":"X","role":"archivist"}`, 422, "już istnieje"},
		{"a clerk without a unit", http.MethodPost, "/api/v1/users", `{"username":"x.y","full_name":"X","role":"clerk"}`, 422, "komórkę"},
		{"a short password", http.MethodPost, "/api/v1/users", `{"username":"x.y","full_name":"X","role":"archivist","password":"krotkie"}`, 422, "12 znaków"},
		{"an unknown unit", http.MethodPut, "/api/v1/users/referent.wpis", `{"full_name":"Jan Nowicki","role":"head","unit":"NIE"}`, 422, "Nie ma takiej komórki"},
		{"promoted to head", http.MethodPut, "/api/v1/users/referent.wpis", `{"full_name":"Jan Nowicki","position":"kierownik","role":"head","unit":"WPIS"}`, 200, `"role": "head"`},
		{"a missing user", http.MethodPut, "/api/v1/users/nikt", `{"full_name":"X","role":"archivist"}`, 404, ""},
		{"the admin demotes themselves", http.MethodPut, "/api/v1/users/admin", `{"full_name":"Ewa Zielińska","role":"archivist"}`, 409, "własnego konta"},
		{"the admin deactivates themselves", http.MethodPost, "/api/v1/users/admin/deactivate", ``, 409, "własnego konta"},
		{"password set", http.MethodPost, "/api/v1/users/referent.wpis/password", `{"password":"nowe-haslo-wpis-1"}`, 200, ""},
		{"read", http.MethodGet, "/api/v1/users/referent.wpis", ``, 200, `"position": "kierownik"`},
		{"list", http.MethodGet, "/api/v1/users", ``, 200, `"username": "referent.wpis"`},
		{"form without a unit", http.MethodPost, "/administracja/uzytkownicy", `username=x.y&full_name=X&role=clerk`, 422,
			`aria-describedby="unit-hint unit-error" aria-invalid="true"`},
		{"form with a generated password", http.MethodPost, "/administracja/uzytkownicy", `username=archiwista.2&full_name=Ola+Nowak&role=archivist&unit=KAN`, 200,
			"nie zostanie pokazane ponownie"},
		{"form demoting oneself", http.MethodPost, "/administracja/uzytkownicy/admin", `full_name=Ewa+Zieli%C5%84ska&role=clerk&unit=SEK`, 303, ""},
		{"form with a short password", http.MethodPost, "/administracja/uzytkownicy/referent.wpis/haslo", `password=krotkie`, 422,
			`aria-describedby="new-password-hint new-password-error" aria-invalid="true"`},
		{"user page", http.MethodGet, "/administracja/uzytkownicy/referent.wpis", ``, 200, "Dezaktywuj konto"},
		{"own page", http.MethodGet, "/administracja/uzytkownicy/admin", ``, 200, "Nie możesz dezaktywować własnego konta"},
		{"list page", http.MethodGet, "/administracja/uzytkownicy", ``, 200, "archiwista.2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := send(t, admin, tt.method, o.url+tt.path, tt.body)
			if resp.StatusCode != tt.want || !strings.Contains(string(body), tt.has) {
				t.Errorf("got %d, want %d with %q\n%s", resp.StatusCode, tt.want, tt.has, body)
			}
		})
	}
	if resp, _ := send(t, admin, http.MethodPost, o.url+"/administracja/uzytkownicy/admin", `full_name=Ewa+Zieli%C5%84ska&role=clerk&unit=SEK`); !strings.Contains(resp.Header.Get("Location"), "odmowa=") {
		t.Errorf("demoting oneself by the form: redirected to %q, want the refusal", resp.Header.Get("Location"))
	}

	// Deactivated, the user's open session stops working at once, and signing in is refused.
	clerk = signIn(t, o, "referent.wpis", "nowe-haslo-wpis-1")
	if resp, _ := send(t, admin, http.MethodPost, o.url+"/administracja/uzytkownicy/referent.wpis/dezaktywacja", ""); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate: got %d", resp.StatusCode)
	}
	if resp, _ := send(t, clerk, http.MethodGet, o.url+"/api/v1/cases", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a deactivated user's session: got %d, want 401", resp.StatusCode)
	}
	resp, _ = send(t, o.client(t, ""), http.MethodPost, o.url+"/logowanie", "login=referent.wpis&haslo=nowe-haslo-wpis-1")
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a deactivated user signs in: got %d, want 401", resp.StatusCode)
	}
	if resp, body := send(t, admin, http.MethodPost, o.url+"/api/v1/users/referent.wpis/activate", ""); resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"active": true`) {
		t.Errorf("reactivate: got %d %s", resp.StatusCode, body)
	}
	signIn(t, o, "referent.wpis", "nowe-haslo-wpis-1")

	var actions string
	o.pool.QueryRow(context.Background(), `SELECT string_agg(action, ' ' ORDER BY seq) FROM audit_log WHERE object_type = 'user' AND actor = 'admin' AND action LIKE 'user.%'`).Scan(&actions)
	if want := "user.created user.changed user.password_reset user.created user.deactivated user.reactivated"; actions != want {
		t.Errorf("audited %q, want %q", actions, want)
	}
}

// signIn returns a client signed in with username and password.
func signIn(t *testing.T, o office, username, password string) *http.Client {
	t.Helper()
	c := o.client(t, "")
	resp, err := c.PostForm(o.url+"/logowanie", url.Values{"login": {username}, "haslo": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: got %s, want a redirect", username, resp.Status)
	}
	return c
}

// TestDeliveryProof: the case's answer lists its sendings with the proof as kept; the proof
// downloads as stored, from the page and the API, each read recorded as a read of the case
// file; a sending of another case, or no sending, is not found.
func TestDeliveryProof(t *testing.T) {
	o := newOffice(t)
	c := o.client(t, "kierownik.sek")
	resp, body := send(t, c, http.MethodGet, o.url+"/api/v1/cases/"+o.sekCase, "")
	var got struct {
		Deliveries []struct {
			ID     string
			Status string
			Proof  struct{ SHA256, Signature string }
		}
	}
	if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != 200 {
		t.Fatalf("case answer: %d %v", resp.StatusCode, err)
	}
	if len(got.Deliveries) != 1 || got.Deliveries[0].ID != o.sekDelivery || got.Deliveries[0].Status != "delivered" ||
		len(got.Deliveries[0].Proof.SHA256) != 64 || got.Deliveries[0].Proof.Signature != "unsigned" {
		t.Errorf("deliveries: got %+v, want %s delivered with its proof", got.Deliveries, o.sekDelivery)
	}
	_, page := send(t, c, http.MethodGet, o.url+"/sprawy/"+o.sekCase, "")
	if !strings.Contains(string(page), `href="/sprawy/`+o.sekCase+`/doreczenia/`+o.sekDelivery+`/dowod"`) ||
		!strings.Contains(string(page), "Dowód doręczenia (e-Doręczenia)") {
		t.Errorf("the case page does not link the proof:\n%s", page)
	}
	reads := func() int {
		var n int
		if err := o.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1 AND object_id = $2`,
			audit.ActionCaseRead, o.sekCase).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, path := range []string{"/api/v1/cases/" + o.sekCase + "/deliveries/" + o.sekDelivery + "/proof",
		"/sprawy/" + o.sekCase + "/doreczenia/" + o.sekDelivery + "/dowod"} {
		before := reads()
		resp, body := send(t, c, http.MethodGet, o.url+path, "")
		if resp.StatusCode != 200 || !bytes.Equal(body, o.proof) || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/xml") {
			t.Errorf("GET %s: got %d %s %q, want 200 the proof as stored", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if reads() != before+1 {
			t.Errorf("GET %s: the read of the case file is not recorded", path)
		}
	}
	admin := o.client(t, "admin")
	for _, path := range []string{"/api/v1/cases/" + o.oisCase + "/deliveries/" + o.sekDelivery + "/proof",
		"/api/v1/cases/" + o.sekCase + "/deliveries/" + uuid.NewString() + "/proof",
		"/api/v1/cases/" + o.sekCase + "/deliveries/not-a-uuid/proof"} {
		if resp, body := send(t, admin, http.MethodGet, o.url+path, ""); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: got %d %s, want 404", path, resp.StatusCode, body)
		}
	}
}

// TestHardenedPages checks what every answer carries against framing and caching, that an
// unknown address answers the Polish error page (titled, with its language) or the API's JSON
// error, and that a cross-origin form is refused in Polish.
func TestHardenedPages(t *testing.T) {
	o := newOffice(t)
	c := o.client(t, "referent.sek")
	resp, body := send(t, c, http.MethodGet, o.url+"/nie-ma-takiej", "")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), `lang="pl"`) || !strings.Contains(string(body), "<title>") ||
		!strings.Contains(string(body), "Nie ma takiej strony.") {
		t.Errorf("unknown page: got %d\n%s", resp.StatusCode, body)
	}
	for name, want := range map[string]string{
		"X-Frame-Options": "DENY", "Cache-Control": "no-store",
		"Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
	} {
		if got := resp.Header.Get(name); got != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
	if resp.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent by a server without secure cookies (plain HTTP)")
	}
	req, _ := http.NewRequest(http.MethodGet, o.url+"/api/v1/nie-ma", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(b), `"request_id"`) {
		t.Errorf("unknown API path: got %d %s, want 404 with the JSON error", resp.StatusCode, b)
	}
	req, _ = http.NewRequest(http.MethodPost, o.url+"/wylogowanie", strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://example.org")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(b), "z innej witryny") || !strings.Contains(string(b), `lang="pl"`) {
		t.Errorf("cross-origin form: got %d\n%s", resp.StatusCode, b)
	}
}
