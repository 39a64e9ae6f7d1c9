package workflows

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/obieg/obieg/activities/contract"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/obieg/obieg/activities"
	"github.com/obieg/obieg/internal/domain/edelivery"
)

// TestMailboxIntake: the intake takes each new message once, moves its listing on to the
// newest submission time, waits between listings, and continues as new after MaxPerRun
// messages carrying where the listing stands.
func TestMailboxIntake(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	env.SetStartTime(t0)
	var a *activities.Mailbox
	env.RegisterActivity(a)
	msgs := []edelivery.Summary{
		{MessageID: "m1", SubmissionDate: t0.Add(-2 * time.Hour)},
		{MessageID: "m2", SubmissionDate: t0.Add(-time.Hour)},
		{MessageID: "m3", SubmissionDate: t0.Add(30 * time.Minute)},
	}
	var taken []string
	var listedFrom []time.Time
	env.OnActivity(a.ListMailbox, mock.Anything, mock.Anything).Return(func(_ context.Context, from time.Time) (contract.MailboxPage, error) {
		listedFrom = append(listedFrom, from)
		var page contract.MailboxPage
		for _, m := range msgs {
			if m.SubmissionDate.Before(from) || !env.Now().After(m.SubmissionDate) {
				continue // before the listing starts, or not sent yet
			}
			page.Last = m.SubmissionDate
			done := false
			for _, id := range taken {
				done = done || id == m.MessageID
			}
			if !done {
				page.New = append(page.New, m)
			}
		}
		return page, nil
	})
	env.OnActivity(a.TakeMessage, mock.Anything, mock.Anything).Return(func(_ context.Context, id string) (string, error) {
		taken = append(taken, id)
		return "submission/edoreczenia/" + id, nil
	})
	env.ExecuteWorkflow(MailboxIntake, MailboxIntakeInput{Address: "AE:PL-10000-00001-ROPSA-11", Interval: time.Hour, MaxPerRun: 3})

	var can *workflow.ContinueAsNewError
	if err := env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("the intake ended with %v, want continue-as-new", err)
	}
	if got := len(taken); got != 3 || taken[0] != "m1" || taken[1] != "m2" || taken[2] != "m3" {
		t.Errorf("taken %v, want m1 m2 m3 once each", taken)
	}
	// The first listing from the beginning; the next from m2's time (inclusive), the one
	// after from m3's once it was sent: the mailbox is not listed whole again.
	if len(listedFrom) < 2 || !listedFrom[0].IsZero() || !listedFrom[1].Equal(msgs[1].SubmissionDate) {
		t.Errorf("listings from %v; want the beginning, then %s", listedFrom, msgs[1].SubmissionDate)
	}
	var next MailboxIntakeInput
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
		t.Fatal(err)
	}
	if !next.From.Equal(msgs[2].SubmissionDate) || next.Interval != time.Hour {
		t.Errorf("continues with %+v, want from %s", next, msgs[2].SubmissionDate)
	}
}
