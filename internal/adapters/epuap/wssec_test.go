package epuap_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/adapters/soap"
	"github.com/obieg/obieg/internal/adapters/wssec"
	"github.com/obieg/obieg/internal/adapters/wssec/wssectest"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// pki is a test PKI: an office's system certificate, another office's, a stranger's, and
// the simulated ePUAP's answer-signing certificate.
type pki struct {
	office, other, stranger, epuap *wssec.Signer
}

func newPKI(t testing.TB) pki {
	t.Helper()
	ca := wssectest.NewCA(t, "Test CA")
	signer := func(id wssectest.Identity) *wssec.Signer {
		s, err := wssec.NewSigner(id.Key, id.Cert)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	return pki{
		office:   signer(ca.Office(t, box.Podmiot)),
		other:    signer(ca.Office(t, "Inny_Urzad")),
		stranger: signer(ca.Office(t, "Obcy")),
		epuap:    signer(ca.EpuapSigner(t)),
	}
}

// newSecureSim starts a simulator that checks WS-Security, with box created and the
// office's and the other office's certificates registered, and returns it and its URL.
func newSecureSim(t testing.TB, p pki, answerSigner *wssec.Signer) (*epuapsim.Simulator, string) {
	t.Helper()
	clock := &stepClock{t: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
	sim := epuapsim.New(epuapsim.NewMemStore(), clock.Now, nil, epuapsim.WithWSSecurity(answerSigner))
	if _, err := sim.CreateBox(context.Background(), box.Podmiot, box.Name); err != nil {
		t.Fatal(err)
	}
	if err := sim.RegisterCertificate(box.Podmiot, p.office.Cert); err != nil {
		t.Fatal(err)
	}
	if err := sim.RegisterCertificate("Inny_Urzad", p.other.Cert); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	return sim, srv.URL
}

func TestPullWSSecurity(t *testing.T) {
	p := newPKI(t)
	sim, base := newSecureSim(t, p, p.epuap)
	url := base + schema.PullPath
	file(t, sim, "<a>podpisany</a>")
	if !sim.Certificate().Equal(p.epuap.Cert) {
		t.Fatalf("simulator answers with %q, want the ePUAP signing certificate", sim.Certificate().Subject.CommonName)
	}

	hc := &http.Client{Timeout: 10 * time.Second}
	c := epuap.NewPullClient(url, hc, box, epuap.WithSigner(p.office), epuap.WithPinnedCertificates(p.epuap.Cert))
	d, err := c.Next(t.Context())
	if err != nil {
		t.Fatalf("signed Next: %v", err)
	}
	if err := c.Confirm(t.Context(), d.Zawartosc); err != nil {
		t.Fatalf("signed Confirm: %v", err)
	}
	if n, err := c.Pending(t.Context()); err != nil || n != 0 {
		t.Fatalf("signed Pending: got %d, %v, want 0", n, err)
	}
	file(t, sim, "<a>nie dla obcych</a>")

	tests := []struct {
		name    string
		opts    []epuap.Option
		wantKod int   // a fault with this kod
		wantErr error // or this error
	}{
		{name: "unsigned", wantKod: epuapsim.KodBladPodpisu},
		{name: "unregistered certificate", opts: []epuap.Option{epuap.WithSigner(p.stranger)}, wantKod: epuapsim.KodBladPodpisu},
		{name: "certificate of another office", opts: []epuap.Option{epuap.WithSigner(p.other)}, wantKod: epuapsim.KodBrakUprawnien},
		{name: "answer signed by a certificate not pinned", opts: []epuap.Option{epuap.WithSigner(p.office), epuap.WithPinnedCertificates(p.office.Cert)}, wantErr: wssec.ErrUntrusted},
		{name: "fault verified too", opts: []epuap.Option{epuap.WithSigner(p.stranger), epuap.WithPinnedCertificates(p.epuap.Cert)}, wantKod: epuapsim.KodBladPodpisu},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := epuap.NewPullClient(url, hc, box, tt.opts...)
			d, err := c.Next(t.Context())
			if d != nil {
				t.Fatalf("got a delivery %s, want none", d.ID())
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || !errors.Is(err, epuap.ErrUnverified) {
					t.Fatalf("got %v, want %v", err, tt.wantErr)
				}
				return
			}
			var f *soap.Fault
			if !errors.As(err, &f) || f.Kod != tt.wantKod || f.Code != soap.FaultClient {
				t.Fatalf("got %v, want a Client fault with kod %d", err, tt.wantKod)
			}
		})
	}
	if n, err := c.Pending(t.Context()); err != nil || n != 1 {
		t.Fatalf("after refused requests: got %d waiting, %v, want 1", n, err)
	}
}

// TestPinnedUnsignedAnswer: with pinning on, an answer without a signature is an error,
// even a well-formed one.
func TestPinnedUnsignedAnswer(t *testing.T) {
	p := newPKI(t)
	_, base := newSecureSim(t, p, nil) // checks requests, does not sign answers
	c := epuap.NewPullClient(base+schema.PullPath, nil, box, epuap.WithSigner(p.office), epuap.WithPinnedCertificates(p.epuap.Cert))
	_, err := c.Pending(t.Context())
	var f *soap.Fault
	if !errors.Is(err, wssec.ErrUnsigned) || !errors.Is(err, epuap.ErrUnverified) || errors.As(err, &f) {
		t.Fatalf("got %v, want ErrUnverified wrapping wssec.ErrUnsigned", err)
	}
	// An unsigned fault is still the fault it claims to be, and unverified.
	err = c.Confirm(t.Context(), []byte("nie ma takiego"))
	if !errors.As(err, &f) || f.Kod != epuapsim.KodNieznanySkrot || !errors.Is(err, epuap.ErrUnverified) || !errors.Is(err, wssec.ErrUnsigned) {
		t.Fatalf("got %v, want an unverified fault with kod %d", err, epuapsim.KodNieznanySkrot)
	}
}
