package workflows

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/obieg/obieg/activities/contract"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/obieg/obieg/internal/civil"
	"github.com/obieg/obieg/internal/deadlines"
	"github.com/obieg/obieg/internal/domain/blob"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/delivery"
	"github.com/obieg/obieg/internal/domain/edelivery"
	"github.com/obieg/obieg/internal/domain/epuapbox"
	"github.com/obieg/obieg/internal/forms"
	"github.com/obieg/obieg/internal/letters"
	"github.com/obieg/obieg/internal/visibility"
)

// Names of the case workflow's updates (human actions) and query.
const (
	UpdateAssign         = "assign"          // the head assigns the case (dekretacja)
	UpdateRequestRemedy  = "request-remedy"  // call to remedy formal defects (art. 64 §2)
	UpdateRecordReply    = "record-reply"    // the party answered the call
	UpdateSuspend        = "suspend"         // proceedings suspended
	UpdateResume         = "resume"          // proceedings resumed
	UpdateSubmitDraft    = "submit-draft"    // the handler submits the answer or decision for acceptance
	UpdateAccept         = "accept"          // the head accepts the draft (akceptacja)
	UpdateReturn         = "return"          // the head returns the draft with remarks
	UpdateSign           = "sign"            // the head signs the accepted answer or decision
	UpdateGrantCards     = "grant-cards"     // family cards granted without a decision
	UpdateRecordDelivery = "record-delivery" // the signed answer was delivered (by post, in person)
	UpdateDispatch       = "dispatch"        // send the signed answer through e-Doręczenia
	UpdateEvidence       = "evidence"        // e-Doręczenia issued an evidence about the sent answer (callback)
	UpdateRecordAppeal   = "record-appeal"   // the party appealed the delivered decision
	UpdateSettle         = "settle"          // no appeal after all: the handler closes the case
	UpdateForward        = "forward"         // sent to the competent body (art. 65 / 231)
	UpdateWithdraw       = "withdraw"        // the party withdrew
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
	MinRemedyDays = 7
	// AppealDays is the appeal period from delivery (art. 129 §2 KPA).
	AppealDays = 14
	// AppealForwardDays is how long the office has to pass an appeal with the case's files to
	// the appeal body (art. 133 KPA).
	AppealForwardDays = 7
)

// The schedule on which a case asks e-Doręczenia for the evidences of its sent answer, in case
// no callback comes: an hour after sending, six hours after, then once a day. A proof of
// receipt comes within 14 days of availability at the latest, so a daily question costs the
// service little (the operator asks EZD systems not to poll in tight loops).
var deliveryChecks = []time.Duration{time.Hour, 6 * time.Hour, 24 * time.Hour}

// CaseWorkflowID is the id of the workflow of the case with reference ref; prefix is the
// installation's (config WorkflowIDPrefix).
func CaseWorkflowID(prefix, ref string) string { return prefix + "case/" + ref }

// Actor is the person who acts, as the web edge has authenticated them.
type Actor struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Position string `json:"position"`
	Role     string `json:"role"`
	Unit     string `json:"unit"`
}

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
	Stage        string     `json:"stage"`
	Assignee     string     `json:"assignee,omitempty"`
	StartedOn    civil.Date `json:"started_on"`
	Due          civil.Date `json:"due"`
	Reminded     bool       `json:"reminded"`
	Overdue      bool       `json:"overdue"`
	DelayNotices int        `json:"delay_notices"`
	// Excluded are the closed periods not counted into the term (art. 35 §5).
	Excluded []deadlines.Period `json:"excluded,omitempty"`
	// PausedSince is the first day of the running period not counted (awaiting the party,
	// suspension); zero when the clock runs.
	PausedSince civil.Date `json:"paused_since,omitzero"`
	// RemedyDue is the last day for the party to remedy defects, while a call is out.
	RemedyDue civil.Date `json:"remedy_due,omitzero"`
	// ResumeStage is where a suspended case goes back to.
	ResumeStage string `json:"resume_stage,omitempty"`
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

// describe says in the case history that the letter came; stage is the case's, "" if not
// known.
func (l LetterInput) describe(stage string) string {
	title := l.Title
	if title == "" {
		title = "bez tytułu"
	}
	sender := l.Sender
	if sender == "" {
		sender = "nadawca nieznany"
	}
	desc := fmt.Sprintf("Wpłynęło pismo w sprawie (RPW %s z %s, %s): „%s”, od: %s. Dołączono do akt sprawy.",
		l.Number, deadlines.WarsawDate(l.ReceivedAt), l.Channel, title, sender)
	if stage == casefile.StageAwaitingParty {
		desc += " Sprawa czeka na usunięcie braków: prowadzący ocenia, czy pismo je usuwa, i odnotowuje to (czynność „Odnotuj usunięcie braków”)."
	}
	if stage == casefile.StageDelivered {
		desc += " Biegnie termin na odwołanie: jeśli pismo jest odwołaniem, prowadzący odnotowuje je (czynność „Odnotuj odwołanie”), inaczej sprawa zakończy się z upływem terminu."
	}
	return desc
}

// Sending is a signed answer on its way through e-Doręczenia.
type Sending struct {
	ID        string    `json:"id"` // the sending's record (package delivery)
	Address   string    `json:"address"`
	MessageID string    `json:"message_id"`
	NextCheck time.Time `json:"next_check"` // when the case asks for evidences next
	Checks    int       `json:"checks"`
}

