package app

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/dev/demo"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/deadlines"
	"github.com/obieg/obieg/internal/records/auth"
	"github.com/obieg/obieg/internal/web"
	"github.com/obieg/obieg/workflows"
	epuapschema "github.com/obieg/obieg/xmlschemas/epuap"
)

// TestForwardEndToEnd forwards a case to the competent body's box in the simulated ePUAP: the
// box holds the submission exactly as the office received it; the body collects it, ePUAP
// sends the UPD to the office's box, and the intake ties it to the sending (delivered on the
// day of collection, the UPD kept) and records the delivery in the case's history, without
// making a submission of it. A forged UPD filed into the office's box is quarantined.
func TestForwardEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	o := newTestOffice(t, ctx)
	pki := o.trustAndSign(t)
	const bodyPodmiot = "uw-test"
	if _, err := o.sim.CreateBox(ctx, bodyPodmiot, "skrytka"); err != nil {
		t.Fatal(err)
	}
	bodyBox := epuapsim.BoxAddress(bodyPodmiot, "skrytka")
	security, err := o.svc.EpuapSecurity()
	if err != nil {
		t.Fatal(err)
	}
	o.svc.Doreczyciel = o.svc.DoreczycielClient(o.url+epuapschema.DoreczycielPath, security...)

	if _, err := demo.FileSignedLetters(ctx, o.sim, o.cfg.EpuapPodmiot, o.cfg.EpuapBoxName, pki, 1, 1, time.Now()); err != nil {
		t.Fatal(err)
	}
	// The intake's first run continues as new after three documents: the letter, the UPD and
	// the forged UPD below. Its history, a UPD taken and one quarantined (GetVersion
	// "intake-upd"), is recorded with -update.
	intakeID := workflows.IntakeWorkflowID(o.cfg.WorkflowIDPrefix, o.cfg.EpuapBoxAddress)
	firstRun := o.startRun(t, intakeID, workflows.IntakeName,
		workflows.IntakeInput{Box: o.cfg.EpuapBoxAddress, Interval: time.Second, MaxPerRun: 3})
	o.start(t)
	o.waitFor(t, 1, 0)
	ref := o.caseWorkflows(t, 1)[0]

	acts := caseActions{tc: o.tc, prefix: o.cfg.WorkflowIDPrefix}
	head := auth.User{Username: "kierownik.sek", FullName: "Piotr Nowak", Position: "kierownik sekretariatu", Role: auth.RoleHead, Unit: "SEK"}
	forward := web.ActionRequest{Action: "forward", Actor: head, Body: "Wojewoda Testowy", Reason: "nadzór nad jednostkami pomocy społecznej"}
	for _, box := range []string{"uw-test", "/nieznany/skrytka"} { // not an address; no such box
		req := forward
		req.BoxAddress = box
		if stage, err := acts.Act(ctx, ref, req); !errors.Is(err, web.ErrActionRefused) {
			t.Fatalf("forward to %q: got %q, %v; want refused", box, stage, err)
		}
	}
	req := forward
	req.BoxAddress = bodyBox
	if stage, err := acts.Act(ctx, ref, req); err != nil || stage != casefile.StageForwarded {
		t.Fatalf("forward to %s: got %q, %v; want %s", bodyBox, stage, err, casefile.StageForwarded)
	}
	if !o.historyHas(t, ref, "forward_rejected") {
		t.Errorf("%s: the history lacks the forward ePUAP refused", ref)
	}

	// The body's box holds the submission as received, as a delivery awaiting collection.
	var sha, messageID, order, status string
	if err := o.pool.QueryRow(ctx, `SELECT s.sha256, d.message_id, d.task_id, d.status FROM deliveries d
		JOIN submissions s ON s.id = d.submission_id JOIN cases c ON c.id = d.case_id
		WHERE c.reference = $1 AND d.channel = 'epuap' AND d.status <> 'rejected'`, ref).Scan(&sha, &messageID, &order, &status); err != nil {
		t.Fatalf("the sending of %s: %v", ref, err)
	}
	if status != "sent" {
		t.Errorf("sending of %s: %s, want sent", ref, status)
	}
	boxes, err := o.sim.Waiting(ctx, bodyPodmiot)
	if err != nil {
		t.Fatal(err)
	}
	if w := boxes[0].Waiting; len(w) != 1 || w[0].SHA256 != sha || w[0].ID != messageID || w[0].Zlecenie != order {
		t.Fatalf("the body's box holds %+v; want the submission (sha256 %s) as document %s of order %s", w, sha, messageID, order)
	}

	// The body collects it: the UPD comes to the office's box, and the intake takes it.
	upd, err := o.sim.Collect(ctx, order)
	if err != nil {
		t.Fatal(err)
	}
	collected := deadlines.WarsawDate(time.Now())
	var on time.Time
	var evidence, proofKey string
	for {
		err := o.pool.QueryRow(ctx, `SELECT delivered_on, evidence_id, proof_key FROM deliveries WHERE message_id = $1 AND status = 'delivered'`,
			messageID).Scan(&on, &evidence, &proofKey)
		if err == nil {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the sending %s was not delivered: %v", messageID, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
	parsed, err := epuap.ParseUPD(upd)
	if err != nil {
		t.Fatal(err)
	}
	if civil.DateOf(on) != collected || evidence != parsed.IdentyfikatorPoswiadczenia {
		t.Errorf("delivered %s with evidence %q, want %s with %q", civil.DateOf(on), evidence, collected, parsed.IdentyfikatorPoswiadczenia)
	}
	if stored, err := o.svc.Blob.Get(ctx, o.cfg.RawBucket, proofKey, 1<<20); err != nil || string(stored) != string(upd) {
		t.Errorf("the stored UPD differs from ePUAP's (%v)", err)
	}
	desc, err := described(o.pool.QueryRow(ctx, `SELECT a.action, a.data, a.description FROM case_actions a JOIN cases c ON c.id = a.case_id
		WHERE c.reference = $1 AND a.action = 'delivered_to_body'`, ref))
	if err != nil {
		t.Fatalf("the history of %s: %v", ref, err)
	}
	if !strings.HasPrefix(desc, "Doręczono organowi") || !strings.Contains(desc, bodyBox) || !strings.Contains(desc, "(UPD "+evidence+")") {
		t.Errorf("history: %q; want the delivery to %s with its UPD", desc, bodyBox)
	}

	// A forged UPD, signed by no one ePUAP pins, is quarantined; the real one made no
	// submission, and the office's box is empty.
	forged := strings.Replace(string(upd), parsed.IdentyfikatorPoswiadczenia, "UPD-podrobione", 1)
	if _, err := o.sim.File(ctx, epuapsim.FileRequest{Podmiot: o.cfg.EpuapPodmiot, Skrytka: o.cfg.EpuapBoxName,
		Sender: epuapsim.Sender{Identyfikator: "ePUAP", NazwiskoNazwa: "ePUAP"}, NazwaPliku: "UPD.xml", TypPliku: "text/xml",
		Zawartosc: []byte(forged)}); err != nil {
		t.Fatal(err)
	}
	o.waitFor(t, 1, 1)
	var reason string
	var submissions int
	if err := o.pool.QueryRow(ctx, `SELECT (SELECT quarantine_reason FROM submissions WHERE status = 'quarantined'),
		(SELECT count(*) FROM submissions)`).Scan(&reason, &submissions); err != nil {
		t.Fatal(err)
	}
	if reason != "upd-invalid" || submissions != 2 {
		t.Errorf("got quarantine reason %q and %d submissions; want upd-invalid and 2 (the letter, the forged UPD)", reason, submissions)
	}
	var next workflows.IntakeInput
	o.continuedAsNew(t, intakeID, firstRun, &next)
	if next.MaxPerRun != 3 || next.Box != o.cfg.EpuapBoxAddress {
		t.Errorf("the intake continues with %+v, want the same box and bound", next)
	}
	if *update {
		writeHistory(t, ctx, o.svc, workflows.CaseWorkflowID(o.cfg.WorkflowIDPrefix, ref),
			filepath.Join(historyDir(t), "case-forwarded-epuap.history.json"))
		writeRunHistory(t, ctx, o.svc, intakeID, firstRun,
			filepath.Join(historyDir(t), "intake-upd.history.json"))
	}
}
