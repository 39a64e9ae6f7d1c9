package deadlines

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/obieg/obieg/internal/domain/civil"
)

func term(tb testing.TB, s string) Term {
	tb.Helper()
	t, err := ParseTerm(s)
	if err != nil {
		tb.Fatalf("bad test term: %v", err)
	}
	return t
}

// period parses "YYYY-MM-DD..YYYY-MM-DD".
func period(tb testing.TB, s string) Period {
	tb.Helper()
	from, to, ok := strings.Cut(s, "..")
	if !ok {
		tb.Fatalf("bad test period %q", s)
	}
	return Period{From: date(tb, from), To: date(tb, to)}
}

// Every expected date below was worked out by hand from a printed calendar; the comment on
// each row gives the reasoning (weekdays checked against an independent calendar).
func TestDue(t *testing.T) {
	tests := []struct {
		name     string
		start    string
		term     string
		excluded []string
		want     string
	}{
		// Plain day and week terms.
		{"14d ends on a Monday", "2026-03-02", "14d", nil, "2026-03-16"},         // Mon + 14 = Mon 16 Mar
		{"7d ends on a Saturday", "2026-03-07", "7d", nil, "2026-03-16"},         // Sat 14 Mar -> Sun 15 -> Mon 16
		{"7d ends on a Sunday", "2026-03-08", "7d", nil, "2026-03-16"},           // Sun 15 Mar -> Mon 16
		{"1w is seven days", "2026-03-04", "1w", nil, "2026-03-11"},              // Wed 4 Mar -> Wed 11 Mar
		{"7d started on a Saturday", "2026-03-07", "7d", nil, "2026-03-16"},      // the start day is not counted either way
		{"1d on Friday ends on Saturday", "2026-03-13", "1d", nil, "2026-03-16"}, // Sat 14 -> Mon 16

		// Month terms: same day-number, or the month's last day.
		{"31 Jan + 1m, non-leap, Saturday", "2026-01-31", "1m", nil, "2026-03-02"},    // 28 Feb 2026 is a Saturday -> Mon 2 Mar
		{"31 Jan + 1m, non-leap, Sunday", "2027-01-31", "1m", nil, "2027-03-01"},      // 28 Feb 2027 is a Sunday -> Mon 1 Mar
		{"31 Jan + 1m, leap year", "2028-01-31", "1m", nil, "2028-02-29"},             // 29 Feb 2028 is a Tuesday
		{"31 Mar + 1m to a 30-day month", "2026-03-31", "1m", nil, "2026-04-30"},      // April has no 31st; Thu 30 Apr
		{"31 May + 1m to a 30-day month", "2026-05-31", "1m", nil, "2026-06-30"},      // Tue 30 Jun
		{"31 Aug + 1m", "2026-08-31", "1m", nil, "2026-09-30"},                        // Wed 30 Sep
		{"30 Apr + 1m keeps the 30th", "2026-04-30", "1m", nil, "2026-06-01"},         // Sat 30 May -> Sun 31 -> Mon 1 Jun
		{"15 Jan + 1m", "2026-01-15", "1m", nil, "2026-02-16"},                        // Sun 15 Feb -> Mon 16 Feb
		{"31 Dec + 2m", "2025-12-31", "2m", nil, "2026-03-02"},                        // 28 Feb 2026 (Sat) -> Mon 2 Mar
		{"31 Oct + 2m", "2026-10-31", "2m", nil, "2026-12-31"},                        // Thu 31 Dec
		{"29 Feb 2028 + 1m", "2028-02-29", "1m", nil, "2028-03-29"},                   // Wed 29 Mar
		{"29 Feb 2028 + 12m", "2028-02-29", "12m", nil, "2029-02-28"},                 // 2029 has no 29 Feb; Wed 28 Feb
		{"28 Feb 2027 + 12m lands on 28 Feb", "2027-02-28", "12m", nil, "2028-02-28"}, // not the 29th: same day-number; Mon

		// Easter.
		{"Easter Monday 2025", "2025-04-07", "14d", nil, "2025-04-22"},      // Mon 21 Apr holiday -> Tue 22
		{"Easter Monday 2026", "2026-03-23", "14d", nil, "2026-04-07"},      // Mon 6 Apr holiday -> Tue 7
		{"Easter Monday 2027", "2027-03-15", "14d", nil, "2027-03-30"},      // Mon 29 Mar holiday -> Tue 30
		{"Holy Saturday to Tuesday", "2026-03-28", "7d", nil, "2026-04-07"}, // Sat 4 Apr, Easter 5, Easter Mon 6 -> Tue 7
		{"Pentecost Sunday 2026", "2026-05-10", "14d", nil, "2026-05-25"},   // Sun 24 May -> Mon 25 (a working day)
		{"Corpus Christi 2026", "2026-05-21", "14d", nil, "2026-06-05"},     // Thu 4 Jun holiday -> Fri 5
		{"Corpus Christi 2025", "2025-06-05", "14d", nil, "2025-06-20"},     // Thu 19 Jun holiday -> Fri 20

		// Christmas and the turn of the year.
		{"24 Dec 2024 is a working day", "2024-12-10", "14d", nil, "2024-12-24"}, // Tue 24 Dec 2024 counts as a working day
		{"24-26 Dec 2025 and a weekend", "2025-12-10", "14d", nil, "2025-12-29"}, // Wed 24, Thu 25, Fri 26, Sat 27, Sun 28 -> Mon 29
		{"24-26 Dec 2026 and a weekend", "2026-12-10", "14d", nil, "2026-12-28"}, // Thu 24, Fri 25, Sat 26, Sun 27 -> Mon 28
		{"1 Jan 2026 to 2 Jan", "2025-12-18", "14d", nil, "2026-01-02"},          // Thu 1 Jan -> Fri 2 Jan
		{"1 Jan 2027, 2 Jan a Saturday", "2026-12-18", "14d", nil, "2027-01-04"}, // Fri 1 Jan, Sat 2, Sun 3 -> Mon 4
		{"6 January 2026", "2025-12-23", "14d", nil, "2026-01-07"},               // Tue 6 Jan holiday -> Wed 7
		{"6 January 2010, before 2011", "2009-12-23", "14d", nil, "2010-01-06"},  // Wed 6 Jan 2010 was a working day

		// A holiday followed by a weekend.
		{"1 May on Friday, 3 May on Sunday", "2026-04-17", "14d", nil, "2026-05-04"}, // Fri 1, Sat 2, Sun 3 (also a holiday) -> Mon 4
		{"15 Aug on Friday", "2025-08-01", "14d", nil, "2025-08-18"},                 // Fri 15, Sat 16, Sun 17 -> Mon 18
		{"1 Nov on Saturday", "2025-10-18", "14d", nil, "2025-11-03"},                // Sat 1 Nov, Sun 2 -> Mon 3

		// Excluded periods (art. 35 §5): start Mon 2 Mar 2026, 14d, calendar end Mon 16 Mar.
		{"period inside the term", "2026-03-02", "14d", []string{"2026-03-05..2026-03-07"}, "2026-03-19"},                                    // 3 days: 16 + 3 = Thu 19
		{"period ending on the start day", "2026-03-02", "14d", []string{"2026-02-20..2026-03-02"}, "2026-03-16"},                            // no day after the start
		{"period straddling the start", "2026-03-02", "14d", []string{"2026-02-25..2026-03-04"}, "2026-03-18"},                               // only 3 and 4 Mar count: Wed 18
		{"period after the end", "2026-03-02", "14d", []string{"2026-03-17..2026-03-20"}, "2026-03-16"},                                      // never reached
		{"period covering the end", "2026-03-02", "14d", []string{"2026-03-16..2026-03-16"}, "2026-03-17"},                                   // 1 day: Tue 17
		{"period reached by the extension", "2026-03-02", "14d", []string{"2026-03-10..2026-03-11", "2026-03-17..2026-03-17"}, "2026-03-19"}, // 2 days -> 18; then 17 Mar is inside: 1 more -> Thu 19
		{"overlapping periods count once", "2026-03-02", "14d", []string{"2026-03-06..2026-03-08", "2026-03-05..2026-03-07"}, "2026-03-20"},  // union 5-8 Mar = 4 days: Fri 20
		{"period then a weekend", "2026-03-02", "14d", []string{"2026-03-05..2026-03-09"}, "2026-03-23"},                                     // 5 days: Sat 21 -> Mon 23
		{"reversed period is empty", "2026-03-02", "14d", []string{"2026-03-09..2026-03-05"}, "2026-03-16"},
		{"month term extended", "2026-01-31", "1m", []string{"2026-02-10..2026-02-19"}, "2026-03-10"},                       // 28 Feb + 10 days = Tue 10 Mar
		{"move off a Saturday skips an excluded day", "2026-03-07", "7d", []string{"2026-03-16..2026-03-17"}, "2026-03-18"}, // Sat 14, Sun 15, 16-17 not counted -> Wed 18
	}
	var cal Calendar
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ex []Period
			for _, p := range tt.excluded {
				ex = append(ex, period(t, p))
			}
			want := date(t, tt.want)
			if got := Due(date(t, tt.start), term(t, tt.term), cal, ex); got != want {
				t.Errorf("Due(%s, %s): got %v, want %v", tt.start, tt.term, got, want)
			}
			if got := Explain(date(t, tt.start), term(t, tt.term), cal, ex).Due; got != want {
				t.Errorf("Explain(%s, %s).Due: got %v, want %v", tt.start, tt.term, got, want)
			}
		})
	}
}