// Inputs of the updates.
type (
	DispatchInput struct {
		Actor Actor `json:"actor"`
		// Address is the party's electronic delivery address, AE:PL-12345-67890-ABCDE-12.
		Address string `json:"address"`
	}
	EvidenceInput struct {
		// MessageID is the sent message the service issued an evidence about.
		MessageID string `json:"message_id"`
	}
	AssignInput struct {
		Actor        Actor  `json:"actor"`
		Assignee     string `json:"assignee"`
		Instructions string `json:"instructions"`
	}
	RemedyInput struct {
		Actor Actor  `json:"actor"`
		Items string `json:"items"` // what is missing, in the words of the call
		Days  int    `json:"days"`
	}
	NoteInput struct {
		Actor Actor  `json:"actor"`
		Note  string `json:"note"`
	}
	DeliveryInput struct {
		Actor Actor `json:"actor"`
		// Date is the day of delivery (YYYY-MM-DD) on the return receipt, or of handing over.
		Date   string `json:"date"`
		Method string `json:"method"` // how: list polecony za zwrotnym potwierdzeniem odbioru, osobiście, ...
	}
	DraftInput struct {
		Actor Actor `json:"actor"`
		// Kind is "odpowiedz" (an answer; the default) or "decyzja" (a decision, which then
		// needs Basis and Ruling; Summary is its justification).
		Kind    string `json:"kind,omitempty"`
		Basis   string `json:"basis,omitempty"`
		Ruling  string `json:"ruling,omitempty"`
		Summary string `json:"summary"`
		// Title is the letter's title ("Zawiadomienie o sposobie załatwienia skargi"); empty
		// is "Odpowiedź w sprawie: <case title>". A decision is titled DECYZJA whatever it is.
		Title string `json:"title,omitempty"`
		// Instruction is a decision's instruction on appeal, a paragraph a line; empty gives
		// the general one (appeal to the SKO within 14 days, art. 127-129 KPA).
		Instruction string `json:"instruction,omitempty"`
		// DocumentID names the draft document once outgoing documents are built; may be empty.
		DocumentID string `json:"document_id,omitempty"`
	}
	ForwardInput struct {
		Actor  Actor  `json:"actor"`
		Body   string `json:"body"`   // the competent body
		Reason string `json:"reason"` // why it is competent
		// BoxAddress is the competent body's ePUAP box, "/podmiot/skrytka": when given, the
		// submission is sent there through doręczyciel, with proof of delivery (UPD).
		BoxAddress string `json:"box_address,omitempty"`
	}
)

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
// arrive as updates, each checked (who may do it, in which stage) before it is accepted, and
// recorded with the case history in one idempotent activity.
//
// After acceptance the head signs: the answer is rendered from the accepted draft and signed
// with the office's key (XAdES). The signed answer is sent through e-Doręczenia (dispatch) and
// the case waits for the proof of receipt, which a callback announces (evidence) or a sparse
// check finds; or its delivery by other means is recorded by hand. Delivered, an answer ends
// the case; a decision waits out the appeal period first.
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

	if in.State != nil {
		r.s = in.State
	} else {
		started := deadlines.WarsawDate(in.ReceivedAt)
		r.s = &CaseState{Stage: casefile.StageNew, StartedOn: started}
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
	if err := r.registerUpdates(ctx, term); err != nil {
		return err
	}
	if in.State == nil {
		started, due, termText := r.s.StartedOn, r.s.Due, term.String()
		if err := r.apply(ctx, "opened", casefile.Step{
			Stage: casefile.StageNew, StartedOn: &started, Term: &termText, DueOn: &due, WorkflowID: &r.wfID,
			Action: r.system(ctx, "proceedings_started", fmt.Sprintf("Wszczęcie sprawy %s; termin załatwienia (%s) upływa %s.", in.Reference, polishTerm(term), due)),
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

	for !casefile.Closing(r.s.Stage) {
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
		wake := func() bool { return r.dirty != seen || casefile.Closing(r.s.Stage) }
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
		if err := r.fire(ctx, event, term); err != nil {
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
		if r.s.Stage == casefile.StageDelivered {
			r.s.AppealLetters++
		}
		if err := r.apply(ctx, letterKey(l), casefile.Step{Stage: r.s.Stage, Action: r.system(ctx, "letter_joined", l.describe(r.s.Stage))}); err != nil {
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
	st := casefile.Step{Stage: r.s.Stage, Action: r.system(ctx, "assessed", as.Summary)}
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
		if err := r.apply(ctx, "anonymous", casefile.Step{Stage: casefile.StageLeftUnexamined,
			Action: r.system(ctx, "left_unexamined", "Pismo anonimowe pozostawiono bez rozpatrzenia; sporządzono adnotację w aktach.")}); err != nil {
			return err
		}
		r.s.Stage = casefile.StageLeftUnexamined
	}
	return nil
}

// nextEvent returns when the next clock event falls and what it is: the end of the remedy
// term, the reminder, or the deadline passing; "" when the clock waits for people only.
func (r *caseRun) nextEvent() (time.Time, string) {
	s := r.s
	startOf := func(d civil.Date) time.Time { return d.In(civil.Warsaw) }
	switch {
	case s.Stage == casefile.StageAwaitingParty:
		return startOf(s.RemedyDue.AddDays(1)), "remedy_expired"
	case s.Stage == casefile.StageSuspended:
		return time.Time{}, ""
	case s.Stage == casefile.StageDelivered && s.AppealReview:
		return time.Time{}, ""
	case s.Stage == casefile.StageDelivered:
		return startOf(s.AppealEnds.AddDays(1)), "appeal_over"
	case s.Stage == casefile.StageDispatched && s.Sending != nil:
		return s.Sending.NextCheck, "delivery_check"
	case s.Stage == casefile.StageAppealed && !s.AppealForwardLate:
		return startOf(s.AppealForwardDue.AddDays(1)), "appeal_forward_overdue"
	case s.Stage == casefile.StageAppealed:
		return time.Time{}, ""
	case !s.Reminded:
		return startOf(deadlines.RemindAt(s.Due, r.in.RemindDays, r.cal)), "reminder"
	case !s.Overdue:
		return startOf(s.Due.AddDays(1)), "overdue"
	}
	return time.Time{}, ""
}

// fire handles a clock event that has come.
func (r *caseRun) fire(ctx workflow.Context, event string, term deadlines.Term) error {
	if err := r.mu.Lock(ctx); err != nil {
		return err
	}
	defer r.mu.Unlock()
	s := r.s
	switch event {
	case "appeal_forward_overdue":
		if s.Stage != casefile.StageAppealed {
			return nil
		}
		desc := fmt.Sprintf("Upłynął termin przekazania odwołania wraz z aktami sprawy organowi odwoławczemu (%s, art. 133 k.p.a.). Sprawa przekazana kierownikowi komórki.", s.AppealForwardDue)
		if err := r.apply(ctx, "appeal-late/"+s.AppealForwardDue.String(), casefile.Step{Stage: s.Stage, Action: r.system(ctx, "appeal_forward_late", desc)}); err != nil {
			return err
		}
		s.AppealForwardLate = true
		return workflow.UpsertTypedSearchAttributes(ctx, visibility.Stage.ValueSet("overdue"))
	case "delivery_check":
		if s.Stage != casefile.StageDispatched || s.Sending == nil {
			return nil
		}
		s.Sending.Checks++
		s.Sending.NextCheck = workflow.Now(ctx).Add(deliveryChecks[min(s.Sending.Checks, len(deliveryChecks)-1)])
		return r.checkDelivery(ctx)
	case "appeal_over":
		if s.Stage != casefile.StageDelivered {
			return nil
		}
		if s.AppealLetters > 0 {
			desc := fmt.Sprintf("Upłynął termin na wniesienie odwołania (%s). W tym czasie wpłynęły pisma w sprawie (%d): prowadzący ocenia, czy któreś jest odwołaniem – odnotowuje je („Odnotuj odwołanie”) albo zamyka sprawę („Zakończ sprawę”).", s.AppealEnds, s.AppealLetters)
			if err := r.apply(ctx, "appeal-review/"+s.AppealEnds.String(), casefile.Step{Stage: s.Stage, Action: r.system(ctx, "appeal_review", desc)}); err != nil {
				return err
			}
			s.AppealReview = true
			return nil
		}
		desc := fmt.Sprintf("Upłynął termin na wniesienie odwołania (%d dni od doręczenia %s, do %s). Sprawa zakończona.", AppealDays, s.DeliveredOn, s.AppealEnds)
		if err := r.apply(ctx, "settled", casefile.Step{Stage: casefile.StageSettled, Action: r.system(ctx, "settled", desc)}); err != nil {
			return err
		}
		s.Stage = casefile.StageSettled
	case "remedy_expired":
		if s.Stage != casefile.StageAwaitingParty {
			return nil
		}
		desc := fmt.Sprintf("Braki formalne nie zostały usunięte w terminie (do %s); podanie pozostawiono bez rozpoznania (art. 64 § 2 k.p.a.).", s.RemedyDue)
		if err := r.apply(ctx, "left-unexamined", casefile.Step{Stage: casefile.StageLeftUnexamined, Action: r.system(ctx, "left_unexamined", desc)}); err != nil {
			return err
		}
		s.Stage = casefile.StageLeftUnexamined
	case "reminder":
		desc := fmt.Sprintf("Przypomnienie: termin załatwienia sprawy upływa %s.", s.Due)
		if err := r.apply(ctx, "reminder/"+s.Due.String(), casefile.Step{Stage: s.Stage, Action: r.system(ctx, "deadline_reminder", desc)}); err != nil {
			return err
		}
		s.Reminded = true
	case "overdue":
		overdue := true
		s.DelayNotices++
		newDue := deadlines.Due(s.Due, term, r.cal, nil)
		desc := fmt.Sprintf("Termin załatwienia sprawy upłynął %s. Sprawa przekazana kierownikowi komórki. "+
			"Przygotowano projekt zawiadomienia strony (art. 36 k.p.a.): przyczyna zwłoki do uzupełnienia przez prowadzącego, "+
			"proponowany nowy termin %s, pouczenie o prawie do wniesienia ponaglenia (art. 37 k.p.a.).", s.Due, newDue)
		doc, err := r.issue(ctx, "overdue/"+s.Due.String(), letters.KindDelayNotice, "Zawiadomienie o niezałatwieniu sprawy w terminie",
			"art. 36 § 1 k.p.a.", casefile.SystemActor, "", "Kierownik komórki",
			fmt.Sprintf("Zawiadamiam, że sprawa %s („%s”) nie została załatwiona w terminie, który upłynął %s.", r.in.Reference, r.in.Title, s.Due),
			"Przyczyna zwłoki: [do uzupełnienia przez prowadzącego sprawę przed podpisaniem].",
			fmt.Sprintf("Nowy termin załatwienia sprawy: %s.", newDue),
			"Przysługuje Pani/Panu prawo do wniesienia ponaglenia (art. 37 k.p.a.).")
		if err != nil {
			return err
		}
		if err := r.apply(ctx, "overdue/"+s.Due.String(), casefile.Step{Stage: s.Stage, Overdue: &overdue, Action: withDoc(r.system(ctx, "deadline_missed", desc), doc)}); err != nil {
			return err
		}
		s.Overdue = true
		if err := workflow.UpsertTypedSearchAttributes(ctx, visibility.Stage.ValueSet("overdue")); err != nil {
			return err
		}
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

// issue issues a letter of the case to the party, if this run issues letters, and returns the
// document's id for the history ("" otherwise). key is unique in this workflow.
func (r *caseRun) issue(ctx workflow.Context, key, kind, title, basis, by, signatory, position string, body ...string) (string, error) {
	if !r.letters {
		return "", nil
	}
	party := r.in.Party
	if party == "" {
		party = "brak danych"
	}
	var d casefile.Document
	err := workflow.ExecuteActivity(activityOptions(ctx), contract.IssueLetter, contract.IssueInput{
		CaseID: r.in.CaseID, Key: r.wfID + "/letter/" + key, By: by, At: workflow.Now(ctx),
		Letter: letters.Letter{Kind: kind, Date: r.today(ctx), Reference: r.in.Reference, Addressee: party,
			AddresseeBox: r.in.PartyID, Title: title, Basis: basis, Body: body, Signatory: signatory, Position: position},
	}).Get(ctx, &d)
	if err != nil {
		return "", err
	}
	return d.ID.String(), nil
}

// delivered records that the signed answer reached the party on the day on, as how says: an
// answer ends the case; a decision starts the appeal period (art. 129 § 2 KPA).
func (r *caseRun) delivered(ctx workflow.Context, key string, on civil.Date, how string, action func(desc string) casefile.Action) error {
	s := r.s
	if s.DraftKind != letters.KindDecision {
		// An answer is not appealed: delivered, the case is done.
		desc := fmt.Sprintf("Doręczono stronie odpowiedź %s (%s). Sprawa zakończona.", on, how)
		if err := r.apply(ctx, key, casefile.Step{Stage: casefile.StageSettled, Action: action(desc)}); err != nil {
			return err
		}
		s.Stage, s.DeliveredOn, s.Sending = casefile.StageSettled, on, nil
		return nil
	}
	appealEnds := deadlines.Due(on, deadlines.Term{N: AppealDays, Unit: deadlines.Days}, r.cal, nil)
	desc := fmt.Sprintf("Doręczono stronie decyzję %s (%s). Termin na wniesienie odwołania upływa %s (art. 129 § 2 k.p.a.).", on, how, appealEnds)
	if err := r.apply(ctx, key, casefile.Step{Stage: casefile.StageDelivered, Action: action(desc)}); err != nil {
		return err
	}
	s.Stage, s.DeliveredOn, s.AppealEnds, s.Sending = casefile.StageDelivered, on, appealEnds, nil
	return nil
}

// deliveryOptions are those of the e-Doręczenia activities: sending waits for the service's
// task, and the service may be down for a while; retries back off to an hour apart.
func deliveryOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 10 * time.Second, BackoffCoefficient: 2, MaximumInterval: time.Hour},
	})
}

// dispatch sends the signed answer through e-Doręczenia to the party's address. Sent, the
// case waits in stage dispatched for the proof of receipt; refused by the service, it stays
// signed, the refusal in its history, and the caller is told why.
func (r *caseRun) dispatch(ctx workflow.Context, in DispatchInput) error {
	s := r.s
	var d delivery.Delivery
	key := r.key(ctx, UpdateDispatch)
	docID, _ := uuid.Parse(s.SignedDocument) // a case signed before ids were kept: the activity finds it
	what := "Odpowiedź"
	if s.DraftKind == letters.KindDecision {
		what = "Decyzja"
	}
	// The person waits for the answer: a service that does not answer within a few minutes
	// is reported to them. The sending is keyed by document and address, not by request, so
	// sending again resumes the same sending (its draft, its task) and never sends twice.
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 5 * time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute, MaximumAttempts: 5},
	})
	err := workflow.ExecuteActivity(actx, contract.SendLetter, contract.SendInput{
		CaseID: r.in.CaseID, DocumentID: docID, Address: in.Address, Reference: r.in.Reference,
		Subject: fmt.Sprintf("%s w sprawie %s", what, r.in.Reference),
		Text:    fmt.Sprintf("W załączeniu %s w sprawie %s („%s”), podpisana elektronicznie, wraz z jej wizualizacją w formacie PDF.", strings.ToLower(what), r.in.Reference, r.in.Title),
		Key:     r.wfID + "/dispatch/" + s.SignedDocument + "/" + in.Address, By: in.Actor.Username, At: workflow.Now(ctx),
	}).Get(ctx, &d)
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && (appErr.Type() == contract.ErrTypeNoEDelivery || appErr.Type() == contract.ErrTypeInvalid) {
		return refuse("%s", appErr.Message())
	}
	if err != nil {
		workflow.GetLogger(ctx).Warn("e-Doręczenia sending failed", "case_ref", r.in.Reference, "err", err)
		return refuse("e-Doręczenia nie przyjęły teraz przesyłki. Spróbuj ponownie później: wysyłka zostanie wznowiona, nie powtórzona.")
	}
	if d.Status == delivery.StatusRejected {
		if err := r.apply(ctx, key, casefile.Step{Stage: casefile.StageSigned, Action: r.by(ctx, in.Actor, "delivery_rejected",
			fmt.Sprintf("Wysyłka na adres %s nie powiodła się: %s", in.Address, d.Reason))}); err != nil {
			return err
		}
		return refuse("%s", d.Reason)
	}
	desc := fmt.Sprintf("Wysłano przez e-Doręczenia na adres %s (wiadomość %s). Przesyłka jest doręczona z chwilą odbioru, "+
		"a nieodebrana – po upływie 14 dni od jej udostępnienia (art. 41 ustawy o doręczeniach elektronicznych).", in.Address, d.MessageID)
	if err := r.apply(ctx, key, casefile.Step{Stage: casefile.StageDispatched, Action: withDoc(r.by(ctx, in.Actor, "dispatched", desc), d.DocumentID.String())}); err != nil {
		return err
	}
	s.Stage = casefile.StageDispatched
	s.Sending = &Sending{ID: d.ID.String(), Address: in.Address, MessageID: d.MessageID, NextCheck: workflow.Now(ctx).Add(deliveryChecks[0])}
	return nil
}

