package xades

import (
	"context"
	"crypto"
	"math/big"
	"testing"

	"github.com/obieg/obieg/internal/safexml"
)

// FuzzVerify feeds arbitrary documents to Verify: it must return a report
// or an error, never panic, and never pass a signature without anchors.
func FuzzVerify(f *testing.F) {
	f.Add([]byte(`<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/></ds:Signature>`))
	opts := Options{
		ValidationTime: validationTime,
		Limits:         safexml.Limits{MaxBytes: 1 << 16, MaxDepth: 64, MaxElements: 2000},
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		rep, err := Verify(context.Background(), doc, opts)
		if err != nil {
			return
		}
		for _, s := range rep.Signatures {
			if s.Indication == TotalPassed {
				t.Fatalf("got %s without trust anchors", s.Indication)
			}
		}
		if _, err := rep.JSON(); err != nil {
			t.Fatalf("render report: %v", err)
		}
	})
}

// FuzzTimeStampResp feeds arbitrary answers to the RFC 3161 client's
// parser: it must refuse them or return a token over the imprint asked.
func FuzzTimeStampResp(f *testing.F) {
	f.Add([]byte{0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02})
	f.Add([]byte{0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x00})
	digest := make([]byte, 32)
	f.Fuzz(func(t *testing.T, body []byte) {
		tok, err := tokenFromResponse(body, digest, crypto.SHA256, big.NewInt(7))
		if err != nil {
			return
		}
		if err := checkToken(tok, digest, crypto.SHA256); err != nil {
			t.Fatalf("got a token over another imprint: %v", err)
		}
	})
}
