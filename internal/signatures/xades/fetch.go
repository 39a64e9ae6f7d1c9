package xades

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/crypto/ocsp"
)

// RevocationFetcher gets revocation information about a certificate from
// outside the signature: its CA's OCSP responder or CRL. Verify asks it only
// when Options.Revocation is set and the signature carries no revocation
// data current for the certificate.
type RevocationFetcher interface {
	// Fetch returns a DER OCSP response or a DER CRL (one of them, or both)
	// about cert, issued by issuer. Verify checks what it returns exactly as
	// it checks the revocation data a signature carries, so a fetcher need
	// not be trusted. Fetch returns an error, and no data, when nothing could
	// be obtained: the certificate names no OCSP responder or CRL
	// (ErrNoRevocationSource), it must not be checked (ErrOCSPNoCheck), the
	// sources named are refused (ErrURLRefused), unreachable, too slow
	// (ctx) or answer wrongly (ErrRevocationFetch). Verify then leaves the
	// status unknown (INDETERMINATE/TRY_LATER).
	Fetch(ctx context.Context, cert, issuer *x509.Certificate) (ocspResponse, crl []byte, err error)
}

// Errors of HTTPFetcher.Fetch, tested with errors.Is.
var (
	// ErrNoRevocationSource means the certificate names neither an OCSP
	// responder (AIA) nor a CRL distribution point over HTTP.
	ErrNoRevocationSource = errors.New("no OCSP responder or CRL distribution point in the certificate")
	// ErrOCSPNoCheck means the certificate carries id-pkix-ocsp-nocheck
	// (RFC 6960 4.2.2.2.1): an OCSP responder's own certificate, which is
	// not checked.
	ErrOCSPNoCheck = errors.New("certificate carries id-pkix-ocsp-nocheck")
	// ErrURLRefused means a URL of the certificate was not fetched: not
	// http or https, or naming a host that is not public (see
	// FetchOptions.AllowPrivate).
	ErrURLRefused = errors.New("revocation URL refused")
	// ErrRevocationFetch means a responder or distribution point answered,
	// but not with usable revocation data about the certificate.
	ErrRevocationFetch = errors.New("revocation data fetch failed")
)

var oidOCSPNoCheck = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 5}

// FetchOptions control an HTTPFetcher. Every field has a usable zero value.
type FetchOptions struct {
	// AllowPrivate lets the fetcher connect to hosts that are not public:
	// loopback, private (RFC 1918, RFC 4193), link-local, CGNAT,
	// unspecified and multicast addresses. The URLs come from certificates,
	// and the certificates from documents anyone can file; a certificate
	// naming http://127.0.0.1:8080/admin or http://169.254.169.254/ as its
	// OCSP responder would otherwise make the office's server send requests
	// into its own network (server-side request forgery). The address
	// checked is the one connected to, after name resolution, so a name
	// that resolves to a private address is refused too. Set it only for
	// tests and for a CA inside the office's own network.
	AllowPrivate bool
	// MaxResponseSize caps an OCSP response or CRL read; default 8 MiB
	// (CRLs of large CAs run to megabytes). A bigger answer is an error.
	MaxResponseSize int64
	// MaxCacheEntries caps the answers kept; default 4096. When it is
	// reached, expired entries are dropped, then the cache is emptied.
	MaxCacheEntries int
	// Now is the clock the cache's expiry is read from; nil means
	// time.Now. An answer is kept until its nextUpdate, and not at all
	// without one. It is the only clock this package reads, and only to
	// forget answers: validation itself is at Options.ValidationTime.
	Now func() time.Time
}

// HTTPFetcher is a RevocationFetcher over HTTP: it asks the OCSP responders
// a certificate names in its Authority Information Access (an RFC 6960
// request by POST), and when none answers usefully it downloads the CRLs of
// the certificate's distribution points (RFC 5280). Only http and https
// URLs are used. Answers are kept per process, keyed by issuer and serial
// number, until their nextUpdate. It is safe for concurrent use.
type HTTPFetcher struct {
	client *http.Client
	opts   FetchOptions

	mu    sync.Mutex
	cache map[cacheKey]cacheEntry
}

var _ RevocationFetcher = (*HTTPFetcher)(nil)

type cacheKey struct {
	issuer [sha256.Size]byte
	serial string
}

type cacheEntry struct {
	ocsp, crl []byte
	until     time.Time
}

