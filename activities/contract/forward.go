package contract

import (
	"time"

	"github.com/google/uuid"

	"github.com/obieg/obieg/internal/domain/delivery"
)

// ForwardSendInput asks for a case's submission to be sent to the competent body's box.
type ForwardSendInput struct {
	CaseID    uuid.UUID `json:"case_id"`
	Reference string    `json:"reference"`
	// Box is the competent body's ePUAP box, "/podmiot/skrytka".
	Box string `json:"box"`
	// Key makes the sending happen once: a retry, or the same request again, continues the
	// sendings recorded under it.
	Key string    `json:"key"`
	By  string    `json:"by"`
	At  time.Time `json:"at"`
}

// ForwardSent is what ForwardToBody did: the sendings as recorded, the submission first, then
// the signed forwarding letter if the case has one. Rejected holds the reason when ePUAP
// refused one of them; what went before it stays sent.
type ForwardSent struct {
	Deliveries []delivery.Delivery `json:"deliveries"`
	Rejected   string              `json:"rejected,omitempty"`
}

// UPDTaken is what TakeUPD made of a UPD from the office's box: the sending it proves
// delivered, or the reason to quarantine it.
type UPDTaken struct {
	Delivery uuid.UUID `json:"delivery,omitzero"`
	CaseID   uuid.UUID `json:"case_id,omitzero"`
	// Reason and Detail say why the UPD is quarantined; empty when it was taken.
	Reason string `json:"reason,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// Reasons a UPD pulled from the office's box is quarantined.
const (
	ReasonUPDInvalid   = "upd-invalid"   // it does not parse or its signature does not verify
	ReasonUPDUnmatched = "upd-unmatched" // it names no document the office sent through ePUAP
)

// ErrTypeNoEPUAP is the type of the error ForwardToBody returns when no doręczyciel is
// configured.
const ErrTypeNoEPUAP = "no-epuap"
