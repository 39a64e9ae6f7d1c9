package workflows

import (
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/obieg/obieg/activities"
)

// Registered names of the workflows, as other processes start them.
const (
	IntakeName        = "Intake"
	MailboxIntakeName = "MailboxIntake"
	SubmissionName    = "Submission"
	CaseName          = "Case"
)

// RegisterWorkflows registers obieg's workflows under their names on r.
func RegisterWorkflows(r worker.WorkflowRegistry) {
	r.RegisterWorkflowWithOptions(Intake, workflow.RegisterOptions{Name: IntakeName})
	r.RegisterWorkflowWithOptions(MailboxIntake, workflow.RegisterOptions{Name: MailboxIntakeName})
	r.RegisterWorkflowWithOptions(Submission, workflow.RegisterOptions{Name: SubmissionName})
	r.RegisterWorkflowWithOptions(Case, workflow.RegisterOptions{Name: CaseName})
}

// Register registers obieg's workflows and the given activities on w.
func Register(w worker.Registry, intake *activities.Intake, submission *activities.Submission, c *activities.Case, d *activities.Delivery, f *activities.Forwarding, mailbox *activities.Mailbox) {
	RegisterWorkflows(w)
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
