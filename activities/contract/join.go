package contract

import (
	"time"

	"github.com/google/uuid"

	"github.com/obieg/obieg/internal/domain/blob"
	"github.com/obieg/obieg/internal/domain/casehistory"
)

// JoinInput names a registered submission and its stored document.
type JoinInput struct {
	SubmissionID uuid.UUID `json:"submission_id"`
	Raw          blob.Ref  `json:"raw"`
}

// Joined is the open case a submission was joined to; Reference is "" when the document
// names none.
type Joined struct {
	CaseID    uuid.UUID `json:"case_id,omitzero"`
	Reference string    `json:"reference,omitempty"`
	Unit      string    `json:"unit,omitempty"`
}

// NoteJoinedInput records a letter joined to a case whose workflow has ended meanwhile: the
// history entry's data (casehistory.LetterJoined); Description is the text of the entry as
// workflows started before entries had data send it.
type NoteJoinedInput struct {
	CaseID      uuid.UUID        `json:"case_id"`
	Key         string           `json:"key"`
	Data        casehistory.Data `json:"data,omitempty"`
	Description string           `json:"description,omitempty"`
	At          time.Time        `json:"at"`
}
