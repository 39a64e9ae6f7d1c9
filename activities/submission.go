package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/activity"

	"github.com/obieg/obieg/activities/contract"
	"github.com/obieg/obieg/internal/adapters/s3"
	"github.com/obieg/obieg/internal/domain/blob"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/domain/incoming"
	"github.com/obieg/obieg/internal/records/cases"
	"github.com/obieg/obieg/internal/records/extracts"
	"github.com/obieg/obieg/internal/records/plan"
	"github.com/obieg/obieg/internal/records/register"
	"github.com/obieg/obieg/internal/signatures/safexml"
	"github.com/obieg/obieg/internal/signatures/xades"
)

// Submission holds the activities that carry a received document from registration to an
// open case.
type Submission struct {
	Registry *register.Store
	Cases    *cases.Store
	Routing  *plan.Store
	Blob     *s3.Client
	// Extracts keeps what is read of each document, read once by Inspect.
	Extracts *extracts.Store
	// Limits cap what is read of a document; larger ones are quarantined, not read.
	Limits forms.Limits
	// Trust gives the signature verification options (trust anchors, Profil Zaufany seals)
	// for a validation time; nil verifies without anchors, so no signature can pass.
	Trust func(at time.Time) xades.Options
}

// Record stores the submission's metadata and returns its id; recording it again returns
// the same id.
func (a *Submission) Record(ctx context.Context, in contract.RecordInput) (uuid.UUID, error) {
	r := in.Received
	id, err := a.Registry.Record(ctx, register.Submission{
		Channel:       r.Channel,
		BoxDocumentID: r.BoxDocumentID,
		WorkflowID:    in.WorkflowID,
		BoxAddress:    r.BoxAddress,
		ReceivedAt:    r.ReceivedAt,
		PulledAt:      r.PulledAt,
		SenderID:      r.SenderID,
		SenderName:    r.SenderName,
		FileName:      r.FileName,
		ContentType:   r.ContentType,
		RawKey:        r.Raw.Key,
		SHA256:        r.Raw.SHA256,
		Size:          r.Raw.Size,
		Attachments:   registerAttachments(r.Attachments),
	})
	return id, classify(err)
}

func registerAttachments(atts []contract.Attachment) []register.Attachment {
	var out []register.Attachment
	for _, a := range atts {
		out = append(out, register.Attachment{Name: a.Name, Format: a.Format, URL: a.URL,
			RawKey: a.Raw.Key, SHA256: a.Raw.SHA256, Size: a.Raw.Size})
	}
	return out
}

// Inspect reads the stored document once (forms.Read: its form, its content, the case
// references it names), keeps the extract beside it for the later steps, and verifies its
// signatures. A document that is too large,
// empty, not XML, hostile or of an unknown form is not an error: the inspection says it is
// refused and why, and the workflow quarantines it.
func (a *Submission) Inspect(ctx context.Context, raw blob.Ref) (contract.Inspection, error) {
	if raw.Size > a.Limits.MaxBytes {
		return contract.Inspection{Refused: true, Reason: string(forms.ReasonTooLarge),
			Detail: fmt.Sprintf("%d bytes, more than the limit of %d", raw.Size, a.Limits.MaxBytes)}, nil
	}
	data, err := a.Blob.Get(ctx, raw.Bucket, raw.Key, a.Limits.MaxBytes)
	if errors.Is(err, blob.ErrTooLarge) {
		return contract.Inspection{Refused: true, Reason: string(forms.ReasonTooLarge), Detail: err.Error()}, nil
	}
	if errors.Is(err, blob.ErrNotFound) {
		return contract.Inspection{}, invalid(fmt.Errorf("inspect: stored document is missing: %w", err))
	}
	if err != nil {
		return contract.Inspection{}, fmt.Errorf("inspect: %w", err)
	}
	ex, err := forms.Read(data, a.Limits)
	var refusal *forms.Error
	if errors.As(err, &refusal) {
		return contract.Inspection{Refused: true, Reason: string(refusal.Reason), Detail: refusal.Detail}, nil
	}
	if err != nil {
		return contract.Inspection{}, fmt.Errorf("inspect: %w", err)
	}
	if err := a.Extracts.Put(ctx, raw, ex); err != nil {
		return contract.Inspection{}, fmt.Errorf("inspect: %w", err)
	}
	sigs, err := a.verify(ctx, data, raw)
	if err != nil {
		return contract.Inspection{}, err
	}
	insp := contract.Inspection{Detection: ex.Detection, Signatures: sigs}
	switch {
	case sigs.Status == contract.SignatureFailed:
		insp.Refused, insp.Reason, insp.Detail = true, contract.ReasonSignatureFailed, "podpis nieważny: "+sigs.Detail
	case sigs.Status != contract.SignatureUnsigned && !sigs.CoversDocument:
		// What obieg reads must be what was signed: a signature over part of the document
		// leaves the rest open to whoever handled it.
		insp.Refused, insp.Reason, insp.Detail = true, contract.ReasonSignatureScope, "żaden ważny podpis nie obejmuje całego dokumentu"
	}
	return insp, nil
}

