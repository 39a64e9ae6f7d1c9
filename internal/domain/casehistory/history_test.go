package casehistory

import (
	"slices"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/deadlines"
	"github.com/obieg/obieg/internal/domain/lifecycle"
)

// Each entry says in Polish what the case workflow wrote into the history before entries had
// data, word for word.
func TestText(t *testing.T) {
	d := func(s string) civil.Date {
		v, err := civil.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	until := d("2027-03-01")
	letter := Letter{Number: "17/2026", Received: time.Date(2026, 3, 4, 23, 30, 0, 0, time.UTC), Channel: "epuap", Title: "Uzupełnienie", Sender: "Jan Kowalski"}
	tests := []struct {
		name string
		e    Entry
		want string
	}{
		{"started", ProceedingsStarted("SEK.1510.3.2026", deadlines.Term{N: 1, Unit: deadlines.Months}, d("2026-04-02")),
			"Wszczęcie sprawy SEK.1510.3.2026; termin załatwienia (1 miesiąc) upływa 2026-04-02."},
		{"started in days", ProceedingsStarted("SEK.1510.3.2026", deadlines.Term{N: 14, Unit: deadlines.Days}, d("2026-03-16")),
			"Wszczęcie sprawy SEK.1510.3.2026; termin załatwienia (14 dni) upływa 2026-03-16."},
		{"anonymous", LeftAnonymous(), "Pismo anonimowe pozostawiono bez rozpatrzenia; sporządzono adnotację w aktach."},
		{"remedy expired", RemedyExpired(d("2026-03-16")),
			"Braki formalne nie zostały usunięte w terminie (do 2026-03-16); podanie pozostawiono bez rozpoznania (art. 64 § 2 k.p.a.)."},
		{"letter", LetterJoined(letter, lifecycle.Assigned),
			"Wpłynęło pismo w sprawie (RPW 17/2026 z 2026-03-05, epuap): „Uzupełnienie”, od: Jan Kowalski. Dołączono do akt sprawy."},
		{"letter awaited", LetterJoined(Letter{Number: "17/2026", Received: letter.Received, Channel: "epuap"}, lifecycle.AwaitingParty),
			"Wpłynęło pismo w sprawie (RPW 17/2026 z 2026-03-05, epuap): „bez tytułu”, od: nadawca nieznany. Dołączono do akt sprawy. " +
				"Sprawa czeka na usunięcie braków: prowadzący ocenia, czy pismo je usuwa, i odnotowuje to (czynność „Odnotuj usunięcie braków”)."},
		{"letter in the appeal period", LetterJoined(letter, lifecycle.Delivered),
			"Wpłynęło pismo w sprawie (RPW 17/2026 z 2026-03-05, epuap): „Uzupełnienie”, od: Jan Kowalski. Dołączono do akt sprawy. " +
				"Biegnie termin na odwołanie: jeśli pismo jest odwołaniem, prowadzący odnotowuje je (czynność „Odnotuj odwołanie”), inaczej sprawa zakończy się z upływem terminu."},
		{"reminder", DeadlineReminder(d("2026-04-02")), "Przypomnienie: termin załatwienia sprawy upływa 2026-04-02."},
		{"assigned", Assigned("Maria Wiśniewska", "referent.sek", "Proszę o odpowiedź."),
			"Dekretacja – prowadzący sprawę: Maria Wiśniewska (referent.sek). Dyspozycja: Proszę o odpowiedź."},
		{"assigned without instructions", Assigned("Maria Wiśniewska", "referent.sek", ""), "Dekretacja – prowadzący sprawę: Maria Wiśniewska (referent.sek)."},
		{"remedy requested", RemedyRequested("podpis", 7, d("2026-03-11")),
			"Wezwanie do usunięcia braków formalnych (art. 64 § 2 k.p.a.): podpis. Termin: 7 dni, do 2026-03-11. Bieg terminu załatwienia sprawy wstrzymany."},
		{"remedy requested, the items ending with a full stop", RemedyRequested("podpis wnioskodawcy w ciągu 14 dni.", 14, d("2026-03-18")),
			"Wezwanie do usunięcia braków formalnych (art. 64 § 2 k.p.a.): podpis wnioskodawcy w ciągu 14 dni. Termin: 14 dni, do 2026-03-18. Bieg terminu załatwienia sprawy wstrzymany."},
		{"suspended, the note ending with a full stop", Suspended("Oczekiwanie na orzeczenie sądu."), "Zawieszenie postępowania: Oczekiwanie na orzeczenie sądu. Bieg terminu załatwienia sprawy wstrzymany."},
		{"remedy received", RemedyReceived("Podpisano.", d("2026-04-09")),
			"Strona usunęła braki formalne. Podpisano. Termin załatwienia sprawy biegnie dalej i upływa 2026-04-09."},
		{"suspended", Suspended("art. 97 § 1 pkt 4 k.p.a."), "Zawieszenie postępowania: art. 97 § 1 pkt 4 k.p.a. Bieg terminu załatwienia sprawy wstrzymany."},
		{"resumed", Resumed("", d("2026-04-09")), "Podjęcie zawieszonego postępowania.  Termin załatwienia sprawy upływa 2026-04-09."},
		{"draft", DraftSubmitted("", "odpowiedź na pismo", ""), "Projekt odpowiedzi przedłożony do akceptacji: odpowiedź na pismo"},
		{"decision draft", DraftSubmitted("decyzja", "uzasadnienie", "Odmawia się."), "Projekt decyzji przedłożony do akceptacji: Odmawia się."},
		{"accepted", DraftAccepted("referent.sek", ""), "Akceptacja projektu przygotowanego przez referent.sek. Sprawa oczekuje na podpis."},
		{"accepted with a note", DraftAccepted("referent.sek", "Bez uwag."), "Akceptacja projektu przygotowanego przez referent.sek. Bez uwag. Sprawa oczekuje na podpis."},
		{"returned", DraftReturned("Uzupełnić uzasadnienie."), "Projekt zwrócony z uwagami: Uzupełnić uzasadnienie."},
		{"signed", Signed("decyzja"), "Podpisano decyzję zaakceptowaną w sprawie (podpis elektroniczny XAdES). Sprawa czeka na doręczenie."},
		{"cards", CardsGranted([]Card{{Holder: "Jan Kowalski", Number: "KDR-1"}, {Holder: "Ola Kowalska", Number: "KDR-2", ValidUntil: &until}}, false),
			"Przyznano karty (bez decyzji): Jan Kowalski: karta KDR-1, bezterminowo; Ola Kowalska: karta KDR-2, ważna do 2027-03-01. " +
				"Wobec pozostałych członków rodziny potrzebna jest decyzja odmowna."},
		{"dispatched", Dispatched("AE:PL-12345-67890-ABCDE-12", "msg-1"),
			"Wysłano przez e-Doręczenia na adres AE:PL-12345-67890-ABCDE-12 (wiadomość msg-1). Przesyłka jest doręczona z chwilą odbioru, " +
				"a nieodebrana – po upływie 14 dni od jej udostępnienia (art. 41 ustawy o doręczeniach elektronicznych)."},
		{"refused at once", DispatchRejected("AE:PL-1", "adresat nie ma skrzynki"), "Wysyłka na adres AE:PL-1 nie powiodła się: adresat nie ma skrzynki"},
		{"refused later", DeliveryRejected("AE:PL-1", "adresat nie ma skrzynki"),
			"Wysyłka na adres AE:PL-1 nie powiodła się: adresat nie ma skrzynki. Pismo czeka na doręczenie w inny sposób."},
		{"refused later, the reason ending with a full stop", DeliveryRejected("AE:PL-1", "Adres nie istnieje."),
			"Wysyłka na adres AE:PL-1 nie powiodła się: Adres nie istnieje. Pismo czeka na doręczenie w inny sposób."},
		{"answer delivered", Delivered("", Delivery{On: d("2026-03-09"), Method: "osobiście"}, civil.Date{}),
			"Doręczono stronie odpowiedź 2026-03-09 (osobiście). Sprawa zakończona."},
		{"decision deemed delivered", Delivered("decyzja", Delivery{On: d("2026-03-07"), Evidence: "ev-1", Deemed: true}, d("2026-03-23")),
			"Doręczono stronie decyzję 2026-03-07 (e-Doręczenia, nieodebrana – uznana za doręczoną po 14 dniach od udostępnienia, art. 41 ustawy o doręczeniach elektronicznych; dowód ev-1). " +
				"Termin na wniesienie odwołania upływa 2026-03-23 (art. 129 § 2 k.p.a.)."},
		{"answer collected", Delivered("odpowiedz", Delivery{On: d("2026-03-07"), Evidence: "ev-1"}, civil.Date{}),
			"Doręczono stronie odpowiedź 2026-03-07 (e-Doręczenia, odebrano; dowód ev-1). Sprawa zakończona."},
		{"appealed late", Appealed(d("2026-03-09"), d("2026-03-23"), d("2026-04-02"), true, " Przez ePUAP. "),
			"Wniesiono odwołanie od decyzji doręczonej 2026-03-09, po terminie, który upłynął 2026-03-23 – o uchybieniu terminu rozstrzyga organ odwoławczy (art. 134 k.p.a.). " +
				"Organ przekazuje je wraz z aktami sprawy organowi odwoławczemu do 2026-04-02 (art. 133 k.p.a.), chyba że sam uchyli lub zmieni decyzję (art. 132 k.p.a.). Przez ePUAP."},
		{"appealed", Appealed(d("2026-03-09"), d("2026-03-23"), d("2026-03-20"), false, ""),
			"Wniesiono odwołanie od decyzji doręczonej 2026-03-09, w terminie (do 2026-03-23). " +
				"Organ przekazuje je wraz z aktami sprawy organowi odwoławczemu do 2026-03-20 (art. 133 k.p.a.), chyba że sam uchyli lub zmieni decyzję (art. 132 k.p.a.)."},
		{"review", AppealReview(d("2026-03-23"), 2),
			"Upłynął termin na wniesienie odwołania (2026-03-23). W tym czasie wpłynęły pisma w sprawie (2): prowadzący ocenia, czy któreś jest odwołaniem – odnotowuje je („Odnotuj odwołanie”) albo zamyka sprawę („Zakończ sprawę”)."},
		{"appeal late", AppealForwardLate(d("2026-03-20")),
			"Upłynął termin przekazania odwołania wraz z aktami sprawy organowi odwoławczemu (2026-03-20, art. 133 k.p.a.). Sprawa przekazana kierownikowi komórki."},
		{"appeal passed", AppealForwarded("SKO w Łodzi", "art. 17 pkt 1 k.p.a."),
			"Przekazano odwołanie wraz z aktami sprawy organowi odwoławczemu: SKO w Łodzi (art. 17 pkt 1 k.p.a.), art. 133 k.p.a."},
		{"appeal over", AppealOver(d("2026-03-09"), d("2026-03-23")),
			"Upłynął termin na wniesienie odwołania (14 dni od doręczenia 2026-03-09, do 2026-03-23). Sprawa zakończona."},
		{"settled", SettledNoAppeal(" Pismo to prośba o informację. "),
			"Sprawa zakończona: pisma, które wpłynęły w terminie na odwołanie, nie są odwołaniem. Pismo to prośba o informację."},
		{"forwarded", Forwarded("Wojewoda", "nadzór"),
			"Przekazanie według właściwości do: Wojewoda (nadzór), art. 65 § 1 / art. 231 k.p.a.; wnoszący zostanie o tym zawiadomiony."},
		{"forwarded by ePUAP", ForwardedByEPUAP("Wojewoda", "nadzór", "/uw/skrytka", []Sent{{MessageID: "doc-1"}, {Rejected: true, Reason: "za duże"}}),
			"Przekazanie według właściwości do: Wojewoda (nadzór), art. 65 § 1 / art. 231 k.p.a. Wysłano przez ePUAP (doręczyciel) do skrytki /uw/skrytka: " +
				"pismo strony (dokument ePUAP doc-1); pismo przekazujące – nie wysłano: za duże. Doręczenie potwierdzi UPD. Wnoszący zostanie o tym zawiadomiony."},
		{"forward refused", ForwardRejected("Wojewoda", "/nieznany/skrytka", "nieznana skrytka"),
			"Przekazanie do Wojewoda przez ePUAP (skrytka /nieznany/skrytka) nie powiodło się: nieznana skrytka"},
		{"delivered to the body", DeliveredToBody("Urząd Wojewódzki", "/uw/skrytka", false, d("2026-03-10"), "UPD-1"),
			"Doręczono organowi Urząd Wojewódzki (skrytka ePUAP /uw/skrytka) przekazane pismo: odebrano 2026-03-10 (UPD UPD-1)."},
		{"withdrawn", Withdrawn("Pismo z 5 marca."), "Strona wycofała podanie. Pismo z 5 marca."},
		{"assessed", Assessed("Skarga: przekazać w 7 dni."), "Skarga: przekazać w 7 dni."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.e.Text(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestDeadlineMissed(t *testing.T) {
	e := DeadlineMissed(civil.Date{Year: 2026, Month: 4, Day: 2}, civil.Date{Year: 2026, Month: 5, Day: 4})
	want := "Termin załatwienia sprawy upłynął 2026-04-02. Sprawa przekazana kierownikowi komórki. " +
		"Przygotowano projekt zawiadomienia strony (art. 36 k.p.a.): przyczyna zwłoki do uzupełnienia przez prowadzącego, " +
		"proponowany nowy termin 2026-05-04, pouczenie o prawie do wniesienia ponaglenia (art. 37 k.p.a.)."
	if got := e.Text(); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// An entry recorded before entries had data keeps its text; so does one of a code obieg does
// not render.
func TestStoredText(t *testing.T) {
	if got := Describe(CodeAssigned, nil, "Dekretacja – tekst zapisany."); got != "Dekretacja – tekst zapisany." {
		t.Errorf("got %q, want the stored text", got)
	}
	if got := Describe("ocr_done", Data{"pages": "2"}, "Rozpoznano tekst."); got != "Rozpoznano tekst." {
		t.Errorf("got %q, want the stored text", got)
	}
	codes := Codes()
	for _, c := range []string{CodeAssigned, CodeLetterJoined, CodeDeliveredToBody} {
		if !slices.Contains(codes, c) {
			t.Errorf("code %s is not rendered", c)
		}
	}
}
