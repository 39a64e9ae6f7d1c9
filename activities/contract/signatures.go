package contract

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
