package xades

import (
	"bytes"
	"context"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/beevik/etree"
	"golang.org/x/crypto/ocsp"
)

// revocationData is the OCSP responses and CRLs a signature carries in
// xades:RevocationValues (XAdES-X-L, -LT and later).
type revocationData struct {
	ocsp [][]byte
	crls [][]byte
}

func revocationValues(sig *etree.Element) revocationData {
	var rd revocationData
	for _, obj := range dsChildren(sig, "Object") {
		for _, qp := range childrenXAdES(obj, "QualifyingProperties") {
			up := childXAdES(qp, "UnsignedProperties")
			if up == nil {
				continue
			}
			usp := childXAdES(up, "UnsignedSignatureProperties")
			if usp == nil {
				continue
			}
			for _, rv := range childrenXAdES(usp, "RevocationValues") {
				if ov := childXAdES(rv, "OCSPValues"); ov != nil {
					for _, e := range childrenXAdES(ov, "EncapsulatedOCSPValue") {
						if b, err := base64.StdEncoding.DecodeString(stripSpace(e.Text())); err == nil {
							rd.ocsp = append(rd.ocsp, b)
						}
					}
				}
				if cv := childXAdES(rv, "CRLValues"); cv != nil {
					for _, e := range childrenXAdES(cv, "EncapsulatedCRLValue") {
						if b, err := base64.StdEncoding.DecodeString(stripSpace(e.Text())); err == nil {
							rd.crls = append(rd.crls, b)
						}
					}
				}
			}
		}
	}
	const maxItems = 64
	rd.ocsp = rd.ocsp[:min(len(rd.ocsp), maxItems)]
	rd.crls = rd.crls[:min(len(rd.crls), maxItems)]
	return rd
}

type revStatus int

const (
	revUnknown revStatus = iota
	revGood
	revRevoked
)

// current says whether revocation data issued at thisUpdate, with its
// next update at nextUpdate (zero if none), speaks for the time ref: it
// was issued after ref, or was still the current information at ref.
func current(thisUpdate, nextUpdate, ref time.Time) bool {
	if !thisUpdate.Before(ref) {
		return true
	}
	return !nextUpdate.IsZero() && !nextUpdate.Before(ref)
}

// status finds the status of cert, issued by issuer, in the revocation
// data: an OCSP response about this very certificate (CertID serial,
// issuer name and key hashes) signed by the issuer, by a responder it
// delegated, or by an OCSP responder that chains to the trust anchors; or a
// CRL signed by the issuer. Data that does not speak for the time ref
// (see current) is skipped.
func (v *verifier) revocationStatus(rd revocationData, cert, issuer *x509.Certificate, ref time.Time, pool *x509.CertPool) (revStatus, time.Time, string) {
	stale := ""
	for _, raw := range rd.ocsp {
		resp, err := ocsp.ParseResponseForCert(raw, cert, issuer)
		if err != nil {
			// Not signed by the issuer or its delegate: a responder the
			// anchors trust directly (RFC 6960 4.2.2.2, trusted responder).
			resp, err = ocsp.ParseResponseForCert(raw, cert, nil)
			if err != nil || resp.Certificate == nil || !v.trustedResponder(resp, pool) {
				continue
			}
		}
		if !ocspAbout(resp, cert, issuer) {
			continue
		}
		if rc := resp.Certificate; rc != nil && !rc.Equal(issuer) {
			if !slices.Contains(rc.ExtKeyUsage, x509.ExtKeyUsageOCSPSigning) ||
				resp.ProducedAt.Before(rc.NotBefore) || resp.ProducedAt.After(rc.NotAfter) {
				continue
			}
		}
		what := "OCSP response produced " + resp.ProducedAt.Format(time.RFC3339)
		switch resp.Status {
		case ocsp.Revoked:
			return revRevoked, resp.RevokedAt, what
		case ocsp.Good:
			if !current(resp.ThisUpdate, resp.NextUpdate, ref) {
				stale = what + ", not current at " + ref.Format(time.RFC3339)
				continue
			}
			return revGood, resp.ThisUpdate, what
		}
	}
	for _, raw := range rd.crls {
		rl, err := x509.ParseRevocationList(raw)
		if err != nil || !bytes.Equal(rl.RawIssuer, issuer.RawSubject) || rl.CheckSignatureFrom(issuer) != nil {
			continue
		}
		what := "CRL issued " + rl.ThisUpdate.Format(time.RFC3339)
		for _, e := range rl.RevokedCertificateEntries {
			if e.SerialNumber != nil && e.SerialNumber.Cmp(cert.SerialNumber) == 0 {
				return revRevoked, e.RevocationTime, what
			}
		}
		if !current(rl.ThisUpdate, rl.NextUpdate, ref) {
			stale = what + ", not current at " + ref.Format(time.RFC3339)
			continue
		}
		return revGood, rl.ThisUpdate, what
	}
	if stale != "" {
		return revUnknown, time.Time{}, stale
	}
	if len(rd.ocsp)+len(rd.crls) == 0 {
		return revUnknown, time.Time{}, "no OCSP response or CRL for it in the signature"
	}
	return revUnknown, time.Time{}, "no OCSP response or CRL about it from its issuer or an authorised responder"
}