// checkDelivery asks for the evidences of the sent answer and records what they say: the
// delivery, or a refused sending (the case goes back to signed, to be sent another way).
func (r *caseRun) checkDelivery(ctx workflow.Context) error {
	s := r.s
	id, err := uuid.Parse(s.Sending.ID)
	if err != nil {
		return fmt.Errorf("sending of the case: %w", err)
	}
	var d delivery.Delivery
	if err := workflow.ExecuteActivity(deliveryOptions(ctx), contract.CheckDelivery, id).Get(ctx, &d); err != nil {
		return err
	}
	switch d.Status {
	case delivery.StatusDelivered:
		how := fmt.Sprintf("e-Doręczenia, odebrano; dowód %s", d.EvidenceID)
		if d.Deemed {
			how = fmt.Sprintf("e-Doręczenia, nieodebrana – uznana za doręczoną po 14 dniach od udostępnienia, art. 41 ustawy o doręczeniach elektronicznych; dowód %s", d.EvidenceID)
		}
		return r.delivered(ctx, "delivered/"+d.ID.String(), d.DeliveredOn, how, func(desc string) casefile.Action {
			return r.system(ctx, "delivered", desc)
		})
	case delivery.StatusRejected:
		if err := r.apply(ctx, "rejected/"+d.ID.String(), casefile.Step{Stage: casefile.StageSigned, Action: r.system(ctx, "delivery_rejected",
			fmt.Sprintf("Wysyłka na adres %s nie powiodła się: %s. Pismo czeka na doręczenie w inny sposób.", d.Address, d.Reason))}); err != nil {
			return err
		}
		s.Stage, s.Sending = casefile.StageSigned, nil
	}
	return nil
}

