package workflows

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/obieg/obieg/activities/contract"

	"github.com/google/uuid"
	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/obieg/obieg/activities"
	"github.com/obieg/obieg/internal/domain/blob"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/domain/incoming"
	"github.com/obieg/obieg/internal/domain/jrwa"
)

var received = contract.Received{
	Channel: "epuap", BoxDocumentID: "0123456789abcdef0123456789abcdef", BoxAddress: "/rops/skrytka",
	ReceivedAt: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC), SenderID: "jan.kowalski", SenderName: "Jan Kowalski",
	Raw: blob.Ref{Bucket: "raw", Key: "sha256/ab/ab", SHA256: "ab", Size: 100},
}

// TestSubmission walks each path of the submission workflow with its activities replaced:
// the workflow's own decisions are what is tested here (the activities have tests of their
// own, and the end-to-end test in internal/app runs both on the real stack).
func TestSubmission(t *testing.T) {
	subID := uuid.MustParse("019a0000-0000-7000-8000-000000000001")
	letter := forms.Detection{FormType: forms.GeneralLetter, Title: "Wniosek", Attachments: 1}
	kancelaria := Actor{Username: "kancelaria", Role: "registry", Unit: "KAN"}
	type upd struct {
		name    string
		input   any
		refused bool
	}
	routeSEK := RouteInput{Actor: kancelaria, Unit: "SEK", Class: "0600", Title: "Pismo w sprawie"}
	tests := []struct {
		name        string
		inspection  contract.Inspection
		routed      contract.Routed
		joined      contract.Joined // the open case the letter names, if any
		notJoined   bool            // a form of the centre's own: never joined, whatever it names
		updates     []upd           // sent by the registry clerk, a minute apart
		want        SubmissionResult
		wantOpened  bool
		wantQuarant bool
	}{
		{
			name:       "routed to a case",
			inspection: contract.Inspection{Detection: letter},
			routed:     contract.Routed{Found: true, Rule: jrwa.RoutingRule{FormType: forms.GeneralLetter, Class: "0600", Unit: "SEK", Term: "1m"}},
			want: SubmissionResult{SubmissionID: subID, Stage: StageRouted, RegisterNumber: incoming.Number{Year: 2026, Number: 7},
				CaseReference: "SEK.0600.3.2026", Unit: "SEK"},
			wantOpened: true,
		},
		{
			name:       "joined to the open case it names",
			inspection: contract.Inspection{Detection: letter},
			joined:     contract.Joined{CaseID: uuid.MustParse("019a0000-0000-7000-8000-0000000000c1"), Reference: "SEK.0600.1.2026", Unit: "SEK"},
			want: SubmissionResult{SubmissionID: subID, Stage: StageJoined, RegisterNumber: incoming.Number{Year: 2026, Number: 7},
				CaseReference: "SEK.0600.1.2026", Unit: "SEK"},
		},
		{
			name:       "a complaint naming a case is a matter of its own",
			inspection: contract.Inspection{Detection: forms.Detection{FormType: forms.Complaint, Title: "Wniosek"}},
			joined:     contract.Joined{CaseID: uuid.MustParse("019a0000-0000-7000-8000-0000000000c1"), Reference: "SEK.0600.1.2026", Unit: "SEK"},
			notJoined:  true,
			routed:     contract.Routed{Found: true, Rule: jrwa.RoutingRule{FormType: forms.Complaint, Class: "0600", Unit: "SEK", Term: "1m"}},
			want: SubmissionResult{SubmissionID: subID, Stage: StageRouted, RegisterNumber: incoming.Number{Year: 2026, Number: 7},
				CaseReference: "SEK.0600.3.2026", Unit: "SEK"},
			wantOpened: true,
		},
		{
			name:       "no routing rule: routed by the registry",
			inspection: contract.Inspection{Detection: letter},
			routed:     contract.Routed{Found: false},
			updates: []upd{
				{name: UpdateRouteSubmission, input: RouteInput{Actor: clerk, Unit: "SEK", Class: "0600"}, refused: true},
				{name: UpdateDismissSubmission, input: DismissInput{Actor: kancelaria, Note: "spam"}, refused: true}, // not quarantined
				{name: UpdateRouteSubmission, input: routeSEK},
			},
			want: SubmissionResult{SubmissionID: subID, Stage: StageRouted, RegisterNumber: incoming.Number{Year: 2026, Number: 7},
				CaseReference: "SEK.0600.3.2026", Unit: "SEK"},
			wantOpened: true,
		},
		{
			name:       "quarantined, then dismissed",
			inspection: contract.Inspection{Refused: true, Reason: "not-xml", Detail: "XML syntax error"},
			updates: []upd{
				{name: UpdateDismissSubmission, input: DismissInput{Actor: kancelaria}, refused: true}, // no reason given
				{name: UpdateDismissSubmission, input: DismissInput{Actor: kancelaria, Note: "Plik uszkodzony; nadawca poproszony o ponowne przesłanie."}},
			},
			want:        SubmissionResult{SubmissionID: subID, Stage: StageDismissed, QuarantineReason: "not-xml"},
			wantQuarant: true,
		},
		{
			name:       "quarantined, then registered and routed by hand",
			inspection: contract.Inspection{Refused: true, Reason: "unknown-form", Detail: "root element {}Dokument is not a known form"},
			updates: []upd{
				{name: UpdateRouteSubmission, input: RouteInput{Actor: kancelaria, Unit: "SEK", Class: "0600"}, refused: true}, // no title to register
				{name: UpdateRouteSubmission, input: routeSEK},
			},
			want: SubmissionResult{SubmissionID: subID, Stage: StageRouted, RegisterNumber: incoming.Number{Year: 2026, Number: 7},
				CaseReference: "SEK.0600.3.2026", Unit: "SEK"},
			wantOpened: true, wantQuarant: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s testsuite.WorkflowTestSuite
			env := s.NewTestWorkflowEnvironment()
			var a *activities.Submission
			env.RegisterActivity(a)
			env.OnActivity(a.Record, mock.Anything, contract.RecordInput{Received: received, WorkflowID: "default-test-workflow-id"}).Return(subID, nil).Once()
			env.OnActivity(a.Inspect, mock.Anything, received.Raw).Return(tt.inspection, nil).Once()
			quarantined, opened := false, false
			env.OnActivity(a.Quarantine, mock.Anything, mock.MatchedBy(func(in contract.QuarantineInput) bool {
				return in.SubmissionID == subID && in.Reason == tt.inspection.Reason && in.Detail == tt.inspection.Detail && !in.At.IsZero()
			})).
				Return(func(_ context.Context, _ contract.QuarantineInput) error { quarantined = true; return nil }).Maybe()
			env.OnActivity(a.Register, mock.Anything, mock.MatchedBy(func(in contract.RegisterInput) bool {
				return in.SubmissionID == subID && (in.Detection == tt.inspection.Detection || in.Detection.FormType == ManualFormType && in.Detection.Title == "Pismo w sprawie")
			})).Return(incoming.Number{Year: 2026, Number: 7}, nil).Maybe()
			env.OnActivity(a.CheckRoute, mock.Anything, "SEK", "0600").Return(nil).Maybe()
			env.OnActivity(a.Dismiss, mock.Anything, mock.MatchedBy(func(in contract.DismissInput) bool {
				return in.SubmissionID == subID && in.Actor == "kancelaria" && in.Note != ""
			})).Return(nil).Maybe()
			for i, u := range tt.updates {
				env.RegisterDelayedCallback(func() {
					env.UpdateWorkflow(u.name, fmt.Sprintf("u%d", i), &testsuite.TestUpdateCallback{
						OnAccept: func() {},
						OnReject: func(err error) {
							if !u.refused {
								t.Errorf("%s refused: %v", u.name, err)
							}
						},
						OnComplete: func(_ any, err error) {
							if u.refused != (err != nil) && err != nil {
								t.Errorf("%s failed: %v", u.name, err)
							}
							if u.refused && err == nil {
								t.Errorf("%s accepted, want refused", u.name)
							}
						},
					}, u.input)
				}, time.Duration(i+1)*time.Minute)
			}
			env.OnActivity(a.JoinExisting, mock.Anything, contract.JoinInput{SubmissionID: subID, Raw: received.Raw}).Return(tt.joined, nil).Maybe()
			env.OnActivity(a.Route, mock.Anything, tt.inspection.Detection.FormType).Return(tt.routed, nil).Maybe()
			env.OnActivity(a.OpenCase, mock.Anything, mock.MatchedBy(func(in contract.OpenCaseInput) bool {
				return in.SubmissionID == subID && in.Unit == "SEK" && in.Class == "0600" && (in.Title == "Wniosek" || in.Title == "Pismo w sprawie")
			})).Return(func(_ context.Context, _ contract.OpenCaseInput) (casefile.Case, error) {
				opened = true
				return casefile.Case{Reference: "SEK.0600.3.2026", Unit: "SEK"}, nil
			}).Maybe()

			caseStarted := false
			env.RegisterWorkflowWithOptions(Case, workflow.RegisterOptions{Name: CaseName})
			env.OnWorkflow(CaseName, mock.Anything, mock.Anything).Return(func(_ workflow.Context, in CaseInput) error {
				caseStarted = true
				if in.Reference != "SEK.0600.3.2026" || in.Unit != "SEK" || in.Term != "1m" || !in.ReceivedAt.Equal(received.ReceivedAt) {
					t.Errorf("case workflow started with %+v", in)
				}
				return nil
			}).Maybe()

			signalled := false
			env.OnSignalExternalWorkflow(mock.Anything, CaseWorkflowID("", tt.joined.Reference), "", SignalLetter, mock.MatchedBy(func(l LetterInput) bool {
				return l.SubmissionID == subID.String() && l.Number == "7/2026" && l.Title == "Wniosek" && l.Sender == "Jan Kowalski"
			})).Return(func(_, _, _, _ string, _ any) error { signalled = true; return nil }).Maybe()
			env.ExecuteWorkflow(Submission, received)
			if !env.IsWorkflowCompleted() {
				t.Fatal("workflow did not complete")
			}
			if caseStarted != tt.wantOpened {
				t.Errorf("case workflow started: %v, want %v", caseStarted, tt.wantOpened)
			}
			if err := env.GetWorkflowError(); err != nil {
				t.Fatalf("workflow error: %v", err)
			}
			var got SubmissionResult
			if err := env.GetWorkflowResult(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if signalled != (tt.joined.Reference != "" && !tt.notJoined) {
				t.Errorf("the case %q was told of the letter: %v", tt.joined.Reference, signalled)
			}
			if opened != tt.wantOpened || quarantined != tt.wantQuarant {
				t.Errorf("case opened %v, quarantined %v; want %v, %v", opened, quarantined, tt.wantOpened, tt.wantQuarant)
			}
			env.AssertExpectations(t)
		})
	}
}

