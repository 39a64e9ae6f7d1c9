package soap_test

import (
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"github.com/obieg/obieg/internal/soap"
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
