package xades_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/testpki"
	"github.com/obieg/obieg/internal/signatures/xades"
	"golang.org/x/crypto/ocsp"
)

// revocationServer is a test PKI whose certificates name an OCSP responder
// and CRLs served by an httptest.Server, each of which a test can take down.
type revocationServer struct {
	p                 *testpki.PKI
	url               string
	handler           atomic.Pointer[http.Handler]
	ocspDown, crlDown atomic.Bool
	// rogueOCSP makes the responder sign with a key the CA never delegated.
	rogueOCSP atomic.Bool
	// ocspHits counts OCSP requests, crlHits CRL downloads, caCRLHits
	// those of the qualified CA's CRL (the leaves' distribution point).
	ocspHits, crlHits, caCRLHits atomic.Int32
	respondAt, fetchAt           time.Time
}

// newRevocationServer builds a test PKI whose certificates point to a
// server it starts, answering as of an hour after signedAt.
func newRevocationServer(tb testing.TB) *revocationServer {
	tb.Helper()
	rs := &revocationServer{respondAt: signedAt.Add(time.Hour), fetchAt: signedAt.Add(2 * time.Hour)}
	// The server starts first, so that its URL can go into the
	// certificates; the handler is set once the PKI is built.
	srv := httptest.NewServer(rs)
	tb.Cleanup(srv.Close)
	rs.url = srv.URL
	p, err := testpki.New(testpki.Options{Seed: 11, At: signedAt, BaseURL: srv.URL})
	if err != nil {
		tb.Fatalf("test PKI: %v", err)
	}
	rs.p = p
	h := p.RevocationHandler(func() time.Time { return rs.respondAt })
	rs.handler.Store(&h)
	return rs
}

// reset brings the services back up and zeroes the counters.
func (rs *revocationServer) reset() {
	rs.ocspDown.Store(false)
	rs.rogueOCSP.Store(false)
	rs.crlDown.Store(false)
	rs.ocspHits.Store(0)
	rs.crlHits.Store(0)
	rs.caCRLHits.Store(0)
}

func (rs *revocationServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/ocsp/"):
		rs.ocspHits.Add(1)
		if rs.ocspDown.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		if rs.rogueOCSP.Load() {
			rs.rogue(w, r)
			return
		}
	case strings.HasPrefix(r.URL.Path, "/crl/"):
		rs.crlHits.Add(1)
		if r.URL.Path == "/crl/qualified-ca.crl" {
			rs.caCRLHits.Add(1)
		}
		if rs.crlDown.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
	}
	h := rs.handler.Load()
	if h == nil {
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	(*h).ServeHTTP(w, r)
}

// rogue answers "good" about the certificate asked for, signed by the
// untrusted root with its certificate attached.
func (rs *revocationServer) rogue(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req, err := ocsp.ParseRequest(body)
	if err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	bad := rs.p.UntrustedRoot
	resp, err := ocsp.CreateResponse(rs.p.QualifiedCA.Cert, bad.Cert, ocsp.Response{
		Status: ocsp.Good, SerialNumber: req.SerialNumber, ThisUpdate: rs.respondAt, NextUpdate: rs.respondAt.Add(24 * time.Hour), Certificate: bad.Cert,
	}, bad.Key)
	if err != nil {
		http.Error(w, "sign", http.StatusInternalServerError)
		return
	}
	w.Write(resp)
}

// fetcher is an HTTP fetcher allowed to reach the test server on 127.0.0.1.
func (rs *revocationServer) fetcher() *xades.HTTPFetcher {
	return xades.NewHTTPFetcher(&http.Client{Timeout: 5 * time.Second}, xades.FetchOptions{AllowPrivate: true, Now: func() time.Time { return rs.fetchAt }})
}

// signedWithoutRevocation is a XAdES-B-B signature by e carrying its chain
// but no revocation data.
func signedWithoutRevocation(tb testing.TB, e *testpki.Entity) []byte {
	tb.Helper()
	return sign(tb, e, xades.SignOptions{SigningTime: signedAt})
}

func findCheck(s *xades.SignatureReport, prefix string) (xades.Check, bool) {
	for _, c := range s.Checks {
		if strings.HasPrefix(c.Name, prefix) {
			return c, true
		}
	}
	return xades.Check{}, false
}

