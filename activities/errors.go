package activities

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"go.temporal.io/sdk/temporal"
)

// Error types of non-retryable activity failures, for workflows to tell them apart.
const (
	ErrTypeInvalid    = "invalid"    // the input can never succeed
	ErrTypeConstraint = "constraint" // the database refused the write as inconsistent
)

// classify turns err into a non-retryable application error when retrying cannot help:
// integrity-constraint violations (SQLSTATE class 23). Other errors are returned as they
// are, and Temporal retries them.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && len(pgErr.Code) == 5 && pgErr.Code[:2] == "23" {
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeConstraint, err)
	}
	return err
}

// invalid returns a non-retryable error for input that can never succeed.
func invalid(err error) error {
	return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeInvalid, err)
}
