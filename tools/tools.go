//go:build tools

// Package tools pins the versions of the servers that obieg's development stack and tests run:
// the Temporal CLI (its embedded dev server), the MinIO server, and the Versity S3 gateway
// (versitygw), a second S3 server with object lock against which the archive's storage is
// tested so that it depends on no one vendor. `make tools` builds all three into ../.bin/.
package tools

import (
	_ "github.com/minio/minio"
	_ "github.com/temporalio/cli/cmd/temporal"
	_ "github.com/versity/versitygw/cmd/versitygw"
)
