// Package activities holds obieg's Temporal activities: thin adapters from workflows to the
// internal packages. Each activity is idempotent (writes are keyed by business ids) and
// decides its retries: bad input and constraint violations are non-retryable application
// errors, anything else is retried. Document bytes never pass through here into workflow
// history: activities exchange object keys.
//
// Workflows do not import this package (it reaches databases, S3 and clients): they call the
// activities by the names of package contract, with its inputs and results, and Register
// registers each method here under its name; a test holds the two together.
package activities
