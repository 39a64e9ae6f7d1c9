package lifecycle

import (
	"slices"

	"github.com/obieg/obieg/internal/domain/civil"
)

// Roles of accounts that the case rules name; they are the values of auth.Role.
const (
	RoleHead     = "head"     // kierownik komórki
	RoleClerk    = "clerk"    // referent: a handler when assigned
	RoleRegistry = "registry" // kancelaria
	RoleAdmin    = "admin"    // administrator: resolves the incoming letters with the registry
)

// Relation is how an actor stands to a case: what a rule of the table allows.
type Relation string

// Relations an action may require (any one of them suffices).
const (
	// Head is the head of the case's unit (role head, the case's unit).
	Head Relation = "head"
	// Handler is the case's handler (prowadzący): the person it is assigned to, whatever
	// their role.
	Handler Relation = "handler"
	// Registry is the registry (kancelaria), of any unit: it records what comes in and goes
	// out of the office.
	Registry Relation = "registry"
	// System is obieg itself: a callback of an outside service, checked at the web edge; no
	// person may do it.
	System Relation = "system"
)

// Label says the relation in Polish.
func (r Relation) Label() string {
	switch r {
	case Head:
		return "kierownik komórki"
	case Handler:
		return "prowadzący sprawę"
	case Registry:
		return "kancelaria"
	case System:
		return "obieg (system)"
	}
	return string(r)
}

// Actor is the person who acts, as the web edge has authenticated them.
type Actor struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Position string `json:"position"`
	Role     string `json:"role"`
	Unit     string `json:"unit"`
}

// Case is what the rules need to know of a case: a small summary that both the case's
// workflow (from its state) and the case page (from the case projection in PostgreSQL) fill.
type Case struct {
	Stage    Stage
	Unit     string
	Assignee string // the handler's username, "" before assignment
	FormType string // the form the case was opened from, "" when unknown
	// AppealReview says that the appeal period is over and letters came in it: the handler
	// decides whether one is an appeal. AppealEnds is the period's last day, when known.
	AppealReview bool
	AppealEnds   civil.Date
	// AwaitedMessage is the e-Doręczenia message whose evidences the case waits for; the
	// workflow alone knows it.
	AwaitedMessage string
	// Today is the day in Warsaw when the workflow checks an action; zero on the page, which
	// checks no input.
	Today civil.Date
}

// Is reports whether a stands to c in relation rel.
func (rel Relation) Is(a Actor, c Case) bool {
	switch rel {
	case Head:
		return a.Role == RoleHead && a.Unit == c.Unit
	case Handler:
		return a.Username != "" && a.Username == c.Assignee
	case Registry:
		return a.Role == RoleRegistry
	}
	return false
}

// Permits reports whether a may do act on c by who they are (stage and needs aside).
func (act *Action) Permits(a Actor, c Case) bool {
	return slices.ContainsFunc(act.Who, func(rel Relation) bool { return rel.Is(a, c) })
}
