package testpki

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
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
	// crypto/rand, not the PKI's seeded stream: the signature is random
	// anyway (ECDSA), and the PKI stays read-only once built, so that
	// RevocationHandler may serve CRLs concurrently.
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, issuer.Cert, issuer.Key)
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

// RevocationHandler serves the PKI's revocation data over HTTP at the
// paths Options.BaseURL puts into certificates, answering as of now():
//
//   - POST /ocsp/<ca> with a DER OCSP request (application/ocsp-request,
//     RFC 6960 appendix A.1): the answer of RespondOCSP;
//   - GET /ocsp/<ca>/<base64 request>, the same by GET;
//   - GET /crl/<ca>.crl: the CRL of the CA named <ca> (Entity.Name).
//
// Tests mount it on an httptest.Server (see Options.BaseURL) and wrap it
// to make a service fail.
func (p *PKI) RevocationHandler(now func() time.Time) http.Handler {
	mux := http.NewServeMux()
	answer := func(w http.ResponseWriter, req []byte) {
		resp, err := p.RespondOCSP(req, now())
		if err != nil {
			http.Error(w, "make OCSP response", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/ocsp-response")
		w.Write(resp)
	}
	mux.HandleFunc("POST /ocsp/{ca}", func(w http.ResponseWriter, r *http.Request) {
		req, err := io.ReadAll(io.LimitReader(r.Body, 1<<14))
		if err != nil {
			http.Error(w, "read request", http.StatusBadRequest)
			return
		}
		answer(w, req)
	})
	mux.HandleFunc("GET /ocsp/{ca}/{req...}", func(w http.ResponseWriter, r *http.Request) {
		req, err := base64.StdEncoding.DecodeString(r.PathValue("req"))
		if err != nil {
			http.Error(w, "request is not base64", http.StatusBadRequest)
			return
		}
		answer(w, req)
	})
	mux.HandleFunc("GET /crl/{file}", func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutSuffix(r.PathValue("file"), ".crl")
		var ca *Entity
		for _, e := range p.Entities() {
			if ok && e.Name == name && e.Cert.IsCA {
				ca = e
			}
		}
		if ca == nil {
			http.NotFound(w, r)
			return
		}
		crl, err := p.CRL(ca, now())
		if err != nil {
			http.Error(w, "make CRL", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/pkix-crl")
		w.Write(crl)
	})
	return mux
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
