package epuap_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/adapters/soap"
	"github.com/obieg/obieg/internal/adapters/wssec"
	"github.com/obieg/obieg/internal/adapters/wssec/wssectest"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// signXML signs the document doc with s: an enveloped ds:Signature under its root.
func signXML(t testing.TB, s *wssec.Signer, doc string) []byte {
	t.Helper()
	d := etree.NewDocument()
	if err := d.ReadFromString(doc); err != nil {
		t.Fatal(err)
	}
	ctx, err := dsig.NewSigningContext(s.Key, [][]byte{s.Cert.Raw})
	if err != nil {
		t.Fatal(err)
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	signed, err := ctx.SignEnveloped(d.Root())
	if err != nil {
		t.Fatal(err)
	}
	d.SetRoot(signed)
	out, err := d.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// tamper is a transport that changes the request body after the client has signed it.
type tamper struct{ old, new []byte }

func (tr tamper) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	body = bytes.Replace(body, tr.old, tr.new, 1)
	r = r.Clone(r.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	return http.DefaultTransport.RoundTrip(r)
}

func TestDorecz(t *testing.T) {
	p := newPKI(t)
	sim, base := newSecureSim(t, p, p.epuap)
	if _, err := sim.CreateBox(context.Background(), otherBox.Podmiot, otherBox.Name); err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Timeout: 10 * time.Second}
	pinned := []epuap.Option{epuap.WithPinnedCertificates(p.epuap.Cert)}
	c := epuap.NewDoreczycielClient(base+schema.DoreczycielPath, hc, box.Podmiot, append(pinned, epuap.WithSigner(p.office))...)
	order := epuap.DeliveryOrder{
		AdresSkrytki: otherBox.Address, AdresOdpowiedzi: box.Address,
		TerminDoreczenia:       time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC),
		IdentyfikatorDokumentu: "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b", IdentyfikatorSprawy: "ROPS.II.5131.7.2026",
		DaneDodatkowe: []byte("<dodatkowe/>"), NazwaPliku: "decyzja.xml", TypPliku: "text/xml",
		Zawartosc: signXML(t, p.office, `<Decyzja xmlns="urn:test">treść</Decyzja>`),
	}
	ordered, err := c.Dorecz(t.Context(), order)
	if err != nil {
		t.Fatalf("Dorecz: %v", err)
	}
	if ordered.IdentyfikatorDokumentu == "" || ordered.IdentyfikatorZlecenia == "" {
		t.Fatalf("got %+v, want a document id and an order id", ordered)
	}
	st, err := sim.Delivery(t.Context(), ordered.IdentyfikatorZlecenia)
	if err != nil || st.Odebrane || st.AdresSkrytki != otherBox.Address {
		t.Fatalf("Delivery: got %+v, %v, want it waiting in %s", st, err, otherBox.Address)
	}

	// The addressee pulls the document; no UPD before it confirms.
	mine := epuap.NewPullClient(base+schema.PullPath, hc, box, append(pinned, epuap.WithSigner(p.office))...)
	theirs := epuap.NewPullClient(base+schema.PullPath, hc, otherBox, append(pinned, epuap.WithSigner(p.other))...)
	d, err := theirs.Next(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if d.ID() != ordered.IdentyfikatorDokumentu || !bytes.Equal(d.Zawartosc, order.Zawartosc) || d.Sender.Identyfikator != box.Podmiot {
		t.Fatalf("addressee pulled %+v, want the document %s", d, ordered.IdentyfikatorDokumentu)
	}
	if _, err := mine.Next(t.Context()); !errors.Is(err, epuap.ErrNoDocument) {
		t.Fatalf("sender's box before collection: got %v, want ErrNoDocument", err)
	}
	if err := theirs.Confirm(t.Context(), d.Zawartosc); err != nil {
		t.Fatal(err)
	}

	// Collected: the UPD, signed by ePUAP, waits in the sender's box.
	got, err := mine.Next(t.Context())
	if err != nil {
		t.Fatalf("sender's box after collection: %v", err)
	}
	if got.Sender.Identyfikator != "ePUAP" || got.NazwaPliku != "UPD.xml" {
		t.Errorf("UPD came from %q as %q, want ePUAP, UPD.xml", got.Sender.Identyfikator, got.NazwaPliku)
	}
	now := wssectest.NotBefore.AddDate(1, 0, 0)
	upd, err := epuap.VerifyUPD(got.Zawartosc, []*x509.Certificate{p.epuap.Cert}, now)
	if err != nil {
		t.Fatalf("VerifyUPD: %v", err)
	}
	for _, tt := range []struct{ name, got, want string }{
		{"IdentyfikatorDokumentu", upd.IdentyfikatorDokumentu, ordered.IdentyfikatorDokumentu},
		{"IdentyfikatorSprawy", upd.IdentyfikatorSprawy, order.IdentyfikatorSprawy},
		{"Adresat", upd.Adresat.Identyfikator, otherBox.Podmiot},
		{"Nadawca", upd.Nadawca.Identyfikator, box.Podmiot},
		{"PodmiotWystawiajacyPoswiadczenie", upd.Wystawca.Identyfikator, "ePUAP"},
	} {
		if tt.got != tt.want {
			t.Errorf("UPD %s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	if upd.IdentyfikatorPoswiadczenia == "" || upd.DataOdbioru.IsZero() || !upd.DataOdbioru.After(upd.DataDoreczenia) {
		t.Errorf("UPD: got %+v, want an id and a collection after the delivery", upd)
	}
	if st, err := sim.Delivery(t.Context(), ordered.IdentyfikatorZlecenia); err != nil || !st.Odebrane || !bytes.Equal(st.UPD, got.Zawartosc) {
		t.Errorf("Delivery after collection: got %+v, %v, want collected with the UPD", st, err)
	}
	parsed, err := epuap.ParseUPD(got.Zawartosc)
	if err != nil || *parsed != *upd {
		t.Errorf("ParseUPD: got %+v, %v, want %+v", parsed, err, upd)
	}
	tampered := bytes.Replace(got.Zawartosc, []byte(otherBox.Podmiot), []byte("Ktos_Inny"), 1)
	for _, tt := range []struct {
		name  string
		upd   []byte
		certs []*x509.Certificate
	}{
		{"tampered", tampered, []*x509.Certificate{p.epuap.Cert}},
		{"not trusted", got.Zawartosc, []*x509.Certificate{p.office.Cert}},
		{"not a UPD", []byte("<a/>"), []*x509.Certificate{p.epuap.Cert}},
	} {
		t.Run("VerifyUPD "+tt.name, func(t *testing.T) {
			if _, err := epuap.VerifyUPD(tt.upd, tt.certs, now); !errors.Is(err, epuap.ErrUPD) {
				t.Fatalf("got %v, want ErrUPD", err)
			}
		})
	}
	if err := mine.Confirm(t.Context(), got.Zawartosc); err != nil {
		t.Fatal(err)
	}

	unsigned := order
	unsigned.Zawartosc = []byte(`<Decyzja xmlns="urn:test">bez podpisu</Decyzja>`)
	strangersBox := order
	strangersBox.AdresOdpowiedzi = otherBox.Address
	late := order
	late.TerminDoreczenia = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	nobody := order
	nobody.AdresSkrytki = "/Nikt/skrytka"
	tamperedHC := &http.Client{Timeout: 10 * time.Second, Transport: tamper{old: []byte("decyzja.xml"), new: []byte("wezwanie.xml")}}
	tests := []struct {
		name    string
		client  *epuap.DoreczycielClient
		order   epuap.DeliveryOrder
		wantKod int
	}{
		{"unsigned request", epuap.NewDoreczycielClient(base+schema.DoreczycielPath, hc, box.Podmiot), order, epuapsim.KodBladPodpisu},
		{"bad signature", epuap.NewDoreczycielClient(base+schema.DoreczycielPath, tamperedHC, box.Podmiot, epuap.WithSigner(p.office)), order, epuapsim.KodBladPodpisu},
		{"unregistered certificate", epuap.NewDoreczycielClient(base+schema.DoreczycielPath, hc, box.Podmiot, epuap.WithSigner(p.stranger)), order, epuapsim.KodBladPodpisu},
		{"another office's podmiot", epuap.NewDoreczycielClient(base+schema.DoreczycielPath, hc, otherBox.Podmiot, epuap.WithSigner(p.office)), order, epuapsim.KodBrakUprawnien},
		{"unsigned document", c, unsigned, epuapsim.KodNiepodpisany},
		{"unknown box", c, nobody, epuapsim.KodNieznanaSkrytka},
		{"UPD to another office's box", c, strangersBox, epuapsim.KodNieznanaSkrytka},
		{"deadline passed", c, late, epuapsim.KodBladZapytania},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.client.Dorecz(t.Context(), tt.order)
			var f *soap.Fault
			if !errors.As(err, &f) || f.Kod != tt.wantKod || f.Code != soap.FaultClient {
				t.Fatalf("got %v, want a Client fault with kod %d", err, tt.wantKod)
			}
		})
	}

	// A trial delivers nothing.
	probne := order
	probne.CzyProbne = true
	if o, err := c.Dorecz(t.Context(), probne); err != nil || o.IdentyfikatorZlecenia == "" {
		t.Fatalf("trial: got %+v, %v, want ids", o, err)
	}
	if n, err := theirs.Pending(t.Context()); err != nil || n != 0 {
		t.Fatalf("after refusals and a trial: got %d waiting, %v, want 0", n, err)
	}
}

// TestOdbierz: the addressee collects a delivery with odbierz and a UPD it signed; ePUAP
// certifies it to the sender once, not again when the pull is confirmed.
func TestOdbierz(t *testing.T) {
	p := newPKI(t)
	sim, base := newSecureSim(t, p, p.epuap)
	if _, err := sim.CreateBox(context.Background(), otherBox.Podmiot, otherBox.Name); err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Timeout: 10 * time.Second}
	sender := epuap.NewDoreczycielClient(base+schema.DoreczycielPath, hc, box.Podmiot, epuap.WithSigner(p.office))
	ordered, err := sender.Dorecz(t.Context(), epuap.DeliveryOrder{
		AdresSkrytki: otherBox.Address, AdresOdpowiedzi: box.Address, NazwaPliku: "wezwanie.xml",
		Zawartosc: signXML(t, p.office, `<Wezwanie xmlns="urn:test"/>`),
	})
	if err != nil {
		t.Fatal(err)
	}
	addressee := epuap.NewDoreczycielClient(base+schema.DoreczycielPath, hc, otherBox.Podmiot, epuap.WithSigner(p.other))
	updFor := func(docID string) []byte {
		return signXML(t, p.other, `<pos:Dokument xmlns:pos="`+schema.NSUPO+`"><pos:IdentyfikatorDokumentu>`+docID+`</pos:IdentyfikatorDokumentu></pos:Dokument>`)
	}
	mine := epuap.NewPullClient(base+schema.PullPath, hc, box, epuap.WithSigner(p.office))
	tests := []struct {
		name    string
		client  *epuap.DoreczycielClient
		upd     []byte
		wantKod int
	}{
		{"unsigned UPD", addressee, []byte(`<pos:Dokument xmlns:pos="` + schema.NSUPO + `"><pos:IdentyfikatorDokumentu>` + ordered.IdentyfikatorDokumentu + `</pos:IdentyfikatorDokumentu></pos:Dokument>`), epuapsim.KodNiepodpisany},
		{"unknown document", addressee, updFor("nieznany"), epuapsim.KodNieznaneZlecenie},
		{"not the addressee", sender, updFor(ordered.IdentyfikatorDokumentu), epuapsim.KodNieznaneZlecenie},
		{"unsigned request", epuap.NewDoreczycielClient(base+schema.DoreczycielPath, hc, otherBox.Podmiot), updFor(ordered.IdentyfikatorDokumentu), epuapsim.KodBladPodpisu},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.client.Odbierz(t.Context(), tt.upd, false)
			var f *soap.Fault
			if !errors.As(err, &f) || f.Kod != tt.wantKod {
				t.Fatalf("got %v, want a fault with kod %d", err, tt.wantKod)
			}
		})
	}
	if err := addressee.Odbierz(t.Context(), updFor(ordered.IdentyfikatorDokumentu), true); err != nil {
		t.Fatalf("trial odbierz: %v", err)
	}
	if n, err := mine.Pending(t.Context()); err != nil || n != 0 {
		t.Fatalf("after a trial: got %d in the sender's box, %v, want 0", n, err)
	}
	if err := addressee.Odbierz(t.Context(), updFor(ordered.IdentyfikatorDokumentu), false); err != nil {
		t.Fatalf("odbierz: %v", err)
	}
	got, err := mine.Next(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	upd, err := epuap.VerifyUPD(got.Zawartosc, []*x509.Certificate{p.epuap.Cert}, wssectest.NotBefore.AddDate(1, 0, 0))
	if err != nil || upd.IdentyfikatorDokumentu != ordered.IdentyfikatorDokumentu {
		t.Fatalf("UPD: got %+v, %v, want one for %s", upd, err, ordered.IdentyfikatorDokumentu)
	}

	// The document stays in the addressee's box; confirming its pull issues no second UPD.
	theirs := epuap.NewPullClient(base+schema.PullPath, hc, otherBox, epuap.WithSigner(p.other))
	d, err := theirs.Next(t.Context())
	if err != nil || d.ID() != ordered.IdentyfikatorDokumentu {
		t.Fatalf("addressee's Next: got %v, %v, want the document", d, err)
	}
	if err := theirs.Confirm(t.Context(), d.Zawartosc); err != nil {
		t.Fatal(err)
	}
	if n, err := mine.Pending(t.Context()); err != nil || n != 1 {
		t.Fatalf("sender's box: got %d, %v, want the one UPD", n, err)
	}
	if upd2, err := sim.Collect(t.Context(), ordered.IdentyfikatorZlecenia); err != nil || !bytes.Equal(upd2, got.Zawartosc) {
		t.Fatalf("Collect after collection: got %v, want the same UPD", err)
	}
}

