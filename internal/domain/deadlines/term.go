package deadlines

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/obieg/obieg/internal/domain/problem"
)

// ErrInvalid is wrapped by every error this package returns for malformed input.
// It is of kind problem.Invalid.
var ErrInvalid = problem.NewInvalid("", errors.New("invalid"))

// Unit is the unit a Term is counted in.
type Unit uint8

// The units of art. 57 KPA. Years (art. 57 §3a) are not offered: the domain has no term in
// years, and 12 months give the same end.
const (
	Days   Unit = iota + 1 // art. 57 §1, written "d"
	Weeks                  // art. 57 §2, written "w"; a week is 7 days
	Months                 // art. 57 §3, written "m"
)

// Upper bounds on N, far above any KPA term, that keep arithmetic and loops small.
const (
	maxDays   = 3660
	maxWeeks  = 520
	maxMonths = 120
)

// Term is a length of time in KPA units, such as 14 days or 1 month. The zero Term is not
// valid; build Terms with ParseTerm or as a literal with N > 0.
type Term struct {
	N    int
	Unit Unit
}

// ParseTerm parses a term written as a positive whole number without leading zeros followed
// by a unit letter: "7d" or "14d" (days), "1w" (weeks), "1m" or "2m" (months). Letters are
// lower case; spaces and signs are rejected.
func ParseTerm(s string) (Term, error) {
	if len(s) < 2 {
		return Term{}, fmt.Errorf("parse term %q: want a number and a unit (d, w, m): %w", s, ErrInvalid)
	}
	num, unit := s[:len(s)-1], s[len(s)-1]
	var t Term
	switch unit {
	case 'd':
		t.Unit = Days
	case 'w':
		t.Unit = Weeks
	case 'm':
		t.Unit = Months
	default:
		return Term{}, fmt.Errorf("parse term %q: unknown unit %q, want d, w or m: %w", s, unit, ErrInvalid)
	}
	if num[0] < '1' || num[0] > '9' {
		return Term{}, fmt.Errorf("parse term %q: want a number from 1 without leading zeros: %w", s, ErrInvalid)
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return Term{}, fmt.Errorf("parse term %q: %w: %w", s, ErrInvalid, err)
	}
	t.N = n
	if err := t.Validate(); err != nil {
		return Term{}, fmt.Errorf("parse term %q: %w", s, err)
	}
	return t, nil
}

// Validate reports whether t has a known unit and a count from 1 to the unit's bound (3660
// days, 520 weeks, 120 months), wrapping ErrInvalid otherwise.
func (t Term) Validate() error {
	limit := 0
	switch t.Unit {
	case Days:
		limit = maxDays
	case Weeks:
		limit = maxWeeks
	case Months:
		limit = maxMonths
	default:
		return fmt.Errorf("term unit %d: %w", t.Unit, ErrInvalid)
	}
	if t.N < 1 || t.N > limit {
		return fmt.Errorf("term count %d: want 1 to %d: %w", t.N, limit, ErrInvalid)
	}
	return nil
}

// String returns the term in the form ParseTerm accepts, e.g. "14d" or "1m".
func (t Term) String() string {
	var u string
	switch t.Unit {
	case Days:
		u = "d"
	case Weeks:
		u = "w"
	case Months:
		u = "m"
	default:
		u = "?"
	}
	return strconv.Itoa(t.N) + u
}

// MarshalText encodes t as its String form, so that JSON carries terms as "14d".
func (t Term) MarshalText() ([]byte, error) {
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("marshal term: %w", err)
	}
	return []byte(t.String()), nil
}

// UnmarshalText decodes a term; see ParseTerm.
func (t *Term) UnmarshalText(b []byte) error {
	v, err := ParseTerm(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}
