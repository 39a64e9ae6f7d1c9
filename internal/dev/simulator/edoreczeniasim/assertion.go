package edoreczeniasim

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/obieg/obieg/internal/adapters/edoreczenia"
)

// AssertionType is the client_assertion_type of a client authenticating with a signed JWT
// (RFC 7523 section 2.2).
const AssertionType = edoreczenia.AssertionType

// Limits of a client assertion: its exp may be at most MaxAssertionLifetime ahead, and
// iat, exp are compared with the simulator's wall clock allowing AssertionSkew.
const (
	MaxAssertionLifetime = 10 * time.Minute
	AssertionSkew        = 30 * time.Second
)

// errAssertion marks a refused client assertion: invalid_client.
var errAssertion = errors.New("client assertion refused")

// ParsePublicKey reads the first PEM block of data, a certificate ("CERTIFICATE") or a
// PKIX public key ("PUBLIC KEY"), and returns its key if it can verify client assertions
// (see RegisterClient).
func ParsePublicKey(data []byte) (crypto.PublicKey, error) {
	blk, _ := pem.Decode(data)
	if blk == nil {
		return nil, fmt.Errorf("public key: no PEM block: %w", ErrInvalid)
	}
	var key crypto.PublicKey
	switch blk.Type {
	case "CERTIFICATE":
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("public key: certificate: %v: %w", err, ErrInvalid)
		}
		key = c.PublicKey
	case "PUBLIC KEY":
		k, err := x509.ParsePKIXPublicKey(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("public key: %v: %w", err, ErrInvalid)
		}
		key = k
	default:
		return nil, fmt.Errorf("public key: PEM block %q, want CERTIFICATE or PUBLIC KEY: %w", blk.Type, ErrInvalid)
	}
	if _, err := assertionAlg(key); err != nil {
		return nil, err
	}
	return key, nil
}

// assertionAlg is the one JWS algorithm accepted with key: RS256 for an RSA key of 2048
// bits or more, ES256 for a P-256 key.
func assertionAlg(key crypto.PublicKey) (string, error) {
	switch k := key.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return "", fmt.Errorf("public key: RSA of %d bits, want at least 2048: %w", k.N.BitLen(), ErrInvalid)
		}
		return jwt.SigningMethodRS256.Alg(), nil
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() {
			return "", fmt.Errorf("public key: ECDSA on %s, want P-256: %w", k.Curve.Params().Name, ErrInvalid)
		}
		return jwt.SigningMethodES256.Alg(), nil
	default:
		return "", fmt.Errorf("public key: %T, want RSA or ECDSA P-256: %w", key, ErrInvalid)
	}
}

// tokenURL is the token endpoint's URL as the client called it: the audience its
// assertion must name.
func tokenURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + r.URL.Path
}

// authenticateAssertion checks a client assertion (RFC 7523 sections 2.2 and 3, OpenID
// Connect Core section 9) and returns the client it authenticates: a registered client
// with a public key, named by iss and sub (and by formID if the form has a client_id),
// whose key verifies the signature, alg RS256 or ES256 as the key's type says (none and
// HS* refused), aud the token endpoint's URL, exp in the future but at most
// MaxAssertionLifetime ahead, iat not in the future, and a jti not seen before from this
// client while its assertion is valid. Every refusal wraps errAssertion.
func (s *Simulator) authenticateAssertion(r *http.Request, assertion, formID string) (Client, error) {
	var (
		claims jwt.RegisteredClaims
		c      Client
	)
	p := jwt.NewParser(jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg(), jwt.SigningMethodES256.Alg()}),
		jwt.WithAudience(tokenURL(r)), jwt.WithExpirationRequired(), jwt.WithIssuedAt(),
		jwt.WithLeeway(AssertionSkew), jwt.WithTimeFunc(s.wall))
	_, err := p.ParseWithClaims(assertion, &claims, func(t *jwt.Token) (any, error) {
		switch {
		case claims.Issuer == "" || claims.Subject != claims.Issuer:
			return nil, fmt.Errorf("iss %q and sub %q must both be the client id", claims.Issuer, claims.Subject)
		case formID != "" && formID != claims.Issuer:
			return nil, fmt.Errorf("client_id %q is not the assertion's iss %q", formID, claims.Issuer)
		}
		s.authMu.Lock()
		var ok bool
		c, ok = s.clients[claims.Issuer]
		s.authMu.Unlock()
		if !ok || c.PublicKey == nil {
			return nil, fmt.Errorf("no client %q registered with a public key", claims.Issuer)
		}
		if alg, _ := assertionAlg(c.PublicKey); t.Method.Alg() != alg {
			return nil, fmt.Errorf("alg %s, the client's key signs %s", t.Method.Alg(), alg)
		}
		return c.PublicKey, nil
	})
	if err != nil {
		return Client{}, fmt.Errorf("%w: %w", errAssertion, err)
	}
	now := s.wall()
	exp := claims.ExpiresAt.Time
	switch {
	case exp.After(now.Add(MaxAssertionLifetime + AssertionSkew)):
		return Client{}, fmt.Errorf("%w: exp %s is more than %s ahead", errAssertion, exp.UTC().Format(time.RFC3339), MaxAssertionLifetime)
	case claims.ID == "":
		return Client{}, fmt.Errorf("%w: no jti", errAssertion)
	}
	key := c.ID + "\x00" + claims.ID
	s.authMu.Lock()
	defer s.authMu.Unlock()
	for k, until := range s.assertions {
		if now.After(until) {
			delete(s.assertions, k)
		}
	}
	if _, seen := s.assertions[key]; seen {
		return Client{}, fmt.Errorf("%w: jti %q already used", errAssertion, claims.ID)
	}
	// Kept until the assertion could no longer pass, exp plus the skew allowed.
	s.assertions[key] = exp.Add(AssertionSkew)
	return c, nil
}
