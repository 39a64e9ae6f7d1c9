// Package drafts proposes the draft of a case's outgoing document from the case's kind and
// its form, for the handler to check, complete and submit:
//
//   - a family card application whose evaluation refuses members (package familycard):
//     a refusal decision (decyzja odmowna, art. 104 k.p.a.) with its legal basis, a ruling
//     naming each refused member, a justification built from the evaluation's reasons per
//     member, and the instruction on appeal (14 days from delivery, art. 127 § 1, art. 129
//     § 1 and 2 k.p.a.);
//   - a complaint (skarga): the notice of how it was settled (art. 237 § 3, art. 238 § 1
//     k.p.a.), with the instruction of art. 239 when it is found unfounded;
//   - a motion (wniosek): the notice of how it was settled (art. 244 § 2, art. 247 k.p.a.),
//     with the right to complain of art. 246 § 1;
//   - anything else: an answer skeleton with the case reference and subject.
//
// What the rules and DOMAIN.md do not say (the articles of the card act, the appeal body,
// the facts the handler establishes) is left in square brackets, to be filled in by the
// handler: a proposal is never final text. Propose is pure: the caller reads and parses the
// case's form.
package drafts

import (
	"fmt"
	"strings"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/familycard"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/domain/letters"
	"github.com/obieg/obieg/internal/domain/sentence"
)

// AppealDays is the appeal period from delivery of a decision (art. 129 § 2 k.p.a.).
const AppealDays = 14

// CardAct names the act on the Large Family Card as DOMAIN.md cites it.
const CardAct = "ustawy o Karcie Dużej Rodziny (Dz.U. z 2024 r. poz. 1512)"

// Finding is the handler's finding on a complaint: whether it is founded.
type Finding string

// Findings; the zero Finding is not yet known, and the proposal then offers both.
const (
	Founded   Finding = "founded"
	Unfounded Finding = "unfounded"
)

// Case is what a proposal needs to know of the case.
type Case struct {
	Reference string
	Title     string
	// Office is the organ's name (the centre), which the letter comes from.
	Office string
	// ReceivedOn is the day the document that opened the case was received.
	ReceivedOn civil.Date
	// Party is who filed it, by name; may be empty.
	Party string
}

// Input is what Propose works from: the case, its form type and the parsed form.
type Input struct {
	Case     Case
	FormType string // one of the forms form types; "" when unknown
	// FamilyCard is the parsed application when FormType is forms.FamilyCard, and
	// Complaint the parsed complaint or motion when it is forms.Complaint.
	FamilyCard *forms.FamilyCardApplication
	Complaint  *forms.ComplaintOrMotion
	// On is the day the family card rules are applied at, and Rules the programme's rules.
	On    civil.Date
	Rules familycard.Rules
	// Finding is the handler's finding on a complaint, when known.
	Finding Finding
}

// Proposal is a proposed draft: the parts of the letter and notes for the handler. Square
// brackets in the text mark what the handler fills in.
type Proposal struct {
	// Kind is letters.KindDecision or letters.KindAnswer.
	Kind  string `json:"kind"`
	Title string `json:"title"`
	// Basis is a decision's legal basis (what follows "Na podstawie").
	Basis string `json:"basis,omitempty"`
	// Ruling is a decision's ruling, a paragraph a line.
	Ruling []string `json:"ruling,omitempty"`
	// Body is an answer's text or a decision's justification, by paragraph.
	Body []string `json:"body"`
	// Instruction is a decision's instruction on appeal, or an answer's instruction (art. 239
	// or art. 246 k.p.a.), by paragraph.
	Instruction []string `json:"instruction,omitempty"`
	// Notes are for the handler, not for the letter.
	Notes []string `json:"notes,omitempty"`
}

// Draft is a proposal as the submit-draft action takes it.
type Draft struct {
	Kind    string `json:"kind"`
	Title   string `json:"title,omitempty"`
	Basis   string `json:"basis,omitempty"`
	Ruling  string `json:"ruling,omitempty"`
	Summary string `json:"summary"`
	// Instruction is a decision's instruction on appeal, a paragraph a line.
	Instruction string `json:"instruction,omitempty"`
}

// Draft returns p as the fields of the draft form: paragraphs separated by blank lines,
// ruling and instruction lines by line breaks. An answer carries its instruction at the end
// of its text; a decision carries its instruction on appeal apart, as it is printed.
func (p Proposal) Draft() Draft {
	body := p.Body
	d := Draft{Kind: p.Kind, Title: p.Title, Basis: p.Basis, Ruling: strings.Join(p.Ruling, "\n")}
	switch {
	case p.Kind == letters.KindDecision:
		d.Instruction = strings.Join(p.Instruction, "\n")
	case len(p.Instruction) > 0:
		body = append(append([]string{}, body...), "Pouczenie: "+p.Instruction[0])
		body = append(body, p.Instruction[1:]...)
	}
	d.Summary = strings.Join(body, "\n\n")
	return d
}

