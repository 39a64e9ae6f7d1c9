// Package delivery declares the sendings of a case as obieg records them: a signed document
// of the office (or a submission forwarded as received) sent through e-Doręczenia or ePUAP's
// doręczyciel, its status, and the proof of receipt kept once it is delivered. It is pure, so
// that workflows can hold these values; internal/records/deliveries keeps them in PostgreSQL.
package delivery

import (
	"time"

	"github.com/google/uuid"

	"github.com/obieg/obieg/internal/domain/civil"
)

// Channels a letter is delivered through: e-Doręczenia, and ePUAP's doręczyciel (between
// public bodies).
const (
	ChannelEDoreczenia = "edoreczenia"
	ChannelEPUAP       = "epuap"
)

// Statuses of a sending.
const (
	StatusNew       = "new"       // recorded, nothing asked of the service yet
	StatusDrafted   = "drafted"   // the service holds a draft: MessageID
	StatusSent      = "sent"      // the service accepted the sending
	StatusDelivered = "delivered" // the proof of receipt is in: DeliveredOn
	StatusRejected  = "rejected"  // the service refused the sending: Reason
)

// Delivery is one sending of a signed document of a case, or of the submission the case
// was opened from (forwarded to the competent body through ePUAP).
type Delivery struct {
	ID         uuid.UUID `json:"id"`
	CaseID     uuid.UUID `json:"-"`
	DocumentID uuid.UUID `json:"document_id"` // uuid.Nil when a submission is sent
	// SubmissionID is the submission sent as received; uuid.Nil for a document.
	SubmissionID uuid.UUID  `json:"submission_id,omitzero"`
	Channel      string     `json:"channel"`
	Address      string     `json:"address"`
	Status       string     `json:"status"`
	MessageID    string     `json:"message_id,omitempty"`
	TaskID       string     `json:"-"`
	SentAt       *time.Time `json:"sent_at,omitempty"`
	DeliveredOn  civil.Date `json:"delivered_on,omitzero"`
	Deemed       bool       `json:"deemed"`
	EvidenceID   string     `json:"evidence_id,omitempty"`
	Reason       string     `json:"reason,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	CreatedBy    string     `json:"created_by"`
	// Proof is the proof of receipt as kept once delivered (e-Doręczenia's proof of receipt,
	// ePUAP's UPD); nil before, and for sendings delivered before proofs were kept.
	Proof *Proof `json:"proof,omitempty"`
}

// Forwarded reports whether the sending carries a submission as received (a case forwarded
// to the competent body) rather than a document of the office.
func (d Delivery) Forwarded() bool { return d.SubmissionID != uuid.Nil }

// Signature statuses of a proof of receipt (Proof.Signature).
const (
	ProofPassed        = "passed"        // the signature verified and its signer is trusted
	ProofIndeterminate = "indeterminate" // intact as far as checked, but not shown valid (e.g. the signer is not trusted)
	ProofFailed        = "failed"        // the signature is broken
	ProofUnsigned      = "unsigned"      // the document carries no signature
)

// Proof is the proof of receipt of a delivered sending: the document the service issued,
// stored in the documents bucket, and what the check of its signature found. When the
// document could not be had, only Missing says why.
type Proof struct {
	Key    string `json:"-"` // S3 key in the documents bucket
	SHA256 string `json:"sha256,omitempty"`
	Size   int64  `json:"size,omitempty"`
	// Signature is ProofPassed, ProofIndeterminate, ProofFailed or ProofUnsigned;
	// SignatureDetail its ETSI indication and sub-indication and the signer.
	Signature       string `json:"signature,omitempty"`
	SignatureDetail string `json:"signature_detail,omitempty"`
	ReportKey       string `json:"-"` // the ETSI validation report
	// Missing says why no proof was kept.
	Missing string `json:"missing,omitempty"`
}

// Kept reports whether the proof's document is stored.
func (p *Proof) Kept() bool { return p != nil && p.Key != "" }
