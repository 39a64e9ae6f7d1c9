package app

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"golang.org/x/text/encoding/charmap"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/obieg/obieg/activities"
	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/adapters/wssec"
	"github.com/obieg/obieg/internal/adapters/wssec/wssectest"
	"github.com/obieg/obieg/internal/config"
	"github.com/obieg/obieg/internal/dev/demo"
	"github.com/obieg/obieg/internal/dev/devstack/stacktest"
	"github.com/obieg/obieg/internal/dev/simulator/compose"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	"github.com/obieg/obieg/internal/dev/testpki"
	"github.com/obieg/obieg/internal/domain/casehistory"
	"github.com/obieg/obieg/internal/domain/problem"
	"github.com/obieg/obieg/internal/records/audit"
	"github.com/obieg/obieg/internal/records/auth"
	"github.com/obieg/obieg/internal/records/cases"
	"github.com/obieg/obieg/internal/signatures/xades"
	"github.com/obieg/obieg/internal/web"
	"github.com/obieg/obieg/workflows"
	epuapschema "github.com/obieg/obieg/xmlschemas/epuap"
)

var update = flag.Bool("update", false, "rewrite the recorded workflow history under workflows/testdata")

func TestMain(m *testing.M) { stacktest.Main(m) }

// TestIntakeEndToEnd files documents into the simulated ePUAP box and lets the real stack
// carry them: every letter becomes one registered, routed case, a redelivered box item still
// gives one case, broken documents are quarantined with their reason, and the box ends empty
// with every item confirmed.
func TestIntakeEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	o := newTestOffice(t, ctx)
	cfg, svc, pool, tc, sim, store := o.cfg, o.svc, o.pool, o.tc, o.sim, o.store

	const letters = 20
	filed, err := demo.FileLetters(ctx, sim, cfg.EpuapPodmiot, cfg.EpuapBoxName, 1000, letters)
	if err != nil {
		t.Fatal(err)
	}
	// The box delivers the first letter a second time, as ePUAP does when a confirmation is
	// lost: the same item, the same sending time.
	items, err := store.Items(ctx, cfg.EpuapPodmiot, cfg.EpuapBoxAddress)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Append(ctx, items[0]); err != nil {
		t.Fatal(err)
	}
	broken, err := demo.FileBroken(ctx, sim, cfg.EpuapPodmiot, cfg.EpuapBoxName)
	if err != nil {
		t.Fatal(err)
	}
	big := `<w:Dokument xmlns:w="http://crd.gov.pl/wzor/2013/12/12/1410/"><w:Tytul>` + strings.Repeat("x", 70<<10) + `</w:Tytul></w:Dokument>`
	if _, err := sim.File(ctx, epuapsim.FileRequest{Podmiot: cfg.EpuapPodmiot, Skrytka: cfg.EpuapBoxName,
		Sender: epuapsim.Sender{Identyfikator: "duzy.plik", TypOsoby: "F"}, Zawartosc: []byte(big)}); err != nil {
		t.Fatal(err)
	}

	intakeID := o.start(t)
	// Starting it again leaves the running intake alone.
	if again, err := svc.StartIntake(ctx); err != nil || again != intakeID {
		t.Fatalf("second StartIntake = %q, %v; want %q", again, err, intakeID)
	}

	o.waitFor(t, letters, 3)

	// Every letter: one submission, one register number, one case; numbers without gaps.
	var nSubs, nEntries, maxNumber, distinctRefs int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM submissions), (SELECT count(*) FROM register_entries),
		(SELECT coalesce(max(number), 0) FROM register_entries), (SELECT count(DISTINCT reference) FROM cases)`).
		Scan(&nSubs, &nEntries, &maxNumber, &distinctRefs); err != nil {
		t.Fatal(err)
	}
	if nSubs != letters+3 || nEntries != letters || maxNumber != letters || distinctRefs != letters {
		t.Errorf("got %d submissions, %d register entries (max number %d), %d distinct case references; want %d, %d (%d), %d",
			nSubs, nEntries, maxNumber, distinctRefs, letters+3, letters, letters, letters)
	}
	var unsigned int
	pool.QueryRow(ctx, `SELECT count(*) FROM submissions WHERE status = 'registered' AND signature_status = 'unsigned'`).Scan(&unsigned)
	if unsigned != letters {
		t.Errorf("%d letters registered as unsigned, want %d (the demo letters carry no signature)", unsigned, letters)
	}
	year := time.Now().In(time.UTC).Year()
	var lastRef string
	if err := pool.QueryRow(ctx, `SELECT reference FROM cases ORDER BY seq DESC LIMIT 1`).Scan(&lastRef); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("SEK.0600.%d.%d", letters, year); lastRef != want && lastRef != fmt.Sprintf("SEK.0600.%d.%d", letters, year+1) {
		t.Errorf("last case reference %s, want %s", lastRef, want)
	}
	rows, err := pool.Query(ctx, `SELECT quarantine_reason FROM submissions WHERE status = 'quarantined' ORDER BY quarantine_reason`)
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for rows.Next() {
		var r string
		rows.Scan(&r)
		reasons = append(reasons, r)
	}
	if got := strings.Join(reasons, ","); got != "not-xml,too-large,unknown-form" {
		t.Errorf("quarantine reasons %s, want not-xml,too-large,unknown-form", got)
	}

	// The cases are on the API and the page, for a head of the unit they were routed to.
	h, err := svc.WebHandler()
	if err != nil {
		t.Fatal(err)
	}
	web := httptest.NewServer(h)
	defer web.Close()
	hc := signIn(t, web.URL, "kierownik.sek")
	resp, err := hc.Get(web.URL + "/api/v1/cases")
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Cases []struct {
			Reference string `json:"reference"`
		} `json:"cases"`
	}
	err = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/cases: %d %v", resp.StatusCode, err)
	}
	if len(body.Cases) != letters {
		t.Errorf("API lists %d cases, want %d", len(body.Cases), letters)
	}
	resp, err = hc.Get(web.URL + "/sprawy")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), lastRef) {
		t.Errorf("GET /sprawy: %d, page lists %s: %v", resp.StatusCode, lastRef, strings.Contains(string(page), lastRef))
	}

	// The first letter's workflow completed once, routed.
	firstID := activities.SubmissionWorkflowID(cfg.WorkflowIDPrefix, "epuap", filed[0].ID)
	var res workflows.SubmissionResult
	if err := tc.GetWorkflow(ctx, firstID, "").Get(ctx, &res); err != nil {
		t.Fatalf("submission workflow %s: %v", firstID, err)
	}
	if res.Stage != workflows.StageRouted || res.CaseReference == "" {
		t.Errorf("first submission ended %+v, want routed with a case", res)
	}
	// Each case has its workflow, which opened it with its KPA deadline.
	for {
		var started int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM cases WHERE due_on IS NOT NULL AND workflow_id IS NOT NULL`).Scan(&started); err != nil {
			t.Fatal(err)
		}
		if started == letters {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%d of %d case workflows started", started, letters)
		case <-time.After(200 * time.Millisecond):
		}
	}

	// The head assigns the case, the clerk drafts, acceptance is the head's alone.
	clerk := signIn(t, web.URL, "referent.sek")
	act := func(c *http.Client, action, body string, wantCode int, wantStage string) {
		t.Helper()
		resp, err := c.Post(web.URL+"/api/v1/cases/"+res.CaseReference+"/actions/"+action, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var out struct {
			Stage string `json:"stage"`
			Error string `json:"error"`
		}
		json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if resp.StatusCode != wantCode || out.Stage != wantStage {
			t.Errorf("%s: got %d stage %q (%s), want %d stage %q", action, resp.StatusCode, out.Stage, out.Error, wantCode, wantStage)
		}
	}
	act(hc, "assign", `{"assignee":"referent.sek","instructions":"Proszę przygotować odpowiedź."}`, http.StatusOK, "assigned")
	act(clerk, "submit-draft", `{"summary":"Odpowiedź na pismo."}`, http.StatusOK, "draft_review")
	act(clerk, "accept", `{}`, http.StatusConflict, "")
	act(hc, "accept", `{"note":"Bez uwag."}`, http.StatusOK, "awaiting_signature")
	resp, err = hc.Get(web.URL + "/api/v1/cases/" + res.CaseReference)
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Case struct {
			Stage    string `json:"stage"`
			Assignee string `json:"assignee"`
			DueOn    string `json:"due_on"`
		} `json:"case"`
		History []struct {
			Action    string `json:"action"`
			ActorName string `json:"actor_name"`
		} `json:"history"`
	}
	err = json.NewDecoder(resp.Body).Decode(&file)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, h := range file.History {
		codes = append(codes, h.Action)
	}
	if got := strings.Join(codes, " "); got != "proceedings_started assigned draft_submitted draft_accepted" || file.Case.Stage != "awaiting_signature" ||
		file.Case.Assignee != "referent.sek" || file.Case.DueOn == "" {
		t.Errorf("case file: stage %s, assignee %s, due %s, history %s", file.Case.Stage, file.Case.Assignee, file.Case.DueOn, got)
	}
	// On another case the clerk calls for a remedy: the call is a letter in the case file.
	var other string
	for _, c := range body.Cases {
		if c.Reference != res.CaseReference {
			other = c.Reference
			break
		}
	}
	actOn := func(c *http.Client, ref, action, body string) {
		t.Helper()
		resp, err := c.Post(web.URL+"/api/v1/cases/"+ref+"/actions/"+action, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s on %s: %s", action, ref, resp.Status)
		}
	}
	actOn(hc, other, "assign", `{"assignee":"referent.sek"}`)
	actOn(clerk, other, "request-remedy", `{"items":"brak podpisu pod pismem","days":7}`)
	resp, err = clerk.Get(web.URL + "/api/v1/cases/" + other)
	if err != nil {
		t.Fatal(err)
	}
	var withDocs struct {
		Documents []struct{ ID, Kind, Status string } `json:"documents"`
	}
	json.NewDecoder(resp.Body).Decode(&withDocs)
	resp.Body.Close()
	if len(withDocs.Documents) != 1 || withDocs.Documents[0].Kind != "wezwanie-do-usuniecia-brakow" || withDocs.Documents[0].Status != "draft" {
		t.Fatalf("documents of %s after the call to remedy: %+v", other, withDocs.Documents)
	}
	resp, err = clerk.Get(web.URL + "/api/v1/cases/" + other + "/documents/" + withDocs.Documents[0].ID + "/pdf")
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Errorf("the call to remedy as PDF: %d, %q", resp.StatusCode, pdf[:min(len(pdf), 10)])
	}

	if resp, _ := signIn(t, web.URL, "referent.ois").Get(web.URL + "/api/v1/cases/" + res.CaseReference); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a clerk of another unit reading the case: got %d, want 403", resp.StatusCode)
	}

	// The registry clerk resolves the quarantine: the non-XML document is dismissed, the
	// unknown form is registered by hand and routed to the Observatory.
	reg := signIn(t, web.URL, "kancelaria")
	var subs struct {
		Submissions []struct {
			ID               string `json:"id"`
			QuarantineReason string `json:"quarantine_reason"`
		} `json:"submissions"`
	}
	resp, err = reg.Get(web.URL + "/api/v1/submissions?status=quarantined")
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&subs)
	resp.Body.Close()
	decide := func(id, action, body string, wantCode int, wantStage string) {
		t.Helper()
		resp, err := reg.Post(web.URL+"/api/v1/submissions/"+id+"/actions/"+action, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var out struct{ Stage, Error string }
		json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if resp.StatusCode != wantCode || out.Stage != wantStage {
			t.Errorf("%s %s: got %d %q (%s), want %d %q", action, id, resp.StatusCode, out.Stage, out.Error, wantCode, wantStage)
		}
	}
	for _, sub := range subs.Submissions {
		switch sub.QuarantineReason {
		case "not-xml":
			decide(sub.ID, "dismiss", `{"note":"Plik nie jest pismem; nadawca poproszony o ponowne przesłanie."}`, http.StatusOK, "dismissed")
		case "unknown-form":
			decide(sub.ID, "route", `{"unit":"OIS","jrwa_class":"51"}`, http.StatusConflict, "") // not a terminal class
			decide(sub.ID, "route", `{"unit":"OIS","jrwa_class":"5131","title":"Sprawozdanie gminy"}`, http.StatusOK, "routed")
			decide(sub.ID, "route", `{"unit":"OIS","jrwa_class":"5131","title":"Drugi raz"}`, http.StatusConflict, "") // resolved already
		}
	}
	var oisCases, dismissed int
	pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM cases WHERE unit_code = 'OIS' AND jrwa_symbol = '5131' AND title = 'Sprawozdanie gminy'),
		(SELECT count(*) FROM submissions WHERE status = 'dismissed')`).Scan(&oisCases, &dismissed)
	if oisCases != 1 || dismissed != 1 {
		t.Errorf("after the registry's decisions: %d OIS cases, %d dismissed submissions; want 1 and 1", oisCases, dismissed)
	}

	// Everything above is in the audit log, whose chain holds.
	log := audit.New(pool)
	trail, err := log.List(ctx, audit.Filter{ObjectType: "case", ObjectID: res.CaseReference})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range trail {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, " "); got != "case.opened case.proceedings_started case.assigned case.draft_submitted case.draft_accepted case.read" {
		t.Errorf("audit trail of %s: %s", res.CaseReference, got)
	}
	issued, err := log.List(ctx, audit.Filter{ObjectType: "case", ObjectID: other})
	if err != nil {
		t.Fatal(err)
	}
	var issuedLetter bool
	for _, e := range issued {
		issuedLetter = issuedLetter || e.Action == "case.document_issued"
	}
	if !issuedLetter {
		t.Errorf("the audit trail of %s does not record the letter issued", other)
	}
	report, err := log.Verify(ctx, 0, 0)
	if err != nil || !report.Intact {
		t.Errorf("audit chain: %+v, %v", report, err)
	}
	var registered, quarantinedEntries int
	pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE action = 'submission.registered'), count(*) FILTER (WHERE action = 'submission.quarantined') FROM audit_log`).
		Scan(&registered, &quarantinedEntries)
	if registered != letters+1 || quarantinedEntries != 3 {
		t.Errorf("audit log has %d registrations and %d quarantines, want %d and 3", registered, quarantinedEntries, letters+1)
	}

	var quarantined workflows.SubmissionResult
	brokenID := activities.SubmissionWorkflowID(cfg.WorkflowIDPrefix, "epuap", broken[0].ID)
	if err := tc.GetWorkflow(ctx, brokenID, "").Get(ctx, &quarantined); err != nil {
		t.Fatalf("submission workflow %s: %v", brokenID, err)
	}
	if quarantined.Stage != workflows.StageDismissed || quarantined.QuarantineReason != "not-xml" {
		t.Errorf("non-XML submission ended %+v, want dismissed after quarantine as not-xml", quarantined)
	}
	if *update {
		dir := historyDir(t)
		writeHistory(t, ctx, svc, firstID, filepath.Join(dir, "submission-routed.history.json"))
		writeHistory(t, ctx, svc, brokenID, filepath.Join(dir, "submission-quarantined.history.json"))
		writeHistory(t, ctx, svc, workflows.CaseWorkflowID(cfg.WorkflowIDPrefix, res.CaseReference), filepath.Join(dir, "case-accepted.history.json"))
	}
}

