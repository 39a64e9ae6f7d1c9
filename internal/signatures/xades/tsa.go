package xades

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
)

// ErrTSA means a time-stamping authority refused or answered wrongly.
var ErrTSA = errors.New("time-stamping authority failed")

// HTTPTSA is an RFC 3161 time-stamping authority reached over HTTP
// (application/timestamp-query).
type HTTPTSA struct {
	// URL is the authority's endpoint.
	URL string
	// Client makes the requests; nil means a client with no timeout, the
	// context then bounds the request.
	Client *http.Client
}

var _ TSA = (*HTTPTSA)(nil)

var hashAlgOIDs = map[crypto.Hash]asn1.ObjectIdentifier{
	crypto.SHA256: {2, 16, 840, 1, 101, 3, 4, 2, 1},
	crypto.SHA384: {2, 16, 840, 1, 101, 3, 4, 2, 2},
	crypto.SHA512: {2, 16, 840, 1, 101, 3, 4, 2, 3},
}

// MessageImprint is the RFC 3161 MessageImprint.
type messageImprint struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	HashedMessage []byte
}

type timeStampReq struct {
	Version        int
	MessageImprint messageImprint
	Nonce          *big.Int `asn1:"optional"`
	CertReq        bool     `asn1:"optional,default:false"`
}

type timeStampResp struct {
	Status struct {
		Status       int
		StatusString []asn1.RawValue `asn1:"optional"`
		FailInfo     asn1.BitString  `asn1:"optional"`
	}
	Token asn1.RawValue `asn1:"optional"`
}

// Timestamp asks the authority for a token over digest, with a nonce and
// the TSA certificate included, and checks the answer's status, imprint
// and nonce. The token's signature is checked by Verify, not here.
func (t *HTTPTSA) Timestamp(ctx context.Context, digest []byte, hash crypto.Hash) ([]byte, error) {
	oid, ok := hashAlgOIDs[hash]
	if !ok {
		return nil, fmt.Errorf("time-stamp: hash %v not supported: %w", hash, ErrTSA)
	}
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	if err != nil {
		return nil, fmt.Errorf("time-stamp: nonce: %w", err)
	}
	req, err := asn1.Marshal(timeStampReq{
		Version:        1,
		MessageImprint: messageImprint{HashAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oid, Parameters: asn1.NullRawValue}, HashedMessage: digest},
		Nonce:          nonce,
		CertReq:        true,
	})
	if err != nil {
		return nil, fmt.Errorf("time-stamp: encode request: %w", err)
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(req))
	if err != nil {
		return nil, fmt.Errorf("time-stamp: %w", err)
	}
	hr.Header.Set("Content-Type", "application/timestamp-query")
	client := t.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(hr)
	if err != nil {
		return nil, fmt.Errorf("time-stamp: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("time-stamp: read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("time-stamp: HTTP %d: %w", resp.StatusCode, ErrTSA)
	}
	return tokenFromResponse(body, digest, hash, nonce)
}

// tokenFromResponse reads a DER TimeStampResp and returns its token after
// checking the status, the imprint and the nonce.
func tokenFromResponse(body, digest []byte, hash crypto.Hash, nonce *big.Int) ([]byte, error) {
	var tr timeStampResp
	if rest, err := asn1.Unmarshal(body, &tr); err != nil || len(rest) > 0 {
		return nil, fmt.Errorf("time-stamp: answer is not a TimeStampResp: %v: %w", err, ErrTSA)
	}
	if tr.Status.Status != 0 && tr.Status.Status != 1 {
		return nil, fmt.Errorf("time-stamp: refused with status %d: %w", tr.Status.Status, ErrTSA)
	}
	tok := tr.Token.FullBytes
	if len(tok) == 0 {
		return nil, fmt.Errorf("time-stamp: granted without a token: %w", ErrTSA)
	}
	if err := checkToken(tok, digest, hash); err != nil {
		return nil, fmt.Errorf("time-stamp: %v: %w", err, ErrTSA)
	}
	content, _ := encapsulatedContent(tok)
	if n := tstNonce(content); n == nil || nonce == nil || n.Cmp(nonce) != 0 {
		return nil, fmt.Errorf("time-stamp: the token does not carry the request's nonce: %w", ErrTSA)
	}
	return tok, nil
}

// tstNonce returns the nonce of a DER TSTInfo, or nil.
func tstNonce(der []byte) *big.Int {
	var seq asn1.RawValue
	if _, err := asn1.Unmarshal(der, &seq); err != nil {
		return nil
	}
	rest := seq.Bytes
	// version, policy, messageImprint, serialNumber, genTime, then
	// accuracy (SEQUENCE), ordering (BOOLEAN), nonce (INTEGER) optional.
	for i := 0; len(rest) > 0; i++ {
		var el asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &el); err != nil {
			return nil
		}
		if i >= 5 && el.Class == asn1.ClassUniversal && el.Tag == asn1.TagInteger {
			n := new(big.Int)
			if _, err := asn1.Unmarshal(el.FullBytes, &n); err != nil {
				return nil
			}
			return n
		}
	}
	return nil
}
