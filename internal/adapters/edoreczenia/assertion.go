package edoreczenia

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// AssertionType is the client_assertion_type of a client authenticated with a signed JWT
// (RFC 7523 section 2.2, OpenID Connect Core section 9, private_key_jwt).
const AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// AssertionLifetime is how long a client assertion is valid after it is made. Each token
// request carries a fresh one.
const AssertionLifetime = 5 * time.Minute

// LoadKey reads a PKCS#8 PEM private key ("PRIVATE KEY", unencrypted) that can sign client
// assertions: RSA (RS256) or ECDSA on P-256 (ES256).
func LoadKey(pemData []byte) (crypto.Signer, error) {
	blk, _ := pem.Decode(pemData)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, errors.New("edoreczenia: load key: no PEM PRIVATE KEY (PKCS#8) block")
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("edoreczenia: load key: %w", err)
	}
	s, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("edoreczenia: load key: a %T cannot sign", k)
	}
	if _, err := assertionMethod(s); err != nil {
		return nil, err
	}
	return s, nil
}

// assertionMethod is the JWS algorithm key signs with: RS256 for RSA, ES256 for P-256.
func assertionMethod(key crypto.Signer) (jwt.SigningMethod, error) {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if k.N.BitLen() < 2048 {
			return nil, fmt.Errorf("edoreczenia: RSA key of %d bits, want at least 2048", k.N.BitLen())
		}
		return jwt.SigningMethodRS256, nil
	case *ecdsa.PrivateKey:
		if k.Curve != elliptic.P256() {
			return nil, fmt.Errorf("edoreczenia: ECDSA key on %s, want P-256 (ES256)", k.Curve.Params().Name)
		}
		return jwt.SigningMethodES256, nil
	default:
		return nil, fmt.Errorf("edoreczenia: a %T key cannot sign client assertions: want RSA or ECDSA P-256", key)
	}
}

// assertionSource obtains tokens with the client_credentials grant, the client authenticated
// by a JWT signed with its private key (private_key_jwt), a fresh one per request.
type assertionSource struct {
	ctx      context.Context // carries only the HTTP client (oauth2.HTTPClient)
	clientID string
	tokenURL string
	scopes   []string
	key      crypto.Signer
	method   jwt.SigningMethod
	keyID    string
	now      func() time.Time
}

// assertion returns a JWT saying that the client is itself, for the token endpoint only:
// iss and sub the client id, aud the token endpoint URL, a unique jti, valid for
// AssertionLifetime from now.
func (a *assertionSource) assertion() (string, error) {
	now := a.now()
	t := jwt.NewWithClaims(a.method, jwt.RegisteredClaims{
		Issuer:    a.clientID,
		Subject:   a.clientID,
		Audience:  jwt.ClaimStrings{a.tokenURL},
		ID:        uuid.NewString(),
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(AssertionLifetime)),
	})
	if a.keyID != "" {
		t.Header["kid"] = a.keyID
	}
	s, err := t.SignedString(a.key)
	if err != nil {
		return "", fmt.Errorf("sign client assertion: %w", err)
	}
	return s, nil
}

// Token asks the token endpoint for a token. The client id and the assertion travel in the
// form (AuthStyleInParams); no client_secret is sent.
func (a *assertionSource) Token() (*oauth2.Token, error) {
	s, err := a.assertion()
	if err != nil {
		return nil, err
	}
	cc := clientcredentials.Config{
		ClientID: a.clientID, TokenURL: a.tokenURL, Scopes: a.scopes, AuthStyle: oauth2.AuthStyleInParams,
		EndpointParams: url.Values{"client_assertion_type": {AssertionType}, "client_assertion": {s}},
	}
	return cc.Token(a.ctx)
}
