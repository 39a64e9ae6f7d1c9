package trust_test

import (
	"context"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/obieg/obieg/internal/dev/testpki"
	"github.com/obieg/obieg/internal/signatures/trust"
)

// Verify a trusted list against its pinned signer, then use it to validate
// signatures as the list stood at a time. The list here is the test PKI's,
// for territory PL; the Polish one (OBIEG_TRUST_LIST) is verified the same
// way against the certificate its operator (NBP) publishes for it.
func ExampleVerifyList() {
	at := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	pki, err := testpki.New(testpki.Options{Seed: 1, At: at})
	if err != nil {
		fmt.Println(err)
		return
	}
	raw, err := pki.TrustedList(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	signer := pki.TSLSigner.Cert
	list, _, err := trust.VerifyList(context.Background(), raw, []*x509.Certificate{signer}, at)
	if err != nil {
		fmt.Println("list refused:", err)
		return
	}
	opts := list.VerifyOptions(at) // pass to xades.Verify
	fmt.Println(list.Territory, list.SequenceNumber, len(opts.TrustAnchors) > 0)
	// Output: PL 1 true
}
