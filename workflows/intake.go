package workflows

import (
	"errors"
	"fmt"
	"time"

	"github.com/obieg/obieg/activities/contract"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// IntakeInput configures the intake of one box.
type IntakeInput struct {
	// Box names the box, for the logs and the workflow id.
	Box string `json:"box"`
	// Interval is the wait after the box was found empty.
	Interval time.Duration `json:"interval"`
	// MaxPerRun is how many documents one run takes before it continues as new; 0 means 200.
	MaxPerRun int `json:"max_per_run"`
}

// IntakeWorkflowID is the id of the intake workflow of a box: one intake per box.
func IntakeWorkflowID(prefix, box string) string { return prefix + "intake/epuap" + box }

// Intake takes documents from an ePUAP box, one at a time and for ever: each document's
// bytes are stored, then its submission workflow is started, and only then is the document
// confirmed to the box. A UPD (ePUAP's proof that a body collected what the office delivered
// to it) is no submission: verified and recorded against its sending, it is confirmed; one
// that does not verify or matches no sending goes to a submission workflow that quarantines
// it with the reason. Until it is confirmed the box offers the same document again, so a
// failure or a crash at any step loses nothing, and a repeated step creates nothing twice.
// It continues as new after MaxPerRun documents or when Temporal suggests it.
func Intake(ctx workflow.Context, in IntakeInput) error {
	if in.Interval <= 0 {
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("intake interval %s: must be positive", in.Interval), "invalid", nil)
	}
	max := in.MaxPerRun
	if max <= 0 {
		max = 200
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute, // a large document over a slow box
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    5 * time.Minute,
		},
	})
	logger := workflow.GetLogger(ctx)
	for taken := 0; taken < max && !workflow.GetInfo(ctx).GetContinueAsNewSuggested(); {
		var p contract.Pulled
		if err := workflow.ExecuteActivity(ctx, contract.PullNext).Get(ctx, &p); err != nil {
			return err
		}
		if p.Empty {
			if err := workflow.Sleep(ctx, in.Interval); err != nil {
				return err
			}
			continue
		}
		if p.UPD && workflow.GetVersion(ctx, "intake-upd", workflow.DefaultVersion, 1) == 1 {
			took, err := takeUPD(ctx, &p)
			if err != nil {
				return err
			}
			if took {
				if err := workflow.ExecuteActivity(ctx, contract.ConfirmInBox, p.Skrot).Get(ctx, nil); err != nil {
					return err
				}
				logger.Info("UPD taken from the box", "box_document_id", p.Received.BoxDocumentID)
				taken++
				continue
			}
		}
		var workflowID string
		if err := workflow.ExecuteActivity(ctx, contract.StartSubmission, p.Received).Get(ctx, &workflowID); err != nil {
			return err
		}
		if err := workflow.ExecuteActivity(ctx, contract.ConfirmInBox, p.Skrot).Get(ctx, nil); err != nil {
			return err
		}
		logger.Info("document taken from the box", "workflow_id", workflowID)
		taken++
	}
	return workflow.NewContinueAsNewError(ctx, Intake, in)
}

// takeUPD records the UPD p against the sending it proves delivered and reports whether it
// did; otherwise it marks p to be quarantined with the reason. A UPD that can never be
// recorded (a non-retryable failure) is quarantined too, rather than ending the intake.
func takeUPD(ctx workflow.Context, p *contract.Pulled) (bool, error) {
	var t contract.UPDTaken
	err := workflow.ExecuteActivity(ctx, contract.TakeUPD, p.Received).Get(ctx, &t)
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && appErr.NonRetryable() {
		t = contract.UPDTaken{Reason: contract.ReasonUPDInvalid, Detail: "nie udało się zapisać poświadczenia: " + appErr.Message()}
	} else if err != nil {
		return false, err
	}
	if t.Reason == "" {
		return true, nil
	}
	p.Received.Quarantine, p.Received.QuarantineDetail = t.Reason, t.Detail
	workflow.GetLogger(ctx).Warn("UPD quarantined", "box_document_id", p.Received.BoxDocumentID, "reason", t.Reason)
	return false, nil
}