func TestOnlineRevocation(t *testing.T) {
	tests := []struct {
		name              string
		revoked           bool
		noFetcher         bool
		strict            bool // no AllowPrivate: the test server is refused
		ocspDown, crlDown bool
		rogueOCSP         bool
		wantInd           xades.Indication
		wantSub           xades.SubIndication
		// wantDetail is in the leaf's revocation check.
		wantDetail             string
		wantOCSPHits, wantCRLs bool
	}{
		{name: "no fetcher", noFetcher: true, wantInd: xades.Indeterminate, wantSub: xades.TryLater, wantDetail: "online OCSP/CRL is not used"},
		{name: "OCSP good", wantInd: xades.TotalPassed, wantDetail: "OCSP response produced", wantOCSPHits: true},
		{name: "OCSP revoked", revoked: true, wantInd: xades.Indeterminate, wantSub: xades.RevokedNoPOE, wantDetail: "OCSP response produced", wantOCSPHits: true},
		{name: "OCSP down, CRL good", ocspDown: true, wantInd: xades.TotalPassed, wantDetail: "CRL issued", wantOCSPHits: true, wantCRLs: true},
		{name: "OCSP down, CRL revoked", revoked: true, ocspDown: true, wantInd: xades.Indeterminate, wantSub: xades.RevokedNoPOE, wantDetail: "CRL issued", wantOCSPHits: true, wantCRLs: true},
		{name: "rogue OCSP responder, CRL used", rogueOCSP: true, wantInd: xades.TotalPassed, wantDetail: "CRL issued", wantOCSPHits: true, wantCRLs: true},
		{name: "rogue OCSP responder, CRL down", rogueOCSP: true, crlDown: true, wantInd: xades.Indeterminate, wantSub: xades.TryLater, wantDetail: "bad OCSP signature", wantOCSPHits: true, wantCRLs: true},
		{name: "both down", ocspDown: true, crlDown: true, wantInd: xades.Indeterminate, wantSub: xades.TryLater, wantDetail: "HTTP status 503", wantOCSPHits: true, wantCRLs: true},
		{name: "private host refused", strict: true, wantInd: xades.Indeterminate, wantSub: xades.TryLater, wantDetail: "revocation URL refused"},
	}
	rs := newRevocationServer(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs.reset()
			rs.ocspDown.Store(tt.ocspDown)
			rs.crlDown.Store(tt.crlDown)
			rs.rogueOCSP.Store(tt.rogueOCSP)
			e := rs.p.Citizen
			if tt.revoked {
				e = rs.p.Revoked
			}
			doc := signedWithoutRevocation(t, e)
			opts := xades.Options{ValidationTime: validateAt, TrustAnchors: []*x509.Certificate{rs.p.Root.Cert}}
			switch {
			case tt.noFetcher:
			case tt.strict:
				opts.Revocation = xades.NewHTTPFetcher(nil, xades.FetchOptions{})
			default:
				opts.Revocation = rs.fetcher()
			}
			rep, err := xades.Verify(context.Background(), doc, opts)
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			s := rep.Signatures[0]
			if s.Indication != tt.wantInd || s.SubIndication != tt.wantSub {
				t.Errorf("got %s/%s, want %s/%s", s.Indication, s.SubIndication, tt.wantInd, tt.wantSub)
				for _, c := range s.Checks {
					t.Logf("%s: %s %s %s", c.Name, c.Status, c.SubIndication, c.Detail)
				}
			}
			c, ok := findCheck(s, "revocation status of "+e.Cert.Subject.CommonName)
			if !ok || !strings.Contains(c.Detail, tt.wantDetail) {
				t.Errorf("got revocation check %+v, want its detail to contain %q", c, tt.wantDetail)
			}
			online, ok := findCheck(s, "online revocation data of "+e.Cert.Subject.CommonName)
			t.Logf("%s; %s", c.Detail, online.Detail)
			switch {
			case tt.noFetcher && ok:
				t.Errorf("got check %+v without a fetcher, want none", online)
			case !tt.noFetcher && (!ok || online.Status != xades.Info):
				t.Errorf("got online check %+v (found %v), want an INFO one", online, ok)
			case tt.wantInd == xades.TotalPassed && !strings.Contains(online.Detail, "fetched from the network"):
				t.Errorf("got online check detail %q, want it to say the data was fetched from the network", online.Detail)
			}
			if got := rs.ocspHits.Load() > 0; got != tt.wantOCSPHits {
				t.Errorf("got OCSP requests: %v, want %v", got, tt.wantOCSPHits)
			}
			if got := rs.caCRLHits.Load() > 0; got != tt.wantCRLs {
				t.Errorf("got requests for the leaf's CRL: %v, want %v", got, tt.wantCRLs)
			}
			if (tt.noFetcher || tt.strict) && rs.crlHits.Load()+rs.ocspHits.Load() != 0 {
				t.Errorf("got %d OCSP and %d CRL requests, want none", rs.ocspHits.Load(), rs.crlHits.Load())
			}
		})
	}
}

