package epuap_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/adapters/soap"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// otherBox is a box of the other office, the addressee of documents the office sends.
var otherBox = epuap.Box{Podmiot: "Inny_Urzad", Name: "skrytka", Address: "/Inny_Urzad/skrytka"}

func TestSkrytkaSend(t *testing.T) {
	p := newPKI(t)
	sim, base := newSecureSim(t, p, p.epuap)
	if _, err := sim.CreateBox(context.Background(), otherBox.Podmiot, otherBox.Name); err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Timeout: 10 * time.Second}
	c := epuap.NewSkrytkaClient(base+schema.SkrytkaPath, hc, box.Podmiot,
		epuap.WithSigner(p.office), epuap.WithPinnedCertificates(p.epuap.Cert))
	msg := epuap.Message{
		AdresSkrytki: otherBox.Address, AdresOdpowiedzi: box.Address,
		DaneDodatkowe: []byte("<dodatkowe/>"), NazwaPliku: "decyzja.xml", TypPliku: "text/xml",
		Zawartosc: []byte(`<Decyzja xmlns="urn:test">treść</Decyzja>`),
	}
	sent, err := c.Send(t.Context(), msg)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if sent.IdentyfikatorDokumentu == "" || sent.IdentyfikatorUpp == "" || sent.UPP == nil {
		t.Fatalf("got %+v, want a document id, a UPP id and a UPP", sent)
	}
	if err := epuap.VerifyUPP(sent.UPP, nil, time.Now()); !errors.Is(err, epuap.ErrUPP) {
		t.Fatalf("VerifyUPP with no trusted certificate: got %v, want ErrUPP", err)
	}
	upp := etree.NewDocument()
	if err := upp.ReadFromBytes(sent.UPP); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, want string }{
		{"./IdentyfikatorPoswiadczenia", sent.IdentyfikatorUpp},
		{"./IdentyfikatorDokumentu", sent.IdentyfikatorDokumentu},
		{"./Nadawca/IdentyfikatorPodmiotu", box.Podmiot},
		{"./Adresat/IdentyfikatorPodmiotu", otherBox.Podmiot},
	} {
		el := upp.Root().FindElement(tt.path)
		if el == nil || el.Text() != tt.want {
			t.Errorf("UPP %s: got %v, want %q", tt.path, el, tt.want)
		}
	}
	if upp.Root().NamespaceURI() != schema.NSUPO || upp.Root().FindElement("./Signature") == nil {
		t.Errorf("UPP is not a signed pos:Dokument:\n%s", sent.UPP)
	}
	tampered := bytes.Replace(sent.UPP, []byte(otherBox.Podmiot), []byte("Ktos_Inny"), 1)
	if err := epuap.VerifyUPP(tampered, []*x509.Certificate{p.epuap.Cert}, time.Now()); !errors.Is(err, epuap.ErrUPP) {
		t.Fatalf("VerifyUPP of a tampered UPP: got %v, want ErrUPP", err)
	}

	// The addressee pulls what was sent: the same document, the same id.
	pull := epuap.NewPullClient(base+schema.PullPath, hc, otherBox, epuap.WithSigner(p.other), epuap.WithPinnedCertificates(p.epuap.Cert))
	d, err := pull.Next(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if d.ID() != sent.IdentyfikatorDokumentu || !bytes.Equal(d.Zawartosc, msg.Zawartosc) ||
		d.Sender.Identyfikator != box.Podmiot || d.AdresOdpowiedzi != box.Address || string(d.DaneDodatkowe) != "<dodatkowe/>" {
		t.Fatalf("pulled %+v, want what was sent (id %s)", d, sent.IdentyfikatorDokumentu)
	}

	tests := []struct {
		name    string
		msg     epuap.Message
		client  *epuap.SkrytkaClient
		wantKod int
	}{
		{name: "unknown box", msg: epuap.Message{AdresSkrytki: "/Nikt/skrytka", NazwaPliku: "a.xml", Zawartosc: []byte("<a/>")}, client: c, wantKod: epuapsim.KodNieznanaSkrytka},
		{name: "sending as another podmiot", msg: msg, client: epuap.NewSkrytkaClient(base+schema.SkrytkaPath, hc, otherBox.Podmiot, epuap.WithSigner(p.office)), wantKod: epuapsim.KodBrakUprawnien},
		{name: "unsigned", msg: msg, client: epuap.NewSkrytkaClient(base+schema.SkrytkaPath, hc, box.Podmiot), wantKod: epuapsim.KodBladPodpisu},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.client.Send(t.Context(), tt.msg)
			var f *soap.Fault
			if !errors.As(err, &f) || f.Kod != tt.wantKod {
				t.Fatalf("got %v, want a fault with kod %d", err, tt.wantKod)
			}
		})
	}

	// A trial delivers nothing and issues no UPP.
	probne := msg
	probne.CzyProbne = true
	sent, err = c.Send(t.Context(), probne)
	if err != nil || sent.UPP != nil || sent.IdentyfikatorUpp != "" || sent.IdentyfikatorDokumentu == "" {
		t.Fatalf("trial: got %+v, %v, want an id and no UPP", sent, err)
	}
	if n, err := pull.Pending(t.Context()); err != nil || n != 1 {
		t.Fatalf("after a trial: got %d waiting, %v, want 1", n, err)
	}
}

