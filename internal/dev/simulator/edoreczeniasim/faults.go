package edoreczeniasim

import (
	"time"
)

// Faults are the failures the simulator injects into API requests (not the token endpoint
// nor /sim/), to test that clients survive an overloaded service. The zero Faults injects
// nothing. Error503 is a probability in [0, 1] drawn per request from a generator seeded
// with Seed, so a run can be repeated given the same order of requests.
type Faults struct {
	// Latency delays every API request by this long before it is handled.
	Latency time.Duration
	// Error503 answers this fraction of API requests with HTTP 503 and Retry-After: 1
	// before handling them: nothing changes on the simulator's side.
	Error503 float64
	// Seed seeds the generator of the fraction.
	Seed uint64
}

// SetFaults replaces the injected faults (and reseeds their generator); the zero Faults
// turns injection off.
func (s *Simulator) SetFaults(f Faults) { s.faults.Set(f, f.Seed) }

// Faults returns the injected faults.
func (s *Simulator) Faults() Faults { return s.faults.Get() }
