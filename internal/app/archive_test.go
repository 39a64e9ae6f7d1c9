package app

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/obieg/obieg/internal/adapters/archivestore"
	"github.com/obieg/obieg/internal/config"
	"github.com/obieg/obieg/internal/dev/devstack/stacktest"
)

// TestArchiveProbe probes an archive bucket with object lock (it passes) and one without (it
// is refused as not WORM), and reads the outcome back as the health endpoint does.
func TestArchiveProbe(t *testing.T) {
	ctx := context.Background()
	stack := stacktest.Stack(t)
	_, locked := stacktest.Blob(t, true)
	_, plain := stacktest.Blob(t, false)
	for _, tt := range []struct {
		name, bucket string
		notWORM      bool
	}{
		{"object lock", locked, false},
		{"no object lock", plain, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Defaults()
			cfg.S3Endpoint, cfg.S3AccessKey, cfg.S3SecretKey, cfg.ArchiveBucket = stack.S3Endpoint, stack.S3AccessKey, stack.S3SecretKey, tt.bucket
			svc := &Services{Config: cfg, Logger: slog.New(slog.DiscardHandler)}
			if checked, _, _ := svc.ArchiveState(); checked {
				t.Fatal("checked before any probe")
			}
			err := svc.ProbeArchive(ctx)
			if got := errors.Is(err, archivestore.ErrNotWORM); got != tt.notWORM {
				t.Fatalf("got %v, want not WORM: %v", err, tt.notWORM)
			}
			if !tt.notWORM && err != nil {
				t.Fatal(err)
			}
			checked, at, state := svc.ArchiveState()
			if !checked || at.IsZero() || state != err {
				t.Errorf("state: checked %v at %v, %v; want the probe's outcome %v", checked, at, state, err)
			}
		})
	}
}

// TestHealthSaysArchive serves /healthz with an archive that failed its probe: the server is
// up (200) but degraded, and says why.
func TestHealthSaysArchive(t *testing.T) {
	ctx := context.Background()
	pool, dbURL := stacktest.Pool(t)
	stack := stacktest.Stack(t)
	_, plain := stacktest.Blob(t, false)
	cfg := config.Defaults()
	cfg.DatabaseURL = dbURL
	cfg.S3Endpoint, cfg.S3AccessKey, cfg.S3SecretKey, cfg.ArchiveBucket = stack.S3Endpoint, stack.S3AccessKey, stack.S3SecretKey, plain
	svc := &Services{Config: cfg, Logger: slog.New(slog.DiscardHandler), Pool: pool}
	if err := svc.ProbeArchive(ctx); !errors.Is(err, archivestore.ErrNotWORM) {
		t.Fatalf("got %v, want not WORM", err)
	}
	h, err := svc.WebHandler()
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	var got map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("got %d %s, %v", rec.Code, rec.Body, err)
	}
	if got["status"] != "degraded" || !strings.Contains(got["archive"], "object lock") {
		t.Errorf("got %v, want degraded with the archive's reason", got)
	}
}
