package edoreczenia

import (
	"bytes"
	"context"
	"crypto/sha3"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/obieg/obieg/internal/domain/edelivery"
)

// Inbox lists received messages submitted at or after from, oldest first, skipping offset
// of them and answering at most limit (1..2000): one page of the contract's listing,
// filtered by submissionDateFrom, so that a caller who remembers the last date it saw lists
// only what came since. The listing uses the metadata format, which does not open them.
func (c *Client) Inbox(ctx context.Context, from time.Time, offset, limit int) ([]edelivery.Summary, error) {
	if limit < 1 || limit > 2000 || offset < 0 {
		return nil, fmt.Errorf("edoreczenia: inbox: limit %d out of 1..2000 or offset %d negative: %w", limit, offset, ErrInvalid)
	}
	q := url.Values{"label": {"INBOX"}, "format": {"metadata"}, "sortColumn": {"submissionDate"},
		"sortDirection": {"asc"}, "limit": {strconv.Itoa(limit)}}
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	}
	if !from.IsZero() {
		q.Set("submissionDateFrom", from.UTC().Format(time.RFC3339Nano))
	}
	var w struct {
		Messages []struct {
			MessageMetadata struct {
				MessageID      string    `json:"messageId"`
				From           address   `json:"from"`
				Subject        string    `json:"subject"`
				SubmissionDate time.Time `json:"submissionDate"`
			} `json:"messageMetadata"`
		} `json:"messages"`
	}
	if err := c.do(ctx, "inbox", http.MethodGet, "/messages?"+q.Encode(), nil, http.StatusOK, &w); err != nil {
		return nil, err
	}
	out := make([]edelivery.Summary, 0, len(w.Messages))
	for _, m := range w.Messages {
		md := m.MessageMetadata
		if md.MessageID == "" {
			return nil, fmt.Errorf("edoreczenia: inbox: a message without messageId")
		}
		out = append(out, edelivery.Summary{MessageID: md.MessageID, From: md.From.EDeliveryAddress, Subject: md.Subject, SubmissionDate: md.SubmissionDate})
	}
	return out, nil
}

type address struct {
	EDeliveryAddress string `json:"eDeliveryAddress"`
}

// Incoming is a received message read whole: the answer as the service gave it, and what
// obieg reads of it.
type Incoming struct {
	// Raw is the service's answer for the message (JSON), kept as received.
	Raw            []byte
	MessageID      string
	From           string
	Subject        string
	CaseID         string // the sender's case reference, if they gave one
	Text           string
	SubmissionDate time.Time
	Attachments    []File
}

// File is an attachment of a received message, its content checked against its SHA-3 hash.
type File struct {
	ID          string // attachmentId
	Name        string
	ContentType string
	Hash        string // as the message gives it
	// Data is the content; nil in a message parsed from an answer without the contents
	// (the full format), until Open downloads it.
	Data []byte
}

// MaxAttachment is the largest attachment Open downloads: the service's upload limit of
// 100 MB, and room.
const MaxAttachment = 110 << 20

// Open reads the received message messageID whole: the message in the full format, then
// each attachment downloaded on its own (POST /attachments/download) and checked against the
// hash the message gives, so that no answer carries every attachment at once in Base64.
// Reading it opens it, as the contract defines opening: for a public body the item was
// delivered when it reached the mailbox, so opening changes nothing for the sender's
// rights, and a message can be opened again. Incoming.Raw is the full format's answer,
// without the attachments' contents. ErrNotFound if there is no such message, ErrTooLarge
// for an attachment over MaxAttachment bytes.
func (c *Client) Open(ctx context.Context, messageID string) (Incoming, error) {
	var raw json.RawMessage
	if err := c.do(ctx, "open "+messageID, http.MethodGet, "/messages/"+url.PathEscape(messageID)+"?format=full", nil, http.StatusOK, &raw); err != nil {
		return Incoming{}, err
	}
	in, err := ParseMessage(raw, messageID)
	if err != nil {
		return Incoming{}, err
	}
	for i := range in.Attachments {
		f := &in.Attachments[i]
		if f.Data != nil {
			continue
		}
		if f.ID == "" {
			return Incoming{}, fmt.Errorf("edoreczenia: open %s: attachment %d (%s) has neither content nor attachmentId", messageID, i+1, f.Name)
		}
		data, err := c.retrying(ctx, func() ([]byte, error) { return c.Attachment(ctx, messageID, f.ID) })
		if err != nil {
			return Incoming{}, err
		}
		if !hashMatches(f.Hash, data) {
			return Incoming{}, fmt.Errorf("edoreczenia: open %s: attachment %d (%s) does not match its SHA-3 hash", messageID, i+1, f.Name)
		}
		f.Data = data
	}
	return in, nil
}