// trustedResponder says whether the certificate that signed resp is an
// OCSP responder chaining to the trust anchors at the time it answered.
func (v *verifier) trustedResponder(resp *ocsp.Response, pool *x509.CertPool) bool {
	rc := resp.Certificate
	if !slices.Contains(rc.ExtKeyUsage, x509.ExtKeyUsageOCSPSigning) {
		return false
	}
	roots := x509.NewCertPool()
	for _, a := range v.opts.TrustAnchors {
		roots.AddCert(a)
	}
	_, err := rc.Verify(x509.VerifyOptions{Roots: roots, Intermediates: pool, CurrentTime: resp.ProducedAt, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}})
	return err == nil
}

// ocspAbout checks that the single response names cert's issuer, by the
// hashes of its name and key, and not only its serial number.
func ocspAbout(resp *ocsp.Response, cert, issuer *x509.Certificate) bool {
	var basic struct {
		TBS asn1.RawValue
	}
	var outer struct {
		Status   asn1.Enumerated
		Response struct {
			Type  asn1.ObjectIdentifier
			Bytes []byte
		} `asn1:"explicit,tag:0"`
	}
	if _, err := asn1.Unmarshal(resp.Raw, &outer); err != nil {
		return false
	}
	if _, err := asn1.Unmarshal(outer.Response.Bytes, &basic); err != nil {
		return false
	}
	id, ok := singleCertIDs(basic.TBS.FullBytes)
	if !ok {
		return false
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		Key       asn1.BitString
	}
	if _, err := asn1.Unmarshal(issuer.RawSubjectPublicKeyInfo, &spki); err != nil {
		return false
	}
	for _, c := range id {
		h, ok := hashOIDs[c.HashAlgorithm.Algorithm.String()]
		if !ok || c.SerialNumber == nil || c.SerialNumber.Cmp(cert.SerialNumber) != 0 {
			continue
		}
		if bytes.Equal(c.IssuerNameHash, digestOf(h, issuer.RawSubject)) && bytes.Equal(c.IssuerKeyHash, digestOf(h, spki.Key.RightAlign())) {
			return true
		}
	}
	return false
}

type certID struct {
	HashAlgorithm  pkix.AlgorithmIdentifier
	IssuerNameHash []byte
	IssuerKeyHash  []byte
	SerialNumber   *big.Int
}

