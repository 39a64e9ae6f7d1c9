package epuapsim_test

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// TestConcurrentFileAndPull files and drains a box from several goroutines at once; every
// document must be confirmed exactly once.
func TestConcurrentFileAndPull(t *testing.T) {
	store, err := epuapsim.OpenFileStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sim := newSim(t, store)
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	const filers, perFiler = 4, 10
	var wg sync.WaitGroup
	for i := range filers {
		wg.Go(func() {
			for j := range perFiler {
				_, err := sim.File(t.Context(), epuapsim.FileRequest{
					Podmiot: box.Podmiot, Skrytka: box.Name,
					Sender:    epuapsim.Sender{Identyfikator: fmt.Sprint("nadawca", i)},
					Zawartosc: fmt.Appendf(nil, "<a>%d-%d</a>", i, j),
				})
				if err != nil {
					t.Error(err) // not Fatal: this is not the test's goroutine
					return
				}
			}
		})
	}
	wg.Wait()

	var mu sync.Mutex
	confirmed := map[string]int{}
	for range 3 {
		wg.Go(func() {
			c := epuap.NewPullClient(srv.URL+schema.PullPath, nil, box)
			for {
				d, err := c.Next(t.Context())
				if errors.Is(err, epuap.ErrNoDocument) {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				// Two pullers may hold the same document; only one confirmation succeeds.
				if err := c.Confirm(t.Context(), d.Zawartosc); err == nil {
					mu.Lock()
					confirmed[string(d.Zawartosc)]++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if len(confirmed) != filers*perFiler {
		t.Fatalf("got %d documents confirmed, want %d", len(confirmed), filers*perFiler)
	}
	for doc, n := range confirmed {
		if n != 1 {
			t.Errorf("%s confirmed %d times, want once", doc, n)
		}
	}
}
