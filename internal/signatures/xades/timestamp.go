package xades

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"fmt"
	"math/big"
	"time"

	"github.com/beevik/etree"
	"github.com/smallstep/pkcs7"
)

// tstInfo holds the leading fields of an RFC 3161 TSTInfo.
type tstInfo struct {
	Policy         asn1.ObjectIdentifier
	MessageImprint struct {
		HashAlgorithm pkix.AlgorithmIdentifier
		HashedMessage []byte
	}
	SerialNumber *big.Int
	GenTime      time.Time
}

// parseTSTInfo reads version, policy, messageImprint, serialNumber and
// genTime, leaving the optional fields that follow.
func parseTSTInfo(der []byte) (*tstInfo, error) {
	var seq asn1.RawValue
	if _, err := asn1.Unmarshal(der, &seq); err != nil {
		return nil, err
	}
	if seq.Tag != asn1.TagSequence || !seq.IsCompound {
		return nil, fmt.Errorf("TSTInfo is not a SEQUENCE")
	}
	var info tstInfo
	var version int
	rest := seq.Bytes
	var err error
	for _, f := range []any{&version, &info.Policy, &info.MessageImprint, &info.SerialNumber} {
		if rest, err = asn1.Unmarshal(rest, f); err != nil {
			return nil, err
		}
	}
	if _, err = asn1.UnmarshalWithParams(rest, &info.GenTime, "generalized"); err != nil {
		return nil, err
	}
	return &info, nil
}

var hashOIDs = map[string]crypto.Hash{
	"1.3.14.3.2.26":          crypto.SHA1,
	"2.16.840.1.101.3.4.2.4": crypto.SHA224,
	"2.16.840.1.101.3.4.2.1": crypto.SHA256,
	"2.16.840.1.101.3.4.2.2": crypto.SHA384,
	"2.16.840.1.101.3.4.2.3": crypto.SHA512,
}

// verifySignatureTimeStamp checks a xades:SignatureTimeStamp: the CMS
// signature of the token (against the certificate it carries; the TSA's
// trust is not assessed here) and its message imprint over the canonical
// ds:SignatureValue of sig.
func (v *verifier) verifySignatureTimeStamp(ts, sigValue *etree.Element) TimestampReport {
	return v.verifyTimeStamp(ts, "the canonical SignatureValue", func(alg string) ([]byte, error) {
		return canonicalize(&nodeSet{apex: sigValue}, alg, "")
	})
}

// verifyArchiveTimeStamp checks a XAdES 1.4.1 ArchiveTimeStamp (the 1.3.2
// one is processed the same way): the message imprint covers, in order,
// the output of every SignedInfo reference, the canonical SignedInfo,
// SignatureValue and KeyInfo, the unsigned signature properties before the
// time-stamp, and the ds:Object elements other than the one holding the
// qualifying properties (ETSI TS 101 903 v1.4.1, G.2.2.16.1.2).
func (v *verifier) verifyArchiveTimeStamp(s *sigState, ts *etree.Element) TimestampReport {
	return v.verifyTimeStamp(ts, "the archive time-stamp input", func(alg string) ([]byte, error) {
		var buf bytes.Buffer
		si := childDS(s.el, "SignedInfo")
		for _, ref := range dsChildren(si, "Reference") {
			uri, has := attr(ref, "URI")
			in, _, err := v.dereference(uri, has)
			if err != nil {
				return nil, fmt.Errorf("reference %q: %w", uri, err)
			}
			out, _, err := v.applyTransforms(s.el, childDS(ref, "Transforms"), in)
			if err != nil {
				return nil, fmt.Errorf("reference %q: %w", uri, err)
			}
			buf.Write(out)
		}
		parts := []*etree.Element{si, s.sigValue}
		if ki := childDS(s.el, "KeyInfo"); ki != nil {
			parts = append(parts, ki)
		}
		for _, u := range s.unsigned.ChildElements() {
			if u == ts {
				break
			}
			parts = append(parts, u)
		}
		for _, obj := range dsChildren(s.el, "Object") {
			if len(childrenXAdES(obj, "QualifyingProperties")) == 0 {
				parts = append(parts, obj)
			}
		}
		for _, el := range parts {
			out, err := canonicalize(&nodeSet{apex: el, comments: true}, alg, "")
			if err != nil {
				return nil, fmt.Errorf("canonicalize %s: %w", el.Tag, err)
			}
			buf.Write(out)
		}
		return buf.Bytes(), nil
	})
}

// verifyRefsTimeStamp checks a XAdES-X time-stamp (XAdES 1.3.2 7.5.1 and
// 7.5.2): its imprint covers, in order of appearance, the
// CompleteCertificateRefs, CompleteRevocationRefs, AttributeCertificateRefs
// and AttributeRevocationRefs, preceded for SigAndRefsTimeStamp by the
// SignatureValue and the SignatureTimeStamps.
func (v *verifier) verifyRefsTimeStamp(s *sigState, ts *etree.Element, withSig bool) TimestampReport {
	include := map[string]bool{
		"CompleteCertificateRefs": true, "CompleteRevocationRefs": true,
		"AttributeCertificateRefs": true, "AttributeRevocationRefs": true,
	}
	if withSig {
		include["SignatureTimeStamp"] = true
	}
	return v.verifyTimeStamp(ts, "the XAdES-X time-stamp input", func(alg string) ([]byte, error) {
		var parts []*etree.Element
		if withSig {
			parts = append(parts, s.sigValue)
		}
		for _, u := range s.unsigned.ChildElements() {
			if u == ts {
				break
			}
			if include[u.Tag] && isXAdESNS(u.NamespaceURI()) {
				parts = append(parts, u)
			}
		}
		var buf bytes.Buffer
		for _, el := range parts {
			out, err := canonicalize(&nodeSet{apex: el, comments: true}, alg, "")
			if err != nil {
				return nil, fmt.Errorf("canonicalize %s: %w", el.Tag, err)
			}
			buf.Write(out)
		}
		return buf.Bytes(), nil
	})
}

