// Package problem gives obieg's errors their kinds: a few that say what went wrong as far as
// the one who asked can tell, and so what to answer and whether to try again.
//
//   - NotFound: what was asked for is not there;
//   - Invalid: the input can never succeed as it is, with the fields at fault, each with a
//     Polish message a page shows beside the field;
//   - Conflict: the input collides with the state of a record changed meanwhile;
//   - Refused: the action is not allowed, or not now, with a Polish message for the person;
//   - Transient: a service obieg needs is unavailable for now;
//   - Internal, the zero Kind: anything else, a failure of obieg itself.
//
// Every store and domain package returns errors of these kinds; each edge maps them once.
// The web answers a kind with its HTTP status and the Polish message (never the error's own
// text, which is for the log); activities answer Invalid, NotFound, Conflict and Refused
// with a non-retryable application error whose type is the kind's name, and let Temporal
// retry the rest.
//
// A constructor takes the Polish message and the cause, which the error wraps: errors.Is and
// errors.As see through it to the cause. A package whose callers must tell two cases of one
// kind apart keeps a named sentinel made by a constructor; wrapped with %w it still has its
// kind:
//
//	var ErrNotFound = problem.NewNotFound("Nie ma takiej sprawy.", errors.New("case not found"))
//
//	return Case{}, fmt.Errorf("%w: %s", ErrNotFound, ref)
//
// KindOf, MessageOf and FieldsOf read an error's chain with errors.As; an error of another
// type says its kind by a method Kind() Kind (as the e-Doręczenia client's answers do).
package problem
