package cases

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/lifecycle"
	"github.com/obieg/obieg/internal/domain/problem"
	"github.com/obieg/obieg/internal/records/audit"
)

// Apply records a step: the case's new standing and its history entry, in one transaction.
// It returns false, changing nothing, when a step with the same key was applied before.
func (s *Store) Apply(ctx context.Context, st casefile.Step) (bool, error) {
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
		if casefile.Closing(st.Stage) {
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
				closed_at = CASE WHEN $3 = 'closed' THEN coalesce(closed_at, $12) ELSE NULL END,
				appeal_review = coalesce($13, appeal_review)
			WHERE id = $1`,
			st.CaseID, st.Stage, status, st.Assignee != nil, st.Assignee, st.Instructions,
			dateArg(st.StartedOn), st.Term, dateArg(st.DueOn), st.Overdue, st.WorkflowID, st.Action.At, st.AppealReview); err != nil {
			return fmt.Errorf("update case: %w", err)
		}
		if err := s.record(ctx, tx, st.CaseID, seq, ref, unit, st.Stage, st.Key, st.Action); err != nil {
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

// Note appends the entry a to the history of the case caseID without changing the case's
// standing: its stage is the workflow's to change. key makes it idempotent, as Apply's: it
// returns false, changing nothing, when an entry with the same key was recorded before.
func (s *Store) Note(ctx context.Context, caseID uuid.UUID, key string, a casefile.Action) (bool, error) {
	if key == "" || a.Code == "" {
		return false, errors.New("note in case history: key and action are required")
	}
	applied := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM case_actions WHERE idempotency_key = $1)`, key).Scan(&exists); err != nil {
			return err
		}
		if exists {
			return nil
		}
		var seq int
		var ref, unit string
		var stage lifecycle.Stage
		err := tx.QueryRow(ctx, `SELECT coalesce((SELECT max(seq) FROM case_actions WHERE case_id = c.id), 0) + 1,
			c.reference, c.unit_code, c.stage FROM cases c WHERE c.id = $1 FOR UPDATE`, caseID).Scan(&seq, &ref, &unit, &stage)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("%w: %s", ErrNotFound, caseID)
		}
		if err != nil {
			return err
		}
		if err := s.record(ctx, tx, caseID, seq, ref, unit, stage, key, a); err != nil {
			return err
		}
		applied = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("note %s in history of case %s: %w", key, caseID, err)
	}
	return applied, nil
}

// record inserts the history entry a as number seq of the case, with its audit entry; stage
// is the case's after it.
func (s *Store) record(ctx context.Context, tx pgx.Tx, caseID uuid.UUID, seq int, ref, unit string, stage lifecycle.Stage, key string, a casefile.Action) error {
	var doc *string
	if a.DocumentID != "" {
		doc = &a.DocumentID
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO case_actions (case_id, seq, occurred_at, actor, actor_name, actor_position,
			action, description, document_id, idempotency_key, data)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		caseID, seq, a.At, a.Actor, a.ActorName, a.ActorPosition, a.Code, a.Description, doc, key, a.Data); err != nil {
		return fmt.Errorf("record action: %w", err)
	}
	role := a.ActorRole
	if a.Actor == audit.SystemActor {
		role = audit.SystemActor
	}
	details := map[string]any{"stage": string(stage), "history_seq": int64(seq)}
	if a.DocumentID != "" {
		details["document_id"] = a.DocumentID
	}
	_, err := s.audit.AppendTx(ctx, tx, audit.Entry{
		OccurredAt: a.At, Actor: a.Actor, ActorRole: role, Action: "case." + a.Code,
		ObjectType: "case", ObjectID: ref, Unit: unit, Details: details, IdempotencyKey: key,
	})
	return err
}

func dateArg(d *civil.Date) *time.Time {
	if d == nil {
		return nil
	}
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	return &t
}

// History returns the case history (metryka), oldest first.
func (s *Store) History(ctx context.Context, caseID uuid.UUID) ([]casefile.Action, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT seq, occurred_at, actor, actor_name, actor_position, action, description, coalesce(document_id, ''), data
		FROM case_actions WHERE case_id = $1 ORDER BY seq`, caseID)
	if err != nil {
		return nil, fmt.Errorf("history of case %s: %w", caseID, err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (casefile.Action, error) {
		var a casefile.Action
		err := row.Scan(&a.Seq, &a.At, &a.Actor, &a.ActorName, &a.ActorPosition, &a.Code, &a.Description, &a.DocumentID, &a.Data)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("history of case %s: %w", caseID, err)
	}
	return list, nil
}
