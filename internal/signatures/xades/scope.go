package xades

import (
	"fmt"
	"slices"
	"strings"

	"github.com/beevik/etree"
)

// ScopeType says what one signed data object of a signature is. FULL,
// PARTIAL and COUNTER_SIGNATURE are EU DSS's SignatureScopeType values;
// DETACHED is what DSS calls FULL over a detached document; and
// SIGNATURE_OBJECT, which DSS reports as PARTIAL, is kept apart because
// data inside the signature's own ds:Object is not the content a reader of
// the document sees.
type ScopeType string

// Scope types.
const (
	// ScopeFull is the whole document, less signatures only.
	ScopeFull ScopeType = "FULL"
	// ScopePartial is one or more elements of the document outside the
	// signature (the rest of the document is not covered).
	ScopePartial ScopeType = "PARTIAL"
	// ScopeSignatureObject is content inside the signature itself (a
	// ds:Object, or content nested in one): an enveloping signature.
	ScopeSignatureObject ScopeType = "SIGNATURE_OBJECT"
	// ScopeDetached is data outside the document, supplied to the verifier.
	ScopeDetached ScopeType = "DETACHED"
	// ScopeCounterSignature is the SignatureValue of a countersigned signature.
	ScopeCounterSignature ScopeType = "COUNTER_SIGNATURE"
)

// Coverage sums up what a signature's intact references cover, for a
// reader who must know at a glance whether the document they see is what
// was signed.
type Coverage string

// Coverages, from the broadest.
const (
	// CoverageDocument: a reference covers the whole document, less signatures.
	CoverageDocument Coverage = "DOCUMENT"
	// CoveragePart: only parts of the document are covered; the rest,
	// whatever it says, is not signed.
	CoveragePart Coverage = "PART_OF_DOCUMENT"
	// CoverageSignatureObjects: only data inside the signature itself is
	// covered; in a document with other content, that content is not signed.
	CoverageSignatureObjects Coverage = "SIGNATURE_OBJECTS_ONLY"
	// CoverageEnveloping: only data inside the signature is covered, and
	// the signature is the whole document (an enveloping signature).
	CoverageEnveloping Coverage = "ENVELOPED_OBJECTS"
	// CoverageDetached: only data outside the document is covered.
	CoverageDetached Coverage = "DETACHED"
	// CoverageCounterSignature: only another signature's SignatureValue.
	CoverageCounterSignature Coverage = "COUNTERSIGNED_SIGNATURE"
	// CoverageNone: no reference to signed data holds.
	CoverageNone Coverage = "NONE"
)

// SignatureScope is one signed data object, as EU DSS's signature scope
// gives it: where it is, what kind of data it is and the transforms that
// made the digested octets. Only references whose digest matched are
// listed, and not those covering the signature's own properties
// (SignedProperties, KeyInfo).
type SignatureScope struct {
	Type ScopeType `json:"type"`
	// ReferenceURI and ReferenceID name the ds:Reference.
	ReferenceURI string `json:"referenceUri"`
	ReferenceID  string `json:"referenceId,omitempty"`
	// Locations are the signed elements as XPaths from the document root,
	// with the prefixes the document uses and a position where an element
	// has siblings of the same name ("/" prefixes the root element); for
	// detached data, the reference's URI.
	Locations []string `json:"locations"`
	// Excluded are the subtrees inside the locations left out of the
	// digest (signatures, XPath subtractions), as XPaths.
	Excluded []string `json:"excluded,omitempty"`
	// Transforms are the transforms applied, as in ReferenceReport.
	Transforms   []string `json:"transforms,omitempty"`
	DigestMethod string   `json:"digestMethod"`
	// Manifest, for an entry of a signed ds:Manifest whose digest
	// matched, is the manifest's XPath: the signature covers the manifest,
	// and the manifest the data (XMLDSig leaves checking it to the
	// application; this package checks what it has at hand).
	Manifest string `json:"manifest,omitempty"`
	// Description says it in a sentence.
	Description string `json:"description"`
}

