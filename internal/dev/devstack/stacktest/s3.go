package stacktest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/obieg/obieg/internal/dev/devstack"
)

// S3Backend is one S3 server a storage test runs against: MinIO or the Versity S3 gateway.
// Its server is started alone (no PostgreSQL or Temporal) on first use, once per test
// binary, and stopped by Main.
type S3Backend struct {
	// Name is devstack.MinIO or devstack.VersityGW.
	Name string
}

// S3Backends returns the S3 servers that the archive's storage must work on alike. A test
// runs its checks once per backend, each in a subtest, so that a backend whose binary is
// missing skips (or, under CI, fails) only its own subtest:
//
//	for _, b := range stacktest.S3Backends() {
//		t.Run(b.Name, func(t *testing.T) { srv, bucket := b.Bucket(t, true); ... })
//	}
func S3Backends() []S3Backend {
	return []S3Backend{{Name: devstack.MinIO}, {Name: devstack.VersityGW}}
}

type s3Started struct {
	once sync.Once
	srv  *devstack.S3Server
	err  error
}

var (
	s3Mu      sync.Mutex
	s3Servers = map[string]*s3Started{}
)

// Server returns the backend's running server, starting it on first use.
func (b S3Backend) Server(t testing.TB) *devstack.S3Server {
	t.Helper()
	s3Mu.Lock()
	st := s3Servers[b.Name]
	if st == nil {
		st = &s3Started{}
		s3Servers[b.Name] = st
	}
	s3Mu.Unlock()
	st.once.Do(func() {
		dir, err := s3Dir()
		if err != nil {
			st.err = err
			return
		}
		wd, _ := os.Getwd()
		binDir := os.Getenv("OBIEG_BIN_DIR")
		if binDir == "" {
			binDir = devstack.FindBinDir(wd)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		st.srv, st.err = devstack.StartS3(ctx, devstack.S3Options{
			Kind:      b.Name,
			Dir:       filepath.Join(dir, b.Name),
			BinDir:    binDir,
			AccessKey: "obieg-test",
			SecretKey: "obieg-test-secret",
		})
	})
	if st.err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s did not start: %v", b.Name, st.err)
		}
		t.Skipf("%s did not start (run `make tools` first): %v", b.Name, st.err)
	}
	return st.srv
}

// Client returns a minio-go client of the backend's server with its root credentials, the
// credentials obieg itself is given in development.
func (b S3Backend) Client(t testing.TB) *minio.Client {
	t.Helper()
	srv := b.Server(t)
	c, err := minio.New(srv.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(srv.AccessKey, srv.SecretKey, ""),
		Region: srv.Region,
	})
	if err != nil {
		t.Fatalf("s3 client of %s: %v", b.Name, err)
	}
	return c
}

// Bucket creates a fresh bucket for this test on the backend, with S3 object lock enabled
// when objectLock (which also turns versioning on), and returns the server and the bucket's
// name. Buckets are not removed: a locked object cannot be, which is the point.
func (b S3Backend) Bucket(t testing.TB, objectLock bool) (*devstack.S3Server, string) {
	t.Helper()
	srv := b.Server(t)
	c := b.Client(t)
	bucket := "t-" + suffix()
	ctx := context.Background()
	if err := c.MakeBucket(ctx, bucket, minio.MakeBucketOptions{Region: srv.Region, ObjectLocking: objectLock}); err != nil {
		t.Fatalf("create bucket on %s: %v", b.Name, err)
	}
	if objectLock {
		enabled, _, _, _, err := c.GetObjectLockConfig(ctx, bucket)
		if err != nil || enabled != "Enabled" {
			t.Fatalf("bucket on %s created with object lock reads back %q, %v", b.Name, enabled, err)
		}
	}
	return srv, bucket
}

var (
	s3DirOnce sync.Once
	s3DirPath string
	s3DirErr  error
)

// s3Dir is where the backends keep their data: the stack's temporary directory's sibling,
// removed by Main like it.
func s3Dir() (string, error) {
	s3DirOnce.Do(func() {
		s3DirPath, s3DirErr = os.MkdirTemp("", "obieg-s3-")
		if s3DirErr != nil {
			s3DirErr = fmt.Errorf("s3 test directory: %w", s3DirErr)
		}
	})
	return s3DirPath, s3DirErr
}

// stopS3 stops the backends' servers started by this binary.
func stopS3() error {
	s3Mu.Lock()
	defer s3Mu.Unlock()
	var errs []error
	for name, st := range s3Servers {
		if st.srv != nil {
			if err := st.srv.Stop(); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			}
		}
	}
	return errors.Join(errs...)
}
