package deadlines

import (
	"testing"
	"time"

	"github.com/obieg/obieg/internal/domain/civil"
)

// date parses YYYY-MM-DD or fails the test.
func date(tb testing.TB, s string) civil.Date {
	tb.Helper()
	d, err := civil.ParseDate(s)
	if err != nil {
		tb.Fatalf("bad test date: %v", err)
	}
	return d
}

func TestEaster(t *testing.T) {
	// Easter Sunday dates from published tables (not from the algorithm), including the
	// extremes of the Gregorian range: 22 March (2285) and 25 April (2038).
	tests := []string{
		"2000-04-23", "2008-03-23", "2011-04-24", "2019-04-21", "2024-03-31", "2025-04-20",
		"2026-04-05", "2027-03-28", "2028-04-16", "2029-04-01", "2030-04-21", "2038-04-25",
		"2285-03-22",
	}
	for _, s := range tests {
		t.Run(s, func(t *testing.T) {
			want := date(t, s)
			if got := easter(want.Year); got != want {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestHoliday(t *testing.T) {
	tests := []struct {
		date string
		want string // "" when not a named holiday
	}{
		{"2026-01-01", "Nowy Rok"},
		{"2026-01-06", "Święto Trzech Króli"},
		{"2010-01-06", ""}, // Epiphany is a day off only from 2011
		{"2011-01-06", "Święto Trzech Króli"},
		{"2025-04-20", "pierwszy dzień Wielkiej Nocy"},
		{"2025-04-21", "drugi dzień Wielkiej Nocy"}, // Easter Monday 2025
		{"2026-04-06", "drugi dzień Wielkiej Nocy"}, // Easter Monday 2026
		{"2027-03-29", "drugi dzień Wielkiej Nocy"}, // Easter Monday 2027
		{"2027-03-28", "pierwszy dzień Wielkiej Nocy"},
		{"2026-04-07", ""}, // Easter Tuesday is a working day
		{"2026-05-01", "Święto Państwowe"},
		{"2026-05-03", "Święto Narodowe Trzeciego Maja"},
		{"2025-06-08", "pierwszy dzień Zielonych Świątek"}, // Easter 20 Apr + 49 days
		{"2026-05-24", "pierwszy dzień Zielonych Świątek"}, // Easter 5 Apr + 49 days
		{"2026-05-25", ""},                                 // Pentecost Monday is not a holiday in Poland
		{"2025-06-19", "dzień Bożego Ciała"},               // Easter 20 Apr + 60 days
		{"2026-06-04", "dzień Bożego Ciała"},               // Easter 5 Apr + 60 days
		{"2027-05-27", "dzień Bożego Ciała"},               // Easter 28 Mar + 60 days
		{"2026-08-15", "Wniebowzięcie Najświętszej Maryi Panny"},
		{"2026-11-01", "Wszystkich Świętych"},
		{"2026-11-11", "Narodowe Święto Niepodległości"},
		{"2024-12-24", ""}, // before the act of 2024 took effect
		{"2025-12-24", "Wigilia Bożego Narodzenia"},
		{"2030-12-24", "Wigilia Bożego Narodzenia"},
		{"2026-12-25", "pierwszy dzień Bożego Narodzenia"},
		{"2026-12-26", "drugi dzień Bożego Narodzenia"},
		{"2026-12-27", ""},
		{"2026-03-16", ""},
	}
	var cal Calendar
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			got, ok := cal.Holiday(date(t, tt.date))
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("got %q, %v, want %q, %v", got, ok, tt.want, tt.want != "")
			}
		})
	}
}

func TestWorkingDay(t *testing.T) {
	tests := []struct {
		date        string
		holiday     bool
		workingDay  bool
		description string
	}{
		{"2026-03-13", false, true, "Friday"},
		{"2026-03-14", false, false, "Saturday: not a holiday, but no term ends on it"},
		{"2026-03-15", true, false, "Sunday: a day free from work"},
		{"2024-12-24", false, true, "Tuesday 24 Dec 2024: still a working day"},
		{"2025-12-24", true, false, "Wednesday 24 Dec 2025: a holiday"},
		{"2025-11-01", true, false, "All Saints on a Saturday"},
		{"2026-06-04", true, false, "Corpus Christi, Thursday"},
		{"2026-06-05", false, true, "Friday after Corpus Christi"},
	}
	var cal Calendar
	for _, tt := range tests {
		t.Run(tt.description, func(t *testing.T) {
			d := date(t, tt.date)
			if got := cal.IsHoliday(d); got != tt.holiday {
				t.Errorf("IsHoliday(%v): got %v, want %v", d, got, tt.holiday)
			}
			if got := cal.IsWorkingDay(d); got != tt.workingDay {
				t.Errorf("IsWorkingDay(%v): got %v, want %v", d, got, tt.workingDay)
			}
		})
	}
}

func TestHolidays(t *testing.T) {
	var cal Calendar
	// 13 named holidays in 2024; 24 December adds the 14th from 2025.
	for year, want := range map[int]int{2010: 12, 2024: 13, 2025: 14, 2026: 14} {
		if got := len(cal.Holidays(year)); got != want {
			t.Errorf("Holidays(%d): got %d, want %d", year, got, want)
		}
	}
	h := cal.Holidays(2026)
	if h[0].Date != date(t, "2026-01-01") || h[len(h)-1].Date != date(t, "2026-12-26") {
		t.Errorf("Holidays(2026): got %v .. %v, want 2026-01-01 .. 2026-12-26", h[0].Date, h[len(h)-1].Date)
	}
}

func TestWarsawDate(t *testing.T) {
	tests := []struct {
		name string
		t    time.Time
		want string
	}{
		{"winter, UTC+1, past midnight in Warsaw", time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC), "2026-01-01"},
		{"winter, before midnight in Warsaw", time.Date(2025, 12, 31, 22, 59, 59, 0, time.UTC), "2025-12-31"},
		{"summer, UTC+2, past midnight in Warsaw", time.Date(2026, 6, 30, 22, 30, 0, 0, time.UTC), "2026-07-01"},
		{"summer, before midnight in Warsaw", time.Date(2026, 6, 30, 21, 30, 0, 0, time.UTC), "2026-06-30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := WarsawDate(tt.t), date(t, tt.want); got != want {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}
