package cases

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/obieg/obieg/internal/audit"
	"github.com/obieg/obieg/internal/civil"
	"github.com/obieg/obieg/internal/domain/problem"
)

// Stages of a case in its workflow. The first ten are open, the last five close it.
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
func Closing(stage string) bool {
	return stage == StageLeftUnexamined || stage == StageForwarded || stage == StageWithdrawn || stage == StageGranted ||
		stage == StageSettled
}

// Action is an entry of the case history (metryka sprawy): when, who, what.
type Action struct {
	Seq           int       `json:"seq"`
	At            time.Time `json:"at"`
	Actor         string    `json:"actor"` // username, or "system"
	ActorRole     string    `json:"-"`     // recorded in the audit log, not in the history
	ActorName     string    `json:"actor_name"`
	ActorPosition string    `json:"actor_position,omitempty"`
	Code          string    `json:"action"`
	Description   string    `json:"description"` // Polish, as the history shows it
	DocumentID    string    `json:"document_id,omitempty"`
}

// Step is one transition of a case: its new standing and the action that made it. Nil
// pointers leave a field as it is.
type Step struct {
	CaseID uuid.UUID
	// Key makes the step idempotent: applying a step whose key was applied changes nothing.
	Key          string
	Stage        string
	Assignee     *string
	Instructions *string
	StartedOn    *civil.Date
	Term         *string
	DueOn        *civil.Date
	Overdue      *bool
	WorkflowID   *string
	Action       Action
}

// Apply records a step: the case's new standing and its history entry, in one transaction.
// It returns false, changing nothing, when a step with the same key was applied before.
func (s *Store) Apply(ctx context.Context, st Step) (bool, error) {
	if st.Key == "" || st.Stage == "" || st.Action.Code == "" {
		return false, problem.NewInvalid("", errors.New("apply case step: key, stage and action are required"))
	}
	applied := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM case_actions WHERE idempotency_key = $1)`, st.Key).Scan(&exists); err != nil {
			return err
		}
		if exists {
			return nil
		}
		var seq int
		var ref, unit string
		err := tx.QueryRow(ctx, `SELECT coalesce((SELECT max(seq) FROM case_actions WHERE case_id = c.id), 0) + 1,
			c.reference, c.unit_code FROM cases c WHERE c.id = $1 FOR UPDATE`, st.CaseID).Scan(&seq, &ref, &unit)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("%w: %s", ErrNotFound, st.CaseID)
		}
		if err != nil {
			return err
		}
		status := "open"
		if Closing(st.Stage) {
			status = "closed"
		}
		if _, err := tx.Exec(ctx, `
			UPDATE cases SET stage = $2, status = $3,
				assignee = CASE WHEN $4::boolean THEN $5 ELSE assignee END,
				instructions = coalesce($6, instructions),
				started_on = coalesce($7, started_on),
				term = coalesce($8, term),
				due_on = coalesce($9, due_on),
				overdue = coalesce($10, overdue),
				workflow_id = coalesce($11, workflow_id),
				closed_at = CASE WHEN $3 = 'closed' THEN coalesce(closed_at, $12) ELSE NULL END
			WHERE id = $1`,
			st.CaseID, st.Stage, status, st.Assignee != nil, st.Assignee, st.Instructions,
			dateArg(st.StartedOn), st.Term, dateArg(st.DueOn), st.Overdue, st.WorkflowID, st.Action.At); err != nil {
			return fmt.Errorf("update case: %w", err)
		}
		a := st.Action
		var doc *string
		if a.DocumentID != "" {
			doc = &a.DocumentID
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO case_actions (case_id, seq, occurred_at, actor, actor_name, actor_position,
				action, description, document_id, idempotency_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			st.CaseID, seq, a.At, a.Actor, a.ActorName, a.ActorPosition, a.Code, a.Description, doc, st.Key); err != nil {
			return fmt.Errorf("record action: %w", err)
		}
		role := a.ActorRole
		if a.Actor == audit.SystemActor {
			role = audit.SystemActor
		}
		details := map[string]any{"stage": st.Stage, "history_seq": int64(seq)}
		if a.DocumentID != "" {
			details["document_id"] = a.DocumentID
		}
		if _, err := s.audit.AppendTx(ctx, tx, audit.Entry{
			OccurredAt: a.At, Actor: a.Actor, ActorRole: role, Action: "case." + a.Code,
			ObjectType: "case", ObjectID: ref, Unit: unit, Details: details, IdempotencyKey: st.Key,
		}); err != nil {
			return err
		}
		applied = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("apply step %s to case %s: %w", st.Key, st.CaseID, err)
	}
	return applied, nil
}

func dateArg(d *civil.Date) *time.Time {
	if d == nil {
		return nil
	}
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	return &t
}

// History returns the case history (metryka), oldest first.
func (s *Store) History(ctx context.Context, caseID uuid.UUID) ([]Action, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT seq, occurred_at, actor, actor_name, actor_position, action, description, coalesce(document_id, '')
		FROM case_actions WHERE case_id = $1 ORDER BY seq`, caseID)
	if err != nil {
		return nil, fmt.Errorf("history of case %s: %w", caseID, err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Action, error) {
		var a Action
		err := row.Scan(&a.Seq, &a.At, &a.Actor, &a.ActorName, &a.ActorPosition, &a.Code, &a.Description, &a.DocumentID)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("history of case %s: %w", caseID, err)
	}
	return list, nil
}
