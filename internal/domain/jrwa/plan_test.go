package jrwa

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/obieg/obieg/internal/domain/problem"
)

var (
	catA  = Category{Kind: KindA}
	catB5 = Category{Kind: KindB, Years: 5}
)

// small returns a valid plan's classes: 0 > 05 > 057 > 0570 (A), 0571 (B5); 0 > 06 > 060 (B5).
func small() []Class {
	return []Class{
		{Symbol: "0", Heading: "Zarządzanie"},
		{Symbol: "05", Heading: "Skargi, wnioski i petycje"},
		{Symbol: "057", Heading: "Skargi i wnioski"},
		{Symbol: "0570", Heading: "Skargi i wnioski", Category: catA},
		{Symbol: "0571", Heading: "Rejestr", Category: catB5},
		{Symbol: "06", Heading: "Korespondencja"},
		{Symbol: "060", Heading: "Korespondencja ogólna", Category: catB5},
	}
}

func symbols(cs []Class) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Symbol
	}
	return out
}

func TestNewPlanInvalid(t *testing.T) {
	tests := []struct {
		name   string
		change func([]Class) []Class
		want   string // a fragment of the error
	}{
		{"empty", func([]Class) []Class { return nil }, "no classes"},
		{"letters in symbol", func(cs []Class) []Class {
			return append(cs, Class{Symbol: "06a", Heading: "x", Category: catB5})
		}, "decimal digits"},
		{"five digits", func(cs []Class) []Class {
			return append(cs, Class{Symbol: "05700", Heading: "x", Category: catB5})
		}, "decimal digits"},
		{"empty symbol", func(cs []Class) []Class { return append(cs, Class{Heading: "x"}) }, "decimal digits"},
		{"duplicate", func(cs []Class) []Class {
			return append(cs, Class{Symbol: "0570", Heading: "again", Category: catA})
		}, "duplicate"},
		{"missing parent", func(cs []Class) []Class {
			return append(cs, Class{Symbol: "0720", Heading: "x", Category: catB5})
		}, `parent class "072" missing`},
		{"empty heading", func(cs []Class) []Class { cs[3].Heading = "  "; return cs }, "empty heading"},
		{"category on a class with children", func(cs []Class) []Class { cs[2].Category = catA; return cs }, "only terminal classes"},
		{"terminal without category at depth 4", func(cs []Class) []Class { cs[3].Category = Category{}; return cs }, "without an archival category"},
		{"terminal without category at depth 3", func(cs []Class) []Class { cs[6].Category = Category{}; return cs }, "without an archival category"},
		{"terminal at depth 2", func(cs []Class) []Class {
			return append(cs, Class{Symbol: "07", Heading: "x", Category: catB5})
		}, "terminal class at depth 2"},
		{"terminal at depth 1", func(cs []Class) []Class {
			return append(cs, Class{Symbol: "1", Heading: "Kadry"})
		}, "terminal class at depth 1"},
		{"malformed category", func(cs []Class) []Class { cs[3].Category = Category{Kind: KindB}; return cs }, "want 1 to 100 years"},
		{"counting on a class with children", func(cs []Class) []Class { cs[2].Counting = FromCreation; return cs }, "counting"},
		{"unknown counting", func(cs []Class) []Class { cs[3].Counting = "kiedys"; return cs }, "counting"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewPlan(tt.change(small()))
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, %v, want an error wrapping ErrInvalid", p, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %q, want it to mention %q", err, tt.want)
			}
			if msg := problem.MessageOf(err); problem.KindOf(err) != problem.Invalid || msg == "" || strings.Contains(msg, "class") {
				t.Errorf("got kind %v, message %q, want invalid with a message in Polish", problem.KindOf(err), msg)
			}
		})
	}
}

func TestNewPlanReportsAll(t *testing.T) {
	cs := small()
	cs[3].Category = Category{}
	cs = append(cs, Class{Symbol: "0720", Heading: "x", Category: catB5})
	_, err := NewPlan(cs)
	if err == nil {
		t.Fatal("got nil error, want two problems")
	}
	for _, frag := range []string{`class "0570"`, `class "0720"`} {
		if !strings.Contains(err.Error(), frag) {
			t.Errorf("got error %q, want it to mention %s", err, frag)
		}
	}
	if got, want := problem.MessageOf(err), "Klasa końcowa 0570 musi mieć kategorię archiwalną. Klasa 0720 nie ma klasy nadrzędnej 072."; got != want {
		t.Errorf("got message %q, want %q", got, want)
	}
}

func TestPlan(t *testing.T) {
	in := small()
	slices.Reverse(in) // input order does not matter
	p, err := NewPlan(in)
	if err != nil {
		t.Fatal(err)
	}
	in[0].Heading = "changed after NewPlan" // the plan keeps its own copy
	if c, _ := p.Lookup("060"); c.Heading != "Korespondencja ogólna" {
		t.Errorf("Lookup(060) after changing the input: got %q, want %q", c.Heading, "Korespondencja ogólna")
	}

	c, ok := p.Lookup("0570")
	if !ok || c.Category != catA || c.Depth() != 4 || c.Parent() != "057" {
		t.Errorf("Lookup(0570): got %+v, %v, want category A, depth 4, parent 057", c, ok)
	}
	if _, ok := p.Lookup("0572"); ok {
		t.Error("Lookup(0572): got a class, want none")
	}
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"Children(\"\")", symbols(p.Children("")), []string{"0"}},
		{"Children(0)", symbols(p.Children("0")), []string{"05", "06"}},
		{"Children(057)", symbols(p.Children("057")), []string{"0570", "0571"}},
		{"Children(0570)", symbols(p.Children("0570")), []string{}},
		{"Children(9)", symbols(p.Children("9")), []string{}},
		{"Terminal", symbols(p.Terminal()), []string{"0570", "0571", "060"}},
		{"Classes", symbols(p.Classes()), []string{"0", "05", "057", "0570", "0571", "06", "060"}},
		{"Path(0571)", symbols(p.Path("0571")), []string{"0", "05", "057", "0571"}},
		{"Path(9)", symbols(p.Path("9")), []string{}},
	}
	for _, tt := range tests {
		if !slices.Equal(tt.got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	for sym, want := range map[string]bool{"0570": true, "060": true, "057": false, "0": false, "9": false} {
		if got := p.IsTerminal(sym); got != want {
			t.Errorf("IsTerminal(%s): got %v, want %v", sym, got, want)
		}
	}
}
