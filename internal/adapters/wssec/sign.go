package wssec

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/russellhaering/goxmldsig/etreeutils"

	"github.com/obieg/obieg/internal/adapters/soap"
)

// Namespaces and algorithm identifiers of the header.
const (
	NSWSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	NSWSU  = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
	NSDS   = "http://www.w3.org/2000/09/xmldsig#"
	NSEC   = "http://www.w3.org/2001/10/xml-exc-c14n#"

	ValueTypeX509v3    = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
	EncodingBase64     = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
	AlgExcC14N         = "http://www.w3.org/2001/10/xml-exc-c14n#"
	AlgRSASHA256       = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	AlgSHA256          = "http://www.w3.org/2001/04/xmlenc#sha256"
	timestampFormat    = "2006-01-02T15:04:05.000Z07:00"
	defaultTimestampTT = 5 * time.Minute
)

// Signer signs envelopes with one key and its certificate. The zero Now means time.Now.
type Signer struct {
	// Key signs; it must be an RSA key matching Cert.
	Key crypto.Signer
	// Cert goes into the BinarySecurityToken.
	Cert *x509.Certificate
	// Timestamp, when positive, adds a signed wsu:Timestamp whose Expires is Timestamp
	// after its Created.
	Timestamp time.Duration
	// Now gives the Created time of a Timestamp; nil means time.Now.
	Now func() time.Time

	// plainID names the Body with an unqualified Id instead of wsu:Id (tests: other
	// clients do so).
	plainID bool
}

// NewSigner returns a Signer for key and cert, checking that they belong together and that
// the key is RSA (ePUAP accepts RSA-SHA256 only).
func NewSigner(key crypto.Signer, cert *x509.Certificate) (*Signer, error) {
	if key == nil || cert == nil {
		return nil, errors.New("wssec: signer needs a key and a certificate")
	}
	pub, ok := key.Public().(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("wssec: key is %T, want RSA", key.Public())
	}
	cpub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok || !pub.Equal(cpub) {
		return nil, errors.New("wssec: the key does not belong to the certificate")
	}
	return &Signer{Key: key, Cert: cert}, nil
}

