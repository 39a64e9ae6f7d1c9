package edoreczeniasim

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha3"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/obieg/obieg/internal/dev/simulator/faults"
	"github.com/obieg/obieg/internal/domain/edelivery"
	"github.com/obieg/obieg/internal/signatures/xades"
)

// DeemedAfter is how long after an item is made available it is deemed delivered when the
// addressee has not collected it (art. 41 of the act of 18 November 2020 on electronic
// delivery: 14 days).
const DeemedAfter = 14 * 24 * time.Hour

// MaxInlineAttachment is the largest attachment accepted inline as Base64 in JSON (POST
// /drafts/{id}/attachments); larger ones go through /{id}/attachments/upload.
const MaxInlineAttachment = 15 << 20

// Scopes of the API (securitySchemes.oAuthUserAgent).
const (
	ScopeReadMessages  = "read_messages"
	ScopeWriteMessages = "write_messages"
	ScopeReadSettings  = "read_settings"
	ScopeWriteSettings = "write_settings"
)

// Names of the subscription callbacks (SubscriptionCreate) the simulator calls.
const (
	CallbackOnMessage        = "onMessage"        // a message arrived in the mailbox (messageCallbackUrl)
	CallbackOnEvidence       = "onEvidence"       // an evidence about a sent message (evidenceCallbackUrl)
	CallbackOnInbox          = "onInbox"          // the service finished handing a message to the mailbox (inboxCallbackUrl)
	CallbackOnMessageCreated = "onMessageCreated" // a sending task finished (messageCreatedCallbackUrl)
	CallbackOnArchiveCreated = "onArchiveCreated" // an archive of messages is ready (archiveCreatedCallbackUrl)
)

// MaxTextBody is the most characters (not bytes) a message's textBody may have (the
// contract's Message.textBody maxLength).
const MaxTextBody = 5000

// TokenLifetime is how long an access token is valid.
const TokenLifetime = time.Hour

// ValidAddress reports whether a looks like an electronic delivery address,
// AE:PL-12345-67890-ABCDE-12.
func ValidAddress(a string) bool { return edelivery.ValidAddress(a) }

// Client is a system registered to call the API (an EZD), with OAuth2 client credentials:
// a Secret (client_secret_basic or client_secret_post) or a PublicKey with which its
// signed JWTs are verified (private_key_jwt), never both.
type Client struct {
	ID     string
	Secret string
	// PublicKey is an *rsa.PublicKey of 2048 bits or more (assertions signed RS256) or an
	// *ecdsa.PublicKey on P-256 (ES256); see ParsePublicKey.
	PublicKey crypto.PublicKey
	Scopes    []string // granted scopes; a token asks for some or all of them
	Addresses []string // mailboxes it may act for
}

type token struct {
	client  string
	scopes  []string
	expires time.Time
}

// Simulator is a simulated e-Doręczenia service holding mailboxes in a Store. It is safe
// for concurrent use.
type Simulator struct {
	store  Store
	wall   func() time.Time
	log    *slog.Logger
	http   *http.Client
	delay  time.Duration // processing time of a sending task
	faults faults.Injector[Faults]

	// mu serialises the read-modify-write sequences over the store.
	mu sync.Mutex

	clockMu sync.Mutex
	offset  time.Duration // added to wall by Advance

	authMu     sync.Mutex
	clients    map[string]Client
	tokens     map[string]token
	assertions map[string]time.Time // client id NUL jti of accepted assertions: until when kept

	// ext is what mailboxes have besides messages (settings, folders, rules, archives).
	extrasOnce sync.Once
	ext        *extras

	// outbox holds the callbacks not yet made: due now, or failed and waiting to be retried.
	outMu  sync.Mutex
	outbox []*outgoing
	retry  CallbackRetry

	// evSigner signs evidence documents (WithEvidenceSigner, or made once by evidenceSigner).
	evOnce   sync.Once
	evSigner xades.Signer
	evErr    error
}

// Option configures a Simulator.
type Option func(*Simulator)

// WithProcessing makes a sending task stay PENDING for d (simulated time) before it is
// processed; the default is 0, processed at the next request or Tick.
func WithProcessing(d time.Duration) Option { return func(s *Simulator) { s.delay = d } }

// WithHTTPClient sets the client that calls subscribers' callback URLs.
func WithHTTPClient(c *http.Client) Option { return func(s *Simulator) { s.http = c } }

