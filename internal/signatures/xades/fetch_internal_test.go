package xades

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestPublicAddress(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"193.0.96.129", true},
		{"2001:4860:4860::8888", true},
		{"127.0.0.1", false},
		{"10.0.0.1", false},
		{"172.16.5.4", false},
		{"192.168.1.1", false},
		{"100.64.0.1", false},
		{"169.254.169.254", false},
		{"0.0.0.0", false},
		{"224.0.0.1", false},
		{"::1", false},
		{"fd00::1", false},
		{"fe80::1", false},
		{"::ffff:127.0.0.1", false},
		{"::ffff:10.0.0.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if got := public(netip.MustParseAddr(tt.addr)); got != tt.want {
				t.Errorf("got public(%s) = %v, want %v", tt.addr, got, tt.want)
			}
		})
	}
}

// TestDialRefusesPrivate checks the guard at connection time, which also
// covers host names resolving to private addresses: the fetcher's client
// is used directly, past the URL check.
func TestDialRefusesPrivate(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(srv.Close)
	tests := []struct {
		name    string
		client  *http.Client
		private bool
		wantErr error
	}{
		{name: "default client", wantErr: ErrURLRefused},
		{name: "caller's transport", client: &http.Client{Transport: &http.Transport{}}, wantErr: ErrURLRefused},
		{name: "allowed", private: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewHTTPFetcher(tt.client, FetchOptions{AllowPrivate: tt.private})
			resp, err := f.client.Get(srv.URL)
			if err == nil {
				resp.Body.Close()
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("got error %v, want %v", err, tt.wantErr)
			}
		})
	}
}
