package activities

import (
	"context"
	"errors"
	"fmt"

	"github.com/obieg/obieg/internal/auth"
	"github.com/obieg/obieg/internal/cases"
)

// Case holds the activities of the case workflow.
type Case struct {
	Cases *cases.Store
	Users *auth.Store
}

// Apply records one step of a case: its new standing and the history entry, once per key.
func (a *Case) Apply(ctx context.Context, st cases.Step) (bool, error) {
	applied, err := a.Cases.Apply(ctx, st)
	if errors.Is(err, cases.ErrNotFound) {
		return false, invalid(err)
	}
	return applied, classify(err)
}

// Assignee is who a case is to be assigned to.
type Assignee struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Position string `json:"position"`
}

// CheckAssignee returns the user who may handle a case of unit: an active clerk or head of
// that unit. Anyone else is refused with a non-retryable error.
func (a *Case) CheckAssignee(ctx context.Context, username, unit string) (Assignee, error) {
	u, err := a.Users.Get(ctx, username)
	if errors.Is(err, auth.ErrNotFound) {
		return Assignee{}, invalid(fmt.Errorf("nie ma aktywnego użytkownika %s", username))
	}
	if err != nil {
		return Assignee{}, err
	}
	if u.Unit != unit || (u.Role != auth.RoleClerk && u.Role != auth.RoleHead) {
		return Assignee{}, invalid(fmt.Errorf("%s nie jest referentem ani kierownikiem komórki %s", username, unit))
	}
	return Assignee{Username: u.Username, Name: u.FullName, Position: u.Position}, nil
}
