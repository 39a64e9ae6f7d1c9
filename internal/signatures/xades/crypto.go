package xades

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
)

type sigAlg struct {
	key  string // "rsa", "rsa-pss" or "ecdsa"
	hash crypto.Hash
	// salt is the RSA-PSS salt length; 0 (rsa.PSSSaltLengthAuto) takes
	// any, as the MGF1 URIs name none (and an explicit 0 is read so too).
	salt int
}

// Signature method URIs (XMLDSig, RFC 6931).
var sigAlgs = map[string]sigAlg{
	"http://www.w3.org/2000/09/xmldsig#rsa-sha1":             {"rsa", crypto.SHA1, 0},
	"http://www.w3.org/2001/04/xmldsig-more#rsa-sha224":      {"rsa", crypto.SHA224, 0},
	"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256":      {"rsa", crypto.SHA256, 0},
	"http://www.w3.org/2001/04/xmldsig-more#rsa-sha384":      {"rsa", crypto.SHA384, 0},
	"http://www.w3.org/2001/04/xmldsig-more#rsa-sha512":      {"rsa", crypto.SHA512, 0},
	"http://www.w3.org/2007/05/xmldsig-more#sha1-rsa-MGF1":   {"rsa-pss", crypto.SHA1, 0},
	"http://www.w3.org/2007/05/xmldsig-more#sha224-rsa-MGF1": {"rsa-pss", crypto.SHA224, 0},
	"http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1": {"rsa-pss", crypto.SHA256, 0},
	"http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1": {"rsa-pss", crypto.SHA384, 0},
	"http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1": {"rsa-pss", crypto.SHA512, 0},
	"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1":      {"ecdsa", crypto.SHA1, 0},
	"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha224":    {"ecdsa", crypto.SHA224, 0},
	"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256":    {"ecdsa", crypto.SHA256, 0},
	"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384":    {"ecdsa", crypto.SHA384, 0},
	"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512":    {"ecdsa", crypto.SHA512, 0},
}

var errCrypto = errors.New("signature value does not verify")

// verifySignatureValue checks sigValue over data with the public key of
// the certificate. An ECDSA signature value is the raw r||s of XMLDSig,
// not DER.
func verifySignatureValue(alg sigAlg, kc *keyCert, data, sigValue []byte) error {
	digest := digestOf(alg.hash, data)
	if kc.ec != nil {
		if alg.key != "ecdsa" {
			return fmt.Errorf("%s signature method with a %s key: %w", alg.key, kc.ec.curve.name, errCrypto)
		}
		c := kc.ec.curve
		if len(sigValue) != 2*((c.orderBitSize+7)/8) {
			return fmt.Errorf("ECDSA signature value of %d bytes for %s: %w", len(sigValue), c.name, errCrypto)
		}
		n := len(sigValue) / 2
		if !c.verify(kc.ec.x, kc.ec.y, digest, new(big.Int).SetBytes(sigValue[:n]), new(big.Int).SetBytes(sigValue[n:])) {
			return errCrypto
		}
		return nil
	}
	key := kc.pub
	if kc.cert != nil {
		key = kc.cert.PublicKey
	}
	switch alg.key {
	case "rsa", "rsa-pss":
		pub, ok := key.(*rsa.PublicKey)
		if !ok {
			return fmt.Errorf("RSA signature method with a %T key: %w", key, errCrypto)
		}
		var err error
		if alg.key == "rsa" {
			err = rsa.VerifyPKCS1v15(pub, alg.hash, digest, sigValue)
		} else {
			err = rsa.VerifyPSS(pub, alg.hash, digest, sigValue, &rsa.PSSOptions{SaltLength: alg.salt})
		}
		if err != nil {
			return fmt.Errorf("%v: %w", err, errCrypto)
		}
		return nil
	case "ecdsa":
		pub, ok := key.(*ecdsa.PublicKey)
		if !ok {
			return fmt.Errorf("ECDSA signature method with a %T key: %w", key, errCrypto)
		}
		if len(sigValue) == 0 || len(sigValue)%2 != 0 {
			return fmt.Errorf("ECDSA signature value of %d bytes is not r||s: %w", len(sigValue), errCrypto)
		}
		n := len(sigValue) / 2
		r := new(big.Int).SetBytes(sigValue[:n])
		s := new(big.Int).SetBytes(sigValue[n:])
		if !ecdsa.Verify(pub, digest, r, s) {
			return errCrypto
		}
		return nil
	}
	return fmt.Errorf("key type %q: %w", alg.key, errUnsupported)
}

// Named curves that crypto/x509 cannot parse, reported by name.
var unsupportedCurves = map[string]string{
	"1.3.36.3.3.2.8.1.1.1":  "brainpoolP160r1",
	"1.3.36.3.3.2.8.1.1.3":  "brainpoolP192r1",
	"1.3.36.3.3.2.8.1.1.5":  "brainpoolP224r1",
	"1.3.36.3.3.2.8.1.1.7":  "brainpoolP256r1",
	"1.3.36.3.3.2.8.1.1.9":  "brainpoolP320r1",
	"1.3.36.3.3.2.8.1.1.11": "brainpoolP384r1",
	"1.3.36.3.3.2.8.1.1.13": "brainpoolP512r1",
	"1.3.132.0.10":          "secp256k1",
}

// rawCert is the outer shape of an X.509 certificate, enough to name the
// key of one crypto/x509 refuses.
type rawCert struct {
	TBS struct {
		Version   int `asn1:"optional,explicit,default:0,tag:0"`
		Serial    *big.Int
		SigAlg    pkix.AlgorithmIdentifier
		Issuer    asn1.RawValue
		Validity  asn1.RawValue
		Subject   asn1.RawValue
		PublicKey struct {
			Algorithm pkix.AlgorithmIdentifier
			Key       asn1.BitString
		}
	}
	SigAlg pkix.AlgorithmIdentifier
	Sig    asn1.BitString
}

// unsupportedKey names the curve of a certificate crypto/x509 could not
// parse, or returns "".
func unsupportedKey(der []byte) string {
	var rc rawCert
	if _, err := asn1.Unmarshal(der, &rc); err != nil {
		return ""
	}
	var oid asn1.ObjectIdentifier
	if _, err := asn1.Unmarshal(rc.TBS.PublicKey.Algorithm.Parameters.FullBytes, &oid); err != nil {
		return ""
	}
	if name, ok := unsupportedCurves[oid.String()]; ok {
		return name
	}
	return "curve " + oid.String()
}
