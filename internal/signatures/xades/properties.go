package xades

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/beevik/etree"
)

// verifyXAdES applies the XAdES rules to a signature whose core was
// checked: qualifying properties bound to this signature, signed
// properties covered by a reference of the right type, signing
// certificate, signing time, policy and time-stamps.
func (v *verifier) verifyXAdES(s *sigState) {
	var qps []*etree.Element
	for _, obj := range dsChildren(s.el, "Object") {
		qps = append(qps, childrenXAdES(obj, "QualifyingProperties")...)
	}
	hasSPRef := false
	for _, t := range s.targets {
		if isSignedPropertiesType(t.typ) {
			hasSPRef = true
		}
	}
	if len(qps) == 0 {
		if hasSPRef {
			s.check("qualifying properties", Failed, FormatFailure, "a SignedProperties reference exists but this signature holds no QualifyingProperties")
			return
		}
		s.check("signature format", Info, "", "XMLDSig signature without XAdES qualifying properties")
		return
	}
	if len(qps) > 1 {
		s.check("qualifying properties", Failed, FormatFailure, fmt.Sprintf("%d QualifyingProperties in one signature", len(qps)))
		return
	}
	qp := qps[0]
	s.xadesNS = qp.NamespaceURI()
	s.rep.XAdESNamespace = s.xadesNS
	s.rep.Level = LevelB
	target := qp.SelectAttrValue("Target", "")
	if s.rep.ID == "" || target != "#"+s.rep.ID {
		// The binding that matters against wrapping is structural (the
		// properties sit inside this signature and its own reference covers
		// them); a wrong Target is a conformance fault, reported as such.
		msg := fmt.Sprintf("QualifyingProperties Target %q does not name this signature (Id %q)", target, s.rep.ID)
		s.check("qualifying properties target this signature", Info, "", msg)
		s.warn("%s", msg)
	} else {
		s.check("qualifying properties target this signature", Passed, "", "")
	}

	sps := childrenXAdES(qp, "SignedProperties")
	switch {
	case len(sps) > 1:
		// Which of them was signed is not for the reader to guess; EU DSS
		// reports duplicated signed properties as signed data not found.
		s.check("signed properties", Unknown, SignedDataNotFound, fmt.Sprintf("%d SignedProperties in QualifyingProperties, want 1", len(sps)))
		return
	case len(sps) == 0:
		s.check("signed properties", Failed, FormatFailure, "no SignedProperties in QualifyingProperties")
		return
	}
	sp := sps[0]
	// Signature-wrapping defence: a reference of the SignedProperties type
	// must resolve to exactly this element, inside this signature; any such
	// reference pointing elsewhere is refused.
	covered, unresolved := false, false
	for _, t := range s.targets {
		if !isSignedPropertiesType(t.typ) {
			continue
		}
		if t.el != sp {
			if t.el != nil {
				// The signed properties are elsewhere (moved out of
				// QualifyingProperties, say): those of this signature were
				// not found among its signed data, as EU DSS reports it.
				s.check("signed properties covered", Unknown, SignedDataNotFound, fmt.Sprintf("SignedProperties reference %q points at %s, not at this signature's SignedProperties", t.uri, xpathOf(t.el)))
				return
			}
			unresolved = true
			continue
		}
		if !t.ok {
			s.check("signed properties covered", Failed, HashFailure, "the reference covering SignedProperties does not hold: the signed properties are not those signed")
			return
		}
		if t.outcome.last != nil {
			if ex := excludedPaths(t.outcome.last); len(ex) > 0 {
				s.check("signed properties covered", Failed, FormatFailure, "the SignedProperties reference leaves out "+strings.Join(ex, ", "))
				return
			}
		}
		covered = true
	}
	if !covered && unresolved {
		s.check("signed properties covered", Unknown, SignedDataNotFound, "the SignedProperties reference could not be processed")
		return
	}
	if !covered {
		s.check("signed properties covered", Failed, FormatFailure, "no reference of Type "+typeSignedProperties+" covers this signature's SignedProperties")
		return
	}
	s.check("signed properties covered", Passed, "", "")

	s.signedSig = childXAdES(sp, "SignedSignatureProperties")
	if s.signedSig == nil {
		s.check("signed properties", Failed, FormatFailure, "no SignedSignatureProperties")
		return
	}
	if up := childXAdES(qp, "UnsignedProperties"); up != nil {
		s.unsigned = childXAdES(up, "UnsignedSignatureProperties")
	}

	if st := childXAdES(s.signedSig, "SigningTime"); st != nil {
		t, err := time.Parse(time.RFC3339, strings.TrimSpace(st.Text()))
		if err != nil {
			t, err = time.Parse("2006-01-02T15:04:05", strings.TrimSpace(st.Text()))
		}
		if err != nil {
			s.check("signing time", Failed, FormatFailure, "SigningTime is not an xsd:dateTime")
		} else {
			t = t.UTC()
			s.rep.ClaimedSigningTime = &t
		}
	}
	v.checkSigningCertificate(s)
	v.checkPolicy(s)
	s.rep.Signer = claimedIdentity(sp, s.rep.Signer)
	v.checkUnsigned(s)
}

