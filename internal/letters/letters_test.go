package letters

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/obieg/obieg/internal/civil"
	"github.com/obieg/obieg/internal/pdfdoc/pdftest"
)

var update = flag.Bool("update", false, "rewrite golden files")

func remedy() Letter {
	return Letter{
		Kind: KindRemedyRequest, Draft: true,
		Office: "Regionalny Ośrodek Polityki Społecznej w Łodzi", Unit: "Sekretariat – skargi i wnioski",
		Place: "Łódź", Date: civil.Date{Year: 2026, Month: 3, Day: 4}, Reference: "SEK.0600.1.2026",
		Addressee: "Jan Kowalski", AddresseeBox: "/jan.kowalski/skrytka",
		Title: "Wezwanie do usunięcia braków formalnych", Basis: "art. 64 § 2 k.p.a.",
		Body: []string{
			"W związku z pismem z dnia 2 marca 2026 r. wzywam do usunięcia następujących braków: brak podpisu.",
			"Braki należy usunąć w terminie 7 dni od dnia doręczenia wezwania, tj. do dnia 11 marca 2026 r. Nieusunięcie braków w terminie spowoduje pozostawienie podania bez rozpoznania.",
		},
		Signatory: "Maria Wiśniewska", Position: "referent",
	}
}

func TestXML(t *testing.T) {
	got, err := XML(remedy())
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "wezwanie.golden.xml")
	if *update {
		os.WriteFile(golden, got, 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("XML differs from %s (rerun with -update after a deliberate change):\n%s", golden, got)
	}
}

func TestPDF(t *testing.T) {
	pdf, err := PDF(remedy())
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(pdftest.Text(t, pdf, false)), " ")
	for _, want := range []string{"Łódź, 4 marca 2026 r.", "SEK.0600.1.2026", "Jan Kowalski", "PROJEKT",
		"Wezwanie do usunięcia braków formalnych", "art. 64 § 2 k.p.a.", "pozostawienie podania bez rozpoznania", "Maria Wiśniewska"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
}

// TestDecisionPDF renders a decision: its basis and ruling, the justification, and the
// instruction on appeal, in that order.
func TestDecisionPDF(t *testing.T) {
	l := remedy()
	l.Kind, l.Title, l.Basis, l.Draft = KindDecision, "DECYZJA", "art. 104 k.p.a.", false
	l.Ruling = []string{"odmówić przyznania karty"}
	l.Body = []string{"We wniosku wskazano dwoje dzieci."}
	l.Instruction = []string{"Od decyzji przysługuje odwołanie."}
	pdf, err := PDF(l)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(pdftest.Text(t, pdf, false)), " ")
	last := -1
	for _, want := range []string{"DECYZJA", "Na podstawie art. 104 k.p.a. orzekam:", "odmówić przyznania karty", "Uzasadnienie",
		"We wniosku wskazano dwoje dzieci.", "Pouczenie", "Od decyzji przysługuje odwołanie."} {
		i := strings.Index(text, want)
		if i < 0 || i < last {
			t.Errorf("the decision's text lacks %q, or has it out of order:\n%s", want, text)
		}
		last = i
	}
	if strings.Contains(text, "PROJEKT") {
		t.Error("a signed decision is marked PROJEKT")
	}
}