// TestSubmissionFailsOnRecordError checks that a non-retryable failure of a step ends the
// workflow with that error instead of carrying on.
func TestSubmissionFailsOnRecordError(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var a *activities.Submission
	env.RegisterActivity(a)
	env.OnActivity(a.Record, mock.Anything, mock.Anything).
		Return(uuid.Nil, temporal.NewNonRetryableApplicationError("violates check constraint", contract.ErrTypeConstraint, nil)).Once()
	inspected := false
	env.OnActivity(a.Inspect, mock.Anything, mock.Anything).Return(func(_ context.Context, _ blob.Ref) (contract.Inspection, error) {
		inspected = true
		return contract.Inspection{}, nil
	}).Maybe()
	env.ExecuteWorkflow(Submission, received)
	var appErr *temporal.ApplicationError
	if err := env.GetWorkflowError(); !errors.As(err, &appErr) || appErr.Type() != contract.ErrTypeConstraint {
		t.Fatalf("got workflow error %v, want the constraint error", err)
	}
	if inspected {
		t.Error("the document was inspected after recording it failed")
	}
}

// TestIntake checks the order that makes the intake lose nothing: a document is confirmed to
// the box only after its submission workflow exists, and an empty box makes it wait.
func TestIntake(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var a *activities.Intake
	env.RegisterActivity(a)
	var calls []string
	docs := []contract.Pulled{
		{Received: contract.Received{BoxDocumentID: "a"}, Skrot: "skrot-a"},
		{Empty: true},
		{Received: contract.Received{BoxDocumentID: "b"}, Skrot: "skrot-b"},
	}
	env.OnActivity(a.PullNext, mock.Anything).Return(func(_ context.Context) (contract.Pulled, error) {
		if len(docs) == 0 {
			return contract.Pulled{Empty: true}, nil
		}
		p := docs[0]
		docs = docs[1:]
		calls = append(calls, "pull")
		return p, nil
	})
	env.OnActivity(a.StartSubmission, mock.Anything, mock.Anything).Return(func(_ context.Context, r contract.Received) (string, error) {
		calls = append(calls, "start "+r.BoxDocumentID)
		return activities.SubmissionWorkflowID("", "epuap", r.BoxDocumentID), nil
	})
	env.OnActivity(a.ConfirmInBox, mock.Anything, mock.Anything).Return(func(_ context.Context, skrot string) error {
		calls = append(calls, "confirm "+skrot)
		return nil
	})
	env.ExecuteWorkflow(Intake, IntakeInput{Box: "/rops/skrytka", Interval: time.Minute, MaxPerRun: 2})
	if !env.IsWorkflowCompleted() {
		t.Fatal("intake did not reach continue-as-new")
	}
	if !isContinueAsNew(env.GetWorkflowError()) {
		t.Fatalf("got %v, want continue-as-new after MaxPerRun documents", env.GetWorkflowError())
	}
	want := []string{"pull", "start a", "confirm skrot-a", "pull", "pull", "start b", "confirm skrot-b"}
	if len(calls) != len(want) {
		t.Fatalf("got calls %q, want %q", calls, want)
	}
	for i := range want {
		if calls[i] != want[i] {
			t.Fatalf("got calls %q, want %q", calls, want)
		}
	}
}

