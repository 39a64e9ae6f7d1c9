package activities

import (
	"strings"

	"github.com/obieg/obieg/activities/contract"
	"github.com/obieg/obieg/internal/signatures/xades"
)

// summarize reduces a validation report to its verdict: the worst of the document's own
// signatures (counter-signatures are judged separately and do not decide).
func summarize(rep *xades.Report) contract.Signatures {
	var v contract.Signatures
	var deciding *xades.SignatureReport
	passed, failed, total := 0, 0, 0
	for _, s := range rep.Signatures {
		if s.CounterSignatureOf != "" {
			continue
		}
		total++
		switch s.Indication {
		case xades.TotalPassed:
			passed++
		case xades.TotalFailed:
			failed++
		}
		if deciding == nil || rank(s.Indication) > rank(deciding.Indication) {
			deciding = s
		}
		if s.Indication != xades.TotalFailed {
			for _, ref := range s.References {
				if ref.WholeDocument && ref.DigestMatch {
					v.CoversDocument = true
				}
			}
		}
	}
	switch {
	case total == 0:
		v.Status = contract.SignatureUnsigned
		return v
	case failed > 0:
		v.Status = contract.SignatureFailed
	case passed == total:
		v.Status = contract.SignaturePassed
	default:
		v.Status = contract.SignatureIndeterminate
	}
	v.Detail = strings.TrimSuffix(string(deciding.Indication)+"/"+string(deciding.SubIndication), "/")
	v.Signer = signerName(deciding)
	return v
}

// rank orders indications from best to worst.
func rank(i xades.Indication) int {
	switch i {
	case xades.TotalPassed:
		return 0
	case xades.Indeterminate:
		return 1
	}
	return 2
}

func signerName(s *xades.SignatureReport) string {
	if s.Signer == nil {
		return ""
	}
	if c := s.Signer.Claimed; c != nil && c.Confirmed {
		return strings.TrimSpace(c.GivenName + " " + c.FamilyName)
	}
	for _, part := range strings.Split(s.Signer.Subject, ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(part), "="); ok && k == "CN" {
			return v
		}
	}
	return ""
}
