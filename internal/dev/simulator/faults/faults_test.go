package faults

import (
	"context"
	"testing"
	"time"
)

type testFaults struct{ P float64 }

func TestRoll(t *testing.T) {
	var in Injector[testFaults]
	if in.Roll(func(f testFaults) float64 { return f.P }) {
		t.Fatal("the zero injector injected a fault")
	}
	count := func(seed uint64) int {
		in.Set(testFaults{P: 0.25}, seed)
		n := 0
		for range 4000 {
			if in.Roll(func(f testFaults) float64 { return f.P }) {
				n++
			}
		}
		return n
	}
	a, b := count(7), count(7)
	if a != b {
		t.Errorf("the same seed gave %d and %d faults", a, b)
	}
	if a < 850 || a > 1150 {
		t.Errorf("a fraction of 0.25 gave %d faults in 4000", a)
	}
}

func TestDelay(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Delay(ctx, time.Hour); err == nil {
		t.Error("Delay outlived its context")
	}
	if err := Delay(context.Background(), 0); err != nil {
		t.Error(err)
	}
}
