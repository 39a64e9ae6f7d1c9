package problem_test

import (
	"errors"
	"fmt"

	"github.com/obieg/obieg/internal/domain/problem"
)

func Example() {
	// A store refuses a change with the fields at fault.
	err := problem.NewInvalid("", errors.New("invalid institution: regon"),
		problem.FieldError{Field: "regon", Message: "REGON to 9 albo 14 cyfr z poprawną cyfrą kontrolną."})
	err = fmt.Errorf("add institution: %w", err)

	// An edge reads the kind, the message for people and the fields.
	fmt.Println(problem.KindOf(err))
	fmt.Println(problem.MessageOf(err))
	fmt.Println(problem.FieldMap(err)["regon"] != "")
	// Output:
	// invalid
	// REGON to 9 albo 14 cyfr z poprawną cyfrą kontrolną.
	// true
}

func ExampleNotFound() {
	errNotFound := problem.NewNotFound("Nie ma takiej sprawy.", errors.New("case not found"))
	err := fmt.Errorf("%w: %s", errNotFound, "SEK.1510.1.2026")

	fmt.Println(errors.Is(err, errNotFound), problem.KindOf(err))
	fmt.Println(err)
	// Output:
	// true not-found
	// case not found: SEK.1510.1.2026
}
