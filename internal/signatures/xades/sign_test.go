package xades

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/signatures/safexml"
	"golang.org/x/text/encoding/charmap"
)

// The tests here sign synthetic documents with this package's own
// reference processing, so they check the plumbing (identity extraction,
// algorithms, multi-signature documents, charsets), not interoperability:
// the corpus of other implementations' signatures does that.

type testSigner struct {
	key    crypto.Signer
	cert   *x509.Certificate
	method string
}

func newTestSigner(tb testing.TB, kind string) *testSigner {
	tb.Helper()
	var key crypto.Signer
	var err error
	method := ""
	switch kind {
	case "rsa":
		key, err = rsa.GenerateKey(rand.Reader, 2048)
		method = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	case "rsa-pss":
		key, err = rsa.GenerateKey(rand.Reader, 2048)
		method = "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1"
	case "ecdsa-p384":
		key, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		method = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384"
	}
	if err != nil || key == nil {
		tb.Fatalf("generate %s key: %v", kind, err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(4242),
		Subject: pkix.Name{
			CommonName:   "Jan Kowalski",
			Country:      []string{"PL"},
			SerialNumber: "PNOPL-44051401359",
		},
		NotBefore: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:  time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:  x509.KeyUsageContentCommitment,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		tb.Fatalf("create certificate: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatalf("parse certificate: %v", err)
	}
	return &testSigner{key: key, cert: cert, method: method}
}

// sign fills every DigestValue and SignatureValue of the document, in
// document order (a counter-signature after its master).
func (ts *testSigner) sign(tb testing.TB, template string) string {
	tb.Helper()
	certDigest := sha256.Sum256(ts.cert.Raw)
	r := strings.NewReplacer(
		"{{CERT}}", base64.StdEncoding.EncodeToString(ts.cert.Raw),
		"{{CERTDIGEST}}", base64.StdEncoding.EncodeToString(certDigest[:]),
		"{{SIGALG}}", ts.method,
	)
	doc, err := safexml.ParseBytes([]byte(r.Replace(template)), safexml.Limits{})
	if err != nil {
		tb.Fatalf("parse template: %v", err)
	}
	v, sigs := newVerifier(doc, Options{ValidationTime: validationTime}.withDefaults())
	for _, sig := range sigs {
		si := childDS(sig, "SignedInfo")
		for _, ref := range dsChildren(si, "Reference") {
			uri, has := attr(ref, "URI")
			in, _, err := v.dereference(uri, has)
			if err != nil {
				tb.Fatalf("dereference %q: %v", uri, err)
			}
			out, _, err := v.applyTransforms(sig, childDS(ref, "Transforms"), in)
			if err != nil {
				tb.Fatalf("transform %q: %v", uri, err)
			}
			h := digestAlgs[childDS(ref, "DigestMethod").SelectAttrValue("Algorithm", "")]
			childDS(ref, "DigestValue").SetText(base64.StdEncoding.EncodeToString(digestOf(h, out)))
		}
		cmEl := childDS(si, "CanonicalizationMethod")
		prefixes := ""
		if inc := childNS(cmEl, nsExcC14N, "InclusiveNamespaces"); inc != nil {
			prefixes = inc.SelectAttrValue("PrefixList", "")
		}
		canon, err := canonicalize(&nodeSet{apex: si, comments: true}, cmEl.SelectAttrValue("Algorithm", ""), prefixes)
		if err != nil {
			tb.Fatalf("canonicalize SignedInfo: %v", err)
		}
		alg := sigAlgs[ts.method]
		digest := digestOf(alg.hash, canon)
		var sv []byte
		switch alg.key {
		case "rsa":
			sv, err = ts.key.Sign(rand.Reader, digest, alg.hash)
		case "rsa-pss":
			sv, err = ts.key.Sign(rand.Reader, digest, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: alg.hash})
		case "ecdsa":
			var der []byte
			der, err = ts.key.Sign(rand.Reader, digest, alg.hash)
			var rs struct{ R, S *big.Int }
			if err == nil {
				_, err = asn1.Unmarshal(der, &rs)
			}
			n := (ts.cert.PublicKey.(*ecdsa.PublicKey).Curve.Params().BitSize + 7) / 8
			sv = append(rs.R.FillBytes(make([]byte, n)), rs.S.FillBytes(make([]byte, n))...)
		}
		if err != nil {
			tb.Fatalf("sign: %v", err)
		}
		childDS(sig, "SignatureValue").SetText(base64.StdEncoding.EncodeToString(sv))
	}
	out, err := doc.WriteToString()
	if err != nil {
		tb.Fatalf("write signed document: %v", err)
	}
	return out
}

const podpisZP = `<ppZP:PodpisZP xmlns:ppZP="http://crd.gov.pl/xml/schematy/ppzp/" xmlns:os="http://crd.gov.pl/xml/schematy/osoba/2009/03/06/"><ppZP:DaneZP><ppZP:DaneZPOsobyFizycznej><os:Imie>Jan</os:Imie><os:Nazwisko>Kowalski</os:Nazwisko><os:PESEL>44051401359</os:PESEL></ppZP:DaneZPOsobyFizycznej></ppZP:DaneZP><ppZP:DanePodpisu><ppZP:IdKontaUzytkownikaEpuap>jkowalski</ppZP:IdKontaUzytkownikaEpuap></ppZP:DanePodpisu></ppZP:PodpisZP>`

const epSignature = `<pz:EPSignature xmlns:pz="http://crd.gov.pl/xml/schematy/podpis_zaufany/"><pz:NaturalPerson><pz:FirstName>Anna</pz:FirstName><pz:CurrentFamilyName>Nowak</pz:CurrentFamilyName><pz:PersonalIdentifier>02070803628</pz:PersonalIdentifier></pz:NaturalPerson></pz:EPSignature>`

// formTemplate is an ePUAP-like form with an enveloped XAdES-BES
// signature; the document reference uses transform, role is the claimed
// role content.
func formTemplate(transform, role string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<wnio:Dokument xmlns:wnio="http://crd.gov.pl/wzor/2013/12/12/1410/">
  <wnio:TrescDokumentu>Wniosek o Kartę Dużej Rodziny, Łódź</wnio:TrescDokumentu>
<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="sig-1"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="{{SIGALG}}"/><ds:Reference Id="doc-ref" URI=""><ds:Transforms>` + transform + `<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference><ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#sp-1"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue Id="sv-1"/><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{{CERT}}</ds:X509Certificate></ds:X509Data></ds:KeyInfo><ds:Object><xades:QualifyingProperties xmlns:xades="http://uri.etsi.org/01903/v1.3.2#" Target="#sig-1"><xades:SignedProperties Id="sp-1"><xades:SignedSignatureProperties><xades:SigningTime>2026-06-01T10:00:00Z</xades:SigningTime><xades:SigningCertificateV2><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>{{CERTDIGEST}}</ds:DigestValue></xades:CertDigest></xades:Cert></xades:SigningCertificateV2><xades:SignerRole><xades:ClaimedRoles><xades:ClaimedRole>` + role + `</xades:ClaimedRole></xades:ClaimedRoles></xades:SignerRole></xades:SignedSignatureProperties></xades:SignedProperties></xades:QualifyingProperties></ds:Object></ds:Signature></wnio:Dokument>
`
}

const (
	envelopedTransform = `<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>`
	filter2Transform   = `<ds:Transform Algorithm="http://www.w3.org/2002/06/xmldsig-filter2"><dsig-xpath:XPath xmlns:dsig-xpath="http://www.w3.org/2002/06/xmldsig-filter2" Filter="subtract">/descendant::ds:Signature</dsig-xpath:XPath></ds:Transform>`
	xpathTransform     = `<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><ds:XPath>not(ancestor-or-self::ds:Signature)</ds:XPath></ds:Transform>`
)

// foreignSignature is a second, broken signature some intermediary added.
const foreignSignature = `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="other"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#sp-1"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>`

func toISO88592(tb testing.TB, s string) string {
	tb.Helper()
	s = strings.Replace(s, `encoding="UTF-8"`, `encoding="ISO-8859-2"`, 1)
	b, err := charmap.ISO8859_2.NewEncoder().String(s)
	if err != nil {
		tb.Fatalf("encode ISO-8859-2: %v", err)
	}
	return b
}

func TestSyntheticSignatures(t *testing.T) {
	type want struct {
		ind     Indication
		sub     SubIndication
		claimed *ClaimedIdentity
	}
	intact := want{ind: Indeterminate, sub: NoCertificateChainFound}
	zp := &ClaimedIdentity{Form: "PodpisZP", GivenName: "Jan", FamilyName: "Kowalski", PESEL: "44051401359", Account: "jkowalski"}
	ep := &ClaimedIdentity{Form: "EPSignature", GivenName: "Anna", FamilyName: "Nowak", PESEL: "02070803628"}
	tests := []struct {
		name   string
		kind   string
		doc    string
		mutate func(t *testing.T, signed string) string
		want   want
	}{
		{name: "RSA, PodpisZP", kind: "rsa", doc: formTemplate(envelopedTransform, podpisZP), want: want{intact.ind, intact.sub, zp}},
		{name: "ECDSA P-384, EPSignature", kind: "ecdsa-p384", doc: formTemplate(envelopedTransform, epSignature), want: want{intact.ind, intact.sub, ep}},
		{name: "RSA-PSS", kind: "rsa-pss", doc: formTemplate(envelopedTransform, podpisZP), want: want{intact.ind, intact.sub, zp}},
		{name: "XPath Filter 2.0", kind: "rsa", doc: formTemplate(filter2Transform, podpisZP), want: want{intact.ind, intact.sub, zp}},
		{name: "XPath 1.0", kind: "ecdsa-p384", doc: formTemplate(xpathTransform, podpisZP), want: want{intact.ind, intact.sub, zp}},
		{
			name: "ISO-8859-2 document", kind: "rsa", doc: formTemplate(envelopedTransform, podpisZP),
			mutate: func(t *testing.T, s string) string { return toISO88592(t, s) },
			want:   want{intact.ind, intact.sub, zp},
		},
		{
			name: "claimed PESEL changed", kind: "rsa", doc: formTemplate(envelopedTransform, podpisZP),
			mutate: func(t *testing.T, s string) string {
				return mutate(t, s, "<os:PESEL>44051401359<", "<os:PESEL>02070803628<")
			},
			want: want{ind: TotalFailed, sub: HashFailure},
		},
		{
			name: "form content changed", kind: "ecdsa-p384", doc: formTemplate(envelopedTransform, epSignature),
			mutate: func(t *testing.T, s string) string { return mutate(t, s, "Łódź", "Lodz") },
			want:   want{ind: TotalFailed, sub: HashFailure},
		},
		{
			name: "second signature added, filter excludes all signatures", kind: "rsa", doc: formTemplate(filter2Transform, podpisZP),
			mutate: func(t *testing.T, s string) string {
				return mutate(t, s, "</wnio:Dokument>", foreignSignature+"</wnio:Dokument>")
			},
			want: want{intact.ind, intact.sub, zp},
		},
		{
			name: "second signature added, enveloped excludes only its own", kind: "rsa", doc: formTemplate(envelopedTransform, podpisZP),
			mutate: func(t *testing.T, s string) string {
				return mutate(t, s, "</wnio:Dokument>", foreignSignature+"</wnio:Dokument>")
			},
			want: want{ind: TotalFailed, sub: HashFailure},
		},
	}
	signers := map[string]*testSigner{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, ok := signers[tt.kind]
			if !ok {
				ts = newTestSigner(t, tt.kind)
				signers[tt.kind] = ts
			}
			doc := ts.sign(t, tt.doc)
			if tt.mutate != nil {
				doc = tt.mutate(t, doc)
			}
			rep, err := Verify(context.Background(), []byte(doc), Options{ValidationTime: validationTime})
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			s := rep.Signatures[0]
			if s.Indication != tt.want.ind || s.SubIndication != tt.want.sub {
				t.Fatalf("got %s/%s, want %s/%s; checks %+v", s.Indication, s.SubIndication, tt.want.ind, tt.want.sub, s.Checks)
			}
			if tt.want.claimed == nil {
				return
			}
			if s.Signer == nil || s.Signer.Claimed == nil {
				t.Fatalf("got signer %+v, want a claimed identity", s.Signer)
			}
			if s.Signer.Claimed.Confirmed {
				t.Errorf("got a confirmed claim without Options.ProfilZaufany, want unconfirmed")
			}
			if *s.Signer.Claimed != *tt.want.claimed {
				t.Errorf("got claimed identity %+v, want %+v", *s.Signer.Claimed, *tt.want.claimed)
			}
			if s.Signer.PESEL != "44051401359" || !strings.Contains(s.Signer.Subject, "Jan Kowalski") {
				t.Errorf("got signer PESEL %q subject %q, want 44051401359 and Jan Kowalski", s.Signer.PESEL, s.Signer.Subject)
			}
			if s.ClaimedSigningTime == nil || !s.ClaimedSigningTime.Equal(time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)) {
				t.Errorf("got signing time %v, want 2026-06-01T10:00:00Z", s.ClaimedSigningTime)
			}
			if !s.References[0].WholeDocument {
				t.Errorf("got document reference not covering the whole document, want it to")
			}
		})
	}
}

func TestIsPESEL(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"44051401359", true},
		{"02070803628", true},
		{"44051401358", false},
		{"4405140135", false},
		{"4405140135a", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := isPESEL(tt.in); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestProfilZaufanyConfirmation(t *testing.T) {
	pz := newTestSigner(t, "rsa")
	other := newTestSigner(t, "rsa")
	signed := pz.sign(t, formTemplate(envelopedTransform, podpisZP))
	tests := []struct {
		name string
		pz   []*x509.Certificate
		want bool
	}{
		{name: "seal configured", pz: []*x509.Certificate{pz.cert}, want: true},
		{name: "another seal configured", pz: []*x509.Certificate{other.cert}, want: false},
		{name: "nothing configured", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Verify(context.Background(), []byte(signed), Options{ValidationTime: validationTime, ProfilZaufany: tt.pz})
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			s := rep.Signatures[0]
			if s.Signer == nil || s.Signer.Claimed == nil || s.Signer.Claimed.Confirmed != tt.want {
				t.Errorf("got signer %+v, want claim confirmed=%v", s.Signer, tt.want)
			}
		})
	}
}
