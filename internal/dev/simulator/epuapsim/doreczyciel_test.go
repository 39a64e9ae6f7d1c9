package epuapsim_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// signedLooking is a document with a ds:Signature under its root: all the simulator checks
// of a document to deliver.
const signedLooking = `<Pismo xmlns="urn:test">treść` + dsSignature + `</Pismo>`

// dsSignature is an empty ds:Signature: it makes a document signed as far as the simulator
// checks.
const dsSignature = `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>`

// TestDeliveryAPI: a delivery ordered through doręczyciel is collected through the
// simulator's route, as a person would in ePUAP's web interface; the UPD goes to the
// sender's box once.
func TestDeliveryAPI(t *testing.T) {
	sim := newSim(t, epuapsim.NewMemStore())
	if _, err := sim.CreateBox(t.Context(), "Jan_Kowalski", "domyslna"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	ordered, err := epuap.NewDoreczycielClient(srv.URL+schema.DoreczycielPath, nil, box.Podmiot).Dorecz(t.Context(), epuap.DeliveryOrder{
		AdresSkrytki: "/Jan_Kowalski/domyslna", AdresOdpowiedzi: box.Address, NazwaPliku: "decyzja.xml", Zawartosc: []byte(signedLooking),
	})
	if err != nil {
		t.Fatal(err)
	}
	do := func(t *testing.T, method, path string) (int, epuapsim.DeliveryStatus) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		var st epuapsim.DeliveryStatus
		if resp.StatusCode == http.StatusOK {
			if err := json.Unmarshal(body, &st); err != nil {
				t.Fatalf("%s: %v", body, err)
			}
		}
		return resp.StatusCode, st
	}
	path := "/sim/epuap/doreczenia/" + ordered.IdentyfikatorZlecenia
	tests := []struct {
		name, method, path string
		wantCode           int
		wantOdebrane       bool
	}{
		{"waiting", http.MethodGet, path, 200, false},
		{"collect", http.MethodPost, path + "/odbior", 200, true},
		{"collected", http.MethodGet, path, 200, true},
		{"collect again", http.MethodPost, path + "/odbior", 200, true},
		{"unknown", http.MethodGet, "/sim/epuap/doreczenia/nieznane", 404, false},
		{"collect unknown", http.MethodPost, "/sim/epuap/doreczenia/nieznane/odbior", 404, false},
	}
	var upd []byte
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, st := do(t, tt.method, tt.path)
			if code != tt.wantCode || st.Odebrane != tt.wantOdebrane || (st.Odebrane && len(st.UPD) == 0) {
				t.Fatalf("got %d %+v, want %d with odebrane %v", code, st, tt.wantCode, tt.wantOdebrane)
			}
			if st.Odebrane {
				if upd != nil && !bytes.Equal(upd, st.UPD) {
					t.Fatal("got another UPD, want the one issued")
				}
				upd = st.UPD
			}
		})
	}
	addressee, err := sim.Waiting(t.Context(), "Jan_Kowalski")
	if err != nil || len(addressee[0].Waiting) != 1 || addressee[0].Waiting[0].Zlecenie != ordered.IdentyfikatorZlecenia {
		t.Fatalf("addressee's box: got %+v, %v, want the delivery %s", addressee, err, ordered.IdentyfikatorZlecenia)
	}
	waiting, err := sim.Waiting(t.Context(), box.Podmiot)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(waiting[0].Waiting); n != 1 || waiting[0].Waiting[0].NazwaPliku != "UPD.xml" {
		t.Fatalf("sender's box: got %+v, want one UPD", waiting[0].Waiting)
	}
	u, err := epuap.ParseUPD(upd)
	if err != nil || u.IdentyfikatorDokumentu != ordered.IdentyfikatorDokumentu || u.Adresat.Identyfikator != "Jan_Kowalski" {
		t.Fatalf("UPD: got %+v, %v", u, err)
	}
}

