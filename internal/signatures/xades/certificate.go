package xades

import (
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/beevik/etree"
)

type keyCert struct {
	der         []byte
	cert        *x509.Certificate // nil when crypto/x509 cannot parse it
	ec          *ecKey            // a brainpool key crypto/x509 refuses
	info        *certInfo         // what could be read of such a certificate
	unsupported string            // why it could not be used
	// tolerated says what crypto/x509 refused and a tolerant parse
	// accepted (a negative serial number).
	tolerated string
	// pub is a key from ds:KeyValue (keyValue set), bound to no certificate.
	pub      crypto.PublicKey
	keyValue bool
}

// validity returns the certificate's validity period.
func (kc *keyCert) validity() (notBefore, notAfter time.Time, ok bool) {
	switch {
	case kc.cert != nil:
		return kc.cert.NotBefore, kc.cert.NotAfter, true
	case kc.info != nil && !kc.info.notAfter.IsZero():
		return kc.info.notBefore, kc.info.notAfter, true
	}
	return time.Time{}, time.Time{}, false
}

// keyInfoCerts returns the certificates of ds:KeyInfo/ds:X509Data.
func keyInfoCerts(sig *etree.Element) []*keyCert {
	ki := childDS(sig, "KeyInfo")
	if ki == nil {
		return nil
	}
	var out []*keyCert
	for _, xd := range dsChildren(ki, "X509Data") {
		for _, xc := range dsChildren(xd, "X509Certificate") {
			der, err := base64.StdEncoding.DecodeString(stripSpace(xc.Text()))
			if err != nil {
				continue
			}
			out = append(out, parseKeyCert(der))
			if len(out) >= 16 {
				return out
			}
		}
	}
	return out
}

const nsWSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"

// securityTokenCerts resolves a WS-Security KeyInfo, as ePUAP's SOAP
// signatures carry it: wsse:SecurityTokenReference/wsse:Reference URI="#id"
// to a wsse:BinarySecurityToken holding an X.509 certificate.
func (v *verifier) securityTokenCerts(sig *etree.Element) []*keyCert {
	ki := childDS(sig, "KeyInfo")
	if ki == nil {
		return nil
	}
	var out []*keyCert
	for _, str := range ki.ChildElements() {
		if str.Tag != "SecurityTokenReference" || str.NamespaceURI() != nsWSSE {
			continue
		}
		for _, ref := range str.ChildElements() {
			uri := ref.SelectAttrValue("URI", "")
			if ref.Tag != "Reference" || ref.NamespaceURI() != nsWSSE || !strings.HasPrefix(uri, "#") {
				continue
			}
			tok, err := v.byID(uri[1:])
			if err != nil || tok.Tag != "BinarySecurityToken" || tok.NamespaceURI() != nsWSSE {
				continue
			}
			der, err := base64.StdEncoding.DecodeString(stripSpace(tok.Text()))
			if err != nil {
				continue
			}
			out = append(out, parseKeyCert(der))
		}
	}
	return out
}

// certificateValues returns the certificates of the signature's XAdES
// CertificateValues (unsigned: they serve as key candidates, checked by the
// SignatureValue and SigningCertificate, and as chain intermediates).
func certificateValues(sig *etree.Element) []*keyCert {
	var out []*keyCert
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
			for _, cv := range childrenXAdES(usp, "CertificateValues") {
				for _, ec := range childrenXAdES(cv, "EncapsulatedX509Certificate") {
					der, err := base64.StdEncoding.DecodeString(stripSpace(ec.Text()))
					if err != nil {
						continue
					}
					out = append(out, parseKeyCert(der))
					if len(out) >= 32 {
						return out
					}
				}
			}
		}
	}
	return out
}

func parseKeyCert(der []byte) *keyCert {
	kc := &keyCert{der: der}
	c, err := x509.ParseCertificate(der)
	if err == nil {
		kc.cert = c
		return kc
	}
	if c, terr := parseNegativeSerial(der); terr == nil {
		kc.cert, kc.tolerated = c, "negative serial number "+c.SerialNumber.String()
		return kc
	}
	kc.ec, kc.info, err = parseOtherCert(der)
	if err != nil {
		kc.unsupported = unsupportedKey(der)
	}
	return kc
}

