package deadlines_test

import (
	"fmt"
	"time"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/deadlines"
)

// A complaint received on 31 January 2026 must be settled within a month (art. 237 §1 KPA).
// February has no 31st, and 28 February 2026 is a Saturday.
func ExampleExplain() {
	start, _ := civil.ParseDate("2026-01-31")
	term, _ := deadlines.ParseTerm("1m")
	ex := deadlines.Explain(start, term, deadlines.Calendar{}, nil)
	for _, s := range ex.Steps {
		fmt.Println(s.Kind, s.From, s.To)
	}
	fmt.Println("due", ex.Due)
	// Output:
	// count 2026-01-31 2026-02-28
	// month_end 2026-01-31 2026-02-28
	// non_working 2026-02-28 2026-03-02
	// due 2026-03-02
}

// An application delivered through e-Doręczenia with a proof of receipt at 23:30 UTC on
// 31 December starts its term on 1 January, Polish time. Seven days to remedy a formal
// defect (art. 64 §2 KPA), with the party's 3-day delay not counted.
func ExampleDue() {
	received := time.Date(2025, time.December, 31, 23, 30, 0, 0, time.UTC)
	start := deadlines.WarsawDate(received)
	delay := deadlines.Period{
		From: civil.Date{Year: 2026, Month: time.January, Day: 3},
		To:   civil.Date{Year: 2026, Month: time.January, Day: 5},
	}
	due := deadlines.Due(start, deadlines.Term{N: 7, Unit: deadlines.Days}, deadlines.Calendar{}, []deadlines.Period{delay})
	fmt.Println(start, due)
	// Output: 2026-01-01 2026-01-12
}