// NewHTTPFetcher returns a fetcher that makes its requests with a copy of
// client (nil: a client with a 10-second timeout), whose Timeout, with
// the ctx of each Fetch, bounds them. Unless opts.AllowPrivate is set, the
// copy's transport refuses to connect to addresses that are not public;
// that is enforced for an *http.Transport (or none); a client with another
// RoundTripper is used as it is, and only URLs naming such an address
// literally are refused. A proxy the transport uses is connected to under
// the same rule (the proxy, not the target, is what is dialled), so a
// proxy on a private address needs AllowPrivate. The transport's own
// DialContext and DialTLSContext are replaced then.
func NewHTTPFetcher(client *http.Client, opts FetchOptions) *HTTPFetcher {
	if opts.MaxResponseSize <= 0 {
		opts.MaxResponseSize = 8 << 20
	}
	if opts.MaxCacheEntries <= 0 {
		opts.MaxCacheEntries = 4096
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	c := &http.Client{Timeout: 10 * time.Second}
	if client != nil {
		cc := *client
		c = &cc
	}
	if !opts.AllowPrivate {
		var t *http.Transport
		switch rt := c.Transport.(type) {
		case nil:
			t = &http.Transport{Proxy: http.ProxyFromEnvironment}
			if dt, ok := http.DefaultTransport.(*http.Transport); ok {
				t = dt.Clone()
			}
		case *http.Transport:
			t = rt.Clone()
		}
		if t != nil {
			d := &net.Dialer{Timeout: 10 * time.Second, Control: refusePrivate}
			t.DialContext = d.DialContext
			t.DialTLSContext = nil
			c.Transport = t
		}
	}
	next := c.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := checkURL(req.URL, opts.AllowPrivate); err != nil {
			return err
		}
		if len(via) >= 3 {
			return fmt.Errorf("%d redirects: %w", len(via), ErrRevocationFetch)
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
	return &HTTPFetcher{client: c, opts: opts, cache: map[cacheKey]cacheEntry{}}
}

// refusePrivate is a net.Dialer Control function: it refuses a connection
// to an address that is not public.
func refusePrivate(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", address, ErrURLRefused)
	}
	if !public(ap.Addr()) {
		return fmt.Errorf("connect to %s, not a public address: %w", address, ErrURLRefused)
	}
	return nil
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// public says whether a is an address a revocation service on the
// Internet may have.
func public(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsValid() && a.IsGlobalUnicast() && !a.IsPrivate() && !cgnat.Contains(a)
}

// checkURL refuses what is not an http or https URL, and, without
// allowPrivate, a host that is "localhost" or an address that is not public.
func checkURL(u *url.URL, allowPrivate bool) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q, not http or https: %w", u.Redacted(), ErrURLRefused)
	}
	host := u.Hostname()
	if host == "" {
		return fmt.Errorf("%q has no host: %w", u.Redacted(), ErrURLRefused)
	}
	if allowPrivate {
		return nil
	}
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return fmt.Errorf("%q names the local host: %w", u.Redacted(), ErrURLRefused)
	}
	if a, err := netip.ParseAddr(host); err == nil && !public(a) {
		return fmt.Errorf("%q names an address that is not public: %w", u.Redacted(), ErrURLRefused)
	}
	return nil
}