func (r *caseRun) system(ctx workflow.Context, code, desc string) casefile.Action {
	return casefile.Action{At: workflow.Now(ctx), Actor: "system", ActorName: "obieg (system)", Code: code, Description: desc}
}

func (r *caseRun) by(ctx workflow.Context, a Actor, code, desc string) casefile.Action {
	return casefile.Action{At: workflow.Now(ctx), Actor: a.Username, ActorRole: a.Role, ActorName: a.Name, ActorPosition: a.Position, Code: code, Description: desc}
}

// today is the current day in Warsaw.
func (r *caseRun) today(ctx workflow.Context) civil.Date {
	return deadlines.WarsawDate(workflow.Now(ctx))
}

// resumeClock closes the running period not counted and extends the due date by it.
func (r *caseRun) resumeClock(ctx workflow.Context, term deadlines.Term) {
	s := r.s
	if s.PausedSince.IsZero() {
		return
	}
	s.Excluded = append(s.Excluded, deadlines.Period{From: s.PausedSince, To: r.today(ctx)})
	s.PausedSince = civil.Date{}
	s.Due = deadlines.Due(s.StartedOn, term, r.cal, s.Excluded)
	if !s.Due.Before(r.today(ctx)) {
		s.Reminded, s.Overdue = false, false
	}
}

// guard checks an actor against the case: the head of its unit, its handler, or (for the
// incoming side) the registry.
func (r *caseRun) isHead(a Actor) bool    { return a.Role == "head" && a.Unit == r.in.Unit }
func (r *caseRun) isHandler(a Actor) bool { return a.Username != "" && a.Username == r.s.Assignee }

// update registers one update: check runs in the validator (and again under the lock, since
// another update may have changed the case in between), act runs under the lock and returns
// the new state to the caller.
func update[T any](ctx workflow.Context, r *caseRun, name string, check func(T) error, act func(workflow.Context, T) error) error {
	return workflow.SetUpdateHandlerWithOptions(ctx, name, func(ctx workflow.Context, in T) (CaseState, error) {
		if err := r.mu.Lock(ctx); err != nil {
			return CaseState{}, err
		}
		defer r.mu.Unlock()
		if err := check(in); err != nil {
			return CaseState{}, err
		}
		if err := act(ctx, in); err != nil {
			return CaseState{}, err
		}
		r.dirty++
		return *r.s, nil
	}, workflow.UpdateHandlerOptions{Validator: func(in T) error { return check(in) }})
}

func (r *caseRun) key(ctx workflow.Context, name string) string {
	return name + "/" + workflow.GetCurrentUpdateInfo(ctx).ID
}

