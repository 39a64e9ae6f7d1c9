package epuap

import (
	"embed"
	"io/fs"
)

//go:embed *.wsdl *.xsd LICENSE-EpuapBrokerLib.txt
var files embed.FS

// Names of the contract files most code refers to.
const (
	PullWSDL       = "pull.wsdl"
	ObiektyPKXSD   = "obiektypk.xsd"
	SignPolicyWSDL = "sign-policy.wsdl"
	SkrytkaWSDL    = "skrytka.wsdl"
)

// FS returns the embedded contract files (every .wsdl and .xsd of this directory and the
// licence they are distributed under), read-only, at the root of the file system.
func FS() fs.FS { return files }
