// Package soap reads and writes SOAP 1.1 envelopes the way ePUAP speaks them: document/literal,
// text/xml in UTF-8, the operation named by the SOAPAction header, errors as a SOAP Fault
// whose detail is an ob:Wyjatek{kod, komunikat} (namespace http://wsdl.epuap.gov.pl/obiekty/).
//
// Messages are untrusted input: Parse caps their size, strips a UTF-8 byte order mark,
// refuses a DTD (and any other directive), limits nesting depth and element count, and
// accepts only UTF-8. A Fault received from a peer is returned as a *Fault error, to be
// examined with errors.As.
//
// Message bodies and headers are (un)marshalled with encoding/xml: the ePUAP message types
// are small and fixed. Signing and verifying (WS-Security, package wssec) needs the exact
// tree and canonicalisation and works on Envelope.Raw with a DOM (etree); that is why an
// Envelope keeps its raw bytes.
package soap
