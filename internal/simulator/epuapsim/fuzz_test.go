package epuapsim_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/obieg/obieg/internal/epuap"
	"github.com/obieg/obieg/internal/simulator/epuapsim"
	"github.com/obieg/obieg/internal/soap"
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
