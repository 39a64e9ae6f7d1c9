package epuapsim_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/adapters/soap"
	"github.com/obieg/obieg/internal/adapters/wssec"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// FuzzServePull sends arbitrary bodies and SOAPActions to the pull service: every answer
// must be a well-formed envelope, HTTP 200 with an answer or 500 with a fault.
func FuzzServePull(f *testing.F) {
	sk := epuap.Skrot([]byte("<a/>"))
	seeds := []struct{ action, body string }{
		{schema.ActionPobierzNastepny, `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><ob:ZapytaniePullPobierz xmlns:ob="http://wsdl.epuap.gov.pl/obiekty/"><podmiot>ROPS_Test</podmiot><nazwaSkrytki>SkrytkaESP</nazwaSkrytki><adresSkrytki>/ROPS_Test/SkrytkaESP</adresSkrytki></ob:ZapytaniePullPobierz></s:Body></s:Envelope>`},
		{"", `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header/><s:Body><ob:ZapytaniePullOczekujace xmlns:ob="http://wsdl.epuap.gov.pl/obiekty/"><podmiot>ROPS_Test</podmiot><nazwaSkrytki>SkrytkaESP</nazwaSkrytki><adresSkrytki>/ROPS_Test/SkrytkaESP</adresSkrytki></ob:ZapytaniePullOczekujace></s:Body></s:Envelope>`},
		{schema.ActionPotwierdzOdebranie, `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><ob:ZapytaniePullPotwierdz xmlns:ob="http://wsdl.epuap.gov.pl/obiekty/"><podmiot>ROPS_Test</podmiot><nazwaSkrytki>SkrytkaESP</nazwaSkrytki><adresSkrytki>/ROPS_Test/SkrytkaESP</adresSkrytki><skrot>` + sk + `</skrot></ob:ZapytaniePullPotwierdz></s:Body></s:Envelope>`},
		{"x", `<!DOCTYPE a><a/>`},
	}
	for _, s := range seeds {
		f.Add(s.action, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, action string, body []byte) {
		sim := newSim(t, epuapsim.NewMemStore())
		fileDoc(t, sim, "<a/>")
		r := httptest.NewRequest(http.MethodPost, schema.PullPath, bytes.NewReader(body))
		r.Header.Set("SOAPAction", action)
		w := httptest.NewRecorder()
		sim.Handler().ServeHTTP(w, r)
		env, err := soap.Parse(w.Body.Bytes())
		if err != nil {
			t.Fatalf("answer is not an envelope: %v\n%s", err, w.Body.Bytes())
		}
		switch w.Code {
		case http.StatusOK:
			if env.IsFault() {
				t.Fatal("HTTP 200 with a fault")
			}
		case http.StatusInternalServerError:
			if !env.IsFault() {
				t.Fatal("HTTP 500 without a fault")
			}
		default:
			t.Fatalf("got HTTP %d", w.Code)
		}
	})
}

// checkAnswer fails unless w holds a well-formed envelope: HTTP 200 with an answer or 500
// with a fault.
func checkAnswer(t *testing.T, w *httptest.ResponseRecorder) *soap.Envelope {
	t.Helper()
	env, err := soap.Parse(w.Body.Bytes())
	if err != nil {
		t.Fatalf("answer is not an envelope: %v\n%s", err, w.Body.Bytes())
	}
	switch {
	case w.Code == http.StatusOK && env.IsFault():
		t.Fatal("HTTP 200 with a fault")
	case w.Code == http.StatusInternalServerError && !env.IsFault():
		t.Fatal("HTTP 500 without a fault")
	case w.Code != http.StatusOK && w.Code != http.StatusInternalServerError:
		t.Fatalf("got HTTP %d", w.Code)
	}
	return env
}

