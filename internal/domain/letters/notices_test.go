package letters

import (
	"slices"
	"strings"
	"testing"

	"github.com/obieg/obieg/internal/domain/civil"
)

// The letters of a case's way say what the case workflow wrote into them before they were
// built here.
func TestNotices(t *testing.T) {
	due := civil.Date{Year: 2026, Month: 3, Day: 11}
	remedy := RemedyRequest("SEK.1510.3.2026", "Wniosek", "podpis", 7, due)
	if remedy.Kind != KindRemedyRequest || remedy.Basis != "art. 64 § 2 k.p.a." || !slices.Equal(remedy.Body, []string{
		"W sprawie SEK.1510.3.2026 („Wniosek”) wzywam do usunięcia następujących braków formalnych podania: podpis.",
		"Braki należy usunąć w terminie 7 dni, tj. do dnia 2026-03-11. Nieusunięcie braków w tym terminie spowoduje pozostawienie podania bez rozpoznania.",
	}) {
		t.Errorf("got call to remedy %+v", remedy)
	}
	fwd := ForwardNotice("SEK.1510.3.2026", "Wniosek", "Wojewoda", "nadzór")
	if fwd.Title != "Zawiadomienie o przekazaniu pisma według właściwości" || fwd.Body[1] != "Uzasadnienie: nadzór." {
		t.Errorf("got forwarding notice %+v", fwd)
	}
	// What the handler writes may end with its own full stop; the letter adds none then.
	if got := RemedyRequest("SEK.1510.3.2026", "Wniosek", "podpis wnioskodawcy.", 7, due).Body[0]; !strings.HasSuffix(got, "podania: podpis wnioskodawcy.") {
		t.Errorf("got call to remedy %q", got)
	}
	if got := ForwardNotice("SEK.1510.3.2026", "Wniosek", "Wojewoda", "nadzór wojewody.").Body[1]; got != "Uzasadnienie: nadzór wojewody." {
		t.Errorf("got forwarding notice's justification %q", got)
	}
	delay := DelayNotice("SEK.1510.3.2026", "Wniosek", civil.Date{Year: 2026, Month: 4, Day: 2}, civil.Date{Year: 2026, Month: 5, Day: 4})
	if delay.Kind != KindDelayNotice || len(delay.Body) != 4 || delay.Body[2] != "Nowy termin załatwienia sprawy: 2026-05-04." {
		t.Errorf("got delay notice %+v", delay)
	}
	answer := Reply(Accepted{Text: "Treść."}, "Wniosek", 14)
	if answer.Kind != KindAnswer || answer.Title != "Odpowiedź w sprawie: Wniosek" || len(answer.Instruction) != 0 {
		t.Errorf("got answer %+v", answer)
	}
	decision := Reply(Accepted{Kind: KindDecision, Title: "ignored", Text: "Uzasadnienie.", Basis: "art. 104 k.p.a.", Ruling: "Odmawia się."}, "Wniosek", 14)
	if decision.Title != "DECYZJA" || decision.Basis != "art. 104 k.p.a." || !strings.Contains(decision.Instruction[0], "w terminie 14 dni od dnia jej doręczenia") {
		t.Errorf("got decision %+v", decision)
	}
	subject, text := Cover(KindDecision, "SEK.1510.3.2026", "Wniosek")
	if subject != "Decyzja w sprawie SEK.1510.3.2026" || !strings.HasPrefix(text, "W załączeniu decyzja w sprawie SEK.1510.3.2026 („Wniosek”)") {
		t.Errorf("got cover %q, %q", subject, text)
	}
}
