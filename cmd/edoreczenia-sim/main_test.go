package main

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/adapters/edoreczenia"
	"github.com/obieg/obieg/internal/dev/simulator/edoreczeniasim"
)

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	clients := filepath.Join(dir, "clients.json")
	if err := os.WriteFile(clients, []byte(`[{"id": "obieg", "secret": "s", "scopes": ["read_messages"], "addresses": ["AE:PL-12345-67890-ABCDE-12"]}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	keyClients := filepath.Join(dir, "key-clients.json")
	writeKeyClients(t, keyClients)
	badKey := filepath.Join(dir, "bad-key.json")
	if err := os.WriteFile(badKey, []byte(`[{"id": "x", "publicKey": "not PEM"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		args    []string
		wantErr bool
		check   func(t *testing.T, c config)
	}{
		{name: "defaults", check: func(t *testing.T, c config) {
			if len(c.Mailboxes) != 2 || !c.DevClient || len(c.Clients) != 1 || len(c.Clients[0].Addresses) != 2 || c.Tick != time.Second {
				t.Errorf("got %+v, want two mailboxes and the development client for both", c)
			}
		}},
		{name: "clients and faults", args: []string{"--clients", clients, "--mailbox", "AE:PL-11111-22222-QWERT-33=Gmina",
			"--latency", "5ms", "--fail-503", "0.5", "--fault-seed", "7", "--processing", "2s"}, check: func(t *testing.T, c config) {
			if c.DevClient || len(c.Clients) != 1 || c.Clients[0].ID != "obieg" || c.Mailboxes["AE:PL-11111-22222-QWERT-33"] != "Gmina" {
				t.Errorf("got %+v", c)
			}
			if c.Faults != (edoreczeniasim.Faults{Latency: 5 * time.Millisecond, Error503: 0.5, Seed: 7}) || c.Processing != 2*time.Second {
				t.Errorf("got faults %+v, processing %s", c.Faults, c.Processing)
			}
		}},
		{name: "key clients", args: []string{"--clients", keyClients}, check: func(t *testing.T, c config) {
			if len(c.Clients) != 2 || c.Clients[0].PublicKey == nil || c.Clients[1].PublicKey == nil || c.Clients[0].Secret != "" {
				t.Errorf("got %+v, want two clients with public keys", c.Clients)
			}
		}},
		{name: "bad public key", args: []string{"--clients", badKey}, wantErr: true},
		{name: "bad mailbox", args: []string{"--mailbox", "jan@example.com"}, wantErr: true},
		{name: "fraction out of range", args: []string{"--fail-503", "2"}, wantErr: true},
		{name: "missing clients file", args: []string{"--clients", filepath.Join(dir, "none.json")}, wantErr: true},
		{name: "arguments", args: []string{"extra"}, wantErr: true},
		{name: "control routes on the API's address", args: []string{"--addr", "127.0.0.1:9000", "--control-addr", "127.0.0.1:9000"}, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := loadConfig(tc.args)
			if (err != nil) != tc.wantErr {
				t.Fatalf("got error %v, want error %v", err, tc.wantErr)
			}
			if tc.check != nil {
				tc.check(t, c)
			}
		})
	}
	if _, err := loadConfig([]string{"--help"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("--help: got %v, want flag.ErrHelp", err)
	}
}

// TestRun starts the simulator as main does, sends a letter through it with the client and
// stops it by cancelling the context.
func TestRun(t *testing.T) {
	cfg, err := loadConfig([]string{"--data", t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, cfg, ln, ctl, slog.New(slog.DiscardHandler)) }()
	base, control := "http://"+ln.Addr().String(), "http://"+ctl.Addr().String()
	c, err := edoreczenia.New(edoreczenia.Config{BaseURL: base + edoreczeniasim.APIPrefix, TokenURL: base + edoreczeniasim.TokenPath,
		ClientID: devClientID, ClientSecret: devSecret, Address: defaultOffice,
		Poll: edoreczenia.Backoff{Initial: 10 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	sent, err := c.Send(ctx, edoreczenia.Message{Recipient: defaultCitizen, Subject: "Pismo"})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	// The control routes answer on their own listener only.
	resp, err := http.Post(base+edoreczeniasim.SimPrefix+"/clock/advance?by=337h", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("clock advanced on the API's address: got %s, want 404", resp.Status)
	}
	resp, err = http.Post(control+edoreczeniasim.SimPrefix+"/clock/advance?by=337h", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("advance the clock: got %s, want 200", resp.Status)
	}
	evs, err := c.Evidences(ctx, sent.MessageID)
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := edoreczenia.Delivered(evs); !ok || !d.Deemed {
		t.Errorf("after 14 days: got %+v, want deemed delivered", evs)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop")
	}
}

// ecKey is the key of client "ezd-ec" of writeKeyClients.
var ecKey = sync.OnceValue(func() *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
})

// writeKeyClients writes a --clients file with two clients authenticating with keys:
// "ezd-ec" by ecKey's public key in a file beside it, "ezd-inline" by another key inline.
func writeKeyClients(t testing.TB, file string) {
	t.Helper()
	pemOf := func(k crypto.PublicKey) string {
		der, err := x509.MarshalPKIXPublicKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(file), "ezd-ec.pem"), []byte(pemOf(&ecKey().PublicKey)), 0o600); err != nil {
		t.Fatal(err)
	}
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	list := []map[string]any{
		{"id": "ezd-ec", "publicKeyFile": "ezd-ec.pem", "scopes": []string{edoreczeniasim.ScopeReadMessages, edoreczeniasim.ScopeWriteMessages},
			"addresses": []string{defaultOffice}},
		{"id": "ezd-inline", "publicKey": pemOf(&other.PublicKey), "scopes": []string{edoreczeniasim.ScopeReadMessages}},
	}
	b, err := json.Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestRunWithKey: a client registered by --clients with a public key file sends a letter
// with the private key.
func TestRunWithKey(t *testing.T) {
	file := filepath.Join(t.TempDir(), "clients.json")
	writeKeyClients(t, file)
	cfg, err := loadConfig([]string{"--clients", file})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, cfg, ln, ctl, slog.New(slog.DiscardHandler)) }()
	base := "http://" + ln.Addr().String()
	c, err := edoreczenia.New(edoreczenia.Config{BaseURL: base + edoreczeniasim.APIPrefix, TokenURL: base + edoreczeniasim.TokenPath,
		ClientID: "ezd-ec", Key: ecKey(), Address: defaultOffice, Poll: edoreczenia.Backoff{Initial: 10 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Send(ctx, edoreczenia.Message{Recipient: defaultCitizen, Subject: "Pismo"}); err != nil {
		t.Errorf("Send: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop")
	}
}
