package workflows

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/obieg/obieg/activities/contract"

	"github.com/google/uuid"
	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/obieg/obieg/activities"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/casehistory"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/deadlines"
	"github.com/obieg/obieg/internal/domain/delivery"
	"github.com/obieg/obieg/internal/domain/letters"
	"github.com/obieg/obieg/internal/domain/lifecycle"
)

var (
	head     = Actor{Username: "kierownik.sek", Name: "Piotr Nowak", Role: "head", Unit: "SEK"}
	clerk    = Actor{Username: "referent.sek", Name: "Maria Wiśniewska", Role: "clerk", Unit: "SEK"}
	registry = Actor{Username: "kancelaria", Name: "Anna Kowalska", Role: "registry", Unit: "KAN"}
	stranger = Actor{Username: "kierownik.ois", Name: "Tomasz Wójcik", Role: "head", Unit: "OIS"}
)

// An action of a case script: at day offset (from the start, 09:00 Warsaw) send update name
// with input; want says whether it is to be refused.
type action struct {
	day     time.Duration
	name    string
	input   any
	refused bool
	signal  bool // a signal (name) rather than an update
}

// caseRun runs the case workflow of a case received on Monday 2 March 2026 with a term of
// one month (due Thursday 2 April 2026) through the actions, then lets days pass until
// `until`, and returns the steps recorded, the final state and the workflow's end.
type caseResult struct {
	steps     []casefile.Step
	sendings  []contract.SendInput
	signed    []contract.IssueInput
	forwards  []contract.ForwardSendInput
	checks    int
	letters   []contract.IssueInput
	state     CaseState
	completed bool
	err       error
}

func runCase(t *testing.T, actions []action, until time.Duration) caseResult {
	t.Helper()
	return runCaseDelivered(t, actions, until, 3)
}

// rejectedAddress is an address the mocked e-Doręczenia refuses to deliver to,
// unreachableAddress one for which it does not answer, and rejectedBox an ePUAP box the
// mocked doręczyciel refuses.
const (
	rejectedAddress    = "AE:PL-99999-99999-ODRZU-99"
	unreachableAddress = "AE:PL-88888-88888-AWARI-88"
	rejectedBox        = "/nieznany/skrytka"
)

// runCaseDelivered is runCase with the mocked e-Doręczenia issuing the proof of receipt (of
// 7 March 2026) when the case asks for the evidences the deliverOn-th time.
func runCaseDelivered(t *testing.T, actions []action, until time.Duration, deliverOn int) caseResult {
	t.Helper()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, civil.Warsaw)
	env.SetStartTime(start)
	var a *activities.Case
	env.RegisterActivity(a)
	var d *activities.Delivery
	env.RegisterActivity(d)
	var f *activities.Forwarding
	env.RegisterActivity(f)
	var res caseResult
	sendingID := uuid.New()
	env.OnActivity(f.ForwardToBody, mock.Anything, mock.Anything).Return(func(_ context.Context, in contract.ForwardSendInput) (contract.ForwardSent, error) {
		res.forwards = append(res.forwards, in)
		if in.Box == rejectedBox {
			reason := "ePUAP nie przyjął doręczenia do skrytki " + in.Box + ": nieznana skrytka"
			return contract.ForwardSent{Rejected: reason, Deliveries: []delivery.Delivery{{ID: uuid.New(), Channel: delivery.ChannelEPUAP,
				Address: in.Box, Status: delivery.StatusRejected, Reason: reason}}}, nil
		}
		return contract.ForwardSent{Deliveries: []delivery.Delivery{{ID: uuid.New(), Channel: delivery.ChannelEPUAP, Address: in.Box,
			Status: delivery.StatusSent, MessageID: "doc-1", TaskID: "ZLECENIE-doc-1"}}}, nil
	})
	env.OnActivity(d.SendLetter, mock.Anything, mock.Anything).Return(func(_ context.Context, in contract.SendInput) (delivery.Delivery, error) {
		res.sendings = append(res.sendings, in)
		if in.Address == unreachableAddress {
			return delivery.Delivery{}, errors.New("edoreczenia: create draft: 503 Service Unavailable")
		}
		if in.Address == rejectedAddress {
			return delivery.Delivery{ID: uuid.New(), Address: in.Address, Status: delivery.StatusRejected, Reason: "adresat nie ma skrzynki"}, nil
		}
		return delivery.Delivery{ID: sendingID, DocumentID: in.DocumentID, Address: in.Address, Status: delivery.StatusSent, MessageID: "msg-1"}, nil
	})
	env.OnActivity(d.CheckDelivery, mock.Anything, mock.Anything).Return(func(_ context.Context, id uuid.UUID) (delivery.Delivery, error) {
		res.checks++
		if id != sendingID {
			return delivery.Delivery{}, fmt.Errorf("check of sending %s, want %s", id, sendingID)
		}
		if res.checks < deliverOn {
			return delivery.Delivery{ID: id, Status: delivery.StatusSent, MessageID: "msg-1"}, nil
		}
		return delivery.Delivery{ID: id, Status: delivery.StatusDelivered, MessageID: "msg-1", DeliveredOn: civil.Date{Year: 2026, Month: 3, Day: 7}, EvidenceID: "ev-1"}, nil
	})
	env.OnActivity(a.Apply, mock.Anything, mock.Anything).Return(func(_ context.Context, st casefile.Step) (bool, error) {
		for _, prev := range res.steps {
			if prev.Key == st.Key {
				return false, nil
			}
		}
		res.steps = append(res.steps, st)
		return true, nil
	})
	env.OnActivity(a.IssueLetter, mock.Anything, mock.Anything).Return(func(_ context.Context, in contract.IssueInput) (casefile.Document, error) {
		res.letters = append(res.letters, in)
		return casefile.Document{ID: uuid.NewSHA1(uuid.NameSpaceURL, []byte(in.Key)), Kind: in.Letter.Kind}, nil
	})
	env.OnActivity(a.SignLetter, mock.Anything, mock.Anything).Return(func(_ context.Context, in contract.IssueInput) (casefile.Document, error) {
		res.signed = append(res.signed, in)
		return casefile.Document{ID: uuid.NewSHA1(uuid.NameSpaceURL, []byte(in.Key)), Kind: in.Letter.Kind, Status: "signed"}, nil
	})
	env.OnActivity(a.CheckAssignee, mock.Anything, mock.Anything, mock.Anything).Return(func(_ context.Context, username, unit string) (contract.Assignee, error) {
		if username == "referent.sek" && unit == "SEK" {
			return contract.Assignee{Username: username, Name: "Maria Wiśniewska"}, nil
		}
		return contract.Assignee{}, temporal.NewNonRetryableApplicationError("not in unit", contract.ErrTypeInvalid, nil)
	})
	for i, act := range actions {
		if act.signal {
			env.RegisterDelayedCallback(func() { env.SignalWorkflow(act.name, act.input) }, act.day)
			continue
		}
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(act.name, fmt.Sprintf("u%d", i), &testsuite.TestUpdateCallback{
				OnReject: func(err error) {
					if !act.refused {
						t.Errorf("%s on day %.0f refused: %v", act.name, act.day.Hours()/24, err)
					}
				},
				OnAccept: func() {},
				OnComplete: func(_ any, err error) {
					if act.refused && err == nil {
						t.Errorf("%s on day %.0f accepted, want refused", act.name, act.day.Hours()/24)
					}
					if !act.refused && err != nil {
						t.Errorf("%s on day %.0f failed: %v", act.name, act.day.Hours()/24, err)
					}
				},
			}, act.input)
		}, act.day)
	}
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(QueryState)
		if err == nil {
			err = v.Get(&res.state)
		}
		if err != nil {
			t.Errorf("query state: %v", err)
		}
		if !env.IsWorkflowCompleted() {
			env.CancelWorkflow()
		}
	}, until)
	env.ExecuteWorkflow(Case, CaseInput{CaseID: uuid.New(), Reference: "SEK.0600.1.2026", Unit: "SEK",
		Title: "Wniosek", ReceivedAt: start, Term: "1m", Party: "Jan Kowalski", PartyID: "jan.kowalski"})
	res.completed = env.IsWorkflowCompleted()
	res.err = env.GetWorkflowError()
	var canceled *temporal.CanceledError
	if errors.As(res.err, &canceled) {
		res.err = nil
		res.completed = false
	}
	return res
}

