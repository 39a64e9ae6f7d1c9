package epuap_test

import (
	"context"
	"crypto/x509"
	"errors"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/adapters/epuap"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// FuzzVerifyUPP feeds VerifyUPP mutations of a UPP signed by the simulator: it must not
// panic, and every failure must wrap ErrUPP.
func FuzzVerifyUPP(f *testing.F) {
	p := newPKI(f)
	sim, base := newSecureSim(f, p, p.epuap)
	if _, err := sim.CreateBox(context.Background(), otherBox.Podmiot, otherBox.Name); err != nil {
		f.Fatal(err)
	}
	sent, err := epuap.NewSkrytkaClient(base+schema.SkrytkaPath, nil, box.Podmiot, epuap.WithSigner(p.office)).
		Send(context.Background(), epuap.Message{AdresSkrytki: otherBox.Address, NazwaPliku: "a.xml", Zawartosc: []byte("<a/>")})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sent.UPP)
	f.Add([]byte(`<pos:Dokument xmlns:pos="http://crd.gov.pl/xml/schematy/UPO/2008/05/09/"/>`))
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>`))
	certs := []*x509.Certificate{p.epuap.Cert}
	now := time.Now()
	f.Fuzz(func(t *testing.T, upp []byte) {
		err := epuap.VerifyUPP(upp, certs, now)
		if err != nil && !errors.Is(err, epuap.ErrUPP) {
			t.Fatalf("error not wrapping ErrUPP: %v", err)
		}
	})
}
