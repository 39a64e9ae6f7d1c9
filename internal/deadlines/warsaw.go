package deadlines

import (
	"fmt"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Warsaw must resolve even where the host has no zoneinfo

	"github.com/obieg/obieg/internal/civil"
)

// warsaw loads the zone once. With time/tzdata linked in, loading cannot fail unless the
// binary itself is broken, which is why a failure panics instead of returning an error.
var warsaw = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		panic(fmt.Sprintf("deadlines: load Europe/Warsaw from embedded tzdata: %v", err))
	}
	return loc
})

// Warsaw returns the Europe/Warsaw time zone, in which the KPA counts calendar days.
func Warsaw() *time.Location {
	return warsaw()
}

// WarsawDate returns the Polish calendar date of the instant t. A proof of receipt stamped
// 2025-12-31T23:30:00Z is dated 2026-01-01, because Warsaw is then at UTC+1.
func WarsawDate(t time.Time) civil.Date {
	return civil.DateOf(t.In(warsaw()))
}
