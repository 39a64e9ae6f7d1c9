package lifecycle

import (
	"slices"
	"strings"

	"github.com/obieg/obieg/internal/domain/forms"
)

// Terms of the case rules (KPA).
const (
	// MinRemedyDays is the shortest time a party gets to remedy defects (art. 64 §2 KPA).
	MinRemedyDays = 7
	// AppealDays is the appeal period from delivery (art. 129 §2 KPA).
	AppealDays = 14
	// AppealForwardDays is how long the office has to pass an appeal with the case's files to
	// the appeal body (art. 133 KPA).
	AppealForwardDays = 7
)

// Names of the actions: the names of the case workflow's updates and of the API's
// /api/v1/cases/{ref}/actions/{action}.
const (
	Assign         = "assign"          // the head assigns the case (dekretacja)
	RequestRemedy  = "request-remedy"  // call to remedy formal defects (art. 64 §2)
	RecordReply    = "record-reply"    // the party answered the call
	SubmitDraft    = "submit-draft"    // the handler submits the answer or decision for acceptance
	Accept         = "accept"          // the head accepts the draft (akceptacja)
	GrantCards     = "grant-cards"     // family cards granted without a decision
	Dispatch       = "dispatch"        // send the signed answer through e-Doręczenia
	RecordDelivery = "record-delivery" // the signed answer was delivered (by post, in person)
	RecordAppeal   = "record-appeal"   // the party appealed the delivered decision
	Settle         = "settle"          // no appeal after all: the handler closes the case
	Sign           = "sign"            // the head signs the accepted answer or decision
	Return         = "return"          // the head returns the draft with remarks
	Suspend        = "suspend"         // proceedings suspended
	Resume         = "resume"          // proceedings resumed
	Forward        = "forward"         // sent to the competent body (art. 65 / 231), or an appeal passed on (art. 133)
	Withdraw       = "withdraw"        // the party withdrew
	Evidence       = "evidence"        // e-Doręczenia issued an evidence about the sent answer (callback)
)

// Action is a row of the case's action table: who may do what, from which stages, with
// what, and what it leads to.
type Action struct {
	Name string
	// Label names the action on the case page; Fields are the form's fields there.
	Label  string
	Fields []string
	// Variants are the label and fields in the stages where they differ.
	Variants []Variant
	// Input is the type of the workflow update's input.
	Input Input
	// Who may act (any one relation suffices); WhoRefusal says otherwise, "{komórka}" the
	// case's unit.
	Who        []Relation
	WhoRefusal string
	// From are the stages the action is possible in, To those it may lead to.
	From, To []Stage
	// Needs are what else must hold of the case.
	Needs []Need
}

// Variant is an action's label and fields in one stage.
type Variant struct {
	Stage  Stage    `json:"stage"`
	Label  string   `json:"label"`
	Fields []string `json:"fields"`
}

// Need is a condition over the case an action needs besides its stage: both the workflow
// and the case page evaluate it, so the page offers only what the workflow takes.
type Need struct {
	// Text says the condition in Polish, for the docs and the diagram.
	Text string
	// Holds reports whether the condition holds; Refusal says why not.
	Holds   func(Case) bool
	Refusal func(Case) string
}

// Needs of the table.
var (
	familyCardCase = Need{Text: "sprawa z wniosku o kartę rodziny",
		Holds:   func(c Case) bool { return c.FormType == forms.FamilyCard },
		Refusal: func(Case) string { return "to nie jest wniosek o kartę" }}
	appealReview = Need{Text: "termin na odwołanie upłynął, a wpłynęły w nim pisma",
		Holds: func(c Case) bool { return c.AppealReview },
		Refusal: func(c Case) string {
			return "sprawa zakończy się sama z upływem terminu na odwołanie (" + c.AppealEnds.String() + ")"
		}}
)

// handlerOrHead and the like are the usual sets of who may act.
var (
	headOnly           = []Relation{Head}
	handlerOrHead      = []Relation{Handler, Head}
	handlerHeadOrClerk = []Relation{Handler, Head, Registry}
)

