package contract

import (
	"time"

	"github.com/google/uuid"

	"github.com/obieg/obieg/internal/domain/letters"
)

// Assignee is who a case is to be assigned to.
type Assignee struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Position string `json:"position"`
}

// IssueInput asks for a letter to be issued in a case.
type IssueInput struct {
	CaseID uuid.UUID `json:"case_id"`
	// Key makes issuing idempotent: the same key gives the same document.
	Key    string         `json:"key"`
	Letter letters.Letter `json:"letter"` // Office, Unit and Place are filled in here
	By     string         `json:"by"`     // username, or "system"
	At     time.Time      `json:"at"`
}

// ErrTypeNoSigner is the type of the error SignLetter returns when no signing key is
// configured.
const ErrTypeNoSigner = "no-signer"
