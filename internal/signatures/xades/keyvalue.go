package xades

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"math/big"

	"github.com/beevik/etree"
)

const nsDSig11 = "http://www.w3.org/2009/xmldsig11#"

// keyValueCurves are the named curves of a dsig11:ECKeyValue.
var keyValueCurves = map[string]elliptic.Curve{
	"urn:oid:1.2.840.10045.3.1.7": elliptic.P256(),
	"urn:oid:1.3.132.0.34":        elliptic.P384(),
	"urn:oid:1.3.132.0.35":        elliptic.P521(),
}

// keyValueKeys returns the public keys of ds:KeyInfo/ds:KeyValue (RSA, or
// ECDSA on the NIST curves), as key candidates bound to no certificate:
// a SignatureValue they verify shows the signature is intact, not who made it.
func keyValueKeys(sig *etree.Element) ([]*keyCert, []string) {
	ki := childDS(sig, "KeyInfo")
	if ki == nil {
		return nil, nil
	}
	var out []*keyCert
	var faults []string
	for _, kv := range dsChildren(ki, "KeyValue") {
		for _, k := range kv.ChildElements() {
			pub, err := keyValueKey(k)
			if err != nil {
				faults = append(faults, err.Error())
				continue
			}
			out = append(out, &keyCert{pub: pub, keyValue: true})
			if len(out) >= 4 {
				return out, faults
			}
		}
	}
	return out, faults
}

func keyValueKey(k *etree.Element) (crypto.PublicKey, error) {
	switch {
	case isDS(k, "RSAKeyValue"):
		n, err := cryptoBinary(childDS(k, "Modulus"))
		if err != nil {
			return nil, fmt.Errorf("RSAKeyValue Modulus: %w", err)
		}
		e, err := cryptoBinary(childDS(k, "Exponent"))
		if err != nil {
			return nil, fmt.Errorf("RSAKeyValue Exponent: %w", err)
		}
		if n.BitLen() < 512 || n.BitLen() > 16384 || !e.IsInt64() || e.Int64() < 3 || e.Int64() > 1<<31-1 || e.Bit(0) == 0 {
			return nil, fmt.Errorf("RSAKeyValue of %d bits with exponent %s is not a usable RSA key", n.BitLen(), e)
		}
		return &rsa.PublicKey{N: n, E: int(e.Int64())}, nil
	case k.Tag == "ECKeyValue" && k.NamespaceURI() == nsDSig11:
		nc := childNS(k, nsDSig11, "NamedCurve")
		pk := childNS(k, nsDSig11, "PublicKey")
		if nc == nil || pk == nil {
			return nil, fmt.Errorf("ECKeyValue without NamedCurve or PublicKey (explicit curve parameters are not supported)")
		}
		curve, ok := keyValueCurves[nc.SelectAttrValue("URI", "")]
		if !ok {
			return nil, fmt.Errorf("ECKeyValue curve %q not supported", nc.SelectAttrValue("URI", ""))
		}
		b, err := base64.StdEncoding.DecodeString(stripSpace(pk.Text()))
		if err != nil {
			return nil, fmt.Errorf("ECKeyValue PublicKey is not base64")
		}
		pub, err := ecdsa.ParseUncompressedPublicKey(curve, b)
		if err != nil {
			return nil, fmt.Errorf("ECKeyValue PublicKey: %v", err)
		}
		return pub, nil
	}
	return nil, fmt.Errorf("KeyValue %s not supported", k.FullTag())
}

// cryptoBinary reads an XMLDSig CryptoBinary: a base64 big-endian integer.
func cryptoBinary(el *etree.Element) (*big.Int, error) {
	if el == nil {
		return nil, fmt.Errorf("missing")
	}
	b, err := base64.StdEncoding.DecodeString(stripSpace(el.Text()))
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("not base64")
	}
	return new(big.Int).SetBytes(b), nil
}
