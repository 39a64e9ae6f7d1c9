package wssec

import (
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the fuzz seeds under testdata/fuzz")

// TestFuzzSeeds writes signed envelopes as seeds of FuzzVerify when run with -update; the
// seeds are kept because signing is randomised (ids, keys).
func TestFuzzSeeds(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite the seeds")
	}
	fx := newFixture(t)
	ts := *fx.office
	ts.Timestamp = time.Hour
	ts.Now = func() time.Time { return now }
	plain := *fx.office
	plain.plainID = true
	seeds := map[string]string{
		"signed":           sign(t, fx.office, request),
		"signed_header":    sign(t, fx.office, withHeader),
		"signed_timestamp": sign(t, &ts, request),
		"signed_plain_id":  sign(t, &plain, request),
		"unsigned":         request,
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzVerify")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, env := range seeds {
		data := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", env)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// FuzzVerify feeds Verify arbitrary envelopes, trusting any certificate so that the fuzzer
// reaches the signature checks: Verify must not panic, must fail with one of its kinds of
// error, and must give the same answer twice.
func FuzzVerify(f *testing.F) {
	f.Add([]byte(request))
	f.Add([]byte(withHeader))
	anyCert := func(*x509.Certificate) error { return nil }
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := Options{Now: now, Trusted: anyCert}
		v, err := Verify(data, opts)
		if err != nil {
			for _, kind := range []error{ErrUnsigned, ErrMalformed, ErrBadSignature, ErrUntrusted, ErrExpired} {
				if errors.Is(err, kind) {
					return
				}
			}
			t.Fatalf("error of no known kind: %v", err)
		}
		if v.Certificate == nil {
			t.Fatal("verified without a certificate")
		}
		if _, err := Verify(data, opts); err != nil {
			t.Fatalf("verified once, then not: %v", err)
		}
	})
}