func (r caseResult) codes() string {
	var c []string
	for _, s := range r.steps {
		c = append(c, s.Action.Code)
	}
	return strings.Join(c, " ")
}

const day = 24 * time.Hour

// decisionDelivered is a case assigned on day 1 whose refusal decision is drafted, accepted
// and signed, and delivered by hand on 9 March (day 7), followed by more actions.
func decisionDelivered(more ...action) []action {
	return append([]action{
		{day: 1 * day, name: UpdateAssign, input: AssignInput{Actor: head, Assignee: "referent.sek", Instructions: "Proszę o odpowiedź."}},
		{day: 2 * day, name: UpdateSubmitDraft, input: DraftInput{Actor: clerk, Kind: "decyzja", Basis: "art. 104 k.p.a.", Ruling: "odmówić przyznania karty", Summary: "uzasadnienie"}},
		{day: 3 * day, name: UpdateAccept, input: NoteInput{Actor: head}},
		{day: 4 * day, name: UpdateSign, input: NoteInput{Actor: head}},
		{day: 7 * day, name: UpdateRecordDelivery, input: DeliveryInput{Actor: registry, Date: "2026-03-09", Method: "osobiście"}},
	}, more...)
}

// appealLetter is the party's appeal of 10 March, joined to the case.
var appealLetter = LetterInput{SubmissionID: "019a0000-0000-7000-8000-0000000000dd", Number: "21/2026", Title: "Odwołanie od decyzji",
	Sender: "Jan Kowalski", Channel: "epuap", ReceivedAt: time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)}

