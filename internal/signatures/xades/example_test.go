package xades_test

import (
	"context"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/obieg/obieg/internal/dev/testpki"
	"github.com/obieg/obieg/internal/signatures/xades"
)

// Verify every signature of a submitted document at a given time, with no
// trust anchors configured yet: an intact signature then ends
// INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND. A form parser may read the
// document only if a signature it accepts covers the whole document. The
// document here is signed with a qualified certificate of the test PKI.
func ExampleVerify() {
	at := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	pki, err := testpki.New(testpki.Options{Seed: 1, At: at})
	if err != nil {
		fmt.Println(err)
		return
	}
	doc, err := pki.SignQualified(context.Background(), []byte(`<wnio:Dokument xmlns:wnio="http://crd.gov.pl/wzor/2013/12/12/1410/"/>`), pki.Citizen, at)
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := xades.Verify(context.Background(), doc, xades.Options{
		ValidationTime: at.Add(time.Hour),
	})
	if err != nil {
		fmt.Println("refused:", err)
		return
	}
	for _, s := range rep.Signatures {
		whole := false
		for _, r := range s.References {
			whole = whole || (r.WholeDocument && r.DigestMatch)
		}
		fmt.Println(s.Level, s.Indication, s.SubIndication, "covers whole document:", whole)
	}
	// Output: XAdES-B INDETERMINATE NO_CERTIFICATE_CHAIN_FOUND covers whole document: true
}

// Sign a form the way ePUAP does for a Profil Zaufany user, with the test
// PKI's seal, and verify it with the test trusted list's anchors.
func ExampleSign() {
	at := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	pki, err := testpki.New(testpki.Options{Seed: 1, At: at})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	opts, err := pki.SignOptions(pki.ProfilZaufany, at) // revocation data to embed
	if err != nil {
		fmt.Println(err)
		return
	}
	opts.ClaimedRoles = []string{pki.Person.PodpisZP()}
	signed, err := xades.Sign(ctx, []byte(`<wnio:Dokument xmlns:wnio="http://crd.gov.pl/wzor/2013/12/12/1410/"/>`), pki.ProfilZaufany, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := xades.Verify(ctx, signed, xades.Options{
		ValidationTime: at.Add(time.Hour),
		TrustAnchors:   []*x509.Certificate{pki.QualifiedCA.Cert},
		ProfilZaufany:  []*x509.Certificate{pki.ProfilZaufany.Cert},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := rep.Signatures[0]
	fmt.Println(s.Indication, s.Level, s.Signer.Claimed.Form, s.Signer.Claimed.Confirmed)
	// Output: TOTAL-PASSED XAdES-B PodpisZP true
}
