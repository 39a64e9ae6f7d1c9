package casefile

import (
	"testing"

	"github.com/obieg/obieg/internal/domain/lifecycle"
)

// The stage constants of package casefile are the lifecycle's stages.
func TestStagesAreLifecycles(t *testing.T) {
	got := []lifecycle.Stage{StageNew, StageAssigned, StageAwaitingParty, StageSuspended, StageDraftReview,
		StageAwaitingSignature, StageSigned, StageDispatched, StageDelivered, StageAppealed, StageSettled, StageGranted,
		StageLeftUnexamined, StageForwarded, StageWithdrawn}
	want := lifecycle.Stages()
	if len(got) != len(want) {
		t.Fatalf("got %d stages, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("stage %d: got %s, want %s", i, got[i], want[i])
		}
	}
}
