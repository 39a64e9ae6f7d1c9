// Package xades verifies XMLDSig and XAdES signatures the way ETSI EN
// 319 102-1 describes and EU DSS implements, over documents citizens file
// through ePUAP (Profil Zaufany PodpisZP / EPSignature, qualified
// signatures) and over trusted lists, and makes XAdES signatures.
//
// Verify parses the document with safexml and checks every ds:Signature
// in it, each on its own:
//
//   - the XMLDSig core: every ds:Reference is dereferenced (same-document
//     ids, refused when duplicated; URI="" and XPointer forms; external
//     URIs only from Options.Detached, never fetched), transformed
//     (enveloped-signature, C14N 1.0/1.1/exclusive with or without
//     comments, the XPath filters signers use, base64) and digested
//     (SHA-1, flagged weak, SHA-2); the SignatureValue is verified with
//     the KeyInfo certificate (RSA PKCS#1 v1.5, RSA-PSS, ECDSA as raw
//     r||s on the NIST curves and, verified here since crypto/x509 refuses
//     them, on brainpoolP256r1/P384r1/P512r1); other keys are reported
//     unsupported (INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE), never guessed;
//   - signed ds:Manifest entries are verified when their data is at hand
//     and otherwise reported unresolved, without failing the signature;
//   - the XAdES rules (namespaces 1.1.1, 1.3.2, 1.4.1): QualifyingProperties
//     inside this signature, SignedProperties covered by this signature's
//     reference of Type http://uri.etsi.org/01903#SignedProperties (the
//     signature-wrapping defence), SigningCertificate v1/V2, SigningTime,
//     SignaturePolicyIdentifier (SigPolicyHash checked against the policy
//     document when the signature embeds it or Options.Policies has it),
//     the message imprints of the signature,
//     XAdES-X (SigAndRefs, RefsOnly) and archive time-stamps, and their order;
//   - counter-signatures are verified as signatures of their own that must
//     cover the master's SignatureValue; their failure does not fail the master.
//
// The outcome per signature is an ETSI indication (TOTAL-PASSED,
// INDETERMINATE, TOTAL-FAILED) with its sub-indication, every check made,
// warnings, the level the signature carries, the signer and the claimed
// signing time. Report.JSON renders it, and Report.XML in the shape of an
// ETSI TS 119 102-2 validation report (without its validation-objects
// section yet).
//
// Trust is an input: with no Options.TrustAnchors, a signature that is
// otherwise intact ends INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND. With
// anchors, the signing certificate must chain to one at the validation
// time, and every certificate of the chain but the anchor must be shown not
// revoked by the OCSP responses and CRLs the signature carries
// (RevocationValues of XAdES-X-L/LT), current at the signing time (or at the
// earliest trusted time-stamp). By default nothing is fetched: without
// such data the signature ends INDETERMINATE/TRY_LATER, revoked
// REVOKED_NO_POE (or REVOKED_CA_NO_POE for a CA). With
// Options.Revocation set (NewHTTPFetcher: the OCSP responder of the
// certificate's AIA, else its CRL distribution points, over http or https
// only, never to hosts that are not public unless allowed, with a size cap
// and a per-process cache), a certificate the signature says nothing
// current about is looked up online; the answer is checked exactly like
// embedded data and an INFO check records that it came from the network.
// An unreachable responder leaves TRY_LATER. A signature
// time-stamp whose TSA chains to Options.TimestampAnchors is a proof of
// existence: a signing certificate that expired after it is judged at the
// time-stamp's time. Archive time-stamps (XAdES 1.4.1 rules) are verified
// too, but not yet used as proofs of existence for the validation data
// they cover.
//
// ReferenceReport.WholeDocument tells a caller which references cover the
// whole document element (less signatures); only what such a verified
// reference covers may be processed (the signature-wrapping rule).
// SignatureReport.Scope lists every signed data object as EU DSS's
// signature scope does (whole document, part of it, an object inside the
// signature, detached data, a countersigned signature; XPath, exclusions,
// transforms), and Coverage sums it up. A signature that covers only data
// inside itself keeps its verdict, as in DSS, but says so in its scope, a
// check and warnings naming the unsigned look-alikes outside it.
//
// XPath Filter 2.0 transforms of the common forms (intersect or union "/",
// subtract of signatures) are applied directly; any other expression is
// evaluated with antchfx/xpath (here() is the ds:XPath element). A result
// that re-includes a subtree inside one it leaves out (subtract, then
// union) is serialized by exclusive C14N; under inclusive C14N, or with a
// further node-set transform, it is reported unsupported. KeyValue-only signatures (RSA, ECDSA on NIST curves) are
// verified and end NO_SIGNING_CERTIFICATE_FOUND; a certificate refused only
// for its negative serial number is read by a tolerant parse that keeps its
// encoding, so its signature is still checked. RSA-PSS is verified for the
// MGF1 URIs and for rsa-pss with RSAPSSParams.
//
// goxmldsig is used for canonicalization only (inclusive C14N 1.0 and
// 1.1, exclusive C14N with a prefix list): its Validate checks just the
// reference to the root, keeps comments by default and stops at 1,000
// elements, so reference processing and the XAdES rules are written here.
//
// Sign adds an enveloped XAdES-B-B signature (XAdES-B-T with a TSA, with
// CertificateValues and RevocationValues when given revocation data; with
// SignOptions.Cosignable its document reference leaves out every
// signature, so that a later one does not break it) made by a Signer: a crypto.Signer with its certificate and chain, such as a
// KeySigner loaded from PKCS#8 PEM or PKCS#12, or later a PKCS#11 key.
// Digests and canonical forms come from the verifier's own code, and Sign
// checks its SignatureValue before returning. HTTPTSA is an RFC 3161
// client. Our signatures verify with xmlsec1 and xadesjs too (see
// interop_test.go); internal/dev/testpki makes the keys, certificates,
// revocation data, time-stamps and trusted list to test all of this with.
//
// Exclusive C14N without a prefix list is written by excC14N straight
// from the tree; the other canonicalizations use goxmldsig.
//
// The package never reads the clock for a verdict: Options.ValidationTime
// and SignOptions.SigningTime are required. HTTPFetcher reads one
// (FetchOptions.Now, time.Now by default) only to expire its cache.
package xades
