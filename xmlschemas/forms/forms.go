package forms

import (
	"embed"
	"io/fs"
)

//go:embed *.xsd crd/*.xsd README.md
var files embed.FS

// Names of the form XSDs, at the root of FS.
const (
	FamilyCardXSD     = "karta-rodziny.xsd"
	ComplaintXSD      = "skarga-wniosek.xsd"
	FacilityReportXSD = "sprawozdanie-placowki.xsd"
)

// Template namespaces of the forms.
const (
	NSFamilyCard     = "urn:obieg:wzor:karta-rodziny:2026-1"
	NSComplaint      = "urn:obieg:wzor:skarga-wniosek:2026-1"
	NSFacilityReport = "urn:obieg:wzor:sprawozdanie-placowki:2026-1"
)

// FS returns the embedded XSDs (the forms at the root, the CRD subsets they import under crd/)
// and README.md, read-only.
func FS() fs.FS { return files }