// Fetch asks cert's OCSP responders, then downloads its CRLs, and returns
// the first answer about cert signed by issuer (or, for OCSP, by a
// responder issuer delegated to); an OCSP response signed otherwise, or
// saying "unknown", sends it on to the CRLs. Answers are cached until
// their nextUpdate. See RevocationFetcher for the errors.
func (f *HTTPFetcher) Fetch(ctx context.Context, cert, issuer *x509.Certificate) (ocspResponse, crl []byte, err error) {
	for _, e := range cert.Extensions {
		if e.Id.Equal(oidOCSPNoCheck) {
			return nil, nil, fmt.Errorf("fetch revocation data of %s: %w", cert.Subject.CommonName, ErrOCSPNoCheck)
		}
	}
	key := cacheKey{issuer: sha256.Sum256(issuer.Raw), serial: cert.SerialNumber.String()}
	if o, c, ok := f.cached(key); ok {
		return o, c, nil
	}
	if len(cert.OCSPServer) == 0 && len(cert.CRLDistributionPoints) == 0 {
		return nil, nil, fmt.Errorf("fetch revocation data of %s: %w", cert.Subject.CommonName, ErrNoRevocationSource)
	}
	var errs []error
	for _, u := range cert.OCSPServer {
		raw, next, err := f.fetchOCSP(ctx, u, cert, issuer)
		if err == nil {
			f.store(key, cacheEntry{ocsp: raw, until: next})
			return raw, nil, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	for _, u := range cert.CRLDistributionPoints {
		if ctx.Err() != nil {
			break
		}
		raw, next, err := f.fetchCRL(ctx, u, issuer)
		if err == nil {
			f.store(key, cacheEntry{crl: raw, until: next})
			return nil, raw, nil
		}
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		errs = append(errs, ctx.Err())
	}
	return nil, nil, fmt.Errorf("fetch revocation data of %s: %w", cert.Subject.CommonName, fetchErrors(errs))
}

// fetchErrors are the failures of every source tried, on one line (they
// go into report details), each testable with errors.Is.
type fetchErrors []error

func (e fetchErrors) Error() string {
	msgs := make([]string, len(e))
	for i, err := range e {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "; ")
}

func (e fetchErrors) Unwrap() []error { return e }

func (f *HTTPFetcher) cached(k cacheKey) (ocspResponse, crl []byte, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.cache[k]
	if !ok {
		return nil, nil, false
	}
	if !f.opts.Now().Before(e.until) {
		delete(f.cache, k)
		return nil, nil, false
	}
	return e.ocsp, e.crl, true
}

func (f *HTTPFetcher) store(k cacheKey, e cacheEntry) {
	if e.until.IsZero() {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.opts.Now()
	if !now.Before(e.until) {
		return
	}
	if len(f.cache) >= f.opts.MaxCacheEntries {
		for k, old := range f.cache {
			if !now.Before(old.until) {
				delete(f.cache, k)
			}
		}
		if len(f.cache) >= f.opts.MaxCacheEntries {
			clear(f.cache)
		}
	}
	f.cache[k] = e
}

// fetchOCSP posts an OCSP request about cert to the responder at u
// (RFC 6960 appendix A.1) and returns the response and its nextUpdate
// when it is a good or revoked status for cert.
func (f *HTTPFetcher) fetchOCSP(ctx context.Context, u string, cert, issuer *x509.Certificate) ([]byte, time.Time, error) {
	req, err := ocsp.CreateRequest(cert, issuer, &ocsp.RequestOptions{Hash: crypto.SHA1})
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("OCSP request: %w", err)
	}
	raw, err := f.get(ctx, http.MethodPost, u, "application/ocsp-request", "application/ocsp-response", req)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("OCSP %s: %w", u, err)
	}
	// Signed by the issuer or by a responder it delegated (a certificate it
	// issued with id-kp-OCSPSigning); anything else goes on to the CRL.
	resp, err := ocsp.ParseResponseForCert(raw, cert, issuer)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("OCSP %s: %w: %w", u, ErrRevocationFetch, err)
	}
	if rc := resp.Certificate; rc != nil && !rc.Equal(issuer) && !slices.Contains(rc.ExtKeyUsage, x509.ExtKeyUsageOCSPSigning) {
		return nil, time.Time{}, fmt.Errorf("OCSP %s: responder %s not authorised (no id-kp-OCSPSigning): %w", u, rc.Subject, ErrRevocationFetch)
	}
	if resp.Status != ocsp.Good && resp.Status != ocsp.Revoked {
		return nil, time.Time{}, fmt.Errorf("OCSP %s: status unknown: %w", u, ErrRevocationFetch)
	}
	return raw, resp.NextUpdate, nil
}

// fetchCRL downloads the CRL at u and returns it with its nextUpdate when
// issuer signed it.
func (f *HTTPFetcher) fetchCRL(ctx context.Context, u string, issuer *x509.Certificate) ([]byte, time.Time, error) {
	raw, err := f.get(ctx, http.MethodGet, u, "", "application/pkix-crl", nil)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("CRL %s: %w", u, err)
	}
	rl, err := x509.ParseRevocationList(raw)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("CRL %s: %w: %w", u, ErrRevocationFetch, err)
	}
	if !bytes.Equal(rl.RawIssuer, issuer.RawSubject) {
		return nil, time.Time{}, fmt.Errorf("CRL %s: issued by %s, not %s: %w", u, rl.Issuer, issuer.Subject, ErrRevocationFetch)
	}
	if err := rl.CheckSignatureFrom(issuer); err != nil {
		return nil, time.Time{}, fmt.Errorf("CRL %s: %w: %w", u, ErrRevocationFetch, err)
	}
	return raw, rl.NextUpdate, nil
}

// get makes one request and reads at most MaxResponseSize bytes of a 200
// answer.
func (f *HTTPFetcher) get(ctx context.Context, method, rawURL, contentType, accept string, body []byte) ([]byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrURLRefused, err)
	}
	if err := checkURL(u, f.opts.AllowPrivate); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", accept)
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP status %d: %w", resp.StatusCode, ErrRevocationFetch)
	}
	limit := f.opts.MaxResponseSize
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read answer: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("answer larger than %d bytes: %w", limit, ErrRevocationFetch)
	}
	return b, nil
}
