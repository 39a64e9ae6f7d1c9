package xades

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/beevik/etree"
	"github.com/obieg/obieg/internal/signatures/safexml"
)

// Namespaces.
const (
	nsDSig     = "http://www.w3.org/2000/09/xmldsig#"
	nsExcC14N  = "http://www.w3.org/2001/10/xml-exc-c14n#"
	nsXAdES111 = "http://uri.etsi.org/01903/v1.1.1#"
	nsXAdES132 = "http://uri.etsi.org/01903/v1.3.2#"
	nsXAdES141 = "http://uri.etsi.org/01903/v1.4.1#"
)

// ErrNoValidationTime is returned when Options.ValidationTime is zero.
var ErrNoValidationTime = errors.New("xades: validation time not set")

// Options control Verify. ValidationTime is required; every other field
// has a usable zero value.
type Options struct {
	// ValidationTime is the time the signatures are validated at. The
	// package never reads the clock.
	ValidationTime time.Time
	// Detached holds the content of references whose URI points outside
	// the document, keyed by the URI exactly as written ("" for a reference
	// without a URI attribute). Nothing is ever fetched.
	Detached map[string][]byte
	// TrustAnchors are the certificates a signing certificate must chain
	// to. With none, a signature that is otherwise intact ends
	// INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND.
	TrustAnchors []*x509.Certificate
	// TimestampAnchors are the certificates a time-stamping authority must
	// chain to (such as the TSA/QTST services of a trusted list). A trusted
	// signature time-stamp is a proof of existence: a signing certificate
	// that expired after it does not make the signature OUT_OF_BOUNDS_NO_POE.
	TimestampAnchors []*x509.Certificate
	// Qualify, if set, decides the qualification of a signature (such as
	// QESig) from its validated chain, leaf first, at the best signature
	// time; internal/signatures/trust provides one from a trusted list.
	Qualify func(chain []*x509.Certificate, at time.Time) (qualification, detail string)
	// ProfilZaufany are the certificates of the Profil Zaufany signing seal
	// (or of the CA issuing it), configured because they are on no trusted
	// list: a PodpisZP/EPSignature claim is Confirmed only in signatures
	// made with one of them.
	ProfilZaufany []*x509.Certificate
	// Certificates are more candidates for the signing certificate and its
	// chain, for signatures whose KeyInfo does not carry them (a pinned
	// ePUAP response certificate, a WS-Security token).
	Certificates []*x509.Certificate
	// Revocation, if set, is asked for revocation data about a certificate
	// of the chain when the signature carries none current for it (see
	// HTTPFetcher); what it returns is checked like embedded data, and the
	// report says it came from the network. Nil: nothing is fetched, and
	// such a signature ends INDETERMINATE/TRY_LATER.
	Revocation RevocationFetcher
	// Policies are signature policy documents, keyed by the policy
	// identifier (SigPolicyId/Identifier) exactly as signatures write it:
	// a signature's SigPolicyHash is checked against the one it names
	// (one embedded in its SignaturePolicyStore is used first). Nothing is
	// fetched.
	Policies map[string][]byte
	// Limits bound the parsing of the document (see safexml.DefaultLimits).
	Limits safexml.Limits
	// MaxSignatures caps the ds:Signature elements verified; default 32.
	MaxSignatures int
	// MaxReferences caps the references of one SignedInfo or Manifest; default 64.
	MaxReferences int
	// MaxTransforms caps the transforms of one reference; default 8.
	MaxTransforms int
	// MaxTotalReferences caps the references processed in the whole
	// document, manifests included, bounding the work a hostile document
	// can ask for; default 256. References past it are reported not
	// processed (INDETERMINATE).
	MaxTotalReferences int
}

func (o Options) withDefaults() Options {
	if o.MaxSignatures <= 0 {
		o.MaxSignatures = 32
	}
	if o.MaxReferences <= 0 {
		o.MaxReferences = 64
	}
	if o.MaxTransforms <= 0 {
		o.MaxTransforms = 8
	}
	if o.MaxTotalReferences <= 0 {
		o.MaxTotalReferences = 256
	}
	return o
}

