package archivestore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"
	"github.com/minio/minio-go/v7/pkg/signer"
)

// Error kinds; test with errors.Is.
var (
	// ErrNotWORM means the bucket does not keep objects write-once: it has no object lock,
	// or the probe could delete, overwrite, shorten or downgrade a locked version. The
	// archive must not be written there.
	ErrNotWORM = errors.New("archive bucket is not write-once (WORM)")
	// ErrChecksum means the server refused an object whose bytes do not match the SHA-256
	// sent with it. Nothing was stored.
	ErrChecksum = errors.New("object does not match its SHA-256")
	// ErrLocked means the server refused to delete or change a version because of its lock
	// or legal hold.
	ErrLocked = errors.New("object version is locked")
	// ErrShorterRetention means a retention date earlier than the version's present one was
	// asked for; obieg refuses it without asking the server (which would refuse it too).
	ErrShorterRetention = errors.New("retention can only be lengthened")
	// ErrNotFound means no such key or version exists.
	ErrNotFound = errors.New("object version not found")
	// ErrInvalid means a request was malformed (key, size, checksum, date); nothing was sent.
	ErrInvalid = errors.New("invalid archive storage request")
	// ErrTooLarge means an object is larger than the caller allows or than a single PUT can
	// carry with a whole-object SHA-256.
	ErrTooLarge = errors.New("object too large")
)

// MaxObjectSize is the largest object PutLocked stores: S3's limit of a single PUT, the only
// upload whose whole-object SHA-256 the server verifies (a multipart upload has a SHA-256
// per part only).
const MaxObjectSize = 5 << 30

// Compliance and Governance are the S3 retention modes. obieg writes Compliance only.
const (
	Compliance = "COMPLIANCE"
	Governance = "GOVERNANCE"
)

// Options say how to reach the archive bucket.
type Options struct {
	Endpoint, AccessKey, SecretKey, Region string
	Secure                                 bool
	Bucket                                 string
}

// Store is the archive bucket.
type Store struct {
	mc     *minio.Client
	opts   Options
	http   *http.Client
	scheme string
}

// New returns a store of opts.Bucket. It does not contact the server; Probe does.
func New(opts Options) (*Store, error) {
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if err := s3utils.CheckValidBucketName(opts.Bucket); err != nil {
		return nil, fmt.Errorf("%w: bucket %q: %v", ErrInvalid, opts.Bucket, err)
	}
	tr, err := minio.DefaultTransport(opts.Secure)
	if err != nil {
		return nil, fmt.Errorf("archive store: %w", err)
	}
	mc, err := minio.New(opts.Endpoint, &minio.Options{
		Creds:     credentials.NewStaticV4(opts.AccessKey, opts.SecretKey, ""),
		Secure:    opts.Secure,
		Region:    opts.Region,
		Transport: tr,
		// minio-go sends a caller's x-amz-checksum-sha256 only from a client that may send
		// checksums (in headers or trailers).
		TrailingHeaders: true,
	})
	if err != nil {
		return nil, fmt.Errorf("archive store at %s: %w", opts.Endpoint, err)
	}
	scheme := "http"
	if opts.Secure {
		scheme = "https"
	}
	return &Store{mc: mc, opts: opts, http: &http.Client{Transport: tr}, scheme: scheme}, nil
}

// Bucket is the name of the archive bucket.
func (s *Store) Bucket() string { return s.opts.Bucket }

// Put is one object to store under a lock.
type Put struct {
	Key string
	// Body yields exactly Size bytes whose SHA-256 is SHA256 (lower-case hex, as in the
	// package's manifest).
	Body   io.Reader
	Size   int64
	SHA256 string
	// RetainUntil is the end of the COMPLIANCE retention, in the future; it is kept to the
	// second.
	RetainUntil time.Time
	// LegalHold puts a legal hold on the version as well.
	LegalHold bool
	// ContentType of the object; empty means application/octet-stream.
	ContentType string
}

