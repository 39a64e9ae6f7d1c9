// Package casehistory says the entries of a case's history (metryka sprawy) as codes with data,
// and renders them in Polish at the edges: the case page, the API and the case history
// document (package metryka). The case workflow and the activities record an Entry (a code
// and its data); an entry recorded before entries had data keeps its stored text, which
// Describe returns as it is. Pure: it knows no database, network or Temporal.
package casehistory

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/deadlines"
	"github.com/obieg/obieg/internal/domain/lifecycle"
	"github.com/obieg/obieg/internal/domain/sentence"
)

// Codes of the entries of a case's history (metryka): the stable names kept with every entry
// (case_actions.action) and the audit log's "case.<code>".
const (
	CodeProceedingsStarted = "proceedings_started"
	CodeAssessed           = "assessed"
	CodeLeftUnexamined     = "left_unexamined"
	CodeLetterJoined       = "letter_joined"
	CodeDeadlineReminder   = "deadline_reminder"
	CodeDeadlineMissed     = "deadline_missed"
	CodeAssigned           = "assigned"
	CodeRemedyRequested    = "remedy_requested"
	CodeRemedyReceived     = "remedy_received"
	CodeSuspended          = "suspended"
	CodeResumed            = "resumed"
	CodeDraftSubmitted     = "draft_submitted"
	CodeDraftAccepted      = "draft_accepted"
	CodeDraftReturned      = "draft_returned"
	CodeSigned             = "signed"
	CodeCardsGranted       = "cards_granted"
	CodeDispatched         = "dispatched"
	CodeDeliveryRejected   = "delivery_rejected"
	CodeDelivered          = "delivered"
	CodeAppealed           = "appealed"
	CodeAppealReview       = "appeal_review"
	CodeAppealForwardLate  = "appeal_forward_late"
	CodeAppealForwarded    = "appeal_forwarded"
	CodeSettled            = "settled"
	CodeForwarded          = "forwarded"
	CodeForwardRejected    = "forward_rejected"
	CodeDeliveredToBody    = "delivered_to_body"
	CodeWithdrawn          = "withdrawn"
)

// Data is what an entry of the history says, by name: dates as YYYY-MM-DD, numbers in
// decimal. It is kept as a JSON object with the entry (case_actions.data).
type Data map[string]string

// Entry is an entry of a case's history as its code and data: Describe says it in Polish.
type Entry struct {
	Code string
	Data Data
}

// Describe says the entry of code with data in Polish, as the case page, the API and the
// case history document show it. An entry recorded before entries had data (data nil) has
// its text stored: that is returned. So is an entry whose code obieg does not know.
func Describe(code string, data Data, stored string) string {
	render, ok := describers[code]
	if data == nil || !ok {
		return stored
	}
	return render(data)
}

// Text says the entry in Polish.
func (e Entry) Text() string { return Describe(e.Code, e.Data, "") }

func entry(code string, kv ...string) Entry {
	d := Data{}
	for i := 0; i+1 < len(kv); i += 2 {
		d[kv[i]] = kv[i+1]
	}
	return Entry{Code: code, Data: d}
}

func date(d civil.Date) string { return d.String() }

// The entries, each with what it says.

// ProceedingsStarted opens the case ref with its term (as "1m") and due date.
func ProceedingsStarted(ref string, term deadlines.Term, due civil.Date) Entry {
	return entry(CodeProceedingsStarted, "reference", ref, "term", term.String(), "due", date(due))
}

// Assessed records what the rules of the case's form say, as the assessment summed it up.
func Assessed(summary string) Entry { return entry(CodeAssessed, "summary", summary) }

// LeftAnonymous leaves an anonymous letter unexamined.
func LeftAnonymous() Entry { return entry(CodeLeftUnexamined, "reason", "anonymous") }

// RemedyExpired leaves the application unexamined: defects not remedied by due.
func RemedyExpired(due civil.Date) Entry {
	return entry(CodeLeftUnexamined, "reason", "remedy_expired", "remedy_due", date(due))
}

// Letter is a letter joined to a case, as its history names it.
type Letter struct {
	Number   string // in the incoming register, n/year
	Received time.Time
	Channel  string
	Title    string
	Sender   string
}