// WithFaults starts the simulator with faults injected; see SetFaults.
func WithFaults(f Faults) Option { return func(s *Simulator) { s.faults.Set(f, f.Seed) } }

// New returns a simulator over store. wall is the time source (time.Now outside tests); the
// simulator's clock is wall plus what Advance added. log receives a line per failed request
// or callback.
func New(store Store, wall func() time.Time, log *slog.Logger, opts ...Option) *Simulator {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Simulator{store: store, wall: wall, log: log, clients: map[string]Client{}, tokens: map[string]token{}, assertions: map[string]time.Time{},
		http: &http.Client{Timeout: 10 * time.Second}, retry: DefaultCallbackRetry}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Now returns the simulator's clock: the wall clock plus every Advance.
func (s *Simulator) Now() time.Time {
	s.clockMu.Lock()
	defer s.clockMu.Unlock()
	return s.wall().Add(s.offset).UTC().Truncate(time.Millisecond)
}

// Advance moves the simulator's clock forward by d, then does what became due (Tick): tasks
// processed, items deemed delivered, callbacks called. A negative d is ErrInvalid.
func (s *Simulator) Advance(ctx context.Context, d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("advance by %s: %w", d, ErrInvalid)
	}
	s.clockMu.Lock()
	s.offset += d
	s.clockMu.Unlock()
	return s.Tick(ctx)
}

// RegisterClient lets c obtain tokens at the token endpoint, authenticated by its Secret or
// by JWTs signed with the private key of its PublicKey: exactly one of them. Registering an
// ID again replaces it; tokens already issued stay valid with the scopes they had.
func (s *Simulator) RegisterClient(c Client) error {
	switch {
	case c.ID == "":
		return fmt.Errorf("register client: empty id: %w", ErrInvalid)
	case (c.Secret == "") == (c.PublicKey == nil):
		return fmt.Errorf("register client %s: want exactly one of a secret and a public key: %w", c.ID, ErrInvalid)
	}
	if c.PublicKey != nil {
		if _, err := assertionAlg(c.PublicKey); err != nil {
			return fmt.Errorf("register client %s: %w", c.ID, err)
		}
	}
	for _, sc := range c.Scopes {
		if !slices.Contains([]string{ScopeReadMessages, ScopeWriteMessages, ScopeReadSettings, ScopeWriteSettings}, sc) {
			return fmt.Errorf("register client %s: unknown scope %q: %w", c.ID, sc, ErrInvalid)
		}
	}
	s.authMu.Lock()
	defer s.authMu.Unlock()
	c.Scopes = slices.Clone(c.Scopes)
	c.Addresses = slices.Clone(c.Addresses)
	s.clients[c.ID] = c
	return nil
}

// CreateMailbox creates the mailbox at address (idempotent; the name is replaced).
func (s *Simulator) CreateMailbox(ctx context.Context, address, name string) (Mailbox, error) {
	if !ValidAddress(address) {
		return Mailbox{}, fmt.Errorf("create mailbox %q: not an address like AE:PL-12345-67890-ABCDE-12: %w", address, ErrInvalid)
	}
	m := Mailbox{Address: address, Name: name}
	if err := s.store.PutMailbox(ctx, m); err != nil {
		return Mailbox{}, fmt.Errorf("create mailbox %s: %w", address, err)
	}
	return m, nil
}

// Draft is what a client puts into a new draft.
type Draft struct {
	To      string
	Subject string
	CaseID  string // messageMetadata.caseId, the sender's case reference
	Text    string
	// ThreadID is the thread of the message answered or forwarded (messageMetadata.threadId);
	// empty starts a thread of its own. RefTo is the message it refers to (refToMessageId).
	ThreadID, RefTo string
}

// CreateDraft creates a draft in box. ErrNotFound if box does not exist, ErrInvalid if the
// draft has no valid addressee.
func (s *Simulator) CreateDraft(ctx context.Context, box string, d Draft) (Message, error) {
	if _, err := s.store.Mailbox(ctx, box); err != nil {
		return Message{}, fmt.Errorf("mailbox %s: %w", box, err)
	}
	if !ValidAddress(d.To) {
		return Message{}, fmt.Errorf("draft addressee %q is not an electronic delivery address: %w", d.To, ErrInvalid)
	}
	m := Message{Box: box, ID: uuid.NewString(), Label: LabelDrafts, From: box, To: d.To,
		Subject: d.Subject, CaseID: d.CaseID, Text: d.Text, ThreadID: d.ThreadID, RefTo: d.RefTo, Created: s.Now()}
	if err := s.store.PutMessage(ctx, m); err != nil {
		return Message{}, fmt.Errorf("store draft: %w", err)
	}
	return m, nil
}