// actions is the table, in the order the case page offers the actions.
var actions = []Action{
	{Name: Assign, Label: "Dekretuj", Fields: []string{"assignee", "instructions"}, Input: assignInput,
		Who: headOnly, WhoRefusal: "sprawy komórki {komórka} dekretuje tylko jej kierownik",
		From: []Stage{New, Assigned}, To: []Stage{Assigned}},
	{Name: RequestRemedy, Label: "Wezwij do usunięcia braków", Fields: []string{"items", "days"}, Input: remedyInput,
		Who: handlerOrHead, WhoRefusal: "do usunięcia braków wzywa prowadzący sprawę lub kierownik",
		From: []Stage{Assigned}, To: []Stage{AwaitingParty}},
	{Name: RecordReply, Label: "Odnotuj usunięcie braków", Fields: []string{"note"}, Input: noteInput,
		Who: handlerHeadOrClerk, WhoRefusal: "odpowiedź strony odnotowuje prowadzący, kierownik lub kancelaria",
		From: []Stage{AwaitingParty}, To: []Stage{Assigned}},
	{Name: SubmitDraft, Label: "Przedłóż projekt do akceptacji", Fields: []string{"kind", "title", "basis", "ruling", "summary", "instruction"},
		Input: draftInput, Who: []Relation{Handler}, WhoRefusal: "projekt przedkłada prowadzący sprawę",
		From: []Stage{Assigned}, To: []Stage{DraftReview}},
	{Name: Accept, Label: "Akceptuj projekt", Fields: []string{"note"}, Input: noteInput,
		Who: headOnly, WhoRefusal: "projekty w komórce {komórka} akceptuje tylko jej kierownik",
		From: []Stage{DraftReview}, To: []Stage{AwaitingSignature}},
	{Name: GrantCards, Label: "Przyznaj karty (bez decyzji)", Fields: []string{"note"}, Input: noteInput,
		Who: handlerOrHead, WhoRefusal: "karty przyznaje prowadzący sprawę lub kierownik",
		From: []Stage{Assigned}, To: []Stage{Granted, Assigned}, Needs: []Need{familyCardCase}},
	{Name: Dispatch, Label: "Wyślij przez e-Doręczenia", Fields: []string{"address"}, Input: dispatchInput,
		Who: handlerHeadOrClerk, WhoRefusal: "wysyłkę zleca prowadzący, kierownik lub kancelaria",
		From: []Stage{Signed}, To: []Stage{Dispatched}},
	{Name: RecordDelivery, Label: "Odnotuj doręczenie", Fields: []string{"date", "method"}, Input: deliveryInput,
		Who: handlerHeadOrClerk, WhoRefusal: "doręczenie odnotowuje prowadzący, kierownik lub kancelaria",
		From: []Stage{Signed}, To: []Stage{Delivered, Settled}},
	{Name: RecordAppeal, Label: "Odnotuj odwołanie", Fields: []string{"note"}, Input: noteInput,
		Who: handlerHeadOrClerk, WhoRefusal: "odwołanie odnotowuje prowadzący, kierownik lub kancelaria",
		From: []Stage{Delivered}, To: []Stage{Appealed}},
	{Name: Settle, Label: "Zakończ sprawę (brak odwołania)", Fields: []string{"note"}, Input: noteInput,
		Who: handlerOrHead, WhoRefusal: "sprawę zamyka prowadzący lub kierownik",
		From: []Stage{Delivered}, To: []Stage{Settled}, Needs: []Need{appealReview}},
	{Name: Sign, Label: "Podpisz odpowiedź", Fields: []string{"note"}, Input: noteInput,
		Who: headOnly, WhoRefusal: "odpowiedzi i decyzje w komórce {komórka} podpisuje jej kierownik",
		From: []Stage{AwaitingSignature}, To: []Stage{Signed}},
	{Name: Return, Label: "Zwróć projekt z uwagami", Fields: []string{"note"}, Input: noteRequired("podaj uwagi"),
		Who: headOnly, WhoRefusal: "projekty w komórce {komórka} zwraca tylko jej kierownik",
		From: []Stage{DraftReview}, To: []Stage{Assigned}},
	{Name: Suspend, Label: "Zawieś postępowanie", Fields: []string{"note"}, Input: noteRequired("podaj podstawę zawieszenia"),
		Who: headOnly, WhoRefusal: "postępowanie zawiesza kierownik komórki",
		From: []Stage{New, Assigned, DraftReview}, To: []Stage{Suspended}},
	{Name: Resume, Label: "Podejmij postępowanie", Fields: []string{"note"}, Input: noteInput,
		Who: headOnly, WhoRefusal: "postępowanie podejmuje kierownik komórki",
		From: []Stage{Suspended}, To: []Stage{New, Assigned, DraftReview}},
	{Name: Forward, Label: "Przekaż według właściwości", Fields: []string{"body", "reason", "box_address"}, Input: forwardInput,
		Variants: []Variant{{Stage: Appealed, Label: "Odnotuj przekazanie odwołania z aktami organowi odwoławczemu", Fields: []string{"body", "reason"}}},
		Who:      handlerOrHead, WhoRefusal: "sprawę przekazuje prowadzący lub kierownik",
		From: []Stage{New, Assigned, Appealed}, To: []Stage{Forwarded}},
	{Name: Withdraw, Label: "Odnotuj wycofanie podania", Fields: []string{"note"}, Input: noteInput,
		Who: handlerHeadOrClerk, WhoRefusal: "wycofanie podania odnotowuje prowadzący, kierownik lub kancelaria",
		From: []Stage{New, Assigned, AwaitingParty, Suspended, DraftReview}, To: []Stage{Withdrawn}},
	{Name: Evidence, Label: "Dowód doręczenia z e-Doręczeń", Input: evidenceInput, Who: []Relation{System},
		From: []Stage{Dispatched}, To: []Stage{Delivered, Settled, Signed}},
}

