package devstack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
)

// Options say which servers to start and where they keep their data.
type Options struct {
	// Dir holds each server's data and log file (Dir/postgres, Dir/temporal, Dir/minio).
	Dir string
	// BinDir holds the temporal and minio binaries built by `make tools` (and versitygw, which
	// StartS3 runs for the archive's storage tests).
	BinDir string
	// PGBinDir holds initdb and postgres; empty means pg_config's, or /usr/lib/postgresql/*/bin.
	PGBinDir string

	// DatabaseURL, TemporalAddress and S3Endpoint, when set, name existing services that are
	// used instead of starting one.
	DatabaseURL     string
	TemporalAddress string
	S3Endpoint      string

	// Ports; 0 picks a free port. TemporalUIPort 0 runs Temporal without its Web UI.
	PostgresPort, TemporalPort, TemporalUIPort, MinIOPort, MinIOConsolePort int

	// Namespace is created in the Temporal dev server, with SearchAttributes registered.
	Namespace        string
	SearchAttributes map[string]enumspb.IndexedValueType

	// S3AccessKey and S3SecretKey are MinIO's root credentials (or those of S3Endpoint).
	S3AccessKey, S3SecretKey string

	// Ephemeral trades durability for speed (PostgreSQL without fsync): for tests.
	Ephemeral bool

	// Logger receives one line per server started or stopped.
	Logger *slog.Logger
}

// Stack is a set of running services: started by Start, or given.
type Stack struct {
	DatabaseURL     string
	TemporalAddress string
	// TemporalUIURL and MinIOConsoleURL are empty when the service was given, or has no UI.
	TemporalUIURL   string
	S3Endpoint      string
	MinIOConsoleURL string
	S3AccessKey     string
	S3SecretKey     string

	procs  []*proc // in start order
	logger *slog.Logger
}

// Start starts every service not given in opts, waits until each answers, and returns the
// running stack. On failure it stops what it started.
func Start(ctx context.Context, opts Options) (*Stack, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if opts.Namespace == "" {
		return nil, errors.New("devstack: no Temporal namespace given")
	}
	s := &Stack{
		DatabaseURL:     opts.DatabaseURL,
		TemporalAddress: opts.TemporalAddress,
		S3Endpoint:      opts.S3Endpoint,
		S3AccessKey:     opts.S3AccessKey,
		S3SecretKey:     opts.S3SecretKey,
		logger:          logger,
	}
	fail := func(err error) (*Stack, error) {
		s.Stop()
		return nil, err
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("devstack: %w", err)
	}

	if s.DatabaseURL == "" {
		binDir, err := pgBinDir(opts.PGBinDir)
		if err != nil {
			return fail(err)
		}
		port, err := portFor("postgres", opts.PostgresPort)
		if err != nil {
			return fail(err)
		}
		start := time.Now()
		p, url, err := startPostgres(ctx, binDir, filepath.Join(dir, "postgres"), port, opts.Ephemeral)
		if err != nil {
			return fail(err)
		}
		s.procs = append(s.procs, p)
		s.DatabaseURL = url
		logger.Info("postgres ready", "port", port, "took", time.Since(start).Round(time.Millisecond), "log", p.logPath)
	}

	if s.S3Endpoint == "" {
		bin, err := binary(opts.BinDir, "minio")
		if err != nil {
			return fail(err)
		}
		if s.S3AccessKey == "" || s.S3SecretKey == "" {
			return fail(errors.New("devstack: MinIO needs S3 credentials"))
		}
		port, err := portFor("minio", opts.MinIOPort)
		if err != nil {
			return fail(err)
		}
		consolePort, err := portFor("minio console", opts.MinIOConsolePort)
		if err != nil {
			return fail(err)
		}
		start := time.Now()
		p, err := startMinIO(ctx, bin, filepath.Join(dir, "minio"), port, consolePort, s.S3AccessKey, s.S3SecretKey)
		if err != nil {
			return fail(err)
		}
		s.procs = append(s.procs, p)
		s.S3Endpoint = "127.0.0.1:" + strconv.Itoa(port)
		s.MinIOConsoleURL = "http://127.0.0.1:" + strconv.Itoa(consolePort)
		logger.Info("minio ready", "port", port, "took", time.Since(start).Round(time.Millisecond), "log", p.logPath)
	}

	if s.TemporalAddress == "" {
		bin, err := binary(opts.BinDir, "temporal")
		if err != nil {
			return fail(err)
		}
		port, err := portFor("temporal", opts.TemporalPort)
		if err != nil {
			return fail(err)
		}
		uiPort := opts.TemporalUIPort
		if uiPort != 0 {
			if err := checkPortFree("temporal ui", uiPort); err != nil {
				return fail(err)
			}
		}
		tdir := filepath.Join(dir, "temporal")
		if err := os.MkdirAll(tdir, 0o755); err != nil {
			return fail(fmt.Errorf("devstack: %w", err))
		}
		start := time.Now()
		p, err := startTemporal(ctx, bin, tdir, port, uiPort, opts.Namespace, opts.SearchAttributes)
		if err != nil {
			return fail(err)
		}
		s.procs = append(s.procs, p)
		s.TemporalAddress = "127.0.0.1:" + strconv.Itoa(port)
		if uiPort != 0 {
			s.TemporalUIURL = "http://127.0.0.1:" + strconv.Itoa(uiPort)
		}
		logger.Info("temporal ready", "port", port, "took", time.Since(start).Round(time.Millisecond), "log", p.logPath)
	}
	return s, nil
}

// portFor returns port after checking it is free, or a free port when port is 0.
func portFor(name string, port int) (int, error) {
	if port == 0 {
		return freePort()
	}
	return port, checkPortFree(name, port)
}

// Stop stops the started servers in reverse order of start. It is safe to call more than once.
func (s *Stack) Stop() error {
	var errs []error
	for i := len(s.procs) - 1; i >= 0; i-- {
		p := s.procs[i]
		sig := syscall.SIGTERM
		if p.name == "postgres" {
			sig = syscall.SIGINT // fast shutdown: roll back open transactions, then stop cleanly
		}
		if err := p.stop(sig, 20*time.Second); err != nil {
			errs = append(errs, err)
		}
		s.logger.Info(p.name + " stopped")
	}
	s.procs = nil
	return errors.Join(errs...)
}

// binary returns the path of name in binDir, or ErrMissingBinary with what to run.
func binary(binDir, name string) (string, error) {
	path := filepath.Join(binDir, name)
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("%w: %s (run `make tools` once; it builds the Temporal CLI, MinIO and versitygw from tools/go.mod in a few minutes)", ErrMissingBinary, path)
	}
	return path, nil
}

// FindBinDir looks for the .bin directory of the obieg checkout containing dir, walking up
// to the directory that holds go.mod. It returns "" when there is none.
func FindBinDir(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			if _, err := os.Stat(filepath.Join(d, "tools", "go.mod")); err == nil {
				return filepath.Join(d, ".bin")
			}
		}
		if d == filepath.Dir(d) {
			return ""
		}
	}
}