func TestCase(t *testing.T) {
	assign := action{day: 1 * day, name: UpdateAssign, input: AssignInput{Actor: head, Assignee: "referent.sek", Instructions: "Proszę o odpowiedź."}}
	tests := []struct {
		name      string
		actions   []action
		until     time.Duration
		wantCodes string
		wantStage lifecycle.Stage
		wantDue   string // the due date at the end
		wantEnded bool
	}{
		{
			name: "draft accepted, waits for signature",
			actions: []action{assign,
				{day: 3 * day, name: UpdateSubmitDraft, input: DraftInput{Actor: clerk, Summary: "odpowiedź na pismo"}},
				{day: 4 * day, name: UpdateAccept, input: NoteInput{Actor: head}},
			},
			until:     5 * day,
			wantCodes: "proceedings_started assigned draft_submitted draft_accepted",
			wantStage: casefile.StageAwaitingSignature, wantDue: "2026-04-02",
		},
		{
			// A decision signed on 6 March, delivered on 9 March: the appeal period ends on
			// 23 March (Monday), and on 24 March the case is settled.
			name: "decision signed, delivered, settled after the appeal period",
			actions: []action{assign,
				{day: 2 * day, name: UpdateSubmitDraft, input: DraftInput{Actor: clerk, Kind: "decyzja", Summary: "uzasadnienie"}, refused: true}, // no basis, no ruling
				{day: 2 * day, name: UpdateSubmitDraft, input: DraftInput{Actor: clerk, Kind: "decyzja", Basis: "art. 104 k.p.a.",
					Ruling: "odmówić przyznania karty", Summary: "We wniosku wskazano dwoje dzieci."}},
				{day: 3 * day, name: UpdateAccept, input: NoteInput{Actor: head}},
				{day: 4 * day, name: UpdateSign, input: NoteInput{Actor: clerk}, refused: true},
				{day: 4 * day, name: UpdateSign, input: NoteInput{Actor: head}},
				{day: 5 * day, name: UpdateRecordDelivery, input: DeliveryInput{Actor: registry, Date: "2026-03-30", Method: "list polecony"}, refused: true}, // in the future
				{day: 7 * day, name: UpdateRecordDelivery, input: DeliveryInput{Actor: registry, Date: "2026-03-09", Method: "list polecony za zwrotnym potwierdzeniem odbioru"}},
			},
			until:     40 * day,
			wantCodes: "proceedings_started assigned draft_submitted draft_accepted signed delivered settled",
			wantStage: casefile.StageSettled, wantDue: "2026-04-02", wantEnded: true,
		},
		{
			// Sent through e-Doręczenia on 6 March; no callback comes, and the case asks for
			// the evidences an hour later, six hours later, then daily: the third time (7
			// March) the proof of receipt is in, dated 7 March. The appeal period ends on
			// Saturday 21 March, so on Monday 23 March; on 24 March the case is settled.
			name: "decision sent through e-Doręczenia, proof found by the sparse checks",
			actions: []action{assign,
				{day: 2 * day, name: UpdateSubmitDraft, input: DraftInput{Actor: clerk, Kind: "decyzja", Basis: "art. 104 k.p.a.",
					Ruling: "odmówić przyznania karty", Summary: "We wniosku wskazano dwoje dzieci."}},
				{day: 3 * day, name: UpdateAccept, input: NoteInput{Actor: head}},
				{day: 3 * day, name: UpdateDispatch, input: DispatchInput{Actor: head, Address: "AE:PL-20000-00002-JANKO-22"}, refused: true}, // not signed
				{day: 4 * day, name: UpdateSign, input: NoteInput{Actor: head}},
				{day: 4*day + time.Minute, name: UpdateDispatch, input: DispatchInput{Actor: head, Address: "jan.kowalski@example.pl"}, refused: true},
				{day: 4*day + time.Minute, name: UpdateDispatch, input: DispatchInput{Actor: stranger, Address: "AE:PL-20000-00002-JANKO-22"}, refused: true},
				{day: 4*day + time.Minute, name: UpdateDispatch, input: DispatchInput{Actor: registry, Address: "AE:PL-20000-00002-JANKO-22"}},
				{day: 4*day + time.Hour, name: UpdateRecordDelivery, input: DeliveryInput{Actor: registry, Date: "2026-03-06", Method: "osobiście"}, refused: true}, // on its way
			},
			until:     40 * day,
			wantCodes: "proceedings_started assigned draft_submitted draft_accepted signed dispatched delivered settled",
			wantStage: casefile.StageSettled, wantDue: "2026-04-02", wantEnded: true,
		},
		{
			// The service refuses the sending: the case stays signed, the refusal in its
			// history, and the delivery is recorded by other means.
			name: "sending refused by e-Doręczenia, delivered by post",
			actions: []action{assign,
				{day: 2 * day, name: UpdateSubmitDraft, input: DraftInput{Actor: clerk, Summary: "odpowiedź"}},
				{day: 3 * day, name: UpdateAccept, input: NoteInput{Actor: head}},
				{day: 4 * day, name: UpdateSign, input: NoteInput{Actor: head}},
				{day: 4*day + time.Minute, name: UpdateDispatch, input: DispatchInput{Actor: clerk, Address: rejectedAddress}, refused: true},
				{day: 7 * day, name: UpdateRecordDelivery, input: DeliveryInput{Actor: registry, Date: "2026-03-09", Method: "list polecony"}},
			},
			until:     9 * day,
			wantCodes: "proceedings_started assigned draft_submitted draft_accepted signed delivery_rejected delivered",
			wantStage: casefile.StageSettled, wantDue: "2026-04-02", wantEnded: true,
		},
		{
			// Delivered on 9 March; the appeal comes on 10 March (joined to the case) and is
			// recorded on 11 March: it is passed with the files to the appeal body by 18 March
			// (art. 133), which the handler records on 13 March. No settling on 24 March.
			name: "decision appealed, appeal passed to the appeal body",
			actions: decisionDelivered(
				action{day: 8 * day, name: SignalLetter, input: appealLetter, signal: true},
				action{day: 9 * day, name: UpdateSettle, input: NoteInput{Actor: head}, refused: true}, // the appeal period runs
				action{day: 9 * day, name: UpdateRecordAppeal, input: NoteInput{Actor: registry, Note: "Odwołanie RPW 21/2026."}},
				action{day: 10 * day, name: UpdateForward, input: ForwardInput{Actor: clerk, Body: "SKO w Łodzi", Reason: "organ odwoławczy", BoxAddress: "/sko-lodz/skrytka"}, refused: true},
				action{day: 11 * day, name: UpdateForward, input: ForwardInput{Actor: clerk, Body: "SKO w Łodzi", Reason: "organ odwoławczy"}},
			),
			until:     40 * day,
			wantCodes: "proceedings_started assigned draft_submitted draft_accepted signed delivered letter_joined appealed appeal_forwarded",
			wantStage: casefile.StageForwarded, wantDue: "2026-04-02", wantEnded: true,
		},
		{
			// The appeal recorded on 11 March is still here on 19 March: late, escalated.
			name: "appeal not passed on in 7 days",
			actions: decisionDelivered(
				action{day: 9 * day, name: UpdateRecordAppeal, input: NoteInput{Actor: head}},
			),
			until:     25 * day,
			wantCodes: "proceedings_started assigned draft_submitted draft_accepted signed delivered appealed appeal_forward_late",
			wantStage: casefile.StageAppealed, wantDue: "2026-04-02",
		},
		{
			// A letter came in the appeal period: on 24 March the case does not settle on its
			// own; the handler finds it is no appeal and settles it.
			name: "letter in the appeal period, no appeal: settled by the handler",
			actions: decisionDelivered(
				action{day: 8 * day, name: SignalLetter, input: appealLetter, signal: true},
				action{day: 25 * day, name: UpdateSettle, input: NoteInput{Actor: clerk, Note: "Pismo to prośba o informację."}},
			),
			until:     30 * day,
			wantCodes: "proceedings_started assigned draft_submitted draft_accepted signed delivered letter_joined appeal_review settled",
			wantStage: casefile.StageSettled, wantDue: "2026-04-02", wantEnded: true,
		},
		{
			// An answer is not appealed: delivered, the case is done at once.
			name: "answer signed and delivered",
			actions: []action{assign,
				{day: 2 * day, name: UpdateSubmitDraft, input: DraftInput{Actor: clerk, Summary: "odpowiedź"}},
				{day: 3 * day, name: UpdateAccept, input: NoteInput{Actor: head}},
				{day: 4 * day, name: UpdateSign, input: NoteInput{Actor: head}},
				{day: 7 * day, name: UpdateRecordDelivery, input: DeliveryInput{Actor: registry, Date: "2026-03-09", Method: "osobiście"}},
			},
			until:     9 * day,
			wantCodes: "proceedings_started assigned draft_submitted draft_accepted signed delivered",
			wantStage: casefile.StageSettled, wantDue: "2026-04-02", wantEnded: true,
		},
		{
			name: "draft returned with remarks, then accepted",
			actions: []action{assign,
				{day: 2 * day, name: UpdateSubmitDraft, input: DraftInput{Actor: clerk, Summary: "projekt"}},
				{day: 3 * day, name: UpdateReturn, input: NoteInput{Actor: head, Note: "Uzupełnić uzasadnienie."}},
				{day: 4 * day, name: UpdateSubmitDraft, input: DraftInput{Actor: clerk, Summary: "projekt poprawiony"}},
				{day: 5 * day, name: UpdateAccept, input: NoteInput{Actor: head}},
			},
			until:     6 * day,
			wantCodes: "proceedings_started assigned draft_submitted draft_returned draft_submitted draft_accepted",
			wantStage: casefile.StageAwaitingSignature, wantDue: "2026-04-02",
		},
		{
			// Call on 4 March for 7 days: due 11 March. The reply on 9 March closes the period
			// 4-9 March (6 days not counted): 2 April + 6 days = 8 April.
			name: "remedy answered",
			actions: []action{assign,
				{day: 2 * day, name: UpdateRequestRemedy, input: RemedyInput{Actor: clerk, Items: "brak podpisu", Days: 7}},
				{day: 7 * day, name: UpdateRecordReply, input: NoteInput{Actor: registry, Note: "Wpłynęło pismo z podpisem."}},
			},
			until:     8 * day,
			wantCodes: "proceedings_started assigned remedy_requested remedy_received",
			wantStage: casefile.StageAssigned, wantDue: "2026-04-08",
		},
		{
			// Call on 4 March for 7 days: the last day is 11 March; on 12 March the application
			// is left unexamined.
			name: "remedy unanswered",
			actions: []action{assign,
				{day: 2 * day, name: UpdateRequestRemedy, input: RemedyInput{Actor: clerk, Items: "brak podpisu", Days: 7}},
			},
			until:     30 * day,
			wantCodes: "proceedings_started assigned remedy_requested left_unexamined",
			wantStage: casefile.StageLeftUnexamined, wantDue: "2026-04-02", wantEnded: true,
		},
		{
			// Due Thursday 2 April; reminded 3 working days before (Monday 30 March); on 3 April
			// escalated with a delay notice drafted.
			name:      "overdue: reminder, escalation and delay notice",
			actions:   []action{assign},
			until:     40 * day,
			wantCodes: "proceedings_started assigned deadline_reminder deadline_missed",
			wantStage: casefile.StageAssigned, wantDue: "2026-04-02",
		},
		{
			// Suspended 5-12 March (8 days not counted): 2 April + 8 days = 10 April.
			name: "suspension stops the clock",
			actions: []action{assign,
				{day: 3 * day, name: UpdateSuspend, input: NoteInput{Actor: head, Note: "zagadnienie wstępne (art. 97 § 1 pkt 4)"}},
				{day: 10 * day, name: UpdateResume, input: NoteInput{Actor: head}},
			},
			until:     11 * day,
			wantCodes: "proceedings_started assigned suspended resumed",
			wantStage: casefile.StageAssigned, wantDue: "2026-04-10",
		},
		{
			name: "forwarded to the competent body",
			actions: []action{assign,
				{day: 2 * day, name: UpdateForward, input: ForwardInput{Actor: clerk, Body: "Wojewoda Łódzki", Reason: "nadzór nad jednostkami pomocy społecznej"}},
			},
			until:     3 * day,
			wantCodes: "proceedings_started assigned forwarded",
			wantStage: casefile.StageForwarded, wantDue: "2026-04-02", wantEnded: true,
		},
		{
			name: "withdrawn",
			actions: []action{assign,
				{day: 2 * day, name: UpdateWithdraw, input: NoteInput{Actor: registry, Note: "Pismo z 4 marca."}},
			},
			until:     3 * day,
			wantCodes: "proceedings_started assigned withdrawn",
			wantStage: casefile.StageWithdrawn, wantDue: "2026-04-02", wantEnded: true,
		},
		{
			name: "refusals change nothing",
			actions: []action{
				{day: 1 * day, name: UpdateAssign, input: AssignInput{Actor: stranger, Assignee: "referent.sek"}, refused: true},
				{day: 1 * day, name: UpdateAssign, input: AssignInput{Actor: clerk, Assignee: "referent.sek"}, refused: true},
				{day: 1 * day, name: UpdateAssign, input: AssignInput{Actor: head, Assignee: "referent.ois"}, refused: true},
				{day: 1 * day, name: UpdateSubmitDraft, input: DraftInput{Actor: clerk, Summary: "przed dekretacją"}, refused: true},
				{day: 2 * day, name: UpdateAssign, input: AssignInput{Actor: head, Assignee: "referent.sek"}},
				{day: 3 * day, name: UpdateRequestRemedy, input: RemedyInput{Actor: clerk, Items: "brak podpisu", Days: 5}, refused: true},
				{day: 3 * day, name: UpdateSubmitDraft, input: DraftInput{Actor: head, Summary: "nie prowadzący"}, refused: true},
				{day: 4 * day, name: UpdateSubmitDraft, input: DraftInput{Actor: clerk, Summary: "projekt"}},
				{day: 5 * day, name: UpdateAccept, input: NoteInput{Actor: clerk}, refused: true},
				{day: 5 * day, name: UpdateAccept, input: NoteInput{Actor: stranger}, refused: true},
				{day: 5 * day, name: UpdateReturn, input: NoteInput{Actor: head}, refused: true},
			},
			until:     6 * day,
			wantCodes: "proceedings_started assigned draft_submitted",
			wantStage: casefile.StageDraftReview, wantDue: "2026-04-02",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCase(t, tt.actions, tt.until)
			if res.err != nil {
				t.Fatalf("workflow error: %v", res.err)
			}
			if got := res.codes(); got != tt.wantCodes {
				t.Errorf("got actions %q, want %q", got, tt.wantCodes)
			}
			if res.completed != tt.wantEnded {
				t.Errorf("workflow ended: %v, want %v", res.completed, tt.wantEnded)
			}
			if !tt.wantEnded {
				if res.state.Stage != tt.wantStage {
					t.Errorf("got stage %s, want %s", res.state.Stage, tt.wantStage)
				}
				if res.state.Due.String() != tt.wantDue {
					t.Errorf("got due %s, want %s", res.state.Due, tt.wantDue)
				}
			} else if last := res.steps[len(res.steps)-1]; last.Stage != tt.wantStage {
				t.Errorf("last step to stage %s, want %s", last.Stage, tt.wantStage)
			}
			// The steps that send the party a letter carry its document; the letters go to the
			// party of the case.
			letterOf := map[string]string{"remedy_requested": letters.KindRemedyRequest, "deadline_missed": letters.KindDelayNotice, "forwarded": letters.KindForwardNotice}
			var wantLetters []string
			for _, st := range res.steps {
				kind, ok := letterOf[st.Action.Code]
				if !ok {
					continue
				}
				wantLetters = append(wantLetters, kind)
				if st.Action.DocumentID == "" {
					t.Errorf("step %s carries no document", st.Action.Code)
				}
			}
			var gotLetters []string
			for _, l := range res.letters {
				gotLetters = append(gotLetters, l.Letter.Kind)
				if l.Letter.Addressee != "Jan Kowalski" || l.Letter.Reference != "SEK.0600.1.2026" {
					t.Errorf("letter %s to %q in %s", l.Letter.Kind, l.Letter.Addressee, l.Letter.Reference)
				}
			}
			if strings.Join(gotLetters, " ") != strings.Join(wantLetters, " ") {
				t.Errorf("letters issued %v, want %v", gotLetters, wantLetters)
			}
		})
	}
}

