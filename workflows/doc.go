// Package workflows holds obieg's Temporal workflow definitions: deterministic code only.
// Workflows decide the order of steps and wait; activities (package activities) do the work.
// Times come from workflow.Now, ids from business keys, and document bytes never enter a
// workflow's history: workflows pass object keys.
package workflows
