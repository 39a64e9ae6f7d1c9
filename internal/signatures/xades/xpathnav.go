package xades

import (
	"errors"
	"strings"

	"github.com/antchfx/xpath"
	"github.com/beevik/etree"
)

// etreeNav is an xpath.NodeNavigator over an etree document: its root
// node, elements, attributes (namespace declarations are not attributes
// in XPath), text and comments; processing instructions are skipped, as
// antchfx/xpath has no node type for them.
type etreeNav struct {
	root *etree.Element // the document node (Tag "")
	cur  etree.Token
	attr int // index in the current element's Attr, or -1
	// budget counts the moves left to every copy of the navigator; an
	// expression that needs more is stopped (errXPathBudget, panicked
	// through antchfx/xpath and recovered by the caller).
	budget *int
}

// errXPathBudget stops an XPath expression that takes too many steps.
var errXPathBudget = errors.New("XPath expression takes too many steps")

// step spends one move of the budget.
func (n *etreeNav) step() {
	if n.budget == nil {
		return
	}
	if *n.budget--; *n.budget < 0 {
		panic(errXPathBudget)
	}
}

var _ xpath.NodeNavigator = (*etreeNav)(nil)

func (n *etreeNav) element() *etree.Element {
	el, _ := n.cur.(*etree.Element)
	return el
}

func (n *etreeNav) NodeType() xpath.NodeType {
	switch t := n.cur.(type) {
	case *etree.Element:
		switch {
		case n.attr >= 0:
			return xpath.AttributeNode
		case t == n.root:
			return xpath.RootNode
		}
		return xpath.ElementNode
	case *etree.Comment:
		return xpath.CommentNode
	}
	return xpath.TextNode
}

func (n *etreeNav) LocalName() string {
	el := n.element()
	switch {
	case el == nil:
		return ""
	case n.attr >= 0:
		return el.Attr[n.attr].Key
	}
	return el.Tag
}

func (n *etreeNav) Prefix() string {
	el := n.element()
	switch {
	case el == nil:
		return ""
	case n.attr >= 0:
		return el.Attr[n.attr].Space
	}
	return el.Space
}

// NamespaceURL is the namespace of an element or attribute, which
// antchfx/xpath compares with the expression's namespace bindings.
func (n *etreeNav) NamespaceURL() string {
	el := n.element()
	switch {
	case el == nil || el == n.root:
		return ""
	case n.attr >= 0:
		a := el.Attr[n.attr]
		if a.Space == "" {
			return ""
		}
		if a.Space == "xml" {
			return nsXML
		}
		return lookupPrefix(el, a.Space)
	}
	return el.NamespaceURI()
}

func (n *etreeNav) Value() string {
	switch t := n.cur.(type) {
	case *etree.Element:
		if n.attr >= 0 {
			return t.Attr[n.attr].Value
		}
		var b strings.Builder
		stringValue(&b, t)
		return b.String()
	case *etree.CharData:
		return t.Data
	case *etree.Comment:
		return t.Data
	}
	return ""
}

func stringValue(b *strings.Builder, el *etree.Element) {
	for _, tok := range el.Child {
		switch t := tok.(type) {
		case *etree.Element:
			stringValue(b, t)
		case *etree.CharData:
			b.WriteString(t.Data)
		}
	}
}

func (n *etreeNav) Copy() xpath.NodeNavigator {
	c := *n
	return &c
}

func (n *etreeNav) MoveToRoot() { n.cur, n.attr = n.root, -1 }

func (n *etreeNav) MoveToParent() bool {
	n.step()
	if n.attr >= 0 {
		n.attr = -1
		return true
	}
	p := n.cur.Parent()
	if p == nil || n.cur == n.root {
		return false
	}
	n.cur = p
	return true
}

func isNamespaceDecl(a etree.Attr) bool {
	return a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns")
}

func (n *etreeNav) MoveToNextAttribute() bool {
	n.step()
	el := n.element()
	if el == nil || el == n.root {
		return false
	}
	for i := n.attr + 1; i < len(el.Attr); i++ {
		if !isNamespaceDecl(el.Attr[i]) {
			n.attr = i
			return true
		}
	}
	return false
}

// navigable says whether a child token is a node of the navigator.
func navigable(tok etree.Token) bool {
	switch tok.(type) {
	case *etree.Element, *etree.CharData, *etree.Comment:
		return true
	}
	return false
}

func (n *etreeNav) MoveToChild() bool {
	n.step()
	el := n.element()
	if el == nil || n.attr >= 0 {
		return false
	}
	for _, tok := range el.Child {
		if navigable(tok) {
			n.cur = tok
			return true
		}
	}
	return false
}

func (n *etreeNav) MoveToFirst() bool {
	n.step()
	p := n.cur.Parent()
	if n.attr >= 0 || p == nil || n.cur == n.root {
		return false
	}
	for _, tok := range p.Child {
		if navigable(tok) {
			n.cur = tok
			return true
		}
	}
	return false
}

func (n *etreeNav) move(step int) bool {
	n.step()
	p := n.cur.Parent()
	if n.attr >= 0 || p == nil || n.cur == n.root {
		return false
	}
	for i := n.cur.Index() + step; i >= 0 && i < len(p.Child); i += step {
		if navigable(p.Child[i]) {
			n.cur = p.Child[i]
			return true
		}
	}
	return false
}

func (n *etreeNav) MoveToNext() bool { return n.move(1) }

func (n *etreeNav) MoveToPrevious() bool { return n.move(-1) }

func (n *etreeNav) MoveTo(other xpath.NodeNavigator) bool {
	o, ok := other.(*etreeNav)
	if !ok || o.root != n.root {
		return false
	}
	*n = *o
	return true
}
