package soap_test

import (
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"github.com/obieg/obieg/internal/adapters/soap"
	"github.com/obieg/obieg/xmlschemas/epuap"
)

func TestMarshalRoundTrip(t *testing.T) {
	req := epuap.ZapytaniePullPotwierdz{
		ZapytaniePull: epuap.ZapytaniePull{Podmiot: "ROPS", NazwaSkrytki: "skrytka", AdresSkrytki: "/ROPS/skrytka"},
		Skrot:         "abc=",
	}
	raw, err := soap.Marshal(xml.Name{Space: soap.NSObiekty, Local: "ZapytaniePullPotwierdz"}, req)
	if err != nil {
		t.Fatal(err)
	}
	want := `<soapenv:Body><ob:ZapytaniePullPotwierdz xmlns:ob="http://wsdl.epuap.gov.pl/obiekty/"><podmiot>ROPS</podmiot><nazwaSkrytki>skrytka</nazwaSkrytki><adresSkrytki>/ROPS/skrytka</adresSkrytki><skrot>abc=</skrot></ob:ZapytaniePullPotwierdz></soapenv:Body>`
	if !strings.Contains(string(raw), want) {
		t.Fatalf("got %s, want it to contain %s", raw, want)
	}
	env, err := soap.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if env.BodyName != (xml.Name{Space: soap.NSObiekty, Local: "ZapytaniePullPotwierdz"}) {
		t.Fatalf("got body %v", env.BodyName)
	}
	var got epuap.ZapytaniePullPotwierdz
	if err := env.DecodeBody(&got); err != nil {
		t.Fatal(err)
	}
	if got.Skrot != req.Skrot || got.ZapytaniePull != req.ZapytaniePull {
		t.Fatalf("got %+v, want %+v", got, req)
	}
}

func TestFaultRoundTrip(t *testing.T) {
	raw, err := soap.MarshalFault(&soap.Fault{Code: soap.FaultClient, String: "zła skrytka", HasWyjatek: true, Kod: 101, Komunikat: "Nieznana skrytka"})
	if err != nil {
		t.Fatal(err)
	}
	env, err := soap.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	var v epuap.OdpowiedzPullPotwierdz
	err = env.DecodeBody(&v)
	var f *soap.Fault
	if !errors.As(err, &f) {
		t.Fatalf("got %v, want a *soap.Fault", err)
	}
	want := soap.Fault{Code: soap.FaultClient, String: "zła skrytka", HasWyjatek: true, Kod: 101, Komunikat: "Nieznana skrytka"}
	if *f != want {
		t.Fatalf("got %+v, want %+v", *f, want)
	}
}

func TestHeadersRoundTrip(t *testing.T) {
	podmiot := xml.Name{Space: soap.NSObiekty, Local: "IdentyfikatorPodmiotu"}
	probne := xml.Name{Space: soap.NSObiekty, Local: "CzyProbne"}
	raw, err := soap.MarshalWithHeaders([]soap.HeaderBlock{{Name: podmiot, Value: "ROPS"}, {Name: probne, Value: true}},
		xml.Name{Space: soap.NSObiekty, Local: "Dokument"}, epuap.Dokument{NazwaPliku: "a.xml", Zawartosc: []byte("<a/>")})
	if err != nil {
		t.Fatal(err)
	}
	env, err := soap.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		header    xml.Name
		want      string
		wantFound bool
	}{
		{"podmiot", podmiot, "ROPS", true},
		{"probne", probne, "true", true},
		{"absent", xml.Name{Space: soap.NSObiekty, Local: "AdresSkrytki"}, "", false},
		{"other namespace", xml.Name{Space: "urn:x", Local: "IdentyfikatorPodmiotu"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			found, err := env.DecodeHeader(tt.header, &got)
			if err != nil || found != tt.wantFound || got != tt.want {
				t.Fatalf("got %q, found %v, %v; want %q, found %v", got, found, err, tt.want, tt.wantFound)
			}
		})
	}
	var doc epuap.Dokument
	if err := env.DecodeBody(&doc); err != nil || string(doc.Zawartosc) != "<a/>" {
		t.Fatalf("body: got %+v, %v", doc, err)
	}
}

func TestFileRepoFaultRoundTrip(t *testing.T) {
	in := soap.Fault{Code: soap.FaultClient, String: "x", HasWyjatek: true, Kod: 400, Komunikat: "brak pliku",
		Detail: xml.Name{Space: soap.NSFileRepo, Local: "WyjatekTyp"}}
	raw, err := soap.MarshalFault(&in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `<fc:WyjatekTyp xmlns:fc="http://wsdl.epuap.gov.pl/filerepocore/">`) {
		t.Fatalf("got %s, want an fc:WyjatekTyp detail", raw)
	}
	env, err := soap.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	var f *soap.Fault
	if err := env.DecodeBody(&struct{}{}); !errors.As(err, &f) || *f != in {
		t.Fatalf("got %v, want %+v", err, in)
	}
}
