package edoreczeniasim

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"time"
)

// Errors of a Store and of the Simulator, to be tested with errors.Is.
var (
	ErrNotFound = errors.New("edoreczeniasim: not found")
	ErrInvalid  = errors.New("edoreczeniasim: invalid request")
	ErrConflict = errors.New("edoreczeniasim: conflict")
)

// Message statuses (MessageControlData.status) the simulator uses, from the contract's enum.
const (
	StatusVerifying       = "W trakcie weryfikacji"
	StatusRejected        = "Odrzucona"
	StatusWaiting         = "Czeka na doręczenie"
	StatusDelivered       = "Doręczona"
	StatusDeemedDelivered = "Uznana za doręczoną"
)

// Evidence types (Evidence.type) the simulator issues.
const (
	// EvidenceSubmissionAcceptance is ETSI EN 319 522 A.1: the service accepted the message;
	// its event date is the submission date.
	EvidenceSubmissionAcceptance = "A.1"
	// EvidenceSubmissionRejection is A.2: the service refused the message.
	EvidenceSubmissionRejection = "A.2"
	// EvidenceProofOfReceipt is the Polish proof of receipt for a public body's letter
	// (dowód otrzymania, BP.OX): its event date is the date of delivery, when the addressee
	// collected the item or, if not collected, 14 days after it was made available
	// (art. 41 of the act on electronic delivery). ReasonID tells which.
	EvidenceProofOfReceipt = "BP.OX"
)

// Reasons of a proof of receipt (Evidence.ReasonID).
const (
	ReasonCollected = "ODEBRANA"            // the addressee collected the item
	ReasonDeemed    = "UZNANA_ZA_DORECZONA" // not collected within DeemedAfter of availability
)

// Labels of a message copy.
const (
	LabelDrafts = "DRAFTS"
	LabelSent   = "SENT"
	LabelInbox  = "INBOX"
)

// Mailbox is an electronic delivery address (ADE) held by the simulator.
type Mailbox struct {
	Address string `json:"address"` // AE:PL-12345-67890-ABCDE-12
	Name    string `json:"name"`    // who owns it: an office or a person
}

// Attachment is a file of a message.
type Attachment struct {
	ID          string `json:"id"`     // attachmentId, assigned by the simulator
	FileID      string `json:"fileId"` // fileMetadata.fileId, named by the client
	Order       int    `json:"order"`
	Name        string `json:"filename"`
	ContentType string `json:"contentType"`
	Hash        string `json:"hash"` // Base64 of the SHA3-256 of Data
	Data        []byte `json:"data"`
}

// Evidence is a proof (dowód) about a message, kept on the sender's copy.
type Evidence struct {
	ID            string    `json:"id"`
	MessageID     string    `json:"messageId"`
	Type          string    `json:"type"`
	Created       time.Time `json:"created"`
	Event         time.Time `json:"event"`
	ReasonID      string    `json:"reasonId,omitempty"`
	ReasonDetails []string  `json:"reasonDetails,omitempty"`
	From          string    `json:"from"`
	To            string    `json:"to"`
	Downloaded    bool      `json:"downloaded"`
	// File is the evidence document (EvidenceFile), made at its first download.
	File []byte `json:"file,omitempty"`
}

