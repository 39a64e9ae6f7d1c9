package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/obieg/obieg/activities/contract"
	"github.com/obieg/obieg/internal/adapters/edoreczenia"
	"github.com/obieg/obieg/internal/adapters/s3"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/deadlines"
	"github.com/obieg/obieg/internal/domain/delivery"
	"github.com/obieg/obieg/internal/records/cases"
	"github.com/obieg/obieg/internal/records/deliveries"
	"github.com/obieg/obieg/internal/signatures/xades"
)

// EDelivery is what delivery needs of the e-Doręczenia client (*edoreczenia.Client).
type EDelivery interface {
	Draft(ctx context.Context, m edoreczenia.Message) (string, error)
	SendDraft(ctx context.Context, draftID string) (string, error)
	Wait(ctx context.Context, messageID, taskID string) (edoreczenia.Sent, error)
	State(ctx context.Context, messageID string) (edoreczenia.State, error)
	Evidences(ctx context.Context, messageID string) ([]edoreczenia.Evidence, error)
	EvidenceFile(ctx context.Context, messageType, evidenceID string) ([]byte, error)
}

var _ EDelivery = (*edoreczenia.Client)(nil)

// Delivery holds the activities that deliver the office's signed letters through
// e-Doręczenia and follow them to the proof of receipt.
type Delivery struct {
	Deliveries *deliveries.Store
	Cases      *cases.Store
	// Blob and Bucket keep the documents the office produces.
	Blob   *s3.Client
	Bucket string
	// Client is the office's e-Doręczenia mailbox; nil when none is configured, and then
	// nothing is sent.
	Client EDelivery
	// Trust gives the options the signature of a proof of receipt is verified with
	// (app.LoadTrust); nil verifies without trust anchors, and no signature can pass.
	Trust func(at time.Time) xades.Options
}

// SendLetter delivers a signed document through e-Doręczenia, once per key, and returns the
// sending as recorded: sent, or rejected with the reason. The document's signed XML and its
// PDF rendering go as attachments.
//
// Each step is recorded before the next is taken, so that a retry resumes where the last
// attempt stopped: a draft made is reused, a draft sent is not sent again. A crash between
// making a draft and recording it leaves an unsent draft behind in the mailbox, never a
// second letter.
func (a *Delivery) SendLetter(ctx context.Context, in contract.SendInput) (delivery.Delivery, error) {
	if a.Client == nil {
		return delivery.Delivery{}, temporal.NewNonRetryableApplicationError(
			"doręczanie przez e-Doręczenia nie jest skonfigurowane (EDORECZENIA_URL)", contract.ErrTypeNoEDelivery, nil)
	}
	doc, err := a.document(ctx, in.CaseID, in.DocumentID)
	if err != nil {
		return delivery.Delivery{}, err
	}
	d, err := a.Deliveries.Ensure(ctx, delivery.Delivery{CaseID: in.CaseID, DocumentID: doc.ID, Channel: delivery.ChannelEDoreczenia,
		Address: in.Address, CreatedAt: in.At, CreatedBy: in.By}, in.Key)
	if err != nil {
		return delivery.Delivery{}, classify(err)
	}
	if d.Status == delivery.StatusNew {
		xml, err := a.Blob.Get(ctx, a.Bucket, doc.XMLKey, 64<<20)
		if err != nil {
			return delivery.Delivery{}, fmt.Errorf("signed document %s: %w", doc.ID, err)
		}
		pdf, err := a.Blob.Get(ctx, a.Bucket, doc.PDFKey, 64<<20)
		if err != nil {
			return delivery.Delivery{}, fmt.Errorf("rendering of %s: %w", doc.ID, err)
		}
		id, err := a.Client.Draft(ctx, edoreczenia.Message{Recipient: in.Address, Subject: in.Subject, CaseID: in.Reference, Text: in.Text,
			Attachments: []edoreczenia.Attachment{
				{Name: in.Reference + ".xml", ContentType: "application/xml", Data: xml},
				{Name: in.Reference + ".pdf", ContentType: "application/pdf", Data: pdf},
			}})
		if err != nil {
			return a.refused(ctx, d, "przygotowanie przesyłki", err)
		}
		if err := a.Deliveries.Drafted(ctx, d.ID, id); err != nil {
			return delivery.Delivery{}, err
		}
		if d, err = a.Deliveries.Get(ctx, d.ID); err != nil {
			return delivery.Delivery{}, err
		}
	}
	if d.Status == delivery.StatusDrafted {
		taskID, err := a.Client.SendDraft(ctx, d.MessageID)
		if errors.Is(err, edoreczenia.ErrNotFound) {
			// Sent by an attempt that did not live to record it: the message exists.
			if _, stErr := a.Client.State(ctx, d.MessageID); stErr == nil {
				err = nil
			}
		}
		if err != nil {
			return a.refused(ctx, d, "wysłanie", err)
		}
		if err := a.Deliveries.Sent(ctx, d.ID, taskID, time.Now()); err != nil {
			return delivery.Delivery{}, err
		}
		if taskID != "" {
			if _, err := a.Client.Wait(ctx, d.MessageID, taskID); err != nil {
				return a.refused(ctx, d, "wysłanie", err)
			}
		}
	}
	return a.Deliveries.Get(ctx, d.ID)
}

