package lifecycle

import (
	"fmt"
	"strings"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/edelivery"
	"github.com/obieg/obieg/internal/domain/epuapbox"
)

// Inputs of the actions, as the case workflow's updates take them (JSON).
type (
	AssignInput struct {
		Actor        Actor  `json:"actor"`
		Assignee     string `json:"assignee"`
		Instructions string `json:"instructions"`
	}
	RemedyInput struct {
		Actor Actor  `json:"actor"`
		Items string `json:"items"` // what is missing, in the words of the call
		Days  int    `json:"days"`
	}
	NoteInput struct {
		Actor Actor  `json:"actor"`
		Note  string `json:"note"`
	}
	DeliveryInput struct {
		Actor Actor `json:"actor"`
		// Date is the day of delivery (YYYY-MM-DD) on the return receipt, or of handing over.
		Date   string `json:"date"`
		Method string `json:"method"` // how: list polecony za zwrotnym potwierdzeniem odbioru, osobiście, ...
	}
	DraftInput struct {
		Actor Actor `json:"actor"`
		// Kind is "odpowiedz" (an answer; the default) or "decyzja" (a decision, which then
		// needs Basis and Ruling; Summary is its justification).
		Kind    string `json:"kind,omitempty"`
		Basis   string `json:"basis,omitempty"`
		Ruling  string `json:"ruling,omitempty"`
		Summary string `json:"summary"`
		// Title is the letter's title ("Zawiadomienie o sposobie załatwienia skargi"); empty
		// is "Odpowiedź w sprawie: <case title>". A decision is titled DECYZJA whatever it is.
		Title string `json:"title,omitempty"`
		// Instruction is a decision's instruction on appeal, a paragraph a line; empty gives
		// the general one (appeal to the SKO within 14 days, art. 127-129 KPA).
		Instruction string `json:"instruction,omitempty"`
		// DocumentID names the draft document once outgoing documents are built; may be empty.
		DocumentID string `json:"document_id,omitempty"`
	}
	ForwardInput struct {
		Actor  Actor  `json:"actor"`
		Body   string `json:"body"`   // the competent body
		Reason string `json:"reason"` // why it is competent
		// BoxAddress is the competent body's ePUAP box, "/podmiot/skrytka": when given, the
		// submission is sent there through doręczyciel, with proof of delivery (UPD).
		BoxAddress string `json:"box_address,omitempty"`
	}
	DispatchInput struct {
		Actor Actor `json:"actor"`
		// Address is the party's electronic delivery address, AE:PL-12345-67890-ABCDE-12.
		Address string `json:"address"`
	}
	EvidenceInput struct {
		// MessageID is the sent message the service issued an evidence about.
		MessageID string `json:"message_id"`
	}
)

func (in AssignInput) acting() Actor   { return in.Actor }
func (in RemedyInput) acting() Actor   { return in.Actor }
func (in NoteInput) acting() Actor     { return in.Actor }
func (in DeliveryInput) acting() Actor { return in.Actor }
func (in DraftInput) acting() Actor    { return in.Actor }
func (in ForwardInput) acting() Actor  { return in.Actor }
func (in DispatchInput) acting() Actor { return in.Actor }

// acting is an input that names who acts.
type acting interface{ acting() Actor }

// ActorOf returns who acts in input in, false for an input of obieg itself (a callback).
func ActorOf(in any) (Actor, bool) {
	a, ok := in.(acting)
	if !ok {
		return Actor{}, false
	}
	return a.acting(), true
}

// Request is a person's action as the case page's forms and the JSON API carry it: every
// field any action takes. An action's Input picks its own.
type Request struct {
	Assignee, Instructions, Note, Items string
	Days                                int
	Summary, Body, Reason, Date, Method string
	Address, BoxAddress                 string
	Kind, Basis, Ruling                 string
	Title, Instruction                  string
}

// Input is the type of an action's input: how it is made from a person's request and what
// it must say to be taken.
type Input interface {
	// Name is the Go name of the type, for the docs.
	Name() string
	// From makes the input of a's request r; nil for an action no person does.
	From(a Actor, r Request) any
	// Accepts reports whether v is of the type.
	Accepts(v any) bool
	// Check returns a *Refusal when in is not fit to act on c.
	Check(in any, c Case) error
}

type input[T any] struct {
	name  string
	from  func(Actor, Request) T
	check func(T, Case) error
}

func (i input[T]) Name() string { return i.name }

func (i input[T]) From(a Actor, r Request) any {
	if i.from == nil {
		return nil
	}
	return i.from(a, r)
}

func (i input[T]) Accepts(v any) bool { _, ok := v.(T); return ok }

func (i input[T]) Check(in any, c Case) error {
	v, ok := in.(T)
	if !ok {
		return fmt.Errorf("input of %s: got %T", i.name, in)
	}
	if i.check == nil {
		return nil
	}
	return i.check(v, c)
}