// FuzzServeSkrytkaFileRepo sends arbitrary requests to skrytka (headers, ob:Dokument,
// ext:Dokument) and FileRepo.
func FuzzServeSkrytkaFileRepo(f *testing.F) {
	const nadaj = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ob="http://wsdl.epuap.gov.pl/obiekty/"><s:Header><ob:IdentyfikatorPodmiotu>Gmina</ob:IdentyfikatorPodmiotu><ob:AdresSkrytki>/ROPS_Test/SkrytkaESP</ob:AdresSkrytki><ob:AdresOdpowiedzi>/Gmina/skrytka</ob:AdresOdpowiedzi><ob:CzyProbne>false</ob:CzyProbne><ob:DaneDodatkowe>PGQvPg==</ob:DaneDodatkowe></s:Header><s:Body><ob:Dokument><nazwaPliku>a.xml</nazwaPliku><typPliku>text/xml</typPliku><zawartosc>PGEvPg==</zawartosc></ob:Dokument></s:Body></s:Envelope>`
	const nadajAny = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ob="http://wsdl.epuap.gov.pl/obiekty/"><s:Header><ob:IdentyfikatorPodmiotu>Gmina</ob:IdentyfikatorPodmiotu><ob:AdresSkrytki>/ROPS_Test/SkrytkaESP</ob:AdresSkrytki><ob:NazwaPliku>b.xml</ob:NazwaPliku></s:Header><s:Body><ext:Dokument xmlns:ext="http://wsdl.epuap.gov.pl/obiekty/ext/"><w:Pismo xmlns:w="urn:w">treść</w:Pismo></ext:Dokument></s:Body></s:Envelope>`
	const download = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><fc:DownloadFileParam xmlns:fc="http://wsdl.epuap.gov.pl/filerepocore/"><fileId>100001</fileId><subject>ROPS_Test</subject></fc:DownloadFileParam></s:Body></s:Envelope>`
	const upload = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><fc:UploadFileParam xmlns:fc="http://wsdl.epuap.gov.pl/filerepocore/"><file>JVBERi0=</file><filename>a.pdf</filename><mimeType>application/pdf</mimeType><subject>ROPS_Test</subject></fc:UploadFileParam></s:Body></s:Envelope>`
	f.Add(false, schema.ActionNadaj, []byte(nadaj))
	f.Add(false, schema.ActionNadajAny, []byte(nadajAny))
	f.Add(false, "", []byte(nadaj))
	f.Add(true, "", []byte(download))
	f.Add(true, `""`, []byte(upload))
	// One simulator for every input: a fresh one would make a fresh UPP key each time.
	sim := newSim(f, epuapsim.NewMemStore())
	if _, err := sim.PutFile(context.Background(), epuapsim.RepoFile{Data: []byte("x")}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, fileRepo bool, action string, body []byte) {
		path := schema.SkrytkaPath
		if fileRepo {
			path = schema.FileRepoPath
		}
		r := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
		r.Header.Set("SOAPAction", action)
		w := httptest.NewRecorder()
		sim.Handler().ServeHTTP(w, r)
		checkAnswer(t, w)
	})
}

// FuzzServeSecure mutates signed requests sent to a simulator that checks WS-Security: an
// answer with data (HTTP 200) must only ever go to a request whose signature verifies with
// the office's registered certificate.
func FuzzServeSecure(f *testing.F) {
	k := newKeys(f)
	f.Add(signWith(f, k.office, pobierzRequest(box.Podmiot)))
	f.Add(signWith(f, k.stranger, pobierzRequest(box.Podmiot)))
	f.Add(pobierzRequest(box.Podmiot))
	// Answers are not signed here: signing each one would slow the fuzzer down to a crawl,
	// and what is checked is the verification of requests.
	sim := epuapsim.New(epuapsim.NewMemStore(), newClock().Now, nil, epuapsim.WithWSSecurity(nil))
	if _, err := sim.CreateBox(context.Background(), box.Podmiot, box.Name); err != nil {
		f.Fatal(err)
	}
	if err := sim.RegisterCertificate(box.Podmiot, k.office.Cert); err != nil {
		f.Fatal(err)
	}
	fileDoc(f, sim, "<a/>")
	h := sim.Handler()
	pins := wssec.NewPins(k.office.Cert)
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest(http.MethodPost, schema.PullPath, bytes.NewReader(body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		checkAnswer(t, w)
		if w.Code != http.StatusOK {
			return
		}
		if _, err := wssec.Verify(body, wssec.Options{Now: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC), Trusted: pins.Trusted}); err != nil {
			t.Fatalf("answered a request that does not verify: %v", err)
		}
	})
}
