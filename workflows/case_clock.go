package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/obieg/obieg/internal/adapters/visibility"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/casehistory"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/deadlines"
	"github.com/obieg/obieg/internal/domain/letters"
	"github.com/obieg/obieg/internal/domain/lifecycle"
)

// overdue is the value of the stage search attribute of a case past a deadline: not a stage
// (the case keeps its own) but what the lists of late cases look for.
const overdue = "overdue"

// nextEvent returns when the next clock event falls and what it is: the end of the remedy
// term, the reminder, or the deadline passing; "" when the clock waits for people only.
func (r *caseRun) nextEvent() (time.Time, string) {
	s := r.s
	startOf := func(d civil.Date) time.Time { return d.In(civil.Warsaw) }
	switch {
	case s.Stage == lifecycle.AwaitingParty:
		return startOf(s.RemedyDue.AddDays(1)), "remedy_expired"
	case s.Stage == lifecycle.Suspended:
		return time.Time{}, ""
	case s.Stage == lifecycle.Delivered && s.AppealReview:
		return time.Time{}, ""
	case s.Stage == lifecycle.Delivered:
		return startOf(s.AppealEnds.AddDays(1)), "appeal_over"
	case s.Stage == lifecycle.Dispatched && s.Sending != nil:
		return s.Sending.NextCheck, "delivery_check"
	case s.Stage == lifecycle.Appealed && !s.AppealForwardLate:
		return startOf(s.AppealForwardDue.AddDays(1)), "appeal_forward_overdue"
	case s.Stage == lifecycle.Appealed:
		return time.Time{}, ""
	case !s.Reminded:
		return startOf(deadlines.RemindAt(s.Due, r.in.RemindDays, r.cal)), "reminder"
	case !s.Overdue:
		return startOf(s.Due.AddDays(1)), "overdue"
	}
	return time.Time{}, ""
}

// fire handles a clock event that has come.
func (r *caseRun) fire(ctx workflow.Context, event string) error {
	if err := r.mu.Lock(ctx); err != nil {
		return err
	}
	defer r.mu.Unlock()
	s := r.s
	switch event {
	case "appeal_forward_overdue":
		return r.appealForwardOverdue(ctx)
	case "delivery_check":
		if s.Stage != lifecycle.Dispatched || s.Sending == nil {
			return nil
		}
		s.Sending.Checks++
		s.Sending.NextCheck = workflow.Now(ctx).Add(deliveryChecks[min(s.Sending.Checks, len(deliveryChecks)-1)])
		return r.checkDelivery(ctx)
	case "appeal_over":
		return r.appealOver(ctx)
	case "remedy_expired":
		if s.Stage != lifecycle.AwaitingParty {
			return nil
		}
		if err := r.apply(ctx, "left-unexamined", casefile.Step{Stage: lifecycle.LeftUnexamined,
			Action: r.system(ctx, casehistory.RemedyExpired(s.RemedyDue))}); err != nil {
			return err
		}
		s.Stage = lifecycle.LeftUnexamined
	case "reminder":
		if err := r.apply(ctx, "reminder/"+s.Due.String(), casefile.Step{Stage: s.Stage,
			Action: r.system(ctx, casehistory.DeadlineReminder(s.Due))}); err != nil {
			return err
		}
		s.Reminded = true
	case "overdue":
		late := true
		s.DelayNotices++
		newDue := deadlines.Due(s.Due, r.term, r.cal, nil)
		doc, err := r.issue(ctx, "overdue/"+s.Due.String(), letters.DelayNotice(r.in.Reference, r.in.Title, s.Due, newDue),
			casefile.SystemActor, "", "Kierownik komórki")
		if err != nil {
			return err
		}
		if err := r.apply(ctx, "overdue/"+s.Due.String(), casefile.Step{Stage: s.Stage, Overdue: &late,
			Action: withDoc(r.system(ctx, casehistory.DeadlineMissed(s.Due, newDue)), doc)}); err != nil {
			return err
		}
		s.Overdue = true
		if err := workflow.UpsertTypedSearchAttributes(ctx, visibility.Stage.ValueSet(overdue)); err != nil {
			return err
		}
	}
	return nil
}

// resumeClock closes the running period not counted and extends the due date by it.
func (r *caseRun) resumeClock(ctx workflow.Context) {
	s := r.s
	if s.PausedSince.IsZero() {
		return
	}
	s.Excluded = append(s.Excluded, deadlines.Period{From: s.PausedSince, To: r.today(ctx)})
	s.PausedSince = civil.Date{}
	s.Due = deadlines.Due(s.StartedOn, r.term, r.cal, s.Excluded)
	if !s.Due.Before(r.today(ctx)) {
		s.Reminded, s.Overdue = false, false
	}
}
