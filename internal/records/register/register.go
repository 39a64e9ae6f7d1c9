// Package register keeps the incoming side of the office: every submission exactly as it
// arrived (one row per channel and box document id) and the incoming register (rejestr
// przesyłek wpływających, RPW), numbered per calendar year in Polish time without gaps.
// Every write is keyed by a business id, so repeating it (an activity retried) changes
// nothing.
package register

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/incoming"
	"github.com/obieg/obieg/internal/domain/problem"
	"github.com/obieg/obieg/internal/records/audit"
)

// NoData is what the register shows for an unknown field (instrukcja kancelaryjna).
const NoData = "brak danych"

// ErrNotFound means no such submission; it is of kind problem.NotFound.
var ErrNotFound = problem.NewNotFound("Nie ma takiego wpływu.", errors.New("submission not found"))

// Submission is a document as received from a box.
type Submission struct {
	ID            uuid.UUID `json:"id"`
	Channel       string    `json:"channel"`
	BoxDocumentID string    `json:"box_document_id"`
	WorkflowID    string    `json:"workflow_id"`
	BoxAddress    string    `json:"box_address"`
	// ReceivedAt is the receipt that counts in law: the time on the box's proof of receipt.
	ReceivedAt time.Time `json:"received_at"`
	// PulledAt is when obieg took the document from the box.
	PulledAt    time.Time `json:"pulled_at"`
	SenderID    string    `json:"sender_id"`
	SenderName  string    `json:"sender_name"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	RawKey      string    `json:"raw_key"`
	SHA256      string    `json:"sha256"`
	Size        int64     `json:"size"`
	Status      string    `json:"status"`
	FormType    string    `json:"form_type,omitempty"`
	Title       string    `json:"title,omitempty"`
	// QuarantineReason is a reason code (see forms.Reason) when Status is quarantined.
	QuarantineReason string `json:"quarantine_reason,omitempty"`
	QuarantineDetail string `json:"quarantine_detail,omitempty"`
	// Attachments are those the document names by address, stored beside it (Record only).
	Attachments []Attachment `json:"-"`
	// JoinedCaseID is the existing case the submission was joined to (Join), uuid.Nil when
	// it opened its own or waits for the registry.
	JoinedCaseID uuid.UUID `json:"-"`
}

// Attachment is an attachment a submission names by address (an ePUAP FileRepo file).
type Attachment struct {
	Name, Format, URL string
	// RawKey, SHA256 and Size describe the stored copy; RawKey is "" when it was not fetched.
	RawKey, SHA256 string
	Size           int64
}

// Statuses of a submission.
const (
	StatusReceived    = "received"
	StatusQuarantined = "quarantined"
	StatusRegistered  = "registered"
	StatusDismissed   = "dismissed" // quarantined, then dismissed by the registry clerk; kept
)

// Store reads and writes the register in PostgreSQL. Registrations and quarantines are
// appended to the audit log in the same transaction.
type Store struct {
	pool  *pgxpool.Pool
	audit *audit.Log
}

// New returns a store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool, audit: audit.New(pool)} }

// Record stores a received submission unless one with the same channel and box document id
// exists, and returns the id of the stored one: a repeated call returns the first id.
func (s *Store) Record(ctx context.Context, sub Submission) (uuid.UUID, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return uuid.Nil, fmt.Errorf("new submission id: %w", err)
	}
	err = s.pool.QueryRow(ctx, `
		INSERT INTO submissions (id, channel, box_document_id, workflow_id, box_address, pulled_at,
			received_at, sender_id, sender_name, file_name, content_type, raw_key, sha256,
			size_bytes, status)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'received')
		ON CONFLICT (channel, box_document_id) DO UPDATE SET updated_at = submissions.updated_at
		RETURNING id`,
		id, sub.Channel, sub.BoxDocumentID, sub.WorkflowID, sub.BoxAddress, sub.PulledAt,
		sub.ReceivedAt, sub.SenderID, sub.SenderName, sub.FileName, sub.ContentType, sub.RawKey,
		sub.SHA256, sub.Size).Scan(&id)
	if err != nil {
		return uuid.Nil, fmt.Errorf("record submission %s/%s: %w", sub.Channel, sub.BoxDocumentID, err)
	}
	for i, a := range sub.Attachments {
		var key, sha *string
		var size *int64
		if a.RawKey != "" {
			key, sha, size = &a.RawKey, &a.SHA256, &a.Size
		}
		if _, err := s.pool.Exec(ctx, `INSERT INTO submission_attachments (submission_id, position, name, format, url,
			raw_key, sha256, size_bytes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
			id, i, a.Name, a.Format, a.URL, key, sha, size); err != nil {
			return uuid.Nil, fmt.Errorf("record attachment %d of submission %s: %w", i, id, err)
		}
	}
	return id, nil
}

