package drafts

import (
	"strings"
	"testing"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/familycard"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/domain/letters"
)

var theCase = Case{Reference: "WPS.5320.4.2026", Title: "Wniosek o kartę dużej rodziny", Office: "Regionalny Ośrodek Polityki Społecznej w Łodzi",
	ReceivedOn: civil.Date{Year: 2026, Month: 3, Day: 2}, Party: "Anna Nowak"}

var on = civil.Date{Year: 2026, Month: 3, Day: 10}

func member(rel forms.Relationship, first string, born civil.Date) forms.FamilyMember {
	m := forms.FamilyMember{Relationship: rel, FirstNames: first, Surname: "Nowak", BirthDate: born}
	if rel == forms.Applicant || rel == forms.Spouse {
		m.Authority = forms.AuthorityHeld
	}
	if rel == forms.Spouse {
		yes := true
		m.Married = &yes
	}
	return m
}

// family is an application by Anna Nowak with her husband and the children given.
func family(children ...forms.FamilyMember) *forms.FamilyCardApplication {
	members := []forms.FamilyMember{
		member(forms.Applicant, "Anna", civil.Date{Year: 1985, Month: 4, Day: 2}),
		member(forms.Spouse, "Jan", civil.Date{Year: 1983, Month: 7, Day: 9}),
	}
	return &forms.FamilyCardApplication{Request: forms.CardNew, Members: append(members, children...), Truthful: true}
}

func kid(first string, year int) forms.FamilyMember {
	return member(forms.Child, first, civil.Date{Year: year, Month: 6, Day: 1})
}

func complaintOf(kind forms.ComplaintKind) *forms.ComplaintOrMotion {
	return &forms.ComplaintOrMotion{Kind: kind, Subject: "przewlekłość rozpatrywania wniosku o dofinansowanie",
		Concerns: &forms.Body{Name: "Wydział Polityki Społecznej"}, Content: []string{"Treść skargi."}}
}

