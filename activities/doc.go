// Package activities holds obieg's Temporal activities: thin adapters from workflows to the
// internal packages. Each activity is idempotent (writes are keyed by business ids) and
// decides its retries: bad input and constraint violations are non-retryable application
// errors, anything else is retried. Document bytes never pass through here into workflow
// history: activities exchange object keys.
package activities
