package config

import (
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// TestCheckEDelivery: with EDORECZENIA_URL, the client authenticates with exactly one of a
// secret and a key; a key id needs a key.
func TestCheckEDelivery(t *testing.T) {
	for _, tc := range []struct {
		name        string
		secret, key string
		keyID       string
		want        string // part of the error; "" for none
	}{
		{name: "secret", secret: "s"},
		{name: "key", key: "/etc/obieg/edoreczenia-key.pem"},
		{name: "key with id", key: "/etc/obieg/edoreczenia-key.pem", keyID: "k1"},
		{name: "neither", want: "exactly one of EDORECZENIA_CLIENT_SECRET and EDORECZENIA_CLIENT_KEY"},
		{name: "both", secret: "s", key: "/k.pem", want: "exactly one of EDORECZENIA_CLIENT_SECRET and EDORECZENIA_CLIENT_KEY"},
		{name: "key id without key", secret: "s", keyID: "k1", want: "EDORECZENIA_CLIENT_KEY_ID needs EDORECZENIA_CLIENT_KEY"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Defaults()
			c.EDeliveryURL, c.EDeliveryTokenURL = "https://edoreczenia.example/api/v1", "https://edoreczenia.example/oauth2/token"
			c.EDeliveryClientID, c.EDeliveryAddress = "obieg", "AE:PL-12345-67890-ABCDE-12"
			c.EDeliveryClientSecret, c.EDeliveryClientKey, c.EDeliveryClientKeyID = tc.secret, tc.key, tc.keyID
			err := c.Check(false)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("got %v, want no error", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

// TestBindEDeliveryKey: the key settings are read from the environment.
func TestBindEDeliveryKey(t *testing.T) {
	env := map[string]string{"EDORECZENIA_CLIENT_KEY": "/k.pem", "EDORECZENIA_CLIENT_KEY_ID": "k1"}
	var c Config
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	if err := c.Bind(fs, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if c.EDeliveryClientKey != "/k.pem" || c.EDeliveryClientKeyID != "k1" {
		t.Errorf("got key %q, id %q; want /k.pem, k1", c.EDeliveryClientKey, c.EDeliveryClientKeyID)
	}
}

// TestEnvNames: every setting is listed once, and each name is what Bind reads.
func TestEnvNames(t *testing.T) {
	names := EnvNames()
	if len(names) == 0 {
		t.Fatal("got no names")
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Errorf("got %s twice", n)
		}
		seen[n] = true
	}
	read := map[string]bool{}
	var c Config
	if err := c.Bind(pflag.NewFlagSet("test", pflag.ContinueOnError), func(k string) string { read[k] = true; return "" }); err != nil {
		t.Fatal(err)
	}
	for n := range read {
		if !seen[n] {
			t.Errorf("Bind reads %s, which EnvNames does not list", n)
		}
	}
	for _, want := range []string{"DATABASE_URL", "EPUAP_PULL_URL", "OBIEG_SECURE_COOKIES"} {
		if !seen[want] {
			t.Errorf("got no %s", want)
		}
	}
	if len(read) != len(names) {
		t.Errorf("got %d names, Bind reads %d", len(names), len(read))
	}
}