// Quarantine marks a submission as kept aside for the registry clerk, with a reason code and
// a detail, at time at. Quarantining again for the same reason changes nothing.
func (s *Store) Quarantine(ctx context.Context, id uuid.UUID, reason, detail string, at time.Time) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE submissions SET status = 'quarantined', quarantine_reason = $2,
				quarantine_detail = $3, updated_at = now()
			WHERE id = $1 AND status <> 'registered'`, id, reason, detail)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("%w (or registered already): %s", ErrNotFound, id)
		}
		_, err = s.audit.AppendTx(ctx, tx, audit.Entry{
			OccurredAt: at, Actor: audit.SystemActor, ActorRole: audit.SystemActor, Action: audit.ActionSubmissionQuarantined,
			ObjectType: "submission", ObjectID: id.String(), Details: map[string]any{"reason": reason},
			IdempotencyKey: "submission.quarantined/" + id.String() + "/" + reason,
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("quarantine submission %s: %w", id, err)
	}
	return nil
}

// Dismiss closes a quarantined submission without registering it, on the registry clerk's
// decision: it stays stored, with its quarantine reason, the note and who decided, at time at.
// Dismissing again changes nothing; a submission that is neither quarantined nor dismissed is
// refused (problem.Refused).
func (s *Store) Dismiss(ctx context.Context, id uuid.UUID, actor, actorRole, note string, at time.Time) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE submissions SET status = 'dismissed', resolution = $2, updated_at = now()
			WHERE id = $1 AND status = 'quarantined'`, id, note)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			var status string
			if err := tx.QueryRow(ctx, `SELECT status FROM submissions WHERE id = $1`, id).Scan(&status); err != nil {
				return fmt.Errorf("%w: %s", ErrNotFound, id)
			}
			if status != StatusDismissed {
				return problem.NewRefused("Wpływ nie jest już w kwarantannie.", fmt.Errorf("submission %s is %s, not quarantined", id, status))
			}
		}
		_, err = s.audit.AppendTx(ctx, tx, audit.Entry{
			OccurredAt: at, Actor: actor, ActorRole: actorRole, Action: "submission.dismissed",
			ObjectType: "submission", ObjectID: id.String(), Details: map[string]any{"note": note},
			IdempotencyKey: "submission.dismissed/" + id.String(),
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("dismiss submission %s: %w", id, err)
	}
	return nil
}

// Entry is what the register records about a submission beyond the submission itself.
type Entry struct {
	FormType    string
	Title       string
	Attachments int
	// RegisteredAt is when registration happens; the year of the number is its year in Polish time.
	RegisteredAt time.Time
	Signature    Signature
}

// Signature is the verdict on a submission's signatures.
type Signature struct {
	Status    string // unsigned, passed, indeterminate, failed; "" when not verified
	Detail    string // indication/sub-indication
	Signer    string // who signed, by name; never a PESEL
	ReportKey string // S3 key of the validation report
}

