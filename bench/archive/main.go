// Command archive compares the archive's ingest (archivestore.PutLocked) with a raw minio-go
// PutObject loop of the same bytes under the same lock (COMPLIANCE, the same retain-until),
// side by side in one run, on MinIO and versitygw started for the run. It prints MB/s of
// each and their ratio. `make bench-archive`; figures in BENCHMARKS.md.
//
// archivestore is timed twice: given the SHA-256 (as the archive has it from the package's
// manifest), and computing it first (the cost of hashing included).
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/obieg/obieg/internal/adapters/archivestore"
	"github.com/obieg/obieg/internal/dev/devstack"
)

type set struct {
	name string
	n    int
	size int
}

func main() {
	backends := flag.String("backends", "minio,versitygw", "S3 servers to run on, comma-separated")
	binDir := flag.String("bin", os.Getenv("OBIEG_BIN_DIR"), "directory of the minio and versitygw binaries (default: the checkout's .bin)")
	rounds := flag.Int("rounds", 3, "rounds of each set")
	small := flag.Int("small", 200, "objects of 256 KiB")
	large := flag.Int("large", 20, "objects of 8 MiB")
	flag.Parse()
	if *binDir == "" {
		wd, _ := os.Getwd()
		*binDir = devstack.FindBinDir(wd)
	}
	sets := []set{{"256 KiB", *small, 256 << 10}, {"8 MiB", *large, 8 << 20}}

	dir, err := os.MkdirTemp("", "obieg-bench-archive-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	fmt.Printf("archive ingest, %s, %d CPUs, %s, %d rounds\n", time.Now().UTC().Format("2006-01-02 15:04 MST"), runtime.NumCPU(), runtime.Version(), *rounds)
	fmt.Printf("%-10s %-8s %6s %12s %12s %14s %7s %7s\n", "server", "set", "bytes", "raw MB/s", "store MB/s", "hash+store", "ratio", "ratio+h")
	for _, kind := range strings.Split(*backends, ",") {
		if err := bench(kind, filepath.Join(dir, kind), *binDir, sets, *rounds); err != nil {
			log.Fatalf("%s: %v", kind, err)
		}
	}
}

func bench(kind, dir, binDir string, sets []set, rounds int) error {
	ctx := context.Background()
	srv, err := devstack.StartS3(ctx, devstack.S3Options{Kind: kind, Dir: dir, BinDir: binDir,
		AccessKey: "obieg-bench", SecretKey: "obieg-bench-secret"})
	if err != nil {
		return err
	}
	defer srv.Stop()
	raw, err := minio.New(srv.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(srv.AccessKey, srv.SecretKey, ""), Region: srv.Region})
	if err != nil {
		return err
	}
	bucket := "bench"
	if err := raw.MakeBucket(ctx, bucket, minio.MakeBucketOptions{Region: srv.Region, ObjectLocking: true}); err != nil {
		return err
	}
	st, err := archivestore.New(archivestore.Options{Endpoint: srv.Endpoint, AccessKey: srv.AccessKey,
		SecretKey: srv.SecretKey, Region: srv.Region, Bucket: bucket})
	if err != nil {
		return err
	}
	until := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)

	for _, s := range sets {
		objs := make([][]byte, s.n)
		sums := make([]string, s.n)
		for i := range objs {
			objs[i] = make([]byte, s.size)
			rand.Read(objs[i])
			h := sha256.Sum256(objs[i])
			sums[i] = hex.EncodeToString(h[:])
		}
		// The three ways take turns object by object, each going first in turn, so that the
		// load of a shared machine falls on all of them alike.
		var tRaw, tStore, tHash time.Duration
		for r := 0; r < rounds; r++ {
			for i, b := range objs {
				ops := []func() error{
					func() error {
						start := time.Now()
						_, err := raw.PutObject(ctx, bucket, fmt.Sprintf("raw/%s/%d/%d", s.name, r, i), bytes.NewReader(b), int64(len(b)),
							minio.PutObjectOptions{ContentType: "application/octet-stream", Mode: minio.Compliance, RetainUntilDate: until})
						tRaw += time.Since(start)
						if err != nil {
							return fmt.Errorf("raw put: %w", err)
						}
						return nil
					},
					func() error {
						start := time.Now()
						_, err := st.PutLocked(ctx, archivestore.Put{Key: fmt.Sprintf("store/%s/%d/%d", s.name, r, i),
							Body: bytes.NewReader(b), Size: int64(len(b)), SHA256: sums[i], RetainUntil: until})
						tStore += time.Since(start)
						if err != nil {
							return fmt.Errorf("PutLocked: %w", err)
						}
						return nil
					},
					func() error {
						start := time.Now()
						h := sha256.Sum256(b)
						_, err := st.PutLocked(ctx, archivestore.Put{Key: fmt.Sprintf("hashed/%s/%d/%d", s.name, r, i),
							Body: bytes.NewReader(b), Size: int64(len(b)), SHA256: hex.EncodeToString(h[:]), RetainUntil: until})
						tHash += time.Since(start)
						if err != nil {
							return fmt.Errorf("PutLocked: %w", err)
						}
						return nil
					},
				}
				for k := range ops {
					if err := ops[(k+i+r)%len(ops)](); err != nil {
						return err
					}
				}
			}
		}
		total := float64(s.n*s.size*rounds) / 1e6
		mbs := func(d time.Duration) float64 { return total / d.Seconds() }
		fmt.Printf("%-10s %-8s %6s %12.1f %12.1f %14.1f %7.2f %7.2f\n", kind, s.name, fmt.Sprintf("%dx", s.n),
			mbs(tRaw), mbs(tStore), mbs(tHash), tRaw.Seconds()/tStore.Seconds(), tRaw.Seconds()/tHash.Seconds())
	}
	return nil
}
