package contract

import (
	"time"

	"github.com/obieg/obieg/internal/domain/blob"
)

// Attachment is an attachment of a received document kept apart from it (an ePUAP FileRepo
// file), stored beside it.
type Attachment struct {
	Name   string   `json:"name"`
	Format string   `json:"format"`
	URL    string   `json:"url"`
	Raw    blob.Ref `json:"raw,omitzero"` // empty when it could not be fetched (no FileRepo configured)
}

// Received describes a document taken from a box and stored: the input of the submission
// workflow. It carries no personal identifier (no PESEL): only what routing needs.
type Received struct {
	Channel       string    `json:"channel"`
	BoxDocumentID string    `json:"box_document_id"`
	BoxAddress    string    `json:"box_address"`
	ReceivedAt    time.Time `json:"received_at"` // the time on the box's proof of receipt
	PulledAt      time.Time `json:"pulled_at"`
	SenderID      string    `json:"sender_id"`
	SenderName    string    `json:"sender_name"`
	FileName      string    `json:"file_name"`
	ContentType   string    `json:"content_type"`
	Test          bool      `json:"test"`
	Raw           blob.Ref  `json:"raw"`
	// IDPrefix begins the ids of the workflows this submission starts (config
	// WorkflowIDPrefix); empty in histories recorded before it existed.
	IDPrefix string `json:"id_prefix,omitempty"`
	// Attachments are those the document names by address (FileRepo), stored beside it.
	Attachments []Attachment `json:"attachments,omitempty"`
	// Quarantine, when set, is the reason code the intake already found to quarantine the
	// document with (a UPD that does not verify or matches no sending), and QuarantineDetail
	// its detail: the submission workflow records it so and does not inspect it as a form.
	Quarantine       string `json:"quarantine,omitempty"`
	QuarantineDetail string `json:"quarantine_detail,omitempty"`
}

// Pulled is the result of PullNext.
type Pulled struct {
	// Empty is true when the box had nothing waiting.
	Empty    bool     `json:"empty"`
	Received Received `json:"received"`
	// Skrot names the document to the box when confirming it.
	Skrot string `json:"skrot"`
	// UPD is true when the document is a poświadczenie (pos:Dokument), such as the UPD ePUAP
	// sends once a body has collected what the office delivered to it: not a submission.
	UPD bool `json:"upd,omitempty"`
}
