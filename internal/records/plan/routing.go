package plan

// The routing rules: where a recognised submission goes (its form type maps to a JRWA class,
// the unit that handles it and the KPA term). Read here, written by PutRule.

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/obieg/obieg/internal/domain/jrwa"
	"github.com/obieg/obieg/internal/domain/problem"
)

// ErrNoRule means no rule routes the form type; the registry clerk routes it by hand.
var ErrNoRule = problem.NewNotFound("Nie ma reguły kierowania dla tego formularza.", errors.New("no routing rule"))

// Lookup returns the rule for formType, or ErrNoRule.
func (s *Store) Lookup(ctx context.Context, formType string) (jrwa.RoutingRule, error) {
	r := jrwa.RoutingRule{FormType: formType}
	err := s.pool.QueryRow(ctx, `SELECT jrwa_symbol, unit_code, term FROM routing_rules WHERE form_type = $1`, formType).Scan(&r.Class, &r.Unit, &r.Term)
	if errors.Is(err, pgx.ErrNoRows) {
		return jrwa.RoutingRule{}, fmt.Errorf("%w for form type %q", ErrNoRule, formType)
	}
	if err != nil {
		return jrwa.RoutingRule{}, fmt.Errorf("look up routing of %q: %w", formType, err)
	}
	return r, nil
}

// CheckTarget reports whether cases can be opened in unit under class: the unit exists and
// the class is terminal (it carries an archival category). A unit or class that cannot take
// cases is of kind problem.Invalid, on the field unit or jrwa_class.
func (s *Store) CheckTarget(ctx context.Context, unit, class string) error {
	var unitOK, classOK bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM units WHERE code = $1),
		EXISTS (SELECT 1 FROM jrwa_classes WHERE symbol = $2 AND category IS NOT NULL)`, unit, class).Scan(&unitOK, &classOK)
	if err != nil {
		return fmt.Errorf("check route %s/%s: %w", unit, class, err)
	}
	switch {
	case !unitOK:
		msg := fmt.Sprintf("Nie ma komórki %s.", unit)
		return problem.NewInvalid(msg, fmt.Errorf("cannot route to unit %q: no such unit", unit), problem.FieldError{Field: "unit", Message: msg})
	case !classOK:
		msg := fmt.Sprintf("Klasa JRWA %s nie istnieje lub nie jest klasą końcową.", class)
		return problem.NewInvalid(msg, fmt.Errorf("cannot route to JRWA class %q: none, or not terminal", class), problem.FieldError{Field: "jrwa_class", Message: msg})
	}
	return nil
}

// Target is a unit or a terminal JRWA class cases can be routed to.
type Target struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Targets lists the units, and the terminal JRWA classes, that cases can be routed to.
func (s *Store) Targets(ctx context.Context) (units, classes []Target, err error) {
	collect := func(sql string) ([]Target, error) {
		rows, err := s.pool.Query(ctx, sql)
		if err != nil {
			return nil, err
		}
		return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Target, error) {
			var t Target
			return t, r.Scan(&t.Code, &t.Name)
		})
	}
	if units, err = collect(`SELECT code, name FROM units ORDER BY code`); err != nil {
		return nil, nil, fmt.Errorf("list units: %w", err)
	}
	if classes, err = collect(`SELECT symbol, heading FROM jrwa_classes WHERE category IS NOT NULL ORDER BY symbol`); err != nil {
		return nil, nil, fmt.Errorf("list JRWA classes: %w", err)
	}
	return units, classes, nil
}

// Rules returns every routing rule, by form type.
func (s *Store) Rules(ctx context.Context) ([]jrwa.RoutingRule, error) {
	rows, err := s.pool.Query(ctx, `SELECT form_type, jrwa_symbol, unit_code, term FROM routing_rules ORDER BY form_type`)
	if err != nil {
		return nil, fmt.Errorf("list routing rules: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (jrwa.RoutingRule, error) {
		var rule jrwa.RoutingRule
		return rule, r.Scan(&rule.FormType, &rule.Class, &rule.Unit, &rule.Term)
	})
}