// verifyCertificate checks the signing certificate against the times and
// the configured trust anchors.
func (v *verifier) verifyCertificate(ctx context.Context, s *sigState) {
	if s.signer == nil {
		return
	}
	notBefore, notAfter, ok := s.signer.validity()
	if !ok {
		return
	}
	s.rep.Signer = signerOf(s.signer, s.rep.Signer)
	if cl := s.rep.Signer.Claimed; cl != nil && s.signer.cert != nil {
		for _, pz := range v.opts.ProfilZaufany {
			if pz.Equal(s.signer.cert) || s.signer.cert.CheckSignatureFrom(pz) == nil {
				cl.Confirmed = true
			}
		}
		if !cl.Confirmed {
			s.warn("the %s identity is claimed in a signature not made with a configured Profil Zaufany seal: it does not identify the person", cl.Form)
		}
	}
	vt := v.opts.ValidationTime
	if st := s.rep.ClaimedSigningTime; st != nil {
		switch {
		case st.Before(notBefore):
			s.check("signing time within certificate validity", Failed, NotYetValid, "claimed signing time is before the certificate's notBefore")
		case st.After(notAfter):
			s.check("signing time within certificate validity", Failed, OutOfBoundsNoPOE, "claimed signing time is after the certificate's notAfter")
		default:
			s.check("signing time within certificate validity", Passed, "", "")
		}
	}
	expired := vt.After(notAfter)
	// at is the time the certificate is judged at: the validation time, or
	// the earliest trusted proof of existence when the certificate expired
	// since.
	at := vt
	if vt.Before(notBefore) {
		s.check("certificate valid at validation time", Failed, NotYetValid, "validation time is before the certificate's notBefore "+notBefore.Format(time.RFC3339))
	}
	if expired {
		if poe := s.proofOfExistence(); poe != nil && !poe.After(notAfter) && !poe.Before(notBefore) {
			at = *poe
			s.check("certificate valid at validation time", Passed, "", "certificate expired "+notAfter.Format(time.RFC3339)+"; a trusted signature time-stamp proves the signature existed at "+poe.Format(time.RFC3339))
		} else {
			at = notAfter.Add(-time.Second)
			s.check("certificate valid at validation time", Failed, OutOfBoundsNoPOE, "certificate expired "+notAfter.Format(time.RFC3339)+" and no proof of existence before it")
		}
	}
	if len(v.opts.TrustAnchors) == 0 {
		s.check("certificate chain", Unknown, NoCertificateChainFound, "no trust anchors configured")
		return
	}
	c := s.signer.cert
	if c == nil {
		s.check("certificate chain", Unknown, NoCertificateChainFound, "chains of certificates with brainpool keys cannot be built yet")
		return
	}
	roots := x509.NewCertPool()
	for _, a := range v.opts.TrustAnchors {
		roots.AddCert(a)
	}
	inter := x509.NewCertPool()
	for _, kc := range s.certs {
		if kc.cert != nil && kc != s.signer {
			inter.AddCert(kc.cert)
		}
	}
	chains, err := c.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: at, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	var uae x509.UnknownAuthorityError
	switch {
	case errors.As(err, &uae):
		s.check("certificate chain", Failed, NoCertificateChainFound, err.Error())
	case err != nil:
		s.check("certificate chain", Failed, ChainConstraintsFailure, err.Error())
	default:
		s.check("certificate chain", Passed, "", "chains to a configured trust anchor")
		chain := chains[0]
		if slices.ContainsFunc(v.opts.TrustAnchors, func(a *x509.Certificate) bool { return a.Equal(c) }) {
			chain = chain[:1]
		}
		for _, cc := range chain {
			sum := sha256.Sum256(cc.Raw)
			s.rep.Chain = append(s.rep.Chain, ChainCertificate{Subject: cc.Subject.String(), SHA256: hex.EncodeToString(sum[:])})
		}
		v.checkRevocation(ctx, s, chain)
		if v.opts.Qualify != nil {
			best := v.opts.ValidationTime
			if poe := s.proofOfExistence(); poe != nil {
				best = *poe
			}
			q, detail := v.opts.Qualify(chains[0], best)
			s.rep.Qualification = q
			s.check("qualification", Info, "", q+": "+detail)
		}
	}
}

// proofOfExistence returns the earliest time a trusted signature
// time-stamp proves the signature existed at.
func (s *sigState) proofOfExistence() *time.Time {
	var poe *time.Time
	for _, tr := range s.rep.Timestamps {
		if tr.Kind == "SignatureTimeStamp" && tr.Status == Passed && tr.Trusted && tr.GenTime != nil {
			if poe == nil || tr.GenTime.Before(*poe) {
				poe = tr.GenTime
			}
		}
	}
	return poe
}
