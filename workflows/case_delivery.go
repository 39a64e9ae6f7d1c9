package workflows

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/obieg/obieg/activities/contract"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/casehistory"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/deadlines"
	"github.com/obieg/obieg/internal/domain/delivery"
	"github.com/obieg/obieg/internal/domain/letters"
	"github.com/obieg/obieg/internal/domain/lifecycle"
)

// The schedule on which a case asks e-Doręczenia for the evidences of its sent answer, in case
// no callback comes: an hour after sending, six hours after, then once a day. A proof of
// receipt comes within 14 days of availability at the latest, so a daily question costs the
// service little (the operator asks EZD systems not to poll in tight loops).
var deliveryChecks = []time.Duration{time.Hour, 6 * time.Hour, 24 * time.Hour}

// deliveryOptions are those of the e-Doręczenia activities: sending waits for the service's
// task, and the service may be down for a while; retries back off to an hour apart.
func deliveryOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 10 * time.Second, BackoffCoefficient: 2, MaximumInterval: time.Hour},
	})
}

// sign renders the letter from the accepted draft and has it signed with the office's key.
func (r *caseRun) sign(ctx workflow.Context, in NoteInput) error {
	s := r.s
	l := letters.Reply(letters.Accepted{Kind: s.DraftKind, Title: s.DraftTitle, Text: s.Draft, Basis: s.DraftBasis,
		Ruling: s.DraftRuling, Instruction: s.DraftInstruction}, r.in.Title, AppealDays)
	l.Date, l.Reference, l.Addressee, l.AddresseeBox = r.today(ctx), r.in.Reference, r.party(), r.in.PartyID
	l.Signatory, l.Position = in.Actor.Name, in.Actor.Position
	var d casefile.Document
	err := workflow.ExecuteActivity(activityOptions(ctx), contract.SignLetter, contract.IssueInput{
		CaseID: r.in.CaseID, Key: r.wfID + "/letter/" + r.key(ctx, UpdateSign), By: in.Actor.Username, At: workflow.Now(ctx),
		Letter: l,
	}).Get(ctx, &d)
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && appErr.Type() == contract.ErrTypeNoSigner {
		return refuse("%s", appErr.Message())
	}
	if err != nil {
		return err
	}
	if err := r.apply(ctx, r.key(ctx, UpdateSign), casefile.Step{Stage: lifecycle.Signed,
		Action: withDoc(r.by(ctx, in.Actor, casehistory.Signed(s.DraftKind)), d.ID.String())}); err != nil {
		return err
	}
	s.Stage, s.SignedDocument = lifecycle.Signed, d.ID.String()
	return nil
}

// recordDelivery records the signed letter's delivery by other means.
func (r *caseRun) recordDelivery(ctx workflow.Context, in DeliveryInput) error {
	on, _ := civil.ParseDate(in.Date) // the table's check parsed it
	return r.delivered(ctx, r.key(ctx, UpdateRecordDelivery), casehistory.Delivery{On: on, Method: in.Method},
		func(e casehistory.Entry) casefile.Action { return r.by(ctx, in.Actor, e) })
}

