// Package epuap holds ePUAP's published SOAP contracts (WSDL and XSD files, embedded and
// served through FS) and the Go types of the messages that obieg exchanges with ePUAP: the
// pull service, skrytka's nadaj and nadajAny (skrytka.go), doręczyciel's dorecz and odbierz
// (doreczyciel.go) and FileRepo (filerepo.go).
//
// The message types use encoding/xml: they are few, small and fixed by a schema from 2008,
// and nothing in them is signed. Signed documents (forms, UPP, WS-Security headers) are
// handled with a DOM (etree) elsewhere, because canonicalisation needs the exact tree.
//
// The schemas set no elementFormDefault, so only the top element of a message is in the
// namespace NS; its children are unqualified. The types below decode children in any
// namespace (lenient input); encode them with the soap package, which writes the top
// element with a prefix so that its children stay in no namespace.
package epuap
