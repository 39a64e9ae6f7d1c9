package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"

	"github.com/obieg/obieg/activities/contract"
	"github.com/obieg/obieg/internal/adapters/edoreczenia"
	"github.com/obieg/obieg/internal/adapters/s3"
	"github.com/obieg/obieg/internal/domain/blob"
	"github.com/obieg/obieg/internal/domain/edelivery"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/records/register"
)

// messageFileName names a received message kept whole among a submission's files.
const messageFileName = "wiadomosc-edoreczenia.json"

// Inbox is the receiving side of an e-Doręczenia mailbox; *edoreczenia.Client implements it.
type Inbox interface {
	Inbox(ctx context.Context, from time.Time, offset, limit int) ([]edelivery.Summary, error)
	Open(ctx context.Context, messageID string) (edoreczenia.Incoming, error)
}

var _ Inbox = (*edoreczenia.Client)(nil)

// Mailbox holds the activities that take letters from the office's e-Doręczenia mailbox.
type Mailbox struct {
	Inbox Inbox
	// Address is the mailbox's electronic delivery address.
	Address string
	// Registry tells which messages were taken already (they have submissions).
	Registry  *register.Store
	Blob      *s3.Client
	RawBucket string
	Temporal  client.Client
	// TaskQueue is where submission workflows run, SubmissionWorkflow their registered name,
	// IDPrefix the beginning of their ids.
	TaskQueue          string
	SubmissionWorkflow string
	IDPrefix           string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// mailboxPage is how many messages one listing asks for; mailboxPages is how many pages of
// messages all taken already one ListMailbox reads past before it answers.
const (
	mailboxPage  = 100
	mailboxPages = 20
)

// ListMailbox lists the messages submitted at or after from and returns those whose
// submission obieg does not have yet. The listing does not open them.
//
// It never lists the whole mailbox: a zero from (an intake started anew) starts at the
// newest letter already taken from this mailbox, and pages of letters all taken already
// are read past, by date, or by offset while a full page shares one submission date, so
// that the listing's cost follows what is new, not how much the mailbox holds.
func (a *Mailbox) ListMailbox(ctx context.Context, from time.Time) (contract.MailboxPage, error) {
	defer keepAlive(ctx)()
	if from.IsZero() {
		newest, err := a.Registry.NewestReceived(ctx, contract.ChannelEDoreczenia, a.Address)
		if err != nil {
			return contract.MailboxPage{}, fmt.Errorf("newest letter taken: %w", err)
		}
		from = newest
	}
	offset := 0
	var page contract.MailboxPage
	for range mailboxPages {
		list, err := a.Inbox.Inbox(ctx, from, offset, mailboxPage)
		if err != nil {
			return contract.MailboxPage{}, fmt.Errorf("list the mailbox: %w", err)
		}
		page = contract.MailboxPage{Full: len(list) == mailboxPage}
		if len(list) == 0 {
			return page, nil
		}
		ids := make([]string, len(list))
		for i, m := range list {
			ids[i] = m.MessageID
			if m.SubmissionDate.After(page.Last) {
				page.Last = m.SubmissionDate
			}
		}
		taken, err := a.Registry.Received(ctx, contract.ChannelEDoreczenia, ids)
		if err != nil {
			return contract.MailboxPage{}, fmt.Errorf("messages taken: %w", err)
		}
		for _, m := range list {
			if !slices.Contains(taken, m.MessageID) {
				page.New = append(page.New, m)
			}
		}
		if len(page.New) > 0 || !page.Full {
			return page, nil
		}
		// A full page, all taken: read on past it.
		if page.Last.After(from) {
			from, offset = page.Last, 0
		} else {
			offset += mailboxPage
		}
	}
	return page, nil
}

// TakeMessage reads the message messageID whole, stores it as received (the service's JSON
// answer) and each attachment, exactly as sent, under their SHA-256, and starts its
// submission workflow unless one exists. The submission's document is the letter's XML
// attachment when it has one (a form, perhaps signed), else the message itself; the rest
// are its attachments. It is safe to repeat: the bytes land under the same keys and the
// workflow is started once.
func (a *Mailbox) TakeMessage(ctx context.Context, messageID string) (string, error) {
	defer keepAlive(ctx)()
	in, err := a.Inbox.Open(ctx, messageID)
	if errors.Is(err, edoreczenia.ErrNotFound) {
		return "", invalid(fmt.Errorf("message %s: %w", messageID, err))
	}
	if err != nil {
		return "", fmt.Errorf("open message %s: %w", messageID, err)
	}
	envelope, err := a.Blob.PutContent(ctx, a.RawBucket, in.Raw, contract.MessageContentType)
	if err != nil {
		return "", fmt.Errorf("store message %s: %w", messageID, err)
	}
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	r := contract.Received{
		Channel: contract.ChannelEDoreczenia, BoxDocumentID: messageID, BoxAddress: a.Address,
		// A letter to a public body is delivered when it reaches the mailbox.
		ReceivedAt: in.SubmissionDate, PulledAt: now().UTC(),
		SenderID: in.From, SenderName: in.From,
		FileName: messageFileName, ContentType: contract.MessageContentType, Raw: envelope,
	}
	main := -1
	for i, f := range in.Attachments {
		if main < 0 && isXML(f) {
			main = i
		}
	}
	for i, f := range in.Attachments {
		ct := f.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		ref, err := a.Blob.PutContent(ctx, a.RawBucket, f.Data, ct)
		if err != nil {
			return "", fmt.Errorf("store attachment %s of message %s: %w", f.Name, messageID, err)
		}
		if i == main {
			r.FileName, r.ContentType, r.Raw = f.Name, "application/xml", ref
			continue
		}
		r.Attachments = append(r.Attachments, contract.Attachment{Name: f.Name, Format: ct, Raw: ref})
	}
	if main >= 0 {
		// The message itself goes with the document: its subject, text and sender.
		r.Attachments = append([]contract.Attachment{{Name: messageFileName, Format: contract.MessageContentType, Raw: envelope}}, r.Attachments...)
	}
	id, err := startSubmission(ctx, a.Temporal, a.TaskQueue, a.SubmissionWorkflow, a.IDPrefix, r)
	if err != nil {
		return "", err
	}
	activity.GetLogger(ctx).Info("message taken from the mailbox", "message_id", messageID, "attachments", len(in.Attachments), "workflow_id", id)
	return id, nil
}

// isXML reports whether an attachment is an XML document, by its media type or its name.
func isXML(f edoreczenia.File) bool {
	ct := strings.ToLower(f.ContentType)
	return ct == "application/xml" || ct == "text/xml" || strings.HasSuffix(ct, "+xml") ||
		strings.EqualFold(path.Ext(f.Name), ".xml")
}

// InspectMessage reads a received e-Doręczenia message kept whole, the document of a
// submission that carries no XML document: it is a general letter, titled by its subject,
// unsigned (the service vouches for its sender, not for its content). A message that cannot
// be read is refused, to be quarantined.
func (a *Submission) InspectMessage(ctx context.Context, raw blob.Ref) (contract.Inspection, error) {
	data, err := a.Blob.Get(ctx, raw.Bucket, raw.Key, a.Limits.MaxBytes)
	if errors.Is(err, blob.ErrTooLarge) {
		return contract.Inspection{Refused: true, Reason: string(forms.ReasonTooLarge), Detail: err.Error()}, nil
	}
	if errors.Is(err, blob.ErrNotFound) {
		return contract.Inspection{}, invalid(fmt.Errorf("inspect message: stored message is missing: %w", err))
	}
	if err != nil {
		return contract.Inspection{}, fmt.Errorf("inspect message: %w", err)
	}
	var msgs []struct {
		MessageMetadata struct {
			Subject string `json:"subject"`
		} `json:"messageMetadata"`
		TextBody    string            `json:"textBody"`
		Attachments []json.RawMessage `json:"attachments"`
	}
	if err := json.Unmarshal(data, &msgs); err != nil || len(msgs) != 1 {
		return contract.Inspection{Refused: true, Reason: contract.ReasonMessageUnreadable, Detail: fmt.Sprintf("wiadomość e-Doręczeń nieczytelna: %v", err)}, nil
	}
	title := strings.TrimSpace(msgs[0].MessageMetadata.Subject)
	if r := []rune(title); len(r) > 300 {
		title = string(r[:300])
	}
	ex := forms.Extract{Version: forms.ExtractVersion,
		Detection:  forms.Detection{FormType: forms.GeneralLetter, Title: title, Attachments: len(msgs[0].Attachments)},
		References: forms.References(msgs[0].MessageMetadata.Subject + "\n" + msgs[0].TextBody)}
	if err := a.Extracts.Put(ctx, raw, ex); err != nil {
		return contract.Inspection{}, fmt.Errorf("inspect message: %w", err)
	}
	return contract.Inspection{Detection: ex.Detection, Signatures: contract.Signatures{Status: contract.SignatureUnsigned}}, nil
}

// heartbeatEvery is how often keepAlive tells Temporal an activity is alive.
const heartbeatEvery = 5 * time.Second

// keepAlive heartbeats the activity of ctx until the returned function is called, so that
// a workflow giving it a heartbeat timeout learns soon that its worker died, and retries it
// elsewhere, instead of waiting out a start-to-close timeout sized for a large download.
func keepAlive(ctx context.Context) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(heartbeatEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				activity.RecordHeartbeat(ctx)
			}
		}
	}()
	return func() { close(done) }
}
