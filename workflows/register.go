package workflows

import (
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
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
