package jrwa

import (
	"fmt"

	"github.com/obieg/obieg/internal/domain/problem"
)

// Counting says from when the retention period of a class's records is counted, each way in
// full calendar years from 1 January of the year after the event. Offices differ (the 2006
// annex counts from the documents' creation, common practice from the case's closing), and
// the centre's archive instruction says which: the plan keeps it per terminal class.
type Counting string

// The ways of counting a retention period.
const (
	// FromClosing counts from the year the case closed: a B5 case closed in 2026 may be
	// destroyed from 1 January 2032. A class that says nothing counts this way.
	FromClosing Counting = "closing"
	// FromCreation counts from the year the case's newest document was created.
	FromCreation Counting = "creation"
)

// ParseCounting reads a Counting as stored or given; "" is FromClosing.
func ParseCounting(s string) (Counting, error) {
	switch Counting(s) {
	case "", FromClosing:
		return FromClosing, nil
	case FromCreation:
		return FromCreation, nil
	}
	return "", problem.NewInvalid(fmt.Sprintf("Sposób liczenia okresu przechowywania %q: podaj closing (od zakończenia sprawy) albo creation (od wytworzenia dokumentów).", s),
		fmt.Errorf("counting %q is neither %q nor %q: %w", s, FromClosing, FromCreation, ErrInvalid))
}