func (r *caseRun) registerUpdates(ctx workflow.Context, term deadlines.Term) error {
	s := r.s
	open := func(stages ...string) error {
		if !slices.Contains(stages, s.Stage) {
			return refuse("czynność niemożliwa, gdy sprawa ma stan %s", s.Stage)
		}
		return nil
	}
	return errors.Join(
		update(ctx, r, UpdateAssign, func(in AssignInput) error {
			if !r.isHead(in.Actor) {
				return refuse("sprawy komórki %s dekretuje tylko jej kierownik", r.in.Unit)
			}
			if strings.TrimSpace(in.Assignee) == "" {
				return refuse("nie wskazano prowadzącego")
			}
			return open(casefile.StageNew, casefile.StageAssigned)
		}, func(ctx workflow.Context, in AssignInput) error {
			var who contract.Assignee
			actx := workflow.WithRetryPolicy(activityOptions(ctx), temporal.RetryPolicy{InitialInterval: time.Second, MaximumAttempts: 3})
			if err := workflow.ExecuteActivity(actx, contract.CheckAssignee, in.Assignee, r.in.Unit).Get(ctx, &who); err != nil {
				var appErr *temporal.ApplicationError
				if errors.As(err, &appErr) && appErr.Type() == contract.ErrTypeInvalid {
					return refuse("nie można przydzielić sprawy %s: %s", in.Assignee, appErr.Message())
				}
				return err
			}
			desc := fmt.Sprintf("Dekretacja – prowadzący sprawę: %s (%s).", who.Name, who.Username)
			if in.Instructions != "" {
				desc += " Dyspozycja: " + in.Instructions
			}
			instr := in.Instructions
			if err := r.apply(ctx, r.key(ctx, UpdateAssign), casefile.Step{Stage: casefile.StageAssigned, Assignee: &who.Username,
				Instructions: &instr, Action: r.by(ctx, in.Actor, "assigned", desc)}); err != nil {
				return err
			}
			s.Stage, s.Assignee = casefile.StageAssigned, who.Username
			return nil
		}),
		update(ctx, r, UpdateRequestRemedy, func(in RemedyInput) error {
			if !r.isHandler(in.Actor) && !r.isHead(in.Actor) {
				return refuse("do usunięcia braków wzywa prowadzący sprawę lub kierownik")
			}
			if in.Days < MinRemedyDays {
				return refuse("termin na usunięcie braków to co najmniej %d dni (art. 64 § 2 k.p.a.)", MinRemedyDays)
			}
			if strings.TrimSpace(in.Items) == "" {
				return refuse("wskaż braki do usunięcia")
			}
			return open(casefile.StageAssigned)
		}, func(ctx workflow.Context, in RemedyInput) error {
			today := r.today(ctx)
			remedyDue := deadlines.Due(today, deadlines.Term{N: in.Days, Unit: deadlines.Days}, r.cal, nil)
			doc, err := r.issue(ctx, r.key(ctx, UpdateRequestRemedy), letters.KindRemedyRequest, "Wezwanie do usunięcia braków formalnych",
				"art. 64 § 2 k.p.a.", in.Actor.Username, in.Actor.Name, in.Actor.Position,
				fmt.Sprintf("W sprawie %s („%s”) wzywam do usunięcia następujących braków formalnych podania: %s.", r.in.Reference, r.in.Title, in.Items),
				fmt.Sprintf("Braki należy usunąć w terminie %d dni, tj. do dnia %s. Nieusunięcie braków w tym terminie spowoduje pozostawienie podania bez rozpoznania.", in.Days, remedyDue))
			if err != nil {
				return err
			}
			desc := fmt.Sprintf("Wezwanie do usunięcia braków formalnych (art. 64 § 2 k.p.a.): %s. Termin: %d dni, do %s. Bieg terminu załatwienia sprawy wstrzymany.", in.Items, in.Days, remedyDue)
			if err := r.apply(ctx, r.key(ctx, UpdateRequestRemedy), casefile.Step{Stage: casefile.StageAwaitingParty,
				Action: withDoc(r.by(ctx, in.Actor, "remedy_requested", desc), doc)}); err != nil {
				return err
			}
			s.Stage, s.PausedSince, s.RemedyDue = casefile.StageAwaitingParty, today, remedyDue
			return nil
		}),
		update(ctx, r, UpdateRecordReply, func(in NoteInput) error {
			if !r.isHandler(in.Actor) && !r.isHead(in.Actor) && in.Actor.Role != "registry" {
				return refuse("odpowiedź strony odnotowuje prowadzący, kierownik lub kancelaria")
			}
			return open(casefile.StageAwaitingParty)
		}, func(ctx workflow.Context, in NoteInput) error {
			r.resumeClock(ctx, term)
			due := s.Due
			desc := fmt.Sprintf("Strona usunęła braki formalne. %s Termin załatwienia sprawy biegnie dalej i upływa %s.", in.Note, due)
			if err := r.apply(ctx, r.key(ctx, UpdateRecordReply), casefile.Step{Stage: casefile.StageAssigned, DueOn: &due, Action: r.by(ctx, in.Actor, "remedy_received", desc)}); err != nil {
				return err
			}
			s.Stage, s.RemedyDue = casefile.StageAssigned, civil.Date{}
			return nil
		}),
		update(ctx, r, UpdateSuspend, func(in NoteInput) error {
			if !r.isHead(in.Actor) {
				return refuse("postępowanie zawiesza kierownik komórki")
			}
			if strings.TrimSpace(in.Note) == "" {
				return refuse("podaj podstawę zawieszenia")
			}
			return open(casefile.StageNew, casefile.StageAssigned, casefile.StageDraftReview)
		}, func(ctx workflow.Context, in NoteInput) error {
			desc := "Zawieszenie postępowania: " + in.Note + ". Bieg terminu załatwienia sprawy wstrzymany."
			if err := r.apply(ctx, r.key(ctx, UpdateSuspend), casefile.Step{Stage: casefile.StageSuspended, Action: r.by(ctx, in.Actor, "suspended", desc)}); err != nil {
				return err
			}
			s.ResumeStage, s.Stage, s.PausedSince = s.Stage, casefile.StageSuspended, r.today(ctx)
			return nil
		}),
		update(ctx, r, UpdateResume, func(in NoteInput) error {
			if !r.isHead(in.Actor) {
				return refuse("postępowanie podejmuje kierownik komórki")
			}
			return open(casefile.StageSuspended)
		}, func(ctx workflow.Context, in NoteInput) error {
			r.resumeClock(ctx, term)
			due := s.Due
			desc := fmt.Sprintf("Podjęcie zawieszonego postępowania. %s Termin załatwienia sprawy upływa %s.", in.Note, due)
			if err := r.apply(ctx, r.key(ctx, UpdateResume), casefile.Step{Stage: s.ResumeStage, DueOn: &due, Action: r.by(ctx, in.Actor, "resumed", desc)}); err != nil {
				return err
			}
			s.Stage, s.ResumeStage = s.ResumeStage, ""
			return nil
		}),
		update(ctx, r, UpdateSubmitDraft, func(in DraftInput) error {
			if !r.isHandler(in.Actor) {
				return refuse("projekt przedkłada prowadzący sprawę")
			}
			if strings.TrimSpace(in.Summary) == "" {
				return refuse("opisz projekt")
			}
			switch in.Kind {
			case "", letters.KindAnswer:
			case letters.KindDecision:
				if strings.TrimSpace(in.Basis) == "" || strings.TrimSpace(in.Ruling) == "" {
					return refuse("decyzja wymaga podstawy prawnej i rozstrzygnięcia")
				}
			default:
				return refuse("projekt to odpowiedź albo decyzja")
			}
			return open(casefile.StageAssigned)
		}, func(ctx workflow.Context, in DraftInput) error {
			desc := "Projekt odpowiedzi przedłożony do akceptacji: " + in.Summary
			if in.Kind == letters.KindDecision {
				desc = "Projekt decyzji przedłożony do akceptacji: " + in.Ruling
			}
			if err := r.apply(ctx, r.key(ctx, UpdateSubmitDraft), casefile.Step{Stage: casefile.StageDraftReview,
				Action: withDoc(r.by(ctx, in.Actor, "draft_submitted", desc), in.DocumentID)}); err != nil {
				return err
			}
			s.Stage, s.Drafter, s.Draft = casefile.StageDraftReview, in.Actor.Username, in.Summary
			s.DraftKind, s.DraftBasis, s.DraftRuling = in.Kind, in.Basis, in.Ruling
			s.DraftTitle, s.DraftInstruction = strings.TrimSpace(in.Title), strings.TrimSpace(in.Instruction)
			return nil
		}),
		update(ctx, r, UpdateAccept, func(in NoteInput) error {
			if !r.isHead(in.Actor) {
				return refuse("projekty w komórce %s akceptuje tylko jej kierownik", r.in.Unit)
			}
			return open(casefile.StageDraftReview)
		}, func(ctx workflow.Context, in NoteInput) error {
			desc := fmt.Sprintf("Akceptacja projektu przygotowanego przez %s.", s.Drafter)
			if in.Note != "" {
				desc += " " + in.Note
			}
			desc += " Sprawa oczekuje na podpis."
			if err := r.apply(ctx, r.key(ctx, UpdateAccept), casefile.Step{Stage: casefile.StageAwaitingSignature, Action: r.by(ctx, in.Actor, "draft_accepted", desc)}); err != nil {
				return err
			}
			s.Stage = casefile.StageAwaitingSignature
			return nil
		}),
		update(ctx, r, UpdateSign, func(in NoteInput) error {
			if !r.isHead(in.Actor) {
				return refuse("odpowiedzi i decyzje w komórce %s podpisuje jej kierownik", r.in.Unit)
			}
			return open(casefile.StageAwaitingSignature)
		}, func(ctx workflow.Context, in NoteInput) error {
			party := r.in.Party
			if party == "" {
				party = "brak danych"
			}
			var d casefile.Document
			err := workflow.ExecuteActivity(activityOptions(ctx), contract.SignLetter, contract.IssueInput{
				CaseID: r.in.CaseID, Key: r.wfID + "/letter/" + r.key(ctx, UpdateSign), By: in.Actor.Username, At: workflow.Now(ctx),
				Letter: r.answer(in.Actor, party, r.today(ctx)),
			}).Get(ctx, &d)
			var appErr *temporal.ApplicationError
			if errors.As(err, &appErr) && appErr.Type() == contract.ErrTypeNoSigner {
				return refuse("%s", appErr.Message())
			}
			if err != nil {
				return err
			}
			what := "odpowiedź"
			if s.DraftKind == letters.KindDecision {
				what = "decyzję"
			}
			desc := "Podpisano " + what + " zaakceptowaną w sprawie (podpis elektroniczny XAdES). Sprawa czeka na doręczenie."
			if err := r.apply(ctx, r.key(ctx, UpdateSign), casefile.Step{Stage: casefile.StageSigned,
				Action: withDoc(r.by(ctx, in.Actor, "signed", desc), d.ID.String())}); err != nil {
				return err
			}
			s.Stage, s.SignedDocument = casefile.StageSigned, d.ID.String()
			return nil
		}),
		update(ctx, r, UpdateGrantCards, func(in NoteInput) error {
			if !r.isHandler(in.Actor) && !r.isHead(in.Actor) {
				return refuse("karty przyznaje prowadzący sprawę lub kierownik")
			}
			if r.in.FormType != forms.FamilyCard {
				return refuse("to nie jest wniosek o kartę")
			}
			return open(casefile.StageAssigned)
		}, func(ctx workflow.Context, in NoteInput) error {
			var g contract.Granted
			err := workflow.ExecuteActivity(activityOptions(ctx), contract.GrantCards, contract.GrantInput{
				CaseID: r.in.CaseID, Document: r.in.Document, On: r.today(ctx), Key: r.wfID + "/" + r.key(ctx, UpdateGrantCards),
				By: in.Actor.Username, Role: in.Actor.Role, At: workflow.Now(ctx),
			}).Get(ctx, &g)
			var appErr *temporal.ApplicationError
			if errors.As(err, &appErr) && appErr.Type() == contract.ErrTypeNotGrantable {
				return refuse("%s", appErr.Message())
			}
			if err != nil {
				return err
			}
			var granted []string
			for _, c := range g.Cards {
				until := "bezterminowo"
				if c.ValidUntil != nil {
					until = "ważna do " + c.ValidUntil.String()
				}
				granted = append(granted, fmt.Sprintf("%s: karta %s, %s", c.Holder, c.Number, until))
			}
			desc := "Przyznano karty (bez decyzji): " + strings.Join(granted, "; ") + "."
			stage := casefile.StageGranted
			if !g.Complete {
				desc += " Wobec pozostałych członków rodziny potrzebna jest decyzja odmowna."
				stage = casefile.StageAssigned
			}
			if err := r.apply(ctx, r.key(ctx, UpdateGrantCards), casefile.Step{Stage: stage, Action: r.by(ctx, in.Actor, "cards_granted", desc)}); err != nil {
				return err
			}
			s.Stage = stage
			return nil
		}),
		update(ctx, r, UpdateRecordDelivery, func(in DeliveryInput) error {
			if !r.isHandler(in.Actor) && !r.isHead(in.Actor) && in.Actor.Role != "registry" {
				return refuse("doręczenie odnotowuje prowadzący, kierownik lub kancelaria")
			}
			if err := open(casefile.StageSigned); err != nil {
				return err
			}
			if _, err := civil.ParseDate(in.Date); err != nil {
				return refuse("data doręczenia w postaci RRRR-MM-DD")
			}
			if strings.TrimSpace(in.Method) == "" {
				return refuse("podaj sposób doręczenia")
			}
			return nil
		}, func(ctx workflow.Context, in DeliveryInput) error {
			on, _ := civil.ParseDate(in.Date)
			if on.After(r.today(ctx)) {
				return refuse("data doręczenia nie może być późniejsza niż dziś")
			}
			return r.delivered(ctx, r.key(ctx, UpdateRecordDelivery), on, in.Method, func(desc string) casefile.Action {
				return r.by(ctx, in.Actor, "delivered", desc)
			})
		}),
		update(ctx, r, UpdateDispatch, func(in DispatchInput) error {
			if !r.isHandler(in.Actor) && !r.isHead(in.Actor) && in.Actor.Role != "registry" {
				return refuse("wysyłkę zleca prowadzący, kierownik lub kancelaria")
			}
			if err := open(casefile.StageSigned); err != nil {
				return err
			}
			if !edelivery.ValidAddress(in.Address) {
				return refuse("adres do doręczeń elektronicznych ma postać AE:PL-12345-67890-ABCDE-12")
			}
			return nil
		}, func(ctx workflow.Context, in DispatchInput) error {
			return r.dispatch(ctx, in)
		}),
		update(ctx, r, UpdateEvidence, func(in EvidenceInput) error {
			if s.Stage != casefile.StageDispatched || s.Sending == nil || s.Sending.MessageID != in.MessageID {
				return refuse("sprawa nie czeka na dowód doręczenia wiadomości %s", in.MessageID)
			}
			return nil
		}, func(ctx workflow.Context, _ EvidenceInput) error {
			return r.checkDelivery(ctx)
		}),
		update(ctx, r, UpdateReturn, func(in NoteInput) error {
			if !r.isHead(in.Actor) {
				return refuse("projekty w komórce %s zwraca tylko jej kierownik", r.in.Unit)
			}
			if strings.TrimSpace(in.Note) == "" {
				return refuse("podaj uwagi")
			}
			return open(casefile.StageDraftReview)
		}, func(ctx workflow.Context, in NoteInput) error {
			if err := r.apply(ctx, r.key(ctx, UpdateReturn), casefile.Step{Stage: casefile.StageAssigned, Action: r.by(ctx, in.Actor, "draft_returned", "Projekt zwrócony z uwagami: "+in.Note)}); err != nil {
				return err
			}
			s.Stage, s.Drafter = casefile.StageAssigned, ""
			return nil
		}),
		update(ctx, r, UpdateForward, func(in ForwardInput) error {
			if !r.isHandler(in.Actor) && !r.isHead(in.Actor) {
				return refuse("sprawę przekazuje prowadzący lub kierownik")
			}
			if strings.TrimSpace(in.Body) == "" || strings.TrimSpace(in.Reason) == "" {
				return refuse("wskaż organ właściwy i podstawę jego właściwości")
			}
			if in.BoxAddress != "" && !epuapbox.Valid(in.BoxAddress) {
				return refuse("adres skrytki ePUAP ma postać /podmiot/skrytka")
			}
			if s.Stage == casefile.StageAppealed && in.BoxAddress != "" {
				return refuse("przekazania odwołania z aktami przez ePUAP obieg jeszcze nie wykonuje: przekaż akta i odnotuj przekazanie bez adresu skrytki")
			}
			return open(casefile.StageNew, casefile.StageAssigned, casefile.StageAppealed)
		}, func(ctx workflow.Context, in ForwardInput) error {
			if s.Stage == casefile.StageAppealed {
				desc := fmt.Sprintf("Przekazano odwołanie wraz z aktami sprawy organowi odwoławczemu: %s (%s), art. 133 k.p.a.", in.Body, in.Reason)
				if err := r.apply(ctx, r.key(ctx, UpdateForward), casefile.Step{Stage: casefile.StageForwarded, Action: r.by(ctx, in.Actor, "appeal_forwarded", desc)}); err != nil {
					return err
				}
				s.Stage = casefile.StageForwarded
				return nil
			}
			if in.BoxAddress != "" && workflow.GetVersion(ctx, "forward-epuap", workflow.DefaultVersion, 1) == 1 {
				return r.forwardToBody(ctx, in)
			}
			doc, err := r.issue(ctx, r.key(ctx, UpdateForward), letters.KindForwardNotice, "Zawiadomienie o przekazaniu pisma według właściwości",
				"art. 65 § 1 k.p.a. (skargi i wnioski: art. 231 k.p.a.)", in.Actor.Username, in.Actor.Name, in.Actor.Position,
				fmt.Sprintf("Zawiadamiam, że Pani/Pana pismo w sprawie %s („%s”) zostało przekazane do organu właściwego: %s.", r.in.Reference, r.in.Title, in.Body),
				"Uzasadnienie: "+in.Reason+".")
			if err != nil {
				return err
			}
			desc := fmt.Sprintf("Przekazanie według właściwości do: %s (%s), art. 65 § 1 / art. 231 k.p.a.; wnoszący zostanie o tym zawiadomiony.", in.Body, in.Reason)
			if err := r.apply(ctx, r.key(ctx, UpdateForward), casefile.Step{Stage: casefile.StageForwarded, Action: withDoc(r.by(ctx, in.Actor, "forwarded", desc), doc)}); err != nil {
				return err
			}
			s.Stage = casefile.StageForwarded
			return nil
		}),
		update(ctx, r, UpdateRecordAppeal, func(in NoteInput) error {
			if !r.isHandler(in.Actor) && !r.isHead(in.Actor) && in.Actor.Role != "registry" {
				return refuse("odwołanie odnotowuje prowadzący, kierownik lub kancelaria")
			}
			return open(casefile.StageDelivered)
		}, func(ctx workflow.Context, in NoteInput) error {
			today := r.today(ctx)
			due := deadlines.Due(today, deadlines.Term{N: AppealForwardDays, Unit: deadlines.Days}, r.cal, nil)
			timely := fmt.Sprintf("w terminie (do %s)", s.AppealEnds)
			if today.After(s.AppealEnds) {
				timely = fmt.Sprintf("po terminie, który upłynął %s – o uchybieniu terminu rozstrzyga organ odwoławczy (art. 134 k.p.a.)", s.AppealEnds)
			}
			desc := fmt.Sprintf("Wniesiono odwołanie od decyzji doręczonej %s, %s. Organ przekazuje je wraz z aktami sprawy organowi odwoławczemu do %s (art. 133 k.p.a.), chyba że sam uchyli lub zmieni decyzję (art. 132 k.p.a.).",
				s.DeliveredOn, timely, due)
			if strings.TrimSpace(in.Note) != "" {
				desc += " " + strings.TrimSpace(in.Note)
			}
			if err := r.apply(ctx, r.key(ctx, UpdateRecordAppeal), casefile.Step{Stage: casefile.StageAppealed, Action: r.by(ctx, in.Actor, "appealed", desc)}); err != nil {
				return err
			}
			s.Stage, s.AppealForwardDue, s.AppealForwardLate = casefile.StageAppealed, due, false
			return nil
		}),
		update(ctx, r, UpdateSettle, func(in NoteInput) error {
			if !r.isHandler(in.Actor) && !r.isHead(in.Actor) {
				return refuse("sprawę zamyka prowadzący lub kierownik")
			}
			if err := open(casefile.StageDelivered); err != nil {
				return err
			}
			if !s.AppealReview {
				return refuse("sprawa zakończy się sama z upływem terminu na odwołanie (%s)", s.AppealEnds)
			}
			return nil
		}, func(ctx workflow.Context, in NoteInput) error {
			desc := "Sprawa zakończona: pisma, które wpłynęły w terminie na odwołanie, nie są odwołaniem."
			if strings.TrimSpace(in.Note) != "" {
				desc += " " + strings.TrimSpace(in.Note)
			}
			if err := r.apply(ctx, r.key(ctx, UpdateSettle), casefile.Step{Stage: casefile.StageSettled, Action: r.by(ctx, in.Actor, "settled", desc)}); err != nil {
				return err
			}
			s.Stage = casefile.StageSettled
			return nil
		}),
		update(ctx, r, UpdateWithdraw, func(in NoteInput) error {
			if !r.isHandler(in.Actor) && !r.isHead(in.Actor) && in.Actor.Role != "registry" {
				return refuse("wycofanie podania odnotowuje prowadzący, kierownik lub kancelaria")
			}
			return open(casefile.StageNew, casefile.StageAssigned, casefile.StageAwaitingParty, casefile.StageSuspended, casefile.StageDraftReview)
		}, func(ctx workflow.Context, in NoteInput) error {
			desc := "Strona wycofała podanie. " + in.Note
			if err := r.apply(ctx, r.key(ctx, UpdateWithdraw), casefile.Step{Stage: casefile.StageWithdrawn, Action: r.by(ctx, in.Actor, "withdrawn", desc)}); err != nil {
				return err
			}
			s.Stage = casefile.StageWithdrawn
			return nil
		}),
	)
}

