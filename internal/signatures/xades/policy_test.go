package xades

import (
	"context"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
)

// TestPolicyHash checks SigPolicyHash against the policy document: the
// one a DSS signature embeds in its SignaturePolicyStore (digested after
// C14N and an XPath Filter 2.0 subtraction), changed, or given in Options
// once the store is removed.
func TestPolicyHash(t *testing.T) {
	orig := readCorpus(t, "xades-extended-epes-with-sigPolStore.xml")
	store := regexp.MustCompile(`(?s)<xades141:SignaturePolicyDocument>(.*?)</xades141:SignaturePolicyDocument>`)
	m := store.FindStringSubmatch(orig)
	if m == nil {
		t.Fatal("no SignaturePolicyDocument in the corpus file")
	}
	policy, err := base64.StdEncoding.DecodeString(stripSpace(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	// A comment would not do: the policy is digested after C14N without comments.
	changed := strings.Replace(string(policy), "</", "x</", 1)
	withDoc := func(doc string) string {
		return store.ReplaceAllLiteralString(orig, "<xades141:SignaturePolicyDocument>"+base64.StdEncoding.EncodeToString([]byte(doc))+"</xades141:SignaturePolicyDocument>")
	}
	noStore := regexp.MustCompile(`(?s)<xades141:SignaturePolicyStore .*?</xades141:SignaturePolicyStore>`).ReplaceAllLiteralString(orig, "")
	const ident = "urn:sbr:signature-policy:xml:2.0"
	tests := []struct {
		name       string
		doc        string
		policies   map[string][]byte
		wantStatus Status
		wantDetail string
	}{
		{name: "embedded", doc: orig, wantStatus: Passed, wantDetail: "matches the policy document"},
		{name: "embedded, changed", doc: withDoc(changed), wantStatus: Failed, wantDetail: "does not match"},
		{name: "given", doc: noStore, policies: map[string][]byte{ident: policy}, wantStatus: Passed, wantDetail: "given to the verifier"},
		{name: "given, changed", doc: noStore, policies: map[string][]byte{ident: []byte(changed)}, wantStatus: Failed, wantDetail: "does not match"},
		{name: "not at hand", doc: noStore, wantStatus: Passed, wantDetail: "not at hand"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Verify(context.Background(), []byte(tt.doc), Options{ValidationTime: validationTime, Policies: tt.policies})
			if err != nil {
				t.Fatal(err)
			}
			s := rep.Signatures[0]
			var got *Check
			for i, c := range s.Checks {
				if c.Name == "signature policy" {
					got = &s.Checks[i]
				}
			}
			if got == nil || got.Status != tt.wantStatus || !strings.Contains(got.Detail, tt.wantDetail) {
				t.Fatalf("got policy check %+v, want %s with %q", got, tt.wantStatus, tt.wantDetail)
			}
			if tt.wantStatus == Failed && (s.Indication != Indeterminate || s.SubIndication != PolicyProcessingError) {
				t.Errorf("got %s/%s, want %s/%s", s.Indication, s.SubIndication, Indeterminate, PolicyProcessingError)
			}
		})
	}
}