// singleCertIDs reads the CertIDs of the SingleResponses of a DER
// ResponseData.
func singleCertIDs(tbsDER []byte) ([]certID, bool) {
	var seq asn1.RawValue
	if _, err := asn1.Unmarshal(tbsDER, &seq); err != nil {
		return nil, false
	}
	rest := seq.Bytes
	var el asn1.RawValue
	var err error
	// version [0] EXPLICIT (optional), responderID [1] or [2], producedAt.
	for {
		if rest, err = asn1.Unmarshal(rest, &el); err != nil {
			return nil, false
		}
		if el.Class == asn1.ClassUniversal && el.Tag == asn1.TagGeneralizedTime {
			break
		}
	}
	var responses asn1.RawValue
	if _, err = asn1.Unmarshal(rest, &responses); err != nil || responses.Tag != asn1.TagSequence {
		return nil, false
	}
	var out []certID
	items := responses.Bytes
	for len(items) > 0 {
		var single asn1.RawValue
		if items, err = asn1.Unmarshal(items, &single); err != nil {
			return nil, false
		}
		var id certID
		if _, err := asn1.Unmarshal(single.Bytes, &id); err != nil {
			return nil, false
		}
		out = append(out, id)
	}
	return out, true
}

// checkRevocation checks every certificate of the chain but the anchor
// against the revocation data the signature carries and, when that says
// nothing current about a certificate and Options.Revocation is set,
// against what the fetcher brings.
func (v *verifier) checkRevocation(ctx context.Context, s *sigState, chain []*x509.Certificate) {
	if len(chain) <= 1 {
		s.check("revocation status", Passed, "", "the signing certificate is itself a trust anchor")
		return
	}
	rd := revocationValues(s.el)
	// The information must speak for the time the signature was made: the
	// claimed signing time, or the earliest trusted proof of existence.
	ref := v.opts.ValidationTime
	if s.rep.ClaimedSigningTime != nil {
		ref = *s.rep.ClaimedSigningTime
	}
	poe := s.proofOfExistence()
	if poe != nil && poe.Before(ref) {
		ref = *poe
	}
	pool := x509.NewCertPool()
	for _, kc := range s.certs {
		if kc.cert != nil {
			pool.AddCert(kc.cert)
		}
	}
	for i := 0; i < len(chain)-1; i++ {
		c, issuer := chain[i], chain[i+1]
		name := "revocation status of " + c.Subject.CommonName
		st, when, detail := v.revocationStatus(rd, c, issuer, ref, pool)
		if st == revUnknown && v.opts.Revocation != nil {
			st, when, detail = v.fetchRevocation(ctx, s, c, issuer, ref, pool, detail)
		}
		switch st {
		case revGood:
			s.check(name, Passed, "", "not revoked: "+detail)
		case revRevoked:
			if poe != nil && poe.Before(when) {
				s.check(name, Passed, "", fmt.Sprintf("revoked %s, after a trusted time-stamp proves the signature existed (%s)", when.Format(time.RFC3339), detail))
				continue
			}
			sub := RevokedNoPOE
			if i > 0 {
				sub = RevokedCANoPOE
			}
			s.check(name, Failed, sub, fmt.Sprintf("revoked %s (%s)", when.Format(time.RFC3339), detail))
		default:
			if v.opts.Revocation == nil {
				detail += "; online OCSP/CRL is not used"
			}
			s.check(name, Unknown, TryLater, "revocation status unknown: "+detail)
		}
	}
}

// fetchRevocation asks Options.Revocation about c and checks the answer
// as revocationStatus checks embedded data. It records where the data came
// from in an INFO check; embedded is what the signature's own data said.
func (v *verifier) fetchRevocation(ctx context.Context, s *sigState, c, issuer *x509.Certificate, ref time.Time, pool *x509.CertPool, embedded string) (revStatus, time.Time, string) {
	name := "online revocation data of " + c.Subject.CommonName
	o, crl, err := v.opts.Revocation.Fetch(ctx, c, issuer)
	if err != nil {
		s.check(name, Info, "", "not obtained: "+err.Error())
		return revUnknown, time.Time{}, embedded + "; online: " + err.Error()
	}
	var fetched revocationData
	if o != nil {
		fetched.ocsp = [][]byte{o}
	}
	if crl != nil {
		fetched.crls = [][]byte{crl}
	}
	st, when, detail := v.revocationStatus(fetched, c, issuer, ref, pool)
	if st == revUnknown {
		s.check(name, Info, "", "fetched from the network, not usable: "+detail)
		return revUnknown, time.Time{}, embedded + "; online: " + detail
	}
	detail += ", fetched from the network"
	s.check(name, Info, "", detail)
	return st, when, detail
}
