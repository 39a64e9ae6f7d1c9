package xades

import (
	"encoding/json"
	"time"
)

// Indication is the main status of a signature validation, as in ETSI EN
// 319 102-1 clause 5.1.3.
type Indication string

// Indications.
const (
	TotalPassed   Indication = "TOTAL-PASSED"
	Indeterminate Indication = "INDETERMINATE"
	TotalFailed   Indication = "TOTAL-FAILED"
)

// SubIndication explains an Indication other than TotalPassed (ETSI EN
// 319 102-1 table 5).
type SubIndication string

// Sub-indications used by this package.
const (
	FormatFailure             SubIndication = "FORMAT_FAILURE"
	HashFailure               SubIndication = "HASH_FAILURE"
	SigCryptoFailure          SubIndication = "SIG_CRYPTO_FAILURE"
	NotYetValid               SubIndication = "NOT_YET_VALID"
	CryptoConstraintsFailure  SubIndication = "CRYPTO_CONSTRAINTS_FAILURE"
	NoSigningCertificateFound SubIndication = "NO_SIGNING_CERTIFICATE_FOUND"
	NoCertificateChainFound   SubIndication = "NO_CERTIFICATE_CHAIN_FOUND"
	SignedDataNotFound        SubIndication = "SIGNED_DATA_NOT_FOUND"
	OutOfBoundsNoPOE          SubIndication = "OUT_OF_BOUNDS_NO_POE"
	ChainConstraintsFailure   SubIndication = "CHAIN_CONSTRAINTS_FAILURE"
	TryLater                  SubIndication = "TRY_LATER"
	RevokedNoPOE              SubIndication = "REVOKED_NO_POE"
	RevokedCANoPOE            SubIndication = "REVOKED_CA_NO_POE"
	TimestampOrderFailure     SubIndication = "TIMESTAMP_ORDER_FAILURE"
	PolicyProcessingError     SubIndication = "POLICY_PROCESSING_ERROR"
)

// failedSubs are the sub-indications that make a signature TOTAL-FAILED,
// in order of precedence (EN 319 102-1 5.2.7 checks the references before
// the signature value, as EU DSS does); every other one makes it INDETERMINATE.
var failedSubs = []SubIndication{HashFailure, SigCryptoFailure, FormatFailure}

// indeterminateSubs are the INDETERMINATE sub-indications in order of
// precedence.
var indeterminateSubs = []SubIndication{
	NoSigningCertificateFound, CryptoConstraintsFailure, SignedDataNotFound,
	// EN 319 102-1 initializes the validation constraints from the policy
	// (5.2.4) before it validates the certificate chain (5.2.6).
	PolicyProcessingError,
	NoCertificateChainFound, RevokedNoPOE, RevokedCANoPOE, NotYetValid, OutOfBoundsNoPOE,
	ChainConstraintsFailure, TimestampOrderFailure, TryLater,
}

// Level is the signature level reached by the form of the signature
// (ETSI EN 319 132-1 baseline levels; XAdES-C/X map to T, X-L to LT,
// A to LTA). It says what the signature carries, not that it was verified.
type Level string

// Levels.
const (
	LevelXMLDSig Level = "XMLDSig"
	LevelB       Level = "XAdES-B"
	LevelT       Level = "XAdES-T"
	LevelLT      Level = "XAdES-LT"
	LevelLTA     Level = "XAdES-LTA"
)

// Status is the outcome of one check.
type Status string

// Statuses.
const (
	Passed Status = "PASSED"
	Failed Status = "FAILED"
	// Unknown means the check could not be carried out (unsupported
	// algorithm, missing data); it never counts as passed.
	Unknown Status = "UNKNOWN"
	// Info records something observed that is neither passed nor failed.
	Info Status = "INFO"
)

// Report is the result of verifying every signature in one document.
type Report struct {
	// ValidationTime is the time the signatures were validated at (from Options).
	ValidationTime time.Time `json:"validationTime"`
	// Signatures holds one entry per ds:Signature, in document order;
	// counter-signatures appear here too, with CounterSignatureOf set.
	Signatures []*SignatureReport `json:"signatures"`
	// Warnings are document-level observations (such as duplicate ids).
	Warnings []string `json:"warnings,omitempty"`
}

// SignatureReport is the validation result of one ds:Signature.
type SignatureReport struct {
	// ID is the Id attribute of the ds:Signature, if any.
	ID string `json:"id,omitempty"`
	// CounterSignatureOf is the ID of the signature this one countersigns.
	CounterSignatureOf string `json:"counterSignatureOf,omitempty"`
	// XAdESNamespace is the XAdES namespace of the qualifying properties,
	// empty for a plain XMLDSig signature.
	XAdESNamespace string        `json:"xadesNamespace,omitempty"`
	Level          Level         `json:"level"`
	Indication     Indication    `json:"indication"`
	SubIndication  SubIndication `json:"subIndication,omitempty"`
	// Checks lists every check made, in the order made.
	Checks   []Check  `json:"checks"`
	Warnings []string `json:"warnings,omitempty"`
	// Signer describes the signing certificate when it was identified.
	Signer *SignerInfo `json:"signer,omitempty"`
	// ClaimedSigningTime is the XAdES SigningTime, as claimed by the signer.
	ClaimedSigningTime *time.Time `json:"claimedSigningTime,omitempty"`
	// ProofOfExistence is the earliest time a trusted signature time-stamp
	// proves the signature existed at.
	ProofOfExistence *time.Time `json:"proofOfExistence,omitempty"`
	// SignatureValue is the base64 ds:SignatureValue, identifying the
	// signature in the XML report.
	SignatureValue string `json:"signatureValue,omitempty"`
	// ValidationTime repeats Report.ValidationTime for a self-contained entry.
	ValidationTime  time.Time `json:"validationTime"`
	SignatureMethod string    `json:"signatureMethod,omitempty"`
	// Qualification is what Options.Qualify decided (QESig, AdESig-QC,
	// QESeal, AdESeal-QC, AdES, N/A), empty without a chain or a Qualify.
	Qualification string `json:"qualification,omitempty"`
	// Chain is the certificate chain built from the signing certificate to
	// the trust anchor (last), when one was built.
	Chain      []ChainCertificate `json:"chain,omitempty"`
	References []ReferenceReport  `json:"references,omitempty"`
	// Scope lists the signed data objects, where each is and what was
	// applied to it (see SignatureScope); Coverage sums it up. Only what
	// Scope names is signed: content elsewhere in the document is not,
	// whatever the indication.
	Scope      []SignatureScope  `json:"scope"`
	Coverage   Coverage          `json:"coverage"`
	Timestamps []TimestampReport `json:"timestamps,omitempty"`
}

