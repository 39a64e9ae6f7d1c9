package workflows

import (
	"errors"
	"strings"
	"time"

	"github.com/obieg/obieg/activities/contract"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/obieg/obieg/internal/adapters/visibility"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/domain/incoming"
	"github.com/obieg/obieg/internal/domain/lifecycle"
)

// Stages of a submission, also its ObiegStage search attribute.
const (
	StageReceived    = "received"
	StageQuarantined = "quarantined"
	StageRegistered  = "registered" // registered, waiting for the registry clerk to route it
	StageRouted      = "routed"     // a case is open
	StageJoined      = "joined"     // joined to the open case whose reference it names
)

// SubmissionResult is where a submission ended.
type SubmissionResult struct {
	SubmissionID     uuid.UUID       `json:"submission_id"`
	Stage            string          `json:"stage"`
	RegisterNumber   incoming.Number `json:"register_number,omitzero"`
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
func Submission(ctx workflow.Context, in contract.Received) (SubmissionResult, error) {
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

	if err := workflow.ExecuteActivity(ctx, contract.Record, contract.RecordInput{
		Received: in, WorkflowID: workflow.GetInfo(ctx).WorkflowExecution.ID,
	}).Get(ctx, &res.SubmissionID); err != nil {
		return res, err
	}

	var insp contract.Inspection
	inspect := contract.Inspect
	if in.Channel == contract.ChannelEDoreczenia && in.ContentType == contract.MessageContentType {
		// A letter that came through e-Doręczenia without an XML document of its own: the
		// message is the document (no history before the e-Doręczenia intake has one).
		inspect = contract.InspectMessage
	}
	if in.Quarantine != "" {
		// The intake found why already (a UPD that does not verify or matches no sending):
		// it is no form to inspect. Histories recorded before the field existed lack it.
		insp = contract.Inspection{Refused: true, Reason: in.Quarantine, Detail: in.QuarantineDetail}
	} else if err := workflow.ExecuteActivity(ctx, inspect, in.Raw).Get(ctx, &insp); err != nil {
		return res, err
	}
	if insp.Refused {
		if err := workflow.ExecuteActivity(ctx, contract.Quarantine, contract.QuarantineInput{
			SubmissionID: res.SubmissionID, Reason: insp.Reason, Detail: insp.Detail, At: workflow.Now(ctx),
		}).Get(ctx, nil); err != nil {
			return res, err
		}
		res.Stage, res.QuarantineReason = StageQuarantined, insp.Reason
		if err := upsertStage(ctx, res.Stage); err != nil {
			return res, err
		}
		logger.Info("submission quarantined", "submission_id", res.SubmissionID, "reason", insp.Reason)
		return awaitRegistry(ctx, in, &res, insp)
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, visibility.FormType.ValueSet(insp.Detection.FormType)); err != nil {
		return res, err
	}

	if err := workflow.ExecuteActivity(ctx, contract.Register, contract.RegisterInput{
		SubmissionID: res.SubmissionID, Detection: insp.Detection, Signatures: insp.Signatures, At: workflow.Now(ctx),
	}).Get(ctx, &res.RegisterNumber); err != nil {
		return res, err
	}
	res.Stage = StageRegistered
	if err := upsertStage(ctx, res.Stage); err != nil {
		return res, err
	}

	// Version 1 joins a general letter that names an open case's reference to that case (the
	// party's reply to a call to remedy, a further letter in the matter, an appeal) instead of
	// routing it as a new matter. The centre's own forms (an application, a complaint, a
	// report) always open their own case, whatever they mention: a complaint about a case is a
	// matter of its own. Histories recorded before it routed every letter.
	if insp.Detection.FormType == forms.GeneralLetter && workflow.GetVersion(ctx, "join-case", workflow.DefaultVersion, 1) == 1 {
		var j contract.Joined
		if err := workflow.ExecuteActivity(ctx, contract.JoinExisting, contract.JoinInput{SubmissionID: res.SubmissionID, Raw: in.Raw}).Get(ctx, &j); err != nil {
			return res, err
		}
		if j.Reference != "" {
			return res, joinCase(ctx, in, &res, j, insp.Detection.Title)
		}
	}

	var routed contract.Routed
	if err := workflow.ExecuteActivity(ctx, contract.Route, insp.Detection.FormType).Get(ctx, &routed); err != nil {
		return res, err
	}
	if !routed.Found {
		logger.Info("no routing rule; left for the registry clerk", "submission_id", res.SubmissionID, "form_type", insp.Detection.FormType)
		return awaitRegistry(ctx, in, &res, insp)
	}
	if err := openCase(ctx, in, &res, insp.Detection.FormType, routed.Rule.Unit, routed.Rule.Class, insp.Detection.Title, routed.Rule.Term); err != nil {
		return res, err
	}
	return res, nil
}

// openCase opens the submission's case in unit under class and hands it to its workflow.
func openCase(ctx workflow.Context, in contract.Received, res *SubmissionResult, formType, unit, class, title, term string) error {
	var c casefile.Case
	if err := workflow.ExecuteActivity(ctx, contract.OpenCase, contract.OpenCaseInput{
		SubmissionID: res.SubmissionID, Unit: unit, Class: class, Title: title, At: workflow.Now(ctx),
	}).Get(ctx, &c); err != nil {
		return err
	}
	res.Stage, res.CaseReference, res.Unit = StageRouted, c.Reference, c.Unit

	// Version 1 hands the case to its own long-running workflow. Histories recorded before
	// it ended here.
	if workflow.GetVersion(ctx, "start-case-workflow", workflow.DefaultVersion, 1) == 1 {
		child := workflow.ExecuteChildWorkflow(workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID:            CaseWorkflowID(in.IDPrefix, c.Reference),
			ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
			WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
			TypedSearchAttributes: temporal.NewSearchAttributes(
				visibility.CaseRef.ValueSet(c.Reference),
				visibility.Unit.ValueSet(c.Unit),
				visibility.Stage.ValueSet(casefile.StageNew),
			),
		}), CaseName, CaseInput{
			CaseID: c.ID, Reference: c.Reference, Unit: c.Unit, Title: c.Title,
			ReceivedAt: in.ReceivedAt, Term: term, Party: in.SenderName, PartyID: in.SenderID,
			FormType: formType, Document: in.Raw,
		})
		if err := child.GetChildWorkflowExecution().Get(ctx, nil); err != nil && !temporal.IsWorkflowExecutionAlreadyStartedError(err) {
			return err
		}
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx,
		visibility.Stage.ValueSet(res.Stage),
		visibility.CaseRef.ValueSet(c.Reference),
		visibility.Unit.ValueSet(c.Unit),
	); err != nil {
		return err
	}
	workflow.GetLogger(ctx).Info("case opened", "submission_id", res.SubmissionID, "case_ref", c.Reference)
	return nil
}

