package web

import (
	"slices"
	"testing"

	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/records/auth"
)

// The case page offers settling a delivered case only when its projection says the appeal
// period ended with letters in it: what the workflow takes.
func TestOfferedSettle(t *testing.T) {
	clerk := auth.User{Username: "referent.sek", Role: auth.RoleClerk, Unit: "SEK"}
	c := casefile.Case{Stage: casefile.StageDelivered, Unit: "SEK", Assignee: "referent.sek"}
	names := func() []string {
		var out []string
		for _, o := range offered(clerk, c) {
			out = append(out, o.Name)
		}
		return out
	}
	if got := names(); slices.Contains(got, "settle") || !slices.Contains(got, "record-appeal") {
		t.Errorf("got %v while the appeal period runs, want record-appeal and no settle", got)
	}
	c.AppealReview = true
	if got := names(); !slices.Contains(got, "settle") {
		t.Errorf("got %v after the period with letters, want settle", got)
	}
}
