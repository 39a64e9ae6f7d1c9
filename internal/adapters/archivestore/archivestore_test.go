package archivestore_test

import (
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/obieg/obieg/internal/adapters/archivestore"
	"github.com/obieg/obieg/internal/adapters/archivestore/storagetest"
	"github.com/obieg/obieg/internal/devstack"
	"github.com/obieg/obieg/internal/devstack/stacktest"
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