// verifyTimeStamp checks an XAdES time-stamp: its RFC 3161 token, its
// message imprint over input (what names it), and whether the TSA is
// trusted.
func (v *verifier) verifyTimeStamp(ts *etree.Element, what string, input func(c14nAlg string) ([]byte, error)) TimestampReport {
	tr := TimestampReport{Kind: ts.Tag, Status: Failed}
	enc := childXAdES(ts, "EncapsulatedTimeStamp")
	if enc == nil {
		tr.Detail = "no EncapsulatedTimeStamp (XML time-stamps are not supported)"
		tr.Status = Unknown
		return tr
	}
	der, err := base64.StdEncoding.DecodeString(stripSpace(enc.Text()))
	if err != nil {
		tr.Detail = "EncapsulatedTimeStamp is not base64"
		return tr
	}
	content := []byte(nil)
	p7, perr := pkcs7.Parse(der)
	if perr == nil {
		content = p7.Content
	} else {
		// pkcs7 refuses a token whose embedded certificates crypto/x509
		// cannot parse; the imprint can still be read, the token's own
		// signature then stays unchecked.
		content, err = encapsulatedContent(der)
		if err != nil {
			tr.Detail = fmt.Sprintf("parse time-stamp token: %v", perr)
			return tr
		}
	}
	info, err := parseTSTInfo(content)
	if err != nil {
		tr.Detail = fmt.Sprintf("parse TSTInfo: %v", err)
		return tr
	}
	gt := info.GenTime.UTC()
	tr.GenTime = &gt
	h, ok := hashOIDs[info.MessageImprint.HashAlgorithm.Algorithm.String()]
	if !ok {
		tr.Detail = "unsupported message imprint algorithm " + info.MessageImprint.HashAlgorithm.Algorithm.String()
		tr.Status = Unknown
		return tr
	}
	alg := algC14N10
	if cm := childDS(ts, "CanonicalizationMethod"); cm != nil {
		alg = cm.SelectAttrValue("Algorithm", "")
	}
	data, err := input(alg)
	if err != nil {
		tr.Detail = fmt.Sprintf("compute %s: %v", what, err)
		tr.Status = Unknown
		return tr
	}
	if !bytes.Equal(digestOf(h, data), info.MessageImprint.HashedMessage) {
		tr.Detail = "message imprint does not match " + what
		return tr
	}
	tr.ImprintMatch = true
	if perr != nil {
		tr.Status = Unknown
		tr.Detail = fmt.Sprintf("message imprint verified; token signature not checked: %v", perr)
		return tr
	}
	if err := p7.Verify(); err != nil {
		tr.Detail = fmt.Sprintf("time-stamp token signature: %v", err)
		return tr
	}
	tr.Status = Passed
	if len(v.opts.TimestampAnchors) == 0 {
		tr.Detail = "message imprint and token signature verified; no time-stamping anchors configured"
		return tr
	}
	pool := x509.NewCertPool()
	for _, a := range v.opts.TimestampAnchors {
		pool.AddCert(a)
	}
	// The TSA certificate must chain to an anchor at the time it stamped.
	if err := p7.VerifyWithChainAtTime(pool, gt); err != nil {
		tr.Detail = fmt.Sprintf("message imprint and token signature verified; TSA not trusted: %v", err)
		return tr
	}
	tr.Trusted = true
	tr.Detail = "message imprint and token signature verified; TSA chains to a time-stamping anchor"
	return tr
}

// encapsulatedContent returns the eContent of a DER CMS SignedData
// ContentInfo without parsing its certificates.
func encapsulatedContent(der []byte) ([]byte, error) {
	var ci struct {
		Type    asn1.ObjectIdentifier
		Content asn1.RawValue `asn1:"explicit,tag:0"`
	}
	if _, err := asn1.Unmarshal(der, &ci); err != nil {
		return nil, err
	}
	rest := ci.Content.Bytes
	var seq asn1.RawValue
	if _, err := asn1.Unmarshal(rest, &seq); err != nil {
		return nil, err
	}
	rest = seq.Bytes
	var version int
	var digests, encap asn1.RawValue
	var err error
	for _, f := range []any{&version, &digests, &encap} {
		if rest, err = asn1.Unmarshal(rest, f); err != nil {
			return nil, err
		}
	}
	var eci struct {
		Type    asn1.ObjectIdentifier
		Content asn1.RawValue `asn1:"explicit,tag:0"`
	}
	if _, err := asn1.Unmarshal(encap.FullBytes, &eci); err != nil {
		return nil, err
	}
	var octets []byte
	if _, err := asn1.Unmarshal(eci.Content.Bytes, &octets); err != nil {
		return nil, err
	}
	return octets, nil
}
