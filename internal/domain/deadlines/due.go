package deadlines

import (
	"fmt"
	"slices"
	"strings"

	"github.com/obieg/obieg/internal/domain/civil"
)

// Period is a closed interval of days, From and To included, that is not counted into a term
// (art. 35 §5 KPA): a suspension, a delay caused by the party, a statutory wait. A Period with
// To before From is empty.
type Period struct {
	From civil.Date `json:"from"`
	To   civil.Date `json:"to"`
}

// Validate reports whether both ends are valid dates and From is not after To, wrapping
// ErrInvalid otherwise. Due itself accepts any Period and treats a reversed one as empty.
func (p Period) Validate() error {
	if !p.From.IsValid() || !p.To.IsValid() {
		return fmt.Errorf("period %v..%v: not a valid date: %w", p.From, p.To, ErrInvalid)
	}
	if p.To.Before(p.From) {
		return fmt.Errorf("period %v..%v: ends before it starts: %w", p.From, p.To, ErrInvalid)
	}
	return nil
}

// Days returns the number of days in p, both ends included; 0 for an empty Period.
func (p Period) Days() int {
	if p.To.Before(p.From) {
		return 0
	}
	return p.To.DaysSince(p.From) + 1
}

// StepKind names a step of an Explanation; the values are stable and meant for programs
// (a user interface may translate them), while Step.Note is a Polish sentence for people.
type StepKind string

// The steps of a computation, in the order they may appear.
const (
	StepCount      StepKind = "count"       // the calendar end by art. 57 §1-3
	StepMonthEnd   StepKind = "month_end"   // the month had no such day: its last day instead
	StepExcluded   StepKind = "excluded"    // days not counted (art. 35 §5) extend the term
	StepNonWorking StepKind = "non_working" // the end fell on a day off: next working day (art. 57 §4)
)

// Step is one step from the start of a term to its end.
type Step struct {
	Kind StepKind   `json:"kind"`
	Rule string     `json:"rule"` // legal basis, e.g. "art. 57 § 4 k.p.a."
	From civil.Date `json:"from"`
	To   civil.Date `json:"to"`
	// Skipped lists the days passed over by a non_working step, or the parts of the
	// excluded periods counted by an excluded step, each with its reason.
	Skipped []SkippedDay `json:"skipped,omitempty"`
	Note    string       `json:"note"` // Polish, for the user
}

// SkippedDay is a day, or a run of days, that a step passed over.
type SkippedDay struct {
	From   civil.Date `json:"from"`
	To     civil.Date `json:"to"`
	Reason string     `json:"reason"` // e.g. "sobota", "dzień Bożego Ciała", "okres niewliczany do terminu"
}

// Explanation is the result of Explain: the due date and how it was reached.
type Explanation struct {
	Start        civil.Date `json:"start"`
	Term         Term       `json:"term"`
	CalendarEnd  civil.Date `json:"calendar_end"`  // end by art. 57 §1-3, before anything else
	ExcludedDays int        `json:"excluded_days"` // days of excluded periods counted (art. 35 §5)
	Due          civil.Date `json:"due"`           // the last day of the term
	Steps        []Step     `json:"steps"`
}

// Due returns the last day of term started by an event on start, under art. 57 and art. 35 §5
// KPA. It equals Explain(start, term, cal, excluded).Due; see Explain for the rules.
func Due(start civil.Date, term Term, cal Calendar, excluded []Period) civil.Date {
	return compute(start, term, cal, excluded, false).Due
}

