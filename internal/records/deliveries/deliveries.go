// Package deliveries records how the office's signed letters travel to their addressees
// through e-Doręczenia: each sending with the identifiers the service gave it, its status,
// and the date of delivery the proof of receipt attests. The store makes each step of a
// sending recordable once, so that the activities that drive it can be retried: a draft made
// is reused, a letter sent is never sent again.
package deliveries

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/delivery"
	"github.com/obieg/obieg/internal/domain/problem"
)

// ErrNotFound means there is no such sending; it is of kind problem.NotFound.
var ErrNotFound = problem.NewNotFound("Nie ma takiej wysyłki.", errors.New("delivery: not found"))

// Store keeps the sendings in PostgreSQL. What a sending means for its case (sent,
// delivered) is recorded in the case's history, and so in the audit log, by the case
// workflow.
type Store struct{ pool *pgxpool.Pool }

// New returns a store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

const columns = `id, case_id, coalesce(document_id, '00000000-0000-0000-0000-000000000000'),
	coalesce(submission_id, '00000000-0000-0000-0000-000000000000'), channel, address, status, coalesce(message_id, ''),
	coalesce(task_id, ''), sent_at, delivered_on, coalesce(deemed, false), coalesce(evidence_id, ''), coalesce(reason, ''),
	created_at, created_by, coalesce(proof_key, ''), coalesce(proof_sha256, ''), coalesce(proof_size, 0),
	coalesce(proof_signature, ''), coalesce(proof_signature_detail, ''), coalesce(proof_report_key, ''), coalesce(proof_missing, '')`

func scan(row pgx.Row) (delivery.Delivery, error) {
	var d delivery.Delivery
	var on *time.Time
	var p delivery.Proof
	err := row.Scan(&d.ID, &d.CaseID, &d.DocumentID, &d.SubmissionID, &d.Channel, &d.Address, &d.Status, &d.MessageID, &d.TaskID,
		&d.SentAt, &on, &d.Deemed, &d.EvidenceID, &d.Reason, &d.CreatedAt, &d.CreatedBy,
		&p.Key, &p.SHA256, &p.Size, &p.Signature, &p.SignatureDetail, &p.ReportKey, &p.Missing)
	if errors.Is(err, pgx.ErrNoRows) {
		return delivery.Delivery{}, ErrNotFound
	}
	if on != nil {
		d.DeliveredOn = civil.DateOf(*on)
	}
	if p.Key != "" || p.Missing != "" {
		d.Proof = &p
	}
	return d, err
}

// Ensure records the sending d once per key and returns it as recorded: a second call with
// the same key returns the first sending, whatever it has become.
func (s *Store) Ensure(ctx context.Context, d delivery.Delivery, key string) (delivery.Delivery, error) {
	var out delivery.Delivery
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		existing, err := scan(tx.QueryRow(ctx, `SELECT `+columns+` FROM deliveries WHERE idempotency_key = $1`, key))
		if err == nil {
			out = existing
			return nil
		}
		if !errors.Is(err, ErrNotFound) {
			return err
		}
		if d.ID, err = uuid.NewV7(); err != nil {
			return err
		}
		d.Status = delivery.StatusNew
		if _, err := tx.Exec(ctx, `INSERT INTO deliveries (id, case_id, document_id, submission_id, channel, address, status,
			created_at, created_by, idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			d.ID, d.CaseID, nullID(d.DocumentID), nullID(d.SubmissionID), d.Channel, d.Address, d.Status, d.CreatedAt, d.CreatedBy, key); err != nil {
			return err
		}
		out = d
		return nil
	})
	return out, err
}

// nullID is id, or NULL for uuid.Nil.
func nullID(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

// Get returns the sending id.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (delivery.Delivery, error) {
	return scan(s.pool.QueryRow(ctx, `SELECT `+columns+` FROM deliveries WHERE id = $1`, id))
}

// ByMessage returns the sending whose message the service calls messageID.
func (s *Store) ByMessage(ctx context.Context, messageID string) (delivery.Delivery, error) {
	return scan(s.pool.QueryRow(ctx, `SELECT `+columns+` FROM deliveries WHERE message_id = $1`, messageID))
}

// OfCase returns the sendings of a case, oldest first.
func (s *Store) OfCase(ctx context.Context, caseID uuid.UUID) ([]delivery.Delivery, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+columns+` FROM deliveries WHERE case_id = $1 ORDER BY created_at, id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []delivery.Delivery
	for rows.Next() {
		d, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Drafted records that the service holds the draft messageID of the new sending id. A
// sending past new keeps what it has: the caller reads it again.
func (s *Store) Drafted(ctx context.Context, id uuid.UUID, messageID string) error {
	return s.set(ctx, id, `status = 'drafted', message_id = $2`, `status = 'new'`, messageID)
}

// Sent records that the service accepted the sending id, in task taskID, at at.
func (s *Store) Sent(ctx context.Context, id uuid.UUID, taskID string, at time.Time) error {
	return s.set(ctx, id, `status = 'sent', task_id = $2, sent_at = $3`, `status = 'drafted'`, taskID, at)
}

// Ordered records that ePUAP's doręczyciel accepted the new sending id at at: messageID is
// the id ePUAP gave the delivered document (its UPD names it), orderID the delivery order's.
// The step has no draft: it goes from new to sent at once.
func (s *Store) Ordered(ctx context.Context, id uuid.UUID, messageID, orderID string, at time.Time) error {
	return s.set(ctx, id, `status = 'sent', message_id = $2, task_id = $3, sent_at = $4`, `status = 'new'`, messageID, orderID, at)
}

// Rejected records that the service refused the sending id, and why.
func (s *Store) Rejected(ctx context.Context, id uuid.UUID, reason string) error {
	return s.set(ctx, id, `status = 'rejected', reason = $2`, `status IN ('new', 'drafted', 'sent')`, reason)
}

// Delivered records the proof of receipt of the sending id: the day of delivery, whether it
// was deemed (not collected), the evidence's id and its document as kept (proof.Key empty:
// not kept, proof.Missing says why).
func (s *Store) Delivered(ctx context.Context, id uuid.UUID, on civil.Date, deemed bool, evidenceID string, proof delivery.Proof) error {
	return s.set(ctx, id, `status = 'delivered', delivered_on = $2, deemed = $3, evidence_id = $4, proof_key = nullif($5, ''),
		proof_sha256 = nullif($6, ''), proof_size = nullif($7, 0), proof_signature = nullif($8, ''),
		proof_signature_detail = nullif($9, ''), proof_report_key = nullif($10, ''), proof_missing = nullif($11, '')`, `status = 'sent'`,
		on.In(time.UTC), deemed, evidenceID, proof.Key, proof.SHA256, proof.Size, proof.Signature, proof.SignatureDetail,
		proof.ReportKey, proof.Missing)
}

// set changes the sending id when it stands where from says; standing elsewhere (the step
// was recorded before) changes nothing and is not an error.
func (s *Store) set(ctx context.Context, id uuid.UUID, change, from string, args ...any) error {
	tag, err := s.pool.Exec(ctx, `UPDATE deliveries SET `+change+` WHERE id = $1 AND `+from, append([]any{id}, args...)...)
	if err != nil {
		return fmt.Errorf("delivery %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		if _, err := s.Get(ctx, id); err != nil {
			return fmt.Errorf("delivery %s: %w", id, err)
		}
	}
	return nil
}
