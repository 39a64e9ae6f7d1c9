package edoreczeniasim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// FileStore is a Store kept in one file, state.json in a directory, so that the simulator
// keeps its mailboxes, messages, tasks and subscriptions across restarts. The state is held
// in memory (a MemStore) and the whole file is rewritten atomically (temporary file, fsync,
// rename) after every change: enough for a development simulator, not for volume. The
// simulated clock's advance, registered clients and tokens are not kept.
type FileStore struct {
	path string
	mem  *MemStore
	// mu orders the snapshots: a change and its write happen together.
	mu sync.Mutex
}

var _ Store = (*FileStore)(nil)

// snapshot is the content of state.json.
type snapshot struct {
	Mailboxes     []Mailbox      `json:"mailboxes"`
	Messages      []Message      `json:"messages"` // in insertion order
	Tasks         []Task         `json:"tasks"`
	Subscriptions []Subscription `json:"subscriptions"`
}

// OpenFileStore opens (creating when needed) the store in dir and loads it.
func OpenFileStore(dir string) (*FileStore, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("open simulator store %s: %w", dir, err)
	}
	f := &FileStore{path: filepath.Join(dir, "state.json"), mem: NewMemStore()}
	data, err := os.ReadFile(f.path)
	if errors.Is(err, os.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open simulator store: %w", err)
	}
	var s snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("open simulator store %s: %w", f.path, err)
	}
	ctx := context.Background()
	for _, m := range s.Mailboxes {
		_ = f.mem.PutMailbox(ctx, m)
	}
	for _, m := range s.Messages {
		_ = f.mem.PutMessage(ctx, m)
	}
	for _, t := range s.Tasks {
		_ = f.mem.PutTask(ctx, t)
	}
	for _, sub := range s.Subscriptions {
		_ = f.mem.PutSubscription(ctx, sub)
	}
	return f, nil
}

// change applies fn to the memory state and writes the snapshot; if the write fails the
// memory state is already changed, and the error says the change is not durable.
func (f *FileStore) change(fn func() error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := fn(); err != nil {
		return err
	}
	return f.write()
}

func (f *FileStore) write() error {
	m := f.mem
	m.mu.Lock()
	var s snapshot
	for _, mb := range m.mailboxes {
		s.Mailboxes = append(s.Mailboxes, mb)
	}
	for _, msg := range m.messages {
		s.Messages = append(s.Messages, msg)
	}
	slices.SortFunc(s.Messages, func(a, b Message) int { return m.order[key{a.Box, a.ID}] - m.order[key{b.Box, b.ID}] })
	for _, t := range m.tasks {
		s.Tasks = append(s.Tasks, t)
	}
	for _, sub := range m.subs {
		s.Subscriptions = append(s.Subscriptions, sub)
	}
	data, err := json.Marshal(s)
	m.mu.Unlock()
	if err != nil {
		return fmt.Errorf("write simulator store: %w", err)
	}
	tmp := f.path + ".tmp"
	w, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o640)
	if err != nil {
		return fmt.Errorf("write simulator store: %w", err)
	}
	_, err = w.Write(data)
	if err == nil {
		err = w.Sync()
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, f.path)
	}
	if err != nil {
		return fmt.Errorf("write simulator store: %w", err)
	}
	return nil
}

func (f *FileStore) PutMailbox(ctx context.Context, m Mailbox) error {
	return f.change(func() error { return f.mem.PutMailbox(ctx, m) })
}

func (f *FileStore) Mailbox(ctx context.Context, address string) (Mailbox, error) {
	return f.mem.Mailbox(ctx, address)
}

func (f *FileStore) Mailboxes(ctx context.Context) ([]Mailbox, error) { return f.mem.Mailboxes(ctx) }

func (f *FileStore) PutMessage(ctx context.Context, m Message) error {
	return f.change(func() error { return f.mem.PutMessage(ctx, m) })
}

func (f *FileStore) Message(ctx context.Context, box, id string) (Message, error) {
	return f.mem.Message(ctx, box, id)
}

func (f *FileStore) DeleteMessage(ctx context.Context, box, id string) error {
	return f.change(func() error { return f.mem.DeleteMessage(ctx, box, id) })
}

func (f *FileStore) Messages(ctx context.Context, box string) ([]Message, error) {
	return f.mem.Messages(ctx, box)
}

func (f *FileStore) PutTask(ctx context.Context, t Task) error {
	return f.change(func() error { return f.mem.PutTask(ctx, t) })
}

func (f *FileStore) Task(ctx context.Context, box, id string) (Task, error) {
	return f.mem.Task(ctx, box, id)
}

func (f *FileStore) PendingTasks(ctx context.Context) ([]Task, error) { return f.mem.PendingTasks(ctx) }

func (f *FileStore) PutSubscription(ctx context.Context, s Subscription) error {
	return f.change(func() error { return f.mem.PutSubscription(ctx, s) })
}

func (f *FileStore) Subscription(ctx context.Context, box string) (Subscription, error) {
	return f.mem.Subscription(ctx, box)
}

func (f *FileStore) DeleteSubscription(ctx context.Context, box string) error {
	return f.change(func() error { return f.mem.DeleteSubscription(ctx, box) })
}
