// Package complaints decides how a complaint or motion (skarga, wniosek; art. 227 ff. KPA) is
// to be handled, from the parsed form alone, per DOMAIN.md:
//
//   - anonymous (no name and address of the author): left unexamined, with a note in the file;
//   - about a body that is neither the centre nor one of its units: forwarded to the competent
//     body within 7 days, informing the complainant (art. 231 KPA);
//   - unclear (too little content to tell what it is about): the author is asked to clarify
//     within 7 days;
//   - otherwise: settled without undue delay, within one month (art. 237 § 1, art. 244 § 1).
//
// Classify is pure logic; what the centre counts as its own names is configuration
// (Competence). The result is a suggestion for the clerk, who may overrule it.
package complaints

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/obieg/obieg/internal/domain/deadlines"
	"github.com/obieg/obieg/internal/domain/forms"
)

// DefaultMinWords is the number of words of content below which a complaint is unclear, when
// Competence.MinWords is not set.
const DefaultMinWords = 8

// Competence says what the centre handles itself.
type Competence struct {
	// Names are the names under which a complaint may name the centre or one of its units:
	// the full name, usual abbreviations ("ROPS w Krakowie"), the names of units. A body
	// whose name contains one of them, as whole words and ignoring case and punctuation, is
	// the centre's.
	Names []string
	// MinWords is the number of words of content below which a complaint is unclear;
	// 0 means DefaultMinWords.
	MinWords int
}

// Action is what to do with a complaint.
type Action string

// Actions.
const (
	// LeaveUnexamined: an anonymous complaint is not examined; a note is made in the file.
	LeaveUnexamined Action = "leave-unexamined"
	// Forward: the complaint concerns another body; send it there and inform the complainant.
	Forward Action = "forward"
	// AskClarification: ask the author to explain what the complaint is about.
	AskClarification Action = "ask-clarification"
	// Settle: examine and answer the complaint.
	Settle Action = "settle"
)

// Decision is how to handle a complaint.
type Decision struct {
	Action Action
	// Term is the time the action must be done in, counted from receipt (deadlines.Due); zero
	// for LeaveUnexamined, which has no deadline.
	Term deadlines.Term
	// ForwardTo names the body to forward to (Forward only).
	ForwardTo string
	// InformComplainant says whether the complainant must be told of the action.
	InformComplainant bool
	// Reasons explain the decision to the clerk, in Polish.
	Reasons []string
}

// Terms of the actions.
var (
	termForward       = deadlines.Term{N: 7, Unit: deadlines.Days}
	termClarification = deadlines.Term{N: 7, Unit: deadlines.Days}
	termSettle        = deadlines.Term{N: 1, Unit: deadlines.Months}
)

// Classify decides how the centre handles c.
func Classify(c forms.ComplaintOrMotion, centre Competence) Decision {
	what := "Skarga"
	if c.Kind == forms.KindMotion {
		what = "Wniosek"
	}
	if c.Anonymous() {
		return Decision{Action: LeaveUnexamined, Reasons: []string{
			what + " nie zawiera imienia i nazwiska (nazwy) oraz adresu wnoszącego: pozostawia się bez rozpoznania. Sporządź adnotację i włącz do akt sprawy.",
		}}
	}
	if c.Concerns != nil && !centre.owns(c.Concerns.Name) {
		return Decision{Action: Forward, Term: termForward, ForwardTo: c.Concerns.Name, InformComplainant: true, Reasons: []string{
			fmt.Sprintf("%s dotyczy podmiotu „%s”, który nie jest ośrodkiem ani jego komórką: przekaż ją organowi właściwemu w ciągu 7 dni, zawiadamiając wnoszącego (art. 231 KPA).", what, c.Concerns.Name),
		}}
	}
	least := centre.MinWords
	if least == 0 {
		least = DefaultMinWords
	}
	if n := words(c.Content); n < least {
		return Decision{Action: AskClarification, Term: termClarification, InformComplainant: true, Reasons: []string{
			fmt.Sprintf("Z treści (%d słów) nie można ustalić przedmiotu sprawy: wezwij wnoszącego do wyjaśnienia lub uzupełnienia w ciągu 7 dni, z pouczeniem, że nieusunięcie braków spowoduje pozostawienie bez rozpoznania.", n),
		}}
	}
	article := "art. 237 § 1 KPA"
	if c.Kind == forms.KindMotion {
		article = "art. 244 § 1 KPA"
	}
	return Decision{Action: Settle, Term: termSettle, InformComplainant: true, Reasons: []string{
		fmt.Sprintf("%s dotyczy ośrodka: rozpatrz bez zbędnej zwłoki, nie później niż w ciągu miesiąca, i zawiadom wnoszącego o sposobie załatwienia (%s).", what, article),
	}}
}

// owns reports whether body is the centre or one of its units.
func (c Competence) owns(body string) bool {
	b := " " + normalize(body) + " "
	for _, n := range c.Names {
		if n := normalize(n); n != "" && strings.Contains(b, " "+n+" ") {
			return true
		}
	}
	return false
}

// normalize lower-cases s, turns punctuation into spaces and collapses white space.
func normalize(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return ' '
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// words counts the words (runs of letters or digits) of the paragraphs.
func words(paragraphs []string) int {
	n := 0
	for _, p := range paragraphs {
		n += len(strings.Fields(normalize(p)))
	}
	return n
}
