// Package devstack starts and stops the real servers obieg runs on in development and tests:
// a private PostgreSQL cluster from the installed binaries, the Temporal dev server and MinIO
// (both built from tools/go.mod into .bin/ by `make tools`). Each server runs as a child
// process with its own log file, a health check before Start returns, and a clean shutdown
// (SIGTERM, then SIGKILL after a grace period); children also receive SIGTERM if the parent
// dies. A service whose address is given (an existing database, Temporal cluster or S3) is
// used as it is and not started.
//
// StartS3 runs one S3 server alone: MinIO, or the Versity S3 gateway (versitygw, also built by
// `make tools`), the second S3 server with object lock that the archive's storage is tested
// against.
//
// Tests use the stacktest sub-package, which starts one stack per test binary.
package devstack
