// Package s3 keeps obieg's bytes in S3: submissions exactly as received, content-addressed
// by SHA-256 so that storing the same bytes twice is harmless, and the buckets obieg needs,
// the archive bucket with object lock. It works with MinIO and any S3 store through minio-go;
// the references it returns are internal/domain/blob's.
package s3

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/obieg/obieg/internal/domain/blob"
)

// Options say how to reach S3.
type Options struct {
	Endpoint, AccessKey, SecretKey, Region string
	Secure                                 bool
}

// Client is a connection to an S3 store.
type Client struct {
	mc     *minio.Client
	region string
}

// New returns a client for the store described by opts. It does not contact the store.
func New(opts Options) (*Client, error) {
	mc, err := minio.New(opts.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(opts.AccessKey, opts.SecretKey, ""),
		Secure: opts.Secure,
		Region: opts.Region,
	})
	if err != nil {
		return nil, fmt.Errorf("s3 client for %s: %w", opts.Endpoint, err)
	}
	return &Client{mc: mc, region: opts.Region}, nil
}

// EnsureBucket creates bucket unless it exists. With objectLock the bucket is created with
// S3 object lock enabled (which also turns on versioning); an existing bucket without object
// lock where one is asked for is an error, since lock cannot be added afterwards.
func (c *Client) EnsureBucket(ctx context.Context, bucket string, objectLock bool) error {
	exists, err := c.mc.BucketExists(ctx, bucket)
	if err != nil {
		return fmt.Errorf("check bucket %s: %w", bucket, err)
	}
	if !exists {
		err := c.mc.MakeBucket(ctx, bucket, minio.MakeBucketOptions{Region: c.region, ObjectLocking: objectLock})
		if err != nil {
			var resp minio.ErrorResponse
			if !errors.As(err, &resp) || resp.Code != "BucketAlreadyOwnedByYou" {
				return fmt.Errorf("create bucket %s: %w", bucket, err)
			}
		}
	}
	if objectLock {
		enabled, _, _, _, err := c.mc.GetObjectLockConfig(ctx, bucket)
		if err != nil {
			return fmt.Errorf("read object lock of bucket %s: %w", bucket, err)
		}
		if enabled != "Enabled" {
			return fmt.Errorf("bucket %s exists without object lock; it must be created with it", bucket)
		}
	}
	return nil
}

// PutContent stores data in bucket under its content key, unless an object of that key and
// size is already there, and returns its reference. Storing the same bytes again is a no-op,
// which makes the step safe to retry.
func (c *Client) PutContent(ctx context.Context, bucket string, data []byte, contentType string) (blob.Ref, error) {
	return c.PutContentAt(ctx, bucket, "", data, contentType)
}

// PutContentAt is PutContent with the content key under prefix (such as "reports/"), for
// what obieg produces beside what it receives.
func (c *Client) PutContentAt(ctx context.Context, bucket, prefix string, data []byte, contentType string) (blob.Ref, error) {
	sum := sha256.Sum256(data)
	ref := blob.Ref{Bucket: bucket, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))}
	ref.Key = prefix + blob.ContentKey(ref.SHA256)
	info, err := c.mc.StatObject(ctx, bucket, ref.Key, minio.StatObjectOptions{})
	if err == nil && info.Size == ref.Size {
		return ref, nil
	}
	if err != nil && !isNotFound(err) {
		return blob.Ref{}, fmt.Errorf("stat %s/%s: %w", bucket, ref.Key, err)
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	_, err = c.mc.PutObject(ctx, bucket, ref.Key, bytes.NewReader(data), ref.Size, minio.PutObjectOptions{
		ContentType:    contentType,
		UserMetadata:   map[string]string{"Sha256": ref.SHA256},
		SendContentMd5: true,
	})
	if err != nil {
		return blob.Ref{}, fmt.Errorf("put %s/%s: %w", bucket, ref.Key, err)
	}
	return ref, nil
}

// Get reads the object under key, refusing one larger than max bytes with blob.ErrTooLarge.
func (c *Client) Get(ctx context.Context, bucket, key string, max int64) ([]byte, error) {
	obj, err := c.mc.GetObject(ctx, bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("get %s/%s: %w", bucket, key, err)
	}
	defer obj.Close()
	info, err := obj.Stat()
	if err != nil {
		if isNotFound(err) {
			return nil, fmt.Errorf("get %s/%s: %w", bucket, key, blob.ErrNotFound)
		}
		return nil, fmt.Errorf("get %s/%s: %w", bucket, key, err)
	}
	if info.Size > max {
		return nil, fmt.Errorf("get %s/%s: %d bytes, over %d: %w", bucket, key, info.Size, max, blob.ErrTooLarge)
	}
	data, err := io.ReadAll(io.LimitReader(obj, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s/%s: %w", bucket, key, err)
	}
	return data, nil
}

// Stat returns the size of the object under key, or blob.ErrNotFound.
func (c *Client) Stat(ctx context.Context, bucket, key string) (int64, error) {
	info, err := c.mc.StatObject(ctx, bucket, key, minio.StatObjectOptions{})
	if err != nil {
		if isNotFound(err) {
			return 0, fmt.Errorf("stat %s/%s: %w", bucket, key, blob.ErrNotFound)
		}
		return 0, fmt.Errorf("stat %s/%s: %w", bucket, key, err)
	}
	return info.Size, nil
}

func isNotFound(err error) bool {
	var resp minio.ErrorResponse
	if errors.As(err, &resp) {
		return resp.StatusCode == http.StatusNotFound || resp.Code == "NoSuchKey" || resp.Code == "NoSuchBucket"
	}
	return false
}

// PutAt stores data in bucket under key, unless an object of that key is already there, and
// returns its reference. It is for bytes named by where they came from (an ePUAP FileRepo id)
// rather than by content, so that a repeated step finds what the first one stored.
func (c *Client) PutAt(ctx context.Context, bucket, key string, data []byte, contentType string) (blob.Ref, error) {
	sum := sha256.Sum256(data)
	ref := blob.Ref{Bucket: bucket, Key: key, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	_, err := c.mc.PutObject(ctx, bucket, key, bytes.NewReader(data), ref.Size, minio.PutObjectOptions{
		ContentType: contentType, UserMetadata: map[string]string{"Sha256": ref.SHA256}, SendContentMd5: true,
	})
	if err != nil {
		return blob.Ref{}, fmt.Errorf("put %s/%s: %w", bucket, key, err)
	}
	return ref, nil
}

// Find returns the reference of the object under key, with the SHA-256 recorded when it was
// stored, or blob.ErrNotFound.
func (c *Client) Find(ctx context.Context, bucket, key string) (blob.Ref, error) {
	info, err := c.mc.StatObject(ctx, bucket, key, minio.StatObjectOptions{})
	if err != nil {
		if isNotFound(err) {
			return blob.Ref{}, fmt.Errorf("find %s/%s: %w", bucket, key, blob.ErrNotFound)
		}
		return blob.Ref{}, fmt.Errorf("find %s/%s: %w", bucket, key, err)
	}
	return blob.Ref{Bucket: bucket, Key: key, SHA256: info.UserMetadata["Sha256"], Size: info.Size}, nil
}
