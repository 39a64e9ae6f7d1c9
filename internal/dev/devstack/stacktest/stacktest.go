// Package stacktest gives integration tests the real servers of devstack: one PostgreSQL,
// Temporal dev server and MinIO per test binary, started on first use and stopped when the
// binary's tests end. Each test isolates itself with its own database, bucket and task queue,
// so tests run in parallel. Storage tests that must hold on more than one S3 server take
// S3Backends instead: MinIO and the Versity S3 gateway, each started alone on first use.
//
// A package that uses it calls Main from TestMain:
//
//	func TestMain(m *testing.M) { stacktest.Main(m) }
//
// When the servers cannot be started (the binaries of `make tools` are missing) a test is
// skipped with the reason, except under CI (CI=true), where it fails: CI never skips silently.
package stacktest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"

	"github.com/obieg/obieg/internal/adapters/db"
	"github.com/obieg/obieg/internal/adapters/s3"
	"github.com/obieg/obieg/internal/adapters/visibility"
	"github.com/obieg/obieg/internal/dev/devstack"
)

// Namespace is the Temporal namespace of the test stack.
const Namespace = "obieg"

var (
	once     sync.Once
	stack    *devstack.Stack
	startErr error
	tmpDir   string
)

// Main runs the package's tests and then stops the stack if one was started.
func Main(m *testing.M) {
	code := m.Run()
	if stack != nil {
		if err := stack.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stacktest: stop:", err)
		}
	}
	if err := stopS3(); err != nil {
		fmt.Fprintln(os.Stderr, "stacktest: stop:", err)
	}
	for _, dir := range []string{tmpDir, s3DirPath} {
		if dir != "" && code == 0 {
			os.RemoveAll(dir)
		} else if dir != "" {
			fmt.Fprintln(os.Stderr, "stacktest: server data and logs kept in", dir)
		}
	}
	os.Exit(code)
}

// Stack returns the running test stack, starting it on first use.
func Stack(t testing.TB) *devstack.Stack {
	t.Helper()
	once.Do(func() {
		wd, _ := os.Getwd()
		binDir := os.Getenv("OBIEG_BIN_DIR")
		if binDir == "" {
			binDir = devstack.FindBinDir(wd)
		}
		tmpDir, startErr = os.MkdirTemp("", "obieg-stack-")
		if startErr != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		stack, startErr = devstack.Start(ctx, devstack.Options{
			Dir:              tmpDir,
			BinDir:           binDir,
			Namespace:        Namespace,
			SearchAttributes: visibility.Registered(),
			S3AccessKey:      "obieg-test",
			S3SecretKey:      "obieg-test-secret",
			Ephemeral:        true,
			Logger:           slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		})
	})
	if startErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("test servers did not start: %v", startErr)
		}
		t.Skipf("test servers did not start (run `make tools` first): %v", startErr)
	}
	return stack
}

// Database creates an empty database for this test with obieg's migrations applied, dropped
// when the test ends, and returns its URL.
func Database(t testing.TB) string {
	t.Helper()
	s := Stack(t)
	name := "t_" + suffix()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, s.DatabaseURL)
	if err != nil {
		t.Fatalf("connect to test cluster: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	url := replaceDatabase(s.DatabaseURL, name)
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), s.DatabaseURL)
		if err != nil {
			return
		}
		defer conn.Close(context.Background())
		conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	})
	if err := db.Migrate(ctx, url, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return url
}

// Pool opens a pool on a fresh test database (see Database), closed when the test ends.
func Pool(t testing.TB) (*pgxpool.Pool, string) {
	t.Helper()
	url := Database(t)
	pool, err := db.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool, url
}

// Temporal returns a client of the test namespace, closed when the test ends.
func Temporal(t testing.TB) client.Client {
	t.Helper()
	s := Stack(t)
	c, err := client.Dial(client.Options{HostPort: s.TemporalAddress, Namespace: Namespace, Logger: discardLogger{}})
	if err != nil {
		t.Fatalf("dial temporal: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// TaskQueue returns a task queue name no other test uses.
func TaskQueue(t testing.TB) string {
	return "test-" + suffix()
}

// Blob returns an S3 client and a fresh bucket for this test. With objectLock the bucket has
// S3 object lock enabled.
func Blob(t testing.TB, objectLock bool) (*s3.Client, string) {
	t.Helper()
	s := Stack(t)
	c, err := s3.New(s3.Options{Endpoint: s.S3Endpoint, AccessKey: s.S3AccessKey, SecretKey: s.S3SecretKey, Region: "us-east-1"})
	if err != nil {
		t.Fatalf("s3 client: %v", err)
	}
	bucket := "t-" + suffix()
	if err := c.EnsureBucket(context.Background(), bucket, objectLock); err != nil {
		t.Fatalf("create test bucket: %v", err)
	}
	return c, bucket
}

func suffix() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// replaceDatabase returns url with its path (the database name) replaced.
func replaceDatabase(url, name string) string {
	q := ""
	if i := strings.IndexByte(url, '?'); i >= 0 {
		url, q = url[:i], url[i:]
	}
	i := strings.LastIndexByte(url, '/')
	return url[:i+1] + name + q
}

// discardLogger keeps the Temporal SDK's chatter out of test output.
type discardLogger struct{}

func (discardLogger) Debug(string, ...any) {}
func (discardLogger) Info(string, ...any)  {}
func (discardLogger) Warn(string, ...any)  {}
func (discardLogger) Error(string, ...any) {}
