package edoreczenia_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/obieg/obieg/internal/adapters/edoreczenia"
	"github.com/obieg/obieg/internal/dev/simulator/edoreczeniasim"
)

// rsaKey and ecKey are generated once: RSA generation is slow.
var (
	rsaKey = sync.OnceValue(func() *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		return k
	})
	ecKey = sync.OnceValue(func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		return k
	})
)

// TestAssertionRequest: a client with a key sends, per token request, a fresh JWT signed
// with it (iss = sub = client id, aud = token URL, unique jti, exp 5 minutes after iat) and
// neither a secret nor HTTP Basic.
func TestAssertionRequest(t *testing.T) {
	for _, tc := range []struct {
		name   string
		key    crypto.Signer
		alg    string
		public any
	}{
		{"RSA", rsaKey(), "RS256", &rsaKey().PublicKey},
		{"EC", ecKey(), "ES256", &ecKey().PublicKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var (
				mu    sync.Mutex
				forms []url.Values
			)
			mux := http.NewServeMux()
			mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
				if _, _, ok := r.BasicAuth(); ok {
					t.Error("token request has HTTP Basic credentials")
				}
				if err := r.ParseForm(); err != nil {
					t.Error(err)
				}
				mu.Lock()
				forms = append(forms, r.PostForm)
				mu.Unlock()
				w.Header().Set("Content-Type", "application/json")
				// expires_in 1: the token is renewed at every call (oauth2 renews 10s early).
				json.NewEncoder(w).Encode(map[string]any{"access_token": "t", "token_type": "Bearer", "expires_in": 1})
			})
			mux.HandleFunc("GET /api/v1/", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(`{"evidences": []}`))
			})
			srv := httptest.NewServer(mux)
			defer srv.Close()
			now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
			c, err := edoreczenia.New(edoreczenia.Config{BaseURL: srv.URL + "/api/v1", TokenURL: srv.URL + "/token",
				ClientID: "ezd", Key: tc.key, KeyID: "k1", Address: office, Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			for range 2 {
				if _, err := c.Evidences(context.Background(), "m1"); err != nil {
					t.Fatal(err)
				}
			}
			if len(forms) != 2 {
				t.Fatalf("got %d token requests, want 2", len(forms))
			}
			var jtis []string
			for _, f := range forms {
				if f.Has("client_secret") || f.Get("client_id") != "ezd" || f.Get("grant_type") != "client_credentials" ||
					f.Get("client_assertion_type") != edoreczenia.AssertionType {
					t.Errorf("got form %v, want client_id, grant_type and the assertion, no secret", f)
				}
				var claims jwt.RegisteredClaims
				tok, err := jwt.ParseWithClaims(f.Get("client_assertion"), &claims, func(*jwt.Token) (any, error) { return tc.public, nil },
					jwt.WithValidMethods([]string{tc.alg}), jwt.WithTimeFunc(func() time.Time { return now }),
					jwt.WithAudience(srv.URL+"/token"), jwt.WithIssuer("ezd"), jwt.WithSubject("ezd"), jwt.WithExpirationRequired())
				if err != nil {
					t.Fatalf("assertion: %v", err)
				}
				if tok.Header["kid"] != "k1" || claims.ID == "" || !claims.IssuedAt.Equal(now) || !claims.ExpiresAt.Equal(now.Add(edoreczenia.AssertionLifetime)) {
					t.Errorf("got header %v, claims %+v; want kid k1, a jti, iat now, exp in 5 minutes", tok.Header, claims)
				}
				jtis = append(jtis, claims.ID)
			}
			if jtis[0] == jtis[1] {
				t.Errorf("got jti %s twice, want a fresh assertion per token request", jtis[0])
			}
		})
	}
}

