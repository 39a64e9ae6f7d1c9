// Package layout holds obieg's import rule as a test (make lint and make test run it): the
// workflows, the activities' contract and the domain packages never reach a database driver,
// S3 client, HTTP or PDF code through obieg's own packages, and the domain packages not even
// through Temporal's SDK. Imports point one way: cmd -> workflows -> activities -> internal.
package layout
