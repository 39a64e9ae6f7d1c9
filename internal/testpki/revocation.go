package testpki

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"fmt"
	"math/big"
	"time"

	"golang.org/x/crypto/ocsp"
)

// OCSPResponse answers for c at time at: good, or revoked when the PKI
// revoked it. Certificates of QualifiedCA are answered by the delegated
// responder OCSP, others by their issuer itself.
func (p *PKI) OCSPResponse(c *x509.Certificate, at time.Time) ([]byte, error) {
	issuer := p.issuerOf(c)
	if issuer == nil {
		return nil, fmt.Errorf("testpki: OCSP: no issuer of %s in the PKI", c.Subject)
	}
	responder := issuer
	if issuer == p.QualifiedCA {
		responder = p.OCSP
	}
	tmpl := ocsp.Response{
		Status:       ocsp.Good,
		SerialNumber: c.SerialNumber,
		ThisUpdate:   at,
		NextUpdate:   at.Add(24 * time.Hour),
		ProducedAt:   at,
	}
	if responder != issuer {
		tmpl.Certificate = responder.Cert
	}
	if t, ok := p.revoked[c.SerialNumber.String()]; ok && !t.After(at) {
		tmpl.Status, tmpl.RevokedAt, tmpl.RevocationReason = ocsp.Revoked, t, ocsp.KeyCompromise
	}
	der, err := ocsp.CreateResponse(issuer.Cert, responder.Cert, tmpl, responder.Key)
	if err != nil {
		return nil, fmt.Errorf("testpki: OCSP response for %s: %w", c.Subject, err)
	}
	return der, nil
}

// RespondOCSP answers a DER OCSP request at time at, as an OCSP
// responder would (unknown certificates get an "unauthorized" error).
func (p *PKI) RespondOCSP(req []byte, at time.Time) ([]byte, error) {
	r, err := ocsp.ParseRequest(req)
	if err != nil {
		return ocsp.MalformedRequestErrorResponse, nil
	}
	for _, e := range p.Entities() {
		if e.Cert.SerialNumber.Cmp(r.SerialNumber) != 0 || e.Issuer == nil {
			continue
		}
		h := r.HashAlgorithm.New()
		h.Write(e.Issuer.Cert.RawSubject)
		if bytes.Equal(h.Sum(nil), r.IssuerNameHash) {
			return p.OCSPResponse(e.Cert, at)
		}
	}
	return ocsp.UnauthorizedErrorResponse, nil
}

// CRL is the revocation list of issuer at time at, valid for a week,
// listing what it revoked before at.
func (p *PKI) CRL(issuer *Entity, at time.Time) ([]byte, error) {
	tmpl := &x509.RevocationList{
		Number:     big.NewInt(at.Unix()),
		ThisUpdate: at,
		NextUpdate: at.AddDate(0, 0, 7),
	}
	for _, e := range p.Entities() {
		if e.Issuer != issuer {
			continue
		}
		if t, ok := p.revoked[e.Cert.SerialNumber.String()]; ok && !t.After(at) {
			tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries, x509.RevocationListEntry{SerialNumber: e.Cert.SerialNumber, RevocationTime: t})
		}
	}
	der, err := x509.CreateRevocationList(p.rng, tmpl, issuer.Cert, issuer.Key)
	if err != nil {
		return nil, fmt.Errorf("testpki: CRL of %s: %w", issuer.Cert.Subject, err)
	}
	return der, nil
}

// ValidationData returns the revocation data a signature by e made at
// time at should carry: an OCSP response for e and a CRL of every CA above
// it, so that a verifier anchored on any certificate of the chain needs
// nothing online.
func (p *PKI) ValidationData(e *Entity, at time.Time) (ocsps, crls [][]byte, err error) {
	o, err := p.OCSPResponse(e.Cert, at)
	if err != nil {
		return nil, nil, err
	}
	ocsps = append(ocsps, o)
	for i := e.Issuer; i != nil && i.Issuer != nil; i = i.Issuer {
		c, err := p.CRL(i.Issuer, at)
		if err != nil {
			return nil, nil, err
		}
		crls = append(crls, c)
	}
	return ocsps, crls, nil
}

func (p *PKI) issuerOf(c *x509.Certificate) *Entity {
	for _, e := range p.Entities() {
		if e.Cert.Equal(c) {
			return e.Issuer
		}
	}
	for _, e := range p.Entities() {
		if bytes.Equal(e.Cert.RawSubject, c.RawIssuer) && c.CheckSignatureFrom(e.Cert) == nil {
			return e
		}
	}
	return nil
}

var _ crypto.Signer = (*Entity)(nil)
