package xades_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/obieg/obieg/internal/xades"
)

// Verify every signature of a submitted document at a given time, with no
// trust anchors configured yet: an intact signature then ends
// INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND. A form parser may read the
// document only if a signature it accepts covers the whole document.
func ExampleVerify() {
	doc, err := os.ReadFile("../../../shared/testdata/xades/dss-signed.xml")
	if err != nil {
		fmt.Println("corpus not available")
		return
	}
	rep, err := xades.Verify(context.Background(), doc, xades.Options{
		ValidationTime: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC),
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