// TestIntakeDoesNotConfirmUnstarted checks that when the submission workflow cannot be
// started, the document is not confirmed: the box keeps it.
func TestIntakeDoesNotConfirmUnstarted(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var a *activities.Intake
	env.RegisterActivity(a)
	env.OnActivity(a.PullNext, mock.Anything).Return(contract.Pulled{Received: contract.Received{BoxDocumentID: "a"}, Skrot: "s"}, nil)
	env.OnActivity(a.StartSubmission, mock.Anything, mock.Anything).Return("", errors.New("temporal unavailable"))
	confirmed := false
	env.OnActivity(a.ConfirmInBox, mock.Anything, mock.Anything).Return(func(_ context.Context, _ string) error { confirmed = true; return nil }).Maybe()
	env.SetTestTimeout(30 * time.Second)
	env.RegisterDelayedCallback(env.CancelWorkflow, 10*time.Minute)
	env.ExecuteWorkflow(Intake, IntakeInput{Box: "/rops/skrytka", Interval: time.Minute})
	if confirmed {
		t.Fatal("the document was confirmed although its submission workflow was never started")
	}
}

// TestIntakeUPD checks that a UPD in the box is no submission: verified and recorded against
// its sending, it is confirmed without a submission workflow; one that matches no sending is
// handed to a submission workflow with the reason to quarantine it, and only then confirmed;
// so is one that can never be recorded, rather than ending the intake.
func TestIntakeUPD(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var a *activities.Intake
	env.RegisterActivity(a)
	var f *activities.Forwarding
	env.RegisterActivity(f)
	var calls []string
	docs := []contract.Pulled{
		{Received: contract.Received{BoxDocumentID: "upd-1"}, Skrot: "skrot-1", UPD: true},
		{Received: contract.Received{BoxDocumentID: "upd-2"}, Skrot: "skrot-2", UPD: true},
		{Received: contract.Received{BoxDocumentID: "upd-3"}, Skrot: "skrot-3", UPD: true},
	}
	env.OnActivity(a.PullNext, mock.Anything).Return(func(_ context.Context) (contract.Pulled, error) {
		p := docs[0]
		docs = docs[1:]
		calls = append(calls, "pull")
		return p, nil
	})
	env.OnActivity(f.TakeUPD, mock.Anything, mock.Anything).Return(func(_ context.Context, r contract.Received) (contract.UPDTaken, error) {
		calls = append(calls, "take "+r.BoxDocumentID)
		switch r.BoxDocumentID {
		case "upd-2":
			return contract.UPDTaken{Reason: contract.ReasonUPDUnmatched, Detail: "nie dotyczy żadnej wysyłki"}, nil
		case "upd-3":
			return contract.UPDTaken{}, temporal.NewNonRetryableApplicationError("stored UPD is missing", contract.ErrTypeInvalid, nil)
		}
		return contract.UPDTaken{Delivery: uuid.New(), CaseID: uuid.New()}, nil
	})
	env.OnActivity(a.StartSubmission, mock.Anything, mock.Anything).Return(func(_ context.Context, r contract.Received) (string, error) {
		calls = append(calls, "start "+r.BoxDocumentID+" "+r.Quarantine)
		return activities.SubmissionWorkflowID("", "epuap", r.BoxDocumentID), nil
	})
	env.OnActivity(a.ConfirmInBox, mock.Anything, mock.Anything).Return(func(_ context.Context, skrot string) error {
		calls = append(calls, "confirm "+skrot)
		return nil
	})
	env.ExecuteWorkflow(Intake, IntakeInput{Box: "/rops/skrytka", Interval: time.Minute, MaxPerRun: 3})
	if !isContinueAsNew(env.GetWorkflowError()) {
		t.Fatalf("got %v, want continue-as-new after MaxPerRun documents", env.GetWorkflowError())
	}
	want := "pull|take upd-1|confirm skrot-1|pull|take upd-2|start upd-2 upd-unmatched|confirm skrot-2|" +
		"pull|take upd-3|start upd-3 upd-invalid|confirm skrot-3"
	if got := strings.Join(calls, "|"); got != want {
		t.Fatalf("got calls %q, want %q", got, want)
	}
}

