package workflows

import (
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/obieg/obieg/activities/contract"
	"github.com/obieg/obieg/internal/domain/blob"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/casehistory"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/deadlines"
	"github.com/obieg/obieg/internal/domain/letters"
	"github.com/obieg/obieg/internal/domain/lifecycle"
)

// Names of the case workflow's updates (the actions of package lifecycle's table) and query.
const (
	UpdateAssign         = lifecycle.Assign
	UpdateRequestRemedy  = lifecycle.RequestRemedy
	UpdateRecordReply    = lifecycle.RecordReply
	UpdateSuspend        = lifecycle.Suspend
	UpdateResume         = lifecycle.Resume
	UpdateSubmitDraft    = lifecycle.SubmitDraft
	UpdateAccept         = lifecycle.Accept
	UpdateReturn         = lifecycle.Return
	UpdateSign           = lifecycle.Sign
	UpdateGrantCards     = lifecycle.GrantCards
	UpdateRecordDelivery = lifecycle.RecordDelivery
	UpdateDispatch       = lifecycle.Dispatch
	UpdateEvidence       = lifecycle.Evidence
	UpdateRecordAppeal   = lifecycle.RecordAppeal
	UpdateSettle         = lifecycle.Settle
	UpdateForward        = lifecycle.Forward
	UpdateWithdraw       = lifecycle.Withdraw
	QueryState           = "state"
	// SignalLetter brings a letter joined to the case (its reference named in it) from the
	// submission's workflow.
	SignalLetter = "letter"
)

// Defaults of the case clock.
const (
	// DefaultRemindDays is how many working days before the due date the handler is reminded.
	DefaultRemindDays = 3
	// MinRemedyDays is the shortest time a party gets to remedy defects (art. 64 §2 KPA).
	MinRemedyDays = lifecycle.MinRemedyDays
	// AppealDays is the appeal period from delivery (art. 129 §2 KPA).
	AppealDays = lifecycle.AppealDays
	// AppealForwardDays is how long the office has to pass an appeal with the case's files to
	// the appeal body (art. 133 KPA).
	AppealForwardDays = lifecycle.AppealForwardDays
)

// CaseWorkflowID is the id of the workflow of the case with reference ref; prefix is the
// installation's (config WorkflowIDPrefix).
func CaseWorkflowID(prefix, ref string) string { return prefix + "case/" + ref }

// Actor is the person who acts, as the web edge has authenticated them.
type Actor = lifecycle.Actor

// Inputs of the updates, as package lifecycle declares them.
type (
	AssignInput   = lifecycle.AssignInput
	RemedyInput   = lifecycle.RemedyInput
	NoteInput     = lifecycle.NoteInput
	DeliveryInput = lifecycle.DeliveryInput
	DraftInput    = lifecycle.DraftInput
	ForwardInput  = lifecycle.ForwardInput
	DispatchInput = lifecycle.DispatchInput
	EvidenceInput = lifecycle.EvidenceInput
)

// CaseInput starts the workflow of a case.
type CaseInput struct {
	CaseID    uuid.UUID `json:"case_id"`
	Reference string    `json:"reference"`
	Unit      string    `json:"unit"`
	Title     string    `json:"title"`
	// ReceivedAt is the time on the proof of receipt: the case starts on that day (art. 61
	// §3a KPA), and the term runs from it.
	ReceivedAt time.Time `json:"received_at"`
	// Term is the KPA term (art. 35): 1m when an investigation is needed.
	Term       string `json:"term"`
	RemindDays int    `json:"remind_days,omitempty"`
	// Party is who filed the submission, by name, and PartyID their ePUAP identifier: the
	// addressee of the office's letters.
	Party   string `json:"party,omitempty"`
	PartyID string `json:"party_id,omitempty"`
	// FormType and Document are the form the case was opened from and its stored bytes:
	// the rules of the form are applied to it at the start.
	FormType string   `json:"form_type,omitempty"`
	Document blob.Ref `json:"document,omitzero"`
	// State carries the case across continue-as-new; nil at the start.
	State *CaseState `json:"state,omitempty"`
}

