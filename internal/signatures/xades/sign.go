package xades

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/beevik/etree"
	"github.com/obieg/obieg/internal/signatures/safexml"
)

// Canonicalization algorithms Sign can use, for SignOptions.Canonicalization.
const (
	CanonExclusive = algExcC14N // exclusive C14N 1.0 without comments, the default
	CanonC14N11    = algC14N11  // C14N 1.1 without comments
	CanonC14N10    = algC14N10  // inclusive C14N 1.0 without comments
)

// Signer is a private key with its certificate: a software key (see
// LoadPKCS8 and LoadPKCS12) or, through the same interface, a key in a
// PKCS#11 token or a remote signing service.
type Signer interface {
	// Sign signs a digest (crypto.Signer): PKCS#1 v1.5 for RSA keys, ASN.1
	// DER for ECDSA keys. It returns an error when the key is unavailable.
	crypto.Signer
	// Certificate returns the certificate of the key; Sign refuses a nil one.
	Certificate() *x509.Certificate
	// Chain returns the certificates that issued Certificate, issuer first;
	// it may be empty. They are written into KeyInfo so that a verifier
	// can build the chain to its anchors.
	Chain() []*x509.Certificate
}

// TSA is an RFC 3161 time-stamping authority.
type TSA interface {
	// Timestamp returns a DER TimeStampToken (a CMS ContentInfo holding
	// SignedData over a TSTInfo) whose message imprint is digest, made with
	// hash. It returns an error when the authority cannot be reached,
	// refuses the request or answers with a token over another imprint.
	Timestamp(ctx context.Context, digest []byte, hash crypto.Hash) ([]byte, error)
}

// SignOptions control Sign. SigningTime is required; every other field has
// a usable zero value.
type SignOptions struct {
	// SigningTime is the XAdES SigningTime claimed. The package never reads
	// the clock.
	SigningTime time.Time
	// Canonicalization is the algorithm for SignedInfo, the references and
	// the time-stamp input: CanonExclusive (default), CanonC14N11 or CanonC14N10.
	Canonicalization string
	// Hash is the digest of the references, of the signature and of the
	// certificate digest: crypto.SHA256 (default), SHA384 or SHA512.
	Hash crypto.Hash
	// TSA, when set, makes the signature XAdES-B-T: a SignatureTimeStamp
	// over the canonical SignatureValue.
	TSA TSA
	// ClaimedRoles are written as SignerRole/ClaimedRoles/ClaimedRole, each
	// either text or a well-formed XML fragment (such as a Profil Zaufany
	// ppZP:PodpisZP element).
	ClaimedRoles []string
	// OCSPResponses and CRLs, when given, are embedded as RevocationValues
	// and the signer's chain as CertificateValues (with a TSA, XAdES-B-LT):
	// a verifier then needs no online revocation check.
	OCSPResponses [][]byte
	CRLs          [][]byte
	// ID is the Id of the ds:Signature; other Ids derive from it. Default:
	// "id-" and 32 random hex digits.
	ID string
	// MimeType is the DataObjectFormat of the document; default text/xml.
	MimeType string
	// Cosignable makes the document reference leave out every ds:Signature
	// (the XPath not(ancestor-or-self::ds:Signature) EU DSS writes for
	// enveloped XAdES) rather than only this one: a signature added to the
	// document later, such as the head's after the clerk's, then does not
	// break this one. xmlsec1 and DSS verify such signatures; xadesjs 2.6
	// computes that transform otherwise and refuses them.
	Cosignable bool
}

// Errors of Sign, tested with errors.Is.
var (
	// ErrNoSigningTime is returned when SignOptions.SigningTime is zero.
	ErrNoSigningTime = errors.New("xades: signing time not set")
	// ErrSignOptions is returned for options Sign cannot honour.
	ErrSignOptions = errors.New("xades: sign options not supported")
)

var hashURIs = map[crypto.Hash]string{
	crypto.SHA256: "http://www.w3.org/2001/04/xmlenc#sha256",
	crypto.SHA384: "http://www.w3.org/2001/04/xmldsig-more#sha384",
	crypto.SHA512: "http://www.w3.org/2001/04/xmlenc#sha512",
}

// signatureMethod picks the SignatureMethod URI for a public key and hash.
func signatureMethod(pub crypto.PublicKey, h crypto.Hash) (string, error) {
	suffix := map[crypto.Hash]string{crypto.SHA256: "sha256", crypto.SHA384: "sha384", crypto.SHA512: "sha512"}[h]
	switch pub.(type) {
	case *rsa.PublicKey:
		return "http://www.w3.org/2001/04/xmldsig-more#rsa-" + suffix, nil
	case *ecdsa.PublicKey:
		return "http://www.w3.org/2001/04/xmldsig-more#ecdsa-" + suffix, nil
	}
	return "", fmt.Errorf("key type %T: %w", pub, ErrSignOptions)
}