// Version names one stored version of a key.
type Version struct {
	Key, VersionID string
	Size           int64
}

// PutLocked stores p as a new version of p.Key under COMPLIANCE retention until
// p.RetainUntil, set on the object itself (never left to the bucket's default retention,
// which servers apply differently). The SHA-256 goes with the request as
// x-amz-checksum-sha256, so the server stores the bytes only if they match it; a mismatch is
// ErrChecksum. It returns the new version.
func (s *Store) PutLocked(ctx context.Context, p Put) (Version, error) {
	sum, err := checkPut(p)
	if err != nil {
		return Version{}, err
	}
	opts := minio.PutObjectOptions{
		ContentType:     p.ContentType,
		Mode:            minio.Compliance,
		RetainUntilDate: p.RetainUntil.UTC().Truncate(time.Second),
		// A single PUT: the whole object is verified against the SHA-256 before it exists.
		DisableMultipart: true,
		// The payload is not hashed a second time for the signature: the signed
		// x-amz-checksum-sha256 header already binds the request to these bytes, and the
		// server checks them against it.
		DisableContentSha256: true,
		UserMetadata:         map[string]string{"x-amz-checksum-sha256": base64.StdEncoding.EncodeToString(sum)},
	}
	if opts.ContentType == "" {
		opts.ContentType = "application/octet-stream"
	}
	if p.LegalHold {
		opts.LegalHold = minio.LegalHoldEnabled
	}
	info, err := s.mc.PutObject(ctx, s.opts.Bucket, p.Key, p.Body, p.Size, opts)
	if err != nil {
		if isChecksumRefusal(err) {
			return Version{}, fmt.Errorf("%w: %s (SHA-256 %s): %w", ErrChecksum, p.Key, p.SHA256, err)
		}
		return Version{}, fmt.Errorf("store %s in the archive: %w", p.Key, err)
	}
	if info.VersionID == "" {
		return Version{}, fmt.Errorf("%w: %s stored without a version id: bucket %s has no versioning", ErrNotWORM, p.Key, s.opts.Bucket)
	}
	if info.ChecksumSHA256 != "" && info.ChecksumSHA256 != opts.UserMetadata["x-amz-checksum-sha256"] {
		return Version{}, fmt.Errorf("%w: %s version %s: the server answered SHA-256 %s for %s", ErrChecksum, p.Key, info.VersionID, info.ChecksumSHA256, opts.UserMetadata["x-amz-checksum-sha256"])
	}
	return Version{Key: p.Key, VersionID: info.VersionID, Size: info.Size}, nil
}

// PutLockedBytes is PutLocked of data, whose SHA-256 it computes.
func (s *Store) PutLockedBytes(ctx context.Context, key string, data []byte, retainUntil time.Time) (Version, error) {
	sum := sha256.Sum256(data)
	return s.PutLocked(ctx, Put{Key: key, Body: bytes.NewReader(data), Size: int64(len(data)),
		SHA256: hex.EncodeToString(sum[:]), RetainUntil: retainUntil})
}

func checkPut(p Put) ([]byte, error) {
	if err := s3utils.CheckValidObjectName(p.Key); err != nil {
		return nil, fmt.Errorf("%w: key %q: %v", ErrInvalid, p.Key, err)
	}
	if p.Body == nil || p.Size < 0 {
		return nil, fmt.Errorf("%w: %s: no body or a negative size", ErrInvalid, p.Key)
	}
	if p.Size > MaxObjectSize {
		return nil, fmt.Errorf("%w: %s has %d bytes, at most %d are stored as one verified object", ErrTooLarge, p.Key, p.Size, int64(MaxObjectSize))
	}
	sum, err := hex.DecodeString(p.SHA256)
	if err != nil || len(sum) != sha256.Size || strings.ToLower(p.SHA256) != p.SHA256 {
		return nil, fmt.Errorf("%w: %s: SHA-256 %q is not 64 lower-case hex digits", ErrInvalid, p.Key, p.SHA256)
	}
	if !p.RetainUntil.After(time.Now().Add(time.Second)) {
		return nil, fmt.Errorf("%w: %s: retain-until %s is not in the future", ErrInvalid, p.Key, p.RetainUntil.UTC().Format(time.RFC3339))
	}
	return sum, nil
}