// isSignedPropertiesType accepts the reference type of XAdES 1.2 and later
// and the namespaced one of XAdES 1.1.1.
func isSignedPropertiesType(t string) bool {
	return t == typeSignedProperties || t == "http://uri.etsi.org/01903/v1.1.1#SignedProperties"
}

// certRef is one xades:Cert entry of SigningCertificate(V2).
type certRef struct {
	digestAlg string
	digest    []byte
	digestErr error
	issuer    string // v1 X509IssuerName
	serial    string // v1 X509SerialNumber
	issuerV2  []byte // v2 IssuerSerialV2 DER
	hasV2     bool
}

func (v *verifier) checkSigningCertificate(s *sigState) {
	sc := childXAdES(s.signedSig, "SigningCertificateV2")
	version := "V2"
	if sc == nil {
		sc = childXAdES(s.signedSig, "SigningCertificate")
		version = "v1"
	}
	if sc == nil {
		if s.coversKeyInfo() {
			s.check("signing certificate", Passed, "", "no SigningCertificate; KeyInfo is covered by a reference")
			return
		}
		s.check("signing certificate", Failed, NoSigningCertificateFound, "neither SigningCertificate nor a signed KeyInfo")
		return
	}
	var refs []certRef
	for _, c := range childrenXAdES(sc, "Cert") {
		var r certRef
		if cd := childXAdES(c, "CertDigest"); cd != nil {
			if dm := childDS(cd, "DigestMethod"); dm != nil {
				r.digestAlg = dm.SelectAttrValue("Algorithm", "")
			}
			if dv := childDS(cd, "DigestValue"); dv != nil {
				r.digest, r.digestErr = base64.StdEncoding.Strict().DecodeString(stripSpace(dv.Text()))
			}
		}
		if is := childXAdES(c, "IssuerSerial"); is != nil {
			if n := childDS(is, "X509IssuerName"); n != nil {
				r.issuer = strings.TrimSpace(n.Text())
			}
			if n := childDS(is, "X509SerialNumber"); n != nil {
				r.serial = strings.TrimSpace(n.Text())
			}
		}
		if is := childXAdES(c, "IssuerSerialV2"); is != nil {
			r.hasV2 = true
			r.issuerV2, _ = base64.StdEncoding.DecodeString(stripSpace(is.Text()))
		}
		refs = append(refs, r)
	}
	name := "signing certificate (SigningCertificate" + version + ")"
	if len(refs) == 0 {
		s.check(name, Failed, FormatFailure, "no Cert entry")
		return
	}
	// The signer is the certificate whose key verified the signature; when
	// the key is unsupported, the KeyInfo certificate the digest names.
	candidates := s.certs
	if s.signer != nil {
		candidates = []*keyCert{s.signer}
	}
	for _, kc := range candidates {
		if len(kc.der) == 0 {
			continue // a KeyValue key: there is no certificate to digest
		}
		for _, r := range refs {
			h, ok := digestAlgs[r.digestAlg]
			if !ok || r.digestErr != nil || len(r.digest) == 0 {
				continue
			}
			if !bytes.Equal(digestOf(h, kc.der), r.digest) {
				continue
			}
			if s.signer == nil {
				s.signer = kc
			}
			if r.digestAlg == digestURISHA1 {
				s.warn("SigningCertificate digest uses SHA-1")
			}
			s.check(name, Passed, "", "signing certificate digest matches")
			if kc.cert != nil {
				if msg := issuerSerialMismatch(r, kc.cert); msg != "" {
					s.warn("%s", msg)
					s.check("signing certificate issuer and serial", Info, "", msg)
				}
			}
			return
		}
	}
	detail := "no Cert digest matches the signing certificate"
	for _, r := range refs {
		if r.digestErr != nil {
			detail = "CertDigest DigestValue is not valid base64: signing certificate not identified"
		} else if _, ok := digestAlgs[r.digestAlg]; !ok {
			detail = "unsupported CertDigest algorithm " + r.digestAlg
		}
	}
	s.check(name, Failed, NoSigningCertificateFound, detail)
}