// TestDueWalk checks the definition of excluded periods in Explain against a literal reading:
// walk day by day from the start, count only days outside the periods, stop at the L-th.
func TestDueWalk(t *testing.T) {
	var cal Calendar
	start := date(t, "2026-03-02")
	ex := []Period{period(t, "2026-03-04..2026-03-06"), period(t, "2026-03-12..2026-03-13"), period(t, "2026-03-20..2026-03-20")}
	for n := 1; n <= 40; n++ {
		d, counted := start, 0
		for counted < n {
			d = d.AddDays(1)
			if _, in := within(ex, d); !in {
				counted++
			}
		}
		for !cal.IsWorkingDay(d) {
			d = d.AddDays(1)
		}
		if got := Due(start, Term{N: n, Unit: Days}, cal, ex); got != d {
			t.Errorf("%dd: got %v, want %v", n, got, d)
		}
	}
}

func TestExplain(t *testing.T) {
	var cal Calendar
	ex := Explain(date(t, "2026-01-31"), term(t, "1m"), cal, []Period{period(t, "2026-02-02..2026-02-03")})
	// 31 Jan + 1m -> 28 Feb (no 31 Feb); 2 days excluded -> Mon 2 Mar, a working day.
	if got, want := ex.CalendarEnd, date(t, "2026-02-28"); got != want {
		t.Errorf("CalendarEnd: got %v, want %v", got, want)
	}
	if got, want := ex.ExcludedDays, 2; got != want {
		t.Errorf("ExcludedDays: got %d, want %d", got, want)
	}
	if got, want := ex.Due, date(t, "2026-03-02"); got != want {
		t.Errorf("Due: got %v, want %v", got, want)
	}
	var kinds []StepKind
	for _, s := range ex.Steps {
		kinds = append(kinds, s.Kind)
	}
	if got, want := kinds, []StepKind{StepCount, StepMonthEnd, StepExcluded}; !slices.Equal(got, want) {
		t.Errorf("steps: got %v, want %v", got, want)
	}

	// 24 Dec 2025: moved over five days off.
	ex = Explain(date(t, "2025-12-10"), term(t, "14d"), cal, nil)
	last := ex.Steps[len(ex.Steps)-1]
	if last.Kind != StepNonWorking || last.From != date(t, "2025-12-24") || last.To != date(t, "2025-12-29") {
		t.Fatalf("last step: got %s %v..%v, want non_working 2025-12-24..2025-12-29", last.Kind, last.From, last.To)
	}
	var reasons []string
	for _, s := range last.Skipped {
		reasons = append(reasons, s.Reason)
	}
	want := []string{"Wigilia Bożego Narodzenia", "pierwszy dzień Bożego Narodzenia", "drugi dzień Bożego Narodzenia", "sobota", "niedziela"}
	if !slices.Equal(reasons, want) {
		t.Errorf("skipped: got %q, want %q", reasons, want)
	}
	if !strings.Contains(last.Note, "2025-12-29") {
		t.Errorf("note %q does not name the due date", last.Note)
	}

	b, err := json.Marshal(ex)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"start":"2025-12-10"`, `"term":"14d"`, `"calendar_end":"2025-12-24"`, `"excluded_days":0`, `"due":"2025-12-29"`, `"kind":"non_working"`, `"skipped":[`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON %s lacks %s", b, key)
		}
	}
}

func TestRemindAt(t *testing.T) {
	tests := []struct {
		name   string
		due    string
		before int
		want   string
	}{
		{"zero days", "2026-03-16", 0, "2026-03-16"},
		{"negative days", "2026-03-16", -3, "2026-03-16"},
		{"Monday, 1 day: the Friday", "2026-03-16", 1, "2026-03-13"},
		{"Monday, 3 days: the Wednesday", "2026-03-16", 3, "2026-03-11"},
		{"after Easter, 1 day", "2026-04-07", 1, "2026-04-03"},         // Mon 6 Easter Monday, Sun 5, Sat 4 -> Fri 3 Apr
		{"after Christmas 2025, 1 day", "2025-12-29", 1, "2025-12-23"}, // 28 Sun, 27 Sat, 26, 25, 24 holidays -> Tue 23
	}
	var cal Calendar
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := RemindAt(date(t, tt.due), tt.before, cal), date(t, tt.want); got != want {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestOverdue(t *testing.T) {
	due := date(t, "2026-03-16")
	for _, tt := range []struct {
		today string
		want  bool
	}{
		{"2026-03-15", false},
		{"2026-03-16", false}, // the term runs to the end of its last day
		{"2026-03-17", true},
	} {
		if got := Overdue(due, date(t, tt.today)); got != tt.want {
			t.Errorf("Overdue(%v, %s): got %v, want %v", due, tt.today, got, tt.want)
		}
	}
}

func BenchmarkDue(b *testing.B) {
	var cal Calendar
	start := date(b, "2025-12-10")
	ex := []Period{period(b, "2025-12-12..2025-12-15"), period(b, "2025-12-01..2025-12-11")}
	tm := Term{N: 1, Unit: Months}
	for b.Loop() {
		Due(start, tm, cal, ex)
	}
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in      string
		want    Period
		wantErr bool
	}{
		{in: "2026-03-02..2026-03-09", want: Period{From: civil.Date{Year: 2026, Month: 3, Day: 2}, To: civil.Date{Year: 2026, Month: 3, Day: 9}}},
		{in: "2026-03-02..2026-03-02", want: Period{From: civil.Date{Year: 2026, Month: 3, Day: 2}, To: civil.Date{Year: 2026, Month: 3, Day: 2}}},
		{in: "2026-03-09..2026-03-02", wantErr: true},
		{in: "2026-03-02", wantErr: true},
		{in: "2026-02-30..2026-03-02", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePeriod(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("got error %v, want error %v", err, tt.wantErr)
			}
			if err == nil && got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
