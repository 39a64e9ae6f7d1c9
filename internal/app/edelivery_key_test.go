package app

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/adapters/edoreczenia"
	"github.com/obieg/obieg/internal/config"
	"github.com/obieg/obieg/internal/dev/simulator/edoreczeniasim"
)

// TestEDeliveryClientKey: Services.EDelivery authenticates with EDORECZENIA_CLIENT_SECRET
// or with the PKCS#8 key in the file EDORECZENIA_CLIENT_KEY (RSA or EC) and sends a letter
// through the simulated e-Doręczenia; an unreadable key file is an error. It needs no
// test stack.
func TestEDeliveryClientKey(t *testing.T) {
	ctx := t.Context()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sim := edoreczeniasim.New(edoreczeniasim.NewMemStore(), time.Now, nil)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	for _, box := range []string{officeADE, partyOne} {
		if _, err := sim.CreateMailbox(ctx, box, box); err != nil {
			t.Fatal(err)
		}
	}
	scopes := []string{edoreczenia.ScopeReadMessages, edoreczenia.ScopeWriteMessages, edoreczenia.ScopeReadSettings, edoreczenia.ScopeWriteSettings}
	for _, c := range []edoreczeniasim.Client{
		{ID: "obieg-rsa", PublicKey: rsaKey.Public(), Scopes: scopes, Addresses: []string{officeADE}},
		{ID: "obieg-ec", PublicKey: ecKey.Public(), Scopes: scopes, Addresses: []string{officeADE}},
		{ID: "obieg-secret", Secret: "test-secret", Scopes: scopes, Addresses: []string{officeADE}},
	} {
		if err := sim.RegisterClient(c); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	keyFile := func(name string, k crypto.Signer) string {
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	rsaFile, ecFile := keyFile("rsa.pem", rsaKey), keyFile("ec.pem", ecKey)
	pkcs1 := filepath.Join(dir, "pkcs1.pem")
	if err := os.WriteFile(pkcs1, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey)}), 0o600); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name                 string
		id, secret, key, kid string
		wantErr              bool
	}{
		{name: "RSA key", id: "obieg-rsa", key: rsaFile, kid: "rops-2026"},
		{name: "EC key", id: "obieg-ec", key: ecFile},
		{name: "secret", id: "obieg-secret", secret: "test-secret"},
		{name: "missing key file", id: "obieg-ec", key: filepath.Join(dir, "none.pem"), wantErr: true},
		{name: "PKCS#1 key file", id: "obieg-rsa", key: pkcs1, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := config.Defaults()
			cfg.EDeliveryURL, cfg.EDeliveryTokenURL = srv.URL+edoreczeniasim.APIPrefix, srv.URL+edoreczeniasim.TokenPath
			cfg.EDeliveryClientID, cfg.EDeliveryAddress = tc.id, officeADE
			cfg.EDeliveryClientSecret, cfg.EDeliveryClientKey, cfg.EDeliveryClientKeyID = tc.secret, tc.key, tc.kid
			if err := cfg.Check(false); err != nil {
				t.Fatal(err)
			}
			svc := &Services{Config: cfg}
			c, err := svc.EDelivery()
			if tc.wantErr {
				if err == nil {
					t.Fatal("got no error, want one")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Send(ctx, edoreczenia.Message{Recipient: partyOne, Subject: "Decyzja"}); err != nil {
				t.Errorf("Send: %v", err)
			}
		})
	}
}
