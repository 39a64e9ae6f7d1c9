package stacktest_test

import (
	"context"
	"testing"

	"github.com/obieg/obieg/internal/devstack/stacktest"
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
