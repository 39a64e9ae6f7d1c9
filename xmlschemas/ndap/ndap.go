// Package ndap embeds the state archives' schemas of the archival package (README.md here):
// the metadata schema version 1.7 with the code lists it imports, the hand-over list and the
// transfer request, with a catalog for offline validation.
package ndap

import (
	"embed"
	"io/fs"
)

//go:embed *.xsd catalog.xml README.md LICENSE-elektronizacja-prawa.txt
var files embed.FS

// Names of the schemas, at the root of FS.
const (
	MetadataXSD     = "Metadane-1.7.xsd"
	HandOverListXSD = "SpisZdawczo-odbiorczy.xsd"
	RequestXSD      = "wniosek.xsd"
	Catalog         = "catalog.xml"
)

// Namespace is the namespace of the metadata and the hand-over list.
const Namespace = "http://www.mswia.gov.pl/standardy/ndap"

// FS returns the embedded schemas, catalog and README, read-only.
func FS() fs.FS { return files }
