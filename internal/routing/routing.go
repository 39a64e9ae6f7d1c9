// Package routing decides where a recognised submission goes: its form type maps to a JRWA
// class and the unit that handles it. The rules are reference data kept by administrators.
package routing

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrNoRule means no rule routes the form type; the registry clerk routes it by hand.
var ErrNoRule = errors.New("no routing rule")

// Rule routes one form type.
type Rule struct {
	FormType string `json:"form_type"`
	Class    string `json:"jrwa_class"`
	Unit     string `json:"unit"`
	// Term is the KPA term of the case, as deadlines.ParseTerm reads it (1m, 14d).
	Term string `json:"term"`
}

// Store reads and writes routing rules in PostgreSQL.
type Store struct {
	pool *pgxpool.Pool
}

// New returns a store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Lookup returns the rule for formType, or ErrNoRule.
func (s *Store) Lookup(ctx context.Context, formType string) (Rule, error) {
	r := Rule{FormType: formType}
	err := s.pool.QueryRow(ctx, `SELECT jrwa_symbol, unit_code, term FROM routing_rules WHERE form_type = $1`, formType).Scan(&r.Class, &r.Unit, &r.Term)
	if errors.Is(err, pgx.ErrNoRows) {
		return Rule{}, fmt.Errorf("%w for form type %q", ErrNoRule, formType)
	}
	if err != nil {
		return Rule{}, fmt.Errorf("look up routing of %q: %w", formType, err)
	}
	return r, nil
}

// Put creates or replaces the rule of r.FormType.
func (s *Store) Put(ctx context.Context, r Rule) error {
	if r.Term == "" {
		r.Term = "1m"
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO routing_rules (form_type, jrwa_symbol, unit_code, term) VALUES ($1, $2, $3, $4)
		ON CONFLICT (form_type) DO UPDATE SET jrwa_symbol = excluded.jrwa_symbol, unit_code = excluded.unit_code,
			term = excluded.term`,
		r.FormType, r.Class, r.Unit, r.Term)
	if err != nil {
		return fmt.Errorf("put routing of %q: %w", r.FormType, err)
	}
	return nil
}
