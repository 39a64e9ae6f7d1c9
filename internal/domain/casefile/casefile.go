// Package casefile declares a case file as obieg records it: the case and where it stands, the
// steps of its workflow with their history entries (metryka sprawy), the documents the office
// produced in it and the family cards granted, and the case reference (znak sprawy). It is
// pure, so that workflows can hold these values; internal/records/cases keeps them in PostgreSQL.
package casefile

import (
	"time"

	"github.com/google/uuid"

	"github.com/obieg/obieg/internal/domain/casehistory"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/lifecycle"
)

// Case is a case file.
type Case struct {
	ID                 uuid.UUID       `json:"id"`
	Reference          string          `json:"reference"`
	Unit               string          `json:"unit"`
	UnitName           string          `json:"unit_name"`
	Class              string          `json:"jrwa_class"`
	ClassHeading       string          `json:"jrwa_heading"`
	Title              string          `json:"title"`
	Status             string          `json:"status"`
	OpenedAt           time.Time       `json:"opened_at"`
	OriginSubmissionID uuid.UUID       `json:"origin_submission_id"`
	Stage              lifecycle.Stage `json:"stage"`
	Assignee           string          `json:"assignee,omitempty"`
	Instructions       string          `json:"instructions,omitempty"`
	Term               string          `json:"term,omitempty"`
	// DueOn is the KPA deadline (zero until the case's workflow sets it).
	DueOn   civil.Date `json:"due_on,omitzero"`
	Overdue bool       `json:"overdue"`
	// AppealReview says that the appeal period of a delivered decision ended with letters in
	// it: the handler records the appeal or settles the case.
	AppealReview bool `json:"appeal_review,omitempty"`
	// FormType is the form the case was opened from ("" when unknown).
	FormType string `json:"form_type,omitempty"`
	// Party is who filed the submission the case was opened from, as the box named them, and
	// PartyAddress their electronic delivery address when it came through e-Doręczenia: where
	// the answer can be sent.
	Party        string `json:"party,omitempty"`
	PartyAddress string `json:"party_address,omitempty"`
}

// Document is a document the office produced in a case.
type Document struct {
	ID        uuid.UUID `json:"id"`
	CaseID    uuid.UUID `json:"-"`
	Kind      string    `json:"kind"`
	Title     string    `json:"title"`
	Status    string    `json:"status"` // draft or signed
	XMLKey    string    `json:"-"`
	PDFKey    string    `json:"-"`
	SHA256    string    `json:"sha256"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
}

// Card is a regional family card granted in a case.
type Card struct {
	Number     string      `json:"number"`
	Holder     string      `json:"holder"`
	ValidUntil *civil.Date `json:"valid_until,omitempty"` // nil: indefinite
}

// Stages of a case, as package lifecycle declares them (lifecycle.Stage), untyped so that
// they compare with a stage as a string too; a test proves they are lifecycle's.
const (
	StageNew               = "new"                // registered, waiting to be assigned (dekretacja)
	StageAssigned          = "assigned"           // the handler works on it
	StageAwaitingParty     = "awaiting_party"     // a call to remedy is out (art. 64 §2); clock stopped
	StageSuspended         = "suspended"          // proceedings suspended; clock stopped
	StageDraftReview       = "draft_review"       // a draft waits for the head's acceptance
	StageAwaitingSignature = "awaiting_signature" // accepted, waiting for the head's signature
	StageSigned            = "signed"             // signed; waits to be sent, or for a delivery to be recorded
	StageDispatched        = "dispatched"         // sent through e-Doręczenia; waits for the proof of receipt
	StageDelivered         = "delivered"          // delivered; the appeal period runs
	StageAppealed          = "appealed"           // appealed: to be passed with the files to the appeal body (art. 133)
	StageSettled           = "settled"            // delivered and the appeal period over: the case is done
	StageGranted           = "granted"            // family cards granted to every member: no decision needed
	StageLeftUnexamined    = "left_unexamined"    // art. 64 §2: defects not remedied
	StageForwarded         = "forwarded"          // art. 65 / 231: sent to the competent body
	StageWithdrawn         = "withdrawn"          // the party withdrew the application
)

// Closing reports whether stage ends the case.
func Closing(stage lifecycle.Stage) bool { return stage.Closing() }

// SystemActor is the actor of history entries that obieg itself records (a deadline passed, a
// letter joined, a proof of receipt kept) rather than a person.
const SystemActor = "system"

// Action is an entry of the case history (metryka sprawy): when, who, what.
type Action struct {
	Seq           int       `json:"seq"`
	At            time.Time `json:"at"`
	Actor         string    `json:"actor"` // username, or "system"
	ActorRole     string    `json:"-"`     // recorded in the audit log, not in the history
	ActorName     string    `json:"actor_name"`
	ActorPosition string    `json:"actor_position,omitempty"`
	Code          string    `json:"action"`
	// Data is what the entry says (package casehistory); nil for an entry recorded before
	// entries had data, whose Description was stored.
	Data casehistory.Data `json:"data,omitempty"`
	// Description is the entry in Polish, as the history shows it: rendered from Code and
	// Data where it is shown (casehistory.Describe), stored for older entries.
	Description string `json:"description"`
	DocumentID  string `json:"document_id,omitempty"`
}

// Step is one transition of a case: its new standing and the action that made it. Nil
// pointers leave a field as it is.
type Step struct {
	CaseID uuid.UUID
	// Key makes the step idempotent: applying a step whose key was applied changes nothing.
	Key          string
	Stage        lifecycle.Stage
	Assignee     *string
	Instructions *string
	StartedOn    *civil.Date
	Term         *string
	DueOn        *civil.Date
	Overdue      *bool
	WorkflowID   *string
	AppealReview *bool
	Action       Action
}
