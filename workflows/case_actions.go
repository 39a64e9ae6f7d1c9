package workflows

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/obieg/obieg/activities/contract"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/casehistory"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/deadlines"
	"github.com/obieg/obieg/internal/domain/letters"
	"github.com/obieg/obieg/internal/domain/lifecycle"
)

// caseHandler carries out an action of the table: its update's handler.
type caseHandler interface {
	register(ctx workflow.Context, r *caseRun, act lifecycle.Action) error
}

// handle is the handler of an action whose input is T: act carries it out, under the case's
// lock, after the table's row allowed it.
type handle[T any] struct {
	act func(*caseRun, workflow.Context, T) error
}

// caseHandlers are the handlers of the table's actions, by name: one function each.
var caseHandlers = map[string]caseHandler{
	lifecycle.Assign:         handle[AssignInput]{act: (*caseRun).assign},
	lifecycle.RequestRemedy:  handle[RemedyInput]{act: (*caseRun).requestRemedy},
	lifecycle.RecordReply:    handle[NoteInput]{act: (*caseRun).recordReply},
	lifecycle.SubmitDraft:    handle[DraftInput]{act: (*caseRun).submitDraft},
	lifecycle.Accept:         handle[NoteInput]{act: (*caseRun).accept},
	lifecycle.GrantCards:     handle[NoteInput]{act: (*caseRun).grantCards},
	lifecycle.Dispatch:       handle[DispatchInput]{act: (*caseRun).dispatch},
	lifecycle.RecordDelivery: handle[DeliveryInput]{act: (*caseRun).recordDelivery},
	lifecycle.RecordAppeal:   handle[NoteInput]{act: (*caseRun).recordAppeal},
	lifecycle.Settle:         handle[NoteInput]{act: (*caseRun).settle},
	lifecycle.Sign:           handle[NoteInput]{act: (*caseRun).sign},
	lifecycle.Return:         handle[NoteInput]{act: (*caseRun).returnDraft},
	lifecycle.Suspend:        handle[NoteInput]{act: (*caseRun).suspend},
	lifecycle.Resume:         handle[NoteInput]{act: (*caseRun).resume},
	lifecycle.Forward:        handle[ForwardInput]{act: (*caseRun).forward},
	lifecycle.Withdraw:       handle[NoteInput]{act: (*caseRun).withdraw},
	lifecycle.Evidence:       handle[EvidenceInput]{act: (*caseRun).evidence},
}

// registerUpdates registers an update for every action of the table.
func (r *caseRun) registerUpdates(ctx workflow.Context) error {
	var errs []error
	for _, act := range lifecycle.Actions() {
		h, ok := caseHandlers[act.Name]
		if !ok {
			errs = append(errs, fmt.Errorf("case action %s has no handler", act.Name))
			continue
		}
		errs = append(errs, h.register(ctx, r, act))
	}
	return errors.Join(errs...)
}

// register registers the update of act: the row's rules run in the validator and
// again under the lock, since another update may have changed the case in between; act runs
// under the lock and returns the new state to the caller.
func (h handle[T]) register(ctx workflow.Context, r *caseRun, act lifecycle.Action) error {
	var zero T
	if !act.Input.Accepts(zero) {
		return fmt.Errorf("case action %s takes %s, its handler %T", act.Name, act.Input.Name(), zero)
	}
	check := func(ctx workflow.Context, in T) error {
		if err := act.Allows(r.summary(ctx), in); err != nil {
			var refusal *lifecycle.Refusal
			if errors.As(err, &refusal) {
				return refuse("%s", refusal.Reason)
			}
			return err
		}
		return nil
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, act.Name, func(ctx workflow.Context, in T) (CaseState, error) {
		if err := r.mu.Lock(ctx); err != nil {
			return CaseState{}, err
		}
		defer r.mu.Unlock()
		if err := check(ctx, in); err != nil {
			return CaseState{}, err
		}
		before := r.s.Stage
		if err := h.act(r, ctx, in); err != nil {
			return CaseState{}, err
		}
		if r.s.Stage != before && !slices.Contains(act.To, r.s.Stage) {
			workflow.GetLogger(ctx).Error("case action led where the lifecycle table does not say", "case_ref", r.in.Reference,
				"action", act.Name, "from", before, "to", r.s.Stage)
		}
		r.dirty++
		return *r.s, nil
	}, workflow.UpdateHandlerOptions{Validator: check})
}