func TestNewKeyChecks(t *testing.T) {
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	base := edoreczenia.Config{BaseURL: "http://x/api/v1", TokenURL: "http://x/token", ClientID: "ezd", Address: office}
	for _, tc := range []struct {
		name string
		edit func(*edoreczenia.Config)
		ok   bool
	}{
		{"secret", func(c *edoreczenia.Config) { c.ClientSecret = "s" }, true},
		{"RSA key", func(c *edoreczenia.Config) { c.Key = rsaKey() }, true},
		{"EC key with id", func(c *edoreczenia.Config) { c.Key, c.KeyID = ecKey(), "k" }, true},
		{"neither", func(*edoreczenia.Config) {}, false},
		{"both", func(c *edoreczenia.Config) { c.ClientSecret, c.Key = "s", ecKey() }, false},
		{"key id without key", func(c *edoreczenia.Config) { c.ClientSecret, c.KeyID = "s", "k" }, false},
		{"small RSA key", func(c *edoreczenia.Config) { c.Key = small }, false},
		{"P-384 key", func(c *edoreczenia.Config) { c.Key = p384 }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := base
			tc.edit(&c)
			if _, err := edoreczenia.New(c); (err == nil) != tc.ok {
				t.Errorf("got error %v, want ok %v", err, tc.ok)
			}
		})
	}
}

func TestLoadKey(t *testing.T) {
	der, err := x509.MarshalPKCS8PrivateKey(ecKey())
	if err != nil {
		t.Fatal(err)
	}
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey())})
	for _, tc := range []struct {
		name string
		pem  []byte
		ok   bool
	}{
		{"PKCS#8 EC", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), true},
		{"PKCS#1 RSA", pkcs1, false},
		{"garbage", []byte("not a key"), false},
		{"bad DER", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2, 3}}), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := edoreczenia.LoadKey(tc.pem)
			if (err == nil) != tc.ok {
				t.Fatalf("got error %v, want ok %v", err, tc.ok)
			}
			if tc.ok && !k.Public().(*ecdsa.PublicKey).Equal(&ecKey().PublicKey) {
				t.Error("got another key")
			}
		})
	}
}

// TestKeyAgainstSimulator: clients registered with an RSA or an EC key send a letter
// through the simulator; a wrong key, an assertion dated too early and the wrong method
// for the registration are ErrUnauthorized.
func TestKeyAgainstSimulator(t *testing.T) {
	e := newEnv(t)
	for id, pub := range map[string]crypto.PublicKey{"ezd-rsa": &rsaKey().PublicKey, "ezd-ec": &ecKey().PublicKey} {
		if err := e.sim.RegisterClient(edoreczeniasim.Client{ID: id, PublicKey: pub, Addresses: []string{office},
			Scopes: []string{edoreczenia.ScopeReadMessages, edoreczenia.ScopeWriteMessages}}); err != nil {
			t.Fatal(err)
		}
	}
	otherRSA, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &edoreczeniasim.Conforming{Report: func(err error) { t.Error(err) }}}
	client := func(t *testing.T, id, secret string, key crypto.Signer, now func() time.Time) *edoreczenia.Client {
		t.Helper()
		c, err := edoreczenia.New(edoreczenia.Config{BaseURL: e.url + edoreczeniasim.APIPrefix, TokenURL: e.url + edoreczeniasim.TokenPath,
			ClientID: id, ClientSecret: secret, Key: key, Now: now, Address: office, HTTPClient: hc,
			Poll: edoreczenia.Backoff{Initial: 5 * time.Millisecond, Max: 100 * time.Millisecond}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ctx := context.Background()
	t.Run("RSA", func(t *testing.T) {
		if _, err := client(t, "ezd-rsa", "", rsaKey(), nil).Send(ctx, letter); err != nil {
			t.Errorf("Send: %v", err)
		}
	})
	t.Run("EC", func(t *testing.T) {
		if _, err := client(t, "ezd-ec", "", ecKey(), nil).Send(ctx, letter); err != nil {
			t.Errorf("Send: %v", err)
		}
	})
	for _, tc := range []struct {
		name   string
		client *edoreczenia.Client
	}{
		{"wrong key", client(t, "ezd-rsa", "", otherRSA, nil)},
		{"expired assertion", client(t, "ezd-ec", "", ecKey(), func() time.Time { return time.Now().Add(-10 * time.Minute) })},
		{"key client with a secret", client(t, "ezd-rsa", "s3cret", nil, nil)},
		{"secret client with a key", client(t, "ezd", "", rsaKey(), nil)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.client.Evidences(ctx, "m"); !errors.Is(err, edoreczenia.ErrUnauthorized) {
				t.Errorf("got %v, want ErrUnauthorized", err)
			}
		})
	}
}
