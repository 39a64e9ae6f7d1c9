package epuapsim

import (
	"time"
)

// Faults are the failures the simulator injects, to test that clients survive what the
// real ePUAP does to them. The zero Faults injects nothing. Fractions are probabilities in
// [0, 1] drawn per request from a generator seeded with Seed, so a run can be repeated
// (given the same order of requests).
type Faults struct {
	// Latency delays every SOAP request by this long before it is handled.
	Latency time.Duration
	// Error500 answers this fraction of SOAP requests with a bare HTTP 500 (not a SOAP
	// fault) before handling them: nothing changes on the simulator's side.
	Error500 float64
	// DropAfterNext closes the connection without an answer on this fraction of
	// pobierzNastepny requests, after they have been served.
	DropAfterNext float64
	// Duplicate puts a confirmed document back at the end of its box on this fraction of
	// potwierdzOdebranie requests: the same filing (sending time, sender, content, hence
	// the same Delivery.ID) delivered again.
	Duplicate float64
	// FileRepoOnce makes FileRepo refuse a second download of a file, as ePUAP may.
	FileRepoOnce bool
	// Seed seeds the generator of the fractions.
	Seed uint64
}

// SetFaults replaces the injected faults (and reseeds their generator); the zero Faults
// turns injection off.
func (s *Simulator) SetFaults(f Faults) { s.faults.Set(f, f.Seed) }

// Faults returns the injected faults.
func (s *Simulator) Faults() Faults { return s.faults.Get() }
