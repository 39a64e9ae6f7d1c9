package activities

import (
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/worker"
)

// Register registers the given activities on w, each method under its name in package
// contract (the method's own name). A nil one is left out: a worker without ePUAP forwarding or
// e-Doręczenia has no Forwarding or Mailbox.
func Register(w worker.ActivityRegistry, intake *Intake, submission *Submission, c *Case, d *Delivery, f *Forwarding, mailbox *Mailbox) {
	if f != nil {
		w.RegisterActivityWithOptions(f, activity.RegisterOptions{})
	}
	if mailbox != nil {
		w.RegisterActivityWithOptions(mailbox, activity.RegisterOptions{})
	}
	if d != nil {
		w.RegisterActivityWithOptions(d, activity.RegisterOptions{})
	}
	if c != nil {
		w.RegisterActivityWithOptions(c, activity.RegisterOptions{})
	}
	if intake != nil {
		w.RegisterActivityWithOptions(intake, activity.RegisterOptions{})
	}
	if submission != nil {
		w.RegisterActivityWithOptions(submission, activity.RegisterOptions{})
	}
}
