package demo

import (
	"context"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/simulator/compose"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/deadlines"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/records/institutions"
)

// TestRoutes checks the demo routing rules against the demo filing plan and units: each
// routes to a terminal class with an archival category, to a unit that exists, with a term
// the database accepts.
func TestRoutes(t *testing.T) {
	plan, err := Plan()
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
		for _, doc := range [][]byte{compose.FamilyCard(seed), compose.Complaint(seed), PlacesReport(seed).XML()} {
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

// TestReportSenders checks that the demo reports come from the demo institutions: each parses,
// and its sender is accepted by the demo database of institutions, except the one facility
// left out of it, which is unknown.
func TestReportSenders(t *testing.T) {
	known := Institutions()
	for k := range known {
		known[k].ID = int64(k + 1)
	}
	day := civil.Date{Year: 2026, Month: 11, Day: 2}
	statuses := map[institutions.Status]int{}
	for seed := int64(0); seed < 60; seed++ {
		rs := PlacesReport(seed)
		rep, err := forms.ParseFacilityReport(rs.XML(), forms.DefaultLimits)
		if rs.Defect != "" {
			continue
		}
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		v := institutions.Judge(known, institutions.Sender{REGON: rep.Facility.REGON, Name: rep.Facility.Name, EPUAP: rep.Envelope.From[0].EPUAP}, day)
		want := institutions.Accepted
		if rs.Login == "zlota_jesien" {
			want = institutions.Unknown
		}
		if v.Status != want {
			t.Errorf("seed %d from %s: got %s %q, want %s", seed, rs.Login, v.Status, v.Problems, want)
		}
		statuses[v.Status]++
	}
	if statuses[institutions.Accepted] == 0 || statuses[institutions.Unknown] == 0 {
		t.Errorf("got %v, want accepted and unknown senders among the demo reports", statuses)
	}
}
