package deadlines

import (
	"time"

	"github.com/obieg/obieg/internal/domain/civil"
)

// Calendar is the Polish calendar of days free from work, as set by the act of 18 January
// 1951 on days free from work (ustawa o dniach wolnych od pracy) with its amendments: the
// Epiphany (6 January) is a holiday from 2011, Christmas Eve (24 December) from 2025.
//
// The zero Calendar is ready to use. The rules are written in this package instead of being
// taken from github.com/rickar/cal/v2/pl. Its v2.1.13, the only version the module proxy
// available to this project serves, lacks Christmas Eve from 2025; upstream added it in
// v2.1.22. Every version checked (v2.1.13 and v2.1.26) also leaves out Easter Sunday and
// Pentecost Sunday, which the act lists and an explanation should name, gives Epiphany no
// start year (it is a holiday from 2011), and keeps its holidays in exported package
// variables that any importer can change. The rules are a table of fixed dates and four
// feasts counted from Easter, tested against published dates.
//
// The movable feasts are computed from Easter (anonymous Gregorian computus, see easter). The
// calendar is exact for 1990 onwards (3 May and 11 November restored in 1989 and 1990, and
// the 22 July holiday abolished); for earlier years it applies today's rules.
type Calendar struct{}

// Holiday is a named public holiday on a given date.
type Holiday struct {
	Date civil.Date `json:"date"`
	Name string     `json:"name"` // Polish name, as in the act
}

// Holiday reports whether d is one of the named public holidays and returns its Polish name.
// Ordinary Sundays are days free from work but not named holidays: see IsHoliday.
func (Calendar) Holiday(d civil.Date) (name string, ok bool) {
	switch {
	case d.Month == time.January && d.Day == 1:
		return "Nowy Rok", true
	case d.Month == time.January && d.Day == 6 && d.Year >= 2011:
		return "Święto Trzech Króli", true
	case d.Month == time.May && d.Day == 1:
		return "Święto Państwowe", true
	case d.Month == time.May && d.Day == 3:
		return "Święto Narodowe Trzeciego Maja", true
	case d.Month == time.August && d.Day == 15:
		return "Wniebowzięcie Najświętszej Maryi Panny", true
	case d.Month == time.November && d.Day == 1:
		return "Wszystkich Świętych", true
	case d.Month == time.November && d.Day == 11:
		return "Narodowe Święto Niepodległości", true
	case d.Month == time.December && d.Day == 24 && d.Year >= 2025:
		return "Wigilia Bożego Narodzenia", true
	case d.Month == time.December && d.Day == 25:
		return "pierwszy dzień Bożego Narodzenia", true
	case d.Month == time.December && d.Day == 26:
		return "drugi dzień Bożego Narodzenia", true
	}
	// Movable feasts fall between 22 March (earliest Easter) and 24 June (latest Corpus Christi).
	if d.Month < time.March || d.Month > time.June {
		return "", false
	}
	switch d.DaysSince(easter(d.Year)) {
	case 0:
		return "pierwszy dzień Wielkiej Nocy", true
	case 1:
		return "drugi dzień Wielkiej Nocy", true
	case 49:
		return "pierwszy dzień Zielonych Świątek", true
	case 60:
		return "dzień Bożego Ciała", true
	}
	return "", false
}

// IsHoliday reports whether d is a day free from work under art. 1 of the act of 1951: a
// Sunday or a named public holiday. Saturdays are not holidays; see IsWorkingDay.
func (c Calendar) IsHoliday(d civil.Date) bool {
	if d.Weekday() == time.Sunday {
		return true
	}
	_, ok := c.Holiday(d)
	return ok
}

// IsWorkingDay reports whether a term may end on d under art. 57 §4 KPA: d is neither a
// Saturday, nor a Sunday, nor a public holiday.
func (c Calendar) IsWorkingDay(d civil.Date) bool {
	return d.Weekday() != time.Saturday && !c.IsHoliday(d)
}

// Holidays returns the named public holidays of year in date order.
func (c Calendar) Holidays(year int) []Holiday {
	var out []Holiday
	for d := (civil.Date{Year: year, Month: time.January, Day: 1}); d.Year == year; d = d.AddDays(1) {
		if name, ok := c.Holiday(d); ok {
			out = append(out, Holiday{Date: d, Name: name})
		}
	}
	return out
}

// nonWorkingReason names why d is not a working day, in Polish, for explanations; it returns
// "" for a working day.
func (c Calendar) nonWorkingReason(d civil.Date) string {
	if name, ok := c.Holiday(d); ok {
		return name
	}
	switch d.Weekday() {
	case time.Saturday:
		return "sobota"
	case time.Sunday:
		return "niedziela"
	}
	return ""
}

// easter returns the date of Easter Sunday in the Gregorian calendar for year y, by the
// anonymous Gregorian algorithm (Meeus/Jones/Butcher).
func easter(y int) civil.Date {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return civil.Date{Year: y, Month: time.Month(month), Day: day}
}