// Sign adds an enveloped XAdES signature to doc, as the last child of its
// root element, made by signer at opts.SigningTime, and returns the signed
// document (UTF-8, whatever the input's encoding). The signature is
// XAdES-B-B: a reference to the whole document (URI="" with the
// enveloped-signature transform, or with opts.Cosignable the XPath that
// leaves out every signature, and the canonicalization), one to the
// SignedProperties (SigningTime, SigningCertificateV2, the claimed roles,
// DataObjectFormat), the signer's certificate in KeyInfo and its chain in
// the unsigned CertificateValues. With opts.TSA it is XAdES-B-T; with
// revocation data it also carries RevocationValues. The document is parsed with
// safexml's default limits. Sign checks its own SignatureValue with the
// certificate before returning, so a key that does not match its
// certificate is an error, not a broken signature.
func Sign(ctx context.Context, doc []byte, signer Signer, opts SignOptions) ([]byte, error) {
	if opts.SigningTime.IsZero() {
		return nil, ErrNoSigningTime
	}
	cert := signer.Certificate()
	if cert == nil {
		return nil, fmt.Errorf("sign: signer has no certificate: %w", ErrSignOptions)
	}
	c14n := opts.Canonicalization
	if c14n == "" {
		c14n = CanonExclusive
	}
	if c14n != CanonExclusive && c14n != CanonC14N11 && c14n != CanonC14N10 {
		return nil, fmt.Errorf("sign: canonicalization %q: %w", c14n, ErrSignOptions)
	}
	h := opts.Hash
	if h == 0 {
		h = crypto.SHA256
	}
	hashURI, ok := hashURIs[h]
	if !ok {
		return nil, fmt.Errorf("sign: hash %v: %w", h, ErrSignOptions)
	}
	method, err := signatureMethod(signer.Public(), h)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	id := opts.ID
	if id == "" {
		var b [16]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("sign: make signature id: %w", err)
		}
		id = "id-" + hex.EncodeToString(b[:])
	}
	mime := opts.MimeType
	if mime == "" {
		mime = "text/xml"
	}

	d, err := safexml.ParseBytes(doc, safexml.Limits{})
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	root := d.Root()
	if root == nil {
		return nil, fmt.Errorf("sign: no root element: %w", safexml.ErrMalformed)
	}
	// The document is UTF-8 from here on, whatever it declared.
	for _, tok := range d.Child {
		if pi, ok := tok.(*etree.ProcInst); ok && pi.Target == "xml" {
			pi.Inst = `version="1.0" encoding="UTF-8"`
		}
	}

	sig := root.CreateElement("ds:Signature")
	sig.CreateAttr("xmlns:ds", nsDSig)
	sig.CreateAttr("Id", id)
	si := sig.CreateElement("ds:SignedInfo")
	si.CreateElement("ds:CanonicalizationMethod").CreateAttr("Algorithm", c14n)
	si.CreateElement("ds:SignatureMethod").CreateAttr("Algorithm", method)
	docRefID, spID := id+"-ref-doc", id+"-signedprops"
	docRef := newReference(si, docRefID, "", "", hashURI, algEnveloped, c14n)
	if opts.Cosignable {
		t := childDS(childDS(docRef, "Transforms"), "Transform")
		t.CreateAttr("Algorithm", algXPath)
		t.CreateElement("ds:XPath").SetText("not(ancestor-or-self::ds:Signature)")
	}
	spRef := newReference(si, id+"-ref-signedprops", "#"+spID, typeSignedProperties, hashURI, c14n)
	sv := sig.CreateElement("ds:SignatureValue")
	sv.CreateAttr("Id", id+"-sigvalue")
	// KeyInfo holds the signing certificate only, the chain goes into
	// CertificateValues: verifiers that take every KeyInfo certificate as
	// a candidate key of the SignatureMethod's type (xadesjs) fail on a
	// chain that mixes RSA and ECDSA keys.
	sig.CreateElement("ds:KeyInfo").CreateElement("ds:X509Data").CreateElement("ds:X509Certificate").
		SetText(base64.StdEncoding.EncodeToString(cert.Raw))
	chain := append([]*x509.Certificate{cert}, signer.Chain()...)
	qp := sig.CreateElement("ds:Object").CreateElement("xades:QualifyingProperties")
	qp.CreateAttr("xmlns:xades", nsXAdES132)
	qp.CreateAttr("Target", "#"+id)
	sp := qp.CreateElement("xades:SignedProperties")
	sp.CreateAttr("Id", spID)
	ssp := sp.CreateElement("xades:SignedSignatureProperties")
	ssp.CreateElement("xades:SigningTime").SetText(opts.SigningTime.UTC().Format("2006-01-02T15:04:05Z"))
	xc := ssp.CreateElement("xades:SigningCertificateV2").CreateElement("xades:Cert")
	cd := xc.CreateElement("xades:CertDigest")
	cd.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", hashURI)
	cd.CreateElement("ds:DigestValue").SetText(base64.StdEncoding.EncodeToString(digestOf(h, cert.Raw)))
	is, err := issuerSerialV2(cert)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	xc.CreateElement("xades:IssuerSerialV2").SetText(is)
	if len(opts.ClaimedRoles) > 0 {
		crs := ssp.CreateElement("xades:SignerRole").CreateElement("xades:ClaimedRoles")
		for _, role := range opts.ClaimedRoles {
			if err := addRole(crs.CreateElement("xades:ClaimedRole"), role); err != nil {
				return nil, fmt.Errorf("sign: claimed role: %w", err)
			}
		}
	}
	dof := sp.CreateElement("xades:SignedDataObjectProperties").CreateElement("xades:DataObjectFormat")
	dof.CreateAttr("ObjectReference", "#"+docRefID)
	dof.CreateElement("xades:MimeType").SetText(mime)

	v, _ := newVerifier(d, Options{ValidationTime: opts.SigningTime}.withDefaults())
	for _, x := range []string{id, docRefID, spID, id + "-sigvalue"} {
		if len(v.ids[x]) > 1 {
			return nil, fmt.Errorf("sign: id %q already in the document: %w", x, ErrSignOptions)
		}
	}
	for _, ref := range []*etree.Element{docRef, spRef} {
		if err := v.fillDigest(sig, ref, h); err != nil {
			return nil, fmt.Errorf("sign: %w", err)
		}
	}
	canon, err := canonicalize(&nodeSet{apex: si, comments: true}, c14n, "")
	if err != nil {
		return nil, fmt.Errorf("sign: canonicalize SignedInfo: %w", err)
	}
	value, err := signDigest(signer, h, digestOf(h, canon))
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	if err := verifySignatureValue(sigAlgs[method], &keyCert{der: cert.Raw, cert: cert}, canon, value); err != nil {
		return nil, fmt.Errorf("sign: the key does not match the certificate %s: %w", cert.Subject, err)
	}
	sv.SetText(base64.StdEncoding.EncodeToString(value))

	var usp *etree.Element
	unsigned := func() *etree.Element {
		if usp == nil {
			usp = qp.CreateElement("xades:UnsignedProperties").CreateElement("xades:UnsignedSignatureProperties")
		}
		return usp
	}
	if opts.TSA != nil {
		in, err := canonicalize(&nodeSet{apex: sv}, c14n, "")
		if err != nil {
			return nil, fmt.Errorf("sign: canonicalize SignatureValue: %w", err)
		}
		digest := digestOf(h, in)
		tok, err := opts.TSA.Timestamp(ctx, digest, h)
		if err != nil {
			return nil, fmt.Errorf("sign: time-stamp: %w", err)
		}
		if err := checkToken(tok, digest, h); err != nil {
			return nil, fmt.Errorf("sign: time-stamp: %w", err)
		}
		ts := unsigned().CreateElement("xades:SignatureTimeStamp")
		ts.CreateAttr("Id", id+"-sigtst")
		ts.CreateElement("ds:CanonicalizationMethod").CreateAttr("Algorithm", c14n)
		ts.CreateElement("xades:EncapsulatedTimeStamp").SetText(base64.StdEncoding.EncodeToString(tok))
	}
	if len(chain) > 1 || len(opts.OCSPResponses) > 0 || len(opts.CRLs) > 0 {
		// The issuers; the signing certificate only when there are none
		// (it is in KeyInfo already).
		values := chain[1:]
		if len(values) == 0 {
			values = chain
		}
		cv := unsigned().CreateElement("xades:CertificateValues")
		for _, c := range values {
			cv.CreateElement("xades:EncapsulatedX509Certificate").SetText(base64.StdEncoding.EncodeToString(c.Raw))
		}
	}
	if len(opts.OCSPResponses) > 0 || len(opts.CRLs) > 0 {
		rv := unsigned().CreateElement("xades:RevocationValues")
		if len(opts.OCSPResponses) > 0 {
			ov := rv.CreateElement("xades:OCSPValues")
			for _, o := range opts.OCSPResponses {
				ov.CreateElement("xades:EncapsulatedOCSPValue").SetText(base64.StdEncoding.EncodeToString(o))
			}
		}
		if len(opts.CRLs) > 0 {
			cl := rv.CreateElement("xades:CRLValues")
			for _, c := range opts.CRLs {
				cl.CreateElement("xades:EncapsulatedCRLValue").SetText(base64.StdEncoding.EncodeToString(c))
			}
		}
	}
	out, err := d.WriteToBytes()
	if err != nil {
		return nil, fmt.Errorf("sign: write document: %w", err)
	}
	return out, nil
}