func parseXML(b []byte, opts Options) (*etree.Document, error) {
	return safexml.ParseBytes(b, opts.Limits)
}

// Verify parses doc under opts.Limits and verifies every ds:Signature in
// it: enveloped, enveloping and (with opts.Detached) detached ones. It
// returns an error only when the document cannot be examined at all
// (parse refused, no validation time, ctx done); a bad signature is a
// report entry, not an error. A document without signatures yields a
// report with no entries.
func Verify(ctx context.Context, doc []byte, opts Options) (*Report, error) {
	if opts.ValidationTime.IsZero() {
		return nil, ErrNoValidationTime
	}
	d, err := parseXML(doc, opts)
	if err != nil {
		return nil, fmt.Errorf("verify signatures: %w", err)
	}
	return VerifyDocument(ctx, d, opts)
}

// VerifyDocument is Verify over a document already parsed with safexml.
// It does not modify d.
func VerifyDocument(ctx context.Context, d *etree.Document, opts Options) (*Report, error) {
	if opts.ValidationTime.IsZero() {
		return nil, ErrNoValidationTime
	}
	opts = opts.withDefaults()
	v, sigs := newVerifier(d, opts)
	rep := &Report{ValidationTime: opts.ValidationTime, Signatures: []*SignatureReport{}}
	for id, els := range v.ids {
		if len(els) > 1 {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("id %q is on %d elements; references to it are refused", id, len(els)))
		}
	}
	slices.Sort(rep.Warnings)
	if len(sigs) > opts.MaxSignatures {
		return nil, fmt.Errorf("verify signatures: %d signatures, more than %d: %w", len(sigs), opts.MaxSignatures, safexml.ErrTooManyElements)
	}
	for _, sig := range sigs {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("verify signatures: %w", err)
		}
		sr := v.verifySignature(ctx, sig)
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("verify signatures: %w", err)
		}
		rep.Signatures = append(rep.Signatures, sr)
	}
	return rep, nil
}

// newVerifier indexes the ids of d and lists its signatures in document order.
func newVerifier(d *etree.Document, opts Options) (*verifier, []*etree.Element) {
	v := &verifier{doc: d, opts: opts, ids: map[string][]*etree.Element{}}
	var sigs []*etree.Element
	var walk func(el *etree.Element)
	walk = func(el *etree.Element) {
		for _, a := range el.Attr {
			if isIDAttr(el, a) {
				v.ids[a.Value] = append(v.ids[a.Value], el)
			}
		}
		if isDS(el, "Signature") {
			sigs = append(sigs, el)
		}
		for _, c := range el.ChildElements() {
			walk(c)
		}
	}
	walk(d.Root())
	return v, sigs
}

type verifier struct {
	doc  *etree.Document
	opts Options
	ids  map[string][]*etree.Element
	// refsDone counts the references processed, against MaxTotalReferences.
	refsDone int
}

// sigState gathers the outcome of one signature while it is verified.
type sigState struct {
	el   *etree.Element
	rep  *SignatureReport
	subs []SubIndication
	// signer is the certificate whose key verified the SignatureValue, or
	// the one SigningCertificate identified when the key is unsupported.
	signer  *keyCert
	certs   []*keyCert
	targets []refTarget
	// manifestTargets are the references of the signed manifests.
	manifestTargets []manifestTarget
	sigValue        *etree.Element
	xadesNS         string
	signedSig       *etree.Element // SignedSignatureProperties
	unsigned        *etree.Element // UnsignedSignatureProperties
}

type refTarget struct {
	el   *etree.Element
	typ  string
	ok   bool
	uri  string
	hash string
	// outcome is what the reference covered; ref its index in References.
	outcome refOutcome
	ref     int
}

// manifestTarget is a reference of a signed ds:Manifest.
type manifestTarget struct {
	refTarget
	rr       ReferenceReport
	manifest *etree.Element
}

func (s *sigState) check(name string, st Status, sub SubIndication, detail string) {
	s.rep.Checks = append(s.rep.Checks, Check{Name: name, Status: st, SubIndication: sub, Detail: detail})
	if sub != "" && st != Passed && st != Info {
		s.subs = append(s.subs, sub)
	}
}

