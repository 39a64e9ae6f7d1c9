package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/obieg/obieg/internal/adapters/visibility"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/casehistory"
	"github.com/obieg/obieg/internal/domain/deadlines"
	"github.com/obieg/obieg/internal/domain/lifecycle"
)

// recordAppeal records an appeal against the delivered decision: the office has
// AppealForwardDays to pass it with the files to the appeal body (art. 133 KPA).
func (r *caseRun) recordAppeal(ctx workflow.Context, in NoteInput) error {
	s := r.s
	today := r.today(ctx)
	due := deadlines.Due(today, deadlines.Term{N: AppealForwardDays, Unit: deadlines.Days}, r.cal, nil)
	e := casehistory.Appealed(s.DeliveredOn, s.AppealEnds, due, today.After(s.AppealEnds), in.Note)
	if err := r.apply(ctx, r.key(ctx, UpdateRecordAppeal), casefile.Step{Stage: lifecycle.Appealed, Action: r.by(ctx, in.Actor, e)}); err != nil {
		return err
	}
	s.Stage, s.AppealForwardDue, s.AppealForwardLate = lifecycle.Appealed, due, false
	return nil
}

// settle closes a delivered case whose letters in the appeal period are no appeal.
func (r *caseRun) settle(ctx workflow.Context, in NoteInput) error {
	if err := r.apply(ctx, r.key(ctx, UpdateSettle), casefile.Step{Stage: lifecycle.Settled,
		Action: r.by(ctx, in.Actor, casehistory.SettledNoAppeal(in.Note))}); err != nil {
		return err
	}
	r.s.Stage = lifecycle.Settled
	return nil
}

// appealOver ends the appeal period: with no letters in it the case is settled; with some,
// the handler judges whether one is an appeal, and the case projection says so, for the
// case page to offer settling.
func (r *caseRun) appealOver(ctx workflow.Context) error {
	s := r.s
	if s.Stage != lifecycle.Delivered {
		return nil
	}
	if s.AppealLetters > 0 {
		review := true
		if err := r.apply(ctx, "appeal-review/"+s.AppealEnds.String(), casefile.Step{Stage: s.Stage, AppealReview: &review,
			Action: r.system(ctx, casehistory.AppealReview(s.AppealEnds, s.AppealLetters))}); err != nil {
			return err
		}
		s.AppealReview = true
		return nil
	}
	if err := r.apply(ctx, "settled", casefile.Step{Stage: lifecycle.Settled,
		Action: r.system(ctx, casehistory.AppealOver(s.DeliveredOn, s.AppealEnds))}); err != nil {
		return err
	}
	s.Stage = lifecycle.Settled
	return nil
}

// appealForwardOverdue escalates an appeal not passed on in time.
func (r *caseRun) appealForwardOverdue(ctx workflow.Context) error {
	s := r.s
	if s.Stage != lifecycle.Appealed {
		return nil
	}
	if err := r.apply(ctx, "appeal-late/"+s.AppealForwardDue.String(), casefile.Step{Stage: s.Stage,
		Action: r.system(ctx, casehistory.AppealForwardLate(s.AppealForwardDue))}); err != nil {
		return err
	}
	s.AppealForwardLate = true
	return workflow.UpsertTypedSearchAttributes(ctx, visibility.Stage.ValueSet(overdue))
}
