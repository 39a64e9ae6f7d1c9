package epuap_test

import (
	"context"
	"crypto/x509"
	"errors"
	"testing"

	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/adapters/wssec/wssectest"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// FuzzUPD feeds ParseUPD and VerifyUPD mutations of a UPD issued by the simulator: they must
// not panic, every failure must wrap ErrUPD, and a UPD that verifies must parse to the same
// fields, since what is read is what the signature covers.
func FuzzUPD(f *testing.F) {
	p := newPKI(f)
	sim, base := newSecureSim(f, p, p.epuap)
	if _, err := sim.CreateBox(context.Background(), otherBox.Podmiot, otherBox.Name); err != nil {
		f.Fatal(err)
	}
	ordered, err := epuap.NewDoreczycielClient(base+schema.DoreczycielPath, nil, box.Podmiot, epuap.WithSigner(p.office)).
		Dorecz(context.Background(), epuap.DeliveryOrder{
			AdresSkrytki: otherBox.Address, AdresOdpowiedzi: box.Address, IdentyfikatorSprawy: "ROPS.1.2026",
			NazwaPliku: "a.xml", Zawartosc: signXML(f, p.office, "<a/>"),
		})
	if err != nil {
		f.Fatal(err)
	}
	upd, err := sim.Collect(context.Background(), ordered.IdentyfikatorZlecenia)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(upd)
	f.Add([]byte(`<pos:Dokument xmlns:pos="http://crd.gov.pl/xml/schematy/UPO/2008/05/09/"><pos:IdentyfikatorPoswiadczenia>1</pos:IdentyfikatorPoswiadczenia><pos:IdentyfikatorDokumentu>d</pos:IdentyfikatorDokumentu><pos:DataOdbioru>2026-03-02T09:00:00</pos:DataOdbioru></pos:Dokument>`))
	f.Add([]byte(`<pos:Dokument xmlns:pos="http://crd.gov.pl/xml/schematy/UPO/2008/05/09/"><pos:IdentyfikatorPoswiadczenia>1</pos:IdentyfikatorPoswiadczenia><pos:IdentyfikatorDokumentu>d</pos:IdentyfikatorDokumentu><pos:DataOdbioru>wczoraj</pos:DataOdbioru></pos:Dokument>`))
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>`))
	certs := []*x509.Certificate{p.epuap.Cert}
	now := wssectest.NotBefore.AddDate(1, 0, 0)
	f.Fuzz(func(t *testing.T, data []byte) {
		parsed, perr := epuap.ParseUPD(data)
		if perr != nil && !errors.Is(perr, epuap.ErrUPD) {
			t.Fatalf("ParseUPD error not wrapping ErrUPD: %v", perr)
		}
		verified, verr := epuap.VerifyUPD(data, certs, now)
		if verr != nil {
			if !errors.Is(verr, epuap.ErrUPD) {
				t.Fatalf("VerifyUPD error not wrapping ErrUPD: %v", verr)
			}
			return
		}
		if perr != nil || *parsed != *verified {
			t.Fatalf("verified %+v, but parsed %+v, %v", verified, parsed, perr)
		}
	})
}
