package extracts_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/obieg/obieg/internal/dev/devstack/stacktest"
	"github.com/obieg/obieg/internal/domain/blob"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/records/extracts"
)

func TestMain(m *testing.M) { stacktest.Main(m) }

// TestOf makes the extract of a stored form once and reads the stored one afterwards: a
// second reader gets it even with the document itself unreadable to it.
func TestOf(t *testing.T) {
	ctx := context.Background()
	c, bucket := stacktest.Blob(t, false)
	doc, err := os.ReadFile("../../domain/forms/testdata/karta-rodziny-seed1.xml")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := c.PutContent(ctx, bucket, doc, "application/xml")
	if err != nil {
		t.Fatal(err)
	}
	ex, err := extracts.New(c, forms.DefaultLimits).Of(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	if ex.FamilyCard == nil || len(ex.FamilyCard.Members) == 0 {
		t.Fatalf("got %+v, want the family card application read", ex)
	}
	// A store whose limit refuses the document can only answer from the stored extract.
	tiny := forms.DefaultLimits
	tiny.MaxBytes = 10
	again, err := extracts.New(c, tiny).Of(ctx, raw)
	if err != nil || again.FamilyCard == nil || len(again.FamilyCard.Members) != len(ex.FamilyCard.Members) {
		t.Fatalf("second read: got %+v, %v; want the stored extract", again, err)
	}
	if _, err := c.Stat(ctx, bucket, extracts.Key(raw)); err != nil {
		t.Errorf("the extract is not stored under %s: %v", extracts.Key(raw), err)
	}
}

// TestOfRefused stores nothing for a document that is not a form, and says why.
func TestOfRefused(t *testing.T) {
	ctx := context.Background()
	c, bucket := stacktest.Blob(t, false)
	raw, err := c.PutContent(ctx, bucket, []byte("not xml at all"), "text/plain")
	if err != nil {
		t.Fatal(err)
	}
	_, err = extracts.New(c, forms.DefaultLimits).Of(ctx, raw)
	var refusal *forms.Error
	if !errors.As(err, &refusal) || refusal.Reason != forms.ReasonNotXML {
		t.Fatalf("got %v, want a refusal as not XML", err)
	}
	if _, err := c.Stat(ctx, bucket, extracts.Key(raw)); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("an extract was stored for a refused document: %v", err)
	}
	if _, err := extracts.New(c, forms.DefaultLimits).Of(ctx, blob.Ref{Bucket: bucket, Key: "sha256/00/none", SHA256: "00none"}); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("a missing document: got %v, want blob.ErrNotFound", err)
	}
}
