package wssec

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/obieg/obieg/internal/adapters/soap"
	"github.com/obieg/obieg/internal/signatures/safexml"
)

// Kinds of verification failure, wrapped by the errors of Verify.
var (
	// ErrUnsigned: no wsse:Security header or no ds:Signature in it.
	ErrUnsigned = errors.New("wssec: message not signed")
	// ErrMalformed: the envelope or the security header is not what ePUAP's profile allows
	// (unknown algorithm, duplicate or misplaced ids, references to other elements ...).
	ErrMalformed = errors.New("wssec: malformed security header")
	// ErrBadSignature: a digest or the signature value does not match.
	ErrBadSignature = errors.New("wssec: signature does not verify")
	// ErrUntrusted: the signing certificate is not accepted (not registered or pinned,
	// or outside its validity period).
	ErrUntrusted = errors.New("wssec: certificate not trusted")
	// ErrExpired: the signed Timestamp has expired or is not yet valid.
	ErrExpired = errors.New("wssec: timestamp expired")
)

// MaxClockSkew is how far a Timestamp's Created may lie in the future.
const MaxClockSkew = 5 * time.Minute

// Options say what Verify accepts.
type Options struct {
	// Now is the time at which the certificate and the Timestamp are checked; required.
	Now time.Time
	// Trusted decides whether the certificate from the BinarySecurityToken may sign, after
	// the signature has been verified with its key; nil accepts none. Return an error to
	// refuse: Verify wraps it with ErrUntrusted.
	Trusted func(cert *x509.Certificate) error
}

// Verified is what Verify established about a message.
type Verified struct {
	// Certificate is the certificate whose key made the signature.
	Certificate *x509.Certificate
	// Timestamp is true when a signed wsu:Timestamp was present; Created and Expires are
	// its times.
	Timestamp        bool
	Created, Expires time.Time
}

// parseTree builds the DOM of an envelope that soap.Parse has accepted (size, depth, no
// DTD, UTF-8) with safexml, obieg's parser of untrusted XML: it also refuses duplicate
// attributes and normalises white space in attribute values as XML requires, so that
// canonical forms match those of other implementations.
func parseTree(data []byte) (*etree.Document, error) {
	return safexml.ParseBytes(data, safexml.Limits{MaxBytes: -1})
}

