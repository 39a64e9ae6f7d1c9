package demo

import (
	"context"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/deadlines"
	"github.com/obieg/obieg/internal/forms"
	"github.com/obieg/obieg/internal/jrwa"
	"github.com/obieg/obieg/internal/simulator/compose"
	"github.com/obieg/obieg/internal/simulator/epuapsim"
)

// TestRoutes checks the demo routing rules against the demo filing plan and units: each
// routes to a terminal class with an archival category, to a unit that exists, with a term
// the database accepts.
func TestRoutes(t *testing.T) {
	plan, err := jrwa.DemoPlan()
	if err != nil {
		t.Fatal(err)
	}
	units := map[string]bool{}
	for _, u := range Units {
		units[u.Code] = true
	}
	seen := map[string]bool{}
	for _, r := range Routes {
		t.Run(r.FormType, func(t *testing.T) {
			if seen[r.FormType] {
				t.Fatalf("form type %s routed twice", r.FormType)
			}
			seen[r.FormType] = true
			c, ok := plan.Lookup(r.Class)
			if !ok || !plan.IsTerminal(r.Class) || c.Category.IsZero() {
				t.Errorf("got class %s (found %v), want a terminal class of the demo plan with a category", r.Class, ok)
			}
			if !units[r.Unit] {
				t.Errorf("got unit %s, want one of the demo units", r.Unit)
			}
			if _, err := deadlines.ParseTerm(r.Term); err != nil {
				t.Errorf("term: %v", err)
			}
		})
	}
}

// TestFileForms files the demo forms into an in-memory simulator and checks that each is
// recognised as the form it is meant to be and routed by a demo rule.
func TestFileForms(t *testing.T) {
	ctx := context.Background()
	sim := epuapsim.New(epuapsim.NewMemStore(), func() time.Time { return time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC) }, nil)
	if _, err := sim.CreateBox(ctx, "ROPS_Test", "SkrytkaESP"); err != nil {
		t.Fatal(err)
	}
	filed, err := FileForms(ctx, sim, "ROPS_Test", "SkrytkaESP", 1, 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(filed) != 12 {
		t.Fatalf("got %d documents filed, want 12", len(filed))
	}
	routed := map[string]bool{}
	for _, r := range Routes {
		routed[r.FormType] = true
	}
	counts := map[string]int{}
	for seed := int64(1); seed <= 4; seed++ {
		for _, doc := range [][]byte{compose.FamilyCard(seed), compose.Complaint(seed), compose.PlacesReport(seed)} {
			det, err := forms.Detect(doc, forms.DefaultLimits)
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			if !routed[det.FormType] {
				t.Errorf("seed %d: no demo route for %s", seed, det.FormType)
			}
			counts[det.FormType]++
		}
	}
	for _, ft := range []string{forms.FamilyCard, forms.Complaint, forms.FacilityReport} {
		if counts[ft] != 4 {
			t.Errorf("got %d documents of %s, want 4", counts[ft], ft)
		}
	}
}
