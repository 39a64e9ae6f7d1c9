package epuapsim

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// FileStore is a Store kept in a directory so that the simulator keeps its boxes across
// restarts: boxes.json lists the boxes, items/<seq>.json holds one waiting document each and
// clock.json the last filing's Seq and sending time, so that a restarted simulator gives no
// document the id of one filed, and perhaps confirmed, before.
// Every file is written atomically (temporary file, fsync, rename); a confirmed document's
// file is deleted. The contents are also held in memory, so reads do not touch the disk.
type FileStore struct {
	dir string
	mem *MemStore
}

var _ Store = (*FileStore)(nil)

// OpenFileStore opens (creating when needed) the store in dir and loads it.
func OpenFileStore(dir string) (*FileStore, error) {
	if err := os.MkdirAll(filepath.Join(dir, "items"), 0o750); err != nil {
		return nil, fmt.Errorf("open simulator store %s: %w", dir, err)
	}
	fs := &FileStore{dir: dir, mem: NewMemStore()}
	if err := fs.load(); err != nil {
		return nil, fmt.Errorf("open simulator store %s: %w", dir, err)
	}
	return fs, nil
}

func (f *FileStore) load() error {
	data, err := os.ReadFile(filepath.Join(f.dir, "boxes.json"))
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return err
	default:
		var boxes []Box
		if err := json.Unmarshal(data, &boxes); err != nil {
			return fmt.Errorf("boxes.json: %w", err)
		}
		for _, b := range boxes {
			f.mem.boxes[boxKey{b.Podmiot, b.Address}] = b
		}
	}
	data, err = os.ReadFile(filepath.Join(f.dir, "clock.json"))
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return err
	default:
		var c clock
		if err := json.Unmarshal(data, &c); err != nil {
			return fmt.Errorf("clock.json: %w", err)
		}
		f.mem.seq, f.mem.last = c.Seq, c.DataNadania
	}
	entries, err := os.ReadDir(filepath.Join(f.dir, "items"))
	if err != nil {
		return err
	}
	var items []Item
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue // leftovers of an interrupted write end in .tmp
		}
		data, err := os.ReadFile(filepath.Join(f.dir, "items", e.Name()))
		if err != nil {
			return err
		}
		var it Item
		if err := json.Unmarshal(data, &it); err != nil {
			return fmt.Errorf("item %s: %w", e.Name(), err)
		}
		items = append(items, it)
	}
	slices.SortFunc(items, func(a, b Item) int { return cmp.Compare(a.Seq, b.Seq) })
	for _, it := range items {
		k := boxKey{it.Podmiot, it.AdresSkrytki}
		if _, ok := f.mem.boxes[k]; !ok {
			return fmt.Errorf("item %d: box %s: %w", it.Seq, it.AdresSkrytki, ErrUnknownBox)
		}
		f.mem.items[k] = append(f.mem.items[k], it)
		f.mem.seq = max(f.mem.seq, it.Seq)
		if it.DataNadania.After(f.mem.last) {
			f.mem.last = it.DataNadania
		}
	}
	return nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// clock is clock.json: the Seq and sending time of the last filing.
type clock struct {
	Seq         uint64    `json:"seq"`
	DataNadania time.Time `json:"dataNadania"`
}

func (f *FileStore) itemPath(seq uint64) string {
	return filepath.Join(f.dir, "items", fmt.Sprintf("%020d.json", seq))
}

// PutBox implements Store.
func (f *FileStore) PutBox(ctx context.Context, b Box) error {
	f.mem.mu.Lock()
	defer f.mem.mu.Unlock()
	k := boxKey{b.Podmiot, b.Address}
	if _, ok := f.mem.boxes[k]; ok {
		return nil
	}
	boxes := make([]Box, 0, len(f.mem.boxes)+1)
	for _, b := range f.mem.boxes {
		boxes = append(boxes, b)
	}
	boxes = append(boxes, b)
	data, err := json.MarshalIndent(boxes, "", "  ")
	if err != nil {
		return fmt.Errorf("put box %s: %w", b.Address, err)
	}
	if err := writeAtomic(filepath.Join(f.dir, "boxes.json"), data); err != nil {
		return fmt.Errorf("put box %s: %w", b.Address, err)
	}
	f.mem.boxes[k] = b
	return nil
}

// Boxes implements Store.
func (f *FileStore) Boxes(ctx context.Context) ([]Box, error) { return f.mem.Boxes(ctx) }

// Append implements Store.
func (f *FileStore) Append(_ context.Context, it Item) (Item, error) {
	f.mem.mu.Lock()
	defer f.mem.mu.Unlock()
	return f.mem.appendLocked(it, func(it Item) error {
		c, err := json.Marshal(clock{Seq: it.Seq, DataNadania: maxTime(it.DataNadania, f.mem.last)})
		if err != nil {
			return fmt.Errorf("append to %s: %w", it.AdresSkrytki, err)
		}
		// The clock first: a crash before the item is written leaves a gap, never a reuse.
		if err := writeAtomic(filepath.Join(f.dir, "clock.json"), c); err != nil {
			return fmt.Errorf("append to %s: %w", it.AdresSkrytki, err)
		}
		data, err := json.Marshal(it)
		if err != nil {
			return fmt.Errorf("append to %s: %w", it.AdresSkrytki, err)
		}
		if err := writeAtomic(f.itemPath(it.Seq), data); err != nil {
			return fmt.Errorf("append to %s: %w", it.AdresSkrytki, err)
		}
		return nil
	})
}

// Items implements Store.
func (f *FileStore) Items(ctx context.Context, podmiot, adres string) ([]Item, error) {
	return f.mem.Items(ctx, podmiot, adres)
}

// Remove implements Store.
func (f *FileStore) Remove(_ context.Context, podmiot, adres string, seq uint64) error {
	f.mem.mu.Lock()
	defer f.mem.mu.Unlock()
	return f.mem.removeLocked(podmiot, adres, seq, func() error {
		if err := os.Remove(f.itemPath(seq)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove %d from %s: %w", seq, adres, err)
		}
		return syncDir(filepath.Dir(f.itemPath(seq)))
	})
}

// writeAtomic replaces path with data: a reader sees the old file or the new one, never a
// part, and the new one survives a crash once writeAtomic returns.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