// Propose proposes the draft of the case in.
func Propose(in Input) Proposal {
	switch {
	case in.FormType == forms.FamilyCard && in.FamilyCard != nil:
		return familyCard(in)
	case in.FormType == forms.Complaint && in.Complaint != nil && in.Complaint.Kind == forms.KindMotion:
		return motion(in)
	case in.FormType == forms.Complaint && in.Complaint != nil:
		return complaint(in)
	}
	return skeleton(in.Case)
}

// skeleton is an answer with the case's reference and subject, the content left to fill.
func skeleton(c Case) Proposal {
	return Proposal{Kind: letters.KindAnswer, Title: "Odpowiedź w sprawie: " + c.Title, Body: []string{
		fmt.Sprintf("W odpowiedzi na pismo z dnia %s w sprawie „%s” (znak sprawy: %s) uprzejmie informuję, że [treść odpowiedzi – do uzupełnienia].",
			letters.PolishDate(c.ReceivedOn), c.Title, c.Reference),
	}}
}

var relationship = map[forms.Relationship]string{
	forms.Applicant:   "wnioskodawca",
	forms.Spouse:      "małżonek wnioskodawcy",
	forms.Child:       "dziecko",
	forms.FosterChild: "dziecko w pieczy zastępczej",
}

// familyCard proposes the refusal decision for the members the evaluation refuses; when it
// refuses nobody, the answer skeleton with a note on what to do instead.
func familyCard(in Input) Proposal {
	app := *in.FamilyCard
	ev := familycard.Evaluate(app, in.On, in.Rules)
	var refused, granted []familycard.Member
	for _, m := range ev.Members {
		asked := !m.CountOnly && !app.Members[m.Index].CountOnly
		switch {
		case !asked:
		case m.Eligible:
			granted = append(granted, m)
		case len(m.Missing) == 0:
			refused = append(refused, m)
		}
	}
	switch {
	case ev.Outcome == familycard.Incomplete:
		p := skeleton(in.Case)
		p.Notes = append(p.Notes, "Wniosek jest niekompletny: zamiast odpowiedzi wezwij do uzupełnienia (czynność „Wezwij do usunięcia braków”).")
		for _, r := range ev.Missing {
			p.Notes = append(p.Notes, "Brak: "+sentence.End(r.Text))
		}
		return p
	case len(refused) == 0 && ev.Outcome != familycard.Refuse:
		p := skeleton(in.Case)
		p.Notes = append(p.Notes, "Karty przysługują wszystkim wnioskującym członkom rodziny: przyznaj je czynnością „Przyznaj karty (bez decyzji)”; decyzja nie jest potrzebna.")
		return p
	}

	p := Proposal{Kind: letters.KindDecision, Title: "Decyzja o odmowie przyznania karty dużej rodziny",
		Basis: "art. 104 k.p.a. w związku z [art. … – do uzupełnienia] " + CardAct}
	switch len(refused) {
	case 0:
		// Refused as a whole, yet nobody asks for a card: the handler names whom.
		p.Ruling = []string{"odmówić przyznania karty dużej rodziny: [wskazać osoby, których dotyczy odmowa – do uzupełnienia]."}
	case 1:
		p.Ruling = []string{"odmówić przyznania karty dużej rodziny: " + who(app, refused[0]) + "."}
	default:
		p.Ruling = []string{"odmówić przyznania karty dużej rodziny następującym członkom rodziny wnioskodawcy:"}
		for i, m := range refused {
			end := ";"
			if i == len(refused)-1 {
				end = "."
			}
			p.Ruling = append(p.Ruling, fmt.Sprintf("%d) %s%s", i+1, who(app, m), end))
		}
	}

	applicant := in.Case.Party
	for _, m := range app.Members {
		if m.Relationship == forms.Applicant {
			applicant = strings.TrimSpace(m.FirstNames + " " + m.Surname)
		}
	}
	if applicant == "" {
		applicant = "[wnioskodawca]"
	}
	p.Body = append(p.Body, fmt.Sprintf("Dnia %s wpłynął wniosek o przyznanie karty dużej rodziny (znak sprawy: %s), złożony przez: %s. We wniosku wskazano członków rodziny: %d, w tym dzieci: %d.",
		letters.PolishDate(in.Case.ReceivedOn), in.Case.Reference, applicant, len(app.Members), ev.Children))
	if len(ev.Reasons) > 0 {
		// A reason of the whole family (too few children) refuses everyone alike.
		p.Body = append(p.Body, fmt.Sprintf("Według stanu na dzień %s ustalono: %s", letters.PolishDate(ev.On), sentence.Join(texts(ev.Reasons)...)))
	} else if len(refused) == 0 {
		p.Body = append(p.Body, "We wniosku nie wskazano członka rodziny, który ubiega się o kartę: wszyscy zostali wskazani wyłącznie do ustalenia liczby dzieci w rodzinie.")
	} else {
		p.Body = append(p.Body, fmt.Sprintf("Według stanu na dzień %s ustalono, co następuje.", letters.PolishDate(ev.On)))
		for _, m := range refused {
			p.Body = append(p.Body, fmt.Sprintf("%s (%s): %s", m.Name, relationship[m.Relationship], sentence.Join(texts(m.Reasons)...)))
		}
	}
	if len(granted) > 0 {
		var names []string
		for _, m := range granted {
			until := "bezterminowo"
			if !m.Indefinite {
				until = "do " + letters.PolishDate(m.ValidUntil)
			}
			names = append(names, fmt.Sprintf("%s (%s)", m.Name, until))
		}
		p.Body = append(p.Body, "Karta przysługuje: "+strings.Join(names, ", ")+
			". Przyznanie karty nie wymaga decyzji, dlatego niniejsza decyzja dotyczy wyłącznie członków rodziny, którym karta nie przysługuje.")
		p.Notes = append(p.Notes, "Karty przysługującym członkom rodziny przyznaj czynnością „Przyznaj karty (bez decyzji)”; decyzja dotyczy tylko pozostałych.")
	}
	r := in.Rules
	p.Body = append(p.Body,
		fmt.Sprintf("Zgodnie z przepisami %s prawo do karty przysługuje rodzicowi (także rodzinie zastępczej i prowadzącemu rodzinny dom dziecka), "+
			"który ma lub miał na utrzymaniu co najmniej %d dzieci bez względu na ich wiek, oraz jego małżonkowi; nie przysługuje rodzicowi "+
			"pozbawionemu władzy rodzicielskiej ani rodzicowi, któremu ograniczono władzę rodzicielską przez umieszczenie dziecka w pieczy zastępczej. "+
			"Dziecku karta przysługuje do ukończenia %d lat, do ukończenia %d lat – gdy uczy się w szkole lub szkole wyższej, a po ukończeniu %d lat "+
			"bez ograniczenia wieku – gdy legitymuje się orzeczeniem o umiarkowanym albo znacznym stopniu niepełnosprawności, na okres ważności orzeczenia [art. … – do uzupełnienia].",
			CardAct, r.MinChildren, r.ChildAge, r.EducationAge, r.ChildAge),
		"Przyznanie karty nie wymaga decyzji; odmowa przyznania karty następuje w drodze decyzji administracyjnej (art. 104 k.p.a.). Mając powyższe na uwadze, orzeczono jak w sentencji.")
	p.Instruction = []string{fmt.Sprintf("Od niniejszej decyzji stronie przysługuje odwołanie do [organ odwoławczy – do uzupełnienia], "+
		"wnoszone za pośrednictwem organu, który wydał decyzję, w terminie %d dni od dnia doręczenia decyzji (art. 127 § 1 oraz art. 129 § 1 i 2 k.p.a.).", AppealDays)}
	p.Notes = append(p.Notes, "Pouczenie o odwołaniu jest dołączane do decyzji przy podpisie; sprawdź, czy wskazuje właściwy organ odwoławczy.")
	return p
}