// forwardToBody forwards the case to the competent body through ePUAP: the submission as
// received (and the signed forwarding letter, if the case has one) goes to the body's box
// through doręczyciel, then the party is notified and the case is forwarded. The UPD comes
// later, to the office's box, and the intake records it in the case's history. Refused by
// ePUAP, the case stays where it was, the refusal in its history, and the caller is told why.
func (r *caseRun) forwardToBody(ctx workflow.Context, in ForwardInput) error {
	s := r.s
	key := r.key(ctx, UpdateForward)
	var sent contract.ForwardSent
	err := workflow.ExecuteActivity(deliveryOptions(ctx), contract.ForwardToBody, contract.ForwardSendInput{
		CaseID: r.in.CaseID, Reference: r.in.Reference, Box: in.BoxAddress,
		Key: r.wfID + "/" + key, By: in.Actor.Username, At: workflow.Now(ctx),
	}).Get(ctx, &sent)
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && (appErr.Type() == contract.ErrTypeNoEPUAP || appErr.Type() == contract.ErrTypeInvalid) {
		return refuse("%s", appErr.Message())
	}
	if err != nil {
		return err
	}
	if len(sent.Deliveries) == 0 || sent.Deliveries[0].Status == delivery.StatusRejected {
		if err := r.apply(ctx, key, casefile.Step{Stage: s.Stage, Action: r.by(ctx, in.Actor, "forward_rejected",
			fmt.Sprintf("Przekazanie do %s przez ePUAP (skrytka %s) nie powiodło się: %s", in.Body, in.BoxAddress, sent.Rejected))}); err != nil {
			return err
		}
		return refuse("%s", sent.Rejected)
	}
	var what []string
	for i, d := range sent.Deliveries {
		name := "pismo strony"
		if i > 0 {
			name = "pismo przekazujące"
		}
		if d.Status == delivery.StatusRejected {
			what = append(what, fmt.Sprintf("%s – nie wysłano: %s", name, d.Reason))
			continue
		}
		what = append(what, fmt.Sprintf("%s (dokument ePUAP %s)", name, d.MessageID))
	}
	doc, err := r.issue(ctx, key, letters.KindForwardNotice, "Zawiadomienie o przekazaniu pisma według właściwości",
		"art. 65 § 1 k.p.a. (skargi i wnioski: art. 231 k.p.a.)", in.Actor.Username, in.Actor.Name, in.Actor.Position,
		fmt.Sprintf("Zawiadamiam, że Pani/Pana pismo w sprawie %s („%s”) zostało przekazane do organu właściwego: %s.", r.in.Reference, r.in.Title, in.Body),
		"Uzasadnienie: "+in.Reason+".")
	if err != nil {
		return err
	}
	desc := fmt.Sprintf("Przekazanie według właściwości do: %s (%s), art. 65 § 1 / art. 231 k.p.a. Wysłano przez ePUAP (doręczyciel) do skrytki %s: %s. "+
		"Doręczenie potwierdzi UPD. Wnoszący zostanie o tym zawiadomiony.", in.Body, in.Reason, in.BoxAddress, strings.Join(what, "; "))
	if err := r.apply(ctx, key, casefile.Step{Stage: casefile.StageForwarded, Action: withDoc(r.by(ctx, in.Actor, "forwarded", desc), doc)}); err != nil {
		return err
	}
	s.Stage = casefile.StageForwarded
	return nil
}

