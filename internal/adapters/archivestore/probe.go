package archivestore

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
)

// ProbePrefix is the key prefix of the probe objects Probe leaves in the archive bucket, one
// small object per probe, locked for ProbeRetention.
const ProbePrefix = "obieg-probe/"

// ProbeRetention is how long a probe object stays locked.
const ProbeRetention = 24 * time.Hour

// Probe proves that the bucket keeps what is written to it: it has object lock enabled and
// versioning on, and a probe object written under COMPLIANCE retention for one day cannot be
// deleted (also with the governance bypass header), its retention cannot be shortened nor its
// mode downgraded to GOVERNANCE, and writing its key again leaves the version and its lock as
// they were. Each of these that succeeds is ErrNotWORM with a message naming it; so is a
// bucket without object lock. Failing to reach the server is an error of its own, not
// ErrNotWORM. The archive refuses to write until Probe has passed.
func (s *Store) Probe(ctx context.Context) error {
	b := s.opts.Bucket
	enabled, _, _, _, err := s.mc.GetObjectLockConfig(ctx, b)
	switch {
	case isCode(err, "ObjectLockConfigurationNotFoundError", "NoSuchObjectLockConfiguration"):
		return fmt.Errorf("%w: bucket %s has no object lock (it can only be enabled when a bucket is created)", ErrNotWORM, b)
	case isCode(err, "NoSuchBucket"):
		return fmt.Errorf("archive bucket %s does not exist: %w", b, err)
	case err != nil:
		return fmt.Errorf("read the object lock of bucket %s: %w", b, err)
	case enabled != "Enabled":
		return fmt.Errorf("%w: bucket %s has object lock %q, not Enabled", ErrNotWORM, b, enabled)
	}
	vc, err := s.mc.GetBucketVersioning(ctx, b)
	if err != nil {
		return fmt.Errorf("read the versioning of bucket %s: %w", b, err)
	}
	if vc.Status != "Enabled" {
		return fmt.Errorf("%w: bucket %s has object lock but versioning is %q", ErrNotWORM, b, vc.Status)
	}

	var failures []string
	notWORM := func(format string, args ...any) { failures = append(failures, fmt.Sprintf(format, args...)) }
	refused := func(err error) (bool, error) {
		if err == nil {
			return false, nil
		}
		if serverAnswered(err) {
			return true, nil
		}
		return false, err
	}

	nonce := make([]byte, 8)
	rand.Read(nonce)
	key := ProbePrefix + time.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(nonce)
	body := []byte("obieg: próba zapisu WORM " + key + "\n")
	until := time.Now().Add(ProbeRetention).UTC().Truncate(time.Second)
	v, err := s.PutLockedBytes(ctx, key, body, until)
	if err != nil {
		return fmt.Errorf("write the probe object %s: %w", key, err)
	}

	lock, err := s.Lock(ctx, key, v.VersionID)
	if err != nil {
		return fmt.Errorf("read the lock of the probe object %s: %w", key, err)
	}
	if lock.Mode != Compliance || !lock.RetainUntil.Equal(until) {
		notWORM("the probe version was written under %s until %s but the server reports %q until %s",
			Compliance, until.Format(time.RFC3339), lock.Mode, lock.RetainUntil.Format(time.RFC3339))
	}

	// Deleting the version, plainly and with the governance bypass header.
	for _, bypass := range []bool{false, true} {
		err := s.mc.RemoveObject(ctx, b, key, minio.RemoveObjectOptions{VersionID: v.VersionID, GovernanceBypass: bypass})
		ok, err := refused(err)
		if err != nil {
			return fmt.Errorf("probe %s: delete the version: %w", key, err)
		}
		if !ok {
			what := "deleting the locked probe version"
			if bypass {
				what += " with the governance bypass header"
			}
			notWORM("%s succeeded", what)
			return fmt.Errorf("%w: bucket %s: %s", ErrNotWORM, b, strings.Join(failures, "; "))
		}
	}

	// Shortening the retention, and downgrading it to GOVERNANCE.
	shorter := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	ok, err := refused(s.putRetention(ctx, key, v.VersionID, minio.Compliance, shorter))
	if err != nil {
		return fmt.Errorf("probe %s: shorten the retention: %w", key, err)
	}
	if !ok {
		notWORM("shortening the probe version's retention to %s succeeded", shorter.Format(time.RFC3339))
	}
	ok, err = refused(s.putRetention(ctx, key, v.VersionID, minio.Governance, until))
	if err != nil {
		return fmt.Errorf("probe %s: downgrade the retention: %w", key, err)
	}
	if !ok {
		notWORM("changing the probe version's retention from %s to %s succeeded", Compliance, Governance)
	}

	// Writing the key again must add a version, not replace this one.
	over, err := s.mc.PutObject(ctx, b, key, bytes.NewReader([]byte("overwrite")), int64(len("overwrite")),
		minio.PutObjectOptions{ContentType: "text/plain"})
	if err == nil && (over.VersionID == "" || over.VersionID == v.VersionID) {
		notWORM("writing the probe key again replaced version %s instead of adding a version", v.VersionID)
	}
	got, _, err := s.Get(ctx, key, v.VersionID, int64(len(body)))
	switch {
	case errors.Is(err, ErrNotFound):
		notWORM("after writing the probe key again, version %s is gone", v.VersionID)
	case err != nil:
		return fmt.Errorf("probe %s: read the version back: %w", key, err)
	case !bytes.Equal(got, body):
		notWORM("after writing the probe key again, version %s holds other bytes", v.VersionID)
	}
	if after, err := s.Lock(ctx, key, v.VersionID); err != nil {
		return fmt.Errorf("probe %s: read the lock back: %w", key, err)
	} else if after.Mode != Compliance || after.RetainUntil.Before(until) {
		notWORM("after the attempts the probe version is under %q until %s, not %s until %s",
			after.Mode, after.RetainUntil.Format(time.RFC3339), Compliance, until.Format(time.RFC3339))
	}
	if over.VersionID != "" && over.VersionID != v.VersionID {
		// The unlocked overwrite is not needed; a bucket's default retention may keep it.
		_ = s.mc.RemoveObject(ctx, b, key, minio.RemoveObjectOptions{VersionID: over.VersionID})
	}
	if len(failures) > 0 {
		return fmt.Errorf("%w: bucket %s: %s", ErrNotWORM, b, strings.Join(failures, "; "))
	}
	return nil
}