// document returns the signed document id of a case, or its latest signed one.
func (a *Delivery) document(ctx context.Context, caseID, id uuid.UUID) (casefile.Document, error) {
	if id != uuid.Nil {
		d, err := a.Cases.Document(ctx, caseID, id)
		if errors.Is(err, cases.ErrNotFound) {
			return casefile.Document{}, invalid(err)
		}
		return d, err
	}
	docs, err := a.Cases.Documents(ctx, caseID)
	if err != nil {
		return casefile.Document{}, err
	}
	for i := len(docs) - 1; i >= 0; i-- {
		if docs[i].Status == "signed" {
			return docs[i], nil
		}
	}
	return casefile.Document{}, invalid(fmt.Errorf("sprawa nie ma podpisanego dokumentu do doręczenia"))
}

// refused records a sending the service refused for good (a rejected sending, an invalid
// request) and returns it; other errors are returned for Temporal to retry.
func (a *Delivery) refused(ctx context.Context, d delivery.Delivery, what string, err error) (delivery.Delivery, error) {
	var rej *edoreczenia.RejectedError
	reason := ""
	switch {
	case errors.As(err, &rej):
		reason = fmt.Sprintf("e-Doręczenia odrzuciły przesyłkę (%s): %s", rej.Status, rej.Description)
		if rej.Description == "" {
			reason = fmt.Sprintf("e-Doręczenia odrzuciły przesyłkę (%s %s)", rej.Status, rej.Code)
		}
	case errors.Is(err, edoreczenia.ErrInvalid):
		reason = fmt.Sprintf("e-Doręczenia nie przyjęły przesyłki (%s): %v", what, err)
	case errors.Is(err, edoreczenia.ErrUnauthorized), errors.Is(err, edoreczenia.ErrForbidden):
		// Retrying cannot help until an administrator mends the client's configuration: the
		// clerk is told why, in Polish, and can send again then.
		reason = fmt.Sprintf("Nie wysłano (%s). %s", what, edoreczenia.Explain(err))
	default:
		return delivery.Delivery{}, err
	}
	if err := a.Deliveries.Rejected(ctx, d.ID, reason); err != nil {
		return delivery.Delivery{}, err
	}
	return a.Deliveries.Get(ctx, d.ID)
}

// CheckDelivery asks the service for the evidences of the sending id and records what they
// say: the proof of receipt with the day of delivery (collected, or deemed delivered after 14
// days), or a refused sending. A sending not sent, or already settled, is returned as it is.
//
// The proof of receipt's document is downloaded, kept in the documents bucket and its
// signature verified (keepProof) before the delivery is recorded, in the same update: a
// retry after any failure finds the sending still sent and does it all again, storing the
// same bytes under the same key.
func (a *Delivery) CheckDelivery(ctx context.Context, id uuid.UUID) (delivery.Delivery, error) {
	d, err := a.Deliveries.Get(ctx, id)
	if errors.Is(err, deliveries.ErrNotFound) {
		return delivery.Delivery{}, invalid(err)
	}
	if err != nil || d.Status != delivery.StatusSent {
		return d, err
	}
	if a.Client == nil {
		return delivery.Delivery{}, temporal.NewNonRetryableApplicationError(
			"doręczanie przez e-Doręczenia nie jest skonfigurowane (EDORECZENIA_URL)", contract.ErrTypeNoEDelivery, nil)
	}
	evs, err := a.Client.Evidences(ctx, d.MessageID)
	if err != nil {
		return delivery.Delivery{}, err
	}
	for _, e := range evs {
		if e.Type == edoreczenia.TypeSubmissionRejection {
			reason := fmt.Sprintf("e-Doręczenia odrzuciły przesyłkę (dowód %s, %s)", e.ID, e.ReasonID)
			if err := a.Deliveries.Rejected(ctx, d.ID, reason); err != nil {
				return delivery.Delivery{}, err
			}
			return a.Deliveries.Get(ctx, d.ID)
		}
	}
	if got, ok := edoreczenia.Delivered(evs); ok {
		proof, err := a.keepProof(ctx, got.EvidenceID, activity.GetInfo(ctx).StartedTime)
		if err != nil {
			return delivery.Delivery{}, err
		}
		if err := a.Deliveries.Delivered(ctx, d.ID, deadlines.WarsawDate(got.Date), got.Deemed, got.EvidenceID, proof); err != nil {
			return delivery.Delivery{}, err
		}
	}
	return a.Deliveries.Get(ctx, d.ID)
}

