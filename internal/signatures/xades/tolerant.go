package xades

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// errNotNegativeSerial means a certificate has no negative serial number,
// so the tolerant parse does not apply.
var errNotNegativeSerial = errors.New("serial number not negative")

// parseNegativeSerial parses a certificate that crypto/x509 refuses only
// because its serial number is negative (RFC 5280 wants it positive; old
// CAs issued such certificates, and Go refuses them since 1.23). It parses
// a copy whose serial's first octet is made positive, of the same length,
// and then puts back the original encoding, TBSCertificate and serial
// number, so that the certificate's signature (checked in chain building)
// is over what the CA signed, and its key, names and extensions are read
// by crypto/x509 itself.
func parseNegativeSerial(der []byte) (*x509.Certificate, error) {
	in := cryptobyte.String(der)
	var outer, tbs cryptobyte.String
	if !in.ReadASN1(&outer, cbasn1.SEQUENCE) || !in.Empty() {
		return nil, errors.New("not a certificate")
	}
	outerAt := len(der) - len(outer)
	rest := outer
	var tbsElem cryptobyte.String
	if !rest.ReadASN1Element(&tbsElem, cbasn1.SEQUENCE) {
		return nil, errors.New("no TBSCertificate")
	}
	tbsAt := outerAt
	t := tbsElem
	if !t.ReadASN1(&tbs, cbasn1.SEQUENCE) {
		return nil, errors.New("no TBSCertificate")
	}
	tbsContentAt := tbsAt + len(tbsElem) - len(tbs)
	fields := tbs
	if !fields.SkipOptionalASN1(cbasn1.Tag(0).Constructed().ContextSpecific()) {
		return nil, errors.New("bad version")
	}
	serialAt := tbsContentAt + len(tbs) - len(fields)
	before := len(fields)
	var serialContent cryptobyte.String
	if !fields.ReadASN1(&serialContent, cbasn1.INTEGER) || len(serialContent) == 0 {
		return nil, errors.New("no serial number")
	}
	if serialContent[0]&0x80 == 0 {
		return nil, errNotNegativeSerial
	}
	contentAt := serialAt + before - len(fields) - len(serialContent)
	serial := new(big.Int).SetBytes(serialContent)
	serial.Sub(serial, new(big.Int).Lsh(big.NewInt(1), uint(8*len(serialContent))))

	cp := append([]byte(nil), der...)
	cp[contentAt] &= 0x7f
	if cp[contentAt] == 0 {
		cp[contentAt] = 1 // keep the encoding minimal
	}
	c, err := x509.ParseCertificate(cp)
	if err != nil {
		return nil, err
	}
	c.Raw = der
	c.RawTBSCertificate = der[tbsAt : tbsAt+len(tbsElem)]
	c.SerialNumber = serial
	return c, nil
}

// ParseCertificate parses a DER certificate as x509.ParseCertificate does,
// and also one that crypto/x509 refuses only because its serial number is
// negative, keeping its original encoding (so that the signatures over it
// and by it are checked as usual). Trust anchors and trusted-list
// certificates are read with it, like the certificates signatures carry.
func ParseCertificate(der []byte) (*x509.Certificate, error) {
	c, err := x509.ParseCertificate(der)
	if err == nil {
		return c, nil
	}
	if tc, terr := parseNegativeSerial(der); terr == nil {
		return tc, nil
	}
	return nil, err
}

// ParseCertificates reads the certificates of data: any number of PEM CERTIFICATE blocks
// (other blocks are passed over), or one DER certificate; each read with ParseCertificate.
func ParseCertificates(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	rest := data
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("certificate %d: %w", len(certs)+1, err)
		}
		certs = append(certs, c)
	}
	if len(certs) > 0 {
		return certs, nil
	}
	c, err := ParseCertificate(data)
	if err != nil {
		return nil, fmt.Errorf("no PEM certificate, and not one DER certificate: %w", err)
	}
	return []*x509.Certificate{c}, nil
}