func (s *sigState) warn(format string, a ...any) {
	s.rep.Warnings = append(s.rep.Warnings, fmt.Sprintf(format, a...))
}

func (v *verifier) verifySignature(ctx context.Context, sig *etree.Element) *SignatureReport {
	s := &sigState{el: sig, rep: &SignatureReport{
		ID:             sig.SelectAttrValue("Id", ""),
		Level:          LevelXMLDSig,
		ValidationTime: v.opts.ValidationTime,
		Checks:         []Check{},
	}}
	if v.verifyCore(ctx, s) {
		v.verifyXAdES(s)
		v.verifyCounterSignature(s)
		v.verifyCertificate(ctx, s)
	}
	v.signatureScope(s)
	// When no certificate at hand verifies the SignatureValue and none is
	// the one SigningCertificate names, the signing certificate was not
	// identified: EN 319 102-1 (5.2.3, before the cryptographic check of
	// 5.2.7) and EU DSS end INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND
	// there, not SIG_CRYPTO_FAILURE (a KeyInfo certificate swapped for
	// another, for instance).
	if s.signer == nil && slices.Contains(s.subs, NoSigningCertificateFound) {
		s.subs = slices.DeleteFunc(s.subs, func(sub SubIndication) bool { return sub == SigCryptoFailure })
	}
	s.rep.ProofOfExistence = s.proofOfExistence()
	s.rep.Indication, s.rep.SubIndication = verdict(s.subs)
	return s.rep
}

// verdict picks the indication from the sub-indications gathered: a
// TOTAL-FAILED one wins over any INDETERMINATE one.
func verdict(subs []SubIndication) (Indication, SubIndication) {
	for _, f := range failedSubs {
		if slices.Contains(subs, f) {
			return TotalFailed, f
		}
	}
	for _, f := range indeterminateSubs {
		if slices.Contains(subs, f) {
			return Indeterminate, f
		}
	}
	if len(subs) > 0 {
		return Indeterminate, subs[0]
	}
	return TotalPassed, ""
}