// TestCaseClockDates checks the days on which the clock acts: the reminder on Monday 30
// March and the escalation on Friday 3 April, the day after the due date.
func TestCaseClockDates(t *testing.T) {
	res := runCase(t, nil, 40*day)
	want := map[string]string{"deadline_reminder": "2026-03-30", "deadline_missed": "2026-04-03"}
	for _, st := range res.steps {
		if w, ok := want[st.Action.Code]; ok {
			if got := deadlines.WarsawDate(st.Action.At).String(); got != w {
				t.Errorf("%s on %s, want %s", st.Action.Code, got, w)
			}
			delete(want, st.Action.Code)
		}
	}
	if len(want) > 0 {
		t.Errorf("clock actions missing: %v", want)
	}
	for _, st := range res.steps {
		if st.Action.Code == "deadline_missed" && !strings.Contains(desc(st.Action), "art. 36") {
			t.Errorf("escalation does not draft the art. 36 notice: %s", desc(st.Action))
		}
	}
}

// TestCaseContinuedAsNew runs the workflow as a continued run does: from the state the
// previous run carried. Nothing of the start is repeated (no second proceedings_started, no
// assessment), and the case goes on from where it stood.
func TestCaseContinuedAsNew(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	start := time.Date(2026, 3, 9, 9, 0, 0, 0, civil.Warsaw)
	env.SetStartTime(start)
	var a *activities.Case
	env.RegisterActivity(a)
	var codes []string
	env.OnActivity(a.Apply, mock.Anything, mock.Anything).Return(func(_ context.Context, st casefile.Step) (bool, error) {
		codes = append(codes, st.Action.Code)
		return true, nil
	})
	env.OnActivity(a.Assess, mock.Anything, mock.Anything).Return(contract.Assessment{Summary: "should not run"}, nil).Maybe()
	carried := &CaseState{Stage: casefile.StageDraftReview, Assignee: "referent.sek", Drafter: "referent.sek", Draft: "odpowiedź",
		StartedOn: civil.Date{Year: 2026, Month: 3, Day: 2}, Due: civil.Date{Year: 2026, Month: 4, Day: 2}}
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(UpdateAccept, "u1", &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { t.Errorf("accept refused: %v", err) },
			OnComplete: func(_ any, err error) {
				if err != nil {
					t.Errorf("accept failed: %v", err)
				}
			},
		}, NoteInput{Actor: head})
	}, time.Hour)
	var state CaseState
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(QueryState)
		if err == nil {
			err = v.Get(&state)
		}
		if err != nil {
			t.Error(err)
		}
		env.CancelWorkflow()
	}, 2*time.Hour)
	env.ExecuteWorkflow(Case, CaseInput{CaseID: uuid.New(), Reference: "SEK.0600.1.2026", Unit: "SEK", Title: "Wniosek",
		ReceivedAt: time.Date(2026, 3, 2, 9, 0, 0, 0, civil.Warsaw), Term: "1m", FormType: "karta-rodziny", State: carried})
	if got := strings.Join(codes, " "); got != "draft_accepted" {
		t.Errorf("continued run recorded %q, want only draft_accepted", got)
	}
	if state.Stage != casefile.StageAwaitingSignature || state.Assignee != "referent.sek" || state.Due.String() != "2026-04-02" {
		t.Errorf("continued state %+v", state)
	}
}

