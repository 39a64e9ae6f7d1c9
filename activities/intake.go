package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/obieg/obieg/activities/contract"
	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/adapters/s3"
	"github.com/obieg/obieg/internal/adapters/soap"
	"github.com/obieg/obieg/internal/adapters/visibility"
	"github.com/obieg/obieg/internal/domain/blob"
	"github.com/obieg/obieg/internal/domain/forms"
)

// PullBox is the pull side of one ePUAP box; *epuap.PullClient implements it.
type PullBox interface {
	// Next returns the oldest unconfirmed document, the same one until it is confirmed, or
	// epuap.ErrNoDocument.
	Next(ctx context.Context) (*epuap.Delivery, error)
	// ConfirmSkrot removes the document whose digest is skrot from the box.
	ConfirmSkrot(ctx context.Context, skrot string) error
}

var _ PullBox = (*epuap.PullClient)(nil)

// FileRepo gives the large attachments ePUAP keeps apart from documents;
// *epuap.FileRepoClient implements it.
type FileRepo interface {
	// Download returns the file fileID. ePUAP may refuse to serve a file a second time.
	Download(ctx context.Context, fileID string) ([]byte, error)
}

var _ FileRepo = (*epuap.FileRepoClient)(nil)

// SubmissionWorkflowID is the id of the submission workflow of a box document: a redelivery
// of the same document cannot start a second one. prefix is the installation's
// (config WorkflowIDPrefix).
func SubmissionWorkflowID(prefix, channel, boxDocumentID string) string {
	return prefix + "submission/" + channel + "/" + boxDocumentID
}

// Intake holds the activities that take documents from an ePUAP box.
type Intake struct {
	Box       PullBox
	Blob      *s3.Client
	RawBucket string
	Temporal  client.Client
	// TaskQueue is where submission workflows run.
	TaskQueue string
	// SubmissionWorkflow is the registered name of the submission workflow.
	SubmissionWorkflow string
	// IDPrefix begins the ids of the workflows the intake starts.
	IDPrefix string
	// Files fetches the attachments documents name by address; nil lists them unfetched.
	Files FileRepo
	// Limits cap what is read of a document to find those attachments.
	Limits forms.Limits
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// PullNext takes the next document from the box and stores its bytes, exactly as received,
// in the raw bucket under their SHA-256. It does not confirm the document: the box keeps
// offering it until ConfirmInBox, so a crash at any point loses nothing.
func (a *Intake) PullNext(ctx context.Context) (contract.Pulled, error) {
	d, err := a.Box.Next(ctx)
	if errors.Is(err, epuap.ErrNoDocument) {
		return contract.Pulled{Empty: true}, nil
	}
	if err != nil {
		return contract.Pulled{}, fmt.Errorf("pull next document: %w", err)
	}
	ref, err := a.Blob.PutContent(ctx, a.RawBucket, d.Zawartosc, contentType(d.TypPliku, d.NazwaPliku))
	if err != nil {
		return contract.Pulled{}, fmt.Errorf("store pulled document: %w", err)
	}
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	r := contract.Received{
		Channel:       "epuap",
		BoxDocumentID: d.ID(),
		BoxAddress:    d.AdresSkrytki,
		ReceivedAt:    d.DataNadania,
		PulledAt:      now().UTC(),
		SenderID:      d.Sender.Identyfikator,
		SenderName:    strings.TrimSpace(d.Sender.ImieSkrot + " " + d.Sender.NazwiskoNazwa),
		FileName:      d.NazwaPliku,
		ContentType:   contentType(d.TypPliku, d.NazwaPliku),
		Test:          d.CzyTestowe,
		Raw:           ref,
	}
	if epuap.IsPoswiadczenie(d.Zawartosc) {
		activity.GetLogger(ctx).Info("poświadczenie pulled", "box_document_id", r.BoxDocumentID, "size", ref.Size)
		return contract.Pulled{Received: r, Skrot: epuap.Skrot(d.Zawartosc), UPD: true}, nil
	}
	if r.Attachments, err = a.storeAttachments(ctx, d.Zawartosc); err != nil {
		return contract.Pulled{}, err
	}
	activity.GetLogger(ctx).Info("document pulled", "box_document_id", r.BoxDocumentID, "size", ref.Size, "attachments", len(r.Attachments))
	return contract.Pulled{Received: r, Skrot: epuap.Skrot(d.Zawartosc)}, nil
}

// storeAttachments fetches the attachments the document names by address (ePUAP FileRepo)
// and stores them beside it, before the document is confirmed: ePUAP may serve a file only
// once, so each is stored under its FileRepo id and a repeated attempt finds it there instead
// of asking again. A document that cannot be read has none here; inspection quarantines it.
func (a *Intake) storeAttachments(ctx context.Context, doc []byte) ([]contract.Attachment, error) {
	named, err := forms.URIAttachments(doc, limits(a.Limits))
	if err != nil {
		return nil, nil
	}
	var out []contract.Attachment
	for _, n := range named {
		att := contract.Attachment{Name: n.Name, Format: n.Format, URL: n.URL}
		fileID, err := epuap.FileID(n.URL)
		if err != nil || a.Files == nil {
			activity.GetLogger(ctx).Warn("attachment not fetched", "url", n.URL, "err", err)
			out = append(out, att)
			continue
		}
		key := "attachments/filerepo/" + fileID
		att.Raw, err = a.Blob.Find(ctx, a.RawBucket, key)
		if errors.Is(err, blob.ErrNotFound) {
			data, derr := a.Files.Download(ctx, fileID)
			if derr != nil {
				return nil, fmt.Errorf("fetch attachment %s: %w", fileID, derr)
			}
			att.Raw, err = a.Blob.PutAt(ctx, a.RawBucket, key, data, n.Format)
		}
		if err != nil {
			return nil, fmt.Errorf("store attachment %s: %w", fileID, err)
		}
		out = append(out, att)
	}
	return out, nil
}

// StartSubmission starts the submission workflow of r unless one with its id was ever
// started; either way the submission then exists in Temporal.
func (a *Intake) StartSubmission(ctx context.Context, r contract.Received) (string, error) {
	return startSubmission(ctx, a.Temporal, a.TaskQueue, a.SubmissionWorkflow, a.IDPrefix, r)
}

// startSubmission starts the submission workflow of r (named workflow, on taskQueue, its id
// beginning with prefix) unless one with its id was ever started.
func startSubmission(ctx context.Context, tc client.Client, taskQueue, workflow, prefix string, r contract.Received) (string, error) {
	r.IDPrefix = prefix
	id := SubmissionWorkflowID(prefix, r.Channel, r.BoxDocumentID)
	_, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       id,
		TaskQueue:                taskQueue,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		// Without it the SDK answers a redelivery with the existing run, as if it had started
		// it, and the redelivery is not recognised below.
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			visibility.Channel.ValueSet(r.Channel),
			visibility.Stage.ValueSet("received"),
		),
	}, workflow, r)
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &already) {
		activity.GetLogger(ctx).Info("submission workflow exists already", "workflow_id", id)
		warnIfDifferent(ctx, tc, id, already.RunId, r)
		return id, nil
	}
	if err != nil {
		return "", fmt.Errorf("start submission workflow %s: %w", id, err)
	}
	return id, nil
}