// Register gives the submission its incoming register number, unless it has one, which it
// then returns. Numbers are allocated in one transaction with the entry, so a failed
// registration leaves no gap.
func (s *Store) Register(ctx context.Context, id uuid.UUID, e Entry) (incoming.Number, error) {
	var n incoming.Number
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT year, number FROM register_entries WHERE submission_id = $1`, id).Scan(&n.Year, &n.Number)
		if err == nil {
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		var sub Submission
		err = tx.QueryRow(ctx, `SELECT channel, received_at, sender_name, sender_id FROM submissions WHERE id = $1 AND status <> 'dismissed' FOR UPDATE`, id).
			Scan(&sub.Channel, &sub.ReceivedAt, &sub.SenderName, &sub.SenderID)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("%w: %s", ErrNotFound, id)
		}
		if err != nil {
			return err
		}
		n.Year = e.RegisteredAt.In(civil.Warsaw).Year()
		if err := tx.QueryRow(ctx, `
			INSERT INTO register_counters (year, last) VALUES ($1, 1)
			ON CONFLICT (year) DO UPDATE SET last = register_counters.last + 1
			RETURNING last`, n.Year).Scan(&n.Number); err != nil {
			return err
		}
		sender := firstNonEmpty(sub.SenderName, sub.SenderID, NoData)
		title := firstNonEmpty(e.Title, NoData)
		received := sub.ReceivedAt.In(civil.Warsaw)
		if _, err := tx.Exec(ctx, `
			INSERT INTO register_entries (year, number, submission_id, registered_at, received_on,
				channel, sender, title, attachments)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			n.Year, n.Number, id, e.RegisteredAt, time.Date(received.Year(), received.Month(), received.Day(), 0, 0, 0, 0, time.UTC),
			sub.Channel, sender, title, e.Attachments); err != nil {
			return err
		}
		var sigStatus, reportKey *string
		if e.Signature.Status != "" {
			sigStatus = &e.Signature.Status
		}
		if e.Signature.ReportKey != "" {
			reportKey = &e.Signature.ReportKey
		}
		if _, err = tx.Exec(ctx, `
			UPDATE submissions SET status = 'registered', form_type = $2, title = $3,
				quarantine_reason = NULL, quarantine_detail = '', signature_status = $4,
				signature_detail = $5, signer = $6, report_key = $7, updated_at = now()
			WHERE id = $1`, id, e.FormType, e.Title, sigStatus, e.Signature.Detail, e.Signature.Signer, reportKey); err != nil {
			return err
		}
		_, err = s.audit.AppendTx(ctx, tx, audit.Entry{
			OccurredAt: e.RegisteredAt, Actor: audit.SystemActor, ActorRole: audit.SystemActor, Action: audit.ActionSubmissionRegistered,
			ObjectType: "submission", ObjectID: id.String(),
			Details:        map[string]any{"register_number": n.String(), "form_type": e.FormType, "channel": sub.Channel, "signatures": e.Signature.Status},
			IdempotencyKey: "submission.registered/" + id.String(),
		})
		return err
	})
	if err != nil {
		return incoming.Number{}, fmt.Errorf("register submission %s: %w", id, err)
	}
	return n, nil
}

// AssignUnit records in the register entry of a submission the unit it was routed to.
func (s *Store) AssignUnit(ctx context.Context, id uuid.UUID, unit string) error {
	if _, err := s.pool.Exec(ctx, `UPDATE register_entries SET unit_code = $2 WHERE submission_id = $1`, id, unit); err != nil {
		return fmt.Errorf("assign unit %s to submission %s: %w", unit, id, err)
	}
	return nil
}

// Join records that the submission id was joined to the existing case caseID (it names the
// case's reference) and files it in the case's unit. Joining again changes nothing.
func (s *Store) Join(ctx context.Context, id, caseID uuid.UUID) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE submissions SET joined_case_id = $2 WHERE id = $1 AND joined_case_id IS NULL`, id, caseID); err != nil {
			return fmt.Errorf("join submission %s to case %s: %w", id, caseID, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE register_entries r SET unit_code = c.unit_code FROM cases c
			WHERE r.submission_id = $1 AND c.id = $2`, id, caseID); err != nil {
			return fmt.Errorf("file submission %s in the unit of case %s: %w", id, caseID, err)
		}
		return nil
	})
}

// Get returns one submission.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (Submission, error) {
	rows, err := s.pool.Query(ctx, selectSubmissions+` WHERE id = $1`, id)
	if err != nil {
		return Submission{}, fmt.Errorf("get submission %s: %w", id, err)
	}
	sub, err := pgx.CollectExactlyOneRow(rows, scanSubmission)
	if errors.Is(err, pgx.ErrNoRows) {
		return Submission{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err != nil {
		return Submission{}, fmt.Errorf("get submission %s: %w", id, err)
	}
	return sub, nil
}

// Received returns those of the box document ids that have a submission of the channel: what
// an intake took already.
func (s *Store) Received(ctx context.Context, channel string, ids []string) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT box_document_id FROM submissions WHERE channel = $1 AND box_document_id = ANY($2)`, channel, ids)
	if err != nil {
		return nil, fmt.Errorf("submissions received of %d ids: %w", len(ids), err)
	}
	taken, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("submissions received of %d ids: %w", len(ids), err)
	}
	return taken, nil
}

// NewestReceived returns the receipt time of the newest submission of the channel from the
// box at address, zero when it has none: where an intake started anew resumes listing the
// box (index submissions_box_received_idx).
func (s *Store) NewestReceived(ctx context.Context, channel, address string) (time.Time, error) {
	var newest *time.Time
	if err := s.pool.QueryRow(ctx, `SELECT max(received_at) FROM submissions WHERE channel = $1 AND box_address = $2`,
		channel, address).Scan(&newest); err != nil {
		return time.Time{}, fmt.Errorf("newest submission of %s from %s: %w", channel, address, err)
	}
	if newest == nil {
		return time.Time{}, nil
	}
	return *newest, nil
}

// ListByStatus returns the submissions of a status, newest first, at most limit.
func (s *Store) ListByStatus(ctx context.Context, status string, limit int) ([]Submission, error) {
	rows, err := s.pool.Query(ctx, selectSubmissions+` WHERE status = $1 ORDER BY received_at DESC LIMIT $2`, status, limit)
	if err != nil {
		return nil, fmt.Errorf("list %s submissions: %w", status, err)
	}
	subs, err := pgx.CollectRows(rows, scanSubmission)
	if err != nil {
		return nil, fmt.Errorf("list %s submissions: %w", status, err)
	}
	return subs, nil
}

// ListUnrouted returns registered submissions that opened no case (no routing rule matched
// their form), newest first, at most limit: the registry clerk routes them by hand.
func (s *Store) ListUnrouted(ctx context.Context, limit int) ([]Submission, error) {
	rows, err := s.pool.Query(ctx, selectSubmissions+` WHERE status = 'registered' AND joined_case_id IS NULL
		AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.origin_submission_id = submissions.id)
		ORDER BY received_at DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("list unrouted submissions: %w", err)
	}
	subs, err := pgx.CollectRows(rows, scanSubmission)
	if err != nil {
		return nil, fmt.Errorf("list unrouted submissions: %w", err)
	}
	return subs, nil
}

