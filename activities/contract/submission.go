package contract

import (
	"time"

	"github.com/google/uuid"

	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/domain/jrwa"
)

// RecordInput names the submission to record.
type RecordInput struct {
	Received   Received `json:"received"`
	WorkflowID string   `json:"workflow_id"`
}

// Inspection is what Inspect found: a recognised form with the verdict on its signatures,
// or a refusal to quarantine.
type Inspection struct {
	Detection  forms.Detection `json:"detection"`
	Signatures Signatures      `json:"signatures"`
	// Refused is set, with its reason code and detail, when the document cannot be processed.
	Refused bool   `json:"refused"`
	Reason  string `json:"reason,omitempty"`
	Detail  string `json:"detail,omitempty"`
}

// QuarantineInput names a submission to keep aside and why.
type QuarantineInput struct {
	SubmissionID uuid.UUID `json:"submission_id"`
	Reason       string    `json:"reason"`
	Detail       string    `json:"detail"`
	// At is when it was quarantined (the workflow's time); zero in histories recorded before
	// it existed, when the activity's start is used.
	At time.Time `json:"at,omitzero"`
}

// RegisterInput names a submission to register.
type RegisterInput struct {
	SubmissionID uuid.UUID       `json:"submission_id"`
	Detection    forms.Detection `json:"detection"`
	Signatures   Signatures      `json:"signatures"`
	At           time.Time       `json:"at"`
}

// Routed is the result of Route.
type Routed struct {
	// Found is false when no rule routes the form: the registry clerk routes it by hand.
	Found bool             `json:"found"`
	Rule  jrwa.RoutingRule `json:"rule"`
}

// OpenCaseInput says which case to open for a submission.
type OpenCaseInput struct {
	SubmissionID uuid.UUID `json:"submission_id"`
	Unit         string    `json:"unit"`
	Class        string    `json:"jrwa_class"`
	Title        string    `json:"title"`
	At           time.Time `json:"at"`
}

// DismissInput names a quarantined submission the registry clerk dismisses.
type DismissInput struct {
	SubmissionID uuid.UUID `json:"submission_id"`
	Actor        string    `json:"actor"`
	ActorRole    string    `json:"actor_role"`
	Note         string    `json:"note"`
	At           time.Time `json:"at"`
}
