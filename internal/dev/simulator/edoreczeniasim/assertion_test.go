package edoreczeniasim_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/obieg/obieg/internal/dev/simulator/edoreczeniasim"
)

// Keys are generated once: RSA generation is slow.
var (
	rsaKey   = sync.OnceValue(func() *rsa.PrivateKey { return mustRSA(2048) })
	otherRSA = sync.OnceValue(func() *rsa.PrivateKey { return mustRSA(2048) })
	ecKey    = sync.OnceValue(func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		return k
	})
)

func mustRSA(bits int) *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		panic(err)
	}
	return k
}

// pkixPEM is the PEM "PUBLIC KEY" of k.
func pkixPEM(t testing.TB, k crypto.PublicKey) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// certPEM is a self-signed certificate of k, in PEM.
func certPEM(t testing.TB, k crypto.Signer) string {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "EZD ROPS"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Public(), k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// withKeyClients registers, through the simulator's route, "ezd-rsa" with a PKIX RSA key
// and "ezd-ec" with a certificate of an EC key, both with every scope for the office.
func (e *env) withKeyClients(t testing.TB) {
	t.Helper()
	for id, pub := range map[string]string{"ezd-rsa": pkixPEM(t, &rsaKey().PublicKey), "ezd-ec": certPEM(t, ecKey())} {
		e.must(t, http.StatusOK, "", http.MethodPut, edoreczeniasim.SimPrefix+"/clients/"+id,
			map[string]any{"publicKey": pub, "scopes": allScopes, "addresses": []string{office}}, nil)
	}
}

// claims are those of a valid assertion of client id for e's token endpoint, now.
func (e *env) claims(id string) jwt.MapClaims {
	now := time.Now()
	return jwt.MapClaims{"iss": id, "sub": id, "aud": e.url + edoreczeniasim.TokenPath,
		"jti": rand.Text(), "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix()}
}

func sign(t testing.TB, m jwt.SigningMethod, key any, claims jwt.Claims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(m, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// tokenRequest posts form to the token endpoint, with HTTP Basic if user is not empty; it
// returns the status, the OAuth2 error code and the access token.
func (e *env) tokenRequest(t testing.TB, form url.Values, user, pass string) (int, string, string) {
	t.Helper()
	if !form.Has("grant_type") {
		form.Set("grant_type", "client_credentials")
	}
	req, _ := http.NewRequest(http.MethodPost, e.url+edoreczeniasim.TokenPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	t.Logf("token endpoint: %d %s %s", resp.StatusCode, body.Error, body.Description)
	return resp.StatusCode, body.Error, body.AccessToken
}

func assertionForm(a string) url.Values {
	return url.Values{"client_assertion_type": {edoreczeniasim.AssertionType}, "client_assertion": {a}}
}

// TestAssertion: clients registered with an RSA or an EC key obtain tokens with JWTs
// signed by them and call the API; every flawed assertion is 401 invalid_client.
func TestAssertion(t *testing.T) {
	e := newEnv(t)
	e.withKeyClients(t)

	for _, tc := range []struct {
		name string
		id   string
		m    jwt.SigningMethod
		key  any
	}{
		{"RSA", "ezd-rsa", jwt.SigningMethodRS256, rsaKey()},
		{"EC", "ezd-ec", jwt.SigningMethodES256, ecKey()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := assertionForm(sign(t, tc.m, tc.key, e.claims(tc.id)))
			form.Set("client_id", tc.id)
			status, code, tok := e.tokenRequest(t, form, "", "")
			if status != http.StatusOK {
				t.Fatalf("got %d %s, want 200", status, code)
			}
			e.must(t, http.StatusOK, tok, http.MethodGet, "/api/v1/"+office+"/messages", nil, nil)
		})
	}

	edit := func(id string, f func(jwt.MapClaims)) jwt.MapClaims {
		c := e.claims(id)
		f(c)
		return c
	}
	hour := time.Hour
	replayed := sign(t, jwt.SigningMethodRS256, rsaKey(), e.claims("ezd-rsa"))
	if status, code, _ := e.tokenRequest(t, assertionForm(replayed), "", ""); status != http.StatusOK {
		t.Fatalf("first use: got %d %s, want 200", status, code)
	}
	for _, tc := range []struct {
		name      string
		form      url.Values
		user, pwd string
		want      int
		code      string
	}{
		{"wrong key", assertionForm(sign(t, jwt.SigningMethodRS256, otherRSA(), e.claims("ezd-rsa"))), "", "", 401, "invalid_client"},
		{"expired", assertionForm(sign(t, jwt.SigningMethodRS256, rsaKey(), edit("ezd-rsa", func(c jwt.MapClaims) {
			c["iat"], c["exp"] = time.Now().Add(-10*time.Minute).Unix(), time.Now().Add(-5*time.Minute).Unix()
		}))), "", "", 401, "invalid_client"},
		{"no exp", assertionForm(sign(t, jwt.SigningMethodRS256, rsaKey(), edit("ezd-rsa", func(c jwt.MapClaims) { delete(c, "exp") }))), "", "", 401, "invalid_client"},
		{"exp too far", assertionForm(sign(t, jwt.SigningMethodRS256, rsaKey(), edit("ezd-rsa", func(c jwt.MapClaims) {
			c["exp"] = time.Now().Add(hour).Unix()
		}))), "", "", 401, "invalid_client"},
		{"iat in the future", assertionForm(sign(t, jwt.SigningMethodES256, ecKey(), edit("ezd-ec", func(c jwt.MapClaims) {
			c["iat"] = time.Now().Add(3 * time.Minute).Unix()
		}))), "", "", 401, "invalid_client"},
		{"wrong audience", assertionForm(sign(t, jwt.SigningMethodRS256, rsaKey(), edit("ezd-rsa", func(c jwt.MapClaims) {
			c["aud"] = "https://elsewhere.example/oauth2/token"
		}))), "", "", 401, "invalid_client"},
		{"no audience", assertionForm(sign(t, jwt.SigningMethodRS256, rsaKey(), edit("ezd-rsa", func(c jwt.MapClaims) { delete(c, "aud") }))), "", "", 401, "invalid_client"},
		{"audience in a list", assertionForm(sign(t, jwt.SigningMethodRS256, rsaKey(), edit("ezd-rsa", func(c jwt.MapClaims) {
			c["aud"] = []string{"https://elsewhere.example/", e.url + edoreczeniasim.TokenPath}
		}))), "", "", 200, ""},
		{"alg none", assertionForm(sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, e.claims("ezd-rsa"))), "", "", 401, "invalid_client"},
		{"HS256 keyed with the public key", assertionForm(sign(t, jwt.SigningMethodHS256, []byte(pkixPEM(t, &rsaKey().PublicKey)), e.claims("ezd-rsa"))), "", "", 401, "invalid_client"},
		{"PS256", assertionForm(sign(t, jwt.SigningMethodPS256, rsaKey(), e.claims("ezd-rsa"))), "", "", 401, "invalid_client"},
		{"RS256 for an EC client", assertionForm(sign(t, jwt.SigningMethodRS256, rsaKey(), e.claims("ezd-ec"))), "", "", 401, "invalid_client"},
		{"sub is not iss", assertionForm(sign(t, jwt.SigningMethodRS256, rsaKey(), edit("ezd-rsa", func(c jwt.MapClaims) { c["sub"] = "ezd" }))), "", "", 401, "invalid_client"},
		{"client_id is not iss", func() url.Values {
			f := assertionForm(sign(t, jwt.SigningMethodRS256, rsaKey(), e.claims("ezd-rsa")))
			f.Set("client_id", "ezd-ec")
			return f
		}(), "", "", 401, "invalid_client"},
		{"no jti", assertionForm(sign(t, jwt.SigningMethodRS256, rsaKey(), edit("ezd-rsa", func(c jwt.MapClaims) { delete(c, "jti") }))), "", "", 401, "invalid_client"},
		{"replayed jti", assertionForm(replayed), "", "", 401, "invalid_client"},
		{"wrong assertion type", url.Values{"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:saml2-bearer"},
			"client_assertion": {sign(t, jwt.SigningMethodRS256, rsaKey(), e.claims("ezd-rsa"))}}, "", "", 401, "invalid_client"},
		{"not a JWT", assertionForm("not.a.jwt"), "", "", 401, "invalid_client"},
		{"key client with a secret", url.Values{}, "ezd-rsa", "", 401, "invalid_client"},
		{"key client with a secret in the form", url.Values{"client_id": {"ezd-ec"}, "client_secret": {""}}, "", "", 401, "invalid_client"},
		{"secret client with an assertion", assertionForm(sign(t, jwt.SigningMethodRS256, rsaKey(), e.claims("ezd"))), "", "", 401, "invalid_client"},
		{"assertion and a secret", assertionForm(sign(t, jwt.SigningMethodRS256, rsaKey(), e.claims("ezd-rsa"))), "ezd", "s3cret", 400, "invalid_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, code, _ := e.tokenRequest(t, tc.form, tc.user, tc.pwd)
			if status != tc.want || code != tc.code {
				t.Errorf("got %d %q, want %d %q", status, code, tc.want, tc.code)
			}
		})
	}
}

// TestAssertionClock: assertions are dated by the wall clock, not the advanced one.
func TestAssertionClock(t *testing.T) {
	e := newEnv(t)
	e.withKeyClients(t)
	e.must(t, http.StatusOK, "", http.MethodPost, edoreczeniasim.SimPrefix+"/clock/advance?by=336h", nil, nil)
	if status, code, _ := e.tokenRequest(t, assertionForm(sign(t, jwt.SigningMethodES256, ecKey(), e.claims("ezd-ec"))), "", ""); status != http.StatusOK {
		t.Errorf("after advancing the clock: got %d %s, want 200", status, code)
	}
}

func TestRegisterKeyClient(t *testing.T) {
	sim := edoreczeniasim.New(edoreczeniasim.NewMemStore(), time.Now, nil)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		c    edoreczeniasim.Client
		ok   bool
	}{
		{"secret", edoreczeniasim.Client{ID: "a", Secret: "s"}, true},
		{"RSA key", edoreczeniasim.Client{ID: "b", PublicKey: &rsaKey().PublicKey}, true},
		{"EC key", edoreczeniasim.Client{ID: "c", PublicKey: &ecKey().PublicKey}, true},
		{"both", edoreczeniasim.Client{ID: "d", Secret: "s", PublicKey: &ecKey().PublicKey}, false},
		{"neither", edoreczeniasim.Client{ID: "e"}, false},
		{"no id", edoreczeniasim.Client{Secret: "s"}, false},
		{"small RSA", edoreczeniasim.Client{ID: "f", PublicKey: &mustRSA(1024).PublicKey}, false},
		{"P-384", edoreczeniasim.Client{ID: "g", PublicKey: &p384.PublicKey}, false},
		{"Ed25519", edoreczeniasim.Client{ID: "h", PublicKey: edKey.Public()}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := sim.RegisterClient(tc.c); (err == nil) != tc.ok {
				t.Errorf("got %v, want ok %v", err, tc.ok)
			}
		})
	}
}

