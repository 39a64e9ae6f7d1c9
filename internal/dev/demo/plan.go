package demo

import (
	"fmt"

	"github.com/obieg/obieg/internal/domain/jrwa"
)

// Classes returns the filing plan of the demo office, a regional social-policy centre
// (regionalny ośrodek polityki społecznej). It is a fresh slice on every call.
//
// It is an example, not a legal act: each centre's own JRWA is agreed with the competent state
// archive (its director agrees the plan together with the office's archival instruction) and
// is loaded by an administrator in its place. The choices made here:
//
//   - Top classes 0 to 3 follow the common scheme of public offices: 0 Zarządzanie,
//     1 Kadry, 2 Środki rzeczowe, 3 Ekonomika i finanse. jrwa.Class 4 holds the centre's own
//     tasks of social assistance and integration (department Wydział ds. Pomocy i Integracji
//     Społecznej), class 5 the social-policy tasks (department Wydział Polityki Społecznej and
//     the Obserwatorium Integracji Społecznej, OIS). Classes 6 to 9 are unused: the plan's rule
//     that levels 1 and 2 only group classes (see NewPlan) leaves no room for empty placeholders.
//   - 0570 Skargi i wnioski, under 05 and 057, is A: complaints show how the office works,
//     and the case reference example WPS-I.0570.3.2026 uses it. Its register, 0571, is A too.
//   - 5131 (reports from municipalities and facilities, such as MRPiPS-03) matches the case
//     reference example OIS.5131.12.2026. Reports received are BE10: the archive may keep a
//     selection; the centre's own regional assessment of resources (5130) is A.
//   - The regional family card (5300-5302) is B10: cards for parents have no end date, so the
//     evidence of eligibility is kept for ten years after the case closes; refusals and
//     findings of a lost right are decisions and are kept as long.
//   - The bank of free places in 24-hour care facilities (5132) holds figures superseded at
//     every update: B5.
//   - Programmes of cooperation with NGOs (5200) are A, as acts of the voivodeship's policy;
//     open calls and grant agreements (5201) are BE10, the archive choosing what to keep.
//   - General correspondence (0600) is B5; invitations, greetings and information material of
//     others (0601) is Bc.
func Classes() []jrwa.Class {
	a := jrwa.Category{Kind: jrwa.KindA}
	b := func(n int) jrwa.Category { return jrwa.Category{Kind: jrwa.KindB, Years: n} }
	be := func(n int) jrwa.Category { return jrwa.Category{Kind: jrwa.KindBE, Years: n} }
	bc := jrwa.Category{Kind: jrwa.KindBc}
	return []jrwa.Class{
		{Symbol: "0", Heading: "Zarządzanie"},
		{Symbol: "00", Heading: "Organy jednostki i organy nadrzędne"},
		{Symbol: "000", Heading: "Zarząd województwa: uchwały i zarządzenia dotyczące ośrodka", Category: a},
		{Symbol: "01", Heading: "Organizacja ośrodka"},
		{Symbol: "010", Heading: "Statut i regulamin organizacyjny", Category: a},
		{Symbol: "011", Heading: "Zarządzenia i instrukcje dyrektora", Category: a},
		{Symbol: "05", Heading: "Skargi, wnioski i petycje"},
		{Symbol: "057", Heading: "Skargi i wnioski"},
		{Symbol: "0570", Heading: "Skargi i wnioski", Category: a},
		{Symbol: "0571", Heading: "Rejestr skarg i wniosków", Category: a},
		{Symbol: "06", Heading: "Informacja i korespondencja"},
		{Symbol: "060", Heading: "Korespondencja"},
		{Symbol: "0600", Heading: "Korespondencja ogólna", Category: b(5)},
		{Symbol: "0601", Heading: "Zaproszenia, życzenia i materiały informacyjne innych podmiotów", Category: bc},
		{Symbol: "061", Heading: "Udostępnianie informacji publicznej", Category: b(5)},

		{Symbol: "1", Heading: "Kadry"},
		{Symbol: "11", Heading: "Zatrudnienie"},
		{Symbol: "110", Heading: "Nabór na stanowiska urzędnicze", Category: b(5)},
		{Symbol: "111", Heading: "Akta osobowe pracowników", Category: b(10)},
		{Symbol: "13", Heading: "Doskonalenie zawodowe"},
		{Symbol: "130", Heading: "Szkolenia pracowników", Category: b(5)},

		{Symbol: "2", Heading: "Środki rzeczowe"},
		{Symbol: "23", Heading: "Zaopatrzenie i zamówienia publiczne"},
		{Symbol: "230", Heading: "Zamówienia publiczne", Category: b(5)},
		{Symbol: "26", Heading: "Administrowanie nieruchomościami i wyposażeniem"},
		{Symbol: "260", Heading: "Ewidencja środków trwałych i wyposażenia", Category: b(10)},

		{Symbol: "3", Heading: "Ekonomika i finanse"},
		{Symbol: "30", Heading: "Planowanie i sprawozdawczość finansowa"},
		{Symbol: "300", Heading: "Plany finansowe ośrodka", Category: b(10)},
		{Symbol: "301", Heading: "Sprawozdania budżetowe i finansowe", Category: b(10)},
		{Symbol: "32", Heading: "Księgowość"},
		{Symbol: "320", Heading: "Dowody księgowe", Category: b(5)},

		{Symbol: "4", Heading: "Pomoc i integracja społeczna"},
		{Symbol: "40", Heading: "Ekonomia społeczna"},
		{Symbol: "400", Heading: "Wspieranie rozwoju ekonomii społecznej w regionie", Category: a},
		{Symbol: "401", Heading: "Znak „Zakup Prospołeczny”", Category: b(10)},
		{Symbol: "41", Heading: "Kadry pomocy społecznej"},
		{Symbol: "410", Heading: "Komisja ds. stopni specjalizacji zawodowej", Category: b(10)},

		{Symbol: "5", Heading: "Polityka społeczna"},
		{Symbol: "50", Heading: "Strategie i programy regionalne"},
		{Symbol: "500", Heading: "Strategia polityki społecznej województwa", Category: a},
		{Symbol: "501", Heading: "Programy regionalne: seniorzy, przeciwdziałanie przemocy", Category: a},
		{Symbol: "502", Heading: "Kampanie społeczne", Category: b(5)},
		{Symbol: "51", Heading: "Obserwatorium Integracji Społecznej"},
		{Symbol: "510", Heading: "Badania i analizy", Category: a},
		{Symbol: "513", Heading: "Sprawozdawczość i monitoring pomocy społecznej"},
		{Symbol: "5130", Heading: "Ocena zasobów pomocy społecznej województwa", Category: a},
		{Symbol: "5131", Heading: "Sprawozdania i raporty gmin, powiatów i placówek", Category: be(10)},
		{Symbol: "5132", Heading: "Bank wolnych miejsc w placówkach całodobowych", Category: b(5)},
		{Symbol: "5133", Heading: "Baza instytucji i organizacji pomocy społecznej", Category: b(5)},
		{Symbol: "52", Heading: "Współpraca z organizacjami pozarządowymi"},
		{Symbol: "520", Heading: "Programy współpracy i konkursy ofert"},
		{Symbol: "5200", Heading: "Programy współpracy z organizacjami pozarządowymi", Category: a},
		{Symbol: "5201", Heading: "Otwarte konkursy ofert i umowy dotacyjne", Category: be(10)},
		{Symbol: "53", Heading: "Polityka rodzinna"},
		{Symbol: "530", Heading: "Regionalna karta rodzin wielodzietnych"},
		{Symbol: "5300", Heading: "Wnioski o wydanie karty i duplikatu", Category: b(10)},
		{Symbol: "5301", Heading: "Odmowy przyznania karty i stwierdzenie utraty uprawnienia", Category: b(10)},
		{Symbol: "5302", Heading: "Partnerzy programu karty", Category: b(5)},
	}
}

// jrwa.Plan builds the jrwa.Plan of DemoClasses.
func Plan() (*jrwa.Plan, error) {
	p, err := jrwa.NewPlan(Classes())
	if err != nil {
		return nil, fmt.Errorf("demo plan: %w", err)
	}
	return p, nil
}
