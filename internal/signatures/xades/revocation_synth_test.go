package xades

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"
)

// testPKI is a CA that issued a signing certificate; it makes CRLs and
// OCSP responses about it.
type testPKI struct {
	caKey  crypto.Signer
	ca     *x509.Certificate
	signer *testSigner
}

func newTestPKI(tb testing.TB) *testPKI {
	tb.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatalf("generate CA key: %v", err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "Test Qualified CA", Country: []string{"PL"}},
		NotBefore:             time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2034, 1, 1, 0, 0, 0, 0, time.UTC),
		BasicConstraintsValid: true,
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		tb.Fatalf("create CA: %v", err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatalf("generate key: %v", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(4242),
		Subject:      pkix.Name{CommonName: "Jan Kowalski", Country: []string{"PL"}, SerialNumber: "PNOPL-44051401359"},
		NotBefore:    time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:     x509.KeyUsageContentCommitment,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	if err != nil {
		tb.Fatalf("create signing certificate: %v", err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &testPKI{caKey: caKey, ca: ca, signer: &testSigner{key: key, cert: cert, method: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"}}
}

func (p *testPKI) crl(tb testing.TB, this, next time.Time, revoked bool, key crypto.Signer) []byte {
	tb.Helper()
	tmpl := &x509.RevocationList{Number: big.NewInt(7), ThisUpdate: this, NextUpdate: next}
	if revoked {
		tmpl.RevokedCertificateEntries = []x509.RevocationListEntry{{SerialNumber: p.signer.cert.SerialNumber, RevocationTime: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}}
	}
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, p.ca, key)
	if err != nil {
		tb.Fatalf("create CRL: %v", err)
	}
	return der
}

func (p *testPKI) ocsp(tb testing.TB, status int, at time.Time, responder *x509.Certificate, key crypto.Signer) []byte {
	tb.Helper()
	tmpl := ocsp.Response{
		Status: status, SerialNumber: p.signer.cert.SerialNumber,
		ThisUpdate: at, NextUpdate: at.Add(24 * time.Hour), ProducedAt: at,
		RevokedAt: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), Certificate: responder,
	}
	der, err := ocsp.CreateResponse(p.ca, responder, tmpl, key)
	if err != nil {
		tb.Fatalf("create OCSP response: %v", err)
	}
	return der
}

// withRevocationValues adds unsigned RevocationValues to a signed form.
func withRevocationValues(tb testing.TB, doc string, ocsps, crls [][]byte) string {
	tb.Helper()
	var b strings.Builder
	b.WriteString(`<xades:UnsignedProperties><xades:UnsignedSignatureProperties><xades:RevocationValues>`)
	if len(ocsps) > 0 {
		b.WriteString(`<xades:OCSPValues>`)
		for _, o := range ocsps {
			b.WriteString(`<xades:EncapsulatedOCSPValue>` + base64.StdEncoding.EncodeToString(o) + `</xades:EncapsulatedOCSPValue>`)
		}
		b.WriteString(`</xades:OCSPValues>`)
	}
	if len(crls) > 0 {
		b.WriteString(`<xades:CRLValues>`)
		for _, c := range crls {
			b.WriteString(`<xades:EncapsulatedCRLValue>` + base64.StdEncoding.EncodeToString(c) + `</xades:EncapsulatedCRLValue>`)
		}
		b.WriteString(`</xades:CRLValues>`)
	}
	b.WriteString(`</xades:RevocationValues></xades:UnsignedSignatureProperties></xades:UnsignedProperties>`)
	return mutate(tb, doc, "</xades:QualifyingProperties>", b.String()+"</xades:QualifyingProperties>")
}

func TestRevocation(t *testing.T) {
	pki := newTestPKI(t)
	signed := pki.signer.sign(t, formTemplate(envelopedTransform, podpisZP))
	signingTime := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC) // in formTemplate
	otherKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	after := signingTime.Add(time.Hour)

	// A delegated responder certified by the CA, and one without the EKU.
	responder := func(eku bool) (*x509.Certificate, crypto.Signer) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(99), Subject: pkix.Name{CommonName: "Test OCSP"},
			NotBefore: pki.ca.NotBefore, NotAfter: pki.ca.NotAfter, KeyUsage: x509.KeyUsageDigitalSignature,
		}
		if eku {
			tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, pki.ca, key.Public(), pki.caKey)
		if err != nil {
			t.Fatalf("create responder: %v", err)
		}
		c, _ := x509.ParseCertificate(der)
		return c, key
	}
	delegated, delegatedKey := responder(true)
	noEKU, noEKUKey := responder(false)

	tests := []struct {
		name    string
		ocsps   [][]byte
		crls    [][]byte
		wantInd Indication
		wantSub SubIndication
	}{
		{name: "no revocation data", wantInd: Indeterminate, wantSub: TryLater},
		{name: "CRL after signing, not revoked", crls: [][]byte{pki.crl(t, after, after.AddDate(0, 0, 7), false, pki.caKey)}, wantInd: TotalPassed},
		{name: "CRL current at signing", crls: [][]byte{pki.crl(t, signingTime.AddDate(0, 0, -1), signingTime.AddDate(0, 0, 6), false, pki.caKey)}, wantInd: TotalPassed},
		{name: "CRL expired before signing", crls: [][]byte{pki.crl(t, signingTime.AddDate(0, 0, -10), signingTime.AddDate(0, 0, -3), false, pki.caKey)}, wantInd: Indeterminate, wantSub: TryLater},
		{name: "CRL revokes the signer", crls: [][]byte{pki.crl(t, after, after.AddDate(0, 0, 7), true, pki.caKey)}, wantInd: Indeterminate, wantSub: RevokedNoPOE},
		{name: "CRL signed by another key", crls: [][]byte{pki.crl(t, after, after.AddDate(0, 0, 7), false, otherKey)}, wantInd: Indeterminate, wantSub: TryLater},
		{name: "OCSP good from the CA", ocsps: [][]byte{pki.ocsp(t, ocsp.Good, after, pki.ca, pki.caKey)}, wantInd: TotalPassed},
		{name: "OCSP good from a delegated responder", ocsps: [][]byte{pki.ocsp(t, ocsp.Good, after, delegated, delegatedKey)}, wantInd: TotalPassed},
		{name: "OCSP good from a responder without the EKU", ocsps: [][]byte{pki.ocsp(t, ocsp.Good, after, noEKU, noEKUKey)}, wantInd: Indeterminate, wantSub: TryLater},
		{name: "OCSP revoked", ocsps: [][]byte{pki.ocsp(t, ocsp.Revoked, after, pki.ca, pki.caKey)}, wantInd: Indeterminate, wantSub: RevokedNoPOE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := signed
			if tt.ocsps != nil || tt.crls != nil {
				doc = withRevocationValues(t, doc, tt.ocsps, tt.crls)
			}
			rep, err := Verify(context.Background(), []byte(doc), Options{ValidationTime: validationTime, TrustAnchors: []*x509.Certificate{pki.ca}})
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			s := rep.Signatures[0]
			if s.Indication != tt.wantInd || s.SubIndication != tt.wantSub {
				t.Errorf("got %s/%s, want %s/%s; checks %+v", s.Indication, s.SubIndication, tt.wantInd, tt.wantSub, s.Checks)
			}
		})
	}
}