// verifyCore checks the XMLDSig core: structure, every reference and the
// SignatureValue. It returns false when the structure is too broken to go on.
func (v *verifier) verifyCore(ctx context.Context, s *sigState) bool {
	sig := s.el
	kids := sig.ChildElements()
	if len(kids) < 2 || !isDS(kids[0], "SignedInfo") || !isDS(kids[1], "SignatureValue") {
		s.check("signature structure", Failed, FormatFailure, "ds:Signature must start with ds:SignedInfo and ds:SignatureValue")
		return false
	}
	si, sv := kids[0], kids[1]
	s.sigValue = sv
	for _, k := range kids[2:] {
		if !isDS(k, "KeyInfo") && !isDS(k, "Object") {
			s.check("signature structure", Failed, FormatFailure, "unexpected element "+k.FullTag()+" in ds:Signature")
			return false
		}
	}
	cm := childDS(si, "CanonicalizationMethod")
	sm := childDS(si, "SignatureMethod")
	refs := dsChildren(si, "Reference")
	if cm == nil || sm == nil || len(refs) == 0 {
		s.check("signature structure", Failed, FormatFailure, "ds:SignedInfo lacks CanonicalizationMethod, SignatureMethod or Reference")
		return false
	}
	if len(refs) > v.opts.MaxReferences {
		s.check("signature structure", Failed, FormatFailure, fmt.Sprintf("%d references, more than %d", len(refs), v.opts.MaxReferences))
		return false
	}
	s.check("signature structure", Passed, "", "")

	for _, ref := range refs {
		if ctx.Err() != nil {
			return false // Verify reports the cancellation
		}
		rr, oc, err := v.verifyReference(sig, ref)
		target := oc.el
		name := fmt.Sprintf("reference %q", rr.URI)
		if err != nil {
			st, sub := classify(err)
			s.check(name, st, sub, err.Error())
		} else {
			s.check(name, Passed, "", "digest "+rr.DigestMethod)
		}
		if rr.DigestMethod == digestURISHA1 {
			s.warn("reference %q uses SHA-1, a weak digest algorithm", rr.URI)
		}
		if err == nil && rr.Type == typeManifest && target != nil && isDS(target, "Manifest") {
			rr.Manifest = v.verifyManifest(s, sig, target)
		}
		s.targets = append(s.targets, refTarget{el: target, typ: rr.Type, ok: err == nil, uri: rr.URI, hash: rr.DigestMethod, outcome: oc, ref: len(s.rep.References)})
		s.rep.References = append(s.rep.References, rr)
	}

	cmAlg := cm.SelectAttrValue("Algorithm", "")
	prefixes := ""
	if inc := childNS(cm, nsExcC14N, "InclusiveNamespaces"); inc != nil {
		prefixes = inc.SelectAttrValue("PrefixList", "")
	}
	if !isC14N(cmAlg) {
		s.check("signature value", Failed, FormatFailure, "unsupported CanonicalizationMethod "+cmAlg)
		return true
	}
	canon, err := canonicalize(&nodeSet{apex: si, comments: true}, cmAlg, prefixes)
	if err != nil {
		s.check("signature value", Failed, FormatFailure, "canonicalize SignedInfo: "+err.Error())
		return true
	}
	sigBytes, err := base64.StdEncoding.DecodeString(stripSpace(sv.Text()))
	if err != nil || len(sigBytes) == 0 {
		s.check("signature value", Failed, FormatFailure, "SignatureValue is not base64")
		return true
	}
	s.rep.SignatureValue = base64.StdEncoding.EncodeToString(sigBytes)
	s.certs = append(keyInfoCerts(sig), v.securityTokenCerts(sig)...)
	for _, c := range v.opts.Certificates {
		s.certs = append(s.certs, &keyCert{der: c.Raw, cert: c})
	}
	s.certs = append(s.certs, certificateValues(sig)...)
	smAlg := sm.SelectAttrValue("Algorithm", "")
	s.rep.SignatureMethod = smAlg
	alg, ok := sigAlgs[smAlg]
	if smAlg == algRSAPSS {
		var err error
		if alg, err = pssAlg(sm); err != nil {
			st, sub := classify(err)
			s.check("signature value", st, sub, err.Error())
			return true
		}
		ok = true
	}
	if !ok {
		s.check("signature value", Unknown, CryptoConstraintsFailure, "unsupported SignatureMethod "+smAlg)
		return true
	}
	if alg.hash.String() == "SHA-1" {
		s.warn("SignatureMethod %s uses SHA-1, a weak digest algorithm", smAlg)
	}
	kvs, kvFaults := keyValueKeys(sig)
	if len(s.certs) == 0 && len(kvs) == 0 {
		detail := "no X509Certificate in KeyInfo and none in Options.Certificates"
		if len(kvFaults) > 0 {
			detail += "; KeyValue not usable: " + kvFaults[0]
		}
		s.check("signature value", Unknown, NoSigningCertificateFound, detail)
		return true
	}
	var unsupported string
	for _, kc := range append(s.certs, kvs...) {
		if kc.keyValue {
			if err := verifySignatureValue(alg, kc, canon, sigBytes); err != nil {
				continue
			}
			s.signer = kc
			s.check("signature value", Passed, "", smAlg+", with the public key of KeyInfo/KeyValue")
			s.check("signing certificate", Unknown, NoSigningCertificateFound,
				"the signature verifies with the public key given in KeyInfo/KeyValue, which no certificate binds to anyone: the signature is intact, its signer unknown")
			return true
		}
		if kc.cert == nil && kc.ec == nil {
			if kc.unsupported != "" {
				unsupported = kc.unsupported
			}
			continue
		}
		if err := verifySignatureValue(alg, kc, canon, sigBytes); err == nil {
			s.signer = kc
			s.check("signature value", Passed, "", smAlg)
			if kc.tolerated != "" {
				s.check("signing certificate encoding", Info, "", "the certificate has a "+kc.tolerated+", which RFC 5280 forbids; read by a tolerant parse, its signature still checked")
				s.warn("the signing certificate has a %s (RFC 5280 requires a positive one)", kc.tolerated)
			}
			if kc.cert == nil {
				return true
			}
			if pub, ok := kc.cert.PublicKey.(*rsa.PublicKey); ok {
				switch bits := pub.N.BitLen(); {
				case bits < 1024:
					s.check("signing key size", Failed, CryptoConstraintsFailure, fmt.Sprintf("RSA key of %d bits", bits))
				case bits < 2048:
					s.warn("RSA key of %d bits is below 2048, weak today", bits)
				}
			}
			return true
		}
	}
	if unsupported != "" {
		s.check("signature value", Unknown, CryptoConstraintsFailure, "signing key not supported: "+unsupported+"; signature value not checked")
		return true
	}
	if len(s.certs) == 0 {
		s.check("signature value", Failed, SigCryptoFailure, "SignatureValue does not verify with the public key of KeyInfo/KeyValue")
		return true
	}
	s.check("signature value", Failed, SigCryptoFailure, "SignatureValue does not verify with any KeyInfo certificate")
	return true
}

const digestURISHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"

// classify maps a reference error to a check status and sub-indication.
func classify(err error) (Status, SubIndication) {
	switch {
	case errors.Is(err, errDigest):
		return Failed, HashFailure
	case errors.Is(err, errUnresolved):
		return Unknown, SignedDataNotFound
	case errors.Is(err, errUnsupportedAlg):
		return Unknown, CryptoConstraintsFailure
	case errors.Is(err, errUnsupported):
		return Unknown, SignedDataNotFound
	case errors.Is(err, errDuplicateID):
		// Which element was signed is ambiguous: EU DSS reports the signed
		// data as not found.
		return Unknown, SignedDataNotFound
	default:
		return Failed, FormatFailure
	}
}

// verifyManifest verifies the references of a signed ds:Manifest. Their
// outcome is reported, and a failure is a warning: XMLDSig leaves manifest
// validation to the application. External URIs are never fetched.
func (v *verifier) verifyManifest(s *sigState, sig, m *etree.Element) []ReferenceReport {
	refs := dsChildren(m, "Reference")
	if len(refs) > v.opts.MaxReferences {
		s.warn("manifest with %d references, more than %d: not verified", len(refs), v.opts.MaxReferences)
		return nil
	}
	var out []ReferenceReport
	for _, ref := range refs {
		rr, oc, err := v.verifyReference(sig, ref)
		s.manifestTargets = append(s.manifestTargets, manifestTarget{
			refTarget: refTarget{el: oc.el, typ: rr.Type, ok: err == nil, uri: rr.URI, hash: rr.DigestMethod, outcome: oc},
			rr:        rr, manifest: m,
		})
		switch {
		case err == nil:
		case errors.Is(err, errUnresolved):
			s.check(fmt.Sprintf("manifest reference %q", rr.URI), Info, "", "unresolved, not fetched")
		default:
			s.warn("manifest reference %q does not hold: %v", rr.URI, err)
		}
		out = append(out, rr)
	}
	return out
}

// verifyCounterSignature checks that a signature inside a
// xades:CounterSignature covers the SignatureValue of the signature it
// countersigns.
func (v *verifier) verifyCounterSignature(s *sigState) {
	var cs *etree.Element
	for p := s.el.Parent(); p != nil && p.Tag != ""; p = p.Parent() {
		if cs == nil && isXAdES(p, "CounterSignature") {
			cs = p
			continue
		}
		if cs != nil && isDS(p, "Signature") {
			s.rep.CounterSignatureOf = p.SelectAttrValue("Id", "")
			kids := p.ChildElements()
			var masterValue *etree.Element
			if len(kids) > 1 && isDS(kids[1], "SignatureValue") {
				masterValue = kids[1]
			}
			for _, t := range s.targets {
				if t.el != nil && t.el == masterValue && t.ok {
					if t.typ != typeCountersignedSigVl {
						s.warn("reference to the countersigned SignatureValue lacks Type %s", typeCountersignedSigVl)
					}
					s.check("counter-signature covers the master SignatureValue", Passed, "", "")
					return
				}
			}
			s.check("counter-signature covers the master SignatureValue", Failed, FormatFailure,
				"no intact reference points at the SignatureValue of the countersigned signature")
			return
		}
	}
}
