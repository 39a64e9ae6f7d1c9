package activities

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"go.temporal.io/sdk/temporal"

	"github.com/obieg/obieg/internal/domain/problem"
)

// classify is the one place where an activity's error becomes Temporal's retry decision. An
// error of kind problem.Invalid, NotFound, Conflict or Refused cannot succeed when tried
// again: it becomes a non-retryable application error whose type is the kind's name (see
// ApplicationError; contract.ErrTypeInvalid and ErrTypeConstraint are two of them); so does an integrity-constraint violation (SQLSTATE class 23), of kind
// Conflict. Transient errors and errors of no kind are returned as they are, and Temporal
// retries them; so are application errors already made.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return err
	}
	kind := problem.KindOf(err)
	var pgErr *pgconn.PgError
	if kind == problem.Internal && errors.As(err, &pgErr) && len(pgErr.Code) == 5 && pgErr.Code[:2] == "23" {
		kind = problem.Conflict
	}
	switch kind {
	case problem.Invalid, problem.NotFound, problem.Conflict, problem.Refused:
		return applicationError(kind, err)
	}
	return err
}

// invalid returns a non-retryable error of kind problem.Invalid for input that can never
// succeed, whatever err's own kind.
func invalid(err error) error {
	return applicationError(problem.Invalid, err)
}

// ApplicationError returns err as a non-retryable Temporal application error when its kind
// (problem.KindOf) is Invalid, NotFound, Conflict or Refused, and err itself otherwise. The
// failure's type is the kind's name and its details a problem.Details, which ProblemOf reads
// back on the other side of Temporal; its message is the Polish message for people when err
// has one.
func ApplicationError(err error) error {
	switch kind := problem.KindOf(err); kind {
	case problem.Invalid, problem.NotFound, problem.Conflict, problem.Refused:
		return applicationError(kind, err)
	}
	return err
}

func applicationError(kind problem.Kind, err error) error {
	d := problem.DetailsOf(err)
	d.Kind = kind.String()
	msg := d.Message
	if msg == "" {
		msg = err.Error()
	}
	return temporal.NewNonRetryableApplicationError(msg, d.Kind, err, d)
}

// ProblemOf returns err with the kind, the Polish message and the fields at fault a Temporal
// application error in its chain carries across: the details ApplicationError gives, or,
// from a failure without them, the kind its type names, with its message as the message for
// people when that kind is Refused (a workflow's refusal of an update says why in Polish).
// An error with no application error of a kind's type is returned as it is.
func ProblemOf(err error) error {
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) {
		return err
	}
	kind, ok := problem.ParseKind(appErr.Type())
	if !ok || kind == problem.Internal {
		return err
	}
	var d problem.Details
	if !appErr.HasDetails() || appErr.Details(&d) != nil || d.Kind != kind.String() {
		d = problem.Details{Kind: kind.String()}
		if kind == problem.Refused {
			d.Message = appErr.Message()
		}
	}
	return d.Err(err)
}
