// Package testpki builds, at run time and from a seed, a test public-key
// infrastructure shaped like the Polish one, for tests, demo data and
// benchmarks: never for production.
//
// New makes, valid around Options.At:
//
//   - a national root and a qualified CA under it, with a delegated OCSP
//     responder, a qualified time-stamping unit and a trusted-list signer;
//     TrustedList returns a signed EU trusted list (ETSI TS 119 612) that
//     lists the qualified CA (CA/QC, QCWithQSCD) and the TSA (TSA/QTST),
//     so that internal/signatures/trust can anchor on it;
//   - the Profil Zaufany seal of the ministry (a qualified e-seal
//     certificate under the qualified CA);
//   - an e-ID hierarchy under a separate root, like PLID_Root_CA and the
//     pl.ID Authorization CA, which no trusted list holds;
//   - an untrusted root;
//   - end entities: a citizen's qualified certificate for e-signatures
//     (QCP-n-qscd, QcCompliance, QcSSCD, QcType-esign, QcPDS,
//     natural-person semantics; subject serialNumber PNOPL-<PESEL>) with
//     an ECDSA P-256 and an RSA-2048 key, an expired one, a revoked one,
//     one under the untrusted root and an e-ID citizen certificate.
//
// PESEL numbers are in the fake range (born in 22xx) with a valid check
// digit. Keys, names, serial numbers and validity periods are the same for
// the same seed; signature bytes made with ECDSA keys are not (Go 1.26
// ignores custom randomness when signing).
//
// Revocation: OCSPResponse and RespondOCSP answer as the OCSP responder,
// CRL makes a CA's revocation list, ValidationData gathers what a
// signature should embed, and RevocationHandler serves the responder and
// the CRLs over HTTP at the URLs certificates name when Options.BaseURL
// is set. Timestamper is an RFC 3161 authority, in
// process (an xades.TSA) and over HTTP. SignProfilZaufany, SignQualified
// and SignEID produce the three kinds of signatures citizens file.
// WriteFiles exports keys and certificates (PEM, PKCS#8, PKCS#12).
package testpki
