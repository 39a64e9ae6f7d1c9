package contract

import (
	"time"

	"github.com/google/uuid"
)

// SendInput asks for a signed document of a case to be delivered.
type SendInput struct {
	CaseID uuid.UUID `json:"case_id"`
	// DocumentID is the signed document; nil picks the case's latest signed one.
	DocumentID uuid.UUID `json:"document_id"`
	Address    string    `json:"address"` // the addressee's electronic delivery address
	Reference  string    `json:"reference"`
	Subject    string    `json:"subject"`
	Text       string    `json:"text"`
	// Key makes the sending happen once: a retry, or the same request again, continues the
	// sending recorded under it.
	Key string    `json:"key"`
	By  string    `json:"by"`
	At  time.Time `json:"at"`
}

// ErrTypeNoEDelivery is the type of the error SendLetter returns when no e-Doręczenia
// mailbox is configured.
const ErrTypeNoEDelivery = "no-edelivery"