// Explain computes the last day of term started by an event on start and records every step,
// for showing the user why the term ends when it does. It is deterministic: the result
// depends only on its arguments. The computation is:
//
//  1. Calendar end (art. 57 §1-3). The start day is not counted. A term of N days ends on
//     start+N, of N weeks on start+7N; of N months on the same day-number N months later, or
//     on the last day of that month if it is shorter. L is the number of days from start to
//     this calendar end.
//  2. Excluded periods (art. 35 §5). The term runs only on days that are after start and in
//     no excluded period; it ends on the L-th such day. Equivalently, the calendar end is
//     pushed back by one day for every excluded day in (start, end], counting also the
//     excluded days the push itself reaches. Excluded days on or before start do not matter;
//     overlapping periods count each day once. So a month term keeps its calendar length L
//     and is prolonged by the excluded days, exactly as a day term is.
//  3. Days off (art. 57 §4). If the end is a Saturday, a Sunday or a public holiday, it moves
//     to the next working day; a day inside an excluded period is passed over as well, since
//     the term does not run on it.
//
// start must be a valid date (civil.ParseDate and WarsawDate give one). A term that fails
// Term.Validate is treated as zero days: the result is start, moved by step 3. The caller
// validates its input with ParseTerm or Term.Validate.
func Explain(start civil.Date, term Term, cal Calendar, excluded []Period) Explanation {
	return compute(start, term, cal, excluded, true)
}

// compute is Due and Explain; explain says whether to record the steps.
func compute(start civil.Date, term Term, cal Calendar, excluded []Period, explain bool) Explanation {
	ex := Explanation{Start: start, Term: term}

	// 1. Calendar end.
	end := start
	if term.Validate() == nil {
		switch term.Unit {
		case Days:
			end = start.AddDays(term.N)
		case Weeks:
			end = start.AddDays(7 * term.N)
		case Months:
			end = start.AddMonths(term.N)
		}
	}
	ex.CalendarEnd = end
	if explain {
		ex.Steps = append(ex.Steps, Step{
			Kind: StepCount,
			Rule: countRule(term),
			From: start,
			To:   end,
			Note: fmt.Sprintf("Dnia zdarzenia (%v) nie wlicza się do terminu; termin %s upływa %v.", start, termPolish(term), end),
		})
		if term.Unit == Months && end.Day != start.Day {
			ex.Steps = append(ex.Steps, Step{
				Kind: StepMonthEnd,
				Rule: "art. 57 § 3 k.p.a.",
				From: start,
				To:   end,
				Note: fmt.Sprintf("Miesiąc, w którym upływa termin, nie ma dnia %d; termin upływa w jego ostatnim dniu, %v.", start.Day, end),
			})
		}
	}

	// 2. Excluded periods, merged, sorted and clipped to the days after start.
	periods := mergePeriods(start, excluded)
	var counted []SkippedDay
	for _, p := range periods {
		if p.From.After(end) {
			break
		}
		// The whole period lies within the running term: every excluded day pushes the end.
		end = end.AddDays(p.Days())
		ex.ExcludedDays += p.Days()
		if explain {
			counted = append(counted, SkippedDay{From: p.From, To: p.To, Reason: reasonExcluded})
		}
	}
	if explain && ex.ExcludedDays > 0 {
		ex.Steps = append(ex.Steps, Step{
			Kind:    StepExcluded,
			Rule:    "art. 35 § 5 k.p.a.",
			From:    ex.CalendarEnd,
			To:      end,
			Skipped: counted,
			Note:    fmt.Sprintf("Do terminu nie wlicza się %s (zawieszenie postępowania, opóźnienie z winy strony lub terminy przewidziane w przepisach); termin przedłuża się do %v.", genitive(ex.ExcludedDays, "dnia", "dni"), end),
		})
	}

	// 3. Days off.
	var skipped []SkippedDay
	from := end
	for {
		reason := cal.nonWorkingReason(end)
		if reason == "" {
			p, ok := within(periods, end)
			if !ok {
				break
			}
			if explain {
				skipped = append(skipped, SkippedDay{From: end, To: p.To, Reason: reasonExcluded})
			}
			end = p.To.AddDays(1)
			continue
		}
		if explain {
			skipped = append(skipped, SkippedDay{From: end, To: end, Reason: reason})
		}
		end = end.AddDays(1)
	}
	if explain && end != from {
		kind := "dzień wolny od pracy"
		if slices.ContainsFunc(skipped, func(s SkippedDay) bool { return s.Reason == reasonExcluded }) {
			kind = "dzień wolny od pracy lub niewliczany do terminu"
		}
		ex.Steps = append(ex.Steps, Step{
			Kind:    StepNonWorking,
			Rule:    "art. 57 § 4 k.p.a.",
			From:    from,
			To:      end,
			Skipped: skipped,
			Note:    fmt.Sprintf("Koniec terminu przypada na %s (%s); termin upływa w najbliższym dniu roboczym, %v.", kind, reasons(skipped), end),
		})
	}
	ex.Due = end
	return ex
}