// LetterJoined files a letter that came in the case; stage is the case's then ("" if not
// known): it says what the handler is to do with it.
func LetterJoined(l Letter, stage lifecycle.Stage) Entry {
	return entry(CodeLetterJoined, "number", l.Number, "received", date(deadlines.WarsawDate(l.Received)),
		"channel", l.Channel, "title", l.Title, "sender", l.Sender, "stage", string(stage))
}

// DeadlineReminder reminds of the due date.
func DeadlineReminder(due civil.Date) Entry { return entry(CodeDeadlineReminder, "due", date(due)) }

// DeadlineMissed escalates a missed due date, with the new one proposed to the party.
func DeadlineMissed(due, newDue civil.Date) Entry {
	return entry(CodeDeadlineMissed, "due", date(due), "new_due", date(newDue))
}

// Assigned assigns the case to a handler, by name and username, with instructions.
func Assigned(name, username, instructions string) Entry {
	return entry(CodeAssigned, "name", name, "username", username, "instructions", instructions)
}

// RemedyRequested calls the party to remedy items within days, by due.
func RemedyRequested(items string, days int, due civil.Date) Entry {
	return entry(CodeRemedyRequested, "items", items, "days", strconv.Itoa(days), "remedy_due", date(due))
}

// RemedyReceived records the party's remedy; the term runs on to due.
func RemedyReceived(note string, due civil.Date) Entry {
	return entry(CodeRemedyReceived, "note", note, "due", date(due))
}

// Suspended suspends the proceedings on the basis note.
func Suspended(note string) Entry { return entry(CodeSuspended, "note", note) }

// Resumed resumes them; the term ends on due.
func Resumed(note string, due civil.Date) Entry {
	return entry(CodeResumed, "note", note, "due", date(due))
}

// DraftSubmitted submits a draft of kind (lifecycle.DraftAnswer, lifecycle.DraftDecision): its summary, or a
// decision's ruling.
func DraftSubmitted(kind, summary, ruling string) Entry {
	if kind == lifecycle.DraftDecision {
		return entry(CodeDraftSubmitted, "kind", kind, "text", ruling)
	}
	return entry(CodeDraftSubmitted, "kind", lifecycle.DraftAnswer, "text", summary)
}

// DraftAccepted accepts the draft of drafter.
func DraftAccepted(drafter, note string) Entry {
	return entry(CodeDraftAccepted, "drafter", drafter, "note", note)
}

// DraftReturned returns the draft with remarks.
func DraftReturned(note string) Entry { return entry(CodeDraftReturned, "note", note) }

// Signed records the signed answer or decision (kind of the draft).
func Signed(kind string) Entry { return entry(CodeSigned, "kind", draftKind(kind)) }

// Card is a family card granted.
type Card struct {
	Holder     string
	Number     string
	ValidUntil *civil.Date
}

// CardsGranted grants cards without a decision; complete says no member is left to refuse.
// The data has the number of cards ("cards") and each card's "card.<i>.holder", ".number" and
// ".until" (empty: without end).
func CardsGranted(cards []Card, complete bool) Entry {
	e := entry(CodeCardsGranted, "cards", strconv.Itoa(len(cards)), "complete", strconv.FormatBool(complete))
	for i, c := range cards {
		p := "card." + strconv.Itoa(i) + "."
		e.Data[p+"holder"], e.Data[p+"number"] = c.Holder, c.Number
		if c.ValidUntil != nil {
			e.Data[p+"until"] = date(*c.ValidUntil)
		}
	}
	return e
}

// Dispatched sends the signed letter through e-Doręczenia to address, as message.
func Dispatched(address, message string) Entry {
	return entry(CodeDispatched, "address", address, "message_id", message)
}

// DispatchRejected records a sending to address that the service refused at once.
func DispatchRejected(address, reason string) Entry {
	return entry(CodeDeliveryRejected, "address", address, "reason", reason)
}

// DeliveryRejected records a sending refused later: the letter waits to be delivered
// another way.
func DeliveryRejected(address, reason string) Entry {
	return entry(CodeDeliveryRejected, "address", address, "reason", reason, "other_way", "true")
}