// CaseState is where the case stands, as the state query answers it.
type CaseState struct {
	Stage        lifecycle.Stage `json:"stage"`
	Assignee     string          `json:"assignee,omitempty"`
	StartedOn    civil.Date      `json:"started_on"`
	Due          civil.Date      `json:"due"`
	Reminded     bool            `json:"reminded"`
	Overdue      bool            `json:"overdue"`
	DelayNotices int             `json:"delay_notices"`
	// Excluded are the closed periods not counted into the term (art. 35 §5).
	Excluded []deadlines.Period `json:"excluded,omitempty"`
	// PausedSince is the first day of the running period not counted (awaiting the party,
	// suspension); zero when the clock runs.
	PausedSince civil.Date `json:"paused_since,omitzero"`
	// RemedyDue is the last day for the party to remedy defects, while a call is out.
	RemedyDue civil.Date `json:"remedy_due,omitzero"`
	// ResumeStage is where a suspended case goes back to.
	ResumeStage lifecycle.Stage `json:"resume_stage,omitempty"`
	// DeliveredOn is when the signed answer reached the party, and AppealEnds the last day
	// of the appeal period after it.
	DeliveredOn civil.Date `json:"delivered_on,omitzero"`
	AppealEnds  civil.Date `json:"appeal_ends,omitzero"`
	// AppealForwardDue is the last day to pass an appeal to the appeal body, and
	// AppealForwardLate whether it passed with the appeal still here.
	AppealForwardDue  civil.Date `json:"appeal_forward_due,omitzero"`
	AppealForwardLate bool       `json:"appeal_forward_late,omitempty"`
	// AppealLetters counts the letters joined while the appeal period ran: any of them may be
	// an appeal, so the case does not settle on its own (AppealReview) but waits for the
	// handler to record the appeal or settle it.
	AppealLetters int  `json:"appeal_letters,omitempty"`
	AppealReview  bool `json:"appeal_review,omitempty"`
	// SignedDocument is the id of the signed answer or decision, once signed; Sending is its
	// delivery through e-Doręczenia while the case waits for the proof of receipt.
	SignedDocument string   `json:"signed_document,omitempty"`
	Sending        *Sending `json:"sending,omitempty"`
	// Letters are letters joined to the case, received and not yet filed in its history.
	Letters []LetterInput `json:"letters,omitempty"`
	// Drafter is who submitted the draft under review, and Draft its content.
	Drafter string `json:"drafter,omitempty"`
	Draft   string `json:"draft,omitempty"`
	// DraftKind, DraftBasis and DraftRuling say whether the draft is a decision, and its
	// legal basis and ruling.
	DraftKind   string `json:"draft_kind,omitempty"`
	DraftBasis  string `json:"draft_basis,omitempty"`
	DraftRuling string `json:"draft_ruling,omitempty"`
	// DraftTitle and DraftInstruction are the answer's title and the decision's instruction
	// on appeal, when the handler gave them.
	DraftTitle       string `json:"draft_title,omitempty"`
	DraftInstruction string `json:"draft_instruction,omitempty"`
}

// LetterInput is a letter joined to the case: a further submission that names its reference.
type LetterInput struct {
	SubmissionID string    `json:"submission_id"`
	Number       string    `json:"number"` // in the incoming register, n/year
	Title        string    `json:"title"`
	Sender       string    `json:"sender"`
	Channel      string    `json:"channel"`
	ReceivedAt   time.Time `json:"received_at"`
}

// letterKey makes filing a letter idempotent.
func letterKey(l LetterInput) string { return "letter/" + l.SubmissionID }

// joined is the history entry of the letter; stage is the case's, "" if not known.
func (l LetterInput) joined(stage lifecycle.Stage) casehistory.Entry {
	return casehistory.LetterJoined(casehistory.Letter{Number: l.Number, Received: l.ReceivedAt, Channel: l.Channel,
		Title: l.Title, Sender: l.Sender}, stage)
}

// Sending is a signed answer on its way through e-Doręczenia.
type Sending struct {
	ID        string    `json:"id"` // the sending's record (package delivery)
	Address   string    `json:"address"`
	MessageID string    `json:"message_id"`
	NextCheck time.Time `json:"next_check"` // when the case asks for evidences next
	Checks    int       `json:"checks"`
}

// ErrRefused is the type of an update refused because the actor may not do it, or not now;
// its message is Polish, for the person who tried.
const ErrRefused = "refused"

func refuse(format string, args ...any) error {
	return temporal.NewApplicationError(fmt.Sprintf(format, args...), ErrRefused)
}

// caseRun is one run of the case workflow: its input, its state and what it needs to act.
type caseRun struct {
	in    CaseInput
	s     *CaseState
	mu    workflow.Mutex
	cal   deadlines.Calendar
	term  deadlines.Term
	wfID  string
	dirty int // bumped by every applied update: wakes the clock loop
	// letters says whether this run issues the office's letters (version "letters" 1); runs
	// started before it only record the history.
	letters bool
}