// testOffice is an office on the real test stack with its simulated ePUAP box, which checks
// WS-Security as the real one does: the worker signs with the office's system key from
// EPUAP_KEY_FILE and pins the simulator's answer certificate from EPUAP_SIGNING_CERT.
type testOffice struct {
	ctx   context.Context
	cfg   config.Config
	svc   *Services
	pool  *pgxpool.Pool
	tc    client.Client
	sim   *epuapsim.Simulator
	store *epuapsim.MemStore
	box   *epuap.PullClient
	url   string // the simulator's
}

func newTestOffice(t *testing.T, ctx context.Context) *testOffice {
	t.Helper()
	pool, dbURL := stacktest.Pool(t)
	tc := stacktest.Temporal(t)
	s3, bucket := stacktest.Blob(t, false)
	cfg := config.Defaults()
	cfg.DatabaseURL = dbURL
	cfg.TaskQueue = stacktest.TaskQueue(t)
	// Every test has its own database, so case references repeat across tests: a prefix keeps
	// their workflows apart in the shared Temporal namespace.
	cfg.WorkflowIDPrefix = cfg.TaskQueue + "/"
	cfg.RawBucket, cfg.DocumentsBucket = bucket, bucket
	cfg.EpuapPodmiot, cfg.EpuapBoxName = "rops-test", "skrytka"
	cfg.EpuapBoxAddress = epuapsim.BoxAddress(cfg.EpuapPodmiot, cfg.EpuapBoxName)
	cfg.IntakeInterval = 200 * time.Millisecond
	cfg.MaxDocumentBytes = 64 << 10
	svc := &Services{Config: cfg, Logger: slog.New(slog.DiscardHandler), Pool: pool, Temporal: tc, Blob: s3}
	if err := demo.Seed(ctx, pool); err != nil {
		t.Fatalf("seed: %v", err)
	}

	ca := wssectest.NewCA(t, "Test CA")
	officeID, epuapID := ca.Office(t, cfg.EpuapPodmiot), ca.EpuapSigner(t)
	answers, err := wssec.NewSigner(epuapID.Key, epuapID.Cert)
	if err != nil {
		t.Fatal(err)
	}
	keyDir := t.TempDir()
	svc.Config.EpuapKeyFile = filepath.Join(keyDir, "system.pem")
	svc.Config.EpuapSigningCert = filepath.Join(keyDir, "epuap-sign.pem")
	if err := os.WriteFile(svc.Config.EpuapKeyFile, wssectest.PEM(t, officeID), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(svc.Config.EpuapSigningCert, wssec.EncodeCertificate(epuapID.Cert), 0o600); err != nil {
		t.Fatal(err)
	}
	store := epuapsim.NewMemStore()
	sim := epuapsim.New(store, time.Now, nil, epuapsim.WithWSSecurity(answers))
	if err := sim.RegisterCertificate(cfg.EpuapPodmiot, officeID.Cert); err != nil {
		t.Fatal(err)
	}
	simSrv := httptest.NewServer(sim.Handler())
	t.Cleanup(simSrv.Close)
	if _, err := sim.CreateBox(ctx, cfg.EpuapPodmiot, cfg.EpuapBoxName); err != nil {
		t.Fatal(err)
	}
	return &testOffice{ctx: ctx, cfg: cfg, svc: svc, pool: pool, tc: tc, sim: sim, store: store, url: simSrv.URL}
}

// trustAndSign makes a test PKI whose root and Profil Zaufany seal the office trusts, and
// whose key signs the office's answers.
func (o *testOffice) trustAndSign(t *testing.T) *testpki.PKI {
	t.Helper()
	pki, err := testpki.New(testpki.Options{Seed: 7, At: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	o.cfg.TrustAnchors, o.cfg.ProfilZaufany = filepath.Join(dir, "root.pem"), filepath.Join(dir, "pz.pem")
	os.WriteFile(o.cfg.TrustAnchors, pki.Root.CertPEM(), 0o600)
	os.WriteFile(o.cfg.ProfilZaufany, pki.ProfilZaufany.CertPEM(), 0o600)
	// The office signs its answers with a key of the same PKI.
	key, err := pki.CitizenRSA.KeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	o.svc.Config.SigningKey, o.svc.Config.SigningCerts = filepath.Join(dir, "key.pem"), filepath.Join(dir, "certs.pem")
	os.WriteFile(o.svc.Config.SigningKey, key, 0o600)
	os.WriteFile(o.svc.Config.SigningCerts, pki.CitizenRSA.ChainPEM(), 0o600)
	o.svc.ValidationData = func(_ context.Context, at time.Time) ([][]byte, [][]byte, error) {
		return pki.ValidationData(pki.CitizenRSA, at)
	}
	return pki
}

// start runs a worker and the intake of the office's box until the test ends.
func (o *testOffice) start(t *testing.T) string {
	t.Helper()
	security, err := o.svc.EpuapSecurity()
	if err != nil || security == nil {
		t.Fatalf("EpuapSecurity: %v, %v options", err, len(security))
	}
	o.box = o.svc.Box(o.url+"/pk_external_ws/services/pull", security...)
	trust, err := LoadTrust(o.ctx, o.cfg, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	w, err := o.svc.NewWorker(o.ctx, o.box, o.svc.Files(o.url+epuapschema.FileRepoPath, security...), trust)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	intakeID, err := o.svc.StartIntake(o.ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.tc.TerminateWorkflow(context.Background(), intakeID, "", "test over") })
	return intakeID
}

// waitFor waits until the office has cases cases, quarantined submissions in quarantine and
// an empty box.
func (o *testOffice) waitFor(t *testing.T, cases, quarantined int) {
	t.Helper()
	var nCases, nQuarantined, pending int
	for {
		if err := o.pool.QueryRow(o.ctx, `SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM submissions WHERE status = 'quarantined')`).Scan(&nCases, &nQuarantined); err != nil {
			t.Fatal(err)
		}
		// Under injected faults the box itself may fail to answer: ask again.
		p, err := o.box.Pending(o.ctx)
		if err == nil {
			pending = p
		}
		if err == nil && nCases == cases && nQuarantined == quarantined && pending == 0 {
			return
		}
		select {
		case <-o.ctx.Done():
			t.Fatalf("after waiting: %d cases (want %d), %d quarantined (want %d), %d waiting in the box (want 0)", nCases, cases, nQuarantined, quarantined, pending)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// TestFormsEndToEnd files the centre's own forms: each is recognised, read with its parser
// and routed by its rule; one that does not follow its form is quarantined as invalid.
func TestFormsEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	o := newTestOffice(t, ctx)
	if _, err := demo.FileForms(ctx, o.sim, o.cfg.EpuapPodmiot, o.cfg.EpuapBoxName, 1, 1); err != nil {
		t.Fatal(err)
	}
	// Seed 0 of the report: the free places do not add up, which only the parser sees.
	if _, err := o.sim.File(ctx, epuapsim.FileRequest{Podmiot: o.cfg.EpuapPodmiot, Skrytka: o.cfg.EpuapBoxName,
		Sender: epuapsim.Sender{Identyfikator: "dps.przyklad", TypOsoby: "P"}, NazwaPliku: "sprawozdanie.xml",
		Zawartosc: compose.PlacesReport(0)}); err != nil {
		t.Fatal(err)
	}
	// Seed 8 of the complaint is anonymous.
	if _, err := o.sim.File(ctx, epuapsim.FileRequest{Podmiot: o.cfg.EpuapPodmiot, Skrytka: o.cfg.EpuapBoxName,
		Sender: epuapsim.Sender{Identyfikator: "anonim", TypOsoby: "F"}, NazwaPliku: "skarga.xml",
		Zawartosc: compose.Complaint(8)}); err != nil {
		t.Fatal(err)
	}
	o.start(t)
	o.waitFor(t, 4, 1)

	// The rules of each form are applied at the start of its case, for the handler; the
	// anonymous complaint is left unexamined.
	deadline := time.Now().Add(time.Minute)
	for {
		var assessed, closed int
		o.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM case_actions WHERE action = 'assessed'),
			(SELECT count(*) FROM cases WHERE jrwa_symbol = '0570' AND stage = 'left_unexamined')`).Scan(&assessed, &closed)
		if assessed == 4 && closed == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d cases assessed (want 4: the family card, both complaints and the report), %d anonymous complaints left unexamined (want 1)", assessed, closed)
		}
		time.Sleep(200 * time.Millisecond)
	}
	// The complaints register lists both complaints with their senders; the anonymous one is
	// closed, with the date.
	register, err := cases.New(o.pool).Register(ctx, "0570", nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	closed := 0
	for _, e := range register {
		if e.Sender == "" || e.ReceivedAt.IsZero() {
			t.Errorf("register entry %s without sender or receipt date: %+v", e.Reference, e)
		}
		if e.ClosedAt != nil {
			closed++
		}
	}
	if len(register) != 2 || closed != 1 {
		t.Errorf("complaints register: %d entries, %d closed; want 2 and 1", len(register), closed)
	}

	// The family card application, all members eligible: the clerk grants the cards, with
	// their numbers, and the case ends without a decision.
	var cardRef string
	o.pool.QueryRow(ctx, `SELECT reference FROM cases WHERE unit_code = 'WPS'`).Scan(&cardRef)
	acts := caseActions{tc: o.tc, prefix: o.cfg.WorkflowIDPrefix}
	wpsHead := auth.User{Username: "kierownik.wps", FullName: "Agnieszka Dąbrowska", Role: auth.RoleHead, Unit: "WPS"}
	wpsClerk := auth.User{Username: "referent.wps", FullName: "Michał Zieliński", Role: auth.RoleClerk, Unit: "WPS"}
	if stage, err := acts.Act(ctx, cardRef, web.ActionRequest{Action: "assign", Actor: wpsHead, Assignee: "referent.wps"}); err != nil || stage != "assigned" {
		t.Fatalf("assign %s: %q, %v", cardRef, stage, err)
	}
	if stage, err := acts.Act(ctx, cardRef, web.ActionRequest{Action: "grant-cards", Actor: wpsClerk}); err != nil || stage != "granted" {
		t.Fatalf("grant cards in %s: %q, %v", cardRef, stage, err)
	}
	var cardsGranted int
	var firstNumber string
	o.pool.QueryRow(ctx, `SELECT count(*), min(number) FROM family_cards`).Scan(&cardsGranted, &firstNumber)
	if cardsGranted == 0 || firstNumber != fmt.Sprintf("KR-%d-000001", time.Now().Year()) {
		t.Errorf("%d cards granted, first number %q", cardsGranted, firstNumber)
	}
	if _, err := acts.Act(ctx, cardRef, web.ActionRequest{Action: "grant-cards", Actor: wpsClerk}); !errors.Is(err, web.ErrActionRefused) {
		t.Errorf("granting again: %v, want refused (the case has ended)", err)
	}

	cardAssessment, _ := described(o.pool.QueryRow(ctx, `SELECT a.action, a.data, a.description FROM case_actions a JOIN cases c ON c.id = a.case_id
		WHERE c.unit_code = 'WPS' AND a.action = 'assessed'`))
	if !strings.HasPrefix(cardAssessment, "Ocena wniosku o kartę dużej rodziny") {
		t.Errorf("family card assessment: %q", cardAssessment)
	}
	// The report of seed 1 comes from a facility of the demo database of institutions.
	reportAssessment, _ := described(o.pool.QueryRow(ctx, `SELECT a.action, a.data, a.description FROM case_actions a JOIN cases c ON c.id = a.case_id
		WHERE c.unit_code = 'OIS' AND a.action = 'assessed'`))
	if !strings.HasPrefix(reportAssessment, "Sprawozdanie przyjęte do obserwatorium") {
		t.Errorf("report assessment: %q", reportAssessment)
	}

	rows, err := o.pool.Query(ctx, `SELECT DISTINCT unit_code || '.' || jrwa_symbol FROM cases ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var routes []string
	for rows.Next() {
		var r string
		rows.Scan(&r)
		routes = append(routes, r)
	}
	if got := strings.Join(routes, " "); got != "OIS.5132 SEK.0570 WPS.5300" {
		t.Errorf("forms routed to %s, want OIS.5132 SEK.0570 WPS.5300", got)
	}
	var reason string
	o.pool.QueryRow(ctx, `SELECT quarantine_reason FROM submissions WHERE status = 'quarantined'`).Scan(&reason)
	if reason != "invalid" {
		t.Errorf("the report that does not add up was quarantined as %q, want invalid", reason)
	}
}

// TestSignaturesEndToEnd files letters signed with the Profil Zaufany seal of a test PKI the
// office trusts: they are registered with the verdict passed and the signer's name, and the
// validation report is kept; a letter altered after signing is quarantined as signature-failed.
func TestSignaturesEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	o := newTestOffice(t, ctx)
	pki := o.trustAndSign(t)

	if _, err := demo.FileSignedLetters(ctx, o.sim, o.cfg.EpuapPodmiot, o.cfg.EpuapBoxName, pki, 1, 2, time.Now()); err != nil {
		t.Fatal(err)
	}
	letter := compose.Random(3)
	signed, err := pki.SignProfilZaufany(ctx, letter.XML(), testpki.Person{GivenName: "Jan", FamilyName: "Nowak", Account: "jan.nowak"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	altered := strings.Replace(string(signed), "<wnio:Tytul>", "<wnio:Tytul>Zmieniony: ", 1)
	if altered == string(signed) {
		t.Fatal("the test could not alter the signed letter")
	}
	if _, err := o.sim.File(ctx, epuapsim.FileRequest{Podmiot: o.cfg.EpuapPodmiot, Skrytka: o.cfg.EpuapBoxName,
		Sender: epuapsim.Sender{Identyfikator: "jan.nowak", TypOsoby: "F"}, NazwaPliku: "pismo.xml", Zawartosc: []byte(altered)}); err != nil {
		t.Fatal(err)
	}
	o.start(t)
	o.waitFor(t, 2, 1)

	rows, err := o.pool.Query(ctx, `SELECT signature_status, signer, report_key FROM submissions WHERE status = 'registered'`)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var status, signer string
		var report *string
		rows.Scan(&status, &signer, &report)
		n++
		if status != "passed" || signer == "" || report == nil {
			t.Errorf("signed letter registered with %q by %q, report %v; want passed, the signer's name and a report", status, signer, report)
			continue
		}
		if _, err := o.svc.Blob.Get(ctx, o.cfg.RawBucket, *report, 1<<20); err != nil {
			t.Errorf("validation report %s: %v", *report, err)
		}
	}
	if n != 2 {
		t.Errorf("%d signed letters registered, want 2", n)
	}
	var reason string
	o.pool.QueryRow(ctx, `SELECT quarantine_reason FROM submissions WHERE status = 'quarantined'`).Scan(&reason)
	if reason != "signature-failed" {
		t.Errorf("the letter altered after signing was quarantined as %q, want signature-failed", reason)
	}

	// The answer to a case, accepted, is signed by the head: the signed XML verifies.
	var ref string
	for ref == "" {
		o.pool.QueryRow(ctx, `SELECT reference FROM cases WHERE workflow_id IS NOT NULL ORDER BY reference LIMIT 1`).Scan(&ref)
		if ref != "" {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("no case workflow started")
		case <-time.After(100 * time.Millisecond):
		}
	}
	acts := caseActions{tc: o.tc, prefix: o.cfg.WorkflowIDPrefix}
	head := auth.User{Username: "kierownik.sek", FullName: "Piotr Nowak", Position: "kierownik sekretariatu", Role: auth.RoleHead, Unit: "SEK"}
	clerk := auth.User{Username: "referent.sek", FullName: "Maria Wiśniewska", Role: auth.RoleClerk, Unit: "SEK"}
	for _, step := range []struct {
		by   auth.User
		req  web.ActionRequest
		want string
	}{
		{head, web.ActionRequest{Action: "assign", Assignee: "referent.sek"}, "assigned"},
		{clerk, web.ActionRequest{Action: "submit-draft", Summary: "Informujemy, że wniosek został rozpatrzony pozytywnie."}, "draft_review"},
		{clerk, web.ActionRequest{Action: "sign"}, ""}, // only the head signs
		{head, web.ActionRequest{Action: "accept"}, "awaiting_signature"},
		{head, web.ActionRequest{Action: "sign"}, "signed"},
	} {
		step.req.Actor = step.by
		stage, err := acts.Act(ctx, ref, step.req)
		if step.want == "" {
			if !errors.Is(err, web.ErrActionRefused) {
				t.Errorf("%s by %s: got %v, want refused", step.req.Action, step.by.Username, err)
			}
			// The refusal reaches the web as its kind, with the workflow's reason in Polish.
			if msg := problem.MessageOf(err); problem.KindOf(err) != problem.Refused || !strings.HasPrefix(msg, "Czynność odrzucona: ") || len(msg) <= len("Czynność odrzucona: ") {
				t.Errorf("%s by %s: got kind %v, message %q, want refused with the reason", step.req.Action, step.by.Username, problem.KindOf(err), msg)
			}
			continue
		}
		if err != nil || stage != step.want {
			t.Fatalf("%s by %s: got %q, %v; want %q", step.req.Action, step.by.Username, stage, err, step.want)
		}
	}
	var xmlKey string
	if err := o.pool.QueryRow(ctx, `SELECT d.xml_key FROM documents d JOIN cases c ON c.id = d.case_id
		WHERE c.reference = $1 AND d.status = 'signed' AND d.kind = 'odpowiedz'`, ref).Scan(&xmlKey); err != nil {
		t.Fatalf("the signed answer of %s: %v", ref, err)
	}
	signedAnswer, err := o.svc.Blob.Get(ctx, o.cfg.DocumentsBucket, xmlKey, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := xades.Verify(ctx, signedAnswer, xades.Options{ValidationTime: time.Now(), TrustAnchors: []*x509.Certificate{pki.Root.Cert}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Signatures) != 1 || rep.Signatures[0].Indication != xades.TotalPassed {
		j, _ := rep.JSON()
		t.Errorf("the signed answer is not TOTAL-PASSED: %s", j)
	}
}

// TestIntakeUnderFaults files 200 letters into a box that fails as ePUAP may, every fault at
// once: latency, bare HTTP 500s, connections dropped after pobierzNastepny, confirmed
// documents delivered again, FileRepo serving a file once. The intake ends with exactly 200
// submissions, none twice, and an empty, fully confirmed box.
func TestIntakeUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("200 documents through every fault: not in -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	o := newTestOffice(t, ctx)
	const n = 200
	if _, err := demo.FileLetters(ctx, o.sim, o.cfg.EpuapPodmiot, o.cfg.EpuapBoxName, 5000, n); err != nil {
		t.Fatal(err)
	}
	o.sim.SetFaults(epuapsim.Faults{Latency: 2 * time.Millisecond, Error500: 0.1, DropAfterNext: 0.1, Duplicate: 0.1,
		FileRepoOnce: true, Seed: 26})
	start := time.Now()
	o.start(t)
	o.waitFor(t, n, 0)
	var subs, distinct, registered int
	if err := o.pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT box_document_id), count(*) FILTER (WHERE status = 'registered') FROM submissions`).
		Scan(&subs, &distinct, &registered); err != nil {
		t.Fatal(err)
	}
	if subs != n || distinct != n || registered != n {
		t.Errorf("got %d submissions (%d distinct, %d registered), want %d of each", subs, distinct, registered, n)
	}
	t.Logf("%d documents through every fault in %s", n, time.Since(start).Round(time.Second))
}

// TestAttachmentsEndToEnd files a letter whose attachment ePUAP keeps in its FileRepo, which
// serves a file only once: the intake stores the attachment beside the letter before it
// confirms the letter, and the submission records it. The letter also carries a ZIP inline,
// its entry named in CP852: the case shows both attachments, the entry's name decoded, and
// serves each as received.
func TestAttachmentsEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	o := newTestOffice(t, ctx)
	o.sim.SetFaults(epuapsim.Faults{FileRepoOnce: true})
	scan := bytes.Repeat([]byte("%PDF-1.7 skan decyzji "), 4000)
	fileID, err := o.sim.PutFile(ctx, epuapsim.RepoFile{Filename: "skan.pdf", MimeType: "application/pdf", Data: scan})
	if err != nil {
		t.Fatal(err)
	}
	// An archive made on Windows: its entry's name in CP852, without the UTF-8 flag.
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	name, _ := charmap.CodePage852.NewEncoder().String("Załącznik nr 1 - oświadczenie.pdf")
	if fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, NonUTF8: true, Method: zip.Deflate}); err == nil {
		fw.Write([]byte("%PDF-1.4"))
	}
	zw.Close()
	archive := zipped.Bytes()
	letter := `<?xml version="1.0" encoding="UTF-8"?>
<wnio:Dokument xmlns:wnio="http://crd.gov.pl/wzor/2013/12/12/1410/" xmlns:str="http://crd.gov.pl/xml/schematy/struktura/2009/11/16/">
<wnio:TrescDokumentu><wnio:Tytul>Odwołanie ze skanem</wnio:Tytul>
<str:Zalaczniki><str:Zalacznik format="application/zip" kodowanie="base64" nazwaPliku="Załączniki.zip"><str:DaneZalacznika>` +
		base64.StdEncoding.EncodeToString(archive) + `</str:DaneZalacznika></str:Zalacznik>
<str:Zalacznik format="application/pdf" kodowanie="URI" nazwaPliku="skan.pdf"><str:DaneZalacznika>` +
		epuapsim.DownloadURL(fileID) + `</str:DaneZalacznika></str:Zalacznik></str:Zalaczniki>
</wnio:TrescDokumentu></wnio:Dokument>`
	if _, err := o.sim.File(ctx, epuapsim.FileRequest{Podmiot: o.cfg.EpuapPodmiot, Skrytka: o.cfg.EpuapBoxName,
		Sender: epuapsim.Sender{Identyfikator: "jan.kowalski", TypOsoby: "F"}, Zawartosc: []byte(letter)}); err != nil {
		t.Fatal(err)
	}
	o.start(t)
	o.waitFor(t, 1, 0)

	var key, sha string
	if err := o.pool.QueryRow(ctx, `SELECT raw_key, sha256 FROM submission_attachments WHERE name = 'skan.pdf'`).Scan(&key, &sha); err != nil {
		t.Fatalf("the attachment is not recorded: %v", err)
	}
	stored, err := o.svc.Blob.Get(ctx, o.cfg.RawBucket, key, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(scan)
	if !bytes.Equal(stored, scan) || sha != hex.EncodeToString(sum[:]) {
		t.Errorf("stored attachment: %d bytes, sha256 %s; want %d bytes, %x", len(stored), sha, len(scan), sum)
	}

	// The case shows the letter with both attachments, the archive's entry named as written.
	h, err := o.svc.WebHandler()
	if err != nil {
		t.Fatal(err)
	}
	web := httptest.NewServer(h)
	defer web.Close()
	var ref string
	if err := o.pool.QueryRow(ctx, `SELECT reference FROM cases`).Scan(&ref); err != nil {
		t.Fatal(err)
	}
	hc := signIn(t, web.URL, "archiwista")
	get := func(path string) []byte {
		t.Helper()
		resp, err := hc.Get(web.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
		}
		return body
	}
	var sub struct {
		Title       string
		Attachments []struct {
			Name, Source, Download string
			ZIP                    *struct {
				Entries []struct{ Name, Encoding string }
			} `json:"zip"`
		}
	}
	if err := json.Unmarshal(get("/api/v1/cases/"+ref+"/submission"), &sub); err != nil {
		t.Fatal(err)
	}
	if len(sub.Attachments) != 2 || sub.Attachments[0].Name != "Załączniki.zip" || sub.Attachments[0].Source != "inline" ||
		sub.Attachments[0].ZIP == nil || len(sub.Attachments[0].ZIP.Entries) != 1 ||
		sub.Attachments[0].ZIP.Entries[0].Name != "Załącznik nr 1 - oświadczenie.pdf" || sub.Attachments[0].ZIP.Entries[0].Encoding != "cp852" ||
		sub.Attachments[1].Name != "skan.pdf" || sub.Attachments[1].Source != "filerepo" {
		t.Fatalf("the case's letter: got %+v", sub)
	}
	if got := get(sub.Attachments[0].Download); !bytes.Equal(got, archive) {
		t.Errorf("the inline archive downloads as %d bytes, want %d", len(got), len(archive))
	}
	if got := get(sub.Attachments[1].Download); !bytes.Equal(got, scan) {
		t.Errorf("the FileRepo scan downloads as %d bytes, want %d", len(got), len(scan))
	}
}

// writeHistory saves the history of a closed workflow as the JSON that Temporal's replayer
// reads.
func writeHistory(t *testing.T, ctx context.Context, svc *Services, id, path string) {
	t.Helper()
	writeRunHistory(t, ctx, svc, id, "", path)
}

// writeRunHistory writes the history of run runID of workflow id ("": the latest run) to path.
func writeRunHistory(t *testing.T, ctx context.Context, svc *Services, id, runID, path string) {
	t.Helper()
	it := svc.Temporal.GetWorkflowHistory(ctx, id, runID, false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var h historypb.History
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		h.Events = append(h.Events, ev)
	}
	data, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(&h)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d events)", path, len(h.Events))
}

// signIn returns a client signed in to the web server at base as username.
func signIn(t *testing.T, base, username string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(base+"/logowanie", url.Values{"login": {username}, "haslo": {demo.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %s", username, resp.Status)
	}
	return c
}

// described scans an entry of the case history (action, data, description) and says it in
// Polish, as the case page does.
func described(row pgx.Row) (string, error) {
	var code, stored string
	var data casehistory.Data
	if err := row.Scan(&code, &data, &stored); err != nil {
		return "", err
	}
	return casehistory.Describe(code, data, stored), nil
}
