package app

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/obieg/obieg/internal/adapters/archivestore"
)

// archiveProbe keeps the outcome of the last probe of the archive bucket (archivestore.Probe):
// the archive refuses to write until it has passed, and the health endpoint says why not.
type archiveProbe struct {
	mu      sync.Mutex
	checked bool
	at      time.Time
	err     error
}

// ArchiveStore returns the archive bucket's store, made once.
func (s *Services) ArchiveStore() (*archivestore.Store, error) {
	s.archiveOnce.Do(func() {
		s.archive, s.archiveErr = archivestore.New(archivestore.Options{
			Endpoint: s.Config.S3Endpoint, AccessKey: s.Config.S3AccessKey, SecretKey: s.Config.S3SecretKey,
			Region: s.Config.S3Region, Secure: s.Config.S3Secure, Bucket: s.Config.ArchiveBucket,
		})
	})
	return s.archive, s.archiveErr
}

// ProbeArchive proves that the archive bucket is WORM (archivestore.Probe) and keeps the
// outcome for ArchiveState. A bucket that lets a locked version go is of
// archivestore.ErrNotWORM; failing to ask is another error.
func (s *Services) ProbeArchive(ctx context.Context) error {
	st, err := s.ArchiveStore()
	if err == nil {
		err = st.Probe(ctx)
	}
	s.probe.mu.Lock()
	s.probe.checked, s.probe.at, s.probe.err = true, time.Now(), err
	s.probe.mu.Unlock()
	return err
}

// ArchiveState reports the last probe of the archive bucket: whether one ran, when, and why
// the archive may not be written (nil when it may).
func (s *Services) ArchiveState() (checked bool, at time.Time, err error) {
	s.probe.mu.Lock()
	defer s.probe.mu.Unlock()
	return s.probe.checked, s.probe.at, s.probe.err
}

// StartArchiveProbe runs ProbeArchive once, without holding up the start of a server
// or worker, and logs its outcome: an error when the bucket is not WORM.
func (s *Services) StartArchiveProbe(ctx context.Context) {
	go func() {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		err := s.ProbeArchive(ctx)
		switch {
		case errors.Is(err, archivestore.ErrNotWORM):
			s.Logger.ErrorContext(ctx, "the archive bucket is not WORM: nothing will be archived until it is", "bucket", s.Config.ArchiveBucket, "error", err)
		case err != nil:
			s.Logger.WarnContext(ctx, "the archive bucket could not be probed", "bucket", s.Config.ArchiveBucket, "error", err)
		default:
			s.Logger.InfoContext(ctx, "the archive bucket is WORM", "bucket", s.Config.ArchiveBucket)
		}
	}()
}
