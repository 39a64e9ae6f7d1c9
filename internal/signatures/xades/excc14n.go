package xades

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/beevik/etree"
)

const nsXML = "http://www.w3.org/XML/1998/namespace"

// excC14N writes the exclusive canonical form (XML-EXC-C14N 1.0, with the
// InclusiveNamespaces prefix list given, "#default" included) of the
// node-set straight from the tree. It gives the bytes goxmldsig's exclusive canonicalizer gives (a
// differential test and fuzz target hold it to that) without copying the
// tree three times: canonicalization was half the time of verifying a
// trusted list.
func excC14N(ns *nodeSet, comments bool, prefixList string) ([]byte, error) {
	w := newExcWriter(ns, comments, prefixList)
	if err := w.element(ns.apex, nil); err != nil {
		return nil, err
	}
	return w.buf.Bytes(), nil
}

func newExcWriter(ns *nodeSet, comments bool, prefixList string) *excWriter {
	w := &excWriter{exclude: ns.exclude, comments: comments}
	for _, p := range strings.Fields(prefixList) {
		if p == "#default" {
			p = ""
		}
		w.inclusive = append(w.inclusive, p)
	}
	w.buf.Grow(4096)
	return w
}

// excC14NNested writes the exclusive canonical form of a node-set whose
// subtrees may lie inside excluded parts of others: in document order, an
// excluded element's tags and text are left out but the re-included
// subtrees inside it are written where they stand, with the namespaces
// their nearest output ancestors rendered.
func excC14NNested(ns *nodeSet, comments bool, prefixList string) ([]byte, error) {
	w := newExcWriter(ns, comments, prefixList)
	w.reinclude = map[*etree.Element]bool{}
	all := ns.apexes()
	for _, a := range all {
		w.reinclude[a] = true
	}
	for _, a := range all {
		top := true
		for _, b := range all {
			if a != b && within(a, b) {
				top = false
			}
		}
		if !top {
			continue
		}
		if err := w.element(a, nil); err != nil {
			return nil, err
		}
	}
	return w.buf.Bytes(), nil
}

