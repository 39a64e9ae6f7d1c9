// Package plan keeps the office's reference data that administrators edit, and reads it for
// everyone else: the filing plan (JRWA classes with their archival categories) and the routing
// rules (form type to class, unit and KPA term), read and written in one place. Every change is checked as a whole (the plan stays a valid plan; a rule
// points at a terminal class of an existing unit and carries a valid term) and recorded in the
// audit log in the same transaction.
package plan

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/obieg/obieg/internal/domain/deadlines"
	"github.com/obieg/obieg/internal/domain/jrwa"
	"github.com/obieg/obieg/internal/domain/problem"
	"github.com/obieg/obieg/internal/records/audit"
)

// Store edits the filing plan and routing rules in PostgreSQL.
type Store struct {
	pool  *pgxpool.Pool
	audit *audit.Log
}

// New returns a store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool, audit: audit.New(pool)} }

// Classes returns the filing plan.
func (s *Store) Classes(ctx context.Context) ([]jrwa.Class, error) {
	return classes(ctx, s.pool)
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func classes(ctx context.Context, q querier) ([]jrwa.Class, error) {
	rows, err := q.Query(ctx, `SELECT symbol, heading, coalesce(category, ''), retention_counting FROM jrwa_classes ORDER BY symbol`)
	if err != nil {
		return nil, fmt.Errorf("read the filing plan: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (jrwa.Class, error) {
		var c jrwa.Class
		var cat, counting string
		if err := r.Scan(&c.Symbol, &c.Heading, &cat, &counting); err != nil {
			return c, err
		}
		if cat != "" {
			// Only a terminal class carries a category, and its counting.
			c.Counting = jrwa.Counting(counting)
		}
		if cat != "" {
			parsed, err := jrwa.ParseCategory(cat)
			if err != nil {
				return c, err
			}
			c.Category = parsed
		}
		return c, nil
	})
}

// refused says "Zmiana odrzucona" before the Polish message of an error of kind
// problem.Invalid, which keeps its fields at fault; other errors are returned as they are.
func refused(err error) error {
	if problem.KindOf(err) != problem.Invalid {
		return err
	}
	return problem.NewInvalid("Zmiana odrzucona: "+problem.MessageOf(err), err, problem.FieldsOf(err)...)
}

// Who is the administrator making a change, for the audit log.
type Who struct {
	Username, Role string
	At             time.Time
}

// PutClass adds or changes a class of the filing plan. The plan with the change must still
// be valid (jrwa.NewPlan): its parent exists, only terminal classes carry a category; a
// change that would break it is of kind problem.Invalid, its message saying why in Polish.
func (s *Store) PutClass(ctx context.Context, c jrwa.Class, who Who) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `LOCK TABLE jrwa_classes IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return err
		}
		current, err := classes(ctx, tx)
		if err != nil {
			return err
		}
		next := []jrwa.Class{c}
		for _, old := range current {
			if old.Symbol != c.Symbol {
				next = append(next, old)
			}
		}
		if _, err := jrwa.NewPlan(next); err != nil {
			return refused(fmt.Errorf("check the plan with class %s: %w", c.Symbol, err))
		}
		var cat *string
		if !c.Category.IsZero() {
			v := c.Category.String()
			cat = &v
		}
		counting, _ := jrwa.ParseCounting(string(c.Counting)) // checked by NewPlan
		if _, err := tx.Exec(ctx, `INSERT INTO jrwa_classes (symbol, heading, category, retention_counting) VALUES ($1, $2, $3, $4)
			ON CONFLICT (symbol) DO UPDATE SET heading = excluded.heading, category = excluded.category,
				retention_counting = excluded.retention_counting`, c.Symbol, c.Heading, cat, string(counting)); err != nil {
			return fmt.Errorf("save JRWA class %s: %w", c.Symbol, err)
		}
		_, err = s.audit.AppendTx(ctx, tx, audit.Entry{OccurredAt: who.At, Actor: who.Username, ActorRole: who.Role,
			Action: "jrwa.class_saved", ObjectType: "jrwa_class", ObjectID: c.Symbol,
			Details: map[string]any{"heading": c.Heading, "category": c.Category.String(), "counting": string(counting)}})
		return err
	})
}

// PutRule creates or replaces the routing rule of a form type: its class must be terminal,
// its unit exist and its term parse (deadlines.ParseTerm); a rule that breaks one of these is
// of kind problem.Invalid, on the field at fault (term, unit, jrwa_class) when there is one.
func (s *Store) PutRule(ctx context.Context, r jrwa.RoutingRule, who Who) error {
	if _, err := deadlines.ParseTerm(r.Term); err != nil {
		return refused(problem.NewInvalid("", fmt.Errorf("rule of %s: %w", r.FormType, err),
			problem.FieldError{Field: "term", Message: fmt.Sprintf("Termin %q: podaj liczbę i jednostkę (d – dni, w – tygodnie, m – miesiące), np. 14d albo 1m.", r.Term)}))
	}
	if r.FormType == "" {
		return refused(problem.NewInvalid("Podaj rodzaj formularza.", errors.New("rule without a form type")))
	}
	if err := s.CheckTarget(ctx, r.Unit, r.Class); err != nil {
		return refused(err)
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			INSERT INTO routing_rules (form_type, jrwa_symbol, unit_code, term) VALUES ($1, $2, $3, $4)
			ON CONFLICT (form_type) DO UPDATE SET jrwa_symbol = excluded.jrwa_symbol, unit_code = excluded.unit_code,
				term = excluded.term`, r.FormType, r.Class, r.Unit, r.Term); err != nil {
			return fmt.Errorf("save routing of %s: %w", r.FormType, err)
		}
		_, err := s.audit.AppendTx(ctx, tx, audit.Entry{OccurredAt: who.At, Actor: who.Username, ActorRole: who.Role,
			Action: "routing.rule_saved", ObjectType: "routing_rule", ObjectID: r.FormType,
			Details: map[string]any{"jrwa_class": r.Class, "unit": r.Unit, "term": r.Term}})
		return err
	})
}