// Message is one copy of a message in one mailbox: a draft or sent item of the sender, or
// the addressee's received item. Both copies of a sent message share its ID.
type Message struct {
	Box         string       `json:"box"` // the mailbox holding this copy
	ID          string       `json:"id"`
	Label       string       `json:"label"` // LabelDrafts, LabelSent or LabelInbox
	From        string       `json:"from"`
	To          string       `json:"to"`
	Subject     string       `json:"subject"`
	CaseID      string       `json:"caseId,omitempty"`
	Text        string       `json:"text,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
	Status      string       `json:"status,omitempty"`
	TaskID      string       `json:"taskId,omitempty"`
	Created     time.Time    `json:"created"`
	Submitted   time.Time    `json:"submitted,omitzero"` // accepted by the service
	Available   time.Time    `json:"available,omitzero"` // put into the addressee's box
	Received    time.Time    `json:"received,omitzero"`  // collected or deemed delivered
	Opened      bool         `json:"opened"`
	Folder      string       `json:"folder,omitempty"`    // the label of a client's folder it was moved to
	ThreadID    string       `json:"threadId,omitempty"`  // the thread it continues; empty: its own
	RefTo       string       `json:"refTo,omitempty"`     // the message it answers or forwards
	Evidences   []Evidence   `json:"evidences,omitempty"` // on the sender's copy
}

// Task is the sending of a draft, polled by the sender.
type Task struct {
	Box       string    `json:"box"`
	ID        string    `json:"id"`
	MessageID string    `json:"messageId"`
	Created   time.Time `json:"created"`
	DueAt     time.Time `json:"dueAt"` // when the service has processed it
	Finished  bool      `json:"finished"`
	Addressee string    `json:"addressee"`
	Status    string    `json:"status"`          // the message status when it finished
	Error     string    `json:"error,omitempty"` // why it was rejected
	ErrorDesc string    `json:"errorDescription,omitempty"`
}

// Subscription is a mailbox's callback URLs, by callback name (CallbackOnMessage, ...).
type Subscription struct {
	Box  string            `json:"box"`
	ID   string            `json:"id"`
	URLs map[string]string `json:"urls"`
	On   bool              `json:"on"`
}

// Store keeps the simulator's state. Implementations are safe for concurrent use.
type Store interface {
	// PutMailbox records m; putting a mailbox that exists replaces its name.
	PutMailbox(ctx context.Context, m Mailbox) error
	// Mailbox returns the mailbox at address, ErrNotFound if there is none.
	Mailbox(ctx context.Context, address string) (Mailbox, error)
	// Mailboxes returns every mailbox ordered by address.
	Mailboxes(ctx context.Context) ([]Mailbox, error)
	// PutMessage inserts or replaces the copy (m.Box, m.ID).
	PutMessage(ctx context.Context, m Message) error
	// Message returns the copy (box, id), ErrNotFound if there is none.
	Message(ctx context.Context, box, id string) (Message, error)
	// DeleteMessage removes the copy (box, id), ErrNotFound if there is none.
	DeleteMessage(ctx context.Context, box, id string) error
	// Messages returns the copies in box, oldest first; none is not an error.
	Messages(ctx context.Context, box string) ([]Message, error)
	// PutTask inserts or replaces the task (t.Box, t.ID).
	PutTask(ctx context.Context, t Task) error
	// Task returns the task (box, id), ErrNotFound if there is none.
	Task(ctx context.Context, box, id string) (Task, error)
	// PendingTasks returns the unfinished tasks of every mailbox, oldest first.
	PendingTasks(ctx context.Context) ([]Task, error)
	// PutSubscription inserts or replaces the subscription of s.Box.
	PutSubscription(ctx context.Context, s Subscription) error
	// Subscription returns the subscription of box, ErrNotFound if there is none.
	Subscription(ctx context.Context, box string) (Subscription, error)
	// DeleteSubscription removes the subscription of box, ErrNotFound if there is none.
	DeleteSubscription(ctx context.Context, box string) error
}

type key struct{ box, id string }

// MemStore is a Store in memory.
type MemStore struct {
	mu        sync.Mutex
	mailboxes map[string]Mailbox
	messages  map[key]Message
	order     map[key]int      // insertion order of messages
	byBox     map[string][]key // each mailbox's messages in insertion order
	seq       int
	tasks     map[key]Task
	subs      map[string]Subscription
}

var _ Store = (*MemStore)(nil)

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore {
	return &MemStore{mailboxes: map[string]Mailbox{}, messages: map[key]Message{}, order: map[key]int{},
		byBox: map[string][]key{}, tasks: map[key]Task{}, subs: map[string]Subscription{}}
}

func (s *MemStore) PutMailbox(_ context.Context, m Mailbox) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mailboxes[m.Address] = m
	return nil
}

func (s *MemStore) Mailbox(_ context.Context, address string) (Mailbox, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.mailboxes[address]
	if !ok {
		return Mailbox{}, ErrNotFound
	}
	return m, nil
}

func (s *MemStore) Mailboxes(context.Context) ([]Mailbox, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Mailbox
	for _, a := range slices.Sorted(maps.Keys(s.mailboxes)) {
		out = append(out, s.mailboxes[a])
	}
	return out, nil
}

func (s *MemStore) PutMessage(_ context.Context, m Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := key{m.Box, m.ID}
	if _, ok := s.order[k]; !ok {
		s.seq++
		s.order[k] = s.seq
		s.byBox[m.Box] = append(s.byBox[m.Box], k)
	}
	s.messages[k] = cloneMessage(m)
	return nil
}

func (s *MemStore) Message(_ context.Context, box, id string) (Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.messages[key{box, id}]
	if !ok {
		return Message{}, ErrNotFound
	}
	return cloneMessage(m), nil
}

func (s *MemStore) DeleteMessage(_ context.Context, box, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := key{box, id}
	if _, ok := s.messages[k]; !ok {
		return ErrNotFound
	}
	delete(s.messages, k)
	delete(s.order, k)
	s.byBox[box] = slices.DeleteFunc(s.byBox[box], func(x key) bool { return x == k })
	return nil
}

func (s *MemStore) Messages(_ context.Context, box string) ([]Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := s.byBox[box]
	out := make([]Message, 0, len(keys))
	for _, k := range keys {
		out = append(out, cloneMessage(s.messages[k]))
	}
	return out, nil
}

func (s *MemStore) PutTask(_ context.Context, t Task) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tasks[key{t.Box, t.ID}] = t
	return nil
}

func (s *MemStore) Task(_ context.Context, box, id string) (Task, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tasks[key{box, id}]
	if !ok {
		return Task{}, ErrNotFound
	}
	return t, nil
}

func (s *MemStore) PendingTasks(context.Context) ([]Task, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Task
	for _, t := range s.tasks {
		if !t.Finished {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b Task) int { return a.Created.Compare(b.Created) })
	return out, nil
}

func (s *MemStore) PutSubscription(_ context.Context, sub Subscription) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub.URLs = maps.Clone(sub.URLs)
	s.subs[sub.Box] = sub
	return nil
}

func (s *MemStore) Subscription(_ context.Context, box string) (Subscription, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, ok := s.subs[box]
	if !ok {
		return Subscription{}, ErrNotFound
	}
	sub.URLs = maps.Clone(sub.URLs)
	return sub, nil
}

func (s *MemStore) DeleteSubscription(_ context.Context, box string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.subs[box]; !ok {
		return ErrNotFound
	}
	delete(s.subs, box)
	return nil
}

// cloneMessage copies the slices of m so that callers cannot change what a store holds.
func cloneMessage(m Message) Message {
	m.Attachments = slices.Clone(m.Attachments)
	m.Evidences = slices.Clone(m.Evidences)
	for i := range m.Evidences {
		m.Evidences[i].ReasonDetails = slices.Clone(m.Evidences[i].ReasonDetails)
		m.Evidences[i].File = slices.Clone(m.Evidences[i].File)
	}
	return m
}
