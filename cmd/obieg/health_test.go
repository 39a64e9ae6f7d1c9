package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestHealthURL(t *testing.T) {
	for _, tc := range []struct {
		addr, want string
	}{
		{"127.0.0.1:8080", "http://127.0.0.1:8080/healthz"},
		{"0.0.0.0:8080", "http://127.0.0.1:8080/healthz"},
		{":8080", "http://127.0.0.1:8080/healthz"},
		{"[::]:8080", "http://[::1]:8080/healthz"},
		{"obieg.internal:9000", "http://obieg.internal:9000/healthz"},
	} {
		t.Run(tc.addr, func(t *testing.T) {
			got, err := healthURL(tc.addr)
			if err != nil || got != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	if _, err := healthURL("8080"); err == nil {
		t.Error("got no error for an address without a port")
	}
}

// TestHealthCommand: exit 0 on 200, an error (exit 1) otherwise, a usage error for a bad address.
func TestHealthCommand(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()

	if out, err, _ := run(t, map[string]string{"OBIEG_HTTP_ADDR": addr}, "", "health"); err != nil || out != "ok\n" {
		t.Errorf("healthy: got %q, %v; want ok", out, err)
	}
	status = http.StatusServiceUnavailable
	if _, err, started := run(t, nil, "", "health", "--url", srv.URL+"/healthz"); err == nil || !started {
		t.Errorf("unhealthy: got %v (started %v), want a failure", err, started)
	}
	_, err, _ := run(t, map[string]string{"OBIEG_HTTP_ADDR": "nonsense"}, "", "health")
	var ue usageError
	if err == nil || !errors.As(err, &ue) {
		t.Errorf("bad address: got %v, want a usage error", err)
	}
}
