package xades

import (
	"errors"
	"fmt"
	"strings"

	"github.com/antchfx/xpath"
	"github.com/beevik/etree"
)

// Bounds of a general XPath Filter 2.0 transform.
const (
	maxFilterXPaths   = 8
	maxFilterExprSize = 1024
	// maxXPathSteps bounds the navigator moves of one expression: a
	// hostile expression could otherwise ask for work growing with a power
	// of the document's size.
	maxXPathSteps = 4 << 20
)

// filterOp is one XPath of an XPath Filter 2.0 transform, evaluated: the
// elements it selected (their subtrees are what it names) and whether it
// selected the document's root node.
type filterOp struct {
	filter string
	sel    map[*etree.Element]bool
	root   bool
}

// xpathFilter2General evaluates an XPath Filter 2.0 transform with
// antchfx/xpath: each expression over the whole document (here() is the
// ds:XPath element), its selected nodes expanded to their subtrees; the
// filter node-set starts as every node and is intersected with,
// subtracted from or joined with each in turn, and the output is the
// input node-set within it. Expressions that select attributes, text or
// comments alone are refused as unsupported, and so is a result that
// would re-include a subtree inside one it leaves out of another part.
func (v *verifier) xpathFilter2General(t *etree.Element, d *refData) (*refData, error) {
	xps := t.ChildElements()
	if len(xps) == 0 {
		return nil, fmt.Errorf("XPath Filter 2.0 without XPath: %w", errFormat)
	}
	if len(xps) > maxFilterXPaths {
		return nil, fmt.Errorf("XPath Filter 2.0 with %d expressions, more than %d: %w", len(xps), maxFilterXPaths, errFormat)
	}
	doc := d.ns.apex
	for doc.Parent() != nil {
		doc = doc.Parent()
	}
	var ops []filterOp
	for _, xp := range xps {
		filter := xp.SelectAttrValue("Filter", "")
		if filter != "intersect" && filter != "subtract" && filter != "union" {
			return nil, fmt.Errorf("XPath Filter 2.0 Filter %q: %w", filter, errFormat)
		}
		op, err := evalFilterXPath(doc, xp)
		if err != nil {
			return nil, err
		}
		op.filter = filter
		ops = append(ops, op)
	}
	ns, err := filteredNodeSet(d.ns, doc, ops)
	if err != nil {
		return nil, err
	}
	return &refData{ns: ns}, nil
}

// evalFilterXPath evaluates the expression of one dsig-xpath:XPath.
func evalFilterXPath(doc *etree.Element, xp *etree.Element) (op filterOp, err error) {
	expr := strings.TrimSpace(xp.Text())
	if expr == "" || len(expr) > maxFilterExprSize {
		return op, fmt.Errorf("XPath Filter 2.0 expression of %d bytes: %w", len(expr), errFormat)
	}
	expr, err = substituteHere(expr, xp)
	if err != nil {
		return op, err
	}
	compiled, err := xpath.CompileWithNS(expr, namespacesAt(xp))
	if err != nil {
		return op, fmt.Errorf("XPath Filter 2.0 %q: %v: %w", xp.Text(), err, errUnsupported)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("XPath Filter 2.0 %q: %v: %w", xp.Text(), r, errUnsupported)
		}
	}()
	budget := maxXPathSteps
	nav := &etreeNav{root: doc, cur: doc, attr: -1, budget: &budget}
	it, ok := compiled.Evaluate(nav).(*xpath.NodeIterator)
	if !ok {
		return op, fmt.Errorf("XPath Filter 2.0 %q is not a node-set: %w", xp.Text(), errFormat)
	}
	op.sel = map[*etree.Element]bool{}
	for n := 0; it.MoveNext(); n++ {
		cur, _ := it.Current().(*etreeNav)
		if cur == nil || n > 1<<20 {
			return op, fmt.Errorf("XPath Filter 2.0 %q: %w", xp.Text(), errUnsupported)
		}
		switch cur.NodeType() {
		case xpath.RootNode:
			op.root = true
		case xpath.ElementNode:
			op.sel[cur.element()] = true
		default:
			return op, fmt.Errorf("XPath Filter 2.0 %q selects attribute, text or comment nodes alone: %w", xp.Text(), errUnsupported)
		}
	}
	return op, nil
}

