package archivestore_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/obieg/obieg/internal/adapters/archivestore"
	"github.com/obieg/obieg/internal/adapters/archivestore/storagetest"
	"github.com/obieg/obieg/internal/dev/devstack"
	"github.com/obieg/obieg/internal/dev/devstack/stacktest"
)

func TestMain(m *testing.M) { stacktest.Main(m) }

// deviations are where a backend is known to break the archive's rules (see README.md).
var deviations = map[string]map[string]string{
	devstack.VersityGW: {
		storagetest.LegalHoldAfterRetention: "versitygw v1.8.0 checks a legal hold only while the retention lasts (auth/object_lock.go checkObject)",
	},
}

// TestConformance runs the storage suite against MinIO and the Versity S3 gateway.
func TestConformance(t *testing.T) {
	for _, b := range stacktest.S3Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			storagetest.Run(t, storagetest.Backend{
				Name:       b.Name,
				Deviations: deviations[b.Name],
				Open: func(t *testing.T, lock bool) (*archivestore.Store, *minio.Client) {
					srv, bucket := b.Bucket(t, lock)
					st, err := archivestore.New(archivestore.Options{Endpoint: srv.Endpoint,
						AccessKey: srv.AccessKey, SecretKey: srv.SecretKey, Region: srv.Region, Bucket: bucket})
					if err != nil {
						t.Fatal(err)
					}
					return st, b.Client(t)
				},
			})
		})
	}
}

// TestProbeRefusesVersityGWWithoutVersions: versitygw started without its versioning
// directory reports object lock enabled on a bucket but keeps no versions; the probe must
// refuse that bucket, and PutLocked must not take a put without a version for a success.
func TestProbeRefusesVersityGWWithoutVersions(t *testing.T) {
	t.Parallel()
	b := stacktest.S3Backends()[1]
	if b.Name != devstack.VersityGW {
		t.Fatalf("second backend is %s", b.Name)
	}
	binDir := os.Getenv("OBIEG_BIN_DIR")
	if binDir == "" {
		wd, _ := os.Getwd()
		binDir = devstack.FindBinDir(wd)
	}
	ctx := context.Background()
	srv, err := devstack.StartS3(ctx, devstack.S3Options{Kind: devstack.VersityGW, Dir: t.TempDir(), BinDir: binDir,
		AccessKey: "obieg-test", SecretKey: "obieg-test-secret", WithoutVersions: true})
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	t.Cleanup(func() { srv.Stop() })
	mc, err := minio.New(srv.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(srv.AccessKey, srv.SecretKey, ""), Region: srv.Region})
	if err != nil {
		t.Fatal(err)
	}
	if err := mc.MakeBucket(ctx, "archiwum", minio.MakeBucketOptions{Region: srv.Region, ObjectLocking: true}); err != nil {
		t.Fatal(err)
	}
	st, err := archivestore.New(archivestore.Options{Endpoint: srv.Endpoint, AccessKey: srv.AccessKey,
		SecretKey: srv.SecretKey, Region: srv.Region, Bucket: "archiwum"})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Probe(ctx)
	if !errors.Is(err, archivestore.ErrNotWORM) {
		t.Fatalf("Probe: %v, want ErrNotWORM", err)
	}
	t.Log(err)
	_, err = st.PutLockedBytes(ctx, "dokumenty/a.pdf", []byte("a"), time.Now().Add(time.Hour))
	if !errors.Is(err, archivestore.ErrNotWORM) {
		t.Fatalf("PutLocked without versions: %v, want ErrNotWORM", err)
	}
	t.Log(err)
}
