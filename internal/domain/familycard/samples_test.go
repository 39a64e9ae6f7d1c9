package familycard

import (
	"testing"

	"github.com/obieg/obieg/internal/dev/simulator/compose"
)

// TestEvaluateGenerated evaluates the generated applications the demo files: the defects
// compose puts in lead to the outcome they are meant to show.
func TestEvaluateGenerated(t *testing.T) {
	for seed := range int64(200) {
		s := compose.RandomFamilyCard(seed)
		if s.Defect == compose.DefectMissingBirthDate {
			continue // refused by the parser, never evaluated
		}
		ev := Evaluate(s.Application, s.Application.Created, DefaultRules())
		switch s.Defect {
		case compose.DefectTwoChildren:
			if ev.Outcome != Refuse {
				t.Errorf("seed %d (two children): got %s, want %s", seed, ev.Outcome, Refuse)
			}
		case compose.DefectNoEducation:
			if ev.Outcome != Incomplete {
				t.Errorf("seed %d (no education): got %s, want %s", seed, ev.Outcome, Incomplete)
			}
		default:
			if ev.Outcome == Refuse {
				t.Errorf("seed %d: got %s (%v)", seed, ev.Outcome, ev.Reasons)
			}
		}
	}
}
