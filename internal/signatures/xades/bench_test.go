package xades

import (
	"context"
	"os"
	"testing"

	"github.com/obieg/obieg/internal/dev/sharedtest"
)

func benchmarkVerify(b *testing.B, path string) {
	doc, err := os.ReadFile(path)
	if err != nil {
		b.Fatalf("corpus not available: %v", err)
	}
	opts := Options{ValidationTime: validationTime}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Verify(context.Background(), doc, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyXAdESB verifies a small enveloped XAdES-B-B signature.
func BenchmarkVerifyXAdESB(b *testing.B) {
	benchmarkVerify(b, sharedtest.Dir(b, "testdata", "xades", "dss-signed.xml"))
}

// BenchmarkVerifyXAdEST verifies an enveloping XAdES-T with its time-stamp.
func BenchmarkVerifyXAdEST(b *testing.B) {
	benchmarkVerify(b, sharedtest.Dir(b, "testdata", "xades", "xades-extended-t.xml"))
}

// BenchmarkVerifyPolishTSL verifies the signature of the 760 KB Polish
// trusted list.
func BenchmarkVerifyPolishTSL(b *testing.B) {
	benchmarkVerify(b, sharedtest.Dir(b, "testdata", "trust", "PL_TSL_seq139_2023-09-19.xml"))
}
