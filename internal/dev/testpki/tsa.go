package testpki

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/obieg/obieg/internal/signatures/xades"
)

// Timestamper is the PKI's RFC 3161 time-stamping unit: in process
// (Timestamp, an xades.TSA) and over HTTP (ServeHTTP).
type Timestamper struct {
	tsa *Entity
	now func() time.Time

	mu     sync.Mutex
	serial int64
}

var (
	_ xades.TSA    = (*Timestamper)(nil)
	_ http.Handler = (*Timestamper)(nil)
)

// Timestamper returns the PKI's time-stamping unit; now gives the time
// written into tokens.
func (p *PKI) Timestamper(now func() time.Time) *Timestamper {
	return &Timestamper{tsa: p.TSA, now: now}
}

var (
	oidSignedData   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidTSTInfo      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}
	oidContentType  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDig   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSigningTime  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	oidSigningCert2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	oidSHA256       = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidECDSASHA256  = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidRSAEncrypt   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	// OIDPolicyTSA is the time-stamping policy of the test TSA.
	OIDPolicyTSA = asn1.ObjectIdentifier{1, 2, 616, 1, 999, 3, 1}
)

var hashOIDs = map[crypto.Hash]asn1.ObjectIdentifier{
	crypto.SHA256: oidSHA256,
	crypto.SHA384: {2, 16, 840, 1, 101, 3, 4, 2, 2},
	crypto.SHA512: {2, 16, 840, 1, 101, 3, 4, 2, 3},
}

type messageImprint struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	HashedMessage []byte
}

type tstInfo struct {
	Version        int
	Policy         asn1.ObjectIdentifier
	MessageImprint messageImprint
	SerialNumber   *big.Int
	GenTime        time.Time `asn1:"generalized"`
	Nonce          *big.Int  `asn1:"optional"`
}

// Timestamp returns a token over digest at the time now gives.
func (t *Timestamper) Timestamp(_ context.Context, digest []byte, hash crypto.Hash) ([]byte, error) {
	return t.token(digest, hash, nil)
}

func (t *Timestamper) token(digest []byte, hash crypto.Hash, nonce *big.Int) ([]byte, error) {
	oid, ok := hashOIDs[hash]
	if !ok || len(digest) != hash.Size() {
		return nil, fmt.Errorf("testpki: time-stamp: bad imprint (hash %v, %d bytes)", hash, len(digest))
	}
	t.mu.Lock()
	t.serial++
	serial := t.serial
	t.mu.Unlock()
	gen := t.now().UTC().Truncate(time.Second)
	info, err := asn1.Marshal(tstInfo{
		Version:        1,
		Policy:         OIDPolicyTSA,
		MessageImprint: messageImprint{HashAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oid, Parameters: asn1.NullRawValue}, HashedMessage: digest},
		SerialNumber:   big.NewInt(serial),
		GenTime:        gen,
		Nonce:          nonce,
	})
	if err != nil {
		return nil, fmt.Errorf("testpki: encode TSTInfo: %w", err)
	}
	return signedData(t.tsa, oidTSTInfo, info, gen)
}

