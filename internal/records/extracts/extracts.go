// Package extracts keeps the extract of each submission's document (forms.Extract) beside the
// document's bytes in S3: made once, right after intake, and read by every later step (joining
// a letter to its case, assessing an application, proposing a draft) instead of the document
// being fetched and parsed again at each. An extract is content-addressed like the document, by
// the document's SHA-256 and the extract's version, so making it again is harmless and a new
// version of the extract's shape is made anew from the document, which never changes.
package extracts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/obieg/obieg/internal/adapters/s3"
	"github.com/obieg/obieg/internal/domain/blob"
	"github.com/obieg/obieg/internal/domain/forms"
)

// maxExtractBytes caps the size of a stored extract read back.
const maxExtractBytes = 32 << 20

// Store reads and writes extracts in the bucket of the documents they are made from.
type Store struct {
	blob   *s3.Client
	limits forms.Limits
}

// New returns a store on c, reading documents within lim.
func New(c *s3.Client, lim forms.Limits) *Store { return &Store{blob: c, limits: lim} }

// Key is where the extract of the document raw is kept: in raw's bucket, under
// extracts/v<version>/ and raw's content key.
func Key(raw blob.Ref) string {
	return fmt.Sprintf("extracts/v%d/%s.json", forms.ExtractVersion, blob.ContentKey(raw.SHA256))
}

// Of returns the extract of the document raw: the stored one, or one made now (a document
// taken before extracts were kept, or kept in an earlier version of their shape): the
// document read, extracted with forms.Read and the extract stored. A document forms refuses
// gives forms' *Error, and nothing is stored; a document too large to read gives
// blob.ErrTooLarge; a missing one blob.ErrNotFound.
func (s *Store) Of(ctx context.Context, raw blob.Ref) (forms.Extract, error) {
	if ex, err := s.stored(ctx, raw); err == nil || !errors.Is(err, blob.ErrNotFound) {
		return ex, err
	}
	data, err := s.blob.Get(ctx, raw.Bucket, raw.Key, s.limits.MaxBytes)
	if err != nil {
		return forms.Extract{}, fmt.Errorf("extract %s: read the document: %w", raw.Key, err)
	}
	ex, err := forms.Read(data, s.limits)
	if err != nil {
		return forms.Extract{}, err
	}
	if err := s.Put(ctx, raw, ex); err != nil {
		return forms.Extract{}, err
	}
	return ex, nil
}

// Put stores ex as the extract of raw: by the step that has read the document already (the
// inspection after intake), or for a document obieg reads otherwise than as XML (an
// e-Doręczenia message).
func (s *Store) Put(ctx context.Context, raw blob.Ref, ex forms.Extract) error {
	b, err := json.Marshal(ex)
	if err != nil {
		return fmt.Errorf("extract %s: %w", raw.Key, err)
	}
	if _, err := s.blob.PutAt(ctx, raw.Bucket, Key(raw), b, "application/json"); err != nil {
		return fmt.Errorf("store the extract of %s: %w", raw.Key, err)
	}
	return nil
}

func (s *Store) stored(ctx context.Context, raw blob.Ref) (forms.Extract, error) {
	b, err := s.blob.Get(ctx, raw.Bucket, Key(raw), maxExtractBytes)
	if err != nil {
		return forms.Extract{}, err
	}
	var ex forms.Extract
	if err := json.Unmarshal(b, &ex); err != nil || ex.Version != forms.ExtractVersion {
		return forms.Extract{}, fmt.Errorf("extract %s unreadable (%v): %w", Key(raw), err, blob.ErrNotFound)
	}
	return ex, nil
}
