// Package blob names the bytes obieg keeps in object storage: submissions exactly as received,
// content-addressed by SHA-256, the documents the office produces, validation reports and
// proofs. Workflows pass a Ref instead of the bytes (claim check), so this package is pure: the
// store itself is internal/adapters/s3.
package blob

import (
	"errors"

	"github.com/obieg/obieg/internal/domain/problem"
)

// ErrNotFound means no object exists under the key; it is of kind problem.NotFound.
var ErrNotFound = problem.NewNotFound("", errors.New("object not found"))

// ErrTooLarge means an object is larger than the caller allows.
var ErrTooLarge = errors.New("object too large")

// Ref names stored bytes.
type Ref struct {
	Bucket string `json:"bucket"`
	Key    string `json:"key"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// ContentKey is the key under which bytes with the given hex SHA-256 are stored.
func ContentKey(sha256hex string) string {
	return "sha256/" + sha256hex[:2] + "/" + sha256hex
}
