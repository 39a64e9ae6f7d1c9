package contract

// Error types of non-retryable activity failures, for workflows to tell them apart: the
// names of the kinds of internal/domain/problem (Kind.String), which every such failure has
// as its type (not-found and refused besides these two).
const (
	ErrTypeInvalid    = "invalid"  // problem.Invalid: the input can never succeed
	ErrTypeConstraint = "conflict" // problem.Conflict: the database refused the write as inconsistent
)