// joinCase tells the workflow of the open case j that the submission, joined to it, has
// come: the case files it in its history. If the case's workflow has ended since the case was
// found open, the letter is written into its history directly.
func joinCase(ctx workflow.Context, in contract.Received, res *SubmissionResult, j contract.Joined, title string) error {
	res.Stage, res.CaseReference, res.Unit = StageJoined, j.Reference, j.Unit
	letter := LetterInput{SubmissionID: res.SubmissionID.String(), Number: res.RegisterNumber.String(), Title: title,
		Sender: in.SenderName, Channel: in.Channel, ReceivedAt: in.ReceivedAt}
	err := workflow.SignalExternalWorkflow(ctx, CaseWorkflowID(in.IDPrefix, j.Reference), "", SignalLetter, letter).Get(ctx, nil)
	if err != nil {
		if err := workflow.ExecuteActivity(ctx, contract.NoteJoined, contract.NoteJoinedInput{CaseID: j.CaseID, Key: letterKey(letter),
			Data: letter.joined("").Data, At: workflow.Now(ctx)}).Get(ctx, nil); err != nil {
			return err
		}
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx,
		visibility.Stage.ValueSet(res.Stage),
		visibility.CaseRef.ValueSet(j.Reference),
		visibility.Unit.ValueSet(j.Unit),
	); err != nil {
		return err
	}
	workflow.GetLogger(ctx).Info("letter joined to its case", "submission_id", res.SubmissionID, "case_ref", j.Reference)
	return nil
}

// Registry actions on a submission the workflow could not carry on its own.
const (
	UpdateRouteSubmission   = "route"   // register (if quarantined) and route by hand
	UpdateDismissSubmission = "dismiss" // a quarantined submission is closed unregistered
	StageDismissed          = "dismissed"
	// ManualFormType is the form type of a document the registry clerk registered by hand.
	ManualFormType = "wpis-reczny"
	// DefaultTerm is the KPA term of a case routed by hand (art. 35 §3).
	DefaultTerm = "1m"
)

// RouteInput is the registry clerk's routing of a submission.
type RouteInput struct {
	Actor Actor  `json:"actor"`
	Unit  string `json:"unit"`
	Class string `json:"jrwa_class"`
	// Title is the title entered in the register when the document had none readable.
	Title string `json:"title"`
}