// summary is what the table's rules know of the case, today.
func (r *caseRun) summary(ctx workflow.Context) lifecycle.Case {
	c := lifecycle.Case{Stage: r.s.Stage, Unit: r.in.Unit, Assignee: r.s.Assignee, FormType: r.in.FormType,
		AppealReview: r.s.AppealReview, AppealEnds: r.s.AppealEnds, Today: r.today(ctx)}
	if r.s.Sending != nil {
		c.AwaitedMessage = r.s.Sending.MessageID
	}
	return c
}

func (r *caseRun) key(ctx workflow.Context, name string) string {
	return name + "/" + workflow.GetCurrentUpdateInfo(ctx).ID
}

// assign assigns the case to the handler named, who must be of the case's unit.
func (r *caseRun) assign(ctx workflow.Context, in AssignInput) error {
	s := r.s
	var who contract.Assignee
	actx := workflow.WithRetryPolicy(activityOptions(ctx), temporal.RetryPolicy{InitialInterval: time.Second, MaximumAttempts: 3})
	if err := workflow.ExecuteActivity(actx, contract.CheckAssignee, in.Assignee, r.in.Unit).Get(ctx, &who); err != nil {
		var appErr *temporal.ApplicationError
		if errors.As(err, &appErr) && appErr.Type() == contract.ErrTypeInvalid {
			return refuse("nie można przydzielić sprawy %s: %s", in.Assignee, appErr.Message())
		}
		return err
	}
	instr := in.Instructions
	if err := r.apply(ctx, r.key(ctx, UpdateAssign), casefile.Step{Stage: lifecycle.Assigned, Assignee: &who.Username,
		Instructions: &instr, Action: r.by(ctx, in.Actor, casehistory.Assigned(who.Name, who.Username, in.Instructions))}); err != nil {
		return err
	}
	s.Stage, s.Assignee = lifecycle.Assigned, who.Username
	return nil
}

// requestRemedy calls the party to remedy formal defects; the case's clock stops meanwhile.
func (r *caseRun) requestRemedy(ctx workflow.Context, in RemedyInput) error {
	s := r.s
	key := r.key(ctx, UpdateRequestRemedy)
	today := r.today(ctx)
	remedyDue := deadlines.Due(today, deadlines.Term{N: in.Days, Unit: deadlines.Days}, r.cal, nil)
	doc, err := r.issue(ctx, key, letters.RemedyRequest(r.in.Reference, r.in.Title, in.Items, in.Days, remedyDue),
		in.Actor.Username, in.Actor.Name, in.Actor.Position)
	if err != nil {
		return err
	}
	if err := r.apply(ctx, key, casefile.Step{Stage: lifecycle.AwaitingParty,
		Action: withDoc(r.by(ctx, in.Actor, casehistory.RemedyRequested(in.Items, in.Days, remedyDue)), doc)}); err != nil {
		return err
	}
	s.Stage, s.PausedSince, s.RemedyDue = lifecycle.AwaitingParty, today, remedyDue
	return nil
}

// recordReply records the party's remedy: the clock runs on.
func (r *caseRun) recordReply(ctx workflow.Context, in NoteInput) error {
	s := r.s
	r.resumeClock(ctx)
	due := s.Due
	if err := r.apply(ctx, r.key(ctx, UpdateRecordReply), casefile.Step{Stage: lifecycle.Assigned, DueOn: &due,
		Action: r.by(ctx, in.Actor, casehistory.RemedyReceived(in.Note, due))}); err != nil {
		return err
	}
	s.Stage, s.RemedyDue = lifecycle.Assigned, civil.Date{}
	return nil
}