func TestParsePublicKey(t *testing.T) {
	for _, tc := range []struct {
		name string
		pem  string
		ok   bool
	}{
		{"PKIX RSA", pkixPEM(t, &rsaKey().PublicKey), true},
		{"certificate EC", certPEM(t, ecKey()), true},
		{"PKCS#1 RSA", string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&rsaKey().PublicKey)})), false},
		{"bad DER", string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1}})), false},
		{"not PEM", "hello", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := edoreczeniasim.ParsePublicKey([]byte(tc.pem)); (err == nil) != tc.ok {
				t.Errorf("got %v, want ok %v", err, tc.ok)
			}
		})
	}
}

// FuzzAssertion posts client assertions to the token endpoint: none may be accepted (no
// seed is validly signed), nor crash the parser.
func FuzzAssertion(f *testing.F) {
	sim := edoreczeniasim.New(edoreczeniasim.NewMemStore(), time.Now, nil)
	if err := sim.RegisterClient(edoreczeniasim.Client{ID: "ezd-rsa", PublicKey: &rsaKey().PublicKey, Scopes: allScopes}); err != nil {
		f.Fatal(err)
	}
	h := sim.Handler()
	aud := "http://example.com" + edoreczeniasim.TokenPath
	claims := jwt.MapClaims{"iss": "ezd-rsa", "sub": "ezd-rsa", "aud": aud, "jti": "j", "iat": time.Now().Unix(), "exp": time.Now().Add(time.Minute).Unix()}
	f.Add(sign(f, jwt.SigningMethodRS256, otherRSA(), claims))
	f.Add(sign(f, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims))
	f.Add(sign(f, jwt.SigningMethodHS256, []byte("k"), claims))
	f.Add("eyJhbGciOiJSUzI1NiJ9.e30.")
	f.Add("")
	f.Fuzz(func(t *testing.T, a string) {
		req := httptest.NewRequest(http.MethodPost, aud, strings.NewReader(url.Values{"grant_type": {"client_credentials"},
			"client_assertion_type": {edoreczeniasim.AssertionType}, "client_assertion": {a}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusUnauthorized {
			t.Errorf("got %d %s, want 401", w.Code, w.Body)
		}
	})
}
