// Package workflows holds obieg's Temporal workflow definitions: deterministic code only.
// Workflows decide the order of steps and wait; activities (package activities) do the work,
// called by their names in package activities/contract, so that a workflow imports nothing that
// reaches a database, S3, HTTP or PDF code (internal/dev/layout checks it).
// Times come from workflow.Now, ids from business keys, and document bytes never enter a
// workflow's history: workflows pass object keys.
//
// The case workflow (Case) follows the lifecycle of package lifecycle: it registers an update
// for every row of the action table, checked by the row, and carries it out in that action's
// one handler (case_actions.go, case_delivery.go, case_forward.go, case_appeal.go); its clock
// is in case_clock.go. What it writes into the case's history is a code with data (package
// casehistory), said in Polish where the history is shown; the letters it issues are built by
// package letters.
package workflows
