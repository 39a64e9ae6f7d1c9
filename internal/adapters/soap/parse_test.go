package soap_test

import (
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"github.com/obieg/obieg/internal/adapters/soap"
)

const (
	okEnvelope = `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ob="http://wsdl.epuap.gov.pl/obiekty/"><s:Header><x:Security xmlns:x="urn:x">tok</x:Security></s:Header><s:Body><ob:ZapytaniePullPobierz><podmiot>P</podmiot></ob:ZapytaniePullPobierz></s:Body></s:Envelope>`
)

func TestParse(t *testing.T) {
	pobierz := xml.Name{Space: soap.NSObiekty, Local: "ZapytaniePullPobierz"}
	tests := []struct {
		name       string
		in         string
		wantErr    error
		wantBody   xml.Name
		wantHeader string
	}{
		{name: "ok with header", in: okEnvelope, wantBody: pobierz, wantHeader: `<x:Security xmlns:x="urn:x">tok</x:Security>`},
		{name: "BOM stripped", in: "\xEF\xBB\xBF" + okEnvelope, wantBody: pobierz, wantHeader: `<x:Security xmlns:x="urn:x">tok</x:Security>`},
		{name: "no header", in: `<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body><a xmlns="urn:a"/></Body></Envelope>`, wantBody: xml.Name{Space: "urn:a", Local: "a"}},
		{name: "DTD refused", in: `<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x "y">]><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><a/></s:Body></s:Envelope>`, wantErr: soap.ErrMalformed},
		{name: "latin2 refused", in: `<?xml version="1.0" encoding="ISO-8859-2"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><a/></s:Body></s:Envelope>`, wantErr: soap.ErrMalformed},
		{name: "SOAP 1.2 refused", in: `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><a/></s:Body></s:Envelope>`, wantErr: soap.ErrMalformed},
		{name: "no body", in: `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"></s:Envelope>`, wantErr: soap.ErrMalformed},
		{name: "empty body", in: `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body> </s:Body></s:Envelope>`, wantErr: soap.ErrMalformed},
		{name: "unclosed", in: `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><a>`, wantErr: soap.ErrMalformed},
		{name: "too deep", in: `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>` + strings.Repeat("<a>", 70) + strings.Repeat("</a>", 70) + `</s:Body></s:Envelope>`, wantErr: soap.ErrMalformed},
		{name: "two roots", in: `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><a/></s:Body></s:Envelope><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"/>`, wantErr: soap.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, err := soap.Parse([]byte(tt.in))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("got error %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if env.BodyName != tt.wantBody {
				t.Errorf("got body %v, want %v", env.BodyName, tt.wantBody)
			}
			if string(env.Header) != tt.wantHeader {
				t.Errorf("got header %q, want %q", env.Header, tt.wantHeader)
			}
		})
	}
}

func TestReadMessageLimit(t *testing.T) {
	_, err := soap.ReadMessage(strings.NewReader(okEnvelope), int64(len(okEnvelope)-1))
	if !errors.Is(err, soap.ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
	if _, err := soap.ReadMessage(strings.NewReader(okEnvelope), int64(len(okEnvelope))); err != nil {
		t.Fatalf("got %v, want none", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(okEnvelope))
	f.Add([]byte("\xEF\xBB\xBF" + okEnvelope))
	f.Add([]byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>x</faultstring><detail><ob:Wyjatek xmlns:ob="http://wsdl.epuap.gov.pl/obiekty/"><kod>1</kod><komunikat>k</komunikat></ob:Wyjatek></detail></s:Fault></s:Body></s:Envelope>`))
	f.Add([]byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ob="http://wsdl.epuap.gov.pl/obiekty/"><s:Header><ob:IdentyfikatorPodmiotu>ROPS</ob:IdentyfikatorPodmiotu><ob:CzyProbne>false</ob:CzyProbne></s:Header><s:Body><ob:Dokument><nazwaPliku>a</nazwaPliku><zawartosc>PGEvPg==</zawartosc></ob:Dokument></s:Body></s:Envelope>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		env, err := soap.Parse(data)
		if err != nil {
			return
		}
		if env.BodyName.Local == "" {
			t.Fatal("parsed envelope without a body element")
		}
		var v struct {
			Podmiot string `xml:"podmiot"`
		}
		var podmiot string
		if found, err := env.DecodeHeader(xml.Name{Space: soap.NSObiekty, Local: "IdentyfikatorPodmiotu"}, &podmiot); found && env.Header == nil {
			t.Fatalf("found a header (%v) in an envelope without one", err)
		}
		err = env.DecodeBody(&v)
		var f *soap.Fault
		if env.IsFault() && err != nil && !errors.As(err, &f) && !strings.Contains(err.Error(), "soap:") {
			t.Fatalf("fault body gave unexpected error %v", err)
		}
	})
}
