package trust

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/obieg/obieg/internal/signatures/safexml"
	"github.com/obieg/obieg/internal/signatures/xades"
)

// ErrUntrustedList means a trusted list's signature did not validate
// against the pinned signer certificates.
var ErrUntrustedList = errors.New("trusted list signature not valid")

// VerifyList parses a trusted list and validates its signature at time at
// against the pinned signer certificates: exactly one signature, covering
// the whole list, ending TOTAL-PASSED with a signer among signers. It
// returns the list, the signature report (also on ErrUntrustedList) and
// an error. A list past its NextUpdate is returned without error; the
// caller decides whether a stale list is acceptable.
func VerifyList(ctx context.Context, doc []byte, signers []*x509.Certificate, at time.Time) (*List, *xades.SignatureReport, error) {
	if len(signers) == 0 {
		return nil, nil, fmt.Errorf("verify trusted list: no pinned signer certificates: %w", ErrUntrustedList)
	}
	d, err := safexml.ParseBytes(doc, safexml.Limits{})
	if err != nil {
		return nil, nil, fmt.Errorf("verify trusted list: %w", err)
	}
	l, err := ParseDocument(d)
	if err != nil {
		return nil, nil, fmt.Errorf("verify trusted list: %w", err)
	}
	rep, err := xades.VerifyDocument(ctx, d, xades.Options{ValidationTime: at, TrustAnchors: signers})
	if err != nil {
		return l, nil, fmt.Errorf("verify trusted list %s: %w", l.Territory, err)
	}
	if len(rep.Signatures) != 1 {
		return l, nil, fmt.Errorf("verify trusted list %s: %d signatures, want 1: %w", l.Territory, len(rep.Signatures), ErrUntrustedList)
	}
	s := rep.Signatures[0]
	whole := false
	for _, r := range s.References {
		if r.WholeDocument && r.DigestMatch {
			whole = true
		}
	}
	switch {
	case s.Indication != xades.TotalPassed:
		return l, s, fmt.Errorf("verify trusted list %s: %s/%s: %w", l.Territory, s.Indication, s.SubIndication, ErrUntrustedList)
	case !whole:
		return l, s, fmt.Errorf("verify trusted list %s: signature does not cover the whole list: %w", l.Territory, ErrUntrustedList)
	}
	return l, s, nil
}

// VerifyOptions returns xades options that trust the list's qualified CAs
// (List.Anchors) for signing certificates and its qualified time-stamping
// services (TSA/QTST) for time-stamps, as they stood at time at, validate
// at that time and qualify signatures with List.Qualify.
func (l *List) VerifyOptions(at time.Time) xades.Options {
	return xades.Options{
		ValidationTime:   at,
		TrustAnchors:     l.Anchors(at),
		TimestampAnchors: l.Anchors(at, TypeTSAQTST),
		Qualify:          l.Qualify,
	}
}

// Chain builds the chains from leaf, through the intermediates a signature
// carries, to one of the anchors, with every certificate valid at time at.
func Chain(leaf *x509.Certificate, intermediates, anchors []*x509.Certificate, at time.Time) ([][]*x509.Certificate, error) {
	roots := x509.NewCertPool()
	for _, a := range anchors {
		roots.AddCert(a)
	}
	inter := x509.NewCertPool()
	for _, c := range intermediates {
		inter.AddCert(c)
	}
	chains, err := leaf.Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: inter,
		CurrentTime:   at,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		return nil, fmt.Errorf("build chain for %s: %w", leaf.Subject, err)
	}
	return chains, nil
}