// maxScopeNotes caps the unsigned look-alikes and objects reported per signature.
const maxScopeNotes = 8

// signatureScope fills in the scope and coverage of a signature from its
// intact references, and says so plainly when what was signed is not what
// a reader of the document sees: only data inside the signature, a signed
// object wrapped away from where objects sit, unsigned elements named
// like signed ones, unsigned objects of the signature.
func (v *verifier) signatureScope(s *sigState) {
	s.rep.Scope = []SignatureScope{}
	var signed []*nodeSet // parts of the document that are covered
	qp := qualifyingPropertiesOf(s.el)
	ki := childDS(s.el, "KeyInfo")
	add := func(t refTarget, rr ReferenceReport, manifest *etree.Element) {
		if !t.ok || isSignedPropertiesType(t.typ) {
			return
		}
		oc := t.outcome
		if oc.el != nil && (within(oc.el, ki) || slices.ContainsFunc(qp, func(q *etree.Element) bool { return within(oc.el, q) })) {
			return
		}
		sc := SignatureScope{ReferenceURI: rr.URI, ReferenceID: rr.ID, Transforms: rr.Transforms, DigestMethod: rr.DigestMethod}
		parts := []*etree.Element{}
		switch {
		case oc.external:
			sc.Type, sc.Locations = ScopeDetached, []string{rr.URI}
			sc.Description = fmt.Sprintf("detached data %q, supplied to the verifier", rr.URI)
		case oc.last != nil:
			parts = oc.last.apexes()
			signed = append(signed, oc.last)
			for _, p := range parts {
				sc.Locations = append(sc.Locations, xpathOf(p))
			}
			sc.Excluded = excludedPaths(oc.last)
		case oc.el != nil:
			parts = []*etree.Element{oc.el}
			sc.Locations = []string{xpathOf(oc.el)}
			signed = append(signed, &nodeSet{apex: oc.el})
		}
		if !oc.external {
			sc.Type, sc.Description = v.describeParts(s, t, rr, parts)
		}
		if manifest != nil {
			sc.Manifest = xpathOf(manifest)
			sc.Description += ", through the signed ds:Manifest at " + sc.Manifest
		}
		s.rep.Scope = append(s.rep.Scope, sc)
	}
	for _, t := range s.targets {
		add(t, s.rep.References[t.ref], nil)
	}
	for _, mt := range s.manifestTargets {
		add(mt.refTarget, mt.rr, mt.manifest)
	}
	s.rep.Coverage = coverageOf(s.rep.Scope)
	if s.rep.Coverage == CoverageSignatureObjects && v.doc.Root() == s.el {
		s.rep.Coverage = CoverageEnveloping
	}
	v.scopeWarnings(s, signed)
}

// describeParts classifies the signed elements of one reference.
func (v *verifier) describeParts(s *sigState, t refTarget, rr ReferenceReport, parts []*etree.Element) (ScopeType, string) {
	names := make([]string, 0, len(parts))
	for _, p := range parts {
		names = append(names, p.FullTag())
	}
	name := strings.Join(names, ", ")
	switch {
	case len(parts) == 0:
		return ScopePartial, "nothing: the transforms leave an empty node-set"
	case rr.WholeDocument:
		return ScopeFull, fmt.Sprintf("the whole document (root element %s), less signatures", name)
	case len(parts) == 1 && parts[0] == v.doc.Root():
		return ScopePartial, fmt.Sprintf("the document (root element %s) less the excluded subtrees, which are not signed", name)
	case parts[0] == v.doc.Root():
		return ScopePartial, fmt.Sprintf("the document (root element %s) less the excluded subtrees, which are not signed, but for %s inside them", names[0], strings.Join(names[1:], ", "))
	case t.typ == typeCountersignedSigVl || (t.outcome.el != nil && isDS(t.outcome.el, "SignatureValue") && !within(t.outcome.el, s.el)):
		return ScopeCounterSignature, "the SignatureValue of the countersigned signature"
	}
	inside := 0
	for _, p := range parts {
		if within(p, s.el) {
			inside++
		}
	}
	switch {
	case len(parts) == 1 && inside == 1 && isDS(parts[0], "Manifest"):
		return ScopeSignatureObject, "this signature's ds:Manifest; what its entries cover is listed with them"
	case inside == len(parts) && v.doc.Root() == s.el:
		return ScopeSignatureObject, fmt.Sprintf("%s inside this enveloping signature", name)
	case inside == len(parts):
		return ScopeSignatureObject, fmt.Sprintf("%s inside this signature, not the document's content", name)
	case inside > 0:
		return ScopePartial, fmt.Sprintf("%s, partly inside this signature", name)
	}
	return ScopePartial, fmt.Sprintf("part of the document: %s", name)
}

