// Package archive declares what obieg's archive keeps of a closed case and for how long: the
// retention of a package's objects by the case's archival category, the layout of the package
// (the state archive's dokumenty/, metadane/ and sprawy/ inside a BagIt bag) and the metadata
// of each document and of the case in the state archives' schema (internal/domain/ndap). It is
// pure: the archive's workflow and activities read the case and its files, and store what this
// package lays out.
package archive

import (
	"errors"
	"fmt"
	"time"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/jrwa"
	"github.com/obieg/obieg/internal/domain/problem"
)

// ErrInvalid is wrapped by the errors of a package that cannot be laid out as asked; it is
// of kind problem.Invalid.
var ErrInvalid = problem.NewInvalid("", errors.New("archive: invalid package"))

// ConfirmationMonths is how long the state archive may take to confirm a transfer of category
// A records (DOMAIN: within 12 months at most); the office keeps everything until then.
const ConfirmationMonths = 12

// Retention is how long a case's package is kept and what happens then.
type Retention struct {
	Category jrwa.Category
	// From is the first day the records may leave the office's keeping (disposal, the state
	// archive's assessment, transfer), in Polish time.
	From civil.Date
	// Until is when the objects' COMPLIANCE lock ends: the start of From, or, for category A,
	// of the day the state archive's confirmation of the transfer is due at the latest. A
	// lock can be lengthened later (a transfer not yet confirmed, a BE record found to be
	// archival), never shortened.
	Until time.Time
}

// RetentionOf returns the retention of a case of category cat closed on closed, whose newest
// document was created on lastCreated, counted as its class's counting says (jrwa.Counting). Category Bc has no fixed
// period: its records are destroyed after use, and obieg keeps them locked for one full
// calendar year after closing, the shortest period any category has.
func RetentionOf(cat jrwa.Category, counting jrwa.Counting, closed, lastCreated civil.Date) (Retention, error) {
	if err := cat.Validate(); err != nil {
		return Retention{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if closed.IsZero() {
		return Retention{}, fmt.Errorf("%w: the case has no closing date", ErrInvalid)
	}
	from := closed
	if counting == jrwa.FromCreation {
		if lastCreated.IsZero() {
			return Retention{}, fmt.Errorf("%w: counting from creation needs the newest document's date", ErrInvalid)
		}
		from = lastCreated
	}
	r := Retention{Category: cat}
	if start, ok := cat.ActionFrom(from); ok {
		r.From = start
	} else { // Bc
		r.From = civil.Date{Year: from.Year + 2, Month: time.January, Day: 1}
	}
	until := r.From
	if cat.Permanent() {
		until = until.AddMonths(ConfirmationMonths)
	}
	r.Until = time.Date(until.Year, until.Month, until.Day, 0, 0, 0, 0, civil.Warsaw)
	return r, nil
}