// Delivery is how a signed letter reached the party: by a method recorded by hand, or
// through e-Doręczenia with an evidence (deemed: not collected within 14 days).
type Delivery struct {
	On       civil.Date
	Method   string
	Evidence string
	Deemed   bool
}

// Delivered records the delivery of the letter of kind; for a decision, the appeal period
// ends on appealEnds.
func Delivered(kind string, d Delivery, appealEnds civil.Date) Entry {
	e := entry(CodeDelivered, "kind", draftKind(kind), "on", date(d.On))
	if d.Evidence != "" {
		e.Data["evidence"], e.Data["deemed"] = d.Evidence, strconv.FormatBool(d.Deemed)
	} else {
		e.Data["method"] = d.Method
	}
	if kind == lifecycle.DraftDecision {
		e.Data["appeal_ends"] = date(appealEnds)
	}
	return e
}

// Appealed records an appeal against the decision delivered on deliveredOn; the period
// ended on appealEnds (late: the appeal came after it), and the appeal is to be passed on
// by forwardDue.
func Appealed(deliveredOn, appealEnds, forwardDue civil.Date, late bool, note string) Entry {
	return entry(CodeAppealed, "delivered_on", date(deliveredOn), "appeal_ends", date(appealEnds),
		"forward_due", date(forwardDue), "late", strconv.FormatBool(late), "note", strings.TrimSpace(note))
}

// AppealReview says the appeal period is over with letters in it, for the handler to judge.
func AppealReview(appealEnds civil.Date, letters int) Entry {
	return entry(CodeAppealReview, "appeal_ends", date(appealEnds), "letters", strconv.Itoa(letters))
}

// AppealForwardLate says the appeal was not passed on by due.
func AppealForwardLate(due civil.Date) Entry { return entry(CodeAppealForwardLate, "due", date(due)) }

// AppealForwarded records the appeal passed with the files to the appeal body.
func AppealForwarded(body, reason string) Entry {
	return entry(CodeAppealForwarded, "body", body, "reason", reason)
}

// AppealOver settles a delivered decision whose appeal period ended without letters.
func AppealOver(deliveredOn, appealEnds civil.Date) Entry {
	return entry(CodeSettled, "delivered_on", date(deliveredOn), "appeal_ends", date(appealEnds), "days", strconv.Itoa(lifecycle.AppealDays))
}

// SettledNoAppeal settles a case whose letters in the appeal period are no appeal.
func SettledNoAppeal(note string) Entry {
	return entry(CodeSettled, "note", strings.TrimSpace(note))
}

// Forwarded forwards the case to the competent body, the party to be notified.
func Forwarded(body, reason string) Entry {
	return entry(CodeForwarded, "body", body, "reason", reason)
}

// Sent is a document sent to a body's ePUAP box: its ePUAP id, or why it was not sent.
type Sent struct {
	MessageID string
	Rejected  bool
	Reason    string
}

// ForwardedByEPUAP forwards the case to the body's box: first the party's submission, then
// the forwarding letter if there is one. The data has the number of documents ("sent") and
// each one's "sent.<i>.message_id", or "sent.<i>.rejected" with the reason.
func ForwardedByEPUAP(body, reason, box string, sent []Sent) Entry {
	e := entry(CodeForwarded, "body", body, "reason", reason, "box", box, "sent", strconv.Itoa(len(sent)))
	for i, d := range sent {
		p := "sent." + strconv.Itoa(i) + "."
		if d.Rejected {
			e.Data[p+"rejected"] = d.Reason
			continue
		}
		e.Data[p+"message_id"] = d.MessageID
	}
	return e
}

// ForwardRejected records a forwarding to box that ePUAP refused.
func ForwardRejected(body, box, reason string) Entry {
	return entry(CodeForwardRejected, "body", body, "box", box, "reason", reason)
}

// DeliveredToBody records the UPD of a document delivered to a body's box: the party's
// submission forwarded (forwardingLetter false) or the forwarding letter.
func DeliveredToBody(body, box string, forwardingLetter bool, on civil.Date, upd string) Entry {
	return entry(CodeDeliveredToBody, "body", body, "box", box, "forwarding_letter", strconv.FormatBool(forwardingLetter),
		"on", date(on), "upd", upd)
}