// coverageOf sums up a signature's scope.
func coverageOf(scope []SignatureScope) Coverage {
	has := func(t ScopeType) bool {
		return slices.ContainsFunc(scope, func(sc SignatureScope) bool { return sc.Type == t && len(sc.Locations) > 0 })
	}
	switch {
	case has(ScopeFull):
		return CoverageDocument
	case has(ScopePartial):
		return CoveragePart
	case has(ScopeSignatureObject):
		return CoverageSignatureObjects
	case has(ScopeDetached):
		return CoverageDetached
	case has(ScopeCounterSignature):
		return CoverageCounterSignature
	}
	return CoverageNone
}

// scopeWarnings reports what a reader could take for signed and is not.
func (v *verifier) scopeWarnings(s *sigState, signed []*nodeSet) {
	covered := func(el *etree.Element) bool {
		return slices.ContainsFunc(signed, func(ns *nodeSet) bool { return ns.contains(el) })
	}
	enveloping := v.doc.Root() == s.el
	if s.rep.Coverage == CoverageNone && len(s.rep.References) > 0 && !slices.ContainsFunc(s.targets, func(t refTarget) bool { return !t.ok }) {
		s.warn("the signature covers no data but its own properties: it signs nothing a reader could take for a document")
	}
	if s.rep.Coverage == CoverageSignatureObjects && !enveloping {
		var locs []string
		for _, sc := range s.rep.Scope {
			locs = append(locs, sc.Locations...)
		}
		msg := fmt.Sprintf("the signature covers only data inside itself (%s): none of the document outside the signature is signed by it", strings.Join(locs, ", "))
		s.check("signed data scope", Info, "", msg)
		s.warn("%s", msg)
	}
	notes := 0
	// Unsigned elements named like a signed element, outside every signed part.
	for _, sc := range s.rep.Scope {
		if sc.Type != ScopePartial && sc.Type != ScopeSignatureObject {
			continue
		}
		for _, t := range s.targets {
			if !t.ok || t.outcome.last == nil || s.rep.References[t.ref].URI != sc.ReferenceURI {
				continue
			}
			for _, p := range t.outcome.last.apexes() {
				if isDS(p, "Object") {
					continue // objects are looked at below
				}
				for _, el := range v.sameName(p) {
					if covered(el) || slices.ContainsFunc(qualifyingPropertiesOf(s.el), func(q *etree.Element) bool { return within(el, q) }) {
						continue
					}
					if notes++; notes > maxScopeNotes {
						return
					}
					s.warn("%s at %s is not signed by this signature: the signed %s is the one at %s", el.FullTag(), xpathOf(el), p.FullTag(), xpathOf(p))
				}
			}
			break
		}
	}
	// A signed ds:Object that is not a child of this signature, and the
	// signature's own objects that nothing covers.
	for _, t := range s.targets {
		if t.ok && t.outcome.el != nil && isDS(t.outcome.el, "Object") && t.outcome.el.Parent() != s.el {
			if notes++; notes > maxScopeNotes {
				return
			}
			msg := fmt.Sprintf("the signed ds:Object at %s is not a child of this ds:Signature", xpathOf(t.outcome.el))
			s.check("signed object placement", Info, "", msg)
			s.warn("%s", msg)
		}
	}
	holdsSigned := func(obj *etree.Element) bool {
		return slices.ContainsFunc(signed, func(ns *nodeSet) bool {
			return slices.ContainsFunc(ns.apexes(), func(a *etree.Element) bool { return within(a, obj) })
		})
	}
	for _, obj := range dsChildren(s.el, "Object") {
		if covered(obj) || holdsSigned(obj) || holdsOnlyProperties(obj) {
			continue
		}
		if notes++; notes > maxScopeNotes {
			return
		}
		s.warn("ds:Object at %s is not signed by this signature", xpathOf(obj))
	}
}