// TestSubmissionQuarantinedByIntake checks that a submission the intake found a reason to
// quarantine (a UPD that does not verify) is quarantined with it, not inspected as a form.
func TestSubmissionQuarantinedByIntake(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var a *activities.Submission
	env.RegisterActivity(a)
	subID := uuid.New()
	env.OnActivity(a.Record, mock.Anything, mock.Anything).Return(subID, nil)
	var got contract.QuarantineInput
	env.OnActivity(a.Quarantine, mock.Anything, mock.Anything).Return(func(_ context.Context, in contract.QuarantineInput) error {
		got = in
		return nil
	})
	env.RegisterDelayedCallback(env.CancelWorkflow, time.Hour)
	env.ExecuteWorkflow(Submission, contract.Received{Channel: "epuap", BoxDocumentID: "upd-3",
		Quarantine: contract.ReasonUPDInvalid, QuarantineDetail: "podpis nie pochodzi od ePUAP"})
	if got.SubmissionID != subID || got.Reason != contract.ReasonUPDInvalid || got.Detail != "podpis nie pochodzi od ePUAP" {
		t.Fatalf("got quarantine %+v, want %s with the intake's reason", got, subID)
	}
}

func isContinueAsNew(err error) bool {
	var can *workflow.ContinueAsNewError
	return errors.As(err, &can)
}

