package edoreczeniasim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"
)

// CallbackRetry is how the simulator retries a callback whose receiver failed (no answer,
// 429 or 5xx): Attempts in all, the n-th retry First·2^(n-1) after the failure, at most
// Max. Another 4xx answer refuses the statement itself and is not retried.
type CallbackRetry struct {
	Attempts   int
	First, Max time.Duration
}

// DefaultCallbackRetry makes 8 attempts over about two minutes.
var DefaultCallbackRetry = CallbackRetry{Attempts: 8, First: time.Second, Max: time.Minute}

// WithCallbackRetry sets how failed callbacks are retried.
func WithCallbackRetry(r CallbackRetry) Option { return func(s *Simulator) { s.retry = r } }

func (r CallbackRetry) after(failures int) time.Duration {
	d := r.First
	for i := 1; i < failures && d < r.Max; i++ {
		d *= 2
	}
	return min(d, r.Max)
}

// outgoing is a callback to make: the statement's bytes are fixed when it is queued, so
// that every attempt sends the same body.
type outgoing struct {
	id        string // the notification's id, told to the receiver in Notification-Id
	box, kind string
	url       string
	body      []byte
	failures  int
	due       time.Time
}

// createdStatement is MessageCreatedStatement, the body of onMessageCreated.
type createdStatement struct {
	EDeliveryAddress string        `json:"eDeliveryAddress"`
	NotificationType string        `json:"notificationType"`
	Notification     []createdItem `json:"notification"`
}

type createdItem struct {
	MessageTaskID string           `json:"messageTaskId"`
	Messages      []map[string]any `json:"messages"`
}

// archiveStatement is ArchiveStatement, the body of onArchiveCreated.
type archiveStatement struct {
	EDeliveryAddress string           `json:"eDeliveryAddress"`
	NotificationType string           `json:"notificationType"`
	Notification     []map[string]any `json:"notification"`
}

// archiveNotice is the onArchiveCreated callback for the archive t of box.
func (s *Simulator) archiveNotice(box string, t *archiveTask) *notice {
	return &notice{box: box, kind: CallbackOnArchiveCreated, body: archiveStatement{EDeliveryAddress: box,
		NotificationType: "ArchiveCreated", Notification: []map[string]any{t.json(s.Now())}}}
}

// notify queues the callbacks of notices for the mailboxes whose subscription is on and
// names a URL for their kind, then makes those due (deliver).
func (s *Simulator) notify(ctx context.Context, notices []notice) {
	now := s.Now()
	for _, n := range notices {
		sub, err := s.store.Subscription(ctx, n.box)
		if err != nil || !sub.On || sub.URLs[n.kind] == "" {
			continue
		}
		b, err := json.Marshal(n.body)
		if err != nil {
			s.log.Error("callback body", "callback", n.kind, "err", err)
			continue
		}
		s.outMu.Lock()
		s.outbox = append(s.outbox, &outgoing{id: uuid.NewString(), box: n.box, kind: n.kind, url: sub.URLs[n.kind], body: b, due: now})
		s.outMu.Unlock()
	}
	s.deliver(ctx)
}

// deliver makes every queued callback that is due. One that fails is retried after a
// backoff (CallbackRetry) at a later Tick, until its attempts are spent; then it is
// logged and dropped.
func (s *Simulator) deliver(ctx context.Context) {
	now := s.Now()
	s.outMu.Lock()
	var due []*outgoing
	s.outbox = slices.DeleteFunc(s.outbox, func(o *outgoing) bool {
		if o.due.After(now) {
			return false
		}
		due = append(due, o)
		return true
	})
	s.outMu.Unlock()
	for _, o := range due {
		retry, err := s.post(ctx, o)
		if err == nil {
			continue
		}
		o.failures++
		if !retry || o.failures >= s.retry.Attempts {
			s.log.Warn("callback given up", "mailbox", o.box, "callback", o.kind, "notification_id", o.id, "attempts", o.failures, "err", err)
			continue
		}
		o.due = s.Now().Add(s.retry.after(o.failures))
		s.log.Info("callback failed, will retry", "mailbox", o.box, "callback", o.kind, "notification_id", o.id,
			"attempt", o.failures, "retry_at", o.due, "err", err)
		s.outMu.Lock()
		s.outbox = append(s.outbox, o)
		s.outMu.Unlock()
	}
}

// PendingCallbacks returns how many callbacks wait to be retried.
func (s *Simulator) PendingCallbacks() int {
	s.outMu.Lock()
	defer s.outMu.Unlock()
	return len(s.outbox)
}

// post makes one attempt of o; retry tells whether a failure is worth another.
func (s *Simulator) post(ctx context.Context, o *outgoing) (retry bool, err error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.url, bytes.NewReader(o.body))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/json")
	// Not in the contract: lets a receiver tell a repeated notification from a new one.
	req.Header.Set("Notification-Id", o.id)
	resp, err := s.http.Do(req)
	if err != nil {
		return true, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return false, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return true, fmt.Errorf("POST %s: %s", o.url, resp.Status)
	default:
		return false, fmt.Errorf("POST %s: %s: the receiver refused the statement", o.url, resp.Status)
	}
}