// ProbeLegalHold proves that a legal hold outlives the retention: a probe object under a
// legal hold and a retention of a few seconds must not be deletable once the retention has
// ended, until the hold is lifted. It takes about four seconds. Its failure is ErrNotWORM:
// on such a server a hold protects nothing beyond the retention, and whoever must keep a
// record past its retention lengthens the retention instead. Probe does not include it.
func (s *Store) ProbeLegalHold(ctx context.Context) error {
	nonce := make([]byte, 8)
	rand.Read(nonce)
	key := ProbePrefix + "hold-" + time.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(nonce)
	body := []byte("obieg: próba blokady prawnej " + key + "\n")
	until := time.Now().Add(3 * time.Second).UTC().Truncate(time.Second)
	sum := sha256.Sum256(body)
	v, err := s.PutLocked(ctx, Put{Key: key, Body: bytes.NewReader(body), Size: int64(len(body)),
		SHA256: hex.EncodeToString(sum[:]), RetainUntil: until, LegalHold: true})
	if err != nil {
		return fmt.Errorf("write the legal hold probe %s: %w", key, err)
	}
	select {
	case <-time.After(time.Until(until) + 1500*time.Millisecond):
	case <-ctx.Done():
		return ctx.Err()
	}
	err = s.mc.RemoveObject(ctx, s.opts.Bucket, key, minio.RemoveObjectOptions{VersionID: v.VersionID})
	if err == nil {
		return fmt.Errorf("%w: bucket %s: deleting a version under legal hold succeeded once its retention had ended", ErrNotWORM, s.opts.Bucket)
	}
	if !serverAnswered(err) {
		return fmt.Errorf("legal hold probe %s: delete the version: %w", key, err)
	}
	if err := s.SetLegalHold(ctx, key, v.VersionID, false); err != nil {
		return fmt.Errorf("legal hold probe %s: lift the hold: %w", key, err)
	}
	if err := s.DeleteVersion(ctx, key, v.VersionID); err != nil {
		return fmt.Errorf("legal hold probe %s: delete the version once the hold was lifted: %w", key, err)
	}
	return nil
}
