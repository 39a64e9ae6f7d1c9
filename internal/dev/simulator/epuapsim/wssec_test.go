package epuapsim_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/obieg/obieg/internal/adapters/soap"
	"github.com/obieg/obieg/internal/adapters/wssec"
	"github.com/obieg/obieg/internal/adapters/wssec/wssectest"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

type keys struct {
	office, stranger, epuap *wssec.Signer
}

func newKeys(t testing.TB) keys {
	t.Helper()
	ca := wssectest.NewCA(t, "Test CA")
	signer := func(id wssectest.Identity) *wssec.Signer {
		s, err := wssec.NewSigner(id.Key, id.Cert)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	return keys{office: signer(ca.Office(t, box.Podmiot)), stranger: signer(ca.Office(t, "Obcy")), epuap: signer(ca.EpuapSigner(t))}
}

func newSecureSim(t testing.TB, k keys) *epuapsim.Simulator {
	t.Helper()
	sim := epuapsim.New(epuapsim.NewMemStore(), newClock().Now, nil, epuapsim.WithWSSecurity(k.epuap))
	if _, err := sim.CreateBox(context.Background(), box.Podmiot, box.Name); err != nil {
		t.Fatal(err)
	}
	if err := sim.RegisterCertificate(box.Podmiot, k.office.Cert); err != nil {
		t.Fatal(err)
	}
	return sim
}

func pobierzRequest(podmiot string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><ob:ZapytaniePullPobierz xmlns:ob="http://wsdl.epuap.gov.pl/obiekty/"><podmiot>` +
		podmiot + `</podmiot><nazwaSkrytki>` + box.Name + `</nazwaSkrytki><adresSkrytki>` + box.Address + `</adresSkrytki></ob:ZapytaniePullPobierz></soapenv:Body></soapenv:Envelope>`)
}

func signWith(t testing.TB, s *wssec.Signer, env []byte) []byte {
	t.Helper()
	out, err := s.Sign(env)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// reshape parses a signed envelope, lets f change it and writes it back.
func reshape(t testing.TB, env []byte, f func(root *etree.Element)) []byte {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(env); err != nil {
		t.Fatal(err)
	}
	f(doc.Root())
	out, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestWSSecurityChecks sends raw requests to a simulator that checks WS-Security: only a
// request signed with the office's registered certificate over this very body gets data.
func TestWSSecurityChecks(t *testing.T) {
	k := newKeys(t)
	sim := newSecureSim(t, k)
	fileDoc(t, sim, "<Dokument>tajny</Dokument>")
	signed := signWith(t, k.office, pobierzRequest(box.Podmiot))

	tests := []struct {
		name    string
		body    []byte
		wantKod int // 0: an answer with the document
	}{
		{name: "signed", body: signed},
		{name: "unsigned", body: pobierzRequest(box.Podmiot), wantKod: epuapsim.KodBladPodpisu},
		{name: "unregistered certificate", body: signWith(t, k.stranger, pobierzRequest(box.Podmiot)), wantKod: epuapsim.KodBladPodpisu},
		{name: "certificate not registered for the podmiot", body: signWith(t, k.office, pobierzRequest("Obcy")), wantKod: epuapsim.KodBrakUprawnien},
		{name: "tampered body", body: bytes.Replace(signed, []byte("<nazwaSkrytki>"+box.Name), []byte("<nazwaSkrytki>"+box.Name+" "), 1), wantKod: epuapsim.KodBladPodpisu},
		{name: "signature wrapping", body: reshape(t, signed, func(root *etree.Element) {
			// The signed body moves into a header; an unsigned body takes its place.
			var header, body *etree.Element
			for _, c := range root.ChildElements() {
				switch c.Tag {
				case "Header":
					header = c
				case "Body":
					body = c
				}
			}
			root.RemoveChild(body)
			header.AddChild(body)
			evil := body.Copy()
			evil.RemoveAttr("wsu:Id")
			root.AddChild(evil)
		}), wantKod: epuapsim.KodBladPodpisu},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, schema.PullPath, bytes.NewReader(tt.body))
			r.Header.Set("SOAPAction", schema.ActionPobierzNastepny)
			w := httptest.NewRecorder()
			sim.Handler().ServeHTTP(w, r)
			answer := w.Body.Bytes()
			// Every answer, fault or not, is signed by the simulator.
			if _, err := wssec.Verify(answer, wssec.Options{Now: wssectest.NotBefore.AddDate(1, 0, 0), Trusted: wssec.NewPins(k.epuap.Cert).Trusted}); err != nil {
				t.Fatalf("answer not signed by the simulator: %v", err)
			}
			env, err := soap.Parse(answer)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantKod == 0 {
				var resp schema.OdpowiedzPullPobierz
				if err := env.DecodeBody(&resp); err != nil || resp.Dokument == nil || string(resp.Dokument.Zawartosc) != "<Dokument>tajny</Dokument>" {
					t.Fatalf("got %v, %+v, want the document", err, resp)
				}
				return
			}
			if w.Code != http.StatusInternalServerError || strings.Contains(string(answer), "dGFqbnk") || strings.Contains(string(answer), "tajny") {
				t.Fatalf("got HTTP %d with data, want a fault without it:\n%s", w.Code, answer)
			}
			var resp schema.OdpowiedzPullPobierz
			var f *soap.Fault
			if err := env.DecodeBody(&resp); !errors.As(err, &f) || f.Kod != tt.wantKod {
				t.Fatalf("got %v, want a fault with kod %d", f, tt.wantKod)
			}
		})
	}
}
