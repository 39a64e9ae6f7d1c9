package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/sdk/worker"

	"github.com/obieg/obieg/activities"
	"github.com/obieg/obieg/internal/adapters/edoreczenia"
	"github.com/obieg/obieg/internal/dev/demo"
	"github.com/obieg/obieg/internal/dev/simulator/compose"
	"github.com/obieg/obieg/internal/dev/simulator/edoreczeniasim"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/deadlines"
	"github.com/obieg/obieg/internal/records/audit"
	"github.com/obieg/obieg/internal/records/auth"
	"github.com/obieg/obieg/internal/records/cases"
	"github.com/obieg/obieg/internal/records/register"
	"github.com/obieg/obieg/internal/web"
	"github.com/obieg/obieg/workflows"
)

// Electronic delivery addresses of the test: the office and two parties.
const (
	officeADE = "AE:PL-10000-00001-ROPSA-11"
	partyOne  = "AE:PL-20000-00002-JANKO-22"
	partyTwo  = "AE:PL-30000-00003-ANNAN-33"
)

// TestEDeliveryEndToEnd sends two signed decisions through the simulated e-Doręczenia from
// their cases: the first party collects theirs and the case records the day of collection;
// the second does not, and 14 simulated days after availability the case records the deemed
// delivery. Evidence reaches the cases by the callback obieg subscribed to; the appeal period
// runs from each day of delivery. Each case keeps its proof of receipt, downloadable from the
// case (checkProofs).
func TestEDeliveryEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	o := newTestOffice(t, ctx)
	o.trustAndSign(t)

	sim, webSrv := o.withEDelivery(t)

	// A callback without the secret is refused.
	resp, err := http.Post(webSrv.URL+"/callbacks/edoreczenia?token=guess", "application/json",
		strings.NewReader(`{"eDeliveryAddress":"`+officeADE+`","notificationType":"onEvidence","notification":[{"id":"x"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("callback with a wrong token: %d, want 401", resp.StatusCode)
	}

	if _, err := demo.FileLetters(ctx, o.sim, o.cfg.EpuapPodmiot, o.cfg.EpuapBoxName, 1, 2); err != nil {
		t.Fatal(err)
	}
	o.start(t)
	o.waitFor(t, 2, 0)
	refs := o.caseWorkflows(t, 2)

	acts := caseActions{tc: o.tc, prefix: o.cfg.WorkflowIDPrefix}
	head := auth.User{Username: "kierownik.sek", FullName: "Piotr Nowak", Position: "kierownik sekretariatu", Role: auth.RoleHead, Unit: "SEK"}
	clerk := auth.User{Username: "referent.sek", FullName: "Maria Wiśniewska", Role: auth.RoleClerk, Unit: "SEK"}
	for i, ref := range refs {
		party := []string{partyOne, partyTwo}[i]
		for _, step := range []struct {
			by   auth.User
			req  web.ActionRequest
			want string
		}{
			{head, web.ActionRequest{Action: "assign", Assignee: "referent.sek"}, casefile.StageAssigned},
			{clerk, web.ActionRequest{Action: "submit-draft", Kind: "decyzja", Basis: "art. 104 k.p.a.",
				Ruling: "Odmawia się wydania zaświadczenia.", Summary: "Wnioskodawca nie wykazał interesu prawnego."}, casefile.StageDraftReview},
			{head, web.ActionRequest{Action: "accept"}, casefile.StageAwaitingSignature},
			{clerk, web.ActionRequest{Action: "dispatch", Address: party}, ""}, // not signed yet
			{head, web.ActionRequest{Action: "sign"}, casefile.StageSigned},
			{clerk, web.ActionRequest{Action: "dispatch", Address: "AE:PL-nie-adres"}, ""},
			{head, web.ActionRequest{Action: "dispatch", Address: party}, casefile.StageDispatched},
			{head, web.ActionRequest{Action: "dispatch", Address: party}, ""}, // sent already
		} {
			step.req.Actor = step.by
			stage, err := acts.Act(ctx, ref, step.req)
			if step.want == "" {
				if !errors.Is(err, web.ErrActionRefused) {
					t.Errorf("%s: %s by %s: got %q, %v; want refused", ref, step.req.Action, step.by.Username, stage, err)
				}
				continue
			}
			if err != nil || stage != step.want {
				t.Fatalf("%s: %s by %s: got %q, %v; want %q", ref, step.req.Action, step.by.Username, stage, err, step.want)
			}
		}
	}

	// The first party's mailbox holds the signed decision and its PDF; they collect it.
	var messageOne, messageTwo string
	for i, ref := range refs {
		id := &messageOne
		if i == 1 {
			id = &messageTwo
		}
		var address, status string
		if err := o.pool.QueryRow(ctx, `SELECT d.message_id, d.address, d.status FROM deliveries d JOIN cases c ON c.id = d.case_id
			WHERE c.reference = $1`, ref).Scan(id, &address, &status); err != nil {
			t.Fatalf("the sending of %s: %v", ref, err)
		}
		if status != "sent" || address != []string{partyOne, partyTwo}[i] {
			t.Errorf("sending of %s: %s to %s, want sent to %s", ref, status, address, []string{partyOne, partyTwo}[i])
		}
	}
	got, err := sim.Collect(ctx, partyOne, messageOne)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range got.Attachments {
		names = append(names, a.Name)
	}
	if len(names) != 2 || !strings.HasSuffix(names[0], ".xml") || !strings.HasSuffix(names[1], ".pdf") || got.CaseID != refs[0] {
		t.Errorf("the party received %v in case %q; want the signed XML and the PDF of %s", names, got.CaseID, refs[0])
	}
	collected := deadlines.WarsawDate(sim.Now())
	o.waitStage(t, refs[0], casefile.StageDelivered)

	// The second party leaves it: 14 days after availability it is deemed delivered.
	if err := sim.Advance(ctx, edoreczeniasim.DeemedAfter+time.Hour); err != nil {
		t.Fatal(err)
	}
	o.waitStage(t, refs[1], casefile.StageDelivered)

	for i, want := range []struct {
		on     civil.Date
		deemed bool
	}{{collected, false}, {collected.AddDays(14), true}} {
		var on time.Time
		var deemed bool
		var evidence string
		if err := o.pool.QueryRow(ctx, `SELECT d.delivered_on, d.deemed, d.evidence_id FROM deliveries d JOIN cases c ON c.id = d.case_id
			WHERE c.reference = $1 AND d.status = 'delivered'`, refs[i]).Scan(&on, &deemed, &evidence); err != nil {
			t.Fatalf("delivery of %s: %v", refs[i], err)
		}
		if civil.DateOf(on) != want.on || deemed != want.deemed || evidence == "" {
			t.Errorf("%s delivered %s (deemed %v, evidence %q), want %s (deemed %v) with the evidence", refs[i], civil.DateOf(on), deemed, evidence, want.on, want.deemed)
		}
		st := o.caseState(t, refs[i])
		if wantEnds := deadlines.Due(want.on, deadlines.Term{N: 14, Unit: deadlines.Days}, deadlines.Calendar{}, nil); st.AppealEnds != wantEnds || st.DeliveredOn != want.on {
			t.Errorf("%s: delivered %s, appeal period ends %s; want %s and %s (14 days from delivery)", refs[i], st.DeliveredOn, st.AppealEnds, want.on, wantEnds)
		}
		if !o.historyHas(t, refs[i], "dispatched") || !o.historyHas(t, refs[i], "delivered") {
			t.Errorf("%s: the history lacks the sending or the delivery", refs[i])
		}
	}
	o.checkProofs(t, webSrv, refs, []string{messageOne, messageTwo}, []string{edoreczeniasim.ReasonCollected, edoreczeniasim.ReasonDeemed})
	if rep, err := audit.New(o.pool).Verify(ctx, 0, 0); err != nil || !rep.Intact {
		t.Errorf("audit chain: %+v, %v", rep.Broken, err)
	}
}

// checkProofs checks that each delivered case refs[i] kept the proof of receipt of its
// message messages[i] (reason reasons[i]): stored in the documents bucket under the SHA-256
// of what the service answers (so that a retry stores the same bytes under the same key),
// its signature by the simulator's untrusted key recorded as indeterminate, and downloadable
// by the head of the unit from the case's API answer and page, naming the message.
func (o *testOffice) checkProofs(t *testing.T, webSrv *httptest.Server, refs, messages, reasons []string) {
	t.Helper()
	ctx := o.ctx
	edc, err := o.svc.EDelivery()
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.PostForm(webSrv.URL+"/logowanie", url.Values{"login": {"kierownik.sek"}, "haslo": {demo.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	get := func(path string) []byte {
		t.Helper()
		resp, err := hc.Get(webSrv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: got %d %s, want 200", path, resp.StatusCode, b)
		}
		return b
	}
	for i, ref := range refs {
		var key, sum, signature, detail, evidence string
		if err := o.pool.QueryRow(ctx, `SELECT coalesce(d.proof_key, ''), coalesce(d.proof_sha256, ''), coalesce(d.proof_signature, ''),
			coalesce(d.proof_signature_detail, ''), d.evidence_id FROM deliveries d JOIN cases c ON c.id = d.case_id
			WHERE c.reference = $1`, ref).Scan(&key, &sum, &signature, &detail, &evidence); err != nil {
			t.Fatal(err)
		}
		if key == "" || !strings.HasPrefix(key, activities.ProofPrefix) || !strings.HasSuffix(key, sum) {
			t.Fatalf("%s: proof kept under %q (sha256 %s), want a content key under %s", ref, key, sum, activities.ProofPrefix)
		}
		if signature != "indeterminate" || !strings.Contains(detail, "NO_CERTIFICATE_CHAIN_FOUND") || !strings.Contains(detail, edoreczeniasim.SignerName) {
			t.Errorf("%s: proof signature %s (%s), want indeterminate: the simulator's %s is not trusted", ref, signature, detail, edoreczeniasim.SignerName)
		}
		stored, err := o.svc.Blob.Get(ctx, o.cfg.DocumentsBucket, key, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		again, err := edc.EvidenceFile(ctx, edoreczenia.MessageTypePURDE, evidence)
		if err != nil {
			t.Fatal(err)
		}
		if h := sha256.Sum256(again); hex.EncodeToString(h[:]) != sum || !bytes.Equal(again, stored) {
			t.Errorf("%s: the service now answers other bytes than those kept: a retry would keep another proof", ref)
		}
		for _, want := range []string{"<IdentyfikatorWiadomosci>" + messages[i] + "<", `Kod="` + reasons[i] + `"`, "<IdentyfikatorDowodu>" + evidence + "<"} {
			if !strings.Contains(string(stored), want) {
				t.Errorf("%s: the proof lacks %q", ref, want)
			}
		}

		var answer struct {
			Deliveries []struct {
				ID    string
				Proof struct{ SHA256, Signature string }
			}
		}
		if err := json.Unmarshal(get("/api/v1/cases/"+ref), &answer); err != nil {
			t.Fatal(err)
		}
		if len(answer.Deliveries) != 1 || answer.Deliveries[0].Proof.SHA256 != sum || answer.Deliveries[0].Proof.Signature != signature {
			t.Fatalf("%s: deliveries in the case answer: %+v, want one with proof %s", ref, answer.Deliveries, sum)
		}
		id := answer.Deliveries[0].ID
		if page := get("/sprawy/" + ref); !strings.Contains(string(page), "/sprawy/"+ref+"/doreczenia/"+id+"/dowod") {
			t.Errorf("%s: the case page does not link the proof", ref)
		}
		for _, path := range []string{"/api/v1/cases/" + ref + "/deliveries/" + id + "/proof", "/sprawy/" + ref + "/doreczenia/" + id + "/dowod"} {
			if got := get(path); !bytes.Equal(got, stored) {
				t.Errorf("GET %s: got other bytes than the proof kept", path)
			}
		}
	}
}

// withEDelivery gives the office a mailbox in a simulated e-Doręczenia, beside two parties'
// and obieg's web server, which receives the service's callbacks.
func (o *testOffice) withEDelivery(t *testing.T) (*edoreczeniasim.Simulator, *httptest.Server) {
	t.Helper()
	sim := edoreczeniasim.New(edoreczeniasim.NewMemStore(), time.Now, nil)
	simSrv := httptest.NewServer(sim.Handler())
	t.Cleanup(simSrv.Close)
	for _, box := range []string{officeADE, partyOne, partyTwo} {
		if _, err := sim.CreateMailbox(o.ctx, box, "skrzynka "+box); err != nil {
			t.Fatal(err)
		}
	}
	if err := sim.RegisterClient(edoreczeniasim.Client{ID: "obieg-test", Secret: "test-secret", Addresses: []string{officeADE},
		Scopes: []string{edoreczenia.ScopeReadMessages, edoreczenia.ScopeWriteMessages, edoreczenia.ScopeReadSettings, edoreczenia.ScopeWriteSettings}}); err != nil {
		t.Fatal(err)
	}
	// obieg's web server receives the callbacks: its address is known only once it listens.
	var handler http.Handler
	webSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(webSrv.Close)
	c := &o.svc.Config
	c.EDeliveryURL, c.EDeliveryTokenURL = simSrv.URL+edoreczeniasim.APIPrefix, simSrv.URL+edoreczeniasim.TokenPath
	c.EDeliveryClientID, c.EDeliveryClientSecret, c.EDeliveryAddress = "obieg-test", "test-secret", officeADE
	c.EDeliveryCallbackURL = webSrv.URL + "/callbacks/edoreczenia?token=callback-secret-of-the-test"
	h, err := o.svc.WebHandler()
	if err != nil {
		t.Fatal(err)
	}
	handler = h
	if err := o.svc.SubscribeCallbacks(o.ctx); err != nil {
		t.Fatal(err)
	}
	return sim, webSrv
}

// caseWorkflows waits until n cases have their workflows and returns their references.
func (o *testOffice) caseWorkflows(t *testing.T, n int) []string {
	t.Helper()
	for {
		rows, err := o.pool.Query(o.ctx, `SELECT reference FROM cases WHERE workflow_id IS NOT NULL ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		refs, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		if len(refs) >= n {
			return refs
		}
		select {
		case <-o.ctx.Done():
			t.Fatalf("%d of %d case workflows started", len(refs), n)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// waitStage waits until the case ref stands in stage.
func (o *testOffice) waitStage(t *testing.T, ref, stage string) {
	t.Helper()
	var got string
	for got != stage {
		if err := o.pool.QueryRow(o.ctx, `SELECT stage FROM cases WHERE reference = $1`, ref).Scan(&got); err != nil {
			t.Fatal(err)
		}
		select {
		case <-o.ctx.Done():
			t.Fatalf("case %s stands in %s, want %s", ref, got, stage)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// caseState asks the workflow of case ref where it stands.
func (o *testOffice) caseState(t *testing.T, ref string) workflows.CaseState {
	t.Helper()
	v, err := o.tc.QueryWorkflow(o.ctx, workflows.CaseWorkflowID(o.cfg.WorkflowIDPrefix, ref), "", workflows.QueryState)
	if err != nil {
		t.Fatal(err)
	}
	var st workflows.CaseState
	if err := v.Get(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// historyHas reports whether the history of case ref has an action with code.
func (o *testOffice) historyHas(t *testing.T, ref, code string) bool {
	t.Helper()
	var n int
	if err := o.pool.QueryRow(o.ctx, `SELECT count(*) FROM case_actions a JOIN cases c ON c.id = a.case_id
		WHERE c.reference = $1 AND a.action = $2`, ref, code).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// TestMailboxIntakeEndToEnd: letters parties send to the office's e-Doręczenia mailbox become
// submissions, each once: a letter with the centre's complaint form opens a complaint case; a
// plain letter with a PDF is registered and routed as a general letter titled by its subject. The
// intake waits an hour between listings, yet a letter sent while it waits is taken at once:
// the service's onMessage callback wakes it.
func TestMailboxIntakeEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	o := newTestOffice(t, ctx)
	sim, _ := o.withEDelivery(t)
	o.svc.Config.EDeliveryIntakeInterval = time.Hour

	complaint := compose.Complaint(7)
	if _, err := sim.Post(ctx, partyOne, edoreczeniasim.Draft{To: officeADE, Subject: "Skarga", Text: "W załączeniu skarga."},
		edoreczeniasim.Attachment{Name: "skarga.xml", ContentType: "application/xml", Data: complaint}); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Post(ctx, partyTwo, edoreczeniasim.Draft{To: officeADE, Subject: "Prośba o informację", Text: "Proszę o informację o terminie."},
		edoreczeniasim.Attachment{Name: "pismo.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 prośba")}); err != nil {
		t.Fatal(err)
	}
	o.start(t)
	// The intake's first run takes the two letters and continues as new when the callback
	// wakes it for the third, which the next run takes. Its history is recorded with -update.
	intakeID := workflows.MailboxIntakeWorkflowID(o.cfg.WorkflowIDPrefix, officeADE)
	firstRun := o.startRun(t, intakeID, workflows.MailboxIntakeName,
		workflows.MailboxIntakeInput{Address: officeADE, Interval: o.svc.Config.EDeliveryIntakeInterval, MaxPerRun: 2})
	id, err := o.svc.StartMailboxIntake(ctx)
	if err != nil || id != intakeID {
		t.Fatalf("StartMailboxIntake = %q, %v; want the running %q", id, err, intakeID)
	}
	t.Cleanup(func() { o.tc.TerminateWorkflow(context.Background(), id, "", "test over") })
	o.waitSubmissions(t, 2)

	// Sent while the intake waits out its hour: the callback wakes it.
	late, err := sim.Post(ctx, partyTwo, edoreczeniasim.Draft{To: officeADE, Subject: "Uzupełnienie", Text: "Przesyłam uzupełnienie."})
	if err != nil {
		t.Fatal(err)
	}
	o.waitSubmissions(t, 3)

	rows, err := o.pool.Query(ctx, `SELECT box_document_id, sender_id, file_name, content_type, raw_key, status,
		(SELECT count(*) FROM submission_attachments a WHERE a.submission_id = s.id)
		FROM submissions s WHERE channel = 'edoreczenia' ORDER BY received_at`)
	if err != nil {
		t.Fatal(err)
	}
	type sub struct {
		id, sender, file, ct, raw, status string
		attachments                       int
	}
	var subs []sub
	for rows.Next() {
		var s sub
		if err := rows.Scan(&s.id, &s.sender, &s.file, &s.ct, &s.raw, &s.status, &s.attachments); err != nil {
			t.Fatal(err)
		}
		subs = append(subs, s)
	}
	if len(subs) != 3 {
		t.Fatalf("%d submissions from the mailbox, want 3", len(subs))
	}
	if s := subs[0]; s.sender != partyOne || s.file != "skarga.xml" || s.ct != "application/xml" || s.attachments != 1 || s.status != "registered" {
		t.Errorf("the complaint: %+v; want skarga.xml from %s, registered, with the message beside it", s, partyOne)
	}
	if s := subs[1]; s.sender != partyTwo || s.ct != "application/json" || s.attachments != 1 || s.status != "registered" {
		t.Errorf("the plain letter: %+v; want the message itself from %s, registered, with its PDF", s, partyTwo)
	}
	if subs[2].id != late.ID {
		t.Errorf("the third submission is message %s, want %s", subs[2].id, late.ID)
	}
	stored, err := o.svc.Blob.Get(ctx, o.cfg.RawBucket, subs[0].raw, 1<<20)
	if err != nil || string(stored) != string(complaint) {
		t.Errorf("the stored complaint differs from the one sent (%v)", err)
	}

	// Each opened its case, the complaint as a complaint, the plain letters as general letters
	// titled by their subjects; the party of each is the sender's address.
	refs := o.caseWorkflows(t, 3)
	for i, want := range []struct{ form, title, party string }{
		{"skarga-wniosek", "", partyOne},
		{"pismo-ogolne", "Prośba o informację", partyTwo},
		{"pismo-ogolne", "Uzupełnienie", partyTwo},
	} {
		var party, form, title, ref string
		if err := o.pool.QueryRow(ctx, `SELECT s.sender_id, s.form_type, c.title, c.reference FROM cases c
			JOIN submissions s ON s.id = c.origin_submission_id WHERE s.box_document_id = $1`, subs[i].id).Scan(&party, &form, &title, &ref); err != nil {
			t.Fatalf("the case of message %d: %v (cases %v)", i+1, err, refs)
		}
		if party != want.party || form != want.form || (want.title != "" && title != want.title) {
			t.Errorf("case %s of message %d: party %s, form %s, title %q; want %s, %s, %q", ref, i+1, party, form, title, want.party, want.form, want.title)
		}
		// The case shows where its answer can be sent.
		if c, err := cases.New(o.pool).Get(ctx, ref); err != nil || c.PartyAddress != want.party {
			t.Errorf("case %s: party address %q, %v; want %s", ref, c.PartyAddress, err, want.party)
		}
	}

	// The next run lists the mailbox from the second letter's time on, not from its beginning.
	var next workflows.MailboxIntakeInput
	o.continuedAsNew(t, intakeID, firstRun, &next)
	if next.From.IsZero() || next.Address != officeADE {
		t.Errorf("the intake continues with %+v, want the mailbox listed from the letters taken", next)
	}
	if *update {
		writeRunHistory(t, ctx, o.svc, intakeID, firstRun,
			filepath.Join(historyDir(t), "mailbox-woken.history.json"))
	}
}

// waitSubmissions waits until the office has n submissions from its e-Doręczenia mailbox.
func (o *testOffice) waitSubmissions(t *testing.T, n int) {
	t.Helper()
	var got int
	for {
		if err := o.pool.QueryRow(o.ctx, `SELECT count(*) FROM submissions WHERE channel = 'edoreczenia' AND status <> 'received'`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got >= n {
			return
		}
		select {
		case <-o.ctx.Done():
			t.Fatalf("%d of %d submissions from the mailbox", got, n)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// TestMailboxIntakeUnderFaults: 60 letters come into a mailbox that answers a third of the
// requests with 503, slowly, and the worker is killed halfway and replaced: every letter
// becomes exactly one submission.
func TestMailboxIntakeUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("60 letters through faults and a worker restart: not in -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	o := newTestOffice(t, ctx)
	sim, _ := o.withEDelivery(t)
	o.svc.Config.EDeliveryIntakeInterval = 200 * time.Millisecond
	const letters = 60
	for i := range letters {
		from := []string{partyOne, partyTwo}[i%2]
		if _, err := sim.Post(ctx, from, edoreczeniasim.Draft{To: officeADE, Subject: fmt.Sprintf("Pismo %d", i+1), Text: "Treść pisma."},
			edoreczeniasim.Attachment{Name: "pismo.pdf", ContentType: "application/pdf", Data: []byte(fmt.Sprintf("%%PDF-1.4 pismo %d", i+1))}); err != nil {
			t.Fatal(err)
		}
	}
	sim.SetFaults(edoreczeniasim.Faults{Latency: 5 * time.Millisecond, Error503: 0.3, Seed: 42})

	trust, err := LoadTrust(ctx, o.cfg, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	security, err := o.svc.EpuapSecurity()
	if err != nil {
		t.Fatal(err)
	}
	newWorker := func() worker.Worker {
		w, err := o.svc.NewWorker(ctx, o.svc.Box(o.url+"/pk_external_ws/services/pull", security...), nil, trust)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
		return w
	}
	first := newWorker()
	id, err := o.svc.StartMailboxIntake(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.tc.TerminateWorkflow(context.Background(), id, "", "test over") })
	o.waitSubmissions(t, letters/3)
	first.Stop() // killed mid-run: activities in flight are retried by the next worker
	second := newWorker()
	defer second.Stop()
	o.waitSubmissions(t, letters)

	var subs, distinct int
	if err := o.pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT box_document_id) FROM submissions WHERE channel = 'edoreczenia'`).Scan(&subs, &distinct); err != nil {
		t.Fatal(err)
	}
	if subs != letters || distinct != letters {
		t.Errorf("%d submissions of %d messages, want %d of %d", subs, distinct, letters, letters)
	}
	msgs, err := sim.Messages(ctx, officeADE)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		var n int
		o.pool.QueryRow(ctx, `SELECT count(*) FROM submissions WHERE channel = 'edoreczenia' AND box_document_id = $1`, m.ID).Scan(&n)
		if n != 1 {
			t.Errorf("message %s (%s): %d submissions, want 1", m.ID, m.Subject, n)
		}
	}
}

// TestRefusalDeliveredEndToEnd walks a family card application the rules refuse from the box
// to the delivered decision and its appeal: filed through ePUAP, assessed, assigned; the
// handler takes the proposed refusal decision (GET draft-proposal) as the draft; the head
// accepts and signs; it is sent through e-Doręczenia, collected, the proof of receipt kept, and
// the appeal period runs from the day of collection; the party's appeal, filed through ePUAP
// naming the case, is joined to it, recorded, and passed to the appeal body. The audit chain
// stays intact throughout.
func TestRefusalDeliveredEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	o := newTestOffice(t, ctx)
	o.trustAndSign(t)
	sim, webSrv := o.withEDelivery(t)

	seed := int64(1)
	for compose.RandomFamilyCard(seed).Defect != compose.DefectTwoChildren {
		seed++
	}
	fc := compose.RandomFamilyCard(seed)
	if _, err := o.sim.File(ctx, epuapsim.FileRequest{Podmiot: o.cfg.EpuapPodmiot, Skrytka: o.cfg.EpuapBoxName,
		Sender:     epuapsim.Sender{Identyfikator: fc.Login, TypOsoby: "F", ImieSkrot: fc.Application.Members[0].FirstNames, NazwiskoNazwa: fc.Application.Members[0].Surname},
		NazwaPliku: "wniosek.xml", Zawartosc: fc.XML()}); err != nil {
		t.Fatal(err)
	}
	o.start(t)
	o.waitFor(t, 1, 0)
	ref := o.caseWorkflows(t, 1)[0]
	o.waitHistory(t, ref, "assessed")

	head, clerk := signIn(t, webSrv.URL, "kierownik.wps"), signIn(t, webSrv.URL, "referent.wps")
	act := func(c *http.Client, action string, body any, wantStage string) {
		t.Helper()
		b, _ := json.Marshal(body)
		resp, err := c.Post(webSrv.URL+"/api/v1/cases/"+ref+"/actions/"+action, "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var got struct {
			Stage string `json:"stage"`
			Error string `json:"error"`
		}
		json.NewDecoder(resp.Body).Decode(&got)
		if got.Stage != wantStage {
			t.Fatalf("%s: %d %+v, want stage %s", action, resp.StatusCode, got, wantStage)
		}
	}
	act(head, "assign", map[string]string{"assignee": "referent.wps"}, casefile.StageAssigned)

	// The proposal is a refusal decision naming the family's members; the handler submits it.
	resp, err := clerk.Get(webSrv.URL + "/api/v1/cases/" + ref + "/draft-proposal")
	if err != nil {
		t.Fatal(err)
	}
	var proposal struct {
		Draft map[string]string `json:"draft"`
	}
	err = json.NewDecoder(resp.Body).Decode(&proposal)
	resp.Body.Close()
	if err != nil || proposal.Draft["kind"] != "decyzja" || proposal.Draft["ruling"] == "" || proposal.Draft["instruction"] == "" {
		t.Fatalf("draft proposal: %v, %+v; want a refusal decision with its ruling and instruction", err, proposal.Draft)
	}
	act(clerk, "submit-draft", proposal.Draft, casefile.StageDraftReview)
	act(head, "accept", map[string]string{}, casefile.StageAwaitingSignature)
	act(head, "sign", map[string]string{}, casefile.StageSigned)
	act(clerk, "dispatch", map[string]string{"address": partyOne}, casefile.StageDispatched)

	var messageID string
	if err := o.pool.QueryRow(ctx, `SELECT d.message_id FROM deliveries d JOIN cases c ON c.id = d.case_id WHERE c.reference = $1`, ref).Scan(&messageID); err != nil {
		t.Fatal(err)
	}
	got, err := sim.Collect(ctx, partyOne, messageID)
	if err != nil {
		t.Fatal(err)
	}
	collected := deadlines.WarsawDate(sim.Now())
	o.waitStage(t, ref, casefile.StageDelivered)

	// What the party received is the decision the head signed, with the proposal's ruling.
	var signedXML string
	if err := o.pool.QueryRow(ctx, `SELECT d.xml_key FROM documents d JOIN cases c ON c.id = d.case_id
		WHERE c.reference = $1 AND d.status = 'signed' AND d.kind = 'decyzja'`, ref).Scan(&signedXML); err != nil {
		t.Fatalf("the signed decision: %v", err)
	}
	signed, err := o.svc.Blob.Get(ctx, o.cfg.DocumentsBucket, signedXML, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Attachments) != 2 || !bytes.Equal(got.Attachments[0].Data, signed) {
		t.Errorf("the party received %d attachments; the first is not the signed decision", len(got.Attachments))
	}
	firstRuling := strings.SplitN(proposal.Draft["ruling"], "\n", 2)[0]
	if !strings.Contains(string(signed), firstRuling) {
		t.Errorf("the signed decision lacks the proposed ruling %q", firstRuling)
	}
	st := o.caseState(t, ref)
	if st.DeliveredOn != collected || st.AppealEnds != deadlines.Due(collected, deadlines.Term{N: 14, Unit: deadlines.Days}, deadlines.Calendar{}, nil) {
		t.Errorf("delivered %s, appeal ends %s; want %s and 14 days later", st.DeliveredOn, st.AppealEnds, collected)
	}
	var proofKey string
	if err := o.pool.QueryRow(ctx, `SELECT coalesce(d.proof_key, '') FROM deliveries d JOIN cases c ON c.id = d.case_id WHERE c.reference = $1`, ref).Scan(&proofKey); err != nil || proofKey == "" {
		t.Errorf("no proof of receipt kept (%v)", err)
	}
	// The party appeals through ePUAP, naming the case: the letter is joined to it, and the
	// handler records the appeal and its passing to the appeal body.
	appeal := compose.Random(5)
	appeal.Tytul = "Odwołanie od decyzji w sprawie " + ref
	if _, err := o.sim.File(ctx, epuapsim.FileRequest{Podmiot: o.cfg.EpuapPodmiot, Skrytka: o.cfg.EpuapBoxName,
		Sender: epuapsim.Sender{Identyfikator: fc.Login, TypOsoby: "F"}, NazwaPliku: "odwolanie.xml", Zawartosc: appeal.XML()}); err != nil {
		t.Fatal(err)
	}
	o.waitHistory(t, ref, "letter_joined")
	act(clerk, "record-appeal", map[string]string{"note": "Odwołanie wniesione przez ePUAP."}, casefile.StageAppealed)
	act(clerk, "forward", map[string]string{"body": "Samorządowe Kolegium Odwoławcze", "reason": "organ odwoławczy (art. 127 § 1 k.p.a.)"}, casefile.StageForwarded)

	for _, code := range []string{"assessed", "assigned", "draft_submitted", "draft_accepted", "signed", "dispatched", "delivered",
		"letter_joined", "appealed", "appeal_forwarded"} {
		if !o.historyHas(t, ref, code) {
			t.Errorf("the history of %s lacks %s", ref, code)
		}
	}
	if rep, err := audit.New(o.pool).Verify(ctx, 0, 0); err != nil || !rep.Intact {
		t.Errorf("audit chain: %+v, %v", rep.Broken, err)
	}
}

// waitHistory waits until the history of case ref has an action with code.
func (o *testOffice) waitHistory(t *testing.T, ref, code string) {
	t.Helper()
	for !o.historyHas(t, ref, code) {
		select {
		case <-o.ctx.Done():
			t.Fatalf("the history of %s has no %s", ref, code)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// TestLetterJoinedEndToEnd: a second letter that names the reference of the case the first
// opened (the party's reply) is registered and joined to that case, not opened as a case of
// its own nor left for the registry; the case's history records it.
func TestLetterJoinedEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	o := newTestOffice(t, ctx)
	if _, err := demo.FileLetters(ctx, o.sim, o.cfg.EpuapPodmiot, o.cfg.EpuapBoxName, 1, 1); err != nil {
		t.Fatal(err)
	}
	o.start(t)
	o.waitFor(t, 1, 0)
	ref := o.caseWorkflows(t, 1)[0]

	reply := compose.Random(2)
	reply.Tytul = "Uzupełnienie braków – sprawa " + ref
	if _, err := o.sim.File(ctx, epuapsim.FileRequest{Podmiot: o.cfg.EpuapPodmiot, Skrytka: o.cfg.EpuapBoxName,
		Sender: epuapsim.Sender{Identyfikator: reply.Nadawca.Login, TypOsoby: "F"}, NazwaPliku: "uzupelnienie.xml", Zawartosc: reply.XML()}); err != nil {
		t.Fatal(err)
	}
	o.waitHistory(t, ref, "letter_joined")

	var subs, casesN, joined int
	var unit string
	if err := o.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM submissions), (SELECT count(*) FROM cases),
		(SELECT count(*) FROM submissions s JOIN cases c ON c.id = s.joined_case_id WHERE c.reference = $1),
		(SELECT r.unit_code FROM register_entries r JOIN submissions s ON s.id = r.submission_id WHERE s.joined_case_id IS NOT NULL)`, ref).
		Scan(&subs, &casesN, &joined, &unit); err != nil {
		t.Fatal(err)
	}
	if subs != 2 || casesN != 1 || joined != 1 || unit != "SEK" {
		t.Errorf("%d submissions, %d cases, %d joined to %s (filed in %s); want 2, 1, 1, SEK", subs, casesN, joined, ref, unit)
	}
	unrouted, err := register.New(o.pool).ListUnrouted(ctx, 10)
	if err != nil || len(unrouted) != 0 {
		t.Errorf("left for the registry: %d (%v), want none", len(unrouted), err)
	}
}