// Actions returns the action table, in the order the case page offers the actions.
func Actions() []Action { return slices.Clone(actions) }

// Lookup returns the action named name.
func Lookup(name string) (Action, bool) {
	i := slices.IndexFunc(actions, func(a Action) bool { return a.Name == name })
	if i < 0 {
		return Action{}, false
	}
	return actions[i], true
}

// ByPeople reports whether people do the action (through the page and the API), not obieg.
func (act *Action) ByPeople() bool { return !slices.Contains(act.Who, System) }

// Allows checks in against the case c: who acts, the stage, the needs and what the input
// says, in that order. It returns nil or a *Refusal.
func (act *Action) Allows(c Case, in any) error {
	if act.ByPeople() {
		a, ok := ActorOf(in)
		if !ok || !act.Permits(a, c) {
			return refuse("%s", strings.ReplaceAll(act.WhoRefusal, "{komórka}", c.Unit))
		}
	}
	if !slices.Contains(act.From, c.Stage) {
		return refuse("czynność niemożliwa, gdy sprawa ma stan %s", c.Stage)
	}
	for _, n := range act.Needs {
		if !n.Holds(c) {
			return refuse("%s", n.Refusal(c))
		}
	}
	return act.Input.Check(in, c)
}

// Offer is an action as the case page offers it.
type Offer struct {
	Name, Label string
	Fields      []string
}

// Offers returns the actions a may be offered on c: those people do, that a may do by who
// they are, in c's stage, whose needs hold. The workflow checks the input as well.
func Offers(a Actor, c Case) []Offer {
	var out []Offer
	for i := range actions {
		act := &actions[i]
		if !act.ByPeople() || !act.Permits(a, c) || !slices.Contains(act.From, c.Stage) {
			continue
		}
		if slices.ContainsFunc(act.Needs, func(n Need) bool { return !n.Holds(c) }) {
			continue
		}
		o := Offer{Name: act.Name, Label: act.Label, Fields: act.Fields}
		for _, v := range act.Variants {
			if v.Stage == c.Stage {
				o.Label, o.Fields = v.Label, v.Fields
			}
		}
		out = append(out, o)
	}
	return out
}

// Event is a change of stage that no person makes: the case's clock or what obieg learns.
type Event struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	From  Stage  `json:"from"`
	To    Stage  `json:"to"`
}

// Events are the case's changes of stage that no action makes.
var events = []Event{
	{Name: "anonymous", Label: "pismo anonimowe", From: New, To: LeftUnexamined},
	{Name: "remedy_expired", Label: "braki nieusunięte w terminie", From: AwaitingParty, To: LeftUnexamined},
	{Name: "appeal_over", Label: "termin na odwołanie upłynął bez pism", From: Delivered, To: Settled},
}

// Events returns the changes of stage that no action makes.
func Events() []Event { return slices.Clone(events) }
