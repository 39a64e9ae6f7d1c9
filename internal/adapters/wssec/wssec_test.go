package wssec

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/obieg/obieg/internal/adapters/wssec/wssectest"
)

const request = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><ob:ZapytaniePullPobierz xmlns:ob="http://wsdl.epuap.gov.pl/obiekty/"><podmiot>ROPS</podmiot><nazwaSkrytki>skrytka</nazwaSkrytki><adresSkrytki>/ROPS/skrytka</adresSkrytki></ob:ZapytaniePullPobierz></soapenv:Body></soapenv:Envelope>`

const withHeader = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ob="http://wsdl.epuap.gov.pl/obiekty/"><s:Header><ob:IdentyfikatorPodmiotu>ROPS</ob:IdentyfikatorPodmiotu></s:Header><s:Body><ob:Dokument><nazwaPliku>a.xml</nazwaPliku><zawartosc>PGEvPg==</zawartosc></ob:Dokument></s:Body></s:Envelope>`

var now = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

type fixture struct {
	office, stranger *Signer
	officeID         wssectest.Identity
}

func newFixture(t testing.TB) fixture {
	t.Helper()
	ca := wssectest.NewCA(t, "Test CA")
	id := ca.Office(t, "ROPS")
	return fixture{office: signerOf(t, id), stranger: signerOf(t, ca.Office(t, "Obcy")), officeID: id}
}