// DismissInput is the registry clerk's dismissal of a quarantined submission.
type DismissInput struct {
	Actor Actor  `json:"actor"`
	Note  string `json:"note"`
}

// awaitRegistry waits for the registry clerk to resolve a submission the workflow could not
// carry: a quarantined one is registered and routed by hand, or dismissed; a registered one
// without a routing rule is routed by hand. Histories recorded before this existed ended here.
func awaitRegistry(ctx workflow.Context, in contract.Received, res *SubmissionResult, insp contract.Inspection) (SubmissionResult, error) {
	if workflow.GetVersion(ctx, "registry-resolution", workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return *res, nil
	}
	done := false
	registry := func(actor Actor) error {
		if actor.Role != lifecycle.RoleRegistry && actor.Role != lifecycle.RoleAdmin {
			return refuse("wpływy rozstrzyga kancelaria")
		}
		if done {
			return refuse("wpływ został już rozstrzygnięty")
		}
		return nil
	}
	err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateRouteSubmission, func(ctx workflow.Context, r RouteInput) (SubmissionResult, error) {
		ctx = activityOptions(ctx)
		check := workflow.WithRetryPolicy(ctx, temporal.RetryPolicy{InitialInterval: time.Second, MaximumAttempts: 3})
		if err := workflow.ExecuteActivity(check, contract.CheckRoute, r.Unit, r.Class).Get(ctx, nil); err != nil {
			var appErr *temporal.ApplicationError
			if errors.As(err, &appErr) && appErr.Type() == contract.ErrTypeInvalid {
				return *res, refuse("%s", appErr.Message())
			}
			return *res, err
		}
		title := strings.TrimSpace(r.Title)
		if res.Stage == StageQuarantined {
			det := insp.Detection
			if det.FormType == "" {
				det.FormType = ManualFormType
			}
			if title != "" {
				det.Title = title
			}
			if err := workflow.ExecuteActivity(ctx, contract.Register, contract.RegisterInput{
				SubmissionID: res.SubmissionID, Detection: det, Signatures: insp.Signatures, At: workflow.Now(ctx),
			}).Get(ctx, &res.RegisterNumber); err != nil {
				return *res, err
			}
			res.Stage, res.QuarantineReason = StageRegistered, ""
		}
		if title == "" {
			title = insp.Detection.Title
		}
		if err := openCase(ctx, in, res, insp.Detection.FormType, r.Unit, r.Class, title, DefaultTerm); err != nil {
			return *res, err
		}
		done = true
		return *res, nil
	}, workflow.UpdateHandlerOptions{Validator: func(r RouteInput) error {
		if err := registry(r.Actor); err != nil {
			return err
		}
		if strings.TrimSpace(r.Unit) == "" || strings.TrimSpace(r.Class) == "" {
			return refuse("wskaż komórkę i klasę JRWA")
		}
		if res.Stage == StageQuarantined && strings.TrimSpace(r.Title) == "" && insp.Detection.Title == "" {
			return refuse("podaj tytuł pisma do rejestru")
		}
		return nil
	}})
	if err != nil {
		return *res, err
	}
	err = workflow.SetUpdateHandlerWithOptions(ctx, UpdateDismissSubmission, func(ctx workflow.Context, d DismissInput) (SubmissionResult, error) {
		if err := workflow.ExecuteActivity(activityOptions(ctx), contract.Dismiss, contract.DismissInput{
			SubmissionID: res.SubmissionID, Actor: d.Actor.Username, ActorRole: d.Actor.Role, Note: d.Note, At: workflow.Now(ctx),
		}).Get(ctx, nil); err != nil {
			return *res, err
		}
		res.Stage, done = StageDismissed, true
		return *res, upsertStage(ctx, res.Stage)
	}, workflow.UpdateHandlerOptions{Validator: func(d DismissInput) error {
		if err := registry(d.Actor); err != nil {
			return err
		}
		if res.Stage != StageQuarantined {
			return refuse("odrzucić można tylko wpływ w kwarantannie")
		}
		if strings.TrimSpace(d.Note) == "" {
			return refuse("podaj powód")
		}
		return nil
	}})
	if err != nil {
		return *res, err
	}
	if err := workflow.Await(ctx, func() bool { return done && workflow.AllHandlersFinished(ctx) }); err != nil {
		return *res, err
	}
	return *res, nil
}

func upsertStage(ctx workflow.Context, stage string) error {
	return workflow.UpsertTypedSearchAttributes(ctx, visibility.Stage.ValueSet(stage))
}
