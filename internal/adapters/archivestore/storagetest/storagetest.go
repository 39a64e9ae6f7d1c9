// Package storagetest is the conformance suite of the archive's locked storage: one function,
// Run, that checks an S3 server keeps what archivestore writes as the archive needs, with the
// credentials obieg itself uses. archivestore's tests run it against every server of
// stacktest.S3Backends (MinIO and the Versity S3 gateway); a server obieg is to archive on
// must pass it.
package storagetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/obieg/obieg/internal/adapters/archivestore"
)

// Backend is one S3 server under test.
type Backend struct {
	Name string
	// Open returns a store of a fresh bucket, created with object lock when lock, and a
	// minio-go client with the same credentials, for the requests obieg never makes.
	Open func(t *testing.T, lock bool) (*archivestore.Store, *minio.Client)
	// Deviations names the steps where the server is known to break the archive's rules,
	// with why. Such a step is expected to fail and logged; if it passes, the suite fails
	// so that the entry is removed.
	Deviations map[string]string
}

// Steps that a server may be known to fail (keys of Backend.Deviations).
const (
	// LegalHoldAfterRetention: a version under legal hold whose retention has ended cannot
	// be deleted until the hold is lifted.
	LegalHoldAfterRetention = "legal hold after retention"
)

// expect checks one step: ok is whether the server behaved as the archive needs. It stops
// the test on an unlisted failure and reports whether to go on with the step's checks.
func (b Backend) expect(t *testing.T, step string, ok bool, format string, args ...any) bool {
	t.Helper()
	why, listed := b.Deviations[step]
	switch {
	case ok && listed:
		t.Errorf("%s: step %q is listed as a deviation (%s) but now behaves: remove it", b.Name, step, why)
	case !ok && listed:
		t.Logf("%s: known deviation at %q: %s (%s)", b.Name, step, fmt.Sprintf(format, args...), why)
		return false
	case !ok:
		t.Fatalf(format, args...)
	}
	return true
}

// Run runs the suite against b, each check in a subtest.
func Run(t *testing.T, b Backend) {
	checks := []struct {
		name string
		fn   func(*testing.T, Backend)
	}{
		{"PutGetChecksum", testPutGetChecksum},
		{"WrongChecksumRefused", testWrongChecksum},
		{"ShortBodyStoresNothing", testShortBody},
		{"ComplianceRefusesDelete", testRefusesDelete},
		{"ComplianceRefusesOverwrite", testRefusesOverwrite},
		{"ComplianceRefusesShorteningAndDowngrade", testRefusesShortening},
		{"ExtendRetention", testExtendRetention},
		{"LegalHoldBlocksDeletionUntilLifted", testLegalHold},
		{"DeleteKeyAddsMarker", testDeleteMarker},
		{"LockReadBack", testLockReadBack},
		{"ProbePasses", testProbePasses},
		{"ProbeRefusesBucketWithoutLock", testProbeWithoutLock},
		{"ProbeLegalHold", testProbeLegalHold},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, b)
		})
	}
}

// code is the S3 error code of err, or "" when err is not a server's answer.
func code(err error) string {
	var er minio.ErrorResponse
	if errors.As(err, &er) {
		return er.Code
	}
	return ""
}

func payload(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*31) ^ seed
	}
	return b
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

var ctx = context.Background()

func inADay() time.Time { return time.Now().Add(24 * time.Hour).UTC().Truncate(time.Second) }

func put(t *testing.T, st *archivestore.Store, key string, data []byte, until time.Time) archivestore.Version {
	t.Helper()
	v, err := st.PutLocked(ctx, archivestore.Put{Key: key, Body: bytes.NewReader(data), Size: int64(len(data)),
		SHA256: sum(data), RetainUntil: until})
	if err != nil {
		t.Fatalf("PutLocked %s: %v", key, err)
	}
	if v.VersionID == "" || v.Size != int64(len(data)) {
		t.Fatalf("PutLocked %s = %+v, want a version of %d bytes", key, v, len(data))
	}
	return v
}