// sameName lists the elements of the document, in document order, with
// the namespace and local name of el, other than el.
func (v *verifier) sameName(el *etree.Element) []*etree.Element {
	ns := el.NamespaceURI()
	var out []*etree.Element
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		if e != el && e.Tag == el.Tag && e.NamespaceURI() == ns {
			out = append(out, e)
		}
		for _, c := range e.ChildElements() {
			walk(c)
		}
	}
	walk(v.doc.Root())
	return out
}

// holdsOnlyProperties says whether a ds:Object holds nothing but XAdES
// QualifyingProperties (whose unsigned part is unsigned by design).
func holdsOnlyProperties(obj *etree.Element) bool {
	kids := obj.ChildElements()
	for _, k := range kids {
		if !isXAdES(k, "QualifyingProperties") && !isXAdES(k, "QualifyingPropertiesReference") {
			return false
		}
	}
	return len(kids) > 0
}

// qualifyingPropertiesOf lists the QualifyingProperties in the
// signature's own objects.
func qualifyingPropertiesOf(sig *etree.Element) []*etree.Element {
	var out []*etree.Element
	for _, obj := range dsChildren(sig, "Object") {
		out = append(out, childrenXAdES(obj, "QualifyingProperties")...)
	}
	return out
}

// within says whether el is anc or inside it.
func within(el, anc *etree.Element) bool {
	if anc == nil {
		return false
	}
	for e := el; e != nil && e.Tag != ""; e = e.Parent() {
		if e == anc {
			return true
		}
	}
	return false
}

// xpathOf names el by an XPath from the document root, with the prefixes
// the document uses and a position where siblings share its name.
func xpathOf(el *etree.Element) string {
	var steps []string
	for e := el; e != nil && e.Tag != ""; e = e.Parent() {
		step := e.FullTag()
		if p := e.Parent(); p != nil && p.Tag != "" {
			n, at := 0, 0
			for _, c := range p.ChildElements() {
				if c.Tag == e.Tag && c.Space == e.Space {
					n++
					if c == e {
						at = n
					}
				}
			}
			if n > 1 {
				step += fmt.Sprintf("[%d]", at)
			}
		}
		steps = append(steps, step)
	}
	slices.Reverse(steps)
	return "/" + strings.Join(steps, "/")
}

// excludedPaths lists, in document order, the excluded subtrees of the
// node-set that lie inside it.
func excludedPaths(ns *nodeSet) []string {
	var els []*etree.Element
	for el := range ns.exclude {
		for _, a := range ns.apexes() {
			if el != a && within(el, a) {
				els = append(els, el)
				break
			}
		}
	}
	slices.SortFunc(els, compareDocOrder)
	out := make([]string, 0, len(els))
	for _, el := range els {
		out = append(out, xpathOf(el))
	}
	return out
}

// compareDocOrder orders two elements of one document as they appear in it.
func compareDocOrder(a, b *etree.Element) int {
	return slices.Compare(positionPath(a), positionPath(b))
}

func positionPath(el *etree.Element) []int {
	var path []int
	for e := el; e != nil && e.Tag != ""; e = e.Parent() {
		path = append(path, e.Index())
	}
	slices.Reverse(path)
	return path
}