func TestOnlineRevocationEmbeddedFirst(t *testing.T) {
	rs := newRevocationServer(t)
	opts, err := rs.p.SignOptions(rs.p.Citizen, signedAt)
	if err != nil {
		t.Fatal(err)
	}
	doc := sign(t, rs.p.Citizen, opts)
	rep, err := xades.Verify(context.Background(), doc, xades.Options{ValidationTime: validateAt, TrustAnchors: []*x509.Certificate{rs.p.Root.Cert}, Revocation: rs.fetcher()})
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if s := rep.Signatures[0]; s.Indication != xades.TotalPassed {
		t.Errorf("got %s/%s, want TOTAL-PASSED", s.Indication, s.SubIndication)
	}
	if n := rs.ocspHits.Load() + rs.crlHits.Load(); n != 0 {
		t.Errorf("got %d requests with current embedded data, want none", n)
	}
}

func TestFetchCache(t *testing.T) {
	rs := newRevocationServer(t)
	f := rs.fetcher()
	ctx := context.Background()
	c, issuer := rs.p.Citizen.Cert, rs.p.QualifiedCA.Cert
	for i := range 2 {
		o, crl, err := f.Fetch(ctx, c, issuer)
		if err != nil || o == nil || crl != nil {
			t.Fatalf("fetch %d: got OCSP %d bytes, CRL %d bytes, error %v; want an OCSP response", i, len(o), len(crl), err)
		}
	}
	if n := rs.ocspHits.Load(); n != 1 {
		t.Errorf("got %d OCSP requests for two fetches, want 1", n)
	}
	// The response is good for a day: past its nextUpdate it is asked again.
	rs.fetchAt = rs.fetchAt.Add(48 * time.Hour)
	if _, _, err := f.Fetch(ctx, c, issuer); err != nil {
		t.Fatalf("fetch after nextUpdate: %v", err)
	}
	if n := rs.ocspHits.Load(); n != 2 {
		t.Errorf("got %d OCSP requests after nextUpdate passed, want 2", n)
	}
	// A CRL answer is cached too.
	rs.ocspDown.Store(true)
	if _, _, err := f.Fetch(ctx, rs.p.CitizenRSA.Cert, issuer); err != nil {
		t.Fatalf("fetch from the CRL: %v", err)
	}
	if _, _, err := f.Fetch(ctx, rs.p.CitizenRSA.Cert, issuer); err != nil {
		t.Fatalf("fetch from the CRL again: %v", err)
	}
	if n := rs.crlHits.Load(); n != 1 {
		t.Errorf("got %d CRL requests for two fetches, want 1", n)
	}
}