// Check is one verification step and its outcome.
type Check struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	// SubIndication is what a failed or unknown check contributes to the verdict.
	SubIndication SubIndication `json:"subIndication,omitempty"`
	Detail        string        `json:"detail,omitempty"`
}

// ChainCertificate names one certificate of a validated chain.
type ChainCertificate struct {
	Subject string `json:"subject"`
	// SHA256 is the hex SHA-256 fingerprint of the DER certificate.
	SHA256 string `json:"sha256"`
}

// ReferenceReport is the outcome of one ds:Reference.
type ReferenceReport struct {
	ID           string `json:"id,omitempty"`
	URI          string `json:"uri"`
	Type         string `json:"type,omitempty"`
	DigestMethod string `json:"digestMethod"`
	// Transforms lists the transforms applied, by algorithm URI (an XPath
	// filter followed by its expression), in order.
	Transforms []string `json:"transforms,omitempty"`
	// Resolved says whether the referenced data was found; external URIs
	// are never fetched, only taken from Options.Detached.
	Resolved bool `json:"resolved"`
	// DigestMatch says whether the computed digest equals DigestValue.
	DigestMatch bool `json:"digestMatch"`
	// WholeDocument says the reference covers the whole document element,
	// less ds:Signature subtrees only. A form parser may then read the
	// document, but never content inside any ds:Signature element: with an
	// XPath or Filter 2.0 exclusion of all signatures, an attacker can add
	// unsigned content wrapped in a ds:Signature of their own.
	WholeDocument bool   `json:"wholeDocument,omitempty"`
	Detail        string `json:"detail,omitempty"`
	// Manifest holds the references of a ds:Manifest this reference covers.
	Manifest []ReferenceReport `json:"manifest,omitempty"`
}

// TimestampReport is the outcome of one XAdES time-stamp.
type TimestampReport struct {
	// Kind is the XAdES element name, such as SignatureTimeStamp.
	Kind string `json:"kind"`
	// GenTime is the time in the token, when it could be read.
	GenTime *time.Time `json:"genTime,omitempty"`
	// ImprintMatch says whether the message imprint covers the data it
	// should; false with Detail when it was not or could not be checked.
	ImprintMatch bool `json:"imprintMatch"`
	// Trusted says the TSA chains to Options.TimestampAnchors at GenTime;
	// only then does the time-stamp prove the signature existed at GenTime.
	Trusted bool   `json:"trusted"`
	Status  Status `json:"status"`
	Detail  string `json:"detail,omitempty"`
}

// SignerInfo identifies the holder of the signing certificate.
type SignerInfo struct {
	Subject      string    `json:"subject"`
	Issuer       string    `json:"issuer"`
	SerialNumber string    `json:"serialNumber"`
	NotBefore    time.Time `json:"notBefore"`
	NotAfter     time.Time `json:"notAfter"`
	// PESEL is taken from a subject serialNumber of the form PNOPL-<PESEL>.
	PESEL string `json:"pesel,omitempty"`
	// QCStatements are the ETSI EN 319 412-5 statements the certificate
	// makes about itself (QcCompliance, QcSSCD, QcType-esign...). They are
	// claims: whether the certificate is qualified is decided by the
	// trusted list, which this report does not yet do.
	QCStatements []string `json:"qcStatements,omitempty"`
	// KeyUsage lists the certificate's key usages relevant to signing.
	KeyUsage []string `json:"keyUsage,omitempty"`
	// Claimed is the identity a Profil Zaufany signature claims in
	// SignerRole/ClaimedRoles (PodpisZP or EPSignature). It is covered by
	// the signature, but anyone can sign such a claim: it is the person's
	// identity only when Claimed.Confirmed says the signing certificate is
	// the Profil Zaufany seal (Options.ProfilZaufany).
	Claimed *ClaimedIdentity `json:"claimed,omitempty"`
}

// ClaimedIdentity is the person a Profil Zaufany signature names.
type ClaimedIdentity struct {
	// Form is "PodpisZP" or "EPSignature".
	Form       string `json:"form"`
	GivenName  string `json:"givenName,omitempty"`
	FamilyName string `json:"familyName,omitempty"`
	PESEL      string `json:"pesel,omitempty"`
	// Account is the ePUAP user account id (PodpisZP only).
	Account string `json:"account,omitempty"`
	// Confirmed says the signing certificate is one of, or was issued by
	// one of, Options.ProfilZaufany: only then does the claim identify the
	// person (the signature's own indication still has to be accepted).
	Confirmed bool `json:"confirmed"`
}

// JSON returns the report as indented JSON; XML returns the ETSI TS 119
// 102-2 form.
func (r *Report) JSON() ([]byte, error) {
	return json.MarshalIndent(r, "", "  ")
}