// suspend suspends the proceedings; the clock stops.
func (r *caseRun) suspend(ctx workflow.Context, in NoteInput) error {
	s := r.s
	if err := r.apply(ctx, r.key(ctx, UpdateSuspend), casefile.Step{Stage: lifecycle.Suspended,
		Action: r.by(ctx, in.Actor, casehistory.Suspended(in.Note))}); err != nil {
		return err
	}
	s.ResumeStage, s.Stage, s.PausedSince = s.Stage, lifecycle.Suspended, r.today(ctx)
	return nil
}

// resume resumes the proceedings where they stood; the clock runs on.
func (r *caseRun) resume(ctx workflow.Context, in NoteInput) error {
	s := r.s
	r.resumeClock(ctx)
	due := s.Due
	if err := r.apply(ctx, r.key(ctx, UpdateResume), casefile.Step{Stage: s.ResumeStage, DueOn: &due,
		Action: r.by(ctx, in.Actor, casehistory.Resumed(in.Note, due))}); err != nil {
		return err
	}
	s.Stage, s.ResumeStage = s.ResumeStage, ""
	return nil
}

// submitDraft puts the handler's draft to the head.
func (r *caseRun) submitDraft(ctx workflow.Context, in DraftInput) error {
	s := r.s
	if err := r.apply(ctx, r.key(ctx, UpdateSubmitDraft), casefile.Step{Stage: lifecycle.DraftReview,
		Action: withDoc(r.by(ctx, in.Actor, casehistory.DraftSubmitted(in.Kind, in.Summary, in.Ruling)), in.DocumentID)}); err != nil {
		return err
	}
	s.Stage, s.Drafter, s.Draft = lifecycle.DraftReview, in.Actor.Username, in.Summary
	s.DraftKind, s.DraftBasis, s.DraftRuling = in.Kind, in.Basis, in.Ruling
	s.DraftTitle, s.DraftInstruction = strings.TrimSpace(in.Title), strings.TrimSpace(in.Instruction)
	return nil
}

// accept accepts the draft: the case waits for the head's signature.
func (r *caseRun) accept(ctx workflow.Context, in NoteInput) error {
	if err := r.apply(ctx, r.key(ctx, UpdateAccept), casefile.Step{Stage: lifecycle.AwaitingSignature,
		Action: r.by(ctx, in.Actor, casehistory.DraftAccepted(r.s.Drafter, in.Note))}); err != nil {
		return err
	}
	r.s.Stage = lifecycle.AwaitingSignature
	return nil
}

// returnDraft returns the draft to the handler with remarks.
func (r *caseRun) returnDraft(ctx workflow.Context, in NoteInput) error {
	if err := r.apply(ctx, r.key(ctx, UpdateReturn), casefile.Step{Stage: lifecycle.Assigned,
		Action: r.by(ctx, in.Actor, casehistory.DraftReturned(in.Note))}); err != nil {
		return err
	}
	r.s.Stage, r.s.Drafter = lifecycle.Assigned, ""
	return nil
}

// grantCards grants the family cards the rules allow without a decision; members refused
// still need one, so the case stays with the handler until every member has a card.
func (r *caseRun) grantCards(ctx workflow.Context, in NoteInput) error {
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
	var granted []casehistory.Card
	for _, c := range g.Cards {
		granted = append(granted, casehistory.Card{Holder: c.Holder, Number: c.Number, ValidUntil: c.ValidUntil})
	}
	stage := lifecycle.Granted
	if !g.Complete {
		stage = lifecycle.Assigned
	}
	if err := r.apply(ctx, r.key(ctx, UpdateGrantCards), casefile.Step{Stage: stage,
		Action: r.by(ctx, in.Actor, casehistory.CardsGranted(granted, g.Complete))}); err != nil {
		return err
	}
	r.s.Stage = stage
	return nil
}

// withdraw records the party's withdrawal: the case ends.
func (r *caseRun) withdraw(ctx workflow.Context, in NoteInput) error {
	if err := r.apply(ctx, r.key(ctx, UpdateWithdraw), casefile.Step{Stage: lifecycle.Withdrawn,
		Action: r.by(ctx, in.Actor, casehistory.Withdrawn(in.Note))}); err != nil {
		return err
	}
	r.s.Stage = lifecycle.Withdrawn
	return nil
}