// coversKeyInfo says whether a reference of the signature covers its KeyInfo.
func (s *sigState) coversKeyInfo() bool {
	ki := childDS(s.el, "KeyInfo")
	for _, t := range s.targets {
		if ki != nil && t.el == ki && t.ok {
			return true
		}
	}
	return false
}

// issuerSerial is the IssuerSerial of RFC 5035.
type issuerSerial struct {
	Issuer []asn1.RawValue
	Serial *big.Int
}

// issuerSerialMismatch compares the issuer and serial a Cert entry names
// with the certificate; it returns "" when they agree or are absent.
func issuerSerialMismatch(r certRef, c *x509.Certificate) string {
	if r.serial != "" {
		n, ok := new(big.Int).SetString(r.serial, 10)
		if !ok || n.Cmp(c.SerialNumber) != 0 {
			return "SigningCertificate IssuerSerial: serial number " + r.serial + " is not the certificate's " + c.SerialNumber.String()
		}
	}
	if r.issuer != "" && !sameDN(r.issuer, c.Issuer) {
		return "SigningCertificate IssuerSerial: issuer " + r.issuer + " is not the certificate's " + c.Issuer.String()
	}
	if r.hasV2 {
		var is issuerSerial
		if rest, err := asn1.Unmarshal(r.issuerV2, &is); err != nil || len(rest) > 0 {
			return "SigningCertificateV2 IssuerSerialV2 cannot be parsed"
		}
		if is.Serial == nil || is.Serial.Cmp(c.SerialNumber) != 0 {
			return "SigningCertificateV2 IssuerSerialV2: serial number does not match the certificate"
		}
		found := false
		for _, gn := range is.Issuer {
			// directoryName [4] EXPLICIT Name
			if gn.Class == asn1.ClassContextSpecific && gn.Tag == 4 && sameRawName(gn.Bytes, c.RawIssuer) {
				found = true
			}
		}
		if !found {
			return "SigningCertificateV2 IssuerSerialV2: issuer does not match the certificate"
		}
	}
	return ""
}

// sameRawName compares two DER names by their attribute types and values,
// whatever string types encode them.
func sameRawName(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var x, y pkix.RDNSequence
	if rest, err := asn1.Unmarshal(a, &x); err != nil || len(rest) > 0 {
		return false
	}
	if rest, err := asn1.Unmarshal(b, &y); err != nil || len(rest) > 0 {
		return false
	}
	return x.String() == y.String()
}

// sameDN compares an RFC 4514 (or RFC 2253, RFC 1779) string with a
// certificate name: the same multiset of attribute values, ignoring the
// order of RDNs, the grouping of multi-valued RDNs, case and spacing.
func sameDN(s string, n pkix.Name) bool {
	a, ok1 := dnValues(s)
	b, ok2 := dnValues(n.String())
	if !ok1 || !ok2 || len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		seen[x]--
		if seen[x] < 0 {
			return false
		}
	}
	return true
}

// dnValues splits a string DN into its normalized attribute values,
// honouring quotes and backslash escapes (\, and \C3\AD hex pairs).
func dnValues(s string) ([]string, bool) {
	var out []string
	var val []byte
	inValue, quoted := false, false
	flush := func() {
		out = append(out, strings.ToLower(strings.Join(strings.Fields(string(val)), " ")))
		val = val[:0]
		inValue = false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case !inValue:
			if ch == '=' {
				inValue = true
			}
		case ch == '\\' && i+1 < len(s):
			if i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				val = append(val, unhex(s[i+1])<<4|unhex(s[i+2]))
				i += 2
			} else {
				val = append(val, s[i+1])
				i++
			}
		case ch == '"':
			quoted = !quoted
		case !quoted && (ch == ',' || ch == ';' || ch == '+'):
			flush()
		default:
			val = append(val, ch)
		}
	}
	if quoted {
		return nil, false
	}
	if inValue {
		flush()
	}
	return out, true
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// checkPolicy checks SignaturePolicyIdentifier: an explicit policy must
// carry its hash.
func (v *verifier) checkPolicy(s *sigState) {
	spi := childXAdES(s.signedSig, "SignaturePolicyIdentifier")
	if spi == nil {
		return
	}
	if childXAdES(spi, "SignaturePolicyImplied") != nil {
		s.check("signature policy", Passed, "", "implied policy")
		return
	}
	id := childXAdES(spi, "SignaturePolicyId")
	if id == nil {
		s.check("signature policy", Failed, FormatFailure, "SignaturePolicyIdentifier without SignaturePolicyId or SignaturePolicyImplied")
		return
	}
	if childXAdES(id, "SigPolicyId") == nil {
		s.check("signature policy", Failed, FormatFailure, "SigPolicyId missing")
		return
	}
	h := childXAdES(id, "SigPolicyHash")
	if h == nil || childDS(h, "DigestMethod") == nil || childDS(h, "DigestValue") == nil || strings.TrimSpace(childDS(h, "DigestValue").Text()) == "" {
		s.check("signature policy", Failed, FormatFailure, "SigPolicyHash missing or empty")
		return
	}
	v.checkPolicyHash(s, id, h)
}