// TestCaseEvidenceCallback: the evidence update (e-Doręczenia's callback) makes the case ask
// for the evidences at once, before its first scheduled check; a callback about another
// message is refused.
func TestCaseEvidenceCallback(t *testing.T) {
	address := "AE:PL-20000-00002-JANKO-22"
	res := runCaseDelivered(t, []action{
		{day: 1 * day, name: UpdateAssign, input: AssignInput{Actor: head, Assignee: "referent.sek"}},
		{day: 2 * day, name: UpdateSubmitDraft, input: DraftInput{Actor: clerk, Summary: "odpowiedź"}},
		{day: 3 * day, name: UpdateAccept, input: NoteInput{Actor: head}},
		{day: 4 * day, name: UpdateSign, input: NoteInput{Actor: head}},
		{day: 4*day + time.Minute, name: UpdateEvidence, input: EvidenceInput{MessageID: "msg-1"}, refused: true}, // not sent yet
		{day: 4*day + 2*time.Minute, name: UpdateDispatch, input: DispatchInput{Actor: clerk, Address: address}},
		{day: 4*day + 10*time.Minute, name: UpdateEvidence, input: EvidenceInput{MessageID: "msg-2"}, refused: true},
		{day: 4*day + 20*time.Minute, name: UpdateEvidence, input: EvidenceInput{MessageID: "msg-1"}},
	}, 5*day, 1)
	if got, want := res.codes(), "proceedings_started assigned draft_submitted draft_accepted signed dispatched delivered"; got != want {
		t.Errorf("got actions %q, want %q", got, want)
	}
	if res.checks != 1 || len(res.sendings) != 1 || res.sendings[0].Address != address || res.sendings[0].DocumentID == uuid.Nil {
		t.Errorf("%d checks, sendings %+v; want one check and one sending of the signed document to %s", res.checks, res.sendings, address)
	}
	last := res.steps[len(res.steps)-1]
	if !res.completed || last.Stage != casefile.StageSettled || !strings.Contains(desc(last.Action), "2026-03-07") || last.Action.Actor != "system" {
		t.Errorf("ended %v with %s: %q by %s; want settled by the system, delivered on 2026-03-07", res.completed, last.Stage, desc(last.Action), last.Action.Actor)
	}
}