// Withdrawn records the party's withdrawal.
func Withdrawn(note string) Entry { return entry(CodeWithdrawn, "note", note) }

func draftKind(kind string) string {
	if kind == lifecycle.DraftDecision {
		return lifecycle.DraftDecision
	}
	return lifecycle.DraftAnswer
}

// describers say each code's entries in Polish.
var describers = map[string]func(Data) string{
	CodeProceedingsStarted: func(d Data) string {
		return fmt.Sprintf("Wszczęcie sprawy %s; termin załatwienia (%s) upływa %s.", d["reference"], polishTerm(d["term"]), d["due"])
	},
	CodeAssessed: func(d Data) string { return d["summary"] },
	CodeLeftUnexamined: func(d Data) string {
		if d["reason"] == "anonymous" {
			return "Pismo anonimowe pozostawiono bez rozpatrzenia; sporządzono adnotację w aktach."
		}
		return fmt.Sprintf("Braki formalne nie zostały usunięte w terminie (do %s); podanie pozostawiono bez rozpoznania (art. 64 § 2 k.p.a.).", d["remedy_due"])
	},
	CodeLetterJoined: func(d Data) string {
		title := cmpOr(d["title"], "bez tytułu")
		sender := cmpOr(d["sender"], "nadawca nieznany")
		desc := fmt.Sprintf("Wpłynęło pismo w sprawie (RPW %s z %s, %s): „%s”, od: %s. Dołączono do akt sprawy.",
			d["number"], d["received"], d["channel"], title, sender)
		switch lifecycle.Stage(d["stage"]) {
		case lifecycle.AwaitingParty:
			desc += " Sprawa czeka na usunięcie braków: prowadzący ocenia, czy pismo je usuwa, i odnotowuje to (czynność „" + label(lifecycle.RecordReply) + "”)."
		case lifecycle.Delivered:
			desc += " Biegnie termin na odwołanie: jeśli pismo jest odwołaniem, prowadzący odnotowuje je (czynność „" + label(lifecycle.RecordAppeal) + "”), inaczej sprawa zakończy się z upływem terminu."
		}
		return desc
	},
	CodeDeadlineReminder: func(d Data) string {
		return fmt.Sprintf("Przypomnienie: termin załatwienia sprawy upływa %s.", d["due"])
	},
	CodeDeadlineMissed: func(d Data) string {
		return fmt.Sprintf("Termin załatwienia sprawy upłynął %s. Sprawa przekazana kierownikowi komórki. "+
			"Przygotowano projekt zawiadomienia strony (art. 36 k.p.a.): przyczyna zwłoki do uzupełnienia przez prowadzącego, "+
			"proponowany nowy termin %s, pouczenie o prawie do wniesienia ponaglenia (art. 37 k.p.a.).", d["due"], d["new_due"])
	},
	CodeAssigned: func(d Data) string {
		desc := fmt.Sprintf("Dekretacja – prowadzący sprawę: %s (%s).", d["name"], d["username"])
		if d["instructions"] != "" {
			desc += " Dyspozycja: " + d["instructions"]
		}
		return desc
	},
	CodeRemedyRequested: func(d Data) string {
		return fmt.Sprintf("Wezwanie do usunięcia braków formalnych (art. 64 § 2 k.p.a.): %s Termin: %s dni, do %s. Bieg terminu załatwienia sprawy wstrzymany.",
			sentence.End(d["items"]), d["days"], d["remedy_due"])
	},
	CodeRemedyReceived: func(d Data) string {
		return fmt.Sprintf("Strona usunęła braki formalne. %s Termin załatwienia sprawy biegnie dalej i upływa %s.", d["note"], d["due"])
	},
	CodeSuspended: func(d Data) string {
		return "Zawieszenie postępowania: " + sentence.End(d["note"]) + " Bieg terminu załatwienia sprawy wstrzymany."
	},
	CodeResumed: func(d Data) string {
		return fmt.Sprintf("Podjęcie zawieszonego postępowania. %s Termin załatwienia sprawy upływa %s.", d["note"], d["due"])
	},
	CodeDraftSubmitted: func(d Data) string {
		if d["kind"] == lifecycle.DraftDecision {
			return "Projekt decyzji przedłożony do akceptacji: " + d["text"]
		}
		return "Projekt odpowiedzi przedłożony do akceptacji: " + d["text"]
	},
	CodeDraftAccepted: func(d Data) string {
		desc := fmt.Sprintf("Akceptacja projektu przygotowanego przez %s.", d["drafter"])
		if d["note"] != "" {
			desc += " " + d["note"]
		}
		return desc + " Sprawa oczekuje na podpis."
	},
	CodeDraftReturned: func(d Data) string { return "Projekt zwrócony z uwagami: " + d["note"] },
	CodeSigned: func(d Data) string {
		what := "odpowiedź"
		if d["kind"] == lifecycle.DraftDecision {
			what = "decyzję"
		}
		return "Podpisano " + what + " zaakceptowaną w sprawie (podpis elektroniczny XAdES). Sprawa czeka na doręczenie."
	},
	CodeCardsGranted: func(d Data) string {
		var granted []string
		for i := range count(d["cards"]) {
			p := "card." + strconv.Itoa(i) + "."
			until := "bezterminowo"
			if d[p+"until"] != "" {
				until = "ważna do " + d[p+"until"]
			}
			granted = append(granted, fmt.Sprintf("%s: karta %s, %s", d[p+"holder"], d[p+"number"], until))
		}
		desc := "Przyznano karty (bez decyzji): " + strings.Join(granted, "; ") + "."
		if d["complete"] != "true" {
			desc += " Wobec pozostałych członków rodziny potrzebna jest decyzja odmowna."
		}
		return desc
	},
	CodeDispatched: func(d Data) string {
		return fmt.Sprintf("Wysłano przez e-Doręczenia na adres %s (wiadomość %s). Przesyłka jest doręczona z chwilą odbioru, "+
			"a nieodebrana – po upływie 14 dni od jej udostępnienia (art. 41 ustawy o doręczeniach elektronicznych).", d["address"], d["message_id"])
	},
	CodeDeliveryRejected: func(d Data) string {
		desc := fmt.Sprintf("Wysyłka na adres %s nie powiodła się: %s", d["address"], d["reason"])
		if d["other_way"] == "true" {
			desc = sentence.End(desc) + " Pismo czeka na doręczenie w inny sposób."
		}
		return desc
	},
	CodeDelivered: func(d Data) string {
		how := d["method"]
		if d["evidence"] != "" {
			how = "e-Doręczenia, odebrano; dowód " + d["evidence"]
			if d["deemed"] == "true" {
				how = "e-Doręczenia, nieodebrana – uznana za doręczoną po 14 dniach od udostępnienia, art. 41 ustawy o doręczeniach elektronicznych; dowód " + d["evidence"]
			}
		}
		if d["kind"] != lifecycle.DraftDecision {
			return fmt.Sprintf("Doręczono stronie odpowiedź %s (%s). Sprawa zakończona.", d["on"], how)
		}
		return fmt.Sprintf("Doręczono stronie decyzję %s (%s). Termin na wniesienie odwołania upływa %s (art. 129 § 2 k.p.a.).", d["on"], how, d["appeal_ends"])
	},
	CodeAppealed: func(d Data) string {
		timely := fmt.Sprintf("w terminie (do %s)", d["appeal_ends"])
		if d["late"] == "true" {
			timely = fmt.Sprintf("po terminie, który upłynął %s – o uchybieniu terminu rozstrzyga organ odwoławczy (art. 134 k.p.a.)", d["appeal_ends"])
		}
		desc := fmt.Sprintf("Wniesiono odwołanie od decyzji doręczonej %s, %s. Organ przekazuje je wraz z aktami sprawy organowi odwoławczemu do %s (art. 133 k.p.a.), chyba że sam uchyli lub zmieni decyzję (art. 132 k.p.a.).",
			d["delivered_on"], timely, d["forward_due"])
		if d["note"] != "" {
			desc += " " + d["note"]
		}
		return desc
	},
	CodeAppealReview: func(d Data) string {
		return fmt.Sprintf("Upłynął termin na wniesienie odwołania (%s). W tym czasie wpłynęły pisma w sprawie (%s): prowadzący ocenia, czy któreś jest odwołaniem – odnotowuje je („Odnotuj odwołanie”) albo zamyka sprawę („Zakończ sprawę”).",
			d["appeal_ends"], d["letters"])
	},
	CodeAppealForwardLate: func(d Data) string {
		return fmt.Sprintf("Upłynął termin przekazania odwołania wraz z aktami sprawy organowi odwoławczemu (%s, art. 133 k.p.a.). Sprawa przekazana kierownikowi komórki.", d["due"])
	},
	CodeAppealForwarded: func(d Data) string {
		return fmt.Sprintf("Przekazano odwołanie wraz z aktami sprawy organowi odwoławczemu: %s (%s), art. 133 k.p.a.", d["body"], d["reason"])
	},
	CodeSettled: func(d Data) string {
		if d["appeal_ends"] != "" {
			return fmt.Sprintf("Upłynął termin na wniesienie odwołania (%s dni od doręczenia %s, do %s). Sprawa zakończona.", d["days"], d["delivered_on"], d["appeal_ends"])
		}
		desc := "Sprawa zakończona: pisma, które wpłynęły w terminie na odwołanie, nie są odwołaniem."
		if d["note"] != "" {
			desc += " " + d["note"]
		}
		return desc
	},
	CodeForwarded: func(d Data) string {
		if d["box"] == "" {
			return fmt.Sprintf("Przekazanie według właściwości do: %s (%s), art. 65 § 1 / art. 231 k.p.a.; wnoszący zostanie o tym zawiadomiony.", d["body"], d["reason"])
		}
		var what []string
		for i := range count(d["sent"]) {
			p := "sent." + strconv.Itoa(i) + "."
			name := "pismo strony"
			if i > 0 {
				name = "pismo przekazujące"
			}
			if reason, ok := d[p+"rejected"]; ok {
				what = append(what, fmt.Sprintf("%s – nie wysłano: %s", name, reason))
				continue
			}
			what = append(what, fmt.Sprintf("%s (dokument ePUAP %s)", name, d[p+"message_id"]))
		}
		return fmt.Sprintf("Przekazanie według właściwości do: %s (%s), art. 65 § 1 / art. 231 k.p.a. Wysłano przez ePUAP (doręczyciel) do skrytki %s: %s. "+
			"Doręczenie potwierdzi UPD. Wnoszący zostanie o tym zawiadomiony.", d["body"], d["reason"], d["box"], strings.Join(what, "; "))
	},
	CodeForwardRejected: func(d Data) string {
		return fmt.Sprintf("Przekazanie do %s przez ePUAP (skrytka %s) nie powiodło się: %s", d["body"], d["box"], d["reason"])
	},
	CodeDeliveredToBody: func(d Data) string {
		what := "przekazane pismo"
		if d["forwarding_letter"] == "true" {
			what = "pismo przekazujące"
		}
		return fmt.Sprintf("Doręczono organowi %s (skrytka ePUAP %s) %s: odebrano %s (UPD %s).", d["body"], d["box"], what, d["on"], d["upd"])
	},
	CodeWithdrawn: func(d Data) string { return "Strona wycofała podanie. " + d["note"] },
}

// Codes returns the codes Describe renders from data.
func Codes() []string {
	out := make([]string, 0, len(describers))
	for c := range describers {
		out = append(out, c)
	}
	return out
}

func label(action string) string {
	a, _ := lifecycle.Lookup(action)
	return a.Label
}

// count reads a number of items of the data; none when it cannot.
func count(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 1000 {
		return 0
	}
	return n
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// polishTerm says a term ("1m", "14d") in Polish; a term it cannot read, as written.
func polishTerm(s string) string {
	t, err := deadlines.ParseTerm(s)
	if err != nil {
		return s
	}
	switch t.Unit {
	case deadlines.Months:
		if t.N == 1 {
			return "1 miesiąc"
		}
		return fmt.Sprintf("%d mies.", t.N)
	case deadlines.Weeks:
		return fmt.Sprintf("%d tyg.", t.N)
	}
	return fmt.Sprintf("%d dni", t.N)
}
