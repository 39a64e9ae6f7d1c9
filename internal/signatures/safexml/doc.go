// Package safexml parses untrusted XML into an etree document under limits.
//
// Every XML document that reaches obieg from outside (ePUAP submissions,
// e-Doręczenia messages, trusted lists, signatures) is parsed through Parse,
// which refuses what a hostile sender could use against the parser or
// against the signature verifier downstream:
//
//   - input larger than Limits.MaxBytes (ErrTooLarge);
//   - any document type declaration, internal or external (ErrDTD), so no
//     entity expansion and no external fetches can happen;
//   - nesting deeper than Limits.MaxDepth (ErrTooDeep) and more than
//     Limits.MaxElements elements (ErrTooManyElements);
//   - input that is not well-formed, including duplicate attributes, more
//     than one root element and text outside the root (ErrMalformed);
//   - a declared encoding other than UTF-8, US-ASCII, ISO-8859-2,
//     windows-1250, ISO-8859-1 or windows-1252 (ErrCharset).
//
// A UTF-8 byte order mark is stripped. Documents declared in one of the
// single-byte encodings are decoded to UTF-8, so the returned tree always holds UTF-8
// strings.
//
// Errors are wrapped: test them with errors.Is against the Err variables.
package safexml
