package workflows

import (
	"fmt"
	"time"

	"github.com/obieg/obieg/activities/contract"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// SignalMailboxWake wakes the intake of an e-Doręczenia mailbox: a letter has arrived (the
// service's onMessage callback).
const SignalMailboxWake = "wake"

// MailboxIntakeInput configures the intake of one e-Doręczenia mailbox.
type MailboxIntakeInput struct {
	// Address is the mailbox's electronic delivery address.
	Address string `json:"address"`
	// Interval is how long the intake waits between listings when nothing wakes it.
	Interval time.Duration `json:"interval"`
	// From is where the next listing starts (a submission time); it carries the intake
	// across continue-as-new. Zero lists the mailbox from its beginning.
	From time.Time `json:"from,omitzero"`
	// MaxPerRun is how many messages one run takes before it continues as new; 0 means 200.
	MaxPerRun int `json:"max_per_run"`
}

// MailboxIntakeWorkflowID is the id of the intake workflow of an e-Doręczenia mailbox.
func MailboxIntakeWorkflowID(prefix, address string) string {
	return prefix + "intake/edoreczenia/" + address
}

// MailboxIntake takes the letters of an e-Doręczenia mailbox, for ever: it lists the
// messages submitted since the last listing, and for each one obieg has no submission of,
// stores its bytes and starts its submission workflow (TakeMessage). The mailbox keeps every
// message, and nothing is confirmed to it: what was taken is what has a submission, so a
// crash at any step loses nothing and a repeated step creates nothing twice. Between
// listings it waits Interval, or less when the service's onMessage callback wakes it; the
// operator asks EZD systems not to poll e-Doręczenia in tight loops.
func MailboxIntake(ctx workflow.Context, in MailboxIntakeInput) error {
	if in.Interval <= 0 {
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("mailbox intake interval %s: must be positive", in.Interval), "invalid", nil)
	}
	max := in.MaxPerRun
	if max <= 0 {
		max = 200
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute, // a large letter over a slow service
		// The activities heartbeat: a worker that dies is noticed in half a minute, and the
		// activity retried on another, not five minutes later.
		HeartbeatTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
		},
	})
	wake := workflow.GetSignalChannel(ctx, SignalMailboxWake)
	for taken := 0; taken < max && !workflow.GetInfo(ctx).GetContinueAsNewSuggested(); {
		var page contract.MailboxPage
		if err := workflow.ExecuteActivity(ctx, contract.ListMailbox, in.From).Get(ctx, &page); err != nil {
			return err
		}
		for _, m := range page.New {
			var id string
			if err := workflow.ExecuteActivity(ctx, contract.TakeMessage, m.MessageID).Get(ctx, &id); err != nil {
				return err
			}
			taken++
		}
		if page.Last.After(in.From) {
			in.From = page.Last
		}
		if page.Full && len(page.New) > 0 {
			continue
		}
		// Wait for the interval or a wake-up; wake-ups that came meanwhile are drained, one
		// listing answers them all.
		sel := workflow.NewSelector(ctx)
		sel.AddReceive(wake, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, nil) })
		sel.AddFuture(workflow.NewTimer(ctx, in.Interval), func(workflow.Future) {})
		sel.Select(ctx)
		for wake.ReceiveAsync(nil) {
		}
	}
	for wake.ReceiveAsync(nil) { // a signal left unread would be lost across continue-as-new
	}
	return workflow.NewContinueAsNewError(ctx, MailboxIntake, in)
}
