package workflows

import (
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/obieg/obieg/activities"
	"github.com/obieg/obieg/internal/cases"
	"github.com/obieg/obieg/internal/register"
	"github.com/obieg/obieg/internal/visibility"
)

// Stages of a submission, also its ObiegStage search attribute.
const (
	StageReceived    = "received"
	StageQuarantined = "quarantined"
	StageRegistered  = "registered" // registered, waiting for the registry clerk to route it
	StageRouted      = "routed"     // a case is open
)

// SubmissionResult is where a submission ended.
type SubmissionResult struct {
	SubmissionID     uuid.UUID       `json:"submission_id"`
	Stage            string          `json:"stage"`
	RegisterNumber   register.Number `json:"register_number,omitzero"`
	CaseReference    string          `json:"case_reference,omitempty"`
	Unit             string          `json:"unit,omitempty"`
	QuarantineReason string          `json:"quarantine_reason,omitempty"`
}

// Submission carries one received document: it records it, recognises its form, and either
// quarantines it with a reason, or registers it in the incoming register, routes it by form
// type to a JRWA class and unit, and opens its case.
//
// Inspection verifies every signature (the ETSI report is stored beside the document): a
// broken signature, or one that does not cover the whole document, quarantines it; an
// unsigned one is registered with that verdict, for the handler to call for a remedy.
//
// Not yet here: the registry clerk's resolution of quarantined and unrouted submissions. A
// submission whose form has no routing rule ends registered and unrouted.
func Submission(ctx workflow.Context, in activities.Received) (SubmissionResult, error) {
	var a *activities.Submission
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
		},
	})
	logger := workflow.GetLogger(ctx)
	res := SubmissionResult{Stage: StageReceived}

	if err := workflow.ExecuteActivity(ctx, a.Record, activities.RecordInput{
		Received: in, WorkflowID: workflow.GetInfo(ctx).WorkflowExecution.ID,
	}).Get(ctx, &res.SubmissionID); err != nil {
		return res, err
	}

	var insp activities.Inspection
	if err := workflow.ExecuteActivity(ctx, a.Inspect, in.Raw).Get(ctx, &insp); err != nil {
		return res, err
	}
	if insp.Refused {
		if err := workflow.ExecuteActivity(ctx, a.Quarantine, activities.QuarantineInput{
			SubmissionID: res.SubmissionID, Reason: insp.Reason, Detail: insp.Detail, At: workflow.Now(ctx),
		}).Get(ctx, nil); err != nil {
			return res, err
		}
		res.Stage, res.QuarantineReason = StageQuarantined, insp.Reason
		if err := upsertStage(ctx, res.Stage); err != nil {
			return res, err
		}
		logger.Info("submission quarantined", "submission_id", res.SubmissionID, "reason", insp.Reason)
		return res, nil
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, visibility.FormType.ValueSet(insp.Detection.FormType)); err != nil {
		return res, err
	}

	if err := workflow.ExecuteActivity(ctx, a.Register, activities.RegisterInput{
		SubmissionID: res.SubmissionID, Detection: insp.Detection, Signatures: insp.Signatures, At: workflow.Now(ctx),
	}).Get(ctx, &res.RegisterNumber); err != nil {
		return res, err
	}
	res.Stage = StageRegistered
	if err := upsertStage(ctx, res.Stage); err != nil {
		return res, err
	}

	var routed activities.Routed
	if err := workflow.ExecuteActivity(ctx, a.Route, insp.Detection.FormType).Get(ctx, &routed); err != nil {
		return res, err
	}
	if !routed.Found {
		logger.Info("no routing rule; left for the registry clerk", "submission_id", res.SubmissionID, "form_type", insp.Detection.FormType)
		return res, nil
	}

	var c cases.Case
	if err := workflow.ExecuteActivity(ctx, a.OpenCase, activities.OpenCaseInput{
		SubmissionID: res.SubmissionID, Unit: routed.Rule.Unit, Class: routed.Rule.Class,
		Title: insp.Detection.Title, At: workflow.Now(ctx),
	}).Get(ctx, &c); err != nil {
		return res, err
	}
	res.Stage, res.CaseReference, res.Unit = StageRouted, c.Reference, c.Unit

	// Version 1 hands the case to its own long-running workflow. Histories recorded before
	// it ended here.
	if workflow.GetVersion(ctx, "start-case-workflow", workflow.DefaultVersion, 1) == 1 {
		child := workflow.ExecuteChildWorkflow(workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID:            CaseWorkflowID(c.Reference),
			ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
			WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
			TypedSearchAttributes: temporal.NewSearchAttributes(
				visibility.CaseRef.ValueSet(c.Reference),
				visibility.Unit.ValueSet(c.Unit),
				visibility.Stage.ValueSet(cases.StageNew),
			),
		}), CaseName, CaseInput{
			CaseID: c.ID, Reference: c.Reference, Unit: c.Unit, Title: c.Title,
			ReceivedAt: in.ReceivedAt, Term: routed.Rule.Term,
		})
		if err := child.GetChildWorkflowExecution().Get(ctx, nil); err != nil && !temporal.IsWorkflowExecutionAlreadyStartedError(err) {
			return res, err
		}
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx,
		visibility.Stage.ValueSet(res.Stage),
		visibility.CaseRef.ValueSet(c.Reference),
		visibility.Unit.ValueSet(c.Unit),
	); err != nil {
		return res, err
	}
	logger.Info("case opened", "submission_id", res.SubmissionID, "case_ref", c.Reference)
	return res, nil
}

func upsertStage(ctx workflow.Context, stage string) error {
	return workflow.UpsertTypedSearchAttributes(ctx, visibility.Stage.ValueSet(stage))
}