// verify checks every signature of the document, stores the ETSI validation report beside
// the document and returns the verdict.
func (a *Submission) verify(ctx context.Context, data []byte, raw blob.Ref) (contract.Signatures, error) {
	at := activity.GetInfo(ctx).StartedTime
	opts := xades.Options{}
	if a.Trust != nil {
		opts = a.Trust(at)
	}
	opts.ValidationTime = at
	opts.Limits = safexml.Limits{MaxBytes: a.Limits.MaxBytes, MaxDepth: a.Limits.MaxDepth, MaxElements: a.Limits.MaxElements}
	rep, err := xades.Verify(ctx, data, opts)
	if err != nil {
		return contract.Signatures{}, invalid(fmt.Errorf("verify signatures: %w", err))
	}
	sigs := summarize(rep)
	if sigs.Status == contract.SignatureUnsigned {
		return sigs, nil
	}
	report, err := rep.XML()
	if err != nil {
		return contract.Signatures{}, fmt.Errorf("validation report: %w", err)
	}
	ref, err := a.Blob.PutContentAt(ctx, raw.Bucket, "reports/", report, "application/xml")
	if err != nil {
		return contract.Signatures{}, fmt.Errorf("store validation report: %w", err)
	}
	sigs.ReportKey = ref.Key
	return sigs, nil
}

// Quarantine keeps a submission aside for the registry clerk with its reason.
func (a *Submission) Quarantine(ctx context.Context, in contract.QuarantineInput) error {
	at := in.At
	if at.IsZero() {
		at = activity.GetInfo(ctx).StartedTime
	}
	return classify(a.Registry.Quarantine(ctx, in.SubmissionID, in.Reason, in.Detail, at))
}

// Register gives the submission its incoming register number (the same one when repeated).
func (a *Submission) Register(ctx context.Context, in contract.RegisterInput) (incoming.Number, error) {
	n, err := a.Registry.Register(ctx, in.SubmissionID, register.Entry{
		FormType:     in.Detection.FormType,
		Title:        in.Detection.Title,
		Attachments:  in.Detection.Attachments,
		RegisteredAt: in.At,
		Signature: register.Signature{Status: in.Signatures.Status, Detail: in.Signatures.Detail,
			Signer: in.Signatures.Signer, ReportKey: in.Signatures.ReportKey},
	})
	return n, classify(err)
}

// Route finds the JRWA class and unit for a form type.
func (a *Submission) Route(ctx context.Context, formType string) (contract.Routed, error) {
	rule, err := a.Routing.Lookup(ctx, formType)
	if errors.Is(err, plan.ErrNoRule) {
		return contract.Routed{}, nil
	}
	if err != nil {
		return contract.Routed{}, err
	}
	return contract.Routed{Found: true, Rule: rule}, nil
}

// OpenCase records the unit in the register entry and opens the submission's case with the
// next reference of its unit, class and year; repeated, it returns the same case.
func (a *Submission) OpenCase(ctx context.Context, in contract.OpenCaseInput) (casefile.Case, error) {
	if err := a.Registry.AssignUnit(ctx, in.SubmissionID, in.Unit); err != nil {
		return casefile.Case{}, classify(err)
	}
	title := in.Title
	if title == "" {
		title = register.NoData
	}
	c, err := a.Cases.Open(ctx, in.SubmissionID, in.Unit, in.Class, title, in.At, civil.Warsaw)
	return c, classify(err)
}

// CheckRoute refuses, non-retryably, a route the registry clerk chose that cannot be: an
// unknown unit, or a JRWA class that is unknown or not terminal (only terminal classes carry
// an archival category and take cases).
func (a *Submission) CheckRoute(ctx context.Context, unit, class string) error {
	return classify(a.Routing.CheckTarget(ctx, unit, class))
}

// Dismiss closes a quarantined submission without registering it; it stays stored.
func (a *Submission) Dismiss(ctx context.Context, in contract.DismissInput) error {
	return classify(a.Registry.Dismiss(ctx, in.SubmissionID, in.Actor, in.ActorRole, in.Note, in.At))
}
