// Package cases keeps case files (sprawy): their references (znak sprawy), allocated without
// gaps and without races per unit, JRWA class and year, and the list clerks work from.
package cases

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/problem"
	"github.com/obieg/obieg/internal/records/audit"
)

// ErrNotFound means no such case (or document of a case); it is of kind problem.NotFound.
var ErrNotFound = problem.NewNotFound("Nie ma takiej sprawy.", errors.New("case not found"))

// Store reads and writes cases in PostgreSQL. Every change it makes is appended to the audit
// log in the same transaction.
type Store struct {
	pool  *pgxpool.Pool
	audit *audit.Log
}

// New returns a store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool, audit: audit.New(pool)} }

// Open opens a case for a submission in unit under JRWA class, numbered in the year of at
// (Warsaw time): the next sequence of that (unit, class, year). When the submission already
// opened a case, that case is returned and nothing changes, so a retried call is harmless.
func (s *Store) Open(ctx context.Context, submissionID uuid.UUID, unit, class, title string, at time.Time, loc *time.Location) (casefile.Case, error) {
	var c casefile.Case
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		existing, err := getCase(ctx, tx, "c.origin_submission_id = $1", submissionID)
		if err == nil {
			c = existing
			return nil
		}
		if !errors.Is(err, ErrNotFound) {
			return err
		}
		ref := casefile.Reference{Unit: unit, Class: class, Year: at.In(loc).Year()}
		if err := tx.QueryRow(ctx, `
			INSERT INTO case_counters (unit_code, jrwa_symbol, year, last) VALUES ($1, $2, $3, 1)
			ON CONFLICT (unit_code, jrwa_symbol, year) DO UPDATE SET last = case_counters.last + 1
			RETURNING last`, unit, class, ref.Year).Scan(&ref.Seq); err != nil {
			return fmt.Errorf("allocate sequence: %w", err)
		}
		if err := ref.Validate(); err != nil {
			return err
		}
		id, err := uuid.NewV7()
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO cases (id, reference, unit_code, jrwa_symbol, seq, year, title, status,
				origin_submission_id, opened_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9)`,
			id, ref.String(), unit, class, ref.Seq, ref.Year, title, submissionID, at); err != nil {
			return fmt.Errorf("insert case %s: %w", ref, err)
		}
		if _, err := s.audit.AppendTx(ctx, tx, audit.Entry{
			OccurredAt: at, Actor: audit.SystemActor, ActorRole: audit.SystemActor, Action: audit.ActionCaseOpened,
			ObjectType: "case", ObjectID: ref.String(), Unit: unit,
			Details:        map[string]any{"jrwa_class": class, "submission_id": submissionID.String()},
			IdempotencyKey: "case.opened/" + submissionID.String(),
		}); err != nil {
			return err
		}
		c, err = getCase(ctx, tx, "c.id = $1", id)
		return err
	})
	if err != nil {
		return casefile.Case{}, fmt.Errorf("open case for submission %s: %w", submissionID, err)
	}
	return c, nil
}

// Filter narrows List.
type Filter struct {
	// Units, when not empty, limits the list to cases of these units.
	Units []string
	// Limit caps the number of cases; 0 means 100.
	Limit int
}

// List returns cases, newest first.
func (s *Store) List(ctx context.Context, f Filter) ([]casefile.Case, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	rows, err := s.pool.Query(ctx, selectCases+`
		WHERE (coalesce(cardinality($1::text[]), 0) = 0 OR c.unit_code = ANY($1))
		ORDER BY c.opened_at DESC, c.reference DESC LIMIT $2`, f.Units, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	list, err := pgx.CollectRows(rows, scanCase)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	return list, nil
}

// GetByID returns the case with id.
func (s *Store) GetByID(ctx context.Context, id uuid.UUID) (casefile.Case, error) {
	return getCase(ctx, s.pool, "c.id = $1", id)
}

// Get returns the case with reference ref.
func (s *Store) Get(ctx context.Context, ref string) (casefile.Case, error) {
	return getCase(ctx, s.pool, "c.reference = $1", ref)
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func getCase(ctx context.Context, q querier, where string, arg any) (casefile.Case, error) {
	rows, err := q.Query(ctx, selectCases+" WHERE "+where, arg)
	if err != nil {
		return casefile.Case{}, fmt.Errorf("get case: %w", err)
	}
	c, err := pgx.CollectExactlyOneRow(rows, scanCase)
	if errors.Is(err, pgx.ErrNoRows) {
		return casefile.Case{}, fmt.Errorf("%w: %v", ErrNotFound, arg)
	}
	if err != nil {
		return casefile.Case{}, fmt.Errorf("get case: %w", err)
	}
	return c, nil
}

const selectCases = `
	SELECT c.id, c.reference, c.unit_code, u.name, c.jrwa_symbol, j.heading, c.title, c.status,
		c.opened_at, c.origin_submission_id, c.stage, coalesce(c.assignee, ''), c.instructions, c.term,
		c.due_on, c.overdue, coalesce(s.form_type, ''), coalesce(s.sender_name, ''),
		CASE WHEN s.channel = 'edoreczenia' THEN s.sender_id ELSE '' END, c.appeal_review
	FROM cases c JOIN units u ON u.code = c.unit_code JOIN jrwa_classes j ON j.symbol = c.jrwa_symbol
	LEFT JOIN submissions s ON s.id = c.origin_submission_id`

func scanCase(row pgx.CollectableRow) (casefile.Case, error) {
	var c casefile.Case
	var origin *uuid.UUID
	var due *time.Time
	err := row.Scan(&c.ID, &c.Reference, &c.Unit, &c.UnitName, &c.Class, &c.ClassHeading, &c.Title,
		&c.Status, &c.OpenedAt, &origin, &c.Stage, &c.Assignee, &c.Instructions, &c.Term, &due, &c.Overdue, &c.FormType,
		&c.Party, &c.PartyAddress, &c.AppealReview)
	if origin != nil {
		c.OriginSubmissionID = *origin
	}
	if due != nil {
		c.DueOn = civil.DateOf(*due)
	}
	return c, err
}

// RegisterEntry is a line of a register of cases of one JRWA class (such as the complaints
// register): the case with who filed it and when.
type RegisterEntry struct {
	casefile.Case
	ReceivedAt time.Time  `json:"received_at"`
	Sender     string     `json:"sender"`
	ClosedAt   *time.Time `json:"closed_at,omitempty"`
}

// Register lists the cases of JRWA class in the given units (all units when units is
// empty), oldest first, at most limit: the complaints register is the register of the class
// complaints are routed to.
func (s *Store) Register(ctx context.Context, class string, units []string, limit int) ([]RegisterEntry, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT c.id, c.reference, c.unit_code, u.name, c.jrwa_symbol, j.heading, c.title, c.status,
			c.opened_at, c.origin_submission_id, c.stage, coalesce(c.assignee, ''), c.instructions, c.term,
			c.due_on, c.overdue, coalesce(s.received_at, c.opened_at), coalesce(nullif(s.sender_name, ''), 'brak danych'), c.closed_at
		FROM cases c JOIN units u ON u.code = c.unit_code JOIN jrwa_classes j ON j.symbol = c.jrwa_symbol
		LEFT JOIN submissions s ON s.id = c.origin_submission_id
		WHERE c.jrwa_symbol = $1 AND (coalesce(cardinality($2::text[]), 0) = 0 OR c.unit_code = ANY($2))
		ORDER BY coalesce(s.received_at, c.opened_at), c.reference LIMIT $3`, class, units, limit)
	if err != nil {
		return nil, fmt.Errorf("register of class %s: %w", class, err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (RegisterEntry, error) {
		var e RegisterEntry
		var origin *uuid.UUID
		var due *time.Time
		err := row.Scan(&e.ID, &e.Reference, &e.Unit, &e.UnitName, &e.Class, &e.ClassHeading, &e.Title,
			&e.Status, &e.OpenedAt, &origin, &e.Stage, &e.Assignee, &e.Instructions, &e.Term, &due, &e.Overdue,
			&e.ReceivedAt, &e.Sender, &e.ClosedAt)
		if origin != nil {
			e.OriginSubmissionID = *origin
		}
		if due != nil {
			e.DueOn = civil.DateOf(*due)
		}
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("register of class %s: %w", class, err)
	}
	return list, nil
}