// signedData makes a CMS SignedData ContentInfo over content of type
// ctype, signed by e with SHA-256, with signed attributes content type,
// signing time, message digest and ESS signing-certificate-v2, and e's
// certificate. It is written here because github.com/smallstep/pkcs7
// always signs the current time, which a PKI built for another time cannot use.
func signedData(e *Entity, ctype asn1.ObjectIdentifier, content []byte, at time.Time) ([]byte, error) {
	md := sha256.Sum256(content)
	certHash := sha256.Sum256(e.Cert.Raw)
	type essCertIDv2 struct{ CertHash []byte }
	type signingCertV2 struct{ Certs []essCertIDv2 }
	attr := func(oid asn1.ObjectIdentifier, v any) ([]byte, error) {
		vb, err := asn1.Marshal(v)
		if err != nil {
			return nil, err
		}
		return asn1.Marshal(struct {
			Type  asn1.ObjectIdentifier
			Value asn1.RawValue
		}{oid, asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: vb}})
	}
	var attrs [][]byte
	for _, a := range []struct {
		oid asn1.ObjectIdentifier
		v   any
	}{
		{oidContentType, ctype},
		{oidSigningTime, at.UTC()},
		{oidMessageDig, md[:]},
		{oidSigningCert2, signingCertV2{Certs: []essCertIDv2{{CertHash: certHash[:]}}}},
	} {
		b, err := attr(a.oid, a.v)
		if err != nil {
			return nil, fmt.Errorf("testpki: encode signed attribute %v: %w", a.oid, err)
		}
		attrs = append(attrs, b)
	}
	slices.SortFunc(attrs, bytes.Compare) // DER SET OF order
	setBody := bytes.Join(attrs, nil)
	toSign, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: setBody})
	if err != nil {
		return nil, err
	}
	digest := sha256.Sum256(toSign)
	sig, err := e.Key.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("testpki: sign CMS: %w", err)
	}
	var sigAlg pkix.AlgorithmIdentifier
	switch e.Key.Public().(type) {
	case *ecdsa.PublicKey:
		sigAlg = pkix.AlgorithmIdentifier{Algorithm: oidECDSASHA256}
	case *rsa.PublicKey:
		sigAlg = pkix.AlgorithmIdentifier{Algorithm: oidRSAEncrypt, Parameters: asn1.NullRawValue}
	default:
		return nil, errors.New("testpki: CMS: unsupported key")
	}
	type issuerAndSerial struct {
		Issuer asn1.RawValue
		Serial *big.Int
	}
	type signerInfo struct {
		Version     int
		SID         issuerAndSerial
		DigestAlg   pkix.AlgorithmIdentifier
		SignedAttrs asn1.RawValue
		SigAlg      pkix.AlgorithmIdentifier
		Signature   []byte
	}
	octets, err := asn1.Marshal(content)
	if err != nil {
		return nil, err
	}
	sha := pkix.AlgorithmIdentifier{Algorithm: oidSHA256, Parameters: asn1.NullRawValue}
	sd := struct {
		Version      int
		DigestAlgs   []pkix.AlgorithmIdentifier `asn1:"set"`
		EncapContent struct {
			Type    asn1.ObjectIdentifier
			Content asn1.RawValue
		}
		Certificates asn1.RawValue
		SignerInfos  []signerInfo `asn1:"set"`
	}{Version: 3, DigestAlgs: []pkix.AlgorithmIdentifier{sha}}
	sd.EncapContent.Type = ctype
	sd.EncapContent.Content = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: octets}
	sd.Certificates = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: e.Cert.Raw}
	sd.SignerInfos = []signerInfo{{
		Version:     1,
		SID:         issuerAndSerial{Issuer: asn1.RawValue{FullBytes: e.Cert.RawIssuer}, Serial: e.Cert.SerialNumber},
		DigestAlg:   sha,
		SignedAttrs: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: setBody},
		SigAlg:      sigAlg,
		Signature:   sig,
	}}
	sdDER, err := asn1.Marshal(sd)
	if err != nil {
		return nil, fmt.Errorf("testpki: encode SignedData: %w", err)
	}
	return asn1.Marshal(struct {
		Type    asn1.ObjectIdentifier
		Content asn1.RawValue
	}{oidSignedData, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sdDER}})
}

// ServeHTTP answers RFC 3161 requests (POST application/timestamp-query)
// with a TimeStampResp: granted with a token, or rejected (badDataFormat)
// for a request it cannot read.
func (t *Timestamper) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST an application/timestamp-query", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		http.Error(w, "read request", http.StatusBadRequest)
		return
	}
	var req struct {
		Version        int
		MessageImprint messageImprint
		ReqPolicy      asn1.ObjectIdentifier `asn1:"optional"`
		Nonce          *big.Int              `asn1:"optional"`
		CertReq        bool                  `asn1:"optional"`
	}
	type status struct {
		Status   int
		FailInfo asn1.BitString `asn1:"optional"`
	}
	var resp []byte
	var tok []byte
	if _, err = asn1.Unmarshal(body, &req); err == nil {
		var h crypto.Hash
		for k, oid := range hashOIDs {
			if oid.Equal(req.MessageImprint.HashAlgorithm.Algorithm) {
				h = k
			}
		}
		tok, err = t.token(req.MessageImprint.HashedMessage, h, req.Nonce)
	}
	if err != nil {
		// badDataFormat is bit 5 of PKIFailureInfo.
		resp, err = asn1.Marshal(struct{ Status status }{status{Status: 2, FailInfo: asn1.BitString{Bytes: []byte{0x04}, BitLength: 6}}})
	} else {
		resp, err = asn1.Marshal(struct {
			Status status
			Token  asn1.RawValue
		}{status{Status: 0}, asn1.RawValue{FullBytes: tok}})
	}
	if err != nil {
		http.Error(w, "encode answer", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/timestamp-reply")
	w.Write(resp)
}
