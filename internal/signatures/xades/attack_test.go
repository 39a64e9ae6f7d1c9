package xades

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/obieg/obieg/internal/dev/sharedtest"
	"github.com/obieg/obieg/internal/signatures/safexml"
)

func readCorpus(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(sharedtest.Dir(tb, "testdata", "xades", name))
	if err != nil {
		tb.Fatalf("corpus not available: %v", err)
	}
	return string(b)
}

// mutate replaces the only occurrence of old in s.
func mutate(tb testing.TB, s, old, new string) string {
	tb.Helper()
	if n := strings.Count(s, old); n != 1 {
		tb.Fatalf("mutate: got %d occurrences of %q, want 1", n, old)
	}
	return strings.Replace(s, old, new, 1)
}

func signedProperties(tb testing.TB, s string) string {
	tb.Helper()
	i := strings.Index(s, "<xades:SignedProperties")
	j := strings.Index(s, "</xades:SignedProperties>")
	if i < 0 || j < i {
		tb.Fatalf("no SignedProperties in document")
	}
	return s[i : j+len("</xades:SignedProperties>")]
}

func TestAttacks(t *testing.T) {
	orig := readCorpus(t, "dss-signed.xml")
	sp := signedProperties(t, orig)
	forgedSP := strings.Replace(sp, "2019-02-19T12:29:01Z", "2018-01-01T00:00:00Z", 1)
	tests := []struct {
		name    string
		doc     func(t *testing.T) string
		wantInd Indication
		wantSub SubIndication
		// wantDetail, if set, must appear in the detail of a check.
		wantDetail string
	}{
		{
			name:    "untouched",
			doc:     func(t *testing.T) string { return orig },
			wantInd: Indeterminate, wantSub: NoCertificateChainFound,
		},
		{
			name: "comment added to the signed document",
			doc: func(t *testing.T) string {
				return mutate(t, orig, "<h:td>Hello</h:td>", "<h:td>Hello<!-- injected --></h:td>")
			},
			wantInd: Indeterminate, wantSub: NoCertificateChainFound,
		},
		{
			name: "text of the signed document changed",
			doc: func(t *testing.T) string {
				return mutate(t, orig, "<h:td>Hello</h:td>", "<h:td>Goodbye</h:td>")
			},
			wantInd: TotalFailed, wantSub: HashFailure,
		},
		{
			// The forged properties take the original Id and sit inside the
			// signature (outside what URI="" covers); the id is now on two
			// elements and the reference to it is refused.
			name: "duplicate id for a forged SignedProperties",
			doc: func(t *testing.T) string {
				return mutate(t, orig, "</ds:Signature>", "<ds:Object>"+forgedSP+"</ds:Object></ds:Signature>")
			},
			wantInd: Indeterminate, wantSub: SignedDataNotFound, // as EU DSS,
		},
		{
			// The signed original moves to another ds:Object of the same
			// signature (declaring the namespace it needs), where its digest
			// still matches; a forged copy with
			// another Id takes its place in QualifyingProperties.
			name: "signed properties moved out of QualifyingProperties",
			doc: func(t *testing.T) string {
				forged := strings.Replace(forgedSP, `Id="xades-id-`, `Id="forged-`, 1)
				s := mutate(t, orig, sp, forged)
				return mutate(t, s, "</ds:Signature>", `<ds:Object xmlns:xades="http://uri.etsi.org/01903/v1.3.2#">`+sp+"</ds:Object></ds:Signature>")
			},
			wantInd: Indeterminate, wantSub: SignedDataNotFound, // as EU DSS
		},
		{
			// A second, unsigned SignedProperties next to the signed one.
			name: "second SignedProperties in QualifyingProperties",
			doc: func(t *testing.T) string {
				forged := strings.Replace(forgedSP, `Id="xades-id-`, `Id="forged-`, 1)
				return mutate(t, orig, sp, sp+forged)
			},
			wantInd: Indeterminate, wantSub: SignedDataNotFound, // as EU DSS,
		},
		{
			name: "signing time changed after signing",
			doc: func(t *testing.T) string {
				return mutate(t, orig, "2019-02-19T12:29:01Z", "2018-01-01T00:00:00Z")
			},
			wantInd: TotalFailed, wantSub: HashFailure,
		},
		{
			name: "QualifyingProperties dropped but reference type kept",
			doc: func(t *testing.T) string {
				s := mutate(t, orig, sp, "")
				return mutate(t, s, `Target="#id-8aa555101680cd4b9ace1ab16b32e4d3">`, `Target="#id-8aa555101680cd4b9ace1ab16b32e4d3"><xades:UnsignedProperties/>`)
			},
			wantInd: TotalFailed, wantSub: FormatFailure,
		},
		{
			name: "too many transforms",
			doc: func(t *testing.T) string {
				tr := `<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>`
				return mutate(t, orig, `<ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>`,
					`<ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>`+strings.Repeat(tr, 9))
			},
			// Changing the transforms changes SignedInfo too; what matters is
			// that the reference was refused before any transform ran.
			wantInd: TotalFailed, wantSub: SigCryptoFailure, wantDetail: "more than 8",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Verify(context.Background(), []byte(tt.doc(t)), Options{ValidationTime: validationTime})
			if err != nil {
				t.Fatalf("got error %v, want a report", err)
			}
			if len(rep.Signatures) != 1 {
				t.Fatalf("got %d signatures, want 1", len(rep.Signatures))
			}
			s := rep.Signatures[0]
			if s.Indication != tt.wantInd || s.SubIndication != tt.wantSub {
				t.Errorf("got %s/%s, want %s/%s; checks %+v", s.Indication, s.SubIndication, tt.wantInd, tt.wantSub, s.Checks)
			}
			if tt.wantDetail != "" && !slices.ContainsFunc(s.Checks, func(c Check) bool { return strings.Contains(c.Detail, tt.wantDetail) }) {
				t.Errorf("got checks %+v, want one whose detail has %q", s.Checks, tt.wantDetail)
			}
		})
	}
}

