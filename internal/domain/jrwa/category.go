package jrwa

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/problem"
)

// ErrInvalid is wrapped by every error this package returns for a malformed category, class
// or plan; it is of kind problem.Invalid.
var ErrInvalid = problem.NewInvalid("", errors.New("invalid"))

// Kind is the kind of an archival category.
type Kind uint8

// The kinds of archival category. The zero Kind means "no category".
const (
	KindA  Kind = iota + 1 // archival material: permanent, handed over to the state archive
	KindB                  // non-archival: kept n years, then destroyed with consent
	KindBE                 // non-archival, assessed by the state archive after n years
	KindBc                 // short-lived: destroyed after use
)

// Counts of full calendar years, each counted from 1 January of the year after closing.
const (
	// StateArchiveYears is how long category A records stay with the office before they are
	// handed over to the state archive: 10 years for electronic records, which is what obieg
	// keeps (paper records stay 25).
	StateArchiveYears = 10
	// OfficeArchiveYears is how long a closed case stays with the unit that handled it before
	// it moves to the office archive (archiwum zakładowe).
	OfficeArchiveYears = 2
	// maxYears bounds n in B<n> and BE<n>; real plans use up to 50.
	maxYears = 100
)

// Category is an archival category: A, B<n>, BE<n> or Bc. The zero Category means that a class
// has none (classes with children). Build one with ParseCategory.
type Category struct {
	Kind  Kind
	Years int // n of B<n> and BE<n>; 0 for A and Bc
}

// ParseCategory parses a category written as in the filing plan, case-sensitive: "A", "Bc",
// "B<n>" or "BE<n>" with n from 1 to 100 without leading zeros, e.g. "B5", "B10", "BE25".
// "B", "B0", "BE", "b5" and "X" are rejected.
func ParseCategory(s string) (Category, error) {
	switch {
	case s == "A":
		return Category{Kind: KindA}, nil
	case s == "Bc":
		return Category{Kind: KindBc}, nil
	case strings.HasPrefix(s, "BE"):
		return parseYears(s, KindBE, s[2:])
	case strings.HasPrefix(s, "B"):
		return parseYears(s, KindB, s[1:])
	}
	return Category{}, fmt.Errorf("parse category %q: want A, Bc, B<n> or BE<n>: %w", s, ErrInvalid)
}

func parseYears(s string, k Kind, num string) (Category, error) {
	if num == "" || num[0] < '1' || num[0] > '9' {
		return Category{}, fmt.Errorf("parse category %q: want a number of years from 1 without leading zeros: %w", s, ErrInvalid)
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return Category{}, fmt.Errorf("parse category %q: %w: %w", s, ErrInvalid, err)
	}
	if n > maxYears {
		return Category{}, fmt.Errorf("parse category %q: more than %d years: %w", s, maxYears, ErrInvalid)
	}
	return Category{Kind: k, Years: n}, nil
}

// IsZero reports whether c is the zero Category, i.e. no category.
func (c Category) IsZero() bool {
	return c == Category{}
}

// Validate reports whether c is a well-formed category, wrapping ErrInvalid otherwise. The
// zero Category is not valid.
func (c Category) Validate() error {
	switch c.Kind {
	case KindA, KindBc:
		if c.Years != 0 {
			return fmt.Errorf("category %v: %d years on a category without a period: %w", c, c.Years, ErrInvalid)
		}
	case KindB, KindBE:
		if c.Years < 1 || c.Years > maxYears {
			return fmt.Errorf("category %v: want 1 to %d years: %w", c, maxYears, ErrInvalid)
		}
	default:
		return fmt.Errorf("category kind %d: %w", c.Kind, ErrInvalid)
	}
	return nil
}

// String returns the category as written in the plan: "A", "B5", "BE10", "Bc"; "" for the zero
// Category.
func (c Category) String() string {
	switch c.Kind {
	case KindA:
		return "A"
	case KindB:
		return "B" + strconv.Itoa(c.Years)
	case KindBE:
		return "BE" + strconv.Itoa(c.Years)
	case KindBc:
		return "Bc"
	}
	return ""
}

// MarshalText encodes c as its String form; the zero Category encodes as "".
func (c Category) MarshalText() ([]byte, error) {
	if c.IsZero() {
		return []byte{}, nil
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("marshal category: %w", err)
	}
	return []byte(c.String()), nil
}

// UnmarshalText decodes a category (see ParseCategory); "" decodes as the zero Category.
func (c *Category) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*c = Category{}
		return nil
	}
	v, err := ParseCategory(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Permanent reports whether records of category c are never destroyed (category A).
func (c Category) Permanent() bool {
	return c.Kind == KindA
}

// RetentionEnd returns the last day the records of a case closed on closedOn must be kept by
// the office: the 31 December that ends the n-th full calendar year after the year of
// closing. For B<n> and BE<n>, n is the category's years; for A it is StateArchiveYears, after
// which the records go to the state archive rather than being destroyed. Bc has no fixed
// period, and ok is false.
//
// Example: B5, closed 2026-05-10. The full years are 2027, 2028, 2029, 2030 and 2031, so the
// period ends on 2031-12-31 and disposal (with the archive's consent) is possible from
// 2032-01-01, which ActionFrom returns.
func (c Category) RetentionEnd(closedOn civil.Date) (end civil.Date, ok bool) {
	var n int
	switch c.Kind {
	case KindA:
		n = StateArchiveYears
	case KindB, KindBE:
		n = c.Years
	default:
		return civil.Date{}, false
	}
	return civil.Date{Year: closedOn.Year + n, Month: time.December, Day: 31}, true
}

// ActionFrom returns the first day on which the records of a case closed on closedOn may
// leave the office's keeping: the day after RetentionEnd. What may happen then is given by
// Action. ok is false for Bc, which has no fixed period.
func (c Category) ActionFrom(closedOn civil.Date) (from civil.Date, ok bool) {
	end, ok := c.RetentionEnd(closedOn)
	if !ok {
		return civil.Date{}, false
	}
	return end.AddDays(1), true
}

// Action is what happens to records when their period is over.
type Action uint8

// The actions, one per Kind.
const (
	ActionNone            Action = iota // zero Category
	ActionTransfer                      // A: hand over to the state archive
	ActionDispose                       // B: destroy, with the state archive's consent
	ActionAssess                        // BE: the state archive assesses; may become A
	ActionDisposeAfterUse               // Bc: destroy after use
)

// Action returns what happens to records of category c at the end of their period.
func (c Category) Action() Action {
	switch c.Kind {
	case KindA:
		return ActionTransfer
	case KindB:
		return ActionDispose
	case KindBE:
		return ActionAssess
	case KindBc:
		return ActionDisposeAfterUse
	}
	return ActionNone
}

// String returns a stable lower-case name of a, e.g. "transfer".
func (a Action) String() string {
	switch a {
	case ActionTransfer:
		return "transfer"
	case ActionDispose:
		return "dispose"
	case ActionAssess:
		return "assess"
	case ActionDisposeAfterUse:
		return "dispose_after_use"
	}
	return "none"
}

// OfficeArchiveFrom returns the day from which a case closed on closedOn moves from the unit
// to the office archive: after OfficeArchiveYears full calendar years. A case closed at any
// time in 2026 has the full years 2027 and 2028, and moves from 2029-01-01.
func OfficeArchiveFrom(closedOn civil.Date) civil.Date {
	return civil.Date{Year: closedOn.Year + OfficeArchiveYears + 1, Month: time.January, Day: 1}
}