// doreczycielRequest is a SOAP request to the doręczyciel service with headers and a body.
func doreczycielRequest(headers, body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ob="http://wsdl.epuap.gov.pl/obiekty/"><soapenv:Header>` +
		headers + `</soapenv:Header><soapenv:Body>` + body + `</soapenv:Body></soapenv:Envelope>`
}

// TestDoreczycielAnswers checks the simulator's answers to raw doręczyciel requests against
// golden files and the order of obiektypk.xsd.
func TestDoreczycielAnswers(t *testing.T) {
	sim := newSim(t, epuapsim.NewMemStore())
	if _, err := sim.CreateBox(t.Context(), "Gmina", "skrytka"); err != nil {
		t.Fatal(err)
	}
	h := sim.Handler()
	const from = `<ob:IdentyfikatorPodmiotu>Gmina</ob:IdentyfikatorPodmiotu><ob:AdresSkrytki>/ROPS_Test/SkrytkaESP</ob:AdresSkrytki><ob:AdresOdpowiedzi>/Gmina/skrytka</ob:AdresOdpowiedzi>`
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	doc := `<ob:Dokument><nazwaPliku>decyzja.xml</nazwaPliku><typPliku>text/xml</typPliku><zawartosc>` + b64(signedLooking) + `</zawartosc></ob:Dokument>`
	tests := []struct {
		name     string
		action   string
		request  string
		wantCode int
		xsdType  string
	}{
		{"dorecz", schema.ActionDorecz, doreczycielRequest(from+`<ob:TerminDoreczenia>2026-04-01T00:00:00</ob:TerminDoreczenia><ob:CzyProbne>false</ob:CzyProbne><ob:IdentyfikatorSprawy>ROPS.II.1.2026</ob:IdentyfikatorSprawy>`, doc), 200, "OdpowiedzDoreczycielaTyp"},
		{"dorecz_unsigned", schema.ActionDorecz, doreczycielRequest(from, `<ob:Dokument><nazwaPliku>a.xml</nazwaPliku><zawartosc>`+b64("<a/>")+`</zawartosc></ob:Dokument>`), 500, "WyjatekTyp"},
		{"dorecz_no_reply_box", schema.ActionDorecz, doreczycielRequest(`<ob:IdentyfikatorPodmiotu>Gmina</ob:IdentyfikatorPodmiotu><ob:AdresSkrytki>/ROPS_Test/SkrytkaESP</ob:AdresSkrytki>`, doc), 500, "WyjatekTyp"},
		{"odbierz_unknown", schema.ActionOdbierz, doreczycielRequest(`<ob:IdentyfikatorPodmiotu>ROPS_Test</ob:IdentyfikatorPodmiotu>`,
			`<ob:UPD><nazwaPliku>UPD.xml</nazwaPliku><zawartosc>`+b64(`<pos:Dokument xmlns:pos="`+schema.NSUPO+`"><pos:IdentyfikatorDokumentu>nieznany</pos:IdentyfikatorDokumentu>`+dsSignature+`</pos:Dokument>`)+`</zawartosc></ob:UPD>`), 500, "WyjatekTyp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, schema.DoreczycielPath, strings.NewReader(tt.request))
			r.Header.Set("SOAPAction", `"`+tt.action+`"`)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.wantCode {
				t.Fatalf("got HTTP %d, want %d: %s", w.Code, tt.wantCode, w.Body.Bytes())
			}
			golden(t, tt.name, w.Body.Bytes())
			checkOrder(t, w.Body.Bytes(), tt.xsdType)
		})
	}
	// The delivery just ordered is collected with odbierz; its answer is a StatusTyp.
	items, err := sim.Waiting(t.Context(), box.Podmiot)
	if err != nil || len(items[0].Waiting) != 1 {
		t.Fatalf("got %+v, %v, want the delivery waiting", items, err)
	}
	upd := `<pos:Dokument xmlns:pos="` + schema.NSUPO + `"><pos:IdentyfikatorDokumentu>` + items[0].Waiting[0].ID + `</pos:IdentyfikatorDokumentu>` + dsSignature + `</pos:Dokument>`
	r := httptest.NewRequest(http.MethodPost, schema.DoreczycielPath, strings.NewReader(doreczycielRequest(`<ob:IdentyfikatorPodmiotu>ROPS_Test</ob:IdentyfikatorPodmiotu><ob:CzyProbne>false</ob:CzyProbne>`,
		`<ob:UPD><nazwaPliku>UPD.xml</nazwaPliku><zawartosc>`+b64(upd)+`</zawartosc></ob:UPD>`)))
	r.Header.Set("SOAPAction", schema.ActionOdbierz)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Fatalf("odbierz: got HTTP %d: %s", w.Code, w.Body.Bytes())
	}
	golden(t, "odbierz", w.Body.Bytes())
	checkOrder(t, w.Body.Bytes(), "StatusTyp")
}

// TestDeliveryRestart: a delivery waiting in a FileStore box is still one after a restart.
func TestDeliveryRestart(t *testing.T) {
	dir := t.TempDir()
	store, err := epuapsim.OpenFileStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	sim := newSim(t, store)
	if _, err := sim.CreateBox(t.Context(), "Gmina", "skrytka"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	ordered, err := epuap.NewDoreczycielClient(srv.URL+schema.DoreczycielPath, nil, "Gmina").Dorecz(t.Context(), epuap.DeliveryOrder{
		AdresSkrytki: box.Address, AdresOdpowiedzi: "/Gmina/skrytka", IdentyfikatorSprawy: "G.1.2026", NazwaPliku: "a.xml", Zawartosc: []byte(signedLooking),
	})
	srv.Close()
	if err != nil {
		t.Fatal(err)
	}
	if store, err = epuapsim.OpenFileStore(dir); err != nil {
		t.Fatal(err)
	}
	sim = epuapsim.New(store, newClock().Now, nil)
	if st, err := sim.Delivery(t.Context(), ordered.IdentyfikatorZlecenia); err != nil || st.Odebrane {
		t.Fatalf("after restart: got %+v, %v, want the delivery waiting", st, err)
	}
	upd, err := sim.Collect(t.Context(), ordered.IdentyfikatorZlecenia)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := epuap.ParseUPD(upd); err != nil || u.IdentyfikatorSprawy != "G.1.2026" {
		t.Fatalf("UPD after restart: got %+v, %v", u, err)
	}
}

// FuzzServeDoreczyciel sends arbitrary requests to the doręczyciel service (dorecz headers
// and ob:Dokument, odbierz's ob:UPD and the pos:Dokument inside it).
func FuzzServeDoreczyciel(f *testing.F) {
	const dorecz = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ob="http://wsdl.epuap.gov.pl/obiekty/"><s:Header><ob:IdentyfikatorPodmiotu>Gmina</ob:IdentyfikatorPodmiotu><ob:AdresSkrytki>/ROPS_Test/SkrytkaESP</ob:AdresSkrytki><ob:AdresOdpowiedzi>/Gmina/skrytka</ob:AdresOdpowiedzi><ob:TerminDoreczenia>2027-01-01T00:00:00Z</ob:TerminDoreczenia><ob:CzyProbne>false</ob:CzyProbne><ob:IdentyfikatorDokumentu>d1</ob:IdentyfikatorDokumentu><ob:IdentyfikatorSprawy>ROPS.1.2026</ob:IdentyfikatorSprawy><ob:DaneDodatkowe>PGQvPg==</ob:DaneDodatkowe><ob:UPD><nazwaPliku>UPD.xml</nazwaPliku><zawartosc>PGEvPg==</zawartosc></ob:UPD></s:Header><s:Body><ob:Dokument><nazwaPliku>a.xml</nazwaPliku><typPliku>text/xml</typPliku><zawartosc>PGE+PGRzOlNpZ25hdHVyZSB4bWxuczpkcz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC8wOS94bWxkc2lnIyIvPjwvYT4=</zawartosc></ob:Dokument></s:Body></s:Envelope>`
	const odbierz = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ob="http://wsdl.epuap.gov.pl/obiekty/"><s:Header><ob:IdentyfikatorPodmiotu>ROPS_Test</ob:IdentyfikatorPodmiotu><ob:CzyProbne>false</ob:CzyProbne></s:Header><s:Body><ob:UPD><nazwaPliku>UPD.xml</nazwaPliku><zawartosc>PHBvczpEb2t1bWVudCB4bWxuczpwb3M9Imh0dHA6Ly9jcmQuZ292LnBsL3htbC9zY2hlbWF0eS9VUE8vMjAwOC8wNS8wOS8iPjxwb3M6SWRlbnR5ZmlrYXRvckRva3VtZW50dT5kMTwvcG9zOklkZW50eWZpa2F0b3JEb2t1bWVudHU+PGRzOlNpZ25hdHVyZSB4bWxuczpkcz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC8wOS94bWxkc2lnIyIvPjwvcG9zOkRva3VtZW50Pg==</zawartosc></ob:UPD></s:Body></s:Envelope>`
	f.Add(schema.ActionDorecz, []byte(dorecz))
	f.Add(schema.ActionOdbierz, []byte(odbierz))
	f.Add("", []byte(odbierz))
	sim := newSim(f, epuapsim.NewMemStore())
	if _, err := sim.CreateBox(context.Background(), "Gmina", "skrytka"); err != nil {
		f.Fatal(err)
	}
	h := sim.Handler()
	f.Fuzz(func(t *testing.T, action string, body []byte) {
		r := httptest.NewRequest(http.MethodPost, schema.DoreczycielPath, bytes.NewReader(body))
		r.Header.Set("SOAPAction", action)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		checkAnswer(t, w)
	})
}
