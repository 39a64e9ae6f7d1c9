package xades

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/russellhaering/goxmldsig/etreeutils"
)

// Canonicalization algorithm URIs.
const (
	algC14N10         = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
	algC14N10Comments = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"
	algC14N11         = "http://www.w3.org/2006/12/xml-c14n11"
	algC14N11Comments = "http://www.w3.org/2006/12/xml-c14n11#WithComments"
	algExcC14N        = "http://www.w3.org/2001/10/xml-exc-c14n#"
	algExcC14NComment = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
)

func isC14N(alg string) bool {
	switch alg {
	case algC14N10, algC14N10Comments, algC14N11, algC14N11Comments, algExcC14N, algExcC14NComment:
		return true
	}
	return false
}

// nodeSet is an XPath node-set made of the subtree under apex, minus the
// subtrees rooted at the excluded elements, with or without comments.
// wholeDoc marks the node-set of the whole document, which also holds the
// comments and processing instructions outside the root element.
type nodeSet struct {
	apex *etree.Element
	// rest are further subtrees (an XPath Filter 2.0 result), in document
	// order after apex; they share exclude. With nested set, some lie
	// inside a subtree excluded from another (re-included by a union).
	rest     []*etree.Element
	nested   bool
	doc      *etree.Document
	wholeDoc bool
	comments bool
	exclude  map[*etree.Element]bool
}

// empty says whether the apex itself is excluded, directly or through an
// excluded ancestor (an enveloped-signature transform over content inside
// the signature, for instance): the node-set is then empty.
func (ns *nodeSet) empty() bool {
	return len(ns.apexes()) == 0
}

// excludedAt says whether a, or an ancestor of it, is excluded.
func (ns *nodeSet) excludedAt(a *etree.Element) bool {
	for e := a; e != nil && e.Tag != ""; e = e.Parent() {
		if ns.exclude[e] {
			return true
		}
	}
	return false
}

// apexes returns the elements at the top of the node-set's subtrees, in
// document order, less those excluded; none when it is empty.
func (ns *nodeSet) apexes() []*etree.Element {
	if ns.nested {
		return append([]*etree.Element{ns.apex}, ns.rest...)
	}
	var out []*etree.Element
	if !ns.excludedAt(ns.apex) {
		out = append(out, ns.apex)
	}
	for _, r := range ns.rest {
		if !ns.excludedAt(r) {
			out = append(out, r)
		}
	}
	return out
}

// contains says whether el is in the node-set.
func (ns *nodeSet) contains(el *etree.Element) bool {
	for _, a := range ns.apexes() {
		if !within(el, a) {
			continue
		}
		for e := el; e != nil && e.Tag != ""; e = e.Parent() {
			if ns.exclude[e] {
				break // excluded under a; maybe re-included by a nested apex
			}
			if e == a {
				return true
			}
		}
	}
	return false
}

func (ns *nodeSet) withExcluded(els ...*etree.Element) *nodeSet {
	n := *ns
	n.exclude = make(map[*etree.Element]bool, len(ns.exclude)+len(els))
	for k := range ns.exclude {
		n.exclude[k] = true
	}
	for _, el := range els {
		n.exclude[el] = true
	}
	return &n
}

// pruneCopy copies el without the excluded subtrees and, unless comments
// is set, without comments.
func pruneCopy(el *etree.Element, exclude map[*etree.Element]bool, comments bool) *etree.Element {
	ne := etree.NewElement(el.Tag)
	ne.Space = el.Space
	ne.Attr = append([]etree.Attr(nil), el.Attr...)
	for _, tok := range el.Child {
		switch t := tok.(type) {
		case *etree.Element:
			if !exclude[t] {
				ne.AddChild(pruneCopy(t, exclude, comments))
			}
		case *etree.CharData:
			ne.AddChild(etree.NewText(t.Data))
		case *etree.Comment:
			if comments {
				ne.CreateComment(t.Data)
			}
		case *etree.ProcInst:
			ne.CreateProcInst(t.Target, t.Inst)
		}
	}
	return ne
}

// parentNSContext returns the namespace context in force at el's parent,
// built without goxmldsig's 1,000-element traversal limit.
func parentNSContext(el *etree.Element) (etreeutils.NSContext, error) {
	var chain []*etree.Element
	for p := el.Parent(); p != nil && p.Tag != ""; p = p.Parent() {
		chain = append(chain, p)
	}
	ctx := etreeutils.EmptyNSContext.Copy()
	for i := len(chain) - 1; i >= 0; i-- {
		var err error
		ctx, err = ctx.SubContext(chain[i])
		if err != nil {
			return ctx, err
		}
	}
	return ctx, nil
}

// inheritedXMLAttrs returns the xml:* attributes of el's ancestors that
// inclusive canonicalization carries onto a document subset's apex.
func inheritedXMLAttrs(el *etree.Element, alg string) []etree.Attr {
	keep := map[string]bool{"lang": true, "space": true}
	if alg == algC14N10 || alg == algC14N10Comments {
		keep["base"] = true
	}
	have := map[string]bool{}
	for _, a := range el.Attr {
		if a.Space == "xml" {
			have[a.Key] = true
		}
	}
	var out []etree.Attr
	for p := el.Parent(); p != nil && p.Tag != ""; p = p.Parent() {
		for _, a := range p.Attr {
			if a.Space == "xml" && keep[a.Key] && !have[a.Key] {
				have[a.Key] = true
				out = append(out, a)
			}
		}
	}
	return out
}