// dispatch sends the signed answer through e-Doręczenia to the party's address. Sent, the
// case waits in stage dispatched for the proof of receipt; refused by the service, it stays
// signed, the refusal in its history, and the caller is told why.
func (r *caseRun) dispatch(ctx workflow.Context, in DispatchInput) error {
	s := r.s
	var d delivery.Delivery
	key := r.key(ctx, UpdateDispatch)
	docID, _ := uuid.Parse(s.SignedDocument) // a case signed before ids were kept: the activity finds it
	subject, text := letters.Cover(s.DraftKind, r.in.Reference, r.in.Title)
	// The person waits for the answer: a service that does not answer within a few minutes
	// is reported to them. The sending is keyed by document and address, not by request, so
	// sending again resumes the same sending (its draft, its task) and never sends twice.
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 5 * time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute, MaximumAttempts: 5},
	})
	err := workflow.ExecuteActivity(actx, contract.SendLetter, contract.SendInput{
		CaseID: r.in.CaseID, DocumentID: docID, Address: in.Address, Reference: r.in.Reference,
		Subject: subject, Text: text,
		Key: r.wfID + "/dispatch/" + s.SignedDocument + "/" + in.Address, By: in.Actor.Username, At: workflow.Now(ctx),
	}).Get(ctx, &d)
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && (appErr.Type() == contract.ErrTypeNoEDelivery || appErr.Type() == contract.ErrTypeInvalid) {
		return refuse("%s", appErr.Message())
	}
	if err != nil {
		workflow.GetLogger(ctx).Warn("e-Doręczenia sending failed", "case_ref", r.in.Reference, "err", err)
		return refuse("e-Doręczenia nie przyjęły teraz przesyłki. Spróbuj ponownie później: wysyłka zostanie wznowiona, nie powtórzona.")
	}
	if d.Status == delivery.StatusRejected {
		if err := r.apply(ctx, key, casefile.Step{Stage: lifecycle.Signed,
			Action: r.by(ctx, in.Actor, casehistory.DispatchRejected(in.Address, d.Reason))}); err != nil {
			return err
		}
		return refuse("%s", d.Reason)
	}
	if err := r.apply(ctx, key, casefile.Step{Stage: lifecycle.Dispatched,
		Action: withDoc(r.by(ctx, in.Actor, casehistory.Dispatched(in.Address, d.MessageID)), d.DocumentID.String())}); err != nil {
		return err
	}
	s.Stage = lifecycle.Dispatched
	s.Sending = &Sending{ID: d.ID.String(), Address: in.Address, MessageID: d.MessageID, NextCheck: workflow.Now(ctx).Add(deliveryChecks[0])}
	return nil
}

// evidence asks for the evidences the service announced.
func (r *caseRun) evidence(ctx workflow.Context, _ EvidenceInput) error { return r.checkDelivery(ctx) }

// checkDelivery asks for the evidences of the sent answer and records what they say: the
// delivery, or a refused sending (the case goes back to signed, to be sent another way).
func (r *caseRun) checkDelivery(ctx workflow.Context) error {
	s := r.s
	id, err := uuid.Parse(s.Sending.ID)
	if err != nil {
		return fmt.Errorf("sending of the case: %w", err)
	}
	var d delivery.Delivery
	if err := workflow.ExecuteActivity(deliveryOptions(ctx), contract.CheckDelivery, id).Get(ctx, &d); err != nil {
		return err
	}
	switch d.Status {
	case delivery.StatusDelivered:
		return r.delivered(ctx, "delivered/"+d.ID.String(), casehistory.Delivery{On: d.DeliveredOn, Evidence: d.EvidenceID, Deemed: d.Deemed},
			func(e casehistory.Entry) casefile.Action { return r.system(ctx, e) })
	case delivery.StatusRejected:
		if err := r.apply(ctx, "rejected/"+d.ID.String(), casefile.Step{Stage: lifecycle.Signed,
			Action: r.system(ctx, casehistory.DeliveryRejected(d.Address, d.Reason))}); err != nil {
			return err
		}
		s.Stage, s.Sending = lifecycle.Signed, nil
	}
	return nil
}

// delivered records that the signed answer reached the party as d says: an answer ends the
// case; a decision starts the appeal period (art. 129 § 2 KPA).
func (r *caseRun) delivered(ctx workflow.Context, key string, d casehistory.Delivery, action func(casehistory.Entry) casefile.Action) error {
	s := r.s
	if s.DraftKind != letters.KindDecision {
		// An answer is not appealed: delivered, the case is done.
		if err := r.apply(ctx, key, casefile.Step{Stage: lifecycle.Settled, Action: action(casehistory.Delivered(s.DraftKind, d, civil.Date{}))}); err != nil {
			return err
		}
		s.Stage, s.DeliveredOn, s.Sending = lifecycle.Settled, d.On, nil
		return nil
	}
	appealEnds := deadlines.Due(d.On, deadlines.Term{N: AppealDays, Unit: deadlines.Days}, r.cal, nil)
	if err := r.apply(ctx, key, casefile.Step{Stage: lifecycle.Delivered, Action: action(casehistory.Delivered(s.DraftKind, d, appealEnds))}); err != nil {
		return err
	}
	s.Stage, s.DeliveredOn, s.AppealEnds, s.Sending = lifecycle.Delivered, d.On, appealEnds, nil
	return nil
}
