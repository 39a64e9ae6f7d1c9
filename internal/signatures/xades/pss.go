package xades

import (
	"crypto"
	"fmt"
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

// RSA-PSS with parameters (RFC 6931 2.3.10).
const (
	algRSAPSS = "http://www.w3.org/2007/05/xmldsig-more#rsa-pss"
	nsPSS     = "http://www.w3.org/2007/05/xmldsig-more#"
	algMGF1   = "http://www.w3.org/2007/05/xmldsig-more#MGF1"
)

// pssAlg reads the RSAPSSParams of a SignatureMethod rsa-pss: the digest
// (SHA-256 by default), MGF1 with the same digest (Go's RSA-PSS knows no
// other), the salt length (the digest's by default) and trailer field 1.
func pssAlg(sm *etree.Element) (sigAlg, error) {
	alg := sigAlg{key: "rsa-pss", hash: crypto.SHA256}
	p := childNS(sm, nsPSS, "RSAPSSParams")
	if p == nil {
		alg.salt = alg.hash.Size()
		return alg, nil
	}
	if dm := childDS(p, "DigestMethod"); dm != nil {
		h, ok := digestAlgs[dm.SelectAttrValue("Algorithm", "")]
		if !ok {
			return alg, fmt.Errorf("RSA-PSS digest %q: %w", dm.SelectAttrValue("Algorithm", ""), errUnsupportedAlg)
		}
		alg.hash = h
	}
	alg.salt = alg.hash.Size()
	if mgf := childNS(p, nsPSS, "MaskGenerationFunction"); mgf != nil {
		if a := mgf.SelectAttrValue("Algorithm", algMGF1); a != algMGF1 {
			return alg, fmt.Errorf("RSA-PSS mask generation function %q: %w", a, errUnsupportedAlg)
		}
		if dm := childDS(mgf, "DigestMethod"); dm != nil && digestAlgs[dm.SelectAttrValue("Algorithm", "")] != alg.hash {
			return alg, fmt.Errorf("RSA-PSS MGF1 with another digest than the signature's: %w", errUnsupportedAlg)
		}
	}
	if sl := childNS(p, nsPSS, "SaltLength"); sl != nil {
		n, err := strconv.Atoi(strings.TrimSpace(sl.Text()))
		if err != nil || n < 0 || n > 1024 {
			return alg, fmt.Errorf("RSA-PSS SaltLength %q: %w", sl.Text(), errFormat)
		}
		alg.salt = n
	}
	if tf := childNS(p, nsPSS, "TrailerField"); tf != nil && strings.TrimSpace(tf.Text()) != "1" {
		return alg, fmt.Errorf("RSA-PSS TrailerField %q: %w", tf.Text(), errUnsupportedAlg)
	}
	return alg, nil
}
