//go:build tools

// Package tools pins the versions of the servers that obieg's development stack and tests run:
// the Temporal CLI (its embedded dev server) and the MinIO server. `make tools` builds both
// into ../.bin/.
package tools

import (
	_ "github.com/minio/minio"
	_ "github.com/temporalio/cli/cmd/temporal"
)