// Info describes one stored version.
type Info struct {
	Key, VersionID string
	Size           int64
	// SHA256 is the server's stored checksum in hex, when it answers one (both MinIO and
	// versitygw do for objects stored by PutLocked).
	SHA256       string
	LastModified time.Time
}

// Stream opens version versionID of key for reading; the caller closes it.
func (s *Store) Stream(ctx context.Context, key, versionID string) (io.ReadCloser, Info, error) {
	if versionID == "" {
		return nil, Info{}, fmt.Errorf("%w: %s: no version id", ErrInvalid, key)
	}
	opts := minio.GetObjectOptions{VersionID: versionID, Checksum: true}
	obj, err := s.mc.GetObject(ctx, s.opts.Bucket, key, opts)
	if err != nil {
		return nil, Info{}, s.wrap(err, "read", key, versionID)
	}
	st, err := obj.Stat()
	if err != nil {
		obj.Close()
		return nil, Info{}, s.wrap(err, "read", key, versionID)
	}
	info := Info{Key: key, VersionID: st.VersionID, Size: st.Size, LastModified: st.LastModified}
	if b, err := base64.StdEncoding.DecodeString(st.ChecksumSHA256); err == nil && len(b) == sha256.Size {
		info.SHA256 = hex.EncodeToString(b)
	}
	return obj, info, nil
}

// Get reads version versionID of key whole, refusing one of more than maxBytes.
func (s *Store) Get(ctx context.Context, key, versionID string, maxBytes int64) ([]byte, Info, error) {
	rc, info, err := s.Stream(ctx, key, versionID)
	if err != nil {
		return nil, Info{}, err
	}
	defer rc.Close()
	if info.Size > maxBytes {
		return nil, Info{}, fmt.Errorf("%w: %s version %s has %d bytes, at most %d allowed", ErrTooLarge, key, versionID, info.Size, maxBytes)
	}
	data, err := io.ReadAll(io.LimitReader(rc, maxBytes+1))
	if err != nil {
		return nil, Info{}, s.wrap(err, "read", key, versionID)
	}
	if int64(len(data)) != info.Size {
		return nil, Info{}, fmt.Errorf("read %s version %s: %d bytes, the server announced %d", key, versionID, len(data), info.Size)
	}
	return data, info, nil
}

// LockState is the lock on one version as the server reports it.
type LockState struct {
	// Mode is Compliance, Governance, or empty when the version has no retention.
	Mode        string
	RetainUntil time.Time
	LegalHold   bool
}