// The input types, with what each must say.
var (
	assignInput = input[AssignInput]{name: "AssignInput",
		from: func(a Actor, r Request) AssignInput {
			return AssignInput{Actor: a, Assignee: r.Assignee, Instructions: r.Instructions}
		},
		check: func(in AssignInput, _ Case) error {
			return require(in.Assignee, "nie wskazano prowadzącego")
		}}
	remedyInput = input[RemedyInput]{name: "RemedyInput",
		from: func(a Actor, r Request) RemedyInput { return RemedyInput{Actor: a, Items: r.Items, Days: r.Days} },
		check: func(in RemedyInput, _ Case) error {
			if in.Days < MinRemedyDays {
				return refuse("termin na usunięcie braków to co najmniej %d dni (art. 64 § 2 k.p.a.)", MinRemedyDays)
			}
			return require(in.Items, "wskaż braki do usunięcia")
		}}
	noteInput = input[NoteInput]{name: "NoteInput",
		from: func(a Actor, r Request) NoteInput { return NoteInput{Actor: a, Note: r.Note} }}
	// noteRequired is a note that must be given: refusal says what it is to say.
	noteRequired = func(refusal string) input[NoteInput] {
		n := noteInput
		n.check = func(in NoteInput, _ Case) error { return require(in.Note, refusal) }
		return n
	}
	draftInput = input[DraftInput]{name: "DraftInput",
		from: func(a Actor, r Request) DraftInput {
			return DraftInput{Actor: a, Kind: r.Kind, Basis: r.Basis, Ruling: r.Ruling, Summary: r.Summary,
				Title: r.Title, Instruction: r.Instruction}
		},
		check: func(in DraftInput, _ Case) error {
			if err := require(in.Summary, "opisz projekt"); err != nil {
				return err
			}
			switch in.Kind {
			case "", DraftAnswer:
			case DraftDecision:
				if strings.TrimSpace(in.Basis) == "" || strings.TrimSpace(in.Ruling) == "" {
					return refuse("decyzja wymaga podstawy prawnej i rozstrzygnięcia")
				}
			default:
				return refuse("projekt to odpowiedź albo decyzja")
			}
			return nil
		}}
	deliveryInput = input[DeliveryInput]{name: "DeliveryInput",
		from: func(a Actor, r Request) DeliveryInput { return DeliveryInput{Actor: a, Date: r.Date, Method: r.Method} },
		check: func(in DeliveryInput, c Case) error {
			on, err := civil.ParseDate(in.Date)
			if err != nil {
				return refuse("data doręczenia w postaci RRRR-MM-DD")
			}
			if !c.Today.IsZero() && on.After(c.Today) {
				return refuse("data doręczenia nie może być późniejsza niż dziś")
			}
			return require(in.Method, "podaj sposób doręczenia")
		}}
	dispatchInput = input[DispatchInput]{name: "DispatchInput",
		from: func(a Actor, r Request) DispatchInput { return DispatchInput{Actor: a, Address: r.Address} },
		check: func(in DispatchInput, _ Case) error {
			if !edelivery.ValidAddress(in.Address) {
				return refuse("adres do doręczeń elektronicznych ma postać AE:PL-12345-67890-ABCDE-12")
			}
			return nil
		}}
	forwardInput = input[ForwardInput]{name: "ForwardInput",
		from: func(a Actor, r Request) ForwardInput {
			return ForwardInput{Actor: a, Body: r.Body, Reason: r.Reason, BoxAddress: r.BoxAddress}
		},
		check: func(in ForwardInput, c Case) error {
			if strings.TrimSpace(in.Body) == "" || strings.TrimSpace(in.Reason) == "" {
				return refuse("wskaż organ właściwy i podstawę jego właściwości")
			}
			if in.BoxAddress != "" && !epuapbox.Valid(in.BoxAddress) {
				return refuse("adres skrytki ePUAP ma postać /podmiot/skrytka")
			}
			if c.Stage == Appealed && in.BoxAddress != "" {
				return refuse("przekazania odwołania z aktami przez ePUAP obieg jeszcze nie wykonuje: przekaż akta i odnotuj przekazanie bez adresu skrytki")
			}
			return nil
		}}
	evidenceInput = input[EvidenceInput]{name: "EvidenceInput",
		check: func(in EvidenceInput, c Case) error {
			if c.AwaitedMessage == "" || c.AwaitedMessage != in.MessageID {
				return refuse("sprawa nie czeka na dowód doręczenia wiadomości %s", in.MessageID)
			}
			return nil
		}}
)

// Kinds of draft (DraftInput.Kind); they are the kinds of letter of package letters.
const (
	DraftAnswer   = "odpowiedz"
	DraftDecision = "decyzja"
)

func require(s, refusal string) error {
	if strings.TrimSpace(s) == "" {
		return refuse("%s", refusal)
	}
	return nil
}

// Refusal is an action refused: the actor may not do it, or not now, or not with what they
// gave. Reason is Polish, for the person who tried.
type Refusal struct{ Reason string }

func (r *Refusal) Error() string { return r.Reason }

func refuse(format string, args ...any) error {
	return &Refusal{Reason: fmt.Sprintf(format, args...)}
}