// Verify checks the WS-Security signature of envelope as the package comment describes and
// returns the certificate that made it.
func Verify(envelope []byte, opts Options) (*Verified, error) {
	if opts.Now.IsZero() {
		return nil, errors.New("wssec: verify: no time given")
	}
	env, err := soap.Parse(envelope)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	doc, err := parseTree(env.Raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	root := doc.Root()
	header, body := envelopeParts(root)
	if body == nil {
		return nil, fmt.Errorf("%w: no soap:Body", ErrMalformed)
	}
	if header == nil {
		return nil, fmt.Errorf("%w: no soap:Header", ErrUnsigned)
	}
	var sec *etree.Element
	for _, c := range header.ChildElements() {
		if c.NamespaceURI() == NSWSSE && c.Tag == "Security" {
			if sec != nil {
				return nil, fmt.Errorf("%w: more than one wsse:Security header", ErrMalformed)
			}
			sec = c
		}
	}
	if sec == nil {
		return nil, fmt.Errorf("%w: no wsse:Security header", ErrUnsigned)
	}
	var sig, timestamp *etree.Element
	tokens := map[string]*etree.Element{}
	for _, c := range sec.ChildElements() {
		switch {
		case c.NamespaceURI() == NSDS && c.Tag == "Signature":
			if sig != nil {
				return nil, fmt.Errorf("%w: more than one ds:Signature", ErrMalformed)
			}
			sig = c
		case c.NamespaceURI() == NSWSU && c.Tag == "Timestamp":
			if timestamp != nil {
				return nil, fmt.Errorf("%w: more than one wsu:Timestamp", ErrMalformed)
			}
			timestamp = c
		case c.NamespaceURI() == NSWSSE && c.Tag == "BinarySecurityToken":
			for _, id := range idsOf(c) {
				tokens[id] = c
			}
		}
	}
	if sig == nil {
		return nil, fmt.Errorf("%w: no ds:Signature in wsse:Security", ErrUnsigned)
	}

	ids, err := indexIDs(root)
	if err != nil {
		return nil, err
	}

	si, err := onlyChild(sig, NSDS, "SignedInfo")
	if err != nil {
		return nil, err
	}
	c14n, err := onlyChild(si, NSDS, "CanonicalizationMethod")
	if err != nil {
		return nil, err
	}
	if alg := c14n.SelectAttrValue("Algorithm", ""); alg != AlgExcC14N {
		return nil, fmt.Errorf("%w: canonicalization %q, want exclusive C14N", ErrMalformed, alg)
	}
	siPrefixes := prefixList(c14n)
	method, err := onlyChild(si, NSDS, "SignatureMethod")
	if err != nil {
		return nil, err
	}
	if alg := method.SelectAttrValue("Algorithm", ""); alg != AlgRSASHA256 {
		return nil, fmt.Errorf("%w: signature method %q, want RSA-SHA256", ErrMalformed, alg)
	}

	// References: exactly one to this envelope's Body, at most one to this header's
	// Timestamp, nothing else.
	var bodySigned, timestampSigned bool
	for _, ref := range children(si, NSDS, "Reference") {
		uri := ref.SelectAttrValue("URI", "")
		id, ok := strings.CutPrefix(uri, "#")
		if !ok || id == "" {
			return nil, fmt.Errorf("%w: reference URI %q is not a same-document id", ErrMalformed, uri)
		}
		target, ok := ids[id]
		if !ok {
			return nil, fmt.Errorf("%w: reference %q names no element", ErrMalformed, uri)
		}
		switch {
		case target == body:
			if bodySigned {
				return nil, fmt.Errorf("%w: body referenced twice", ErrMalformed)
			}
			bodySigned = true
		case timestamp != nil && target == timestamp:
			if timestampSigned {
				return nil, fmt.Errorf("%w: timestamp referenced twice", ErrMalformed)
			}
			timestampSigned = true
		default:
			return nil, fmt.Errorf("%w: reference %q names {%s}%s, not this envelope's Body or Timestamp", ErrMalformed, uri, target.NamespaceURI(), target.Tag)
		}
		if err := checkReference(ref, target); err != nil {
			return nil, err
		}
	}
	if !bodySigned {
		return nil, fmt.Errorf("%w: no reference to the soap:Body", ErrMalformed)
	}

	cert, err := tokenCertificate(sig, tokens)
	if err != nil {
		return nil, err
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: certificate key is %T, want RSA", ErrMalformed, cert.PublicKey)
	}
	sv, err := onlyChild(sig, NSDS, "SignatureValue")
	if err != nil {
		return nil, err
	}
	value, err := decodeBase64(sv.Text())
	if err != nil {
		return nil, fmt.Errorf("%w: SignatureValue: %w", ErrMalformed, err)
	}
	canonical, err := canonicalize(si, siPrefixes)
	if err != nil {
		return nil, fmt.Errorf("%w: canonicalize SignedInfo: %w", ErrMalformed, err)
	}
	sum := sha256.Sum256(canonical)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], value); err != nil {
		return nil, fmt.Errorf("%w: SignatureValue: %w", ErrBadSignature, err)
	}

	if opts.Now.Before(cert.NotBefore) || opts.Now.After(cert.NotAfter) {
		return nil, fmt.Errorf("%w: certificate %q valid from %s to %s, not at %s", ErrUntrusted,
			cert.Subject.CommonName, cert.NotBefore.Format(time.RFC3339), cert.NotAfter.Format(time.RFC3339), opts.Now.Format(time.RFC3339))
	}
	if opts.Trusted == nil {
		return nil, fmt.Errorf("%w: no certificate is trusted", ErrUntrusted)
	}
	if err := opts.Trusted(cert); err != nil {
		return nil, fmt.Errorf("%w: %q: %w", ErrUntrusted, cert.Subject.CommonName, err)
	}

	v := &Verified{Certificate: cert}
	if timestampSigned {
		v.Timestamp = true
		if v.Created, v.Expires, err = timestampTimes(timestamp); err != nil {
			return nil, err
		}
		if !v.Expires.IsZero() && opts.Now.After(v.Expires) {
			return nil, fmt.Errorf("%w: expired at %s", ErrExpired, v.Expires.Format(time.RFC3339))
		}
		if !v.Created.IsZero() && v.Created.After(opts.Now.Add(MaxClockSkew)) {
			return nil, fmt.Errorf("%w: created at %s, in the future", ErrExpired, v.Created.Format(time.RFC3339))
		}
	}
	return v, nil
}