// Lock reads the retention and legal hold of version versionID of key. It asks the
// GET ?retention and GET ?legal-hold sub-resources of that version, which MinIO and
// versitygw both answer for current and noncurrent versions alike (a HEAD of a noncurrent
// version shows no lock on versitygw), and reads the retention answer whatever its root
// element is called (versitygw's differs from S3's, which minio-go refuses).
func (s *Store) Lock(ctx context.Context, key, versionID string) (LockState, error) {
	if versionID == "" {
		return LockState{}, fmt.Errorf("%w: %s: no version id", ErrInvalid, key)
	}
	var st LockState
	body, err := s.getSubresource(ctx, key, versionID, "retention")
	switch {
	case err == nil:
		var r struct {
			Mode            string `xml:"Mode"`
			RetainUntilDate string `xml:"RetainUntilDate"`
		}
		if err := xml.Unmarshal(body, &r); err != nil {
			return LockState{}, fmt.Errorf("retention of %s version %s: %w", key, versionID, err)
		}
		st.Mode = strings.ToUpper(r.Mode)
		if r.RetainUntilDate != "" {
			t, err := time.Parse(time.RFC3339Nano, r.RetainUntilDate)
			if err != nil {
				return LockState{}, fmt.Errorf("retention of %s version %s: date %q: %w", key, versionID, r.RetainUntilDate, err)
			}
			st.RetainUntil = t.UTC()
		}
	case isCode(err, "NoSuchObjectLockConfiguration", "ObjectLockConfigurationNotFoundError"):
		// The version has no retention.
	default:
		return LockState{}, s.wrap(err, "read the retention of", key, versionID)
	}
	hold, err := s.mc.GetObjectLegalHold(ctx, s.opts.Bucket, key, minio.GetObjectLegalHoldOptions{VersionID: versionID})
	switch {
	case err == nil:
		st.LegalHold = hold != nil && *hold == minio.LegalHoldEnabled
	case isCode(err, "NoSuchObjectLockConfiguration", "ObjectLockConfigurationNotFoundError"):
	default:
		return LockState{}, s.wrap(err, "read the legal hold of", key, versionID)
	}
	return st, nil
}

// ExtendRetention moves the COMPLIANCE retention of a version to until. A date before the
// present one is ErrShorterRetention, refused here before the server is asked; the same date
// changes nothing.
func (s *Store) ExtendRetention(ctx context.Context, key, versionID string, until time.Time) error {
	until = until.UTC().Truncate(time.Second)
	cur, err := s.Lock(ctx, key, versionID)
	if err != nil {
		return err
	}
	if cur.Mode != "" && cur.Mode != Compliance {
		return fmt.Errorf("%w: %s version %s is under %s retention, not %s", ErrNotWORM, key, versionID, cur.Mode, Compliance)
	}
	if until.Before(cur.RetainUntil) {
		return fmt.Errorf("%w: %s version %s is retained until %s; %s is earlier", ErrShorterRetention,
			key, versionID, cur.RetainUntil.Format(time.RFC3339), until.Format(time.RFC3339))
	}
	if until.Equal(cur.RetainUntil) {
		return nil
	}
	return s.putRetention(ctx, key, versionID, minio.Compliance, until)
}

// putRetention asks the server to set a version's retention, without obieg's own checks:
// the probe uses it to see what the server refuses.
func (s *Store) putRetention(ctx context.Context, key, versionID string, mode minio.RetentionMode, until time.Time) error {
	err := s.mc.PutObjectRetention(ctx, s.opts.Bucket, key, minio.PutObjectRetentionOptions{
		VersionID: versionID, Mode: &mode, RetainUntilDate: &until,
	})
	if err != nil {
		return s.wrap(err, "set the retention of", key, versionID)
	}
	return nil
}

// SetLegalHold puts a legal hold on a version (on) or lifts it. A version under legal hold
// cannot be deleted whatever its retention.
func (s *Store) SetLegalHold(ctx context.Context, key, versionID string, on bool) error {
	status := minio.LegalHoldDisabled
	if on {
		status = minio.LegalHoldEnabled
	}
	err := s.mc.PutObjectLegalHold(ctx, s.opts.Bucket, key, minio.PutObjectLegalHoldOptions{VersionID: versionID, Status: &status})
	if err != nil {
		return s.wrap(err, "set the legal hold of", key, versionID)
	}
	return nil
}

// LegalHold reports whether a version is under legal hold.
func (s *Store) LegalHold(ctx context.Context, key, versionID string) (bool, error) {
	st, err := s.Lock(ctx, key, versionID)
	return st.LegalHold, err
}

// VersionEntry is one entry of a key's version list.
type VersionEntry struct {
	VersionID      string
	Size           int64
	LastModified   time.Time
	IsLatest       bool
	IsDeleteMarker bool
}