// Case carries one case from registration to its end, under the KPA clock: assignment by the
// head, work by the handler, a call to remedy with its own term, suspension, a draft accepted
// or returned by the head, forwarding, withdrawal; a reminder before the due date, and when the
// date passes, escalation to the head with an art. 36 delay notice drafted. Human actions
// arrive as updates, one for each action of package lifecycle's table, each checked by the
// table's row (who may do it, in which stage, what else it needs) before it is accepted, and
// recorded with the case history in one idempotent activity.
//
// After acceptance the head signs: the answer is rendered from the accepted draft and signed
// with the office's key (XAdES). The signed answer is sent through e-Doręczenia (dispatch) and
// the case waits for the proof of receipt, which a callback announces (evidence) or a sparse
// check finds; or its delivery by other means is recorded by hand. Delivered, an answer ends
// the case; a decision waits out the appeal period first.
//
// The workflow's parts: this file its state and run loop, case_actions.go the actions,
// case_clock.go the clock's events, case_delivery.go the sending and delivery of the signed
// letter, case_forward.go forwarding, case_appeal.go the appeal.
func Case(ctx workflow.Context, in CaseInput) error {
	r := &caseRun{in: in, mu: workflow.NewMutex(ctx), wfID: workflow.GetInfo(ctx).WorkflowExecution.ID}
	r.letters = workflow.GetVersion(ctx, "letters", workflow.DefaultVersion, 1) == 1
	if in.RemindDays <= 0 {
		r.in.RemindDays = DefaultRemindDays
	}
	term, err := deadlines.ParseTerm(in.Term)
	if err != nil {
		return temporal.NewNonRetryableApplicationError("case term: "+err.Error(), "invalid", err)
	}
	r.term = term

	if in.State != nil {
		r.s = in.State
	} else {
		started := deadlines.WarsawDate(in.ReceivedAt)
		r.s = &CaseState{Stage: lifecycle.New, StartedOn: started}
		r.s.Due = deadlines.Due(started, term, r.cal, nil)
	}
	// The handlers are there from the first moment: a person who acts on a case as soon as
	// it is listed is answered, not told the update is unknown. Until the case is opened
	// and assessed they wait for the lock held here.
	if err := r.mu.Lock(ctx); err != nil {
		return err
	}
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (CaseState, error) { return *r.s, nil }); err != nil {
		return err
	}
	if err := r.registerUpdates(ctx); err != nil {
		return err
	}
	if in.State == nil {
		started, due, termText := r.s.StartedOn, r.s.Due, term.String()
		if err := r.apply(ctx, "opened", casefile.Step{
			Stage: lifecycle.New, StartedOn: &started, Term: &termText, DueOn: &due, WorkflowID: &r.wfID,
			Action: r.system(ctx, casehistory.ProceedingsStarted(in.Reference, term, due)),
		}); err != nil {
			return err
		}
	}
	if in.State == nil && workflow.GetVersion(ctx, "assessment", workflow.DefaultVersion, 1) == 1 {
		if err := r.assess(ctx); err != nil {
			return err
		}
	}
	r.mu.Unlock()
	r.dirty++ // an update accepted meanwhile may have changed the stage

	// Letters joined to the case arrive as signals; they are filed in the loop below.
	letters := workflow.GetSignalChannel(ctx, SignalLetter)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var l LetterInput
			letters.Receive(ctx, &l)
			r.s.Letters = append(r.s.Letters, l)
			r.dirty++
		}
	})

	for !r.s.Stage.Closing() {
		if len(r.s.Letters) > 0 {
			if err := r.fileLetters(ctx); err != nil {
				return err
			}
			continue
		}
		if workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
				return err
			}
			// A letter signalled but not yet received would be lost: it goes with the state.
			var l LetterInput
			for letters.ReceiveAsync(&l) {
				r.s.Letters = append(r.s.Letters, l)
			}
			next := r.in
			next.State = r.s
			return workflow.NewContinueAsNewError(ctx, Case, next)
		}
		seen := r.dirty
		at, event := r.nextEvent()
		wake := func() bool { return r.dirty != seen || r.s.Stage.Closing() }
		if event == "" {
			if err := workflow.Await(ctx, wake); err != nil {
				return err
			}
			continue
		}
		woken, err := workflow.AwaitWithTimeout(ctx, max(at.Sub(workflow.Now(ctx)), time.Second), wake)
		if err != nil {
			return err
		}
		if woken || workflow.Now(ctx).Before(at) {
			continue
		}
		if err := r.fire(ctx, event); err != nil {
			return err
		}
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return err
	}
	// Letters that came as the case closed are filed before it ends.
	var l LetterInput
	for letters.ReceiveAsync(&l) {
		r.s.Letters = append(r.s.Letters, l)
	}
	return r.fileLetters(ctx)
}

