// Package contract declares obieg's Temporal activities as workflows see them: the name of
// each activity, its input and its result, and the error types of its non-retryable failures.
// It is pure (no database, S3, HTTP or PDF code), so that package workflows can import it
// without reaching any adapter; package activities implements the activities, one method per
// Name, taking and returning these types, and app registers them with the worker.
package contract