func canonicalizer(alg, prefixList string) (dsig.Canonicalizer, error) {
	switch alg {
	case algC14N10:
		return dsig.MakeC14N10RecCanonicalizer(), nil
	case algC14N10Comments:
		return dsig.MakeC14N10WithCommentsCanonicalizer(), nil
	case algC14N11:
		return dsig.MakeC14N11Canonicalizer(), nil
	case algC14N11Comments:
		return dsig.MakeC14N11WithCommentsCanonicalizer(), nil
	case algExcC14N:
		return dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList(prefixList), nil
	case algExcC14NComment:
		return dsig.MakeC14N10ExclusiveWithCommentsCanonicalizerWithPrefixList(prefixList), nil
	}
	return nil, fmt.Errorf("unsupported canonicalization %q", alg)
}

// canonicalizeDetached canonicalizes a pruned copy with goxmldsig, after
// declaring on it the namespaces in scope (ctx).
func canonicalizeDetached(c dsig.Canonicalizer, ctx etreeutils.NSContext, cp *etree.Element) ([]byte, error) {
	det, err := etreeutils.NSDetatch(ctx, cp)
	if err != nil {
		return nil, fmt.Errorf("detach element: %w", err)
	}
	out, err := c.Canonicalize(det)
	if err != nil {
		return nil, fmt.Errorf("canonicalize: %w", err)
	}
	return out, nil
}

// canonicalize serializes the node-set with the canonicalization alg:
// exclusive C14N without a prefix list by excC14N, the others with
// goxmldsig.
func canonicalize(ns *nodeSet, alg, prefixList string) ([]byte, error) {
	c, err := canonicalizer(alg, prefixList)
	if err != nil {
		return nil, err
	}
	if ns.empty() {
		return []byte{}, nil
	}
	if ns.nested {
		if alg != algExcC14N && alg != algExcC14NComment {
			return nil, fmt.Errorf("%s over a result re-including excluded parts: %w: %w", alg, errFilterShape, errUnsupported)
		}
		return excC14NNested(ns, ns.comments && alg == algExcC14NComment, prefixList)
	}
	if len(ns.rest) > 0 {
		// Several subtrees: each is canonicalized as a document subset
		// whose apex's parent is not in it, and they follow in document order.
		var out []byte
		for _, a := range ns.apexes() {
			sub := *ns
			sub.apex, sub.rest, sub.wholeDoc = a, nil, false
			b, err := canonicalize(&sub, alg, prefixList)
			if err != nil {
				return nil, err
			}
			out = append(out, b...)
		}
		return out, nil
	}
	withComments := ns.comments && strings.HasSuffix(alg, "#WithComments")
	var out []byte
	// goxmldsig reads no "#default" in a prefix list: excC14N writes those
	// lists too.
	if (alg == algExcC14N || alg == algExcC14NComment) && (strings.TrimSpace(prefixList) == "" || slices.Contains(strings.Fields(prefixList), "#default")) {
		if out, err = excC14N(ns, withComments, prefixList); err != nil {
			return nil, fmt.Errorf("canonicalize: %w", err)
		}
	} else {
		cp := pruneCopy(ns.apex, ns.exclude, withComments)
		ctx, err := parentNSContext(ns.apex)
		if err != nil {
			return nil, fmt.Errorf("namespace context: %w", err)
		}
		if alg != algExcC14N && alg != algExcC14NComment {
			cp.Attr = append(cp.Attr, inheritedXMLAttrs(ns.apex, alg)...)
		}
		if out, err = canonicalizeDetached(c, ctx, cp); err != nil {
			return nil, err
		}
	}
	if !ns.wholeDoc || ns.doc == nil {
		return out, nil
	}
	// The document node: processing instructions (and comments when kept)
	// before and after the root element, each separated by a line feed.
	var before, after bytes.Buffer
	seenRoot := false
	for _, tok := range ns.doc.Child {
		var s string
		switch t := tok.(type) {
		case *etree.Element:
			seenRoot = true
			continue
		case *etree.ProcInst:
			if t.Target == "xml" {
				continue
			}
			s = "<?" + t.Target
			if t.Inst != "" {
				s += " " + t.Inst
			}
			s += "?>"
		case *etree.Comment:
			if !withComments {
				continue
			}
			s = "<!--" + t.Data + "-->"
		default:
			continue
		}
		if seenRoot {
			after.WriteString("\n" + s)
		} else {
			before.WriteString(s + "\n")
		}
	}
	return append(append(before.Bytes(), out...), after.Bytes()...), nil
}

// textOf returns the string value of the node-set: its text nodes in
// document order, as the base64 transform takes it.
func textOf(ns *nodeSet) string {
	if ns.empty() {
		return ""
	}
	if len(ns.rest) > 0 {
		var b strings.Builder
		for _, a := range ns.apexes() {
			sub := *ns
			sub.apex, sub.rest = a, nil
			b.WriteString(textOf(&sub))
		}
		return b.String()
	}
	var b strings.Builder
	var walk func(el *etree.Element)
	walk = func(el *etree.Element) {
		for _, tok := range el.Child {
			switch t := tok.(type) {
			case *etree.Element:
				if !ns.exclude[t] {
					walk(t)
				}
			case *etree.CharData:
				b.WriteString(t.Data)
			}
		}
	}
	walk(ns.apex)
	return b.String()
}