const selectSubmissions = `
	SELECT id, channel, box_document_id, workflow_id, box_address, pulled_at, received_at,
		sender_id, sender_name, file_name, content_type, raw_key, sha256, size_bytes, status,
		coalesce(form_type, ''), coalesce(title, ''), coalesce(quarantine_reason, ''), quarantine_detail,
		coalesce(joined_case_id, '00000000-0000-0000-0000-000000000000')
	FROM submissions`

func scanSubmission(row pgx.CollectableRow) (Submission, error) {
	var s Submission
	err := row.Scan(&s.ID, &s.Channel, &s.BoxDocumentID, &s.WorkflowID, &s.BoxAddress, &s.PulledAt,
		&s.ReceivedAt, &s.SenderID, &s.SenderName, &s.FileName, &s.ContentType, &s.RawKey,
		&s.SHA256, &s.Size, &s.Status, &s.FormType, &s.Title, &s.QuarantineReason, &s.QuarantineDetail,
		&s.JoinedCaseID)
	return s, err
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// Letter is a submission as a case file shows it: with its register number, the verdict on
// its signatures and the attachments stored beside it.
type Letter struct {
	Submission
	// Number and RegisteredAt are zero when the submission is not registered.
	Number       incoming.Number
	RegisteredAt time.Time
	Signature    Signature
	// Stored are the attachments kept beside the document (ePUAP FileRepo files, the files
	// of an e-Doręczenia message), in the order they were recorded.
	Stored []Attachment
}

// Letter returns the submission id with its register entry, signature verdict and stored
// attachments; ErrNotFound when there is no such submission.
func (s *Store) Letter(ctx context.Context, id uuid.UUID) (Letter, error) {
	sub, err := s.Get(ctx, id)
	if err != nil {
		return Letter{}, err
	}
	l := Letter{Submission: sub}
	var sigStatus, reportKey *string
	err = s.pool.QueryRow(ctx, `SELECT signature_status, signature_detail, signer, report_key FROM submissions WHERE id = $1`, id).
		Scan(&sigStatus, &l.Signature.Detail, &l.Signature.Signer, &reportKey)
	if err != nil {
		return Letter{}, fmt.Errorf("signature of submission %s: %w", id, err)
	}
	if sigStatus != nil {
		l.Signature.Status = *sigStatus
	}
	if reportKey != nil {
		l.Signature.ReportKey = *reportKey
	}
	err = s.pool.QueryRow(ctx, `SELECT year, number, registered_at FROM register_entries WHERE submission_id = $1`, id).
		Scan(&l.Number.Year, &l.Number.Number, &l.RegisteredAt)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return Letter{}, fmt.Errorf("register entry of submission %s: %w", id, err)
	}
	rows, err := s.pool.Query(ctx, `SELECT name, format, url, coalesce(raw_key, ''), coalesce(sha256, ''), coalesce(size_bytes, 0)
		FROM submission_attachments WHERE submission_id = $1 ORDER BY position`, id)
	if err != nil {
		return Letter{}, fmt.Errorf("attachments of submission %s: %w", id, err)
	}
	l.Stored, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Attachment, error) {
		var a Attachment
		err := row.Scan(&a.Name, &a.Format, &a.URL, &a.RawKey, &a.SHA256, &a.Size)
		return a, err
	})
	if err != nil {
		return Letter{}, fmt.Errorf("attachments of submission %s: %w", id, err)
	}
	return l, nil
}