// TestCaseSignedLetter: the head signs the letter as the handler drafted it: an answer with
// the title given, a decision with the instruction on appeal given, or the general one.
func TestCaseSignedLetter(t *testing.T) {
	for _, tc := range []struct {
		name      string
		draft     DraftInput
		wantTitle string
		wantInstr string
	}{
		{"answer titled", DraftInput{Actor: clerk, Summary: "Skargę uznano za bezzasadną.", Title: "Zawiadomienie o sposobie załatwienia skargi"},
			"Zawiadomienie o sposobie załatwienia skargi", ""},
		{"answer untitled", DraftInput{Actor: clerk, Summary: "Odpowiedź."}, "Odpowiedź w sprawie: Wniosek", ""},
		{"decision with its instruction", DraftInput{Actor: clerk, Kind: "decyzja", Basis: "art. 104 k.p.a.", Ruling: "odmówić", Summary: "uzasadnienie",
			Instruction: "Od decyzji przysługuje odwołanie do Ministra Rodziny."}, "DECYZJA", "Od decyzji przysługuje odwołanie do Ministra Rodziny."},
		{"decision with the general instruction", DraftInput{Actor: clerk, Kind: "decyzja", Basis: "art. 104 k.p.a.", Ruling: "odmówić", Summary: "uzasadnienie"},
			"DECYZJA", "samorządowego kolegium odwoławczego"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runCase(t, []action{
				{day: 1 * day, name: UpdateAssign, input: AssignInput{Actor: head, Assignee: "referent.sek"}},
				{day: 2 * day, name: UpdateSubmitDraft, input: tc.draft},
				{day: 3 * day, name: UpdateAccept, input: NoteInput{Actor: head}},
				{day: 4 * day, name: UpdateSign, input: NoteInput{Actor: head}},
			}, 5*day)
			if len(res.signed) != 1 {
				t.Fatalf("%d letters signed, want 1", len(res.signed))
			}
			l := res.signed[0].Letter
			instr := strings.Join(l.Instruction, " ")
			if l.Title != tc.wantTitle || (tc.wantInstr == "") != (instr == "") || !strings.Contains(instr, tc.wantInstr) {
				t.Errorf("signed %q with instruction %q; want %q, %q", l.Title, instr, tc.wantTitle, tc.wantInstr)
			}
		})
	}
}