// TestSkrytkaInsecure: without WS-Security the simulator still issues a signed UPP, made
// with a key of its own.
func TestSkrytkaInsecure(t *testing.T) {
	sim, url := newSim(t)
	if _, err := sim.CreateBox(context.Background(), otherBox.Podmiot, otherBox.Name); err != nil {
		t.Fatal(err)
	}
	url = strings.TrimSuffix(url, schema.PullPath) + schema.SkrytkaPath
	sent, err := epuap.NewSkrytkaClient(url, nil, box.Podmiot).Send(t.Context(), epuap.Message{
		AdresSkrytki: otherBox.Address, NazwaPliku: "a.xml", Zawartosc: []byte("<a/>"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(sent.UPP, []byte("SignatureValue")) {
		t.Fatalf("got an unsigned UPP:\n%s", sent.UPP)
	}
}

// TestSkrytkaSendAny sends XML documents with nadajAny over HTTP: the addressee pulls the
// document as sent, without its XML declaration, under the name of the NazwaPliku header.
func TestSkrytkaSendAny(t *testing.T) {
	p := newPKI(t)
	sim, base := newSecureSim(t, p, p.epuap)
	if _, err := sim.CreateBox(context.Background(), otherBox.Podmiot, otherBox.Name); err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Timeout: 10 * time.Second}
	c := epuap.NewSkrytkaClient(base+schema.SkrytkaPath, hc, box.Podmiot,
		epuap.WithSigner(p.office), epuap.WithPinnedCertificates(p.epuap.Cert))
	pull := epuap.NewPullClient(base+schema.PullPath, hc, otherBox, epuap.WithSigner(p.other))
	const root = `<Odpowiedz xmlns="urn:test" xmlns:a="urn:a"><a:Tresc>zażółć gęślą jaźń</a:Tresc><!-- uwaga --></Odpowiedz>`
	tests := []struct {
		name, doc, want string
	}{
		{"plain", root, root},
		{"declaration", `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + root, root},
		{"BOM and declaration", "\xEF\xBB\xBF<?xml version='1.0' encoding='utf-8' standalone='yes'?>" + root, root},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sent, err := c.SendAny(t.Context(), epuap.Message{
				AdresSkrytki: otherBox.Address, AdresOdpowiedzi: box.Address, NazwaPliku: "odpowiedz.xml", Zawartosc: []byte(tt.doc),
			})
			if err != nil {
				t.Fatalf("SendAny: %v", err)
			}
			if sent.UPP == nil || sent.IdentyfikatorUpp == "" {
				t.Fatalf("got %+v, want a UPP", sent)
			}
			d, err := pull.Next(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if string(d.Zawartosc) != tt.want || d.NazwaPliku != "odpowiedz.xml" || d.ID() != sent.IdentyfikatorDokumentu {
				t.Fatalf("pulled %q named %q (id %s), want %q named odpowiedz.xml (id %s)", d.Zawartosc, d.NazwaPliku, d.ID(), tt.want, sent.IdentyfikatorDokumentu)
			}
			if err := pull.Confirm(t.Context(), d.Zawartosc); err != nil {
				t.Fatal(err)
			}
		})
	}

	refused := []struct{ name, doc string }{
		{"not XML", "zwykły tekst"},
		{"two roots", "<a/><b/>"},
		{"DTD", `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>`},
		{"not UTF-8", `<?xml version="1.0" encoding="windows-1250"?><a/>`},
		{"empty", " "},
	}
	for _, tt := range refused {
		t.Run("refused "+tt.name, func(t *testing.T) {
			_, err := c.SendAny(t.Context(), epuap.Message{AdresSkrytki: otherBox.Address, NazwaPliku: "a.xml", Zawartosc: []byte(tt.doc)})
			var f *soap.Fault
			if err == nil || errors.As(err, &f) {
				t.Fatalf("got %v, want an error before sending", err)
			}
		})
	}
	_, err := epuap.NewSkrytkaClient(base+schema.SkrytkaPath, hc, box.Podmiot).SendAny(t.Context(),
		epuap.Message{AdresSkrytki: otherBox.Address, NazwaPliku: "a.xml", Zawartosc: []byte(root)})
	var f *soap.Fault
	if !errors.As(err, &f) || f.Kod != epuapsim.KodBladPodpisu {
		t.Fatalf("unsigned nadajAny: got %v, want a fault with kod %d", err, epuapsim.KodBladPodpisu)
	}
	if n, err := pull.Pending(t.Context()); err != nil || n != 0 {
		t.Fatalf("after refusals: got %d waiting, %v, want 0", n, err)
	}
}
