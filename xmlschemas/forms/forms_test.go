package forms

import (
	"io/fs"
	"strings"
	"testing"
)

func TestFS(t *testing.T) {
	for _, name := range []string{FamilyCardXSD, ComplaintXSD, FacilityReportXSD, "crd/meta.xsd", "crd/struktura.xsd", "crd/adres.xsd", "crd/osoba.xsd", "crd/instytucja.xsd"} {
		t.Run(name, func(t *testing.T) {
			b, err := fs.ReadFile(FS(), name)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), "<xs:schema") {
				t.Errorf("got no xs:schema in %s", name)
			}
		})
	}
	for name, ns := range map[string]string{FamilyCardXSD: NSFamilyCard, ComplaintXSD: NSComplaint, FacilityReportXSD: NSFacilityReport} {
		b, _ := fs.ReadFile(FS(), name)
		if !strings.Contains(string(b), `targetNamespace="`+ns+`"`) {
			t.Errorf("%s: got no targetNamespace %s", name, ns)
		}
	}
}