// TestCaseForward forwards a case to the competent body by hand, and through its ePUAP box:
// the box gets the submission through doręczyciel before the case is forwarded, and a
// refusal by ePUAP leaves the case where it was, the refusal in its history.
func TestCaseForward(t *testing.T) {
	body, reason := "Wojewoda Łódzki", "nadzór nad jednostkami pomocy społecznej"
	box := "/uw-lodz/skrytka"
	assign := action{day: 1 * day, name: UpdateAssign, input: AssignInput{Actor: head, Assignee: "referent.sek"}}
	for _, tc := range []struct {
		name       string
		actions    []action
		wantCodes  string
		wantStage  lifecycle.Stage
		wantBoxes  []string
		wantInDesc string // in the description of the last step
	}{
		{
			name:       "without a box, as before",
			actions:    []action{assign, {day: 2 * day, name: UpdateForward, input: ForwardInput{Actor: clerk, Body: body, Reason: reason}}},
			wantCodes:  "proceedings_started assigned forwarded",
			wantStage:  casefile.StageForwarded,
			wantInDesc: "wnoszący zostanie o tym zawiadomiony",
		},
		{
			name:       "to the body's ePUAP box",
			actions:    []action{assign, {day: 2 * day, name: UpdateForward, input: ForwardInput{Actor: clerk, Body: body, Reason: reason, BoxAddress: box}}},
			wantCodes:  "proceedings_started assigned forwarded",
			wantStage:  casefile.StageForwarded,
			wantBoxes:  []string{box},
			wantInDesc: "Wysłano przez ePUAP (doręczyciel) do skrytki /uw-lodz/skrytka: pismo strony (dokument ePUAP doc-1)",
		},
		{
			name: "not a box address",
			actions: []action{assign,
				{day: 2 * day, name: UpdateForward, input: ForwardInput{Actor: clerk, Body: body, Reason: reason, BoxAddress: "uw-lodz"}, refused: true}},
			wantCodes: "proceedings_started assigned",
			wantStage: casefile.StageAssigned,
		},
		{
			name: "refused by ePUAP, then forwarded by hand",
			actions: []action{assign,
				{day: 2 * day, name: UpdateForward, input: ForwardInput{Actor: clerk, Body: body, Reason: reason, BoxAddress: rejectedBox}, refused: true},
				{day: 3 * day, name: UpdateForward, input: ForwardInput{Actor: clerk, Body: body, Reason: reason}}},
			wantCodes:  "proceedings_started assigned forward_rejected forwarded",
			wantStage:  casefile.StageForwarded,
			wantBoxes:  []string{rejectedBox},
			wantInDesc: "wnoszący zostanie o tym zawiadomiony",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runCase(t, tc.actions, 10*day)
			if res.err != nil {
				t.Fatalf("workflow: %v", res.err)
			}
			if got := res.codes(); got != tc.wantCodes {
				t.Errorf("got actions %q, want %q", got, tc.wantCodes)
			}
			if last := res.steps[len(res.steps)-1]; last.Stage != tc.wantStage {
				t.Errorf("got stage %s, want %s", last.Stage, tc.wantStage)
			}
			if ended := tc.wantStage == casefile.StageForwarded; res.completed != ended {
				t.Errorf("got completed %v, want %v", res.completed, ended)
			}
			var boxes []string
			for _, f := range res.forwards {
				boxes = append(boxes, f.Box)
				if f.Reference != "SEK.0600.1.2026" || f.By != clerk.Username || !strings.Contains(f.Key, "/"+UpdateForward+"/") {
					t.Errorf("got forward %+v, want the case's reference, the clerk and a key of the update", f)
				}
			}
			if strings.Join(boxes, " ") != strings.Join(tc.wantBoxes, " ") {
				t.Errorf("got sendings to %q, want %q", boxes, tc.wantBoxes)
			}
			notices := 0
			for _, l := range res.letters {
				if l.Letter.Kind == letters.KindForwardNotice {
					notices++
				}
			}
			if want := strings.Count(tc.wantCodes, " forwarded"); notices != want {
				t.Errorf("got %d forwarding notices to the party, want %d", notices, want)
			}
			if tc.wantInDesc != "" {
				last := res.steps[len(res.steps)-1]
				if !strings.Contains(desc(last.Action), tc.wantInDesc) {
					t.Errorf("got last step %q, want it to say %q", desc(last.Action), tc.wantInDesc)
				}
			}
		})
	}
}