// newReference appends a ds:Reference with the transforms and an empty
// DigestValue to si.
func newReference(si *etree.Element, id, uri, typ, hashURI string, transforms ...string) *etree.Element {
	ref := si.CreateElement("ds:Reference")
	ref.CreateAttr("Id", id)
	if typ != "" {
		ref.CreateAttr("Type", typ)
	}
	ref.CreateAttr("URI", uri)
	ts := ref.CreateElement("ds:Transforms")
	for _, t := range transforms {
		ts.CreateElement("ds:Transform").CreateAttr("Algorithm", t)
	}
	ref.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", hashURI)
	ref.CreateElement("ds:DigestValue")
	return ref
}

// fillDigest computes a reference's digest the way Verify does and
// writes it into its DigestValue.
func (v *verifier) fillDigest(sig, ref *etree.Element, h crypto.Hash) error {
	uri, has := attr(ref, "URI")
	in, _, err := v.dereference(uri, has)
	if err != nil {
		return fmt.Errorf("reference %q: %w", uri, err)
	}
	out, _, err := v.applyTransforms(sig, childDS(ref, "Transforms"), in)
	if err != nil {
		return fmt.Errorf("reference %q: %w", uri, err)
	}
	childDS(ref, "DigestValue").SetText(base64.StdEncoding.EncodeToString(digestOf(h, out)))
	return nil
}

