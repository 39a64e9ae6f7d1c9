package complaints

import (
	"strings"
	"testing"

	"github.com/obieg/obieg/internal/dev/simulator/compose"
	"github.com/obieg/obieg/internal/domain/deadlines"
	"github.com/obieg/obieg/internal/domain/forms"
)

var rops = Competence{Names: []string{
	"Regionalny Ośrodek Polityki Społecznej w Krakowie",
	"ROPS w Krakowie",
	"Wydział Polityki Społecznej",
	"Obserwatorium Integracji Społecznej",
}}

func complaint(kind forms.ComplaintKind, body string, content ...string) forms.ComplaintOrMotion {
	c := forms.ComplaintOrMotion{
		Kind: kind, Subject: "Przedmiot",
		Author:  &forms.Party{FirstName: "Anna", Surname: "Nowak", Address: &forms.Address{Town: "Kraków"}},
		Content: content,
	}
	if body != "" {
		c.Concerns = &forms.Body{Name: body}
	}
	return c
}

const long = "Od trzech miesięcy czekam na odpowiedź w sprawie karty dla mojej rodziny i nikt mi nie odpowiada."

func TestClassify(t *testing.T) {
	anonymous := complaint(forms.KindComplaint, "", long)
	anonymous.Author = nil
	tests := []struct {
		name      string
		c         forms.ComplaintOrMotion
		action    Action
		term      deadlines.Term
		forwardTo string
		mention   string
	}{
		{"about the centre", complaint(forms.KindComplaint, "Regionalny Ośrodek Polityki Społecznej w Krakowie", long), Settle, deadlines.Term{N: 1, Unit: deadlines.Months}, "", "art. 237"},
		{"no body named: the addressee", complaint(forms.KindComplaint, "", long), Settle, deadlines.Term{N: 1, Unit: deadlines.Months}, "", "miesiąca"},
		{"motion", complaint(forms.KindMotion, "", long), Settle, deadlines.Term{N: 1, Unit: deadlines.Months}, "", "art. 244"},
		{"a unit, with punctuation and case", complaint(forms.KindComplaint, "ROPS w Krakowie – WYDZIAŁ POLITYKI SPOŁECZNEJ, pokój 12", long), Settle, deadlines.Term{N: 1, Unit: deadlines.Months}, "", ""},
		{"anonymous", anonymous, LeaveUnexamined, deadlines.Term{}, "", "bez rozpoznania"},
		{"anonymous about another body", func() forms.ComplaintOrMotion {
			c := anonymous
			c.Concerns = &forms.Body{Name: "Urząd Gminy Limanowa"}
			return c
		}(), LeaveUnexamined, deadlines.Term{}, "", ""},
		{"another body", complaint(forms.KindComplaint, "Gminny Ośrodek Pomocy Społecznej w Gorlicach", long), Forward, deadlines.Term{N: 7, Unit: deadlines.Days}, "Gminny Ośrodek Pomocy Społecznej w Gorlicach", "art. 231"},
		{"abbreviation of another body is not a word match", complaint(forms.KindComplaint, "GOPS w Krakowie", long), Forward, deadlines.Term{N: 7, Unit: deadlines.Days}, "GOPS w Krakowie", ""},
		{"unclear", complaint(forms.KindComplaint, "", "Proszę coś z tym zrobić."), AskClarification, deadlines.Term{N: 7, Unit: deadlines.Days}, "", "7 dni"},
		{"no content at all", complaint(forms.KindComplaint, ""), AskClarification, deadlines.Term{N: 7, Unit: deadlines.Days}, "", ""},
		{"unclear and misdirected: forwarded", complaint(forms.KindComplaint, "Urząd Gminy Limanowa", "Nie zgadzam się."), Forward, deadlines.Term{N: 7, Unit: deadlines.Days}, "Urząd Gminy Limanowa", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Classify(tt.c, rops)
			if d.Action != tt.action || d.Term != tt.term || d.ForwardTo != tt.forwardTo {
				t.Fatalf("got %s %s %q, want %s %s %q", d.Action, d.Term, d.ForwardTo, tt.action, tt.term, tt.forwardTo)
			}
			if len(d.Reasons) == 0 || !strings.Contains(strings.Join(d.Reasons, " "), tt.mention) {
				t.Errorf("got reasons %q, want a mention of %q", d.Reasons, tt.mention)
			}
			if d.InformComplainant == (d.Action == LeaveUnexamined) {
				t.Errorf("got InformComplainant %v for %s", d.InformComplainant, d.Action)
			}
		})
	}
}

func TestClassifyMinWords(t *testing.T) {
	c := complaint(forms.KindComplaint, "", "Proszę coś z tym zrobić.")
	if d := Classify(c, Competence{MinWords: 3}); d.Action != Settle {
		t.Errorf("got %s with MinWords 3, want %s", d.Action, Settle)
	}
}

// TestClassifyGenerated classifies the complaints the demo files: each defect compose puts in
// leads to its action.
func TestClassifyGenerated(t *testing.T) {
	centre := Competence{Names: []string{compose.CentreName}}
	want := map[compose.Defect]Action{
		compose.DefectNone:        Settle,
		compose.DefectAnonymous:   LeaveUnexamined,
		compose.DefectMisdirected: Forward,
		compose.DefectUnclear:     AskClarification,
	}
	seen := map[Action]bool{}
	for seed := range int64(100) {
		s := compose.RandomComplaint(seed)
		c, err := forms.ParseComplaint(s.XML(), forms.DefaultLimits)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		d := Classify(c, centre)
		if d.Action != want[s.Defect] {
			t.Errorf("seed %d (defect %q): got %s, want %s", seed, s.Defect, d.Action, want[s.Defect])
		}
		seen[d.Action] = true
	}
	for _, a := range []Action{Settle, LeaveUnexamined, Forward, AskClarification} {
		if !seen[a] {
			t.Errorf("no generated complaint got %s", a)
		}
	}
}
