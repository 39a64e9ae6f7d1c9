// Package trust reads EU trusted lists (ETSI TS 119 612: a national TSL
// such as Poland's, and the EU list of trusted lists) and turns them into
// trust anchors for signature validation at a given time.
//
// Parse reads a list: scheme information, pointers to other lists (in the
// LOTL), trust service providers and their services with the current
// status and the status history. Service.StatusAt answers what the status
// of a service was at a time, and List.Anchors collects the certificates of
// the services of given types (by default the qualified CAs) whose status
// was positive then.
//
// VerifyList checks a list's own enveloped XAdES signature with
// internal/signatures/xades against pinned signer certificates (from configuration
// or from the LOTL pointer of the territory) and requires it to cover the
// whole list. Chain builds certificate chains from a signer certificate
// and the certificates a signature carries to list-derived anchors.
//
// List.Qualify decides, after ETSI TS 119 615, whether a validated chain's
// signing certificate was qualified for e-signatures or seals and on a
// QSCD (QESig, AdESig-QC, QESeal, AdESeal-QC) from the service's status,
// its qualifications (criteria on key usage and policies) and the
// certificate's own QC statements; List.VerifyOptions wires it, the
// anchors and the time-stamping anchors into internal/signatures/xades.
//
// Not yet done: fetching lists (callers supply bytes), following the LOTL
// to national lists automatically, otherCriteriaList conditions (a
// criteria list holding one is treated as not matching), TakenOverBy, and
// the qualification rules for certificates issued before eIDAS beyond the
// default type.
package trust
