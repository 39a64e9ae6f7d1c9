// The PDF rendering of letters (internal/render/letterpdf) is tested beside the letters
// themselves, on the same sample letter.
package letters_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/obieg/obieg/internal/domain/letters"
	"github.com/obieg/obieg/internal/render/letterpdf"
	"github.com/obieg/obieg/internal/render/pdfdoc/pdftest"
)

func TestPDF(t *testing.T) {
	pdf, err := letterpdf.PDF(letters.Remedy())
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
	l := letters.Remedy()
	l.Kind, l.Title, l.Basis, l.Draft = letters.KindDecision, "DECYZJA", "art. 104 k.p.a.", false
	l.Ruling = []string{"odmówić przyznania karty"}
	l.Body = []string{"We wniosku wskazano dwoje dzieci."}
	l.Instruction = []string{"Od decyzji przysługuje odwołanie."}
	pdf, err := letterpdf.PDF(l)
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

// TestRefusalDecisionPDF renders a refusal decision as the signing step builds it from the
// handler's draft (the ruling one text with a line a member, the justification one text with
// paragraphs on lines of their own) and reads it back: every part in its place, each line of
// the draft its own paragraph in the XML, the Polish letters intact.
func TestRefusalDecisionPDF(t *testing.T) {
	l := letters.Remedy()
	l.Kind, l.Title, l.Draft = letters.KindDecision, "DECYZJA", false
	l.Unit, l.Reference = "Wydział Polityki Społecznej", "WPS.5320.4.2026"
	l.Addressee = "Małgorzata Żółkiewska-Łęcka"
	l.Basis = "art. 104 k.p.a. w związku z [art. … – do uzupełnienia] ustawy o Karcie Dużej Rodziny (Dz.U. z 2024 r. poz. 1512)"
	l.Ruling = []string{"odmówić przyznania karty dużej rodziny następującym członkom rodziny wnioskodawcy:\r\n" +
		"1) Jerzy Żółkiewski (małżonek wnioskodawcy, ur. 9 lipca 1983 r.);\r\n2) Ścibor Żółkiewski (dziecko, ur. 1 czerwca 1998 r.)."}
	l.Body = []string{"Dnia 2 marca 2026 r. wpłynął wniosek o przyznanie karty dużej rodziny.\n\n" +
		"Jerzy Żółkiewski (małżonek wnioskodawcy): Rodzic pozbawiony władzy rodzicielskiej nie ma prawa do karty.\n\n" +
		"Ścibor Żółkiewski (dziecko): Dziecko ma ukończone 18 lat, a nie uczy się do ukończenia 25 lat.\n\n" +
		"Mając powyższe na uwadze, orzeczono jak w sentencji."}
	l.Instruction = []string{"Od niniejszej decyzji stronie przysługuje odwołanie w terminie 14 dni od dnia doręczenia decyzji (art. 127 § 1 oraz art. 129 § 1 i 2 k.p.a.)."}
	l.Signatory, l.Position = "Grzegorz Brzęczyszczykiewicz", "Dyrektor"

	pdf, err := letterpdf.PDF(l)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(pdftest.Text(t, pdf, false)), " ")
	last := -1
	for _, want := range []string{"WPS.5320.4.2026", "Małgorzata Żółkiewska-Łęcka", "DECYZJA",
		"Na podstawie art. 104 k.p.a. w związku z [art. … – do uzupełnienia] ustawy o Karcie Dużej Rodziny (Dz.U. z 2024 r. poz. 1512) orzekam:",
		"odmówić przyznania karty dużej rodziny następującym członkom rodziny wnioskodawcy:",
		"1) Jerzy Żółkiewski (małżonek wnioskodawcy, ur. 9 lipca 1983 r.);", "2) Ścibor Żółkiewski (dziecko, ur. 1 czerwca 1998 r.).",
		"Uzasadnienie", "Dnia 2 marca 2026 r. wpłynął wniosek", "Rodzic pozbawiony władzy rodzicielskiej nie ma prawa do karty.",
		"Dziecko ma ukończone 18 lat", "orzeczono jak w sentencji.", "Pouczenie", "w terminie 14 dni od dnia doręczenia decyzji",
		"art. 129 § 1 i 2 k.p.a.", "Grzegorz Brzęczyszczykiewicz", "Dyrektor"} {
		i := strings.Index(text, want)
		if i < 0 || i < last {
			t.Errorf("the decision's text lacks %q, or has it out of order:\n%s", want, text)
		}
		last = max(last, i)
	}
	if strings.ContainsAny(text, "\r\uFFFD") {
		t.Errorf("the decision's text carries a carriage return or a replacement character:\n%q", text)
	}

	x, err := letters.XML(l)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Ruling []string `xml:"Rozstrzygniecie>Akapit"`
		Body   []string `xml:"Tresc>Akapit"`
	}
	if err := xml.Unmarshal(x, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Ruling) != 3 || len(doc.Body) != 4 {
		t.Fatalf("got %d paragraphs of ruling and %d of justification, want 3 and 4:\n%s", len(doc.Ruling), len(doc.Body), x)
	}
	if doc.Ruling[2] != "2) Ścibor Żółkiewski (dziecko, ur. 1 czerwca 1998 r.)." {
		t.Errorf("got the ruling's last paragraph %q", doc.Ruling[2])
	}
}
