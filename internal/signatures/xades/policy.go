package xades

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/beevik/etree"
)

// checkPolicyHash compares SigPolicyHash with the digest of the signature
// policy document, when the verifier has it: from the signature's XAdES
// 1.4.1 SignaturePolicyStore (an embedded SignaturePolicyDocument naming
// the same policy), else from Options.Policies. Nothing is fetched (the
// SPURI qualifier is not followed). The ds:Transforms of
// SignaturePolicyId, if any, are applied first. A hash that does not match
// is INDETERMINATE/POLICY_PROCESSING_ERROR, as EN 319 102-1 and EU DSS
// have it; a document that is not at hand, or transforms that cannot be
// applied, leave the policy unchecked, and the report says so.
func (v *verifier) checkPolicyHash(s *sigState, id, h *etree.Element) {
	ident := ""
	if spid := childXAdES(id, "SigPolicyId"); spid != nil {
		if i := childXAdES(spid, "Identifier"); i != nil {
			ident = strings.TrimSpace(i.Text())
		}
	}
	doc, from := v.policyDocument(s, ident)
	if doc == nil {
		s.check("signature policy", Passed, "", fmt.Sprintf("policy %q identified, with a hash; the policy document is not at hand and was not checked", ident))
		return
	}
	dmAlg := childDS(h, "DigestMethod").SelectAttrValue("Algorithm", "")
	hash, ok := digestAlgs[dmAlg]
	if !ok {
		s.check("signature policy", Unknown, CryptoConstraintsFailure, "unsupported SigPolicyHash digest "+dmAlg)
		return
	}
	want, err := base64.StdEncoding.DecodeString(stripSpace(childDS(h, "DigestValue").Text()))
	if err != nil {
		s.check("signature policy", Failed, FormatFailure, "SigPolicyHash DigestValue is not base64")
		return
	}
	data := doc
	if tr := childDS(id, "Transforms"); tr != nil {
		if data, _, err = v.applyTransforms(s.el, tr, &refData{octets: doc}); err != nil {
			s.check("signature policy", Info, "", fmt.Sprintf("policy %q (%s): its transforms could not be applied, hash not checked: %v", ident, from, err))
			s.warn("the signature policy hash was not checked: %v", err)
			return
		}
	}
	if !bytes.Equal(digestOf(hash, data), want) {
		s.check("signature policy", Failed, PolicyProcessingError, fmt.Sprintf("SigPolicyHash does not match the policy document %q (%s)", ident, from))
		return
	}
	s.check("signature policy", Passed, "", fmt.Sprintf("SigPolicyHash matches the policy document %q (%s)", ident, from))
}

// policyDocument returns the policy document named ident and where it
// came from.
func (v *verifier) policyDocument(s *sigState, ident string) ([]byte, string) {
	if s.unsigned != nil {
		for _, sps := range childrenXAdES(s.unsigned, "SignaturePolicyStore") {
			spec := childXAdES(sps, "SPDocSpecification")
			doc := childXAdES(sps, "SignaturePolicyDocument")
			if spec == nil || doc == nil {
				continue
			}
			if i := childXAdES(spec, "Identifier"); i == nil || strings.TrimSpace(i.Text()) != ident {
				continue
			}
			if b, err := base64.StdEncoding.DecodeString(stripSpace(doc.Text())); err == nil {
				return b, "embedded in SignaturePolicyStore"
			}
		}
	}
	if b, ok := v.opts.Policies[ident]; ok {
		return b, "given to the verifier"
	}
	return nil, ""
}