// fileLetters files the letters joined to the case in its history, each once.
func (r *caseRun) fileLetters(ctx workflow.Context) error {
	if err := r.mu.Lock(ctx); err != nil {
		return err
	}
	defer r.mu.Unlock()
	for len(r.s.Letters) > 0 {
		l := r.s.Letters[0]
		if r.s.Stage == lifecycle.Delivered {
			r.s.AppealLetters++
		}
		if err := r.apply(ctx, letterKey(l), casefile.Step{Stage: r.s.Stage, Action: r.system(ctx, l.joined(r.s.Stage))}); err != nil {
			return err
		}
		r.s.Letters = r.s.Letters[1:]
	}
	return nil
}

// assess applies the rules of the case's form and records what they say for the handler: the
// family card eligibility of each member, or how a complaint is to be handled. A complaint to
// forward or to clarify has 7 days; an anonymous one is left unexamined.
func (r *caseRun) assess(ctx workflow.Context) error {
	var as contract.Assessment
	if err := workflow.ExecuteActivity(activityOptions(ctx), contract.Assess, contract.AssessInput{
		CaseID: r.in.CaseID, FormType: r.in.FormType, Document: r.in.Document, On: r.s.StartedOn,
	}).Get(ctx, &as); err != nil {
		return err
	}
	if as.Summary == "" {
		return nil
	}
	st := casefile.Step{Stage: r.s.Stage, Action: r.system(ctx, casehistory.Assessed(as.Summary))}
	if as.Term != "" {
		if t, err := deadlines.ParseTerm(as.Term); err == nil {
			r.s.Due = deadlines.Due(r.s.StartedOn, t, r.cal, nil)
			due := r.s.Due
			st.DueOn = &due
		}
	}
	if err := r.apply(ctx, "assessed", st); err != nil {
		return err
	}
	if as.LeaveUnexamined {
		if err := r.apply(ctx, "anonymous", casefile.Step{Stage: lifecycle.LeftUnexamined,
			Action: r.system(ctx, casehistory.LeftAnonymous())}); err != nil {
			return err
		}
		r.s.Stage = lifecycle.LeftUnexamined
	}
	return nil
}

// activityOptions are those of every activity of the case workflow. Update handlers run on
// a context of their own, so each call applies them.
func activityOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute},
	})
}

// apply records a step of the case; key (unique in this workflow) makes it idempotent.
func (r *caseRun) apply(ctx workflow.Context, key string, st casefile.Step) error {
	st.CaseID = r.in.CaseID
	st.Key = r.wfID + "/" + key
	return workflow.ExecuteActivity(activityOptions(ctx), contract.Apply, st).Get(ctx, nil)
}

// issue issues the letter l of the case to the party, if this run issues letters, signed by
// signatory (position) for by, and returns the document's id for the history ("" otherwise).
// key is unique in this workflow.
func (r *caseRun) issue(ctx workflow.Context, key string, l letters.Letter, by, signatory, position string) (string, error) {
	if !r.letters {
		return "", nil
	}
	var d casefile.Document
	l.Date, l.Reference, l.Addressee, l.AddresseeBox = r.today(ctx), r.in.Reference, r.party(), r.in.PartyID
	l.Signatory, l.Position = signatory, position
	err := workflow.ExecuteActivity(activityOptions(ctx), contract.IssueLetter, contract.IssueInput{
		CaseID: r.in.CaseID, Key: r.wfID + "/letter/" + key, By: by, At: workflow.Now(ctx), Letter: l,
	}).Get(ctx, &d)
	if err != nil {
		return "", err
	}
	return d.ID.String(), nil
}

// party is the addressee of the case's letters.
func (r *caseRun) party() string {
	if r.in.Party == "" {
		return "brak danych"
	}
	return r.in.Party
}

// system makes an entry of the history done by obieg itself, by one done by the person a.
func (r *caseRun) system(ctx workflow.Context, e casehistory.Entry) casefile.Action {
	return casefile.Action{At: workflow.Now(ctx), Actor: casefile.SystemActor, ActorName: "obieg (system)", Code: e.Code, Data: e.Data}
}

func (r *caseRun) by(ctx workflow.Context, a Actor, e casehistory.Entry) casefile.Action {
	return casefile.Action{At: workflow.Now(ctx), Actor: a.Username, ActorRole: a.Role, ActorName: a.Name, ActorPosition: a.Position,
		Code: e.Code, Data: e.Data}
}

func withDoc(a casefile.Action, doc string) casefile.Action {
	a.DocumentID = doc
	return a
}

// today is the current day in Warsaw.
func (r *caseRun) today(ctx workflow.Context) civil.Date {
	return deadlines.WarsawDate(workflow.Now(ctx))
}