// checkUnsigned reads the unsigned properties: time-stamps and validation
// data, which set the level.
func (v *verifier) checkUnsigned(s *sigState) {
	u := s.unsigned
	if u == nil {
		return
	}
	level := LevelB
	for _, ts := range childrenXAdES(u, "SignatureTimeStamp") {
		tr := v.verifySignatureTimeStamp(ts, s.sigValue)
		s.rep.Timestamps = append(s.rep.Timestamps, tr)
		if tr.Status == Passed {
			s.check("signature time-stamp", Passed, "", tr.Detail)
			level = LevelT
		} else {
			s.check("signature time-stamp", tr.Status, "", tr.Detail)
			s.warn("signature time-stamp not valid: %s", tr.Detail)
		}
	}
	if level == LevelT && childXAdES(u, "CertificateValues") != nil && childXAdES(u, "RevocationValues") != nil {
		level = LevelLT
	}
	for _, ts := range childrenXAdES(u, "ArchiveTimeStamp") {
		tr := v.verifyArchiveTimeStamp(s, ts)
		s.rep.Timestamps = append(s.rep.Timestamps, tr)
		s.check("archive time-stamp", tr.Status, "", tr.Detail)
		if tr.Status != Passed {
			s.warn("archive time-stamp not valid: %s", tr.Detail)
		} else if level == LevelLT {
			level = LevelLTA
		}
	}
	for _, kind := range []string{"SigAndRefsTimeStamp", "RefsOnlyTimeStamp"} {
		for _, ts := range childrenXAdES(u, kind) {
			tr := v.verifyRefsTimeStamp(s, ts, kind == "SigAndRefsTimeStamp")
			s.rep.Timestamps = append(s.rep.Timestamps, tr)
			s.check(strings.ToLower(kind[:1])+kind[1:], tr.Status, "", tr.Detail)
			if tr.Status != Passed {
				s.warn("%s not valid: %s", kind, tr.Detail)
			}
		}
	}
	s.rep.Level = level
	v.checkTimestampOrder(s)
}

// checkTimestampOrder checks that the claimed signing time is not after
// the signature time-stamps, and that the time-stamps over validation data
// and archives come after the signature time-stamps they cover.
func (v *verifier) checkTimestampOrder(s *sigState) {
	var sigTS, later []TimestampReport
	for _, tr := range s.rep.Timestamps {
		if tr.GenTime == nil || tr.Status != Passed {
			continue
		}
		if tr.Kind == "SignatureTimeStamp" {
			sigTS = append(sigTS, tr)
		} else {
			later = append(later, tr)
		}
	}
	for _, st := range sigTS {
		if s.rep.ClaimedSigningTime != nil && s.rep.ClaimedSigningTime.After(*st.GenTime) {
			s.warn("claimed signing time %s is after the signature time-stamp %s", s.rep.ClaimedSigningTime.Format(time.RFC3339), st.GenTime.Format(time.RFC3339))
		}
		for _, lt := range later {
			if lt.GenTime.Before(*st.GenTime) {
				s.check("time-stamp order", Failed, TimestampOrderFailure,
					fmt.Sprintf("%s of %s precedes the SignatureTimeStamp of %s", lt.Kind, lt.GenTime.Format(time.RFC3339), st.GenTime.Format(time.RFC3339)))
				return
			}
		}
	}
}
