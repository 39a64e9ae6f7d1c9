package demo

import (
	"slices"
	"strings"
	"testing"

	"github.com/obieg/obieg/internal/domain/jrwa"
)

func TestPlan(t *testing.T) {
	p, err := Plan()
	if err != nil {
		t.Fatalf("got %v, want a valid plan", err)
	}
	if got, want := symbols(p.Children("")), []string{"0", "1", "2", "3", "4", "5"}; !slices.Equal(got, want) {
		t.Errorf("top classes: got %v, want %v", got, want)
	}
	// The classes the brief and the case-reference examples rely on, with their categories.
	tests := []struct {
		symbol   string
		category string
		heading  string // a fragment
	}{
		{"0570", "A", "Skargi i wnioski"},
		{"0600", "B5", "Korespondencja ogólna"},
		{"0601", "Bc", "Zaproszenia"},
		{"5130", "A", "Ocena zasobów"},
		{"5131", "BE10", "Sprawozdania"},
		{"5132", "B5", "Bank wolnych miejsc"},
		{"5200", "A", "Programy współpracy"},
		{"5300", "B10", "Wnioski o wydanie karty"},
	}
	for _, tt := range tests {
		t.Run(tt.symbol, func(t *testing.T) {
			c, ok := p.Lookup(tt.symbol)
			if !ok {
				t.Fatalf("Lookup(%s): got none, want a class", tt.symbol)
			}
			if c.Category.String() != tt.category || !strings.Contains(c.Heading, tt.heading) {
				t.Errorf("got %s %q, want %s and a heading with %q", c.Category, c.Heading, tt.category, tt.heading)
			}
			if !p.IsTerminal(tt.symbol) {
				t.Errorf("IsTerminal(%s): got false, want true", tt.symbol)
			}
		})
	}
	for _, sym := range []string{"0", "05", "057"} {
		if _, ok := p.Lookup(sym); !ok {
			t.Errorf("Lookup(%s): got none, want the parent of 0570", sym)
		}
	}
	// Classes returns a fresh slice: changing one does not change the next.
	a := Classes()
	a[0].Heading = "x"
	if b := Classes(); b[0].Heading == "x" {
		t.Error("Classes shares its slice between calls")
	}
}

func symbols(cs []jrwa.Class) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Symbol
	}
	return out
}
