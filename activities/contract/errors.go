package contract

// Error types of non-retryable activity failures, for workflows to tell them apart.
const (
	ErrTypeInvalid    = "invalid"    // the input can never succeed
	ErrTypeConstraint = "constraint" // the database refused the write as inconsistent
)
