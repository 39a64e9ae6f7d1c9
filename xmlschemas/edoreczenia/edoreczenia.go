package edoreczenia

import (
	"embed"
	"io/fs"
)

// OpenAPIFile is the name of the contract in FS.
const OpenAPIFile = "uaapi_3.0.8.1.yaml"

//go:embed uaapi_3.0.8.1.yaml LICENSE-founder-pl-edoreczenia
var files embed.FS

// OpenAPI is the OpenAPI document of the e-Doręczenia mailbox API, byte for byte.
//
//go:embed uaapi_3.0.8.1.yaml
var OpenAPI []byte

// FS returns the embedded contract and its licence, read-only, at the root of the file system.
func FS() fs.FS { return files }