// substituteHere replaces here(), the XMLDSig function naming the element
// that bears the expression, by that element's path from the root, outside
// string literals.
func substituteHere(expr string, xp *etree.Element) (string, error) {
	if !strings.Contains(expr, "here") {
		return expr, nil
	}
	var path strings.Builder
	var steps []string
	for e := xp; e != nil && e.Tag != ""; e = e.Parent() {
		n := 0
		for _, c := range e.Parent().ChildElements() {
			n++
			if c == e {
				break
			}
		}
		steps = append(steps, fmt.Sprintf("/*[%d]", n))
	}
	for i := len(steps) - 1; i >= 0; i-- {
		path.WriteString(steps[i])
	}
	var out strings.Builder
	quote := byte(0)
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case strings.HasPrefix(expr[i:], "here()") && (i == 0 || !isNameChar(expr[i-1])):
			out.WriteString(path.String())
			i += len("here()") - 1
			continue
		}
		out.WriteByte(c)
	}
	if strings.Contains(strings.ReplaceAll(out.String(), " ", ""), "here(") {
		return "", fmt.Errorf("XPath Filter 2.0 %q: here() with arguments or spaces: %w", expr, errUnsupported)
	}
	return out.String(), nil
}

func isNameChar(c byte) bool {
	return c == '_' || c == '-' || c == '.' || c == ':' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// namespacesAt returns the prefixes bound where el is, for the
// expression's QNames.
func namespacesAt(el *etree.Element) map[string]string {
	out := map[string]string{}
	for e := el; e != nil && e.Tag != ""; e = e.Parent() {
		for _, a := range e.Attr {
			if a.Space == "xmlns" {
				if _, ok := out[a.Key]; !ok {
					out[a.Key] = a.Value
				}
			}
		}
	}
	return out
}

// errFilterShape refuses what cannot be done with a result that
// re-includes a subtree inside one it leaves out.
var errFilterShape = errors.New("XPath Filter 2.0 result re-includes a subtree inside one it leaves out")

// filteredNodeSet computes the output of the filter over in: the elements
// of in that the filter node-set keeps, as subtrees (apexes) less
// excluded subtrees.
func filteredNodeSet(in *nodeSet, doc *etree.Element, ops []filterOp) (*nodeSet, error) {
	// The document node stays when every operation keeps it.
	rootIn := true
	for _, op := range ops {
		switch op.filter {
		case "intersect":
			rootIn = rootIn && op.root
		case "subtract":
			rootIn = rootIn && !op.root
		case "union":
			rootIn = rootIn || op.root
		}
	}
	out := &nodeSet{doc: in.doc, comments: in.comments, exclude: map[*etree.Element]bool{}}
	var apexes []*etree.Element
	inside := make([]bool, len(ops))
	nested := false
	var walk func(el *etree.Element, flags []bool, parentOut, ancestorOut bool)
	walk = func(el *etree.Element, flags []bool, parentOut, ancestorOut bool) {
		f := make([]bool, len(ops))
		keep := true
		for i, op := range ops {
			f[i] = flags[i] || op.sel[el] || op.root
			switch op.filter {
			case "intersect":
				keep = keep && f[i]
			case "subtract":
				keep = keep && !f[i]
			case "union":
				keep = keep || f[i]
			}
		}
		keep = keep && in.contains(el)
		switch {
		case keep && !parentOut:
			apexes = append(apexes, el)
			nested = nested || ancestorOut
		case !keep && parentOut:
			out.exclude[el] = true
		}
		for _, c := range el.ChildElements() {
			walk(c, f, keep, ancestorOut || keep)
		}
	}
	root := in.apex
	for root.Parent() != nil && root.Parent().Tag != "" {
		root = root.Parent()
	}
	walk(root, inside, false, false)
	if len(apexes) == 0 {
		out.apex = root
		out.exclude[root] = true
		return out, nil
	}
	out.apex, out.rest, out.nested = apexes[0], apexes[1:], nested
	out.wholeDoc = in.wholeDoc && rootIn && out.apex == root && len(out.rest) == 0
	return out, nil
}
