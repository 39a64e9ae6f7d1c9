package contract

import (
	"time"

	"github.com/google/uuid"

	"github.com/obieg/obieg/internal/domain/blob"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/civil"
)

// AssessInput names the form a case was opened from.
type AssessInput struct {
	CaseID   uuid.UUID  `json:"case_id"`
	FormType string     `json:"form_type"`
	Document blob.Ref   `json:"document"`
	On       civil.Date `json:"on"` // the day the rules are applied at
}

// Assessment is what the rules say of a case's form, for the handler.
type Assessment struct {
	// Summary is a Polish account for the case history; no personal identifier.
	Summary string `json:"summary"`
	// Outcome is the family card outcome, the complaint action, or what the check of a
	// report's sender found (stable codes).
	Outcome string `json:"outcome"`
	// Term, for a complaint, is the term its action must be done in ("" for none).
	Term string `json:"term,omitempty"`
	// LeaveUnexamined says the complaint is anonymous and is left unexamined.
	LeaveUnexamined bool `json:"leave_unexamined,omitempty"`
}

// GrantInput asks for the family cards of a case to be granted.
type GrantInput struct {
	CaseID   uuid.UUID  `json:"case_id"`
	Document blob.Ref   `json:"document"`
	On       civil.Date `json:"on"`
	Key      string     `json:"key"`
	By       string     `json:"by"`
	Role     string     `json:"role"`
	At       time.Time  `json:"at"`
}

// Granted is what GrantCards recorded.
type Granted struct {
	Cards []casefile.Card `json:"cards"`
	// Complete says every member who asked got a card: the case needs no decision.
	Complete bool `json:"complete"`
}

// ErrTypeNotGrantable is the type of the error GrantCards returns when the rules give no card.
const ErrTypeNotGrantable = "not-grantable"