// TestCaseLetterJoined: a letter that names the case (the party's reply to a call to remedy)
// is filed in its history, with a word for the handler while the case awaits the party; the
// handler then records the reply. A letter that comes as the case closes is filed too.
func TestCaseLetterJoined(t *testing.T) {
	reply := LetterInput{SubmissionID: "019a0000-0000-7000-8000-0000000000aa", Number: "17/2026", Title: "Uzupełnienie wniosku",
		Sender: "Jan Kowalski", Channel: "epuap", ReceivedAt: time.Date(2026, 3, 6, 10, 0, 0, 0, time.UTC)}
	late := reply
	late.SubmissionID, late.Number, late.Title = "019a0000-0000-7000-8000-0000000000bb", "18/2026", "Wycofanie"
	res := runCase(t, []action{
		{day: 1 * day, name: UpdateAssign, input: AssignInput{Actor: head, Assignee: "referent.sek"}},
		{day: 2 * day, name: UpdateRequestRemedy, input: RemedyInput{Actor: clerk, Items: "podpis wnioskodawcy", Days: 7}},
		{day: 4 * day, name: SignalLetter, input: reply, signal: true},
		{day: 4*day + time.Hour, name: SignalLetter, input: reply, signal: true}, // the same letter again: filed once
		{day: 5 * day, name: UpdateRecordReply, input: NoteInput{Actor: clerk, Note: "Braki usunięte pismem RPW 17/2026."}},
		{day: 6 * day, name: UpdateWithdraw, input: NoteInput{Actor: registry, Note: "Pismo z 9 marca."}},
		{day: 6 * day, name: SignalLetter, input: late, signal: true},
	}, 8*day)
	if got, want := res.codes(), "proceedings_started assigned remedy_requested letter_joined remedy_received withdrawn letter_joined"; got != want {
		t.Errorf("got actions %q, want %q", got, want)
	}
	for _, st := range res.steps {
		if st.Action.Code == "letter_joined" && strings.Contains(desc(st.Action), "17/2026") &&
			!strings.Contains(desc(st.Action), "Odnotuj usunięcie braków") {
			t.Errorf("the reply to the call was filed without a word for the handler: %q", desc(st.Action))
		}
	}
}

// TestCaseDispatchUnanswered: when e-Doręczenia does not answer, the person who sends is told
// after a few attempts instead of waiting without end; the case stays signed, and sending
// again to the same address resumes the same sending (the same key).
func TestCaseDispatchUnanswered(t *testing.T) {
	res := runCase(t, []action{
		{day: 1 * day, name: UpdateAssign, input: AssignInput{Actor: head, Assignee: "referent.sek"}},
		{day: 2 * day, name: UpdateSubmitDraft, input: DraftInput{Actor: clerk, Summary: "odpowiedź"}},
		{day: 3 * day, name: UpdateAccept, input: NoteInput{Actor: head}},
		{day: 4 * day, name: UpdateSign, input: NoteInput{Actor: head}},
		{day: 4*day + time.Minute, name: UpdateDispatch, input: DispatchInput{Actor: clerk, Address: unreachableAddress}, refused: true},
		{day: 5 * day, name: UpdateDispatch, input: DispatchInput{Actor: clerk, Address: unreachableAddress}, refused: true},
	}, 6*day)
	if got, want := res.codes(), "proceedings_started assigned draft_submitted draft_accepted signed"; got != want {
		t.Errorf("got actions %q, want %q", got, want)
	}
	if len(res.sendings) != 10 || res.sendings[0].Key != res.sendings[9].Key {
		t.Errorf("%d attempts to send; want 5 for each request, all under one key", len(res.sendings))
	}
}

// desc is the history entry a in Polish, as the case page shows it.
func desc(a casefile.Action) string { return casehistory.Describe(a.Code, a.Data, a.Description) }

// Every action of the lifecycle's table has its handler here, and every handler a row.
func TestCaseHandlersFollowTable(t *testing.T) {
	var names []string
	for _, a := range lifecycle.Actions() {
		names = append(names, a.Name)
		if _, ok := caseHandlers[a.Name]; !ok {
			t.Errorf("action %s has no handler", a.Name)
		}
	}
	for name := range caseHandlers {
		if !slices.Contains(names, name) {
			t.Errorf("handler %s has no row in the table", name)
		}
	}
}