func TestPropose(t *testing.T) {
	deprived := family(kid("Ola", 2015), kid("Ala", 2016), kid("Ela", 2017))
	deprived.Members[1].Authority = forms.AuthorityDeprived
	adult := family(kid("Ola", 2015), kid("Ala", 2016), kid("Ela", 2017), kid("Piotr", 1998))
	counted := family(kid("Ola", 2015))
	counted.Members = append(counted.Members, kid("Piotr", 1998))
	counted.Members[len(counted.Members)-1].CountOnly = true
	incomplete := family(kid("Ola", 2015), kid("Ala", 2016), kid("Ela", 2004))
	nobody := family(kid("Ola", 2015), kid("Ala", 2016), kid("Ela", 2017))
	for i := range nobody.Members {
		nobody.Members[i].CountOnly = true
	}

	tests := []struct {
		name       string
		in         Input
		kind       string
		ruling     []string // each must be in the ruling
		notRuling  []string // none may be
		body       []string // each must be in the body
		instrution []string // each must be in the instruction
		noInstr    bool     // the proposal has no instruction
		notes      []string // each must be in the notes
		basis      []string
	}{
		{
			name:  "too few children: everyone refused, by a decision",
			in:    Input{FormType: forms.FamilyCard, FamilyCard: counted},
			kind:  letters.KindDecision,
			basis: []string{"art. 104 k.p.a.", "[art. … – do uzupełnienia]", "ustawy o Karcie Dużej Rodziny (Dz.U. z 2024 r. poz. 1512)"},
			ruling: []string{"odmówić przyznania karty dużej rodziny", "1) Anna Nowak (wnioskodawca, ur. 2 kwietnia 1985 r.);",
				"2) Jan Nowak (małżonek wnioskodawcy", "3) Ola Nowak (dziecko, ur. 1 czerwca 2015 r.)."},
			notRuling: []string{"Piotr"},
			body: []string{"Dnia 2 marca 2026 r. wpłynął wniosek o przyznanie karty dużej rodziny", "złożony przez: Anna Nowak.",
				"WPS.5320.4.2026", "w tym dzieci: 2", "We wniosku wskazano dzieci: 2", "Według stanu na dzień 10 marca 2026 r.", "co najmniej 3 dzieci",
				"w drodze decyzji administracyjnej (art. 104 k.p.a.)", "orzeczono jak w sentencji"},
			instrution: []string{"odwołanie do [organ odwoławczy – do uzupełnienia]", "za pośrednictwem organu, który wydał decyzję",
				"w terminie 14 dni od dnia doręczenia decyzji", "art. 127 § 1", "art. 129 § 1 i 2 k.p.a."},
		},
		{
			name:      "a parent deprived of authority: refused alone, with the reason",
			in:        Input{FormType: forms.FamilyCard, FamilyCard: deprived},
			kind:      letters.KindDecision,
			ruling:    []string{"odmówić przyznania karty dużej rodziny: Jan Nowak (małżonek wnioskodawcy, ur. 9 lipca 1983 r.)."},
			notRuling: []string{"Anna", "Ola", "1)"},
			body: []string{"Jan Nowak (małżonek wnioskodawcy): Rodzic pozbawiony władzy rodzicielskiej nie ma prawa do karty.",
				"Karta przysługuje: Anna Nowak (bezterminowo), Ola Nowak (do 31 maja 2033 r.)", "Przyznanie karty nie wymaga decyzji"},
			instrution: []string{"14 dni"},
			notes:      []string{"Przyznaj karty (bez decyzji)"},
		},
		{
			name:      "an adult child neither learning nor disabled: refused, the others granted",
			in:        Input{FormType: forms.FamilyCard, FamilyCard: adult},
			kind:      letters.KindDecision,
			ruling:    []string{"Piotr Nowak (dziecko, ur. 1 czerwca 1998 r.)"},
			notRuling: []string{"Anna", "Jan", "Ola"},
			body:      []string{"Piotr Nowak (dziecko): Dziecko ma ukończone 18 lat", "w tym dzieci: 4"},
		},
		{
			name:    "everyone eligible: no decision, an answer skeleton with a note",
			in:      Input{FormType: forms.FamilyCard, FamilyCard: family(kid("Ola", 2015), kid("Ala", 2016), kid("Ela", 2017))},
			kind:    letters.KindAnswer,
			body:    []string{"WPS.5320.4.2026", "[treść odpowiedzi – do uzupełnienia]"},
			noInstr: true,
			notes:   []string{"decyzja nie jest potrzebna"},
		},
		{
			name:      "nobody asks for a card: refused, the handler names whom",
			in:        Input{FormType: forms.FamilyCard, FamilyCard: nobody},
			kind:      letters.KindDecision,
			ruling:    []string{"[wskazać osoby, których dotyczy odmowa – do uzupełnienia]"},
			notRuling: []string{"Ola", "1)"},
			body:      []string{"nie wskazano członka rodziny, który ubiega się o kartę"},
		},
		{
			name:    "incomplete: a note to request the missing items",
			in:      Input{FormType: forms.FamilyCard, FamilyCard: incomplete},
			kind:    letters.KindAnswer,
			noInstr: true,
			notes:   []string{"Wezwij do usunięcia braków", "Ela Nowak: dziecko w wieku od 18 do 25 lat"},
		},
		{
			name: "complaint found unfounded: art. 238 elements and the art. 239 instruction",
			in:   Input{FormType: forms.Complaint, Complaint: complaintOf(forms.KindComplaint), Finding: Unfounded},
			kind: letters.KindAnswer,
			body: []string{"Regionalny Ośrodek Polityki Społecznej w Łodzi zawiadamia, że skarga z dnia 2 marca 2026 r.",
				"przewlekłość rozpatrywania wniosku", "skarga na: Wydział Polityki Społecznej", "Skargę uznano za bezzasadną.",
				"Uzasadnienie faktyczne:", "Uzasadnienie prawne:", "art. 237 § 1 i 3 k.p.a."},
			instrution: []string{"art. 239 § 1 k.p.a.", "bez wskazania nowych okoliczności", "adnotacją w aktach"},
			notes:      []string{"art. 238 § 1 k.p.a.", "imieniem, nazwiskiem i stanowiskiem"},
		},
		{
			name:    "complaint found founded: no art. 239 instruction",
			in:      Input{FormType: forms.Complaint, Complaint: complaintOf(forms.KindComplaint), Finding: Founded},
			kind:    letters.KindAnswer,
			body:    []string{"Skargę uznano za zasadną.", "Uzasadnienie faktyczne:"},
			noInstr: true,
		},
		{
			name:       "complaint not yet judged: both findings offered, the instruction conditional",
			in:         Input{FormType: forms.Complaint, Complaint: complaintOf(forms.KindComplaint)},
			kind:       letters.KindAnswer,
			body:       []string{"[zasadną / bezzasadną – wybrać]"},
			instrution: []string{"[zostawić, jeżeli skargę uznano za bezzasadną]", "art. 239 § 1"},
		},
		{
			name:       "motion: how it was settled and the right to complain",
			in:         Input{FormType: forms.Complaint, Complaint: complaintOf(forms.KindMotion)},
			kind:       letters.KindAnswer,
			body:       []string{"zawiadamia, że wniosek z dnia 2 marca 2026 r.", "Sposób załatwienia: [", "art. 244", "art. 247"},
			instrution: []string{"prawo wniesienia skargi (art. 246 § 1 k.p.a.)"},
			notes:      []string{"art. 245 k.p.a."},
		},
		{
			name:    "a general letter: the answer skeleton",
			in:      Input{FormType: forms.GeneralLetter},
			kind:    letters.KindAnswer,
			body:    []string{"W odpowiedzi na pismo z dnia 2 marca 2026 r. w sprawie „Wniosek o kartę dużej rodziny” (znak sprawy: WPS.5320.4.2026)"},
			noInstr: true,
		},
		{
			name:    "a family card case whose form could not be read: the skeleton",
			in:      Input{FormType: forms.FamilyCard},
			kind:    letters.KindAnswer,
			body:    []string{"[treść odpowiedzi – do uzupełnienia]"},
			noInstr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Case, in.On, in.Rules = theCase, on, familycard.DefaultRules()
			p := Propose(in)
			if p.Kind != tt.kind {
				t.Fatalf("got kind %q, want %q", p.Kind, tt.kind)
			}
			contains(t, "basis", p.Basis, tt.basis, nil)
			contains(t, "ruling", strings.Join(p.Ruling, "\n"), tt.ruling, tt.notRuling)
			contains(t, "body", strings.Join(p.Body, "\n"), tt.body, nil)
			contains(t, "instruction", strings.Join(p.Instruction, "\n"), tt.instrution, nil)
			contains(t, "notes", strings.Join(p.Notes, "\n"), tt.notes, nil)
			if tt.noInstr && len(p.Instruction) > 0 {
				t.Errorf("got instruction %q, want none", p.Instruction)
			}
			if p.Kind == letters.KindDecision && (p.Basis == "" || len(p.Ruling) == 0) {
				t.Errorf("a decision without basis or ruling: %+v", p)
			}
			if len(p.Body) == 0 {
				t.Error("got no body")
			}
		})
	}
}

