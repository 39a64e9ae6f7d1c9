package compose

import (
	"bytes"
	"testing"

	"github.com/obieg/obieg/internal/domain/forms"
)

func TestFormsDeterministic(t *testing.T) {
	gens := []struct {
		name string
		gen  func(int64) []byte
	}{
		{"family card", FamilyCard},
		{"complaint", Complaint},
		{"places report", PlacesReport},
	}
	for _, g := range gens {
		t.Run(g.name, func(t *testing.T) {
			for _, seed := range []int64{0, 1, 42, -7} {
				if !bytes.Equal(g.gen(seed), g.gen(seed)) {
					t.Fatalf("seed %d: two different documents", seed)
				}
			}
			if bytes.Equal(g.gen(1), g.gen(2)) {
				t.Fatal("seeds 1 and 2 gave the same document")
			}
		})
	}
}

// TestFormsParse checks over many seeds that every generated form parses, except those whose
// defect makes them invalid, and that every defect turns up.
func TestFormsParse(t *testing.T) {
	seen := map[Defect]int{}
	for seed := range int64(300) {
		fc := RandomFamilyCard(seed)
		seen[fc.Defect]++
		app, err := forms.ParseFamilyCard(fc.XML(), forms.DefaultLimits)
		if (err != nil) != (fc.Defect == DefectMissingBirthDate) {
			t.Fatalf("family card seed %d (defect %q): got error %v", seed, fc.Defect, err)
		}
		for _, m := range app.Members {
			if m.PESEL != "" && !fake(m.PESEL) {
				t.Fatalf("family card seed %d: PESEL %s is not in the fake range", seed, m.PESEL)
			}
		}
		cs := RandomComplaint(seed)
		seen[cs.Defect]++
		c, err := forms.ParseComplaint(cs.XML(), forms.DefaultLimits)
		if err != nil {
			t.Fatalf("complaint seed %d: %v", seed, err)
		}
		if c.Anonymous() != (cs.Defect == DefectAnonymous) {
			t.Fatalf("complaint seed %d (defect %q): got anonymous %v", seed, cs.Defect, c.Anonymous())
		}
		rs := RandomPlacesReport(seed)
		seen[rs.Defect]++
		_, err = forms.ParseFacilityReport(rs.XML(), forms.DefaultLimits)
		if (err != nil) != (rs.Defect == DefectFreePlaces) {
			t.Fatalf("report seed %d (defect %q): got error %v", seed, rs.Defect, err)
		}
	}
	for _, d := range []Defect{DefectMissingBirthDate, DefectNoEducation, DefectTwoChildren, DefectAnonymous, DefectMisdirected, DefectUnclear, DefectFreePlaces} {
		if seen[d] == 0 {
			t.Errorf("no seed of 300 gave defect %s", d)
		}
	}
}