// texts returns the reasons' sentences.
func texts(rs []familycard.Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Text
	}
	return out
}

// who names a refused member in a ruling: name, place in the family, date of birth.
func who(app forms.FamilyCardApplication, m familycard.Member) string {
	return fmt.Sprintf("%s (%s, ur. %s)", m.Name, relationship[m.Relationship], letters.PolishDate(app.Members[m.Index].BirthDate))
}

func orBracket(s, what string) string {
	if strings.TrimSpace(s) == "" {
		return "[" + what + "]"
	}
	return s
}

// complaint proposes the notice of how a complaint was settled (art. 238 § 1 k.p.a.): the
// organ, how it was settled, the factual and legal justification, and when it is unfounded
// the instruction of art. 239. The letterhead and the signature block (name, surname,
// position) complete the elements when the letter is signed.
func complaint(in Input) Proposal {
	c, k := in.Case, in.Complaint
	p := Proposal{Kind: letters.KindAnswer, Title: "Zawiadomienie o sposobie załatwienia skargi"}
	about := k.Subject
	if k.Concerns != nil && k.Concerns.Name != "" {
		about += " (skarga na: " + k.Concerns.Name + ")"
	}
	p.Body = append(p.Body, fmt.Sprintf("%s zawiadamia, że skarga z dnia %s dotycząca: %s, zarejestrowana pod znakiem sprawy %s, została rozpatrzona w trybie art. 227 i następnych Kodeksu postępowania administracyjnego.",
		orBracket(c.Office, "organ"), letters.PolishDate(c.ReceivedOn), about, c.Reference))
	switch in.Finding {
	case Founded:
		p.Body = append(p.Body, "Skargę uznano za zasadną. [Wskazać działania podjęte w celu usunięcia uchybień – do uzupełnienia.]")
	case Unfounded:
		p.Body = append(p.Body, "Skargę uznano za bezzasadną.")
	default:
		p.Body = append(p.Body, "Skargę uznano za [zasadną / bezzasadną – wybrać].")
	}
	p.Body = append(p.Body,
		"Uzasadnienie faktyczne: [ustalenia poczynione w toku rozpatrywania skargi – do uzupełnienia].",
		"Uzasadnienie prawne: zgodnie z art. 237 § 1 i 3 k.p.a. skargę rozpatruje się bez zbędnej zwłoki, nie później niż w ciągu miesiąca, i zawiadamia skarżącego o sposobie jej załatwienia; [przepisy, z których wynika ocena skargi – do uzupełnienia].")
	if in.Finding != Founded {
		text := "zgodnie z art. 239 § 1 k.p.a., jeżeli skarga została po rozpatrzeniu uznana za bezzasadną, a jej bezzasadność wykazano w odpowiedzi, " +
			"ponowienie skargi bez wskazania nowych okoliczności może skutkować podtrzymaniem dotychczasowego stanowiska z adnotacją w aktach sprawy, bez zawiadamiania skarżącego."
		if in.Finding == "" {
			text = "[zostawić, jeżeli skargę uznano za bezzasadną] " + text
		}
		p.Instruction = []string{text}
	}
	p.Notes = append(p.Notes,
		"Oznaczenie organu (nagłówek pisma) oraz podpis z imieniem, nazwiskiem i stanowiskiem osoby upoważnionej dodawane są do zawiadomienia przy podpisie (art. 238 § 1 k.p.a.).",
		"Jeżeli skarżący ponowił skargę uznaną wcześniej za bezzasadną bez wskazania nowych okoliczności, można podtrzymać poprzednie stanowisko adnotacją w aktach, bez zawiadamiania skarżącego (art. 239 § 1 k.p.a.).")
	return p
}

