package activities

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"go.temporal.io/sdk/temporal"

	"github.com/obieg/obieg/activities/contract"
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
		return temporal.NewNonRetryableApplicationError(err.Error(), contract.ErrTypeConstraint, err)
	}
	return err
}

// invalid returns a non-retryable error for input that can never succeed.
func invalid(err error) error {
	return temporal.NewNonRetryableApplicationError(err.Error(), contract.ErrTypeInvalid, err)
}