func signerOf(t testing.TB, id wssectest.Identity) *Signer {
	t.Helper()
	s, err := NewSigner(id.Key, id.Cert)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sign(t testing.TB, s *Signer, env string) string {
	t.Helper()
	out, err := s.Sign([]byte(env))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// edit parses a signed envelope, lets f change it and writes it back.
func edit(t testing.TB, env string, f func(root, header, body *etree.Element)) string {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromString(env); err != nil {
		t.Fatal(err)
	}
	header, body := envelopeParts(doc.Root())
	f(doc.Root(), header, body)
	out, err := doc.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSignVerify(t *testing.T) {
	fx := newFixture(t)
	pins := NewPins(fx.office.Cert)
	ts := *fx.office
	ts.Timestamp = 5 * time.Minute
	ts.Now = func() time.Time { return now }
	plain := *fx.office
	plain.plainID = true
	signed := sign(t, fx.office, request)

	tests := []struct {
		name      string
		env       string
		now       time.Time
		wantErr   error
		wantStamp bool
	}{
		{name: "signed", env: signed},
		{name: "signed with header kept", env: sign(t, fx.office, withHeader)},
		{name: "signed with timestamp", env: sign(t, &ts, request), wantStamp: true},
		{name: "plain Id on the body", env: sign(t, &plain, request)},
		{name: "BOM and reformatted prolog", env: "\xEF\xBB\xBF" + signed},
		{name: "unsigned", env: request, wantErr: ErrUnsigned},
		{name: "header without security", env: withHeader, wantErr: ErrUnsigned},
		{name: "unregistered certificate", env: sign(t, fx.stranger, request), wantErr: ErrUntrusted},
		{name: "certificate not yet valid", env: signed, now: wssectest.NotBefore.Add(-time.Hour), wantErr: ErrUntrusted},
		{name: "timestamp expired", env: sign(t, &ts, request), now: now.Add(6 * time.Minute), wantErr: ErrExpired},
		{name: "timestamp in the future", env: sign(t, &ts, request), now: now.Add(-time.Hour), wantErr: ErrExpired},
		{name: "tampered body", env: strings.Replace(signed, "<podmiot>ROPS</podmiot>", "<podmiot>ROPX</podmiot>", 1), wantErr: ErrBadSignature},
		{name: "tampered signature value", env: edit(t, signed, func(_, h, _ *etree.Element) {
			sv := h.FindElement(".//SignatureValue")
			sv.SetText("AAAA" + sv.Text()[4:])
		}), wantErr: ErrBadSignature},
		{name: "tampered signed info", env: edit(t, signed, func(_, h, _ *etree.Element) {
			h.FindElement(".//DigestValue").SetText("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
		}), wantErr: ErrBadSignature},
		{name: "sha1 digest refused", env: strings.Replace(signed, AlgSHA256, "http://www.w3.org/2000/09/xmldsig#sha1", 1), wantErr: ErrMalformed},
		{name: "rsa-sha1 refused", env: strings.Replace(signed, AlgRSASHA256, "http://www.w3.org/2000/09/xmldsig#rsa-sha1", 1), wantErr: ErrMalformed},
		{name: "wrapping: signed body moved into header, new body", env: edit(t, signed, func(root, h, b *etree.Element) {
			root.RemoveChild(b)
			h.AddChild(b)
			nb := root.CreateElement("soapenv:Body")
			nb.CreateElement("ob:ZapytaniePullPobierz").CreateAttr("xmlns:ob", "http://wsdl.epuap.gov.pl/obiekty/")
		}), wantErr: ErrMalformed},
		{name: "wrapping: second element with the body id", env: edit(t, signed, func(root, h, b *etree.Element) {
			w := h.CreateElement("Wrapper")
			c := b.Copy()
			c.Tag = "Orig"
			w.AddChild(c)
		}), wantErr: ErrMalformed},
		{name: "reference to another element", env: edit(t, signed, func(root, h, b *etree.Element) {
			id := b.SelectAttrValue("wsu:Id", "")
			b.RemoveAttr("wsu:Id")
			b.ChildElements()[0].CreateAttr("Id", id)
		}), wantErr: ErrMalformed},
		{name: "two security headers", env: edit(t, signed, func(_, h, _ *etree.Element) {
			h.AddChild(h.ChildElements()[0].Copy())
		}), wantErr: ErrMalformed},
		{name: "key reference to a missing token", env: edit(t, signed, func(_, h, _ *etree.Element) {
			h.FindElement(".//SecurityTokenReference/Reference").CreateAttr("URI", "#nope")
		}), wantErr: ErrMalformed},
		{name: "DTD refused", env: `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>` + signed[strings.Index(signed, "<soapenv:Envelope"):], wantErr: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := now
			if !tt.now.IsZero() {
				at = tt.now
			}
			v, err := Verify([]byte(tt.env), Options{Now: at, Trusted: pins.Trusted})
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("got error %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if !v.Certificate.Equal(fx.office.Cert) {
				t.Errorf("got certificate %q, want %q", v.Certificate.Subject.CommonName, fx.office.Cert.Subject.CommonName)
			}
			if v.Timestamp != tt.wantStamp {
				t.Errorf("got timestamp %v, want %v", v.Timestamp, tt.wantStamp)
			}
		})
	}
}

func TestSignedShape(t *testing.T) {
	fx := newFixture(t)
	signed := sign(t, fx.office, request)
	doc := etree.NewDocument()
	if err := doc.ReadFromString(signed); err != nil {
		t.Fatal(err)
	}
	header, body := envelopeParts(doc.Root())
	sec := header.ChildElements()[0]
	if sec.NamespaceURI() != NSWSSE || sec.Tag != "Security" {
		t.Fatalf("got first header {%s}%s, want wsse:Security", sec.NamespaceURI(), sec.Tag)
	}
	kids := sec.ChildElements()
	if len(kids) != 2 || kids[0].Tag != "BinarySecurityToken" || kids[1].Tag != "Signature" {
		t.Fatalf("got Security children %v, want BinarySecurityToken then Signature", kids)
	}
	tokenID := kids[0].SelectAttrValue("wsu:Id", "")
	if got := kids[1].FindElement(".//SecurityTokenReference/Reference").SelectAttrValue("URI", ""); got != "#"+tokenID {
		t.Errorf("got key reference %q, want #%s", got, tokenID)
	}
	refs := kids[1].FindElements("./SignedInfo/Reference")
	if len(refs) != 1 || refs[0].SelectAttrValue("URI", "") != "#"+body.SelectAttrValue("wsu:Id", "") {
		t.Errorf("got references %v, want one to the body", refs)
	}
}

func TestKeyFiles(t *testing.T) {
	fx := newFixture(t)
	dir := t.TempDir()
	pemPath := filepath.Join(dir, "office.pem")
	p12Path := filepath.Join(dir, "office.p12")
	if err := os.WriteFile(pemPath, wssectest.PEM(t, fx.officeID), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p12Path, wssectest.PKCS12(t, fx.officeID, "tajne"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, password string
		wantErr              bool
	}{
		{name: "PKCS#8 PEM", path: pemPath},
		{name: "PKCS#12", path: p12Path, password: "tajne"},
		{name: "PKCS#12 wrong password", path: p12Path, password: "zle", wantErr: true},
		{name: "missing file", path: filepath.Join(dir, "none.pem"), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := LoadSigner(tt.path, tt.password)
			if tt.wantErr {
				if err == nil {
					t.Fatal("got no error, want one")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !s.Cert.Equal(fx.office.Cert) {
				t.Fatalf("got certificate %q, want the office's", s.Cert.Subject.CommonName)
			}
			out, err := s.Sign([]byte(request))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Verify(out, Options{Now: now, Trusted: NewPins(fx.office.Cert).Trusted}); err != nil {
				t.Fatalf("verify what the loaded key signed: %v", err)
			}
		})
	}
	certs, err := LoadCertificates(pemPath)
	if err != nil || len(certs) != 1 || !certs[0].Equal(fx.office.Cert) {
		t.Fatalf("LoadCertificates = %v, %v; want the office certificate", certs, err)
	}
	if _, err := ParseCertificates(fx.office.Cert.Raw); err != nil {
		t.Fatalf("ParseCertificates(DER): %v", err)
	}
}

func TestPins(t *testing.T) {
	fx := newFixture(t)
	var zero *Pins
	if zero.Contains(fx.office.Cert) {
		t.Fatal("nil Pins trusts a certificate")
	}
	p := NewPins(fx.office.Cert, fx.office.Cert)
	if !p.Contains(fx.office.Cert) || p.Contains(fx.stranger.Cert) {
		t.Fatal("Pins does not hold exactly the office certificate")
	}
	c, _ := x509.ParseCertificate(bytes.Clone(fx.office.Cert.Raw))
	if p.Trusted(c) != nil {
		t.Fatal("an equal certificate parsed again is not trusted")
	}
}

func TestSignRefuses(t *testing.T) {
	fx := newFixture(t)
	signed := sign(t, fx.office, request)
	tests := []struct {
		name string
		env  string
	}{
		{"already signed", signed},
		{"not an envelope", "<a/>"},
		{"not XML", "<"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := fx.office.Sign([]byte(tt.env)); err == nil {
				t.Fatal("got no error, want one")
			}
		})
	}
	// A default-namespace envelope is signed too, without a prefixed mustUnderstand.
	plain := `<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body><a xmlns="urn:a">x</a></Body></Envelope>`
	out := sign(t, fx.office, plain)
	if _, err := Verify([]byte(out), Options{Now: now, Trusted: NewPins(fx.office.Cert).Trusted}); err != nil {
		t.Fatalf("verify a signed default-namespace envelope: %v\n%s", err, out)
	}
}

// TestInclusiveNamespaces verifies a signature whose CanonicalizationMethod and Transform
// carry ec:InclusiveNamespaces PrefixList="soapenv", as Java's WSS4J writes them: the
// prefix list must be read, or the canonical forms differ.
func TestInclusiveNamespaces(t *testing.T) {
	fx := newFixture(t)
	env := edit(t, sign(t, fx.office, request), func(root, header, body *etree.Element) {
		si := header.FindElement(".//SignedInfo")
		for _, m := range append(si.FindElements("./CanonicalizationMethod"), si.FindElements(".//Transform")...) {
			in := m.CreateElement("ec:InclusiveNamespaces")
			in.CreateAttr("xmlns:ec", NSEC)
			in.CreateAttr("PrefixList", "soapenv")
		}
		digest, err := digestOf(body, "soapenv")
		if err != nil {
			t.Fatal(err)
		}
		si.FindElement(".//DigestValue").SetText(base64.StdEncoding.EncodeToString(digest))
		canonical, err := canonicalize(si, "soapenv")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(canonical), `xmlns:soapenv=`) {
			t.Fatalf("canonical SignedInfo lacks the included prefix: %s", canonical)
		}
		sum := sha256.Sum256(canonical)
		value, err := fx.office.Key.Sign(rand.Reader, sum[:], crypto.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		header.FindElement(".//SignatureValue").SetText(base64.StdEncoding.EncodeToString(value))
	})
	if _, err := Verify([]byte(env), Options{Now: now, Trusted: NewPins(fx.office.Cert).Trusted}); err != nil {
		t.Fatalf("got %v, want the signature verified", err)
	}
	// Without reading the prefix list the verifier would compute other digests: dropping it
	// from the Transform alone must break the body digest.
	broken := strings.Replace(env, `<ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="soapenv"/></ds:Transform>`, `</ds:Transform>`, 1)
	if _, err := Verify([]byte(broken), Options{Now: now, Trusted: NewPins(fx.office.Cert).Trusted}); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("prefix list dropped: got %v, want ErrBadSignature", err)
	}
}
