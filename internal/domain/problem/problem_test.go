package problem

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"
)

type statusErr int

func (statusErr) Error() string { return "service answered an error" }
func (e statusErr) Kind() Kind {
	if e >= 500 {
		return Transient
	}
	return Invalid
}

func TestKindOf(t *testing.T) {
	sentinel := NewNotFound("Nie ma takiej sprawy.", errors.New("case not found"))
	tests := []struct {
		name    string
		err     error
		kind    Kind
		message string
	}{
		{"nil", nil, Internal, ""},
		{"plain", io.EOF, Internal, ""},
		{"wrapped sentinel", fmt.Errorf("read case: %w", fmt.Errorf("%w: X.1", sentinel)), NotFound, "Nie ma takiej sprawy."},
		{"invalid with fields", NewInvalid("", nil, FieldError{"a", "Pole A."}, FieldError{"b", "Pole B."}), Invalid, "Pole A. Pole B."},
		{"invalid with its message", NewInvalid("Zmiana odrzucona.", nil, FieldError{"a", "Pole A."}), Invalid, "Zmiana odrzucona."},
		{"refused", fmt.Errorf("act: %w", NewRefused("Sprawa jest zawieszona.", io.EOF)), Refused, "Sprawa jest zawieszona."},
		{"conflict", NewConflict("", nil), Conflict, ""},
		{"transient", NewTransient(io.ErrUnexpectedEOF), Transient, ""},
		{"a kind by a method", fmt.Errorf("send: %w", statusErr(503)), Transient, ""},
		{"the outer kind wins", NewRefused("Nie teraz.", statusErr(503)), Refused, "Nie teraz."},
		{"a message from within", NewConflict("", NewRefused("Nie teraz.", nil)), Conflict, "Nie teraz."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := KindOf(tt.err); got != tt.kind {
				t.Errorf("KindOf: got %v, want %v", got, tt.kind)
			}
			if got := MessageOf(tt.err); got != tt.message {
				t.Errorf("MessageOf: got %q, want %q", got, tt.message)
			}
		})
	}
}

func TestCauseStaysVisible(t *testing.T) {
	err := fmt.Errorf("save: %w", NewTransient(fmt.Errorf("dial: %w", io.ErrUnexpectedEOF)))
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("errors.Is(%v, io.ErrUnexpectedEOF): got false, want true", err)
	}
	if got, want := err.Error(), "save: dial: unexpected EOF"; got != want {
		t.Errorf("Error: got %q, want %q", got, want)
	}
}

func TestKindNames(t *testing.T) {
	for k := Internal; k <= Transient; k++ {
		got, ok := ParseKind(k.String())
		if !ok || got != k {
			t.Errorf("ParseKind(%q): got %v, %v, want %v, true", k.String(), got, ok, k)
		}
	}
	if _, ok := ParseKind("no-signer"); ok {
		t.Error(`ParseKind("no-signer"): got true, want false`)
	}
}

func TestDetails(t *testing.T) {
	fields := []FieldError{{"username", "Podaj login."}, {"role", "Nie ma takiej roli."}}
	err := fmt.Errorf("add user: %w", NewInvalid("", errors.New("invalid user"), fields...))
	d := DetailsOf(err)
	back := d.Err(errors.New("from elsewhere"))
	if KindOf(back) != Invalid || MessageOf(back) != "Podaj login. Nie ma takiej roli." || !slices.Equal(FieldsOf(back), fields) {
		t.Errorf("Details round trip: got %v %q %v, want invalid with the fields", KindOf(back), MessageOf(back), FieldsOf(back))
	}
	if got := FieldMap(err); got["role"] != "Nie ma takiej roli." || len(got) != 2 {
		t.Errorf("FieldMap: got %v", got)
	}
	if got := (Details{Kind: "no-signer"}).Err(nil); KindOf(got) != Internal {
		t.Errorf("unknown kind: got %v, want internal", KindOf(got))
	}
}