// expectVersionIntact checks version v of key still holds data under COMPLIANCE until at
// least until.
func expectVersionIntact(t *testing.T, st *archivestore.Store, v archivestore.Version, data []byte, until time.Time) {
	t.Helper()
	got, _, err := st.Get(ctx, v.Key, v.VersionID, int64(len(data)))
	if err != nil {
		t.Fatalf("version %s of %s: %v", v.VersionID, v.Key, err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("version %s of %s holds other bytes", v.VersionID, v.Key)
	}
	lock, err := st.Lock(ctx, v.Key, v.VersionID)
	if err != nil {
		t.Fatalf("lock of %s: %v", v.Key, err)
	}
	if lock.Mode != archivestore.Compliance || lock.RetainUntil.Before(until) {
		t.Fatalf("lock of %s = %+v, want %s until %s", v.Key, lock, archivestore.Compliance, until)
	}
}

func testPutGetChecksum(t *testing.T, b Backend) {
	st, _ := b.Open(t, true)
	until := inADay()
	for _, n := range []int{0, 1, 64 << 10, 3<<20 + 17} {
		data := payload(n, byte(n))
		key := "dokumenty/sprawa/" + strings.Repeat("x", n%7) + "plik.pdf"
		v := put(t, st, key, data, until)
		got, info, err := st.Get(ctx, key, v.VersionID, int64(n))
		if err != nil {
			t.Fatalf("Get %d bytes: %v", n, err)
		}
		if !bytes.Equal(got, data) || info.VersionID != v.VersionID {
			t.Fatalf("Get %d bytes: other bytes or version %s", n, info.VersionID)
		}
		if info.SHA256 != "" && info.SHA256 != sum(data) {
			t.Fatalf("server's stored SHA-256 %s, sent %s", info.SHA256, sum(data))
		}
		if n == 1 {
			t.Logf("%s: GET with checksum mode answers SHA-256: %v", b.Name, info.SHA256 != "")
		}
		rc, _, err := st.Stream(ctx, key, v.VersionID)
		if err != nil {
			t.Fatal(err)
		}
		streamed, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !bytes.Equal(streamed, data) {
			t.Fatalf("Stream %d bytes: %v", n, err)
		}
		if _, _, err := st.Get(ctx, key, v.VersionID, int64(n)-1); n > 0 && !errors.Is(err, archivestore.ErrTooLarge) {
			t.Fatalf("Get with too small a limit: %v, want ErrTooLarge", err)
		}
	}
	// A stream that cannot seek (a package read as it is written) is stored the same way,
	// and refused the same way when its SHA-256 is wrong.
	data := payload(2<<20+3, 42)
	v, err := st.PutLocked(ctx, archivestore.Put{Key: "dokumenty/strumien.pdf", Body: struct{ io.Reader }{bytes.NewReader(data)},
		Size: int64(len(data)), SHA256: sum(data), RetainUntil: until})
	if err != nil {
		t.Fatalf("PutLocked of a stream: %v", err)
	}
	if got, _, err := st.Get(ctx, v.Key, v.VersionID, int64(len(data))); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back the stream: %v", err)
	}
	_, err = st.PutLocked(ctx, archivestore.Put{Key: "dokumenty/strumien-zly.pdf", Body: struct{ io.Reader }{bytes.NewReader(data)},
		Size: int64(len(data)), SHA256: sum(data[1:]), RetainUntil: until})
	if !errors.Is(err, archivestore.ErrChecksum) {
		t.Fatalf("PutLocked of a stream with a wrong SHA-256: %v, want ErrChecksum", err)
	}

	// A version id of another key names nothing under this one.
	other := put(t, st, "dokumenty/inny.pdf", payload(10, 0), until)
	if _, _, err := st.Get(ctx, "dokumenty/brak.pdf", other.VersionID, 10); !errors.Is(err, archivestore.ErrNotFound) {
		t.Fatalf("Get of a missing key's version: %v, want ErrNotFound", err)
	}
}

