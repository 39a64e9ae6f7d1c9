package edoreczeniasim

import (
	"context"
	"math/rand/v2"
	"sync"
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

type faultState struct {
	mu  sync.Mutex
	f   Faults
	rng *rand.Rand
}

func (fs *faultState) set(f Faults) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.f = f
	fs.rng = rand.New(rand.NewPCG(f.Seed, f.Seed^0x9e3779b97f4a7c15))
}

func (fs *faultState) get() Faults {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.f
}

// fail503 reports whether this request is to be answered 503.
func (fs *faultState) fail503() bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.f.Error503 <= 0 || fs.rng == nil {
		return false
	}
	return fs.rng.Float64() < fs.f.Error503
}

// delay waits for the injected latency or until ctx ends.
func (fs *faultState) delay(ctx context.Context) error {
	d := fs.get().Latency
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// SetFaults replaces the injected faults (and reseeds their generator); the zero Faults
// turns injection off.
func (s *Simulator) SetFaults(f Faults) { s.faults.set(f) }

// Faults returns the injected faults.
func (s *Simulator) Faults() Faults { return s.faults.get() }
