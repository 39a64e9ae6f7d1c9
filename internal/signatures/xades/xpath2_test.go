package xades

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestXPathFilter2Budget checks that an expression whose work grows with a
// power of the document's size is stopped, and reported unsupported.
func TestXPathFilter2Budget(t *testing.T) {
	doc := `<r xmlns:dsig-xpath="http://www.w3.org/2002/06/xmldsig-filter2">` + strings.Repeat("<a><b/><b/></a>", 300) +
		`<t><dsig-xpath:XPath Filter="intersect">//*[count(//*[count(//*)&gt;0])&gt;0]</dsig-xpath:XPath></t></r>`
	d, err := parseXML([]byte(doc), Options{})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := newVerifier(d, Options{}.withDefaults())
	start := time.Now()
	_, err = v.xpathFilter2General(d.FindElement("//t"), &refData{ns: &nodeSet{apex: d.Root(), doc: d, wholeDoc: true}})
	if !errors.Is(err, errUnsupported) || !strings.Contains(err.Error(), errXPathBudget.Error()) {
		t.Errorf("got error %v, want %v", err, errXPathBudget)
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("took %s to stop", el)
	}
}