// Versions lists every version and delete marker of key, newest first. A deleted key still
// has its versions: check versions, not keys.
func (s *Store) Versions(ctx context.Context, key string) ([]VersionEntry, error) {
	var out []VersionEntry
	for o := range s.mc.ListObjects(ctx, s.opts.Bucket, minio.ListObjectsOptions{Prefix: key, WithVersions: true}) {
		if o.Err != nil {
			return nil, fmt.Errorf("list versions of %s: %w", key, o.Err)
		}
		if o.Key != key {
			continue
		}
		out = append(out, VersionEntry{VersionID: o.VersionID, Size: o.Size, LastModified: o.LastModified,
			IsLatest: o.IsLatest, IsDeleteMarker: o.IsDeleteMarker})
	}
	return out, nil
}

// DeleteVersion deletes version versionID of key for good. While the version is locked or
// held the server refuses (ErrLocked); disposal of records whose retention has ended uses it.
func (s *Store) DeleteVersion(ctx context.Context, key, versionID string) error {
	if versionID == "" {
		return fmt.Errorf("%w: %s: deleting without a version id only hides the key", ErrInvalid, key)
	}
	err := s.mc.RemoveObject(ctx, s.opts.Bucket, key, minio.RemoveObjectOptions{VersionID: versionID})
	if err != nil {
		return s.wrap(err, "delete", key, versionID)
	}
	return nil
}

// getSubresource GETs ?sub&versionId= of an object, signed, and returns the body of a 200
// answer or the server's error.
func (s *Store) getSubresource(ctx context.Context, key, versionID, sub string) ([]byte, error) {
	u := url.URL{Scheme: s.scheme, Host: s.opts.Endpoint, Path: "/" + s.opts.Bucket + "/" + key,
		RawPath:  "/" + s.opts.Bucket + "/" + s3utils.EncodePath(key),
		RawQuery: sub + "=&versionId=" + url.QueryEscape(versionID)}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-Amz-Content-Sha256", emptySHA256)
	req = signer.SignV4(*req, s.opts.AccessKey, s.opts.SecretKey, "", s.opts.Region)
	resp, err := s.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		er := minio.ErrorResponse{StatusCode: resp.StatusCode}
		if xml.Unmarshal(body, &er) != nil || er.Code == "" {
			er.Code = resp.Status
			er.Message = strings.TrimSpace(string(body))
		}
		er.StatusCode = resp.StatusCode
		return nil, er
	}
	return body, nil
}

const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// wrap turns a server's answer into obieg's error kinds.
func (s *Store) wrap(err error, what, key, versionID string) error {
	switch {
	case isCode(err, "NoSuchKey", "NoSuchVersion"):
		return fmt.Errorf("%w: %s version %s in %s: %w", ErrNotFound, key, versionID, s.opts.Bucket, err)
	case isLockRefusal(err):
		return fmt.Errorf("%w: %s %s version %s refused: %w", ErrLocked, what, key, versionID, err)
	}
	return fmt.Errorf("%s %s version %s: %w", what, key, versionID, err)
}

// isCode reports whether err is an S3 error answer with one of codes.
func isCode(err error, codes ...string) bool {
	var er minio.ErrorResponse
	if !errors.As(err, &er) {
		return false
	}
	for _, c := range codes {
		if er.Code == c {
			return true
		}
	}
	return false
}

// serverAnswered reports whether err is an S3 error answer (4xx), not a failure to reach
// the server.
func serverAnswered(err error) bool {
	var er minio.ErrorResponse
	return errors.As(err, &er) && er.StatusCode >= 400 && er.StatusCode < 500
}

func isLockRefusal(err error) bool {
	return isCode(err, "AccessDenied", "ObjectLocked", "InvalidRequest", "InvalidArgument")
}

func isChecksumRefusal(err error) bool {
	return isCode(err, "BadDigest", "XAmzContentChecksumMismatch", "InvalidDigest", "XAmzContentSHA256Mismatch", "InvalidChecksum")
}