// motion proposes the notice of how a motion was settled (art. 244 § 2 k.p.a.; the elements
// of art. 238 § 1 by art. 247), with the right to complain of art. 246 § 1.
func motion(in Input) Proposal {
	c, k := in.Case, in.Complaint
	return Proposal{Kind: letters.KindAnswer, Title: "Zawiadomienie o sposobie załatwienia wniosku",
		Body: []string{
			fmt.Sprintf("%s zawiadamia, że wniosek z dnia %s dotyczący: %s, zarejestrowany pod znakiem sprawy %s, został rozpatrzony (art. 241 i następne Kodeksu postępowania administracyjnego).",
				orBracket(c.Office, "organ"), letters.PolishDate(c.ReceivedOn), k.Subject, c.Reference),
			"Sposób załatwienia: [wniosek uwzględniono / nie uwzględniono; wskazać podjęte działania – do uzupełnienia].",
			"Uzasadnienie: [do uzupełnienia].",
			"Podstawa prawna: art. 244 w związku z art. 247 i art. 238 § 1 k.p.a.",
		},
		Instruction: []string{"wnioskodawcy niezadowolonemu ze sposobu załatwienia wniosku przysługuje prawo wniesienia skargi (art. 246 § 1 k.p.a.)."},
		Notes: []string{
			"Wniosek załatwia się bez zbędnej zwłoki, nie później niż w ciągu miesiąca (art. 244 § 1 w związku z art. 237 § 1 k.p.a.). Jeśli to niemożliwe, zawiadom wnioskodawcę w tym terminie o podjętych czynnościach i przewidywanym terminie załatwienia (art. 245 k.p.a.).",
			"Oznaczenie organu (nagłówek pisma) oraz podpis z imieniem, nazwiskiem i stanowiskiem osoby upoważnionej dodawane są do zawiadomienia przy podpisie.",
		}}
}