// addRole puts a claimed role into el: parsed as XML when it starts with
// '<', as text otherwise.
func addRole(el *etree.Element, role string) error {
	trimmed := bytes.TrimSpace([]byte(role))
	if len(trimmed) == 0 || trimmed[0] != '<' {
		el.SetText(role)
		return nil
	}
	frag, err := safexml.ParseBytes(trimmed, safexml.Limits{MaxBytes: 1 << 20})
	if err != nil {
		return err
	}
	el.AddChild(frag.Root().Copy())
	return nil
}

// signDigest signs digest with the signer and returns the XMLDSig
// SignatureValue: PKCS#1 v1.5 for RSA, raw r||s for ECDSA.
func signDigest(signer Signer, h crypto.Hash, digest []byte) ([]byte, error) {
	sv, err := signer.Sign(rand.Reader, digest, h)
	if err != nil {
		return nil, fmt.Errorf("sign digest: %w", err)
	}
	pub, ok := signer.Public().(*ecdsa.PublicKey)
	if !ok {
		return sv, nil
	}
	var rs struct{ R, S *big.Int }
	if rest, err := asn1.Unmarshal(sv, &rs); err != nil || len(rest) > 0 {
		return nil, fmt.Errorf("ECDSA signature is not DER: %v", err)
	}
	n := (pub.Curve.Params().BitSize + 7) / 8
	return append(rs.R.FillBytes(make([]byte, n)), rs.S.FillBytes(make([]byte, n))...), nil
}

// issuerSerialV2 returns the base64 DER IssuerSerial (RFC 5035) of c.
func issuerSerialV2(c *x509.Certificate) (string, error) {
	der, err := asn1.Marshal(issuerSerial{
		Issuer: []asn1.RawValue{{Class: asn1.ClassContextSpecific, Tag: 4, IsCompound: true, Bytes: c.RawIssuer}},
		Serial: c.SerialNumber,
	})
	if err != nil {
		return "", fmt.Errorf("encode IssuerSerialV2: %w", err)
	}
	return base64.StdEncoding.EncodeToString(der), nil
}

// checkToken checks that a time-stamp token's imprint is digest.
func checkToken(tok, digest []byte, h crypto.Hash) error {
	content, err := encapsulatedContent(tok)
	if err != nil {
		return fmt.Errorf("parse token: %w", err)
	}
	info, err := parseTSTInfo(content)
	if err != nil {
		return fmt.Errorf("parse TSTInfo: %w", err)
	}
	if hashOIDs[info.MessageImprint.HashAlgorithm.Algorithm.String()] != h || !bytes.Equal(info.MessageImprint.HashedMessage, digest) {
		return errors.New("the token's message imprint is not the one asked for")
	}
	return nil
}