// hole walks an excluded element for re-included subtrees.
func (w *excWriter) hole(el *etree.Element, rendered []nsDecl) error {
	for _, c := range el.ChildElements() {
		var err error
		if w.reinclude[c] {
			err = w.element(c, rendered)
		} else {
			err = w.hole(c, rendered)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

type excWriter struct {
	buf      bytes.Buffer
	exclude  map[*etree.Element]bool
	comments bool
	// inclusive are the InclusiveNamespaces PrefixList prefixes ("" for
	// #default), whose namespaces are rendered as inclusive C14N renders
	// them: wherever in scope and not already rendered with that value.
	inclusive []string
	// reinclude are subtrees written even inside excluded elements (see
	// excC14NNested); nil otherwise.
	reinclude map[*etree.Element]bool
}

type nsDecl struct{ prefix, uri string }

// resolve returns the namespace bound to prefix ("" for the default
// namespace) in scope at el, looking through every ancestor.
func resolve(el *etree.Element, prefix string) (string, bool) {
	for e := el; e != nil && e.Tag != ""; e = e.Parent() {
		for _, a := range e.Attr {
			if (prefix == "" && a.Space == "" && a.Key == "xmlns") || (prefix != "" && a.Space == "xmlns" && a.Key == prefix) {
				return a.Value, true
			}
		}
	}
	if prefix == "xml" {
		return nsXML, true
	}
	return "", prefix == ""
}

func renderedURI(rendered []nsDecl, prefix string) (string, bool) {
	for i := len(rendered) - 1; i >= 0; i-- {
		if rendered[i].prefix == prefix {
			return rendered[i].uri, true
		}
	}
	return "", false
}

type canonAttr struct {
	uri, space, key, value string
}

// errQName refuses a name that is not a namespace-well-formed QName
// (encoding/xml lets "a:" or "a:b:c" through).
var errQName = errors.New("malformed qualified name")

func checkQName(space, local string) error {
	if local == "" || strings.Contains(local, ":") || strings.Contains(space, ":") {
		return fmt.Errorf("%w: %q", errQName, space+":"+local)
	}
	return nil
}

func (w *excWriter) element(el *etree.Element, rendered []nsDecl) error {
	if err := checkQName(el.Space, el.Tag); err != nil {
		return err
	}
	var decls []nsDecl
	need := func(prefix string) error {
		if prefix == "xml" || prefix == "xmlns" {
			return nil
		}
		for _, d := range decls {
			if d.prefix == prefix {
				return nil
			}
		}
		uri, ok := resolve(el, prefix)
		if !ok {
			return fmt.Errorf("undeclared namespace prefix: '%s'", prefix)
		}
		if prefix != "" && uri == "" {
			// xmlns:p="" undeclares a prefix only in XML 1.1 namespaces.
			return fmt.Errorf("%w: prefix %q bound to no namespace", errQName, prefix)
		}
		have, found := renderedURI(rendered, prefix)
		if prefix == "" {
			// xmlns="" is output only to undo a default namespace an
			// output ancestor rendered.
			if (found && have == uri) || (!found && uri == "") {
				return nil
			}
		} else if found && have == uri {
			return nil
		}
		decls = append(decls, nsDecl{prefix, uri})
		return nil
	}
	if err := need(el.Space); err != nil {
		return err
	}
	for _, p := range w.inclusive {
		if _, ok := resolve(el, p); ok && p != "xml" {
			if err := need(p); err != nil {
				return err
			}
		}
	}
	var attrs []canonAttr
	for _, a := range el.Attr {
		if a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns") {
			continue
		}
		if err := checkQName(a.Space, a.Key); err != nil {
			return err
		}
		ca := canonAttr{space: a.Space, key: a.Key, value: a.Value}
		if a.Space != "" {
			if err := need(a.Space); err != nil {
				return err
			}
			uri, _ := resolve(el, a.Space)
			ca.uri = uri
		}
		attrs = append(attrs, ca)
	}
	slices.SortFunc(decls, func(a, b nsDecl) int { return strings.Compare(a.prefix, b.prefix) })
	slices.SortFunc(attrs, func(a, b canonAttr) int {
		if c := strings.Compare(a.uri, b.uri); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	b := &w.buf
	b.WriteByte('<')
	writeQName(b, el.Space, el.Tag)
	for _, d := range decls {
		if d.prefix == "" {
			b.WriteString(` xmlns="`)
		} else {
			b.WriteString(` xmlns:`)
			b.WriteString(d.prefix)
			b.WriteString(`="`)
		}
		escapeAttr(b, d.uri)
		b.WriteByte('"')
	}
	for _, a := range attrs {
		b.WriteByte(' ')
		writeQName(b, a.space, a.key)
		b.WriteString(`="`)
		escapeAttr(b, a.value)
		b.WriteByte('"')
	}
	b.WriteByte('>')
	if len(decls) > 0 {
		rendered = append(rendered[:len(rendered):len(rendered)], decls...)
	}
	for _, tok := range el.Child {
		switch t := tok.(type) {
		case *etree.Element:
			if w.exclude[t] {
				if w.reinclude != nil {
					if err := w.hole(t, rendered); err != nil {
						return err
					}
				}
				continue
			}
			if err := w.element(t, rendered); err != nil {
				return err
			}
		case *etree.CharData:
			escapeText(b, t.Data)
		case *etree.Comment:
			if w.comments {
				b.WriteString("<!--")
				b.WriteString(t.Data)
				b.WriteString("-->")
			}
		case *etree.ProcInst:
			b.WriteString("<?")
			b.WriteString(t.Target)
			if t.Inst != "" {
				b.WriteByte(' ')
				b.WriteString(t.Inst)
			}
			b.WriteString("?>")
		}
	}
	b.WriteString("</")
	writeQName(b, el.Space, el.Tag)
	b.WriteByte('>')
	return nil
}

func writeQName(b *bytes.Buffer, space, local string) {
	if space != "" {
		b.WriteString(space)
		b.WriteByte(':')
	}
	b.WriteString(local)
}

func escapeText(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}

func escapeAttr(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '"':
			esc = "&quot;"
		case '\t':
			esc = "&#x9;"
		case '\n':
			esc = "&#xA;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}