func TestFetchRefused(t *testing.T) {
	rs := newRevocationServer(t)
	ctx := context.Background()
	withURL := func(ocspURL string) *x509.Certificate {
		c := *rs.p.Citizen.Cert
		c.OCSPServer, c.CRLDistributionPoints = []string{ocspURL}, nil
		return &c
	}
	tests := []struct {
		name    string
		cert    *x509.Certificate
		private bool
		wantErr error
	}{
		{name: "file URL", cert: withURL("file:///etc/passwd"), private: true, wantErr: xades.ErrURLRefused},
		{name: "ldap URL", cert: withURL("ldap://ldap.example.invalid/cn=CA"), private: true, wantErr: xades.ErrURLRefused},
		{name: "loopback", cert: withURL(rs.url + "/ocsp/qualified-ca"), wantErr: xades.ErrURLRefused},
		{name: "localhost", cert: withURL("http://localhost:1/ocsp"), wantErr: xades.ErrURLRefused},
		{name: "cloud metadata", cert: withURL("http://169.254.169.254/latest/meta-data/"), wantErr: xades.ErrURLRefused},
		{name: "private network", cert: withURL("http://10.1.2.3/ocsp"), wantErr: xades.ErrURLRefused},
		{name: "IPv6 loopback", cert: withURL("http://[::1]:80/ocsp"), wantErr: xades.ErrURLRefused},
		{name: "OCSP responder, nocheck", cert: rs.p.OCSP.Cert, private: true, wantErr: xades.ErrOCSPNoCheck},
		{name: "no source", cert: withURL(""), private: true, wantErr: xades.ErrURLRefused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := xades.NewHTTPFetcher(nil, xades.FetchOptions{AllowPrivate: tt.private})
			_, _, err := f.Fetch(ctx, tt.cert, rs.p.QualifiedCA.Cert)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("got error %v, want %v", err, tt.wantErr)
			}
		})
	}
	if n := rs.ocspHits.Load() + rs.crlHits.Load(); n != 0 {
		t.Errorf("got %d requests to the test server, want none", n)
	}
	t.Run("no OCSP or CRL URL", func(t *testing.T) {
		c := *rs.p.Citizen.Cert
		c.OCSPServer, c.CRLDistributionPoints = nil, nil
		_, _, err := xades.NewHTTPFetcher(nil, xades.FetchOptions{}).Fetch(ctx, &c, rs.p.QualifiedCA.Cert)
		if !errors.Is(err, xades.ErrNoRevocationSource) {
			t.Errorf("got error %v, want %v", err, xades.ErrNoRevocationSource)
		}
	})
}

// TestFetchAnswers checks what the fetcher does with answers it must not
// use: too big, a redirect to a file URL, another CA's CRL.
func TestFetchAnswers(t *testing.T) {
	rs := newRevocationServer(t)
	ctx := context.Background()
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte{0x30}, 4096))
	}))
	t.Cleanup(big.Close)
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	}))
	t.Cleanup(redirect.Close)
	withURLs := func(ocspURL, crlURL string) *x509.Certificate {
		c := *rs.p.Citizen.Cert
		c.OCSPServer, c.CRLDistributionPoints = nil, nil
		if ocspURL != "" {
			c.OCSPServer = []string{ocspURL}
		}
		if crlURL != "" {
			c.CRLDistributionPoints = []string{crlURL}
		}
		return &c
	}
	tests := []struct {
		name    string
		cert    *x509.Certificate
		wantErr error
		wantIn  string
	}{
		{name: "too big", cert: withURLs(big.URL, ""), wantErr: xades.ErrRevocationFetch, wantIn: "larger than 1024 bytes"},
		{name: "redirect to a file", cert: withURLs(redirect.URL, ""), wantErr: xades.ErrURLRefused},
		{name: "another CA's CRL", cert: withURLs("", rs.url+"/crl/root.crl"), wantErr: xades.ErrRevocationFetch, wantIn: "not"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := xades.NewHTTPFetcher(nil, xades.FetchOptions{AllowPrivate: true, MaxResponseSize: 1024})
			_, _, err := f.Fetch(ctx, tt.cert, rs.p.QualifiedCA.Cert)
			if !errors.Is(err, tt.wantErr) || err == nil || !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("got error %v, want %v mentioning %q", err, tt.wantErr, tt.wantIn)
			}
		})
	}
}

// TestFetchTimeout checks that a responder that does not answer is given
// up on when ctx ends, with the CRL tried no further.
func TestFetchTimeout(t *testing.T) {
	rs := newRevocationServer(t)
	hang := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-hang:
		}
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(hang) })
	c := *rs.p.Citizen.Cert
	c.OCSPServer = []string{slow.URL}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, _, err := rs.fetcher().Fetch(ctx, &c, rs.p.QualifiedCA.Cert)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got error %v, want %v", err, context.DeadlineExceeded)
	}
	if n := rs.caCRLHits.Load(); n != 0 {
		t.Errorf("got %d CRL requests after ctx ended, want none", n)
	}
}