// idAttr reports whether a is an identifier attribute: wsu:Id, or an unqualified Id or ID.
func idAttr(a *etree.Attr) bool {
	switch {
	case a.Space == "" && (a.Key == "Id" || a.Key == "ID"):
		return true
	case a.Space != "" && a.Space != "xmlns" && a.Key == "Id":
		return a.NamespaceURI() == NSWSU
	}
	return false
}

func idsOf(el *etree.Element) []string {
	var out []string
	for i := range el.Attr {
		if idAttr(&el.Attr[i]) {
			out = append(out, el.Attr[i].Value)
		}
	}
	return out
}

// indexIDs maps every id in the document to its element; an id on two elements (or twice
// on one) is refused, since a reference to it would be ambiguous.
func indexIDs(root *etree.Element) (map[string]*etree.Element, error) {
	ids := map[string]*etree.Element{}
	var walk func(el *etree.Element) error
	walk = func(el *etree.Element) error {
		seen := map[string]bool{}
		for i := range el.Attr {
			a := &el.Attr[i]
			key := a.Space + ":" + a.Key
			if seen[key] {
				return fmt.Errorf("%w: attribute %s repeated on %s", ErrMalformed, a.FullKey(), el.FullTag())
			}
			seen[key] = true
		}
		for _, id := range idsOf(el) {
			if prev, ok := ids[id]; ok && prev != el {
				return fmt.Errorf("%w: id %q on more than one element", ErrMalformed, id)
			}
			ids[id] = el
		}
		for _, c := range el.ChildElements() {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(root); err != nil {
		return nil, err
	}
	return ids, nil
}

func children(el *etree.Element, space, tag string) []*etree.Element {
	var out []*etree.Element
	for _, c := range el.ChildElements() {
		if c.Tag == tag && c.NamespaceURI() == space {
			out = append(out, c)
		}
	}
	return out
}

func onlyChild(el *etree.Element, space, tag string) (*etree.Element, error) {
	cs := children(el, space, tag)
	if len(cs) != 1 {
		return nil, fmt.Errorf("%w: %d %s in %s, want one", ErrMalformed, len(cs), tag, el.Tag)
	}
	return cs[0], nil
}

// prefixList returns the PrefixList of an ec:InclusiveNamespaces child of a C14N method or
// transform.
func prefixList(method *etree.Element) string {
	for _, c := range children(method, NSEC, "InclusiveNamespaces") {
		return c.SelectAttrValue("PrefixList", "")
	}
	return ""
}

// checkReference checks that ref uses only exclusive C14N and SHA-256 and that its digest
// matches target.
func checkReference(ref, target *etree.Element) error {
	prefixes := ""
	if ts := children(ref, NSDS, "Transforms"); len(ts) > 0 {
		if len(ts) > 1 {
			return fmt.Errorf("%w: more than one Transforms", ErrMalformed)
		}
		list := children(ts[0], NSDS, "Transform")
		if len(list) != 1 {
			return fmt.Errorf("%w: %d transforms, want exclusive C14N only", ErrMalformed, len(list))
		}
		if alg := list[0].SelectAttrValue("Algorithm", ""); alg != AlgExcC14N {
			return fmt.Errorf("%w: transform %q, want exclusive C14N", ErrMalformed, alg)
		}
		prefixes = prefixList(list[0])
	}
	dm, err := onlyChild(ref, NSDS, "DigestMethod")
	if err != nil {
		return err
	}
	if alg := dm.SelectAttrValue("Algorithm", ""); alg != AlgSHA256 {
		return fmt.Errorf("%w: digest method %q, want SHA-256", ErrMalformed, alg)
	}
	dv, err := onlyChild(ref, NSDS, "DigestValue")
	if err != nil {
		return err
	}
	want, err := decodeBase64(dv.Text())
	if err != nil {
		return fmt.Errorf("%w: DigestValue: %w", ErrMalformed, err)
	}
	got, err := digestOf(target, prefixes)
	if err != nil {
		return fmt.Errorf("%w: canonicalize %s: %w", ErrMalformed, target.Tag, err)
	}
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return fmt.Errorf("%w: digest of %s does not match", ErrBadSignature, target.Tag)
	}
	return nil
}

// tokenCertificate follows KeyInfo/SecurityTokenReference/Reference to a
// BinarySecurityToken of the same Security header and parses its certificate.
func tokenCertificate(sig *etree.Element, tokens map[string]*etree.Element) (*x509.Certificate, error) {
	ki, err := onlyChild(sig, NSDS, "KeyInfo")
	if err != nil {
		return nil, err
	}
	str, err := onlyChild(ki, NSWSSE, "SecurityTokenReference")
	if err != nil {
		return nil, err
	}
	ref, err := onlyChild(str, NSWSSE, "Reference")
	if err != nil {
		return nil, err
	}
	uri := ref.SelectAttrValue("URI", "")
	id, ok := strings.CutPrefix(uri, "#")
	tok := tokens[id]
	if !ok || tok == nil {
		return nil, fmt.Errorf("%w: key reference %q names no BinarySecurityToken of this header", ErrMalformed, uri)
	}
	if vt := tok.SelectAttrValue("ValueType", ""); vt != ValueTypeX509v3 {
		return nil, fmt.Errorf("%w: token value type %q, want X509v3", ErrMalformed, vt)
	}
	if et := tok.SelectAttrValue("EncodingType", EncodingBase64); et != EncodingBase64 {
		return nil, fmt.Errorf("%w: token encoding %q, want Base64Binary", ErrMalformed, et)
	}
	der, err := decodeBase64(tok.Text())
	if err != nil {
		return nil, fmt.Errorf("%w: token: %w", ErrMalformed, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("%w: token certificate: %w", ErrMalformed, err)
	}
	return cert, nil
}

func timestampTimes(ts *etree.Element) (created, expires time.Time, err error) {
	parse := func(tag string) (time.Time, error) {
		cs := children(ts, NSWSU, tag)
		switch len(cs) {
		case 0:
			return time.Time{}, nil
		case 1:
		default:
			return time.Time{}, fmt.Errorf("%w: more than one wsu:%s", ErrMalformed, tag)
		}
		t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(cs[0].Text()))
		if err != nil {
			return time.Time{}, fmt.Errorf("%w: wsu:%s: %w", ErrMalformed, tag, err)
		}
		return t, nil
	}
	if created, err = parse("Created"); err != nil {
		return
	}
	expires, err = parse("Expires")
	return
}

func decodeBase64(s string) ([]byte, error) {
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r':
			return -1
		}
		return r
	}, s)
	return base64.StdEncoding.DecodeString(clean)
}

// Pins is an allow-list of certificates compared byte for byte; its Trusted method fits
// Options.Trusted. The zero Pins trusts nothing. Reads may run concurrently; Add must not
// run concurrently with anything else.
type Pins struct {
	certs [][]byte
}

// NewPins returns an allow-list of certs.
func NewPins(certs ...*x509.Certificate) *Pins {
	p := &Pins{}
	for _, c := range certs {
		p.Add(c)
	}
	return p
}

// Add puts cert on the list.
func (p *Pins) Add(cert *x509.Certificate) {
	if cert != nil && !p.Contains(cert) {
		p.certs = append(p.certs, bytes.Clone(cert.Raw))
	}
}

// Contains reports whether cert is on the list.
func (p *Pins) Contains(cert *x509.Certificate) bool {
	if p == nil || cert == nil {
		return false
	}
	for _, c := range p.certs {
		if bytes.Equal(c, cert.Raw) {
			return true
		}
	}
	return false
}

// Trusted returns nil when cert is on the list.
func (p *Pins) Trusted(cert *x509.Certificate) error {
	if p.Contains(cert) {
		return nil
	}
	return errors.New("not on the allow-list")
}
