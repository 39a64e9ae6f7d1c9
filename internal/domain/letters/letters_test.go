package letters

import (
	"path/filepath"
	"testing"

	"github.com/obieg/obieg/internal/dev/golden"
	"github.com/obieg/obieg/internal/domain/civil"
)

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
	golden.Check(t, filepath.Join("testdata", "wezwanie.golden.xml"), got)
}
