package activities

import (
	"strings"

	"github.com/obieg/obieg/internal/xades"
)

// Signature statuses of a submission.
const (
	SignatureUnsigned      = "unsigned"      // no signature: a formal defect (art. 64 §2 KPA)
	SignaturePassed        = "passed"        // every signature TOTAL-PASSED
	SignatureIndeterminate = "indeterminate" // none failed, not all passed (e.g. trust not established)
	SignatureFailed        = "failed"        // a signature is TOTAL-FAILED
)

// Quarantine reasons that come from signatures (beside those of forms.Reason).
const (
	ReasonSignatureFailed = "signature-failed" // a signature is broken: the content may have been altered
	ReasonSignatureScope  = "signature-scope"  // no signature covers the whole document
)

// Signatures is the verdict on a document's signatures, as the workflow carries it: no
// personal identifier, the full report stays in S3.
type Signatures struct {
	Status string `json:"status"`
	// Detail is the indication and sub-indication of the deciding signature.
	Detail string `json:"detail,omitempty"`
	// Signer names who signed: the confirmed Profil Zaufany person, or the certificate's
	// common name. Never a PESEL.
	Signer string `json:"signer,omitempty"`
	// ReportKey is the S3 key of the ETSI validation report (XML).
	ReportKey string `json:"report_key,omitempty"`
	// CoversDocument says a valid reference of a signature covers the whole document, so
	// what obieg reads of it is what was signed.
	CoversDocument bool `json:"covers_document"`
}

// summarize reduces a validation report to its verdict: the worst of the document's own
// signatures (counter-signatures are judged separately and do not decide).
func summarize(rep *xades.Report) Signatures {
	var v Signatures
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
		v.Status = SignatureUnsigned
		return v
	case failed > 0:
		v.Status = SignatureFailed
	case passed == total:
		v.Status = SignaturePassed
	default:
		v.Status = SignatureIndeterminate
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
