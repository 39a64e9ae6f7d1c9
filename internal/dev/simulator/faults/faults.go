// Package faults is the fault injection the simulators share: the failures a simulator is
// set to inject (its own Faults type), and the seeded generator their fractions are drawn
// from, so that a run can be repeated given the same order of requests.
package faults

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// Injector holds the faults F a simulator injects and the generator of their fractions. The
// zero Injector injects nothing until Set; it is safe for concurrent use.
type Injector[F any] struct {
	mu  sync.Mutex
	f   F
	rng *rand.Rand
}

// Set replaces the faults and reseeds the generator with seed.
func (in *Injector[F]) Set(f F, seed uint64) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.f = f
	in.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// Get returns the faults.
func (in *Injector[F]) Get() F {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.f
}

// Roll reports whether a fault happens now, drawn with the fraction that fraction picks from
// the faults (0 or less: never).
func (in *Injector[F]) Roll(fraction func(F) float64) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	p := fraction(in.f)
	if p <= 0 || in.rng == nil {
		return false
	}
	return in.rng.Float64() < p
}

// Delay waits d, or until ctx ends.
func Delay(ctx context.Context, d time.Duration) error {
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
