package devstack

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// S3 server kinds that StartS3 runs.
const (
	// MinIO is the MinIO server, obieg's S3 store in development.
	MinIO = "minio"
	// VersityGW is the Versity S3 gateway over a POSIX directory: a second S3 server with
	// object lock, against which the archive's storage is tested so that it depends on no
	// one vendor's behaviour.
	VersityGW = "versitygw"
)

// S3Options say which S3 server StartS3 runs and where it keeps its data.
type S3Options struct {
	// Kind is MinIO or VersityGW.
	Kind string
	// Dir holds the server's data and its log file.
	Dir string
	// BinDir holds the binaries built by `make tools`.
	BinDir string
	// Port of the S3 API; 0 picks a free port.
	Port int
	// AccessKey and SecretKey are the server's root credentials.
	AccessKey, SecretKey string
	// WithoutVersions starts versitygw without its versioning directory: it then keeps no
	// versions while reporting object lock enabled, a misconfiguration that the archive's
	// probe must refuse (its tests start one so).
	WithoutVersions bool
}

// S3Server is one S3 server started by StartS3.
type S3Server struct {
	Kind string
	// Endpoint is host:port of the S3 API, plain HTTP.
	Endpoint             string
	AccessKey, SecretKey string
	// Region the server answers for.
	Region string
	// LogPath is the server's log file.
	LogPath string

	proc *proc
}

// StartS3 starts one S3 server of opts.Kind alone (without PostgreSQL or Temporal) and waits
// until it answers.
func StartS3(ctx context.Context, opts S3Options) (*S3Server, error) {
	if opts.AccessKey == "" || opts.SecretKey == "" {
		return nil, fmt.Errorf("devstack: %s needs S3 credentials", opts.Kind)
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("devstack: %w", err)
	}
	port, err := portFor(opts.Kind, opts.Port)
	if err != nil {
		return nil, err
	}
	s := &S3Server{Kind: opts.Kind, Endpoint: "127.0.0.1:" + strconv.Itoa(port),
		AccessKey: opts.AccessKey, SecretKey: opts.SecretKey, Region: "us-east-1"}
	switch opts.Kind {
	case MinIO:
		bin, err := binary(opts.BinDir, "minio")
		if err != nil {
			return nil, err
		}
		consolePort, err := freePort()
		if err != nil {
			return nil, err
		}
		s.proc, err = startMinIO(ctx, bin, dir, port, consolePort, opts.AccessKey, opts.SecretKey)
		if err != nil {
			return nil, err
		}
	case VersityGW:
		bin, err := binary(opts.BinDir, "versitygw")
		if err != nil {
			return nil, err
		}
		s.proc, err = startVersityGW(ctx, bin, dir, port, opts.AccessKey, opts.SecretKey, !opts.WithoutVersions)
		if err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("devstack: unknown S3 server %q (%s, %s)", opts.Kind, MinIO, VersityGW)
	}
	s.LogPath = s.proc.logPath
	return s, nil
}

// Stop stops the server. It is safe to call more than once.
func (s *S3Server) Stop() error {
	if s == nil || s.proc == nil {
		return nil
	}
	err := s.proc.stop(syscall.SIGTERM, 20*time.Second)
	s.proc = nil
	return err
}

// startVersityGW runs the Versity S3 gateway with the POSIX backend: buckets and current
// versions under dir/root, older versions under dir/versions (without a versioning directory
// the gateway keeps no versions at all, and object lock needs them), its IAM store under
// dir/iam. The three directories lie side by side, none inside another. The root account's
// credentials are passed in the environment, not on the command line. The POSIX backend keeps
// metadata (version ids, retention, legal hold) in user extended attributes, so dir must be
// on a file system that has them (ext4, xfs, btrfs; tmpfs from Linux 6.6).
func startVersityGW(ctx context.Context, bin, dir string, port int, accessKey, secretKey string, versioned bool) (*proc, error) {
	root, versions, iam := filepath.Join(dir, "root"), filepath.Join(dir, "versions"), filepath.Join(dir, "iam")
	for _, d := range []string{root, versions, iam} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("versitygw: %w", err)
		}
	}
	args := []string{
		"--port", "127.0.0.1:" + strconv.Itoa(port),
		"--iam-dir", iam,
		"--health", "/health",
		"--quiet",
		"posix",
	}
	if versioned {
		args = append(args, "--versioning-dir", versions)
	}
	args = append(args, root)
	env := []string{
		"ROOT_ACCESS_KEY=" + accessKey,
		"ROOT_SECRET_KEY=" + secretKey,
	}
	return startHTTP(ctx, "versitygw", bin, args, env, filepath.Join(dir, "versitygw.log"), "http://127.0.0.1:"+strconv.Itoa(port)+"/health")
}
