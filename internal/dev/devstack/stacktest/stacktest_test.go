package stacktest_test

import (
	"context"
	"testing"

	"github.com/obieg/obieg/internal/dev/devstack/stacktest"
)

func TestMain(m *testing.M) { stacktest.Main(m) }

// TestServices checks that each service of the stack answers and that tests are isolated.
func TestServices(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := stacktest.Pool(t)
	var n int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM units").Scan(&n); err != nil {
		t.Fatalf("query migrated schema: %v", err)
	}
	if n != 0 {
		t.Errorf("fresh database has %d units, want 0", n)
	}

	c := stacktest.Temporal(t)
	if _, err := c.CheckHealth(ctx, nil); err != nil {
		t.Errorf("temporal health: %v", err)
	}

	s3, bucket := stacktest.Blob(t, true)
	ref, err := s3.PutContent(ctx, bucket, []byte("<a/>"), "application/xml")
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	got, err := s3.Get(ctx, bucket, ref.Key, 1<<10)
	if err != nil || string(got) != "<a/>" {
		t.Errorf("get = %q, %v; want <a/>", got, err)
	}
}

// TestDatabasesAreSeparate checks that two tests do not share a database.
func TestDatabasesAreSeparate(t *testing.T) {
	t.Parallel()
	a, _ := stacktest.Pool(t)
	if _, err := a.Exec(context.Background(), "INSERT INTO units (code, name) VALUES ('OIS', 'x')"); err != nil {
		t.Fatal(err)
	}
	b, _ := stacktest.Pool(t)
	var n int
	if err := b.QueryRow(context.Background(), "SELECT count(*) FROM units").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("another test's database has %d units, want 0", n)
	}
}

// TestS3Backends checks that each S3 backend starts alone and gives a bucket with object
// lock, and one without when asked.
func TestS3Backends(t *testing.T) {
	t.Parallel()
	for _, b := range stacktest.S3Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			_, locked := b.Bucket(t, true)
			_, plain := b.Bucket(t, false)
			c := b.Client(t)
			if enabled, _, _, _, err := c.GetObjectLockConfig(ctx, locked); err != nil || enabled != "Enabled" {
				t.Errorf("locked bucket: object lock %q, %v", enabled, err)
			}
			if v, err := c.GetBucketVersioning(ctx, locked); err != nil || v.Status != "Enabled" {
				t.Errorf("locked bucket: versioning %q, %v", v.Status, err)
			}
			if enabled, _, _, _, err := c.GetObjectLockConfig(ctx, plain); err == nil && enabled == "Enabled" {
				t.Errorf("bucket made without object lock has it")
			}
		})
	}
}
