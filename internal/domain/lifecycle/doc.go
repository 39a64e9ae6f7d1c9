// Package lifecycle declares the lifecycle of a case (sprawa) in one place: its stages, how a
// person stands to a case (head of its unit, its handler, the registry), and the action
// table: for every action its name, its input type, who may do it, from which stages and to
// which, its label and the fields of its form on the case page, and what else it needs of
// the case (a Need, a condition over a small summary of the case, Case).
//
// Everything else derives from the table. The case workflow (package workflows) registers an
// update for every row, checked by the row (Action.Allows) before it is taken, and carries it
// out in the one handler function the row's name has there. The case page offers what
// Offers returns for the person and the case's projection in PostgreSQL: the same rules, so
// it never offers what the workflow refuses. The web's mapping of a request to an update's
// input is the row's Input. The API's enums of actions and stages are checked against the
// table by a test (internal/web), and so is the state diagram in docs/lifecycle.dot
// (obieg lifecycle --dot).
//
// To change an action: change its row here and its handler in package workflows
// (case_actions.go and its neighbours); to add one, add both, and the action's name to the
// API's enum. Overdue is not a stage: it is a fact of the due date, beside the stage.
//
// The package is pure: it knows no database, network, PDF or Temporal.
package lifecycle
