package letters

import (
	"fmt"
	"strings"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/sentence"
)

// The letters of a case's way, as the case workflow issues them. Each returns the letter's
// kind, title, legal basis and text; the caller adds the date, the addressee and the
// signature block.

// RemedyRequest is the call to remedy the formal defects items of the case ref ("title")
// within days, by due (art. 64 § 2 KPA).
func RemedyRequest(ref, title, items string, days int, due civil.Date) Letter {
	return Letter{Kind: KindRemedyRequest, Title: "Wezwanie do usunięcia braków formalnych", Basis: "art. 64 § 2 k.p.a.",
		Body: []string{
			fmt.Sprintf("W sprawie %s („%s”) wzywam do usunięcia następujących braków formalnych podania: %s", ref, title, sentence.End(items)),
			fmt.Sprintf("Braki należy usunąć w terminie %d dni, tj. do dnia %s. Nieusunięcie braków w tym terminie spowoduje pozostawienie podania bez rozpoznania.", days, due),
		}}
}

// ForwardNotice tells the party that their letter in the case ref ("title") was forwarded to
// the competent body, for reason (art. 65 § 1, art. 231 KPA).
func ForwardNotice(ref, title, body, reason string) Letter {
	return Letter{Kind: KindForwardNotice, Title: "Zawiadomienie o przekazaniu pisma według właściwości",
		Basis: "art. 65 § 1 k.p.a. (skargi i wnioski: art. 231 k.p.a.)",
		Body: []string{
			fmt.Sprintf("Zawiadamiam, że Pani/Pana pismo w sprawie %s („%s”) zostało przekazane do organu właściwego: %s.", ref, title, body),
			"Uzasadnienie: " + sentence.End(reason),
		}}
}

// DelayNotice is the draft notice that the case ref ("title") was not settled by due, with the
// new date proposed (art. 36 § 1 KPA); the handler fills in the cause before it is signed.
func DelayNotice(ref, title string, due, newDue civil.Date) Letter {
	return Letter{Kind: KindDelayNotice, Title: "Zawiadomienie o niezałatwieniu sprawy w terminie", Basis: "art. 36 § 1 k.p.a.",
		Body: []string{
			fmt.Sprintf("Zawiadamiam, że sprawa %s („%s”) nie została załatwiona w terminie, który upłynął %s.", ref, title, due),
			"Przyczyna zwłoki: [do uzupełnienia przez prowadzącego sprawę przed podpisaniem].",
			fmt.Sprintf("Nowy termin załatwienia sprawy: %s.", newDue),
			"Przysługuje Pani/Panu prawo do wniesienia ponaglenia (art. 37 k.p.a.).",
		}}
}

// Accepted is a draft the head accepted: an answer or a decision.
type Accepted struct {
	Kind        string // KindAnswer ("" too) or KindDecision
	Title       string // the answer's title; "" is "Odpowiedź w sprawie: <case title>"
	Text        string // the answer, or the decision's justification
	Basis       string // a decision's legal basis
	Ruling      string
	Instruction string // a decision's instruction on appeal; "" is the general one
}

// Reply is the letter the head signs in the case titled caseTitle: the accepted draft as an
// answer, or as a decision with its ruling, justification and instruction on appeal (to the
// SKO within appealDays of delivery when the draft gives none).
func Reply(d Accepted, caseTitle string, appealDays int) Letter {
	l := Letter{Kind: KindAnswer, Title: "Odpowiedź w sprawie: " + caseTitle, Body: []string{d.Text}}
	if d.Title != "" {
		l.Title = d.Title
	}
	if d.Kind == KindDecision {
		l.Kind, l.Title, l.Basis = KindDecision, "DECYZJA", d.Basis
		l.Ruling = []string{d.Ruling}
		l.Instruction = []string{fmt.Sprintf("Od decyzji przysługuje odwołanie do samorządowego kolegium odwoławczego, "+
			"wnoszone za pośrednictwem organu, który ją wydał, w terminie %d dni od dnia jej doręczenia (art. 127 § 1, art. 129 § 1 i 2 k.p.a.). "+
			"W terminie na wniesienie odwołania strona może zrzec się prawa do jego wniesienia (art. 127a k.p.a.).", appealDays)}
		if d.Instruction != "" {
			l.Instruction = []string{d.Instruction}
		}
	}
	return l
}

// Cover is the subject and text of the e-Doręczenia message that carries the signed letter
// of kind in the case ref ("title").
func Cover(kind, ref, title string) (subject, text string) {
	what := "Odpowiedź"
	if kind == KindDecision {
		what = "Decyzja"
	}
	return fmt.Sprintf("%s w sprawie %s", what, ref),
		fmt.Sprintf("W załączeniu %s w sprawie %s („%s”), podpisana elektronicznie, wraz z jej wizualizacją w formacie PDF.", strings.ToLower(what), ref, title)
}
