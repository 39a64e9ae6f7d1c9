package workflows

import (
	"errors"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/obieg/obieg/activities/contract"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/casehistory"
	"github.com/obieg/obieg/internal/domain/delivery"
	"github.com/obieg/obieg/internal/domain/letters"
	"github.com/obieg/obieg/internal/domain/lifecycle"
)

// forward forwards the case to the competent body (art. 65 / 231 KPA), by ePUAP when a box
// is given, and notifies the party; an appealed case's appeal is recorded as passed with the
// files to the appeal body (art. 133 KPA).
func (r *caseRun) forward(ctx workflow.Context, in ForwardInput) error {
	s := r.s
	if s.Stage == lifecycle.Appealed {
		if err := r.apply(ctx, r.key(ctx, UpdateForward), casefile.Step{Stage: lifecycle.Forwarded,
			Action: r.by(ctx, in.Actor, casehistory.AppealForwarded(in.Body, in.Reason))}); err != nil {
			return err
		}
		s.Stage = lifecycle.Forwarded
		return nil
	}
	if in.BoxAddress != "" && workflow.GetVersion(ctx, "forward-epuap", workflow.DefaultVersion, 1) == 1 {
		return r.forwardToBody(ctx, in)
	}
	doc, err := r.issue(ctx, r.key(ctx, UpdateForward), letters.ForwardNotice(r.in.Reference, r.in.Title, in.Body, in.Reason),
		in.Actor.Username, in.Actor.Name, in.Actor.Position)
	if err != nil {
		return err
	}
	if err := r.apply(ctx, r.key(ctx, UpdateForward), casefile.Step{Stage: lifecycle.Forwarded,
		Action: withDoc(r.by(ctx, in.Actor, casehistory.Forwarded(in.Body, in.Reason)), doc)}); err != nil {
		return err
	}
	s.Stage = lifecycle.Forwarded
	return nil
}

// forwardToBody forwards the case to the competent body through ePUAP: the submission as
// received (and the signed forwarding letter, if the case has one) goes to the body's box
// through doręczyciel, then the party is notified and the case is forwarded. The UPD comes
// later, to the office's box, and the intake records it in the case's history. Refused by
// ePUAP, the case stays where it was, the refusal in its history, and the caller is told why.
func (r *caseRun) forwardToBody(ctx workflow.Context, in ForwardInput) error {
	s := r.s
	key := r.key(ctx, UpdateForward)
	var sent contract.ForwardSent
	err := workflow.ExecuteActivity(deliveryOptions(ctx), contract.ForwardToBody, contract.ForwardSendInput{
		CaseID: r.in.CaseID, Reference: r.in.Reference, Box: in.BoxAddress,
		Key: r.wfID + "/" + key, By: in.Actor.Username, At: workflow.Now(ctx),
	}).Get(ctx, &sent)
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && (appErr.Type() == contract.ErrTypeNoEPUAP || appErr.Type() == contract.ErrTypeInvalid) {
		return refuse("%s", appErr.Message())
	}
	if err != nil {
		return err
	}
	if len(sent.Deliveries) == 0 || sent.Deliveries[0].Status == delivery.StatusRejected {
		if err := r.apply(ctx, key, casefile.Step{Stage: s.Stage,
			Action: r.by(ctx, in.Actor, casehistory.ForwardRejected(in.Body, in.BoxAddress, sent.Rejected))}); err != nil {
			return err
		}
		return refuse("%s", sent.Rejected)
	}
	var what []casehistory.Sent
	for _, d := range sent.Deliveries {
		if d.Status == delivery.StatusRejected {
			what = append(what, casehistory.Sent{Rejected: true, Reason: d.Reason})
			continue
		}
		what = append(what, casehistory.Sent{MessageID: d.MessageID})
	}
	doc, err := r.issue(ctx, key, letters.ForwardNotice(r.in.Reference, r.in.Title, in.Body, in.Reason),
		in.Actor.Username, in.Actor.Name, in.Actor.Position)
	if err != nil {
		return err
	}
	if err := r.apply(ctx, key, casefile.Step{Stage: lifecycle.Forwarded,
		Action: withDoc(r.by(ctx, in.Actor, casehistory.ForwardedByEPUAP(in.Body, in.Reason, in.BoxAddress, what)), doc)}); err != nil {
		return err
	}
	s.Stage = lifecycle.Forwarded
	return nil
}
