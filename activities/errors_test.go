package activities

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"go.temporal.io/sdk/temporal"

	"github.com/obieg/obieg/activities/contract"
	"github.com/obieg/obieg/internal/domain/problem"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name         string
		err          error
		nonRetryable bool
		typ          string
	}{
		{"no kind", errors.New("connection reset"), false, ""},
		{"transient", problem.NewTransient(errors.New("503")), false, ""},
		{"invalid", fmt.Errorf("parse: %w", problem.NewInvalid("", errors.New("bad"))), true, contract.ErrTypeInvalid},
		{"not found", problem.NewNotFound("Nie ma takiej sprawy.", errors.New("case X")), true, "not-found"},
		{"conflict", problem.NewConflict("", errors.New("changed")), true, contract.ErrTypeConstraint},
		{"refused", problem.NewRefused("Nie teraz.", nil), true, "refused"},
		{"constraint violation", fmt.Errorf("save: %w", &pgconn.PgError{Code: "23505"}), true, contract.ErrTypeConstraint},
		{"other database error", &pgconn.PgError{Code: "40001"}, false, ""},
		{"made already", temporal.NewNonRetryableApplicationError("x", contract.ErrTypeNoSigner, nil), true, contract.ErrTypeNoSigner},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classify(tt.err)
			var appErr *temporal.ApplicationError
			isApp := errors.As(got, &appErr)
			if !tt.nonRetryable {
				if isApp {
					t.Errorf("got application error %v, want %v as it was, retried", got, tt.err)
				}
				return
			}
			if !isApp || !appErr.NonRetryable() || appErr.Type() != tt.typ {
				t.Errorf("got %v, want a non-retryable application error of type %s", got, tt.typ)
			}
		})
	}
	if classify(nil) != nil {
		t.Error("classify(nil): got an error, want nil")
	}
}

func TestErrTypesAreKindNames(t *testing.T) {
	if contract.ErrTypeInvalid != problem.Invalid.String() || contract.ErrTypeConstraint != problem.Conflict.String() {
		t.Errorf("got %q, %q, want %q, %q", contract.ErrTypeInvalid, contract.ErrTypeConstraint, problem.Invalid, problem.Conflict)
	}
}

// TestProblemOf checks that a kind, its Polish message and the fields at fault cross
// Temporal's application error, and that a workflow's refusal without details keeps its
// message.
func TestProblemOf(t *testing.T) {
	fields := []problem.FieldError{{Field: "unit", Message: "Nie ma komórki XYZ."}}
	sent := classify(problem.NewInvalid("", errors.New("no unit XYZ"), fields...))
	got := ProblemOf(fmt.Errorf("route on submission/1: %w", sent))
	if problem.KindOf(got) != problem.Invalid || problem.MessageOf(got) != "Nie ma komórki XYZ." || problem.FieldMap(got)["unit"] == "" {
		t.Errorf("from an activity: got %v %q %v, want invalid with the unit's message", problem.KindOf(got), problem.MessageOf(got), problem.FieldsOf(got))
	}

	refused := temporal.NewApplicationError("wpływy rozstrzyga kancelaria", "refused")
	got = ProblemOf(fmt.Errorf("update: %w", refused))
	if problem.KindOf(got) != problem.Refused || problem.MessageOf(got) != "wpływy rozstrzyga kancelaria" {
		t.Errorf("a refusal without details: got %v %q, want refused with its message", problem.KindOf(got), problem.MessageOf(got))
	}

	refused = temporal.NewApplicationError("case refused", "refused", problem.Details{Kind: "refused", Message: "Sprawa jest zawieszona."})
	if got = ProblemOf(refused); problem.MessageOf(got) != "Sprawa jest zawieszona." {
		t.Errorf("a refusal with details: got %q, want the details' message", problem.MessageOf(got))
	}

	internal := temporal.NewApplicationError("case term: bad", "no-signer")
	if got = ProblemOf(internal); problem.KindOf(got) != problem.Internal || got != internal {
		t.Errorf("a type that is no kind: got %v (%v), want the error as it is", got, problem.KindOf(got))
	}
	invalidNoDetails := temporal.NewNonRetryableApplicationError("case term: bad term", "invalid", nil)
	if got = ProblemOf(invalidNoDetails); problem.KindOf(got) != problem.Invalid || problem.MessageOf(got) != "" {
		t.Errorf("invalid without details: got %v %q, want invalid with no message for people", problem.KindOf(got), problem.MessageOf(got))
	}
}
