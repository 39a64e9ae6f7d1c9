package edoreczeniasim

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// query reads an operation's query parameters as the contract declares them (integers in
// bounds, booleans, date-times, enums) and keeps the first refusal, so that a handler reads
// every parameter and then answers one INVALID_REQUEST naming what was wrong.
type query struct {
	v   url.Values
	err error
}

func newQuery(v url.Values) *query { return &query{v: v} }

func (q *query) refuse(name, value, want string) {
	if q.err == nil {
		q.err = fmt.Errorf("parametr %s=%q: %s: %w", name, value, want, ErrInvalid)
	}
}

// str returns the parameter name, "" when absent.
func (q *query) str(name string) string { return q.v.Get(name) }

// integer returns the parameter name in [lo, hi], def when absent.
func (q *query) integer(name string, def, lo, hi int) int {
	if !q.v.Has(name) {
		return def
	}
	s := q.v.Get(name)
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		q.refuse(name, s, fmt.Sprintf("oczekiwano liczby całkowitej od %d do %d", lo, hi))
		return def
	}
	return n
}

// boolean returns the parameter name and whether it was given; only "true" and "false" are
// booleans.
func (q *query) boolean(name string) (value, given bool) {
	if !q.v.Has(name) {
		return false, false
	}
	switch s := q.v.Get(name); s {
	case "true":
		return true, true
	case "false":
		return false, true
	default:
		q.refuse(name, s, "oczekiwano true albo false")
		return false, false
	}
}

// date returns the parameter name as an RFC 3339 date-time, zero when absent.
func (q *query) date(name string) time.Time {
	if !q.v.Has(name) {
		return time.Time{}
	}
	s := q.v.Get(name)
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		q.refuse(name, s, "oczekiwano daty i czasu RFC 3339 (2025-01-31T12:00:00Z)")
		return time.Time{}
	}
	return t
}

// enum returns the parameter name, one of allowed, def when absent.
func (q *query) enum(name, def string, allowed ...string) string {
	if !q.v.Has(name) {
		return def
	}
	s := q.v.Get(name)
	if !slices.Contains(allowed, s) {
		q.refuse(name, s, "oczekiwano jednej z wartości "+strings.Join(allowed, ", "))
		return def
	}
	return s
}

// period is a closed range of dates from two parameters, either open.
type period struct{ from, to time.Time }

func (q *query) period(fromName, toName string) period {
	p := period{q.date(fromName), q.date(toName)}
	if !p.from.IsZero() && !p.to.IsZero() && p.to.Before(p.from) {
		q.refuse(toName, q.v.Get(toName), "data końcowa przed początkową "+fromName)
	}
	return p
}

// holds reports whether t is in p; a zero t (the event did not happen) is in no bounded
// period.
func (p period) holds(t time.Time) bool {
	if p.from.IsZero() && p.to.IsZero() {
		return true
	}
	if t.IsZero() {
		return false
	}
	return !t.Before(p.from) && (p.to.IsZero() || !t.After(p.to))
}

// contains reports whether s contains the word, ignoring case; an empty word is in every s.
func contains(word string, s ...string) bool {
	if word == "" {
		return true
	}
	w := strings.ToLower(word)
	for _, x := range s {
		if strings.Contains(strings.ToLower(x), w) {
			return true
		}
	}
	return false
}