// ProofPrefix is where proofs of receipt are kept in the documents bucket, each under its
// content key.
const ProofPrefix = "proofs/"

// keepProof downloads the document of the proof of receipt evidenceID, stores it in the
// documents bucket under its content key (the service answers the same document every time,
// and storing bytes already there is a no-op, so a retry keeps one object) and verifies its
// signature with the office's trust at the time at: the verdict and the ETSI validation report are kept
// beside it, whatever they say; an untrusted signer (the simulator's KSDE-SIM key) leaves it
// indeterminate, never passed. A document the service will not give (no such evidence, one
// over the client's limit) does not hold the delivery back: the proof is recorded as
// missing, and why. Other errors are returned for Temporal to retry.
func (a *Delivery) keepProof(ctx context.Context, evidenceID string, at time.Time) (delivery.Proof, error) {
	doc, err := a.Client.EvidenceFile(ctx, edoreczenia.MessageTypePURDE, evidenceID)
	switch {
	case errors.Is(err, edoreczenia.ErrNotFound), errors.Is(err, edoreczenia.ErrInvalid), errors.Is(err, edoreczenia.ErrTooLarge):
		return delivery.Proof{Missing: fmt.Sprintf("e-Doręczenia nie wydały dokumentu dowodu %s: %v", evidenceID, err)}, nil
	case err != nil:
		return delivery.Proof{}, fmt.Errorf("proof of receipt %s: %w", evidenceID, err)
	}
	ref, err := a.Blob.PutContentAt(ctx, a.Bucket, ProofPrefix, doc, "application/xml")
	if err != nil {
		return delivery.Proof{}, fmt.Errorf("store proof of receipt %s: %w", evidenceID, err)
	}
	p := delivery.Proof{Key: ref.Key, SHA256: ref.SHA256, Size: ref.Size}
	opts := xades.Options{}
	if a.Trust != nil {
		opts = a.Trust(at)
	}
	opts.ValidationTime = at
	rep, err := xades.Verify(ctx, doc, opts)
	if err != nil {
		p.Signature, p.SignatureDetail = delivery.ProofFailed, fmt.Sprintf("nie można sprawdzić podpisu: %v", err)
		return p, nil
	}
	sigs := summarize(rep)
	p.Signature, p.SignatureDetail = sigs.Status, sigs.Detail
	if sigs.Signer != "" {
		p.SignatureDetail += ", podpisał " + sigs.Signer
	}
	if sigs.Status == contract.SignaturePassed && !sigs.CoversDocument {
		p.Signature, p.SignatureDetail = delivery.ProofIndeterminate, p.SignatureDetail+", podpis nie obejmuje całego dokumentu"
	}
	if sigs.Status == contract.SignatureUnsigned {
		return p, nil
	}
	report, err := rep.XML()
	if err != nil {
		return delivery.Proof{}, fmt.Errorf("validation report of proof %s: %w", evidenceID, err)
	}
	rr, err := a.Blob.PutContentAt(ctx, a.Bucket, "reports/", report, "application/xml")
	if err != nil {
		return delivery.Proof{}, fmt.Errorf("store validation report of proof %s: %w", evidenceID, err)
	}
	p.ReportKey = rr.Key
	return p, nil
}
