package trust_test

import (
	"context"
	"crypto/x509"
	"fmt"
	"os"
	"time"

	"github.com/obieg/obieg/internal/trust"
)

// Verify the Polish trusted list against its pinned signer, then use it to
// validate signatures as the list stood at a time.
func ExampleVerifyList() {
	raw, err1 := os.ReadFile("../../../shared/testdata/trust/PL_TSL_seq139_2023-09-19.xml")
	der, err2 := os.ReadFile("../../../shared/testdata/trust/PL_TSL_signer.cer")
	if err1 != nil || err2 != nil {
		fmt.Println("trust material not available")
		return
	}
	signer, err := x509.ParseCertificate(der)
	if err != nil {
		fmt.Println(err)
		return
	}
	at := time.Date(2023, 9, 19, 12, 0, 0, 0, time.UTC)
	list, _, err := trust.VerifyList(context.Background(), raw, []*x509.Certificate{signer}, at)
	if err != nil {
		fmt.Println("list refused:", err)
		return
	}
	opts := list.VerifyOptions(at) // pass to xades.Verify
	fmt.Println(list.Territory, list.SequenceNumber, len(opts.TrustAnchors) > 0)
	// Output: PL 139 true
}
