package xades

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"
)

// pssSigned signs a small document with RSA-PSS (SignatureMethod rsa-pss
// with params) and a KeyValue, with this package's digest and
// canonicalization code.
func pssSigned(t *testing.T, key *rsa.PrivateKey, params string) string {
	t.Helper()
	return pssSignedWith(t, key, params, "")
}

// pssSignedWith is pssSigned with objects after KeyInfo (a SignedProperties
// object is covered by a reference to #sp).
func pssSignedWith(t *testing.T, key *rsa.PrivateKey, params, objects string) string {
	t.Helper()
	spRef := ""
	if objects != "" {
		spRef = `<ds:Reference URI="#sp" Type="http://uri.etsi.org/01903#SignedProperties"><ds:Transforms><ds:Transform Algorithm="` + algExcC14N + `"/></ds:Transforms>` +
			`<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>`
	}
	doc := `<a xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><b>x</b><ds:Signature><ds:SignedInfo>` +
		`<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>` +
		`<ds:SignatureMethod Algorithm="` + algRSAPSS + `">` + params + `</ds:SignatureMethod>` +
		`<ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="` + algEnveloped + `"/><ds:Transform Algorithm="` + algExcC14N + `"/></ds:Transforms>` +
		`<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>` + spRef + `</ds:SignedInfo><ds:SignatureValue/>` +
		`<ds:KeyInfo><ds:KeyValue><ds:RSAKeyValue><ds:Modulus>` + base64.StdEncoding.EncodeToString(key.N.Bytes()) + `</ds:Modulus>` +
		`<ds:Exponent>` + base64.StdEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes()) + `</ds:Exponent></ds:RSAKeyValue></ds:KeyValue></ds:KeyInfo>` + objects + `</ds:Signature></a>`
	d, err := parseXML([]byte(doc), Options{})
	if err != nil {
		t.Fatal(err)
	}
	v, sigs := newVerifier(d, Options{}.withDefaults())
	si := childDS(sigs[0], "SignedInfo")
	for _, ref := range dsChildren(si, "Reference") {
		if err := v.fillDigest(sigs[0], ref, crypto.SHA256); err != nil {
			t.Fatal(err)
		}
	}
	canon, err := canonicalize(&nodeSet{apex: si, comments: true}, algExcC14N, "")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(canon)
	sig, err := rsa.SignPSS(rand.Reader, key, crypto.SHA256, sum[:], &rsa.PSSOptions{SaltLength: 32})
	if err != nil {
		t.Fatal(err)
	}
	childDS(sigs[0], "SignatureValue").SetText(base64.StdEncoding.EncodeToString(sig))
	out, err := d.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRSAPSS(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	const ds = `<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>`
	param := func(inner string) string {
		return `<pss:RSAPSSParams xmlns:pss="` + nsPSS + `">` + inner + `</pss:RSAPSSParams>`
	}
	tests := []struct {
		name, params string
		// signedWith, when set, replaces params after signing.
		signedWith string
		wantValue  Status
		wantSub    SubIndication
	}{
		{name: "default parameters", params: "", wantValue: Passed, wantSub: NoSigningCertificateFound},
		{name: "explicit parameters", params: param(ds + `<pss:MaskGenerationFunction Algorithm="` + algMGF1 + `">` + ds + `</pss:MaskGenerationFunction><pss:SaltLength>32</pss:SaltLength><pss:TrailerField>1</pss:TrailerField>`), wantValue: Passed, wantSub: NoSigningCertificateFound},
		{name: "salt length changed after signing (SignedInfo with it)", params: param(ds + `<pss:SaltLength>32</pss:SaltLength>`), signedWith: param(ds + `<pss:SaltLength>20</pss:SaltLength>`), wantValue: Failed, wantSub: SigCryptoFailure},
		{name: "MGF1 with another digest", params: param(ds + `<pss:MaskGenerationFunction Algorithm="` + algMGF1 + `"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha512"/></pss:MaskGenerationFunction>`), wantValue: Unknown, wantSub: CryptoConstraintsFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := pssSigned(t, key, tt.params)
			if tt.signedWith != "" {
				doc = strings.Replace(doc, tt.params, tt.signedWith, 1)
			}
			rep, err := Verify(context.Background(), []byte(doc), Options{ValidationTime: validationTime})
			if err != nil {
				t.Fatal(err)
			}
			s := rep.Signatures[0]
			var got Status
			for _, c := range s.Checks {
				if c.Name == "signature value" {
					got = c.Status
				}
			}
			if got != tt.wantValue || s.SubIndication != tt.wantSub {
				t.Errorf("got signature value %s, verdict %s/%s; want %s, sub-indication %s; checks %+v", got, s.Indication, s.SubIndication, tt.wantValue, tt.wantSub, s.Checks)
			}
		})
	}
}

// TestKeyValueNoCertificateDigest checks that a XAdES SigningCertificate
// digest of no bytes does not match a KeyValue key, which has no certificate.
func TestKeyValueNoCertificateDigest(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	empty := sha256.Sum256(nil)
	props := `<ds:Object><xades:QualifyingProperties xmlns:xades="http://uri.etsi.org/01903/v1.3.2#"><xades:SignedProperties Id="sp"><xades:SignedSignatureProperties>` +
		`<xades:SigningCertificateV2><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>` +
		base64.StdEncoding.EncodeToString(empty[:]) + `</ds:DigestValue></xades:CertDigest></xades:Cert></xades:SigningCertificateV2>` +
		`</xades:SignedSignatureProperties></xades:SignedProperties></xades:QualifyingProperties></ds:Object>`
	doc := pssSignedWith(t, key, "", props)
	rep, err := Verify(context.Background(), []byte(doc), Options{ValidationTime: validationTime})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Signatures[0].Checks {
		if strings.HasPrefix(c.Name, "signing certificate (") && c.Status == Passed {
			t.Errorf("got %+v for a KeyValue key", c)
		}
	}
	if s := rep.Signatures[0]; s.SubIndication != NoSigningCertificateFound {
		t.Errorf("got %s/%s, want %s", s.Indication, s.SubIndication, NoSigningCertificateFound)
	}
}
