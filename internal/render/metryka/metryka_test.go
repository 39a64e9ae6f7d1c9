package metryka

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/golden"
	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/render/pdfdoc/pdftest"
)

func sample() Case {
	at := time.Date(2026, 3, 2, 9, 15, 0, 0, civil.Warsaw)
	c := Case{
		Office: "Regionalny Ośrodek Polityki Społecznej w Łodzi", Reference: "SEK.0600.1.2026",
		Title: "Wniosek o udostępnienie informacji publicznej", Unit: "Sekretariat – skargi i wnioski",
		Class: "0600 Korespondencja ogólna", OpenedAt: at, PrintedAt: at.Add(72 * time.Hour), PrintedBy: "kierownik.sek",
	}
	steps := []struct{ who, pos, code, desc string }{
		{"obieg (system)", "", "proceedings_started", "Wszczęcie sprawy SEK.0600.1.2026; termin załatwienia (1 miesiąc) upływa 2026-04-02."},
		{"Piotr Nowak", "kierownik sekretariatu", "assigned", "Dekretacja – prowadzący sprawę: Maria Wiśniewska (referent.sek). Dyspozycja: proszę o odpowiedź."},
		{"Maria Wiśniewska", "referent", "draft_submitted", "Projekt odpowiedzi przedłożony do akceptacji: odpowiedź udzielająca informacji."},
	}
	for i, s := range steps {
		c.Actions = append(c.Actions, casefile.Action{Seq: i + 1, At: at.Add(time.Duration(i) * 26 * time.Hour), Actor: "u", ActorName: s.who,
			ActorPosition: s.pos, Code: s.code, Description: s.desc})
	}
	// A long history must flow onto further pages.
	for i := range 60 {
		c.Actions = append(c.Actions, casefile.Action{Seq: 4 + i, At: at.Add(100 * time.Hour), Actor: "system", ActorName: "obieg (system)",
			Code: "deadline_reminder", Description: "Przypomnienie: termin załatwienia sprawy upływa 2026-04-02. Zażółć gęślą jaźń."})
	}
	return c
}

func TestXML(t *testing.T) {
	got, err := XML(sample(), civil.Warsaw)
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "metryka.golden.xml"), got)
}

// TestPDF renders the history and reads it back with pdftotext (poppler-utils): every action,
// the Polish letters and the page breaks must be there.
func TestPDF(t *testing.T) {
	pdf, err := PDF(sample(), civil.Warsaw)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 20)])
	}
	text := pdftest.Text(t, pdf, true)
	for _, want := range []string{"Regionalny Ośrodek Polityki Społecznej w Łodzi", "Metryka sprawy", "SEK.0600.1.2026",
		"Maria Wiśniewska", "sekretariatu", "Zażółć gęślą jaźń", "strona 2"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	if n := strings.Count(text, "Zażółć gęślą jaźń"); n != 60 {
		t.Errorf("the PDF holds %d of the 60 reminders", n)
	}
}
