package civil

import (
	"fmt"
	"time"
	_ "time/tzdata" // Europe/Warsaw must resolve even where the host has no zoneinfo
)

// Warsaw is the time zone of Polish offices: the KPA counts calendar days in it, and register
// years and dates are counted in it. With time/tzdata linked in, loading cannot fail unless
// the binary itself is broken, which is why a failure panics.
var Warsaw = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		panic(fmt.Sprintf("civil: load Europe/Warsaw from embedded tzdata: %v", err))
	}
	return loc
}()
