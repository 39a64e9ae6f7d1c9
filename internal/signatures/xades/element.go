package xades

import "github.com/beevik/etree"

const nsWSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"

// isIDAttr says whether a is an id attribute: unqualified Id, ID or id,
// xml:id, or the WS-Security wsu:Id that ePUAP's SOAP signatures use.
func isIDAttr(el *etree.Element, a etree.Attr) bool {
	switch a.Space {
	case "":
		return a.Key == "Id" || a.Key == "ID" || a.Key == "id"
	case "xml":
		return a.Key == "id"
	case "xmlns":
		return false
	}
	return a.Key == "Id" && lookupPrefix(el, a.Space) == nsWSU
}

func isDS(el *etree.Element, tag string) bool {
	return el.Tag == tag && el.NamespaceURI() == nsDSig
}

func isXAdESNS(ns string) bool {
	return ns == nsXAdES132 || ns == nsXAdES141 || ns == nsXAdES111
}

func isXAdES(el *etree.Element, tag string) bool {
	return el.Tag == tag && isXAdESNS(el.NamespaceURI())
}

func childNS(el *etree.Element, ns, tag string) *etree.Element {
	for _, c := range el.ChildElements() {
		if c.Tag == tag && c.NamespaceURI() == ns {
			return c
		}
	}
	return nil
}

func childDS(el *etree.Element, tag string) *etree.Element { return childNS(el, nsDSig, tag) }

func childXAdES(el *etree.Element, tag string) *etree.Element {
	for _, c := range el.ChildElements() {
		if isXAdES(c, tag) {
			return c
		}
	}
	return nil
}

func childrenXAdES(el *etree.Element, tag string) []*etree.Element {
	var out []*etree.Element
	for _, c := range el.ChildElements() {
		if isXAdES(c, tag) {
			out = append(out, c)
		}
	}
	return out
}

func dsChildren(el *etree.Element, tag string) []*etree.Element {
	var out []*etree.Element
	for _, c := range el.ChildElements() {
		if isDS(c, tag) {
			out = append(out, c)
		}
	}
	return out
}

func attr(el *etree.Element, key string) (string, bool) {
	for _, a := range el.Attr {
		if a.Space == "" && a.Key == key {
			return a.Value, true
		}
	}
	return "", false
}