// TestReplay replays recorded histories of every workflow (golden files written by
// `go test ./internal/app -update`): a change that breaks determinism for running workflows
// fails here.
func TestReplay(t *testing.T) {
	// submission-routed-v0 was recorded before the submission workflow started case workflows
	// (GetVersion "start-case-workflow"): a workflow running since then must still replay.
	// submission-quarantined-v0 ended at the quarantine, before the registry could resolve it.
	// case-accepted-v0 was recorded before the case workflow issued letters.
	// case-forwarded-epuap was forwarded to a body's ePUAP box (GetVersion "forward-epuap").
	// intake-upd is a run of the intake of an ePUAP box that took a letter, a UPD (GetVersion
	// "intake-upd") and a forged UPD it had quarantined, then continued as new.
	// mailbox-woken is a run of the intake of an e-Doręczenia mailbox that took two letters,
	// was woken by the service's callback and continued as new.
	for _, name := range []string{"submission-routed-v0", "submission-routed", "submission-quarantined-v0", "submission-quarantined", "case-accepted-v0", "case-accepted",
		"case-forwarded-epuap",
		"intake-upd", "mailbox-woken"} {
		t.Run(name, func(t *testing.T) {
			r := worker.NewWorkflowReplayer()
			RegisterWorkflows(r)
			if err := r.ReplayWorkflowHistoryFromJSONFile(nil, "testdata/"+name+".history.json"); err != nil {
				t.Fatalf("replay: %v", err)
			}
		})
	}
}