func contains(t *testing.T, part, got string, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", part, w, got)
		}
	}
	for _, n := range not {
		if strings.Contains(got, n) {
			t.Errorf("%s has %q:\n%s", part, n, got)
		}
	}
}

// TestDraft checks the proposal as the draft form takes it: a decision's ruling line by line
// and its justification by paragraph, its instruction on appeal apart, line by line; an
// answer's instruction at the end of its text.
func TestDraft(t *testing.T) {
	dec := Proposal{Kind: letters.KindDecision, Basis: "art. 104 k.p.a.", Ruling: []string{"odmówić:", "1) A;", "2) B."},
		Body: []string{"Fakty.", "Prawo."}, Instruction: []string{"Odwołanie."}}
	if got, want := dec.Draft(), (Draft{Kind: "decyzja", Basis: "art. 104 k.p.a.", Ruling: "odmówić:\n1) A;\n2) B.", Summary: "Fakty.\n\nPrawo.", Instruction: "Odwołanie."}); got != want {
		t.Errorf("decision: got %+v, want %+v", got, want)
	}
	ans := Proposal{Kind: letters.KindAnswer, Body: []string{"Treść."}, Instruction: []string{"art. 239.", "Dalej."}}
	if got, want := ans.Draft(), (Draft{Kind: "odpowiedz", Summary: "Treść.\n\nPouczenie: art. 239.\n\nDalej."}); got != want {
		t.Errorf("answer: got %+v, want %+v", got, want)
	}
	if len(ans.Body) != 1 {
		t.Errorf("Draft changed the proposal's body: %q", ans.Body)
	}
}