func testWrongChecksum(t *testing.T, b Backend) {
	st, _ := b.Open(t, true)
	data := payload(100<<10, 1)
	other := payload(100<<10, 2)
	key := "dokumenty/zly-skrot.pdf"
	_, err := st.PutLocked(ctx, archivestore.Put{Key: key, Body: bytes.NewReader(data), Size: int64(len(data)),
		SHA256: sum(other), RetainUntil: inADay()})
	if !errors.Is(err, archivestore.ErrChecksum) {
		t.Fatalf("PutLocked with another file's SHA-256: %v, want ErrChecksum", err)
	}
	t.Logf("%s refuses a wrong SHA-256 (%s): %v", b.Name, code(err), err)
	vs, err := st.Versions(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 0 {
		t.Fatalf("a refused object left versions: %+v", vs)
	}
	// Malformed input is refused before anything is sent.
	for _, p := range []archivestore.Put{
		{Key: key, Body: bytes.NewReader(data), Size: int64(len(data)), SHA256: "abc", RetainUntil: inADay()},
		{Key: key, Body: bytes.NewReader(data), Size: int64(len(data)), SHA256: strings.ToUpper(sum(data)), RetainUntil: inADay()},
		{Key: key, Body: bytes.NewReader(data), Size: int64(len(data)), SHA256: sum(data), RetainUntil: time.Now().Add(-time.Hour)},
		{Key: "", Body: bytes.NewReader(data), Size: int64(len(data)), SHA256: sum(data), RetainUntil: inADay()},
		{Key: key, Body: nil, Size: 1, SHA256: sum(data), RetainUntil: inADay()},
	} {
		if _, err := st.PutLocked(ctx, p); !errors.Is(err, archivestore.ErrInvalid) {
			t.Errorf("PutLocked(%q, sha %q, until %s): %v, want ErrInvalid", p.Key, p.SHA256, p.RetainUntil, err)
		}
	}
}

func testShortBody(t *testing.T, b Backend) {
	st, _ := b.Open(t, true)
	data := payload(10<<10, 3)
	key := "dokumenty/krotki.pdf"
	_, err := st.PutLocked(ctx, archivestore.Put{Key: key, Body: bytes.NewReader(data[:5000]), Size: int64(len(data)),
		SHA256: sum(data), RetainUntil: inADay()})
	if err == nil {
		t.Fatal("a body shorter than its size was stored")
	}
	vs, err := st.Versions(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 0 {
		t.Fatalf("a short body left versions: %+v", vs)
	}
}

func testRefusesDelete(t *testing.T, b Backend) {
	st, mc := b.Open(t, true)
	data := payload(2000, 4)
	until := inADay()
	v := put(t, st, "dokumenty/usun.pdf", data, until)
	if err := st.DeleteVersion(ctx, v.Key, v.VersionID); !errors.Is(err, archivestore.ErrLocked) {
		t.Fatalf("DeleteVersion of a locked version: %v, want ErrLocked", err)
	} else {
		t.Logf("%s refuses deleting a locked version (%s): %v", b.Name, code(err), err)
	}
	err := mc.RemoveObject(ctx, st.Bucket(), v.Key, minio.RemoveObjectOptions{VersionID: v.VersionID, GovernanceBypass: true})
	if err == nil {
		t.Fatal("deleting a COMPLIANCE version with the governance bypass header succeeded")
	}
	// Deleting many at once goes the same way.
	objs := make(chan minio.ObjectInfo, 1)
	objs <- minio.ObjectInfo{Key: v.Key, VersionID: v.VersionID}
	close(objs)
	for r := range mc.RemoveObjects(ctx, st.Bucket(), objs, minio.RemoveObjectsOptions{GovernanceBypass: true}) {
		if r.Err == nil {
			t.Fatalf("a multi-object delete of the locked version succeeded")
		}
	}
	expectVersionIntact(t, st, v, data, until)
}

func testRefusesOverwrite(t *testing.T, b Backend) {
	st, mc := b.Open(t, true)
	data := payload(3000, 5)
	until := inADay()
	v := put(t, st, "dokumenty/nadpisz.pdf", data, until)
	// A plain PUT and a locked PUT of the same key add versions; neither replaces v.
	info, err := mc.PutObject(ctx, st.Bucket(), v.Key, bytes.NewReader([]byte("inne")), 4, minio.PutObjectOptions{})
	if err != nil {
		t.Logf("%s refuses a plain PUT over a locked key (%s): %v", b.Name, code(err), err)
	} else if info.VersionID == v.VersionID {
		t.Fatalf("a PUT of the key replaced version %s", v.VersionID)
	}
	v2 := put(t, st, v.Key, payload(10, 6), inADay())
	if v2.VersionID == v.VersionID {
		t.Fatalf("a second PutLocked returned the same version %s", v.VersionID)
	}
	// Copying over the key with the version as destination is not possible in S3; a copy
	// onto the key adds a version too.
	_, err = mc.CopyObject(ctx, minio.CopyDestOptions{Bucket: st.Bucket(), Object: v.Key},
		minio.CopySrcOptions{Bucket: st.Bucket(), Object: v2.Key, VersionID: v2.VersionID})
	if err != nil {
		t.Logf("%s: copy onto a locked key: %v", b.Name, err)
	}
	expectVersionIntact(t, st, v, data, until)
	vs, err := st.Versions(ctx, v.Key)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range vs {
		found = found || e.VersionID == v.VersionID
	}
	if !found {
		t.Fatalf("version %s missing from the list %+v", v.VersionID, vs)
	}
}

func testRefusesShortening(t *testing.T, b Backend) {
	st, mc := b.Open(t, true)
	data := payload(500, 7)
	until := inADay()
	v := put(t, st, "dokumenty/skroc.pdf", data, until)
	shorter := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	if err := st.ExtendRetention(ctx, v.Key, v.VersionID, shorter); !errors.Is(err, archivestore.ErrShorterRetention) {
		t.Fatalf("ExtendRetention to an earlier date: %v, want ErrShorterRetention", err)
	}
	// The server itself, asked directly with obieg's credentials, refuses too.
	compliance, governance := minio.Compliance, minio.Governance
	err := mc.PutObjectRetention(ctx, st.Bucket(), v.Key, minio.PutObjectRetentionOptions{
		VersionID: v.VersionID, Mode: &compliance, RetainUntilDate: &shorter})
	if err == nil {
		t.Fatal("the server shortened a COMPLIANCE retention")
	}
	t.Logf("%s refuses shortening (%s): %v", b.Name, code(err), err)
	err = mc.PutObjectRetention(ctx, st.Bucket(), v.Key, minio.PutObjectRetentionOptions{
		VersionID: v.VersionID, Mode: &compliance, RetainUntilDate: &shorter, GovernanceBypass: true})
	if err == nil {
		t.Fatal("the server shortened a COMPLIANCE retention with the governance bypass header")
	}
	err = mc.PutObjectRetention(ctx, st.Bucket(), v.Key, minio.PutObjectRetentionOptions{
		VersionID: v.VersionID, Mode: &governance, RetainUntilDate: &until})
	if err == nil {
		t.Fatal("the server downgraded COMPLIANCE to GOVERNANCE")
	}
	t.Logf("%s refuses downgrading (%s): %v", b.Name, code(err), err)
	later := until.Add(time.Hour)
	err = mc.PutObjectRetention(ctx, st.Bucket(), v.Key, minio.PutObjectRetentionOptions{
		VersionID: v.VersionID, Mode: &governance, RetainUntilDate: &later, GovernanceBypass: true})
	if err == nil {
		t.Fatal("the server downgraded COMPLIANCE to GOVERNANCE with the governance bypass header")
	}
	expectVersionIntact(t, st, v, data, until)
}

func testExtendRetention(t *testing.T, b Backend) {
	st, _ := b.Open(t, true)
	data := payload(700, 8)
	until := inADay()
	v := put(t, st, "dokumenty/przedluz.pdf", data, until)
	later := until.AddDate(10, 0, 0)
	if err := st.ExtendRetention(ctx, v.Key, v.VersionID, later); err != nil {
		t.Fatalf("ExtendRetention: %v", err)
	}
	if err := st.ExtendRetention(ctx, v.Key, v.VersionID, later); err != nil {
		t.Fatalf("ExtendRetention to the same date: %v", err)
	}
	lock, err := st.Lock(ctx, v.Key, v.VersionID)
	if err != nil {
		t.Fatal(err)
	}
	if lock.Mode != archivestore.Compliance || !lock.RetainUntil.Equal(later) {
		t.Fatalf("after extending: %+v, want %s until %s", lock, archivestore.Compliance, later)
	}
	if err := st.ExtendRetention(ctx, v.Key, v.VersionID, until); !errors.Is(err, archivestore.ErrShorterRetention) {
		t.Fatalf("back to the first date: %v, want ErrShorterRetention", err)
	}
}

func testLegalHold(t *testing.T, b Backend) {
	st, _ := b.Open(t, true)
	data := payload(900, 9)
	// A retention that ends within seconds, so that only the hold keeps the version.
	until := time.Now().Add(4 * time.Second).UTC().Truncate(time.Second)
	v := put(t, st, "dokumenty/wstrzymanie.pdf", data, until)
	if err := st.SetLegalHold(ctx, v.Key, v.VersionID, true); err != nil {
		t.Fatalf("SetLegalHold: %v", err)
	}
	held, err := st.LegalHold(ctx, v.Key, v.VersionID)
	if err != nil || !held {
		t.Fatalf("LegalHold = %v, %v; want true", held, err)
	}
	time.Sleep(time.Until(until) + 1500*time.Millisecond)
	err = st.DeleteVersion(ctx, v.Key, v.VersionID)
	if !b.expect(t, LegalHoldAfterRetention, errors.Is(err, archivestore.ErrLocked),
		"DeleteVersion under legal hold after the retention ended: %v, want ErrLocked", err) {
		return
	}
	if err := st.SetLegalHold(ctx, v.Key, v.VersionID, false); err != nil {
		t.Fatalf("lift the legal hold: %v", err)
	}
	if held, err := st.LegalHold(ctx, v.Key, v.VersionID); err != nil || held {
		t.Fatalf("LegalHold after lifting = %v, %v; want false", held, err)
	}
	if err := st.DeleteVersion(ctx, v.Key, v.VersionID); err != nil {
		t.Fatalf("DeleteVersion after the hold was lifted and the retention ended: %v", err)
	}
	if _, _, err := st.Get(ctx, v.Key, v.VersionID, 1<<20); !errors.Is(err, archivestore.ErrNotFound) {
		t.Fatalf("the deleted version reads as %v, want ErrNotFound", err)
	}

	// A hold set at the put.
	v2, err := st.PutLocked(ctx, archivestore.Put{Key: "dokumenty/wstrzymanie-2.pdf", Body: bytes.NewReader(data),
		Size: int64(len(data)), SHA256: sum(data), RetainUntil: inADay(), LegalHold: true})
	if err != nil {
		t.Fatal(err)
	}
	if lock, err := st.Lock(ctx, v2.Key, v2.VersionID); err != nil || !lock.LegalHold || lock.Mode != archivestore.Compliance {
		t.Fatalf("lock of a version put under hold = %+v, %v", lock, err)
	}
}

func testDeleteMarker(t *testing.T, b Backend) {
	st, mc := b.Open(t, true)
	data := payload(1200, 10)
	until := inADay()
	v := put(t, st, "dokumenty/znacznik.pdf", data, until)
	if err := mc.RemoveObject(ctx, st.Bucket(), v.Key, minio.RemoveObjectOptions{}); err != nil {
		t.Fatalf("delete of the key (no version): %v", err)
	}
	if _, err := mc.StatObject(ctx, st.Bucket(), v.Key, minio.StatObjectOptions{}); err == nil {
		t.Fatal("the key is still visible after its delete")
	}
	vs, err := st.Versions(ctx, v.Key)
	if err != nil {
		t.Fatal(err)
	}
	var marker, kept bool
	for _, e := range vs {
		marker = marker || (e.IsDeleteMarker && e.IsLatest)
		kept = kept || (e.VersionID == v.VersionID && !e.IsDeleteMarker)
	}
	if !marker || !kept {
		t.Fatalf("versions after deleting the key = %+v; want a latest delete marker and version %s", vs, v.VersionID)
	}
	expectVersionIntact(t, st, v, data, until)
}

// testLockReadBack records how the server answers each way of reading a version's lock;
// archivestore.Lock uses the one both answer.
func testLockReadBack(t *testing.T, b Backend) {
	st, mc := b.Open(t, true)
	until := inADay()
	old := put(t, st, "dokumenty/ZS.1234.5.2026/odczyt zażalenia+(1).pdf", payload(100, 11), until)
	cur := put(t, st, old.Key, payload(100, 12), until)
	for _, v := range []struct {
		name string
		v    archivestore.Version
	}{{"current", cur}, {"noncurrent", old}} {
		lock, err := st.Lock(ctx, v.v.Key, v.v.VersionID)
		if err != nil || lock.Mode != archivestore.Compliance || !lock.RetainUntil.Equal(until) {
			t.Errorf("Lock of the %s version = %+v, %v; want %s until %s", v.name, lock, err, archivestore.Compliance, until)
		}
		oi, err := mc.StatObject(ctx, st.Bucket(), v.v.Key, minio.StatObjectOptions{VersionID: v.v.VersionID})
		if err != nil {
			t.Errorf("HEAD of the %s version: %v", v.name, err)
		} else {
			t.Logf("%s: HEAD of the %s version: mode %q, retain-until %q", b.Name, v.name,
				oi.Metadata.Get("X-Amz-Object-Lock-Mode"), oi.Metadata.Get("X-Amz-Object-Lock-Retain-Until-Date"))
		}
		mode, date, err := mc.GetObjectRetention(ctx, st.Bucket(), v.v.Key, v.v.VersionID)
		if err != nil {
			t.Logf("%s: minio-go GetObjectRetention of the %s version: %v", b.Name, v.name, err)
		} else if mode != nil && date != nil {
			t.Logf("%s: minio-go GetObjectRetention of the %s version: %s until %s", b.Name, v.name, *mode, date.UTC().Format(time.RFC3339))
		}
	}
	n := 0
	for o := range mc.ListObjects(ctx, st.Bucket(), minio.ListObjectsOptions{Prefix: old.Key, WithVersions: true, WithMetadata: true}) {
		if o.Err != nil {
			t.Logf("%s: ListObjectVersions: %v", b.Name, o.Err)
			break
		}
		n++
		t.Logf("%s: ListObjectVersions entry %s latest=%v: user metadata %v", b.Name, o.VersionID, o.IsLatest, o.UserMetadata)
	}
	if n != 2 {
		t.Errorf("ListObjectVersions lists %d versions, want 2", n)
	}
}

func testProbePasses(t *testing.T, b Backend) {
	st, _ := b.Open(t, true)
	if err := st.Probe(ctx); err != nil {
		t.Fatalf("Probe: %v", err)
	}
	// A second probe (a restart) passes too.
	if err := st.Probe(ctx); err != nil {
		t.Fatalf("second Probe: %v", err)
	}
}

func testProbeWithoutLock(t *testing.T, b Backend) {
	st, _ := b.Open(t, false)
	err := st.Probe(ctx)
	if !errors.Is(err, archivestore.ErrNotWORM) {
		t.Fatalf("Probe of a bucket without object lock: %v, want ErrNotWORM", err)
	}
	t.Logf("%s: %v", b.Name, err)
	if _, err := st.PutLockedBytes(ctx, "dokumenty/x.pdf", []byte("x"), inADay()); err == nil {
		t.Logf("%s stores a put with lock headers in a bucket without object lock", b.Name)
	} else {
		t.Logf("%s refuses a put with lock headers in a bucket without object lock: %v", b.Name, err)
	}
}

func testProbeLegalHold(t *testing.T, b Backend) {
	st, _ := b.Open(t, true)
	err := st.ProbeLegalHold(ctx)
	if err != nil && !errors.Is(err, archivestore.ErrNotWORM) {
		t.Fatalf("ProbeLegalHold: %v", err)
	}
	b.expect(t, LegalHoldAfterRetention, err == nil, "ProbeLegalHold: %v", err)
}