// warnIfDifferent compares the bytes of r, a redelivery of a box document whose submission
// workflow id exists already, with those that workflow was started with, and logs a warning
// when they differ: the box gave one id to two different documents. The submission keeps
// the first bytes; the second are not lost, they are stored in S3 under their own content
// key, which the warning names. It logs no content and no personal identifier. When the
// first bytes cannot be read (the history is gone after retention) it says so and goes on:
// the check only warns and never stops the intake. An ePUAP id is derived from, among
// others, the SHA-256 of the content (epuap.DocumentID), so there this can only catch a
// fault of obieg's own; an e-Doręczenia message id is the service's.
func warnIfDifferent(ctx context.Context, tc client.Client, id, runID string, r contract.Received) {
	log := activity.GetLogger(ctx)
	first, err := startedWith(ctx, tc, id, runID)
	if err != nil {
		log.Warn("redelivered box document not compared with its submission", "workflow_id", id,
			"box_document_id", r.BoxDocumentID, "err", err)
		return
	}
	if first.Raw.SHA256 == r.Raw.SHA256 {
		return
	}
	log.Warn("redelivered box document differs from its submission; the submission keeps the first bytes",
		"workflow_id", id, "box_document_id", r.BoxDocumentID, "channel", r.Channel,
		"sha256_submission", first.Raw.SHA256, "sha256_redelivered", r.Raw.SHA256,
		"redelivered_bucket", r.Raw.Bucket, "redelivered_key", r.Raw.Key, "redelivered_size", r.Raw.Size)
}

// startedWith returns the input the submission workflow id (run runID) was started with.
func startedWith(ctx context.Context, tc client.Client, id, runID string) (contract.Received, error) {
	var r contract.Received
	ev, err := tc.GetWorkflowHistory(ctx, id, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT).Next()
	if err != nil {
		return r, fmt.Errorf("read the history of %s: %w", id, err)
	}
	attrs := ev.GetWorkflowExecutionStartedEventAttributes()
	if attrs == nil {
		return r, fmt.Errorf("history of %s begins with %s", id, ev.GetEventType())
	}
	if err := converter.GetDefaultDataConverter().FromPayloads(attrs.GetInput(), &r); err != nil {
		return r, fmt.Errorf("read the input of %s: %w", id, err)
	}
	return r, nil
}

// ConfirmInBox confirms the document named by skrot to the box, which removes it there.
// Call it only once the bytes are stored and the submission workflow exists.
//
// It is safe to repeat. When an earlier attempt confirmed the document but its answer was
// lost, the box refuses the second confirmation (it no longer knows the skrot); the document
// is then no longer at the head of the box, which is what this checks before giving up: the
// box is a queue, the document was at its head when pulled, and only its confirmation takes
// it from there.
func (a *Intake) ConfirmInBox(ctx context.Context, skrot string) error {
	err := a.Box.ConfirmSkrot(ctx, skrot)
	if err == nil {
		return nil
	}
	var fault *soap.Fault
	var status *epuap.StatusError
	if !errors.As(err, &fault) && !errors.As(err, &status) {
		return fmt.Errorf("confirm document in box: %w", err)
	}
	head, nerr := a.Box.Next(ctx)
	if errors.Is(nerr, epuap.ErrNoDocument) || (nerr == nil && epuap.Skrot(head.Zawartosc) != skrot) {
		activity.GetLogger(ctx).Info("document already confirmed", "refusal", err.Error())
		return nil
	}
	return fmt.Errorf("confirm document in box: %w", err)
}

// contentType guesses the media type of a filed document from ePUAP's typPliku or its name.
func contentType(typPliku, name string) string {
	switch {
	case strings.Contains(typPliku, "/"):
		return typPliku
	case strings.HasSuffix(strings.ToLower(name), ".xml"), strings.EqualFold(typPliku, "xml"):
		return "application/xml"
	default:
		return "application/octet-stream"
	}
}