// reasonExcluded is the reason given for days of excluded periods.
const reasonExcluded = "okres niewliczany do terminu"

// mergePeriods returns the non-empty parts of ps after start, sorted and with overlapping or
// adjacent periods joined, so that every day is counted once.
func mergePeriods(start civil.Date, ps []Period) []Period {
	first := start.AddDays(1)
	var out []Period
	for _, p := range ps {
		if p.From.Before(first) {
			p.From = first
		}
		if p.Days() > 0 {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b Period) int { return a.From.Compare(b.From) })
	merged := out[:0]
	for _, p := range out {
		if n := len(merged); n > 0 && !p.From.After(merged[n-1].To.AddDays(1)) {
			if p.To.After(merged[n-1].To) {
				merged[n-1].To = p.To
			}
			continue
		}
		merged = append(merged, p)
	}
	return merged
}

// within returns the period of sorted, merged ps that contains d.
func within(ps []Period, d civil.Date) (Period, bool) {
	for _, p := range ps {
		if !d.Before(p.From) && !d.After(p.To) {
			return p, true
		}
	}
	return Period{}, false
}

// RemindAt returns the working day that lies daysBefore working days before due, for a
// reminder to the case handler: with due on a Monday and daysBefore 1, the Friday before
// (or the last working day before it, if that Friday is a holiday). When daysBefore is zero
// or negative, RemindAt returns due.
func RemindAt(due civil.Date, daysBefore int, cal Calendar) civil.Date {
	d := due
	for range max(daysBefore, 0) {
		d = d.AddDays(-1)
		for !cal.IsWorkingDay(d) {
			d = d.AddDays(-1)
		}
	}
	return d
}

// Overdue reports whether a term ending on due has been missed by today. A term runs to the
// end of its last day ("z upływem"), so it is overdue only from the day after due.
func Overdue(due, today civil.Date) bool {
	return today.After(due)
}

func countRule(t Term) string {
	switch t.Unit {
	case Weeks:
		return "art. 57 § 1-2 k.p.a."
	case Months:
		return "art. 57 § 1, § 3 k.p.a."
	default:
		return "art. 57 § 1 k.p.a."
	}
}

// termPolish names a term in the genitive, as in "termin 14 dni", "termin 1 miesiąca".
func termPolish(t Term) string {
	switch t.Unit {
	case Days:
		return genitive(t.N, "dnia", "dni")
	case Weeks:
		return genitive(t.N, "tygodnia", "tygodni")
	case Months:
		return genitive(t.N, "miesiąca", "miesięcy")
	}
	return t.String()
}

// genitive writes n with the genitive of its noun, which in Polish has one plural form
// whatever the number: "1 dnia", "2 dni", "5 dni", "22 dni".
func genitive(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func reasons(s []SkippedDay) string {
	parts := make([]string, len(s))
	for i, d := range s {
		if d.From == d.To {
			parts[i] = fmt.Sprintf("%v %s", d.From, d.Reason)
		} else {
			parts[i] = fmt.Sprintf("%v–%v %s", d.From, d.To, d.Reason)
		}
	}
	return strings.Join(parts, ", ")
}

// ParsePeriod reads a period written FROM..TO (2026-03-02..2026-03-09), both ends included.
func ParsePeriod(s string) (Period, error) {
	from, to, ok := strings.Cut(s, "..")
	if !ok {
		return Period{}, fmt.Errorf("period %q: want FROM..TO, e.g. 2026-03-02..2026-03-09: %w", s, ErrInvalid)
	}
	var p Period
	var err error
	if p.From, err = civil.ParseDate(from); err != nil {
		return Period{}, fmt.Errorf("period %q: %w", s, err)
	}
	if p.To, err = civil.ParseDate(to); err != nil {
		return Period{}, fmt.Errorf("period %q: %w", s, err)
	}
	if err := p.Validate(); err != nil {
		return Period{}, err
	}
	return p, nil
}