// Hash returns how the simulator writes the hash of an attachment: Base64 of its SHA3-256.
func Hash(data []byte) string {
	sum := sha3.Sum256(data)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// hashMatches accepts the SHA3-256 of data in Base64 or hex: the contract names the
// algorithm ("SHA-3") but neither its length nor the encoding.
func hashMatches(hash string, data []byte) bool {
	sum := sha3.Sum256(data)
	return hash == base64.StdEncoding.EncodeToString(sum[:]) || strings.EqualFold(hash, hex.EncodeToString(sum[:]))
}

// AddAttachment adds a to the draft (box, draftID) after checking it: a fileId, a name, at
// most MaxInlineAttachment bytes, alg "SHA-3" and a hash that is the SHA3-256 of the data.
// ErrNotFound if there is no such draft, ErrInvalid if a fails a check.
func (s *Simulator) AddAttachment(ctx context.Context, box, draftID, alg string, a Attachment) (Attachment, error) {
	switch {
	case a.FileID == "":
		return Attachment{}, fmt.Errorf("attachment: fileMetadata.fileId is required: %w", ErrInvalid)
	case a.Name == "":
		return Attachment{}, fmt.Errorf("attachment: fileMetadata.filename is required: %w", ErrInvalid)
	case len(a.Data) > MaxInlineAttachment:
		return Attachment{}, fmt.Errorf("attachment %s: %d bytes, over %d: upload it: %w", a.Name, len(a.Data), MaxInlineAttachment, ErrInvalid)
	case alg != "SHA-3":
		return Attachment{}, fmt.Errorf("attachment %s: alg %q, want SHA-3: %w", a.Name, alg, ErrInvalid)
	case !hashMatches(a.Hash, a.Data):
		return Attachment{}, fmt.Errorf("attachment %s: hash %q is not the SHA3-256 of its content: %w", a.Name, a.Hash, ErrInvalid)
	}
	return s.addAttachment(ctx, box, draftID, a)
}

// MaxUpload is the largest attachment accepted by the multipart upload
// (/{messageId}/attachments/upload).
const MaxUpload = 100 << 20

// Upload adds a large attachment to the draft (box, draftID), as the multipart upload
// route does: the upload carries no hash, so the simulator computes it (SHA3-256) and
// names the file. ErrNotFound if there is no such draft, ErrInvalid without a name or with
// more than MaxUpload bytes.
func (s *Simulator) Upload(ctx context.Context, box, draftID string, a Attachment) (Attachment, error) {
	switch {
	case a.Name == "":
		return Attachment{}, fmt.Errorf("upload: filename is required: %w", ErrInvalid)
	case len(a.Data) > MaxUpload:
		return Attachment{}, fmt.Errorf("upload %s: %d bytes, over %d: %w", a.Name, len(a.Data), MaxUpload, ErrInvalid)
	}
	a.FileID = uuid.NewString()
	return s.addAttachment(ctx, box, draftID, a)
}

func (s *Simulator) addAttachment(ctx context.Context, box, draftID string, a Attachment) (Attachment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.draft(ctx, box, draftID)
	if err != nil {
		return Attachment{}, err
	}
	a.ID = uuid.NewString()
	a.Order = len(m.Attachments) + 1
	if a.ContentType == "" {
		a.ContentType = "application/octet-stream"
	}
	a.Hash = Hash(a.Data)
	m.Attachments = append(m.Attachments, a)
	if err := s.store.PutMessage(ctx, m); err != nil {
		return Attachment{}, fmt.Errorf("store draft %s: %w", draftID, err)
	}
	return a, nil
}

func (s *Simulator) draft(ctx context.Context, box, id string) (Message, error) {
	m, err := s.store.Message(ctx, box, id)
	if err != nil {
		return Message{}, fmt.Errorf("draft %s: %w", id, err)
	}
	if m.Label != LabelDrafts {
		return Message{}, fmt.Errorf("message %s is not a draft: %w", id, ErrNotFound)
	}
	return m, nil
}

// SendDraft turns the draft (box, id) into a sent message and returns the task that
// delivers it; the task is processed at the first Tick at or after its due time.
// ErrNotFound if there is no such draft, ErrInvalid if it has no subject.
func (s *Simulator) SendDraft(ctx context.Context, box, id string) (Task, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.draft(ctx, box, id)
	if err != nil {
		return Task{}, err
	}
	if strings.TrimSpace(m.Subject) == "" {
		return Task{}, fmt.Errorf("draft %s has no subject: %w", id, ErrInvalid)
	}
	now := s.Now()
	t := Task{Box: box, ID: uuid.NewString(), MessageID: id, Created: now, DueAt: now.Add(s.delay),
		Addressee: m.To, Status: StatusVerifying}
	m.Label, m.Status, m.TaskID = LabelSent, StatusVerifying, t.ID
	if err := s.store.PutTask(ctx, t); err != nil {
		return Task{}, fmt.Errorf("store task: %w", err)
	}
	if err := s.store.PutMessage(ctx, m); err != nil {
		return Task{}, fmt.Errorf("store message %s: %w", id, err)
	}
	return t, nil
}

// Messages returns the messages of the mailbox box (drafts, sent and received).
func (s *Simulator) Messages(ctx context.Context, box string) ([]Message, error) {
	return s.store.Messages(ctx, box)
}

// Post sends a letter from the mailbox box as a person or an institution would from their
// mailbox's web page: a draft d with files, sent, and delivered at once when no processing
// time is set. It returns the sender's copy. Errors as CreateDraft, AddAttachment and
// SendDraft.
func (s *Simulator) Post(ctx context.Context, box string, d Draft, files ...Attachment) (Message, error) {
	m, err := s.CreateDraft(ctx, box, d)
	if err != nil {
		return Message{}, err
	}
	for _, f := range files {
		f.FileID, f.Hash = uuid.NewString(), Hash(f.Data)
		if _, err := s.AddAttachment(ctx, box, m.ID, "SHA-3", f); err != nil {
			return Message{}, err
		}
	}
	if _, err := s.SendDraft(ctx, box, m.ID); err != nil {
		return Message{}, err
	}
	if err := s.Tick(ctx); err != nil {
		return Message{}, err
	}
	return s.store.Message(ctx, box, m.ID)
}

// Task returns the sending task (box, id), processing what is due first.
func (s *Simulator) Task(ctx context.Context, box, id string) (Task, error) {
	if err := s.Tick(ctx); err != nil {
		return Task{}, err
	}
	t, err := s.store.Task(ctx, box, id)
	if err != nil {
		return Task{}, fmt.Errorf("task %s: %w", id, err)
	}
	return t, nil
}

// notice is a callback to make once the simulator's lock is released: body is the
// statement the contract declares for kind.
type notice struct {
	box, kind string
	body      any
}

// Tick does what is due at the simulator's clock: processes sending tasks past their due
// time (the message goes to the addressee's INBOX, A.1 on the sender's copy; an unknown
// addressee rejects it with A.2), issues the proof of receipt of every item available for
// DeemedAfter and not collected, and calls the subscribers' callbacks.
func (s *Simulator) Tick(ctx context.Context) error {
	s.mu.Lock()
	notices, err := s.tick(ctx)
	s.mu.Unlock()
	s.notify(ctx, notices)
	s.deliver(ctx)
	return err
}

func (s *Simulator) tick(ctx context.Context) ([]notice, error) {
	now := s.Now()
	var notices []notice
	tasks, err := s.store.PendingTasks(ctx)
	if err != nil {
		return nil, fmt.Errorf("pending tasks: %w", err)
	}
	for _, t := range tasks {
		if t.DueAt.After(now) {
			continue
		}
		n, err := s.process(ctx, t, now)
		if err != nil {
			return notices, err
		}
		notices = append(notices, n...)
	}
	boxes, err := s.store.Mailboxes(ctx)
	if err != nil {
		return notices, fmt.Errorf("mailboxes: %w", err)
	}
	for _, b := range boxes {
		msgs, err := s.store.Messages(ctx, b.Address)
		if err != nil {
			return notices, fmt.Errorf("messages of %s: %w", b.Address, err)
		}
		for _, m := range msgs {
			if m.Label != LabelSent || m.Status != StatusWaiting || now.Before(m.Available.Add(DeemedAfter)) {
				continue
			}
			n, err := s.receive(ctx, m, m.Available.Add(DeemedAfter), ReasonDeemed, now)
			if err != nil {
				return notices, err
			}
			notices = append(notices, n...)
		}
	}
	return notices, nil
}

// process delivers the message of task t.
func (s *Simulator) process(ctx context.Context, t Task, now time.Time) ([]notice, error) {
	m, err := s.store.Message(ctx, t.Box, t.MessageID)
	if err != nil {
		return nil, fmt.Errorf("message %s of task %s: %w", t.MessageID, t.ID, err)
	}
	t.Finished = true
	m.Submitted = now
	var notices []notice
	if _, err := s.store.Mailbox(ctx, m.To); errors.Is(err, ErrNotFound) {
		t.Status, t.Error, t.ErrorDesc = StatusRejected, "ADDRESSEE_NOT_FOUND", "Adres do doręczeń elektronicznych "+m.To+" nie istnieje"
		m.Status = StatusRejected
		ev := s.evidence(m, EvidenceSubmissionRejection, now, "ADDRESSEE_NOT_FOUND", t.ErrorDesc)
		m.Evidences = append(m.Evidences, ev)
		notices = append(notices, evidenceNotice(m, ev))
	} else if err != nil {
		return nil, fmt.Errorf("mailbox %s: %w", m.To, err)
	} else {
		t.Status = StatusWaiting
		m.Status, m.Available = StatusWaiting, now
		ev := s.evidence(m, EvidenceSubmissionAcceptance, now, "", "")
		m.Evidences = append(m.Evidences, ev)
		in := m
		in.Box, in.Label, in.Evidences, in.TaskID, in.Folder = m.To, LabelInbox, nil, "", ""
		in.Folder = s.fileByRules(ctx, m.To, in)
		if err := s.store.PutMessage(ctx, in); err != nil {
			return nil, fmt.Errorf("deliver %s to %s: %w", m.ID, m.To, err)
		}
		notices = append(notices, evidenceNotice(m, ev),
			notice{box: m.To, kind: CallbackOnMessage, body: statement{
				EDeliveryAddress: m.To, NotificationType: "NewMessage", Notification: []notificationItem{{ID: m.ID}}}},
			notice{box: m.To, kind: CallbackOnInbox, body: statement{
				EDeliveryAddress: m.To, NotificationType: "InboxCallback", Notification: []notificationItem{{ID: m.ID, ThreadID: cmpOr(m.ThreadID, m.ID)}}}})
	}
	notices = append(notices, notice{box: t.Box, kind: CallbackOnMessageCreated, body: createdStatement{
		EDeliveryAddress: t.Box, NotificationType: "MessageCreated", Notification: []createdItem{{
			MessageTaskID: t.ID, Messages: []map[string]any{taskEntry(t)}}}}})
	if err := s.store.PutMessage(ctx, m); err != nil {
		return nil, fmt.Errorf("store message %s: %w", m.ID, err)
	}
	if err := s.store.PutTask(ctx, t); err != nil {
		return nil, fmt.Errorf("store task %s: %w", t.ID, err)
	}
	return notices, nil
}

// Collect is the addressee opening the item id in their mailbox, as a citizen does in the
// e-Doręczenia portal: it is marked opened and, if it was not yet delivered, the sender's
// copy gets the proof of receipt dated now. Collecting again changes nothing. ErrNotFound if
// the mailbox has no such received item.
func (s *Simulator) Collect(ctx context.Context, box, id string) (Message, error) {
	if err := s.Tick(ctx); err != nil { // an item deemed delivered before stays so
		return Message{}, err
	}
	s.mu.Lock()
	in, notices, err := s.collect(ctx, box, id)
	s.mu.Unlock()
	s.notify(ctx, notices)
	return in, err
}

func (s *Simulator) collect(ctx context.Context, box, id string) (Message, []notice, error) {
	in, err := s.store.Message(ctx, box, id)
	if err != nil || in.Label != LabelInbox {
		return Message{}, nil, fmt.Errorf("received message %s in %s: %w", id, box, ErrNotFound)
	}
	if in.Opened {
		return in, nil, nil
	}
	now := s.Now()
	in.Opened = true
	if err := s.store.PutMessage(ctx, in); err != nil {
		return Message{}, nil, fmt.Errorf("store message %s: %w", id, err)
	}
	sent, err := s.store.Message(ctx, in.From, id)
	if err != nil {
		return Message{}, nil, fmt.Errorf("sender's copy of %s: %w", id, err)
	}
	if sent.Status != StatusWaiting {
		return in, nil, nil
	}
	notices, err := s.receive(ctx, sent, now, ReasonCollected, now)
	if err != nil {
		return Message{}, nil, err
	}
	in, err = s.store.Message(ctx, box, id)
	return in, notices, err
}

// receive records the delivery of the sent message m at date: the proof of receipt on the
// sender's copy, the status and receipt date on both copies.
func (s *Simulator) receive(ctx context.Context, m Message, date time.Time, reason string, now time.Time) ([]notice, error) {
	status, detail := StatusDelivered, "Przesyłka odebrana przez adresata "+date.Format(time.RFC3339)
	if reason == ReasonDeemed {
		status, detail = StatusDeemedDelivered, "Przesyłka nieodebrana: uznana za doręczoną po upływie 14 dni od udostępnienia "+m.Available.Format(time.RFC3339)+" (art. 41 ustawy o doręczeniach elektronicznych)"
	}
	ev := s.evidence(m, EvidenceProofOfReceipt, date, reason, detail)
	ev.Created = now
	m.Evidences = append(m.Evidences, ev)
	m.Status, m.Received = status, date
	if err := s.store.PutMessage(ctx, m); err != nil {
		return nil, fmt.Errorf("store message %s: %w", m.ID, err)
	}
	in, err := s.store.Message(ctx, m.To, m.ID)
	if err != nil {
		return nil, fmt.Errorf("addressee's copy of %s: %w", m.ID, err)
	}
	in.Status, in.Received = status, date
	if err := s.store.PutMessage(ctx, in); err != nil {
		return nil, fmt.Errorf("store message %s: %w", m.ID, err)
	}
	return []notice{evidenceNotice(m, ev)}, nil
}

func (s *Simulator) evidence(m Message, typ string, event time.Time, reason, detail string) Evidence {
	ev := Evidence{ID: uuid.NewString(), MessageID: m.ID, Type: typ, Created: s.Now(), Event: event,
		ReasonID: reason, From: m.From, To: m.To}
	if detail != "" {
		ev.ReasonDetails = []string{detail}
	}
	return ev
}

// evidenceNotice is the onEvidence callback for ev to the sender: the notification's id is
// the message's id and its type the evidence's id, as notificationInboxCallback describes
// them ("type: ID dowodu").
func evidenceNotice(m Message, ev Evidence) notice {
	return notice{box: m.From, kind: CallbackOnEvidence, body: statement{EDeliveryAddress: m.From,
		NotificationType: "NewEvidence", Notification: []notificationItem{{ID: m.ID, Type: ev.ID}}}}
}

// Subscribe sets the callback URLs of box (by callback name; others are kept) and turns
// the subscription on. ErrInvalid for an unknown callback or a URL that is not absolute
// http(s).
func (s *Simulator) Subscribe(ctx context.Context, box string, urls map[string]string) (Subscription, error) {
	for kind, u := range urls {
		if !slices.Contains(callbackNames, kind) {
			return Subscription{}, fmt.Errorf("unknown callback %q: %w", kind, ErrInvalid)
		}
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return Subscription{}, fmt.Errorf("callback %s URL %q is not an absolute http(s) URL: %w", kind, u, ErrInvalid)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, err := s.store.Subscription(ctx, box)
	if errors.Is(err, ErrNotFound) {
		sub, err = Subscription{Box: box, ID: uuid.NewString(), URLs: map[string]string{}}, nil
	}
	if err != nil {
		return Subscription{}, fmt.Errorf("subscription of %s: %w", box, err)
	}
	for kind, u := range urls {
		sub.URLs[kind] = u
	}
	sub.On = true
	if err := s.store.PutSubscription(ctx, sub); err != nil {
		return Subscription{}, fmt.Errorf("store subscription of %s: %w", box, err)
	}
	return sub, nil
}

// callbackNames are the callbacks of SubscriptionCreate, every one of which the simulator
// calls.
var callbackNames = []string{CallbackOnMessage, CallbackOnEvidence, CallbackOnArchiveCreated, CallbackOnMessageCreated, CallbackOnInbox}

// newToken returns a random bearer token.
func newToken() string { return rand.Text() }