// answer is the letter the head signs: the accepted draft as an answer, or as a decision with
// its ruling, justification and instruction on appeal.
func (r *caseRun) answer(by Actor, party string, on civil.Date) letters.Letter {
	s := r.s
	title := "Odpowiedź w sprawie: " + r.in.Title
	if s.DraftTitle != "" {
		title = s.DraftTitle
	}
	l := letters.Letter{Kind: letters.KindAnswer, Date: on, Reference: r.in.Reference, Addressee: party, AddresseeBox: r.in.PartyID,
		Title: title, Body: []string{s.Draft}, Signatory: by.Name, Position: by.Position}
	if s.DraftKind == letters.KindDecision {
		l.Kind, l.Title, l.Basis = letters.KindDecision, "DECYZJA", s.DraftBasis
		l.Ruling = []string{s.DraftRuling}
		l.Instruction = []string{fmt.Sprintf("Od decyzji przysługuje odwołanie do samorządowego kolegium odwoławczego, "+
			"wnoszone za pośrednictwem organu, który ją wydał, w terminie %d dni od dnia jej doręczenia (art. 127 § 1, art. 129 § 1 i 2 k.p.a.). "+
			"W terminie na wniesienie odwołania strona może zrzec się prawa do jego wniesienia (art. 127a k.p.a.).", AppealDays)}
		if s.DraftInstruction != "" {
			l.Instruction = []string{s.DraftInstruction}
		}
	}
	return l
}

func withDoc(a casefile.Action, doc string) casefile.Action {
	a.DocumentID = doc
	return a
}

func polishTerm(t deadlines.Term) string {
	switch t.Unit {
	case deadlines.Months:
		if t.N == 1 {
			return "1 miesiąc"
		}
		return fmt.Sprintf("%d mies.", t.N)
	case deadlines.Weeks:
		return fmt.Sprintf("%d tyg.", t.N)
	}
	return fmt.Sprintf("%d dni", t.N)
}