func TestVerifyErrors(t *testing.T) {
	orig := readCorpus(t, "dss-signed.xml")
	tests := []struct {
		name    string
		doc     string
		opts    Options
		wantErr error
	}{
		{name: "no validation time", doc: orig, opts: Options{}, wantErr: ErrNoValidationTime},
		{name: "doctype", doc: `<!DOCTYPE x [<!ENTITY a "b">]>` + orig[strings.Index(orig, "?>")+2:], opts: Options{ValidationTime: validationTime}, wantErr: safexml.ErrDTD},
		{name: "too large", doc: orig, opts: Options{ValidationTime: validationTime, Limits: safexml.Limits{MaxBytes: 100}}, wantErr: safexml.ErrTooLarge},
		{name: "too many signatures", doc: orig, opts: Options{ValidationTime: validationTime, MaxSignatures: -1}, wantErr: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Verify(context.Background(), []byte(tt.doc), tt.opts)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("got error %v, want %v", err, tt.wantErr)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Verify(ctx, []byte(orig), Options{ValidationTime: validationTime}); !errors.Is(err, context.Canceled) {
		t.Errorf("got error %v with a cancelled context, want %v", err, context.Canceled)
	}
}

func TestReferenceBudget(t *testing.T) {
	orig := readCorpus(t, "dss-signed.xml")
	rep, err := Verify(context.Background(), []byte(orig), Options{ValidationTime: validationTime, MaxTotalReferences: 1})
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	s := rep.Signatures[0]
	if s.Indication != Indeterminate || s.SubIndication != SignedDataNotFound {
		t.Errorf("got %s/%s, want %s/%s", s.Indication, s.SubIndication, Indeterminate, SignedDataNotFound)
	}
}

func TestNoSignature(t *testing.T) {
	rep, err := Verify(context.Background(), []byte(`<a/>`), Options{ValidationTime: validationTime})
	if err != nil {
		t.Fatalf("got error %v, want none", err)
	}
	if len(rep.Signatures) != 0 {
		t.Errorf("got %d signatures, want 0", len(rep.Signatures))
	}
}

func TestReportJSON(t *testing.T) {
	rep := verifyFile(t, "dss-signed.xml")
	b, err := rep.JSON()
	if err != nil {
		t.Fatalf("render JSON: %v", err)
	}
	var back struct {
		Signatures []struct {
			Indication    string `json:"indication"`
			SubIndication string `json:"subIndication"`
			Level         string `json:"level"`
			Signer        struct {
				Subject string `json:"subject"`
			} `json:"signer"`
		} `json:"signatures"`
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("parse rendered JSON: %v", err)
	}
	if len(back.Signatures) != 1 {
		t.Fatalf("got %d signatures in JSON, want 1", len(back.Signatures))
	}
	got := back.Signatures[0]
	if got.Indication != string(Indeterminate) || got.SubIndication != string(NoCertificateChainFound) || got.Level != string(LevelB) {
		t.Errorf("got %s/%s level %s, want %s/%s level %s", got.Indication, got.SubIndication, got.Level, Indeterminate, NoCertificateChainFound, LevelB)
	}
	if !strings.Contains(got.Signer.Subject, "good-user") {
		t.Errorf("got signer %q, want good-user", got.Signer.Subject)
	}
}