// downloadAttempts is how many times Open tries a download the service refused for a
// while (ErrTransient): the message was read already, and one failed attachment would
// otherwise make the caller read it all again.
const downloadAttempts = 4

// retrying calls get until it succeeds, fails otherwise than transiently, or has failed
// downloadAttempts times, waiting with the poll's backoff and jitter in between.
func (c *Client) retrying(ctx context.Context, get func() ([]byte, error)) ([]byte, error) {
	wait := c.poll.Initial
	for attempt := 1; ; attempt++ {
		b, err := get()
		if err == nil || !errors.Is(err, ErrTransient) || attempt == downloadAttempts {
			return b, err
		}
		t := time.NewTimer(wait/2 + rand.N(wait/2+1))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("edoreczenia: %w (after %v)", ctx.Err(), err)
		case <-t.C:
		}
		wait = min(time.Duration(float64(wait)*c.poll.Factor), c.poll.Max)
	}
}

// Attachment downloads the content of the attachment attachmentID of the message messageID
// (POST /attachments/download). ErrNotFound if there is no such attachment, ErrTooLarge if
// it is over MaxAttachment bytes.
func (c *Client) Attachment(ctx context.Context, messageID, attachmentID string) ([]byte, error) {
	op := "download attachment " + attachmentID + " of " + messageID
	b, err := json.Marshal(map[string]string{"messageId": messageID, "attachmentId": attachmentID})
	if err != nil {
		return nil, fmt.Errorf("edoreczenia: %s: %w", op, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/attachments/download", bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("edoreczenia: %s: %w", op, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/octet-stream, application/json")
	return c.exchange(req, op, http.StatusOK, MaxAttachment)
}

// ParseMessage reads the service's answer raw for the message messageID (GET
// /messages/{id}, format full or fullExtended): the one message it must hold, with each
// attachment's metadata and, when the answer carries it (fullExtended), its content, which
// must match the hash given for it. An attachment without content has nil Data.
func ParseMessage(raw []byte, messageID string) (Incoming, error) {
	var msgs []struct {
		MessageMetadata struct {
			MessageID      string    `json:"messageId"`
			From           address   `json:"from"`
			Subject        string    `json:"subject"`
			CaseID         string    `json:"caseId"`
			SubmissionDate time.Time `json:"submissionDate"`
		} `json:"messageMetadata"`
		TextBody    string `json:"textBody"`
		Attachments []struct {
			AttachmentID string `json:"attachmentId"`
			File         struct {
				FileMetadata struct {
					Filename    string `json:"filename"`
					ContentType string `json:"contentType"`
					Alg         string `json:"alg"`
					Hash        string `json:"hash"`
				} `json:"fileMetadata"`
				File *string `json:"file"`
			} `json:"file"`
		} `json:"attachments"`
	}
	if err := json.Unmarshal(raw, &msgs); err != nil {
		return Incoming{}, fmt.Errorf("edoreczenia: open %s: %w", messageID, err)
	}
	if len(msgs) != 1 {
		return Incoming{}, fmt.Errorf("edoreczenia: open %s: got %d messages in the answer, want 1", messageID, len(msgs))
	}
	m := msgs[0]
	in := Incoming{Raw: bytes.Clone(raw), MessageID: m.MessageMetadata.MessageID, From: m.MessageMetadata.From.EDeliveryAddress,
		Subject: m.MessageMetadata.Subject, CaseID: m.MessageMetadata.CaseID, Text: m.TextBody, SubmissionDate: m.MessageMetadata.SubmissionDate}
	if in.MessageID != messageID {
		return Incoming{}, fmt.Errorf("edoreczenia: open %s: the answer is message %q", messageID, in.MessageID)
	}
	for i, a := range m.Attachments {
		md := a.File.FileMetadata
		f := File{ID: a.AttachmentID, Name: md.Filename, ContentType: md.ContentType, Hash: md.Hash}
		if a.File.File != nil {
			data, err := base64.StdEncoding.DecodeString(*a.File.File)
			if err != nil {
				return Incoming{}, fmt.Errorf("edoreczenia: open %s: attachment %d (%s): %w", messageID, i+1, md.Filename, err)
			}
			if !hashMatches(md.Hash, data) {
				return Incoming{}, fmt.Errorf("edoreczenia: open %s: attachment %d (%s) does not match its %s hash", messageID, i+1, md.Filename, md.Alg)
			}
			f.Data = data
		}
		in.Attachments = append(in.Attachments, f)
	}
	return in, nil
}

// hashMatches reports whether hash, the SHA3-256 of data in Base64 or hex (the contract
// gives neither), is data's.
func hashMatches(hash string, data []byte) bool {
	sum := sha3.Sum256(data)
	return hash == base64.StdEncoding.EncodeToString(sum[:]) || strings.EqualFold(hash, hexOf(data))
}
