// Package civil provides Date, a calendar date (year, month, day) without a time of day or a
// time zone.
//
// Polish administrative law counts terms in calendar days, months and years, and archival
// periods in full calendar years; none of that depends on an instant in time. A Date is
// therefore the unit of the deadline and retention packages. Convert an instant to a Date
// in the zone that matters (for the KPA: Europe/Warsaw) with DateOf after time.Time.In.
//
// The package was written instead of importing cloud.google.com/go/civil, which offers the
// same type, because that module would pull the whole Google Cloud client's requirements
// (gRPC, OpenTelemetry) into obieg's module graph for one small value type. Its AddMonths,
// unlike the one here, also overflows into the following month (31 Jan + 1 month = 3 Mar),
// which is not how Polish law counts months.
package civil

import (
	"cmp"
	"errors"
	"fmt"
	"time"

	"github.com/obieg/obieg/internal/domain/problem"
)

// ErrInvalid is wrapped by every error returned for a malformed or impossible date.
// It is of kind problem.Invalid.
var ErrInvalid = problem.NewInvalid("", errors.New("invalid date"))

// layout is the only accepted text form of a Date: ISO 8601 calendar date, YYYY-MM-DD.
const layout = "2006-01-02"

// Date is a calendar date. The zero value is not a valid date; use IsZero to test for it.
// Dates are comparable with == and usable as map keys when valid.
type Date struct {
	Year  int        // four-digit year, e.g. 2026
	Month time.Month // 1..12
	Day   int        // 1..31, bounded by the month's length
}

// DateOf returns the date on which t falls in t's own location. To get the Polish
// calendar date of an instant, pass t.In(warsaw).
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses s, which must be exactly in the form YYYY-MM-DD (e.g. "2026-01-31"), and
// rejects dates that do not exist, such as "2026-02-29", and year 0000. Every date it returns
// is valid.
func ParseDate(s string) (Date, error) {
	if len(s) != len(layout) {
		return Date{}, fmt.Errorf("parse date %q: want YYYY-MM-DD: %w", s, ErrInvalid)
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return Date{}, fmt.Errorf("parse date %q: %w: %w", s, ErrInvalid, err)
	}
	d := DateOf(t)
	if !d.IsValid() {
		return Date{}, fmt.Errorf("parse date %q: year 0: %w", s, ErrInvalid)
	}
	return d, nil
}

// String returns the date as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsValid reports whether d is a date that exists in the proleptic Gregorian calendar, with a
// year between 1 and 9999.
func (d Date) IsValid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < time.January || d.Month > time.December {
		return false
	}
	return d.Day >= 1 && d.Day <= DaysIn(d.Year, d.Month)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool {
	return d == Date{}
}

// In returns the instant at which d begins (midnight) in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// utc is d at midnight UTC: the basis of the day arithmetic, free of daylight-saving gaps.
func (d Date) utc() time.Time {
	return d.In(time.UTC)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return d.utc().Weekday()
}

// AddDays returns the date n days after d (before d when n is negative).
func (d Date) AddDays(n int) Date {
	return DateOf(d.utc().AddDate(0, 0, n))
}

// AddMonths returns the date n months after d (before d when n is negative), keeping d's day
// number, or the last day of the target month when that month is too short: 31 January plus
// one month is 28 or 29 February, never a day of March. This is the month arithmetic of
// art. 57 §3 KPA and art. 112 of the Civil Code.
func (d Date) AddMonths(n int) Date {
	idx := d.Year*12 + int(d.Month-1) + n
	y, m := idx/12, time.Month(idx%12+1) // idx >= 0 for every valid date
	day := min(d.Day, DaysIn(y, m))
	return Date{Year: y, Month: m, Day: day}
}

// DaysSince returns the number of days from s to d: positive when d is after s.
func (d Date) DaysSince(s Date) int {
	return int((d.utc().Unix() - s.utc().Unix()) / 86400) // exact: UTC days have 86400 s
}

// Compare returns -1 if d is before o, 0 if they are the same date and +1 if d is after o.
func (d Date) Compare(o Date) int {
	if c := cmp.Compare(d.Year, o.Year); c != 0 {
		return c
	}
	if c := cmp.Compare(d.Month, o.Month); c != 0 {
		return c
	}
	return cmp.Compare(d.Day, o.Day)
}

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// MarshalText encodes d as YYYY-MM-DD, so that JSON carries dates as "2026-01-31".
func (d Date) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// UnmarshalText decodes a YYYY-MM-DD date (see ParseDate), and "0000-00-00", which
// MarshalText writes for the zero Date, as the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if string(b) == (Date{}).String() {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// DaysIn returns the number of days in month m of year y.
func DaysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if IsLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	default:
		return 31
	}
}

// IsLeap reports whether y is a leap year of the Gregorian calendar.
func IsLeap(y int) bool {
	return y%4 == 0 && (y%100 != 0 || y%400 == 0)
}
