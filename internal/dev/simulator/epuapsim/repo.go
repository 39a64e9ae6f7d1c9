package epuapsim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// Repo keeps FileRepo's files. Implementations are safe for concurrent use.
type Repo interface {
	// Put stores f under a new fileId and returns the id; when it returns, a DirRepo has
	// the file on disk.
	Put(ctx context.Context, f RepoFile) (string, error)
	// Get returns the file id. ErrNotFound if there is none.
	Get(ctx context.Context, id string) (RepoFile, error)
}

// firstFileID is the number below the first fileId a Repo gives out: ids are decimal
// numbers, as ePUAP's are.
const firstFileID = 100000

// MemRepo is a Repo in memory.
type MemRepo struct {
	mu    sync.Mutex
	seq   int
	files map[string]RepoFile
}

var _ Repo = (*MemRepo)(nil)

// NewMemRepo returns an empty MemRepo.
func NewMemRepo() *MemRepo { return &MemRepo{seq: firstFileID, files: map[string]RepoFile{}} }

// Put implements Repo.
func (m *MemRepo) Put(_ context.Context, f RepoFile) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seq++
	id := strconv.Itoa(m.seq)
	m.files[id] = f
	return id, nil
}

// Get implements Repo.
func (m *MemRepo) Get(_ context.Context, id string) (RepoFile, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.files[id]
	if !ok {
		return RepoFile{}, fmt.Errorf("file %q: %w", id, ErrNotFound)
	}
	return f, nil
}

// DirRepo is a Repo kept in a directory, so that FileRepo's files survive a restart of the
// simulator as its boxes do (FileStore): <id>.bin holds a file's bytes and <id>.json its
// name, media type, encoding and owner. Both are written atomically, the bytes first, so a
// file whose .json exists is whole. Only the ids are held in memory; bytes are read from
// disk on Get.
type DirRepo struct {
	dir string
	mu  sync.Mutex
	seq int
}

var _ Repo = (*DirRepo)(nil)

// repoMeta is the .json of a DirRepo file.
type repoMeta struct {
	Filename string `json:"nazwaPliku"`
	MimeType string `json:"typPliku"`
	Encoding string `json:"kodowanie,omitempty"`
	Owner    string `json:"wlasciciel,omitempty"`
}

// OpenDirRepo opens (creating when needed) the FileRepo files in dir.
func OpenDirRepo(dir string) (*DirRepo, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("open simulator FileRepo %s: %w", dir, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("open simulator FileRepo %s: %w", dir, err)
	}
	r := &DirRepo{dir: dir, seq: firstFileID}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		if e.IsDir() || !ok {
			continue // .bin files, and leftovers of an interrupted write, ending in .tmp
		}
		n, err := strconv.Atoi(name)
		if err != nil {
			continue
		}
		r.seq = max(r.seq, n)
	}
	return r, nil
}

// Put implements Repo.
func (r *DirRepo) Put(_ context.Context, f RepoFile) (string, error) {
	meta, err := json.Marshal(repoMeta{Filename: f.Filename, MimeType: f.MimeType, Encoding: f.Encoding, Owner: f.Owner})
	if err != nil {
		return "", fmt.Errorf("put file %s: %w", f.Filename, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	id := strconv.Itoa(r.seq + 1)
	if err := writeAtomic(filepath.Join(r.dir, id+".bin"), f.Data); err != nil {
		return "", fmt.Errorf("put file %s: %w", f.Filename, err)
	}
	if err := writeAtomic(filepath.Join(r.dir, id+".json"), meta); err != nil {
		return "", fmt.Errorf("put file %s: %w", f.Filename, err)
	}
	r.seq++
	return id, nil
}

// Get implements Repo.
func (r *DirRepo) Get(_ context.Context, id string) (RepoFile, error) {
	// Only ids this repo gives out are looked up: no path can be named through one.
	if n, err := strconv.Atoi(id); err != nil || strconv.Itoa(n) != id || n <= firstFileID {
		return RepoFile{}, fmt.Errorf("file %q: %w", id, ErrNotFound)
	}
	data, err := os.ReadFile(filepath.Join(r.dir, id+".json"))
	if errors.Is(err, os.ErrNotExist) {
		return RepoFile{}, fmt.Errorf("file %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return RepoFile{}, fmt.Errorf("file %q: %w", id, err)
	}
	var meta repoMeta
	if err := json.Unmarshal(data, &meta); err != nil {
		return RepoFile{}, fmt.Errorf("file %q: %w", id, err)
	}
	content, err := os.ReadFile(filepath.Join(r.dir, id+".bin"))
	if err != nil {
		return RepoFile{}, fmt.Errorf("file %q: %w", id, err)
	}
	return RepoFile{Filename: meta.Filename, MimeType: meta.MimeType, Encoding: meta.Encoding, Owner: meta.Owner, Data: content}, nil
}