// TestDoreczAnswers decodes dorecz answers as other SOAP stacks write them: nil ids, a
// default namespace, a status other than OK.
func TestDoreczAnswers(t *testing.T) {
	const head = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Body><OdpowiedzDoreczyciela xmlns="http://wsdl.epuap.gov.pl/obiekty/">`
	const tail = `</OdpowiedzDoreczyciela></soap:Body></soap:Envelope>`
	tests := []struct {
		name    string
		answer  string
		want    epuap.Ordered
		wantKod int // a *StatusError with this kod
	}{
		{"ids", `<status><kod>1</kod><komunikat>OK</komunikat></status><identyfikatorDokumentu> 123 </identyfikatorDokumentu><identyfikatorZlecenia>Z-9</identyfikatorZlecenia>`,
			epuap.Ordered{IdentyfikatorDokumentu: "123", IdentyfikatorZlecenia: "Z-9", Komunikat: "OK"}, 0},
		{"nil ids", `<status><kod>1</kod><komunikat xsi:nil="true"/></status><identyfikatorDokumentu xsi:nil="true"/><identyfikatorZlecenia xsi:nil="true"/>`,
			epuap.Ordered{}, 0},
		{"refused", `<status><kod>7</kod><komunikat>Adresat nie przyjmuje doręczeń</komunikat></status><identyfikatorDokumentu xsi:nil="true"/><identyfikatorZlecenia xsi:nil="true"/>`,
			epuap.Ordered{}, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if got := soap.Action(r); got != schema.ActionDorecz {
					t.Errorf("SOAPAction: got %q, want %q", got, schema.ActionDorecz)
				}
				soap.WriteMessage(w, http.StatusOK, []byte(head+tt.answer+tail))
			}))
			defer srv.Close()
			got, err := epuap.NewDoreczycielClient(srv.URL, nil, box.Podmiot).Dorecz(t.Context(), epuap.DeliveryOrder{
				AdresSkrytki: otherBox.Address, AdresOdpowiedzi: box.Address, NazwaPliku: "a.xml", Zawartosc: []byte("<a/>"),
			})
			if tt.wantKod != 0 {
				var se *epuap.StatusError
				if !errors.As(err, &se) || se.Kod != tt.wantKod {
					t.Fatalf("got %v, want a StatusError with kod %d", err, tt.wantKod)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v, want %+v", got, err, tt.want)
			}
		})
	}
}

// TestDoreczInvalid: an incomplete order is refused before anything is sent.
func TestDoreczInvalid(t *testing.T) {
	sent := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sent = true }))
	defer srv.Close()
	c := epuap.NewDoreczycielClient(srv.URL, nil, box.Podmiot)
	full := epuap.DeliveryOrder{AdresSkrytki: otherBox.Address, AdresOdpowiedzi: box.Address, NazwaPliku: "a.xml", Zawartosc: []byte("<a/>")}
	tests := []struct {
		name   string
		change func(o *epuap.DeliveryOrder)
	}{
		{"no addressee", func(o *epuap.DeliveryOrder) { o.AdresSkrytki = "" }},
		{"no box for the UPD", func(o *epuap.DeliveryOrder) { o.AdresOdpowiedzi = "" }},
		{"no document", func(o *epuap.DeliveryOrder) { o.Zawartosc = nil }},
		{"no file name", func(o *epuap.DeliveryOrder) { o.NazwaPliku = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := full
			tt.change(&o)
			if _, err := c.Dorecz(t.Context(), o); err == nil {
				t.Fatal("got no error, want one")
			}
		})
	}
	if err := c.Odbierz(t.Context(), nil, false); err == nil {
		t.Fatal("Odbierz without a UPD: got no error, want one")
	}
	if sent {
		t.Fatal("a request was sent")
	}
}

func TestIsPoswiadczenie(t *testing.T) {
	for _, tt := range []struct {
		name string
		doc  string
		want bool
	}{
		{"UPD", `<pos:Dokument xmlns:pos="http://crd.gov.pl/xml/schematy/UPO/2008/05/09/"><pos:IdentyfikatorPoswiadczenia>1</pos:IdentyfikatorPoswiadczenia></pos:Dokument>`, true},
		{"a form", `<wnio:Dokument xmlns:wnio="http://crd.gov.pl/wzor/2013/12/12/1410/"/>`, false},
		{"Dokument without a namespace", `<Dokument/>`, false},
		{"not XML", `%PDF-1.4`, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := epuap.IsPoswiadczenie([]byte(tt.doc)); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
