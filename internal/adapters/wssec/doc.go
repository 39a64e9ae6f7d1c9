// Package wssec signs and verifies SOAP 1.1 envelopes with WS-Security the way ePUAP accepts
// them (see contracts/epuap/NOTES.md): a wsse:Security header (OASIS 2004 namespaces)
// holding a wsse:BinarySecurityToken (X509v3, Base64Binary, with a wsu:Id) and right after it
// a ds:Signature made with exclusive C14N and RSA-SHA256 whose one Reference names the
// soap:Body by its wsu:Id with a SHA-256 digest; KeyInfo points at the token through
// wsse:SecurityTokenReference/wsse:Reference URI="#<token id>". A signed wsu:Timestamp is
// optional on both sides.
//
// Signer.Sign adds that header to an envelope. Verify checks one:
//
//   - the envelope passes soap.Parse (size, depth, no DTD, UTF-8);
//   - there is exactly one wsse:Security header, holding exactly one ds:Signature;
//   - SignedInfo uses exclusive C14N, RSA-SHA256 and SHA-256 only; every Reference has only
//     the exclusive C14N transform;
//   - exactly one Reference names the soap:Body that is a child of the Envelope root, and
//     the id it uses occurs on exactly one element of the whole document (wsu:Id, Id or ID):
//     a second element with that id, or a Reference to a Body elsewhere, is signature
//     wrapping and refused; the only other element a Reference may name is the wsu:Timestamp
//     of the same Security header;
//   - each digest matches, the signature over the canonical SignedInfo verifies with the
//     key of the certificate from the referenced BinarySecurityToken, the certificate is
//     valid at the given time and the caller's Trusted function accepts it (an allow-list:
//     the certificates an office registered, or the pinned ePUAP signing certificate);
//   - a signed Timestamp, when present, has not expired.
//
// Canonicalisation is goxmldsig's exclusive C14N over etree; nothing here canonicalises by
// hand. Errors wrap ErrUnsigned, ErrMalformed, ErrBadSignature, ErrUntrusted or ErrExpired,
// to be told apart with errors.Is.
package wssec