func randomID(prefix string) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// Sign returns envelope with a wsse:Security header signing its Body (and the Timestamp
// when s.Timestamp > 0). An existing soap:Header is kept and the Security header is put
// first in it; an existing wsu:Id of the Body is replaced. An envelope that already has a
// wsse:Security header is refused (ErrMalformed).
func (s *Signer) Sign(envelope []byte) ([]byte, error) {
	if s == nil || s.Key == nil || s.Cert == nil {
		return nil, errors.New("wssec: sign: no key or certificate")
	}
	if _, err := soap.Parse(envelope); err != nil {
		return nil, fmt.Errorf("wssec: sign: %w", err)
	}
	doc, err := parseTree(envelope)
	if err != nil {
		return nil, fmt.Errorf("wssec: sign: %w", err)
	}
	root := doc.Root()
	header, body := envelopeParts(root)
	if body == nil {
		return nil, fmt.Errorf("wssec: sign: %w: no soap:Body", ErrMalformed)
	}
	if header == nil {
		header = etree.NewElement(prefixed(root.Space, "Header"))
		root.InsertChildAt(body.Index(), header)
	}
	for _, c := range header.ChildElements() {
		if c.Tag == "Security" && c.NamespaceURI() == NSWSSE {
			return nil, fmt.Errorf("wssec: sign: %w: the envelope already has a wsse:Security header", ErrMalformed)
		}
	}

	bodyID, tokenID := randomID("id-"), randomID("X509-")
	body.RemoveAttr("wsu:Id")
	if s.plainID {
		body.CreateAttr("Id", bodyID)
	} else {
		body.CreateAttr("xmlns:wsu", NSWSU)
		body.CreateAttr("wsu:Id", bodyID)
	}

	sec := etree.NewElement("wsse:Security")
	sec.CreateAttr("xmlns:wsse", NSWSSE)
	sec.CreateAttr("xmlns:wsu", NSWSU)
	if root.Space != "" {
		sec.CreateAttr(root.Space+":mustUnderstand", "1")
	}
	header.InsertChildAt(0, sec)

	var timestamp *etree.Element
	var timestampID string
	if s.Timestamp > 0 {
		now := time.Now
		if s.Now != nil {
			now = s.Now
		}
		created := now().UTC()
		timestampID = randomID("TS-")
		timestamp = sec.CreateElement("wsu:Timestamp")
		timestamp.CreateAttr("wsu:Id", timestampID)
		timestamp.CreateElement("wsu:Created").SetText(created.Format(timestampFormat))
		timestamp.CreateElement("wsu:Expires").SetText(created.Add(s.Timestamp).Format(timestampFormat))
	}

	bst := sec.CreateElement("wsse:BinarySecurityToken")
	bst.CreateAttr("EncodingType", EncodingBase64)
	bst.CreateAttr("ValueType", ValueTypeX509v3)
	bst.CreateAttr("wsu:Id", tokenID)
	bst.SetText(base64.StdEncoding.EncodeToString(s.Cert.Raw))

	sig := sec.CreateElement("ds:Signature")
	sig.CreateAttr("xmlns:ds", NSDS)
	si := sig.CreateElement("ds:SignedInfo")
	si.CreateElement("ds:CanonicalizationMethod").CreateAttr("Algorithm", AlgExcC14N)
	si.CreateElement("ds:SignatureMethod").CreateAttr("Algorithm", AlgRSASHA256)
	addReference := func(id string, el *etree.Element) error {
		digest, err := digestOf(el, "")
		if err != nil {
			return err
		}
		ref := si.CreateElement("ds:Reference")
		ref.CreateAttr("URI", "#"+id)
		ref.CreateElement("ds:Transforms").CreateElement("ds:Transform").CreateAttr("Algorithm", AlgExcC14N)
		ref.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", AlgSHA256)
		ref.CreateElement("ds:DigestValue").SetText(base64.StdEncoding.EncodeToString(digest))
		return nil
	}
	if err := addReference(bodyID, body); err != nil {
		return nil, fmt.Errorf("wssec: sign: digest body: %w", err)
	}
	if timestamp != nil {
		if err := addReference(timestampID, timestamp); err != nil {
			return nil, fmt.Errorf("wssec: sign: digest timestamp: %w", err)
		}
	}
	canonical, err := canonicalize(si, "")
	if err != nil {
		return nil, fmt.Errorf("wssec: sign: canonicalize SignedInfo: %w", err)
	}
	sum := sha256.Sum256(canonical)
	value, err := s.Key.Sign(rand.Reader, sum[:], crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("wssec: sign: %w", err)
	}
	sig.CreateElement("ds:SignatureValue").SetText(base64.StdEncoding.EncodeToString(value))
	str := sig.CreateElement("ds:KeyInfo").CreateElement("wsse:SecurityTokenReference")
	r := str.CreateElement("wsse:Reference")
	r.CreateAttr("URI", "#"+tokenID)
	r.CreateAttr("ValueType", ValueTypeX509v3)

	out, err := doc.WriteToBytes()
	if err != nil {
		return nil, fmt.Errorf("wssec: sign: write: %w", err)
	}
	return out, nil
}

func prefixed(prefix, local string) string {
	if prefix == "" {
		return local
	}
	return prefix + ":" + local
}

// envelopeParts returns the soap:Header and soap:Body children of the Envelope root.
func envelopeParts(root *etree.Element) (header, body *etree.Element) {
	if root == nil || root.NamespaceURI() != soap.NSEnvelope || root.Tag != "Envelope" {
		return nil, nil
	}
	for _, c := range root.ChildElements() {
		if c.NamespaceURI() != soap.NSEnvelope {
			continue
		}
		switch c.Tag {
		case "Header":
			if header == nil {
				header = c
			}
		case "Body":
			if body == nil {
				body = c
			}
		}
	}
	return header, body
}

// canonicalize returns the exclusive C14N of el as it stands in its document: the
// namespaces in scope from its ancestors are carried over first, as goxmldsig does.
func canonicalize(el *etree.Element, prefixList string) ([]byte, error) {
	ctx, err := etreeutils.NSBuildParentContext(el)
	if err != nil {
		return nil, err
	}
	detached, err := etreeutils.NSDetatch(ctx, el)
	if err != nil {
		return nil, err
	}
	return dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList(prefixList).Canonicalize(detached)
}

func digestOf(el *etree.Element, prefixList string) ([]byte, error) {
	canonical, err := canonicalize(el, prefixList)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(canonical)
	return sum[:], nil
}
