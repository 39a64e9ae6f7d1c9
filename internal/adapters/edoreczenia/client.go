package edoreczenia

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha3"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// Scopes of the API.
const (
	ScopeReadMessages  = "read_messages"
	ScopeWriteMessages = "write_messages"
	ScopeReadSettings  = "read_settings"
	ScopeWriteSettings = "write_settings"
)

// Evidence types obieg reads.
const (
	TypeSubmissionAcceptance = "A.1"   // the service accepted the message (ETSI EN 319 522)
	TypeSubmissionRejection  = "A.2"   // the service refused it
	TypeProofOfReceipt       = "BP.OX" // dowód otrzymania: collected or deemed delivered
)

// ReasonDeemed is the reasonId of a proof of receipt issued because the addressee did not
// collect the item within 14 days of its availability (art. 41 of the act on electronic
// delivery).
const ReasonDeemed = "UZNANA_ZA_DORECZONA"

// Config is what a Client needs. BaseURL, TokenURL, ClientID, Address and exactly one of
// ClientSecret and Key are required.
type Config struct {
	// BaseURL is the root of the API, the document's server: "https://host/api/v1".
	BaseURL string
	// TokenURL is the OAuth2 token endpoint of the authorisation server.
	TokenURL string
	ClientID string
	// ClientSecret authenticates the client at the token endpoint: HTTP Basic, or in the
	// form if the server refuses Basic (x/oauth2's detection).
	ClientSecret string
	// Key, instead of ClientSecret, authenticates the client with a JWT it signs
	// (private_key_jwt, RFC 7523 section 2.2): an *rsa.PrivateKey of 2048 bits or more
	// (RS256) or an *ecdsa.PrivateKey on P-256 (ES256); see LoadKey. KeyID, if the service
	// registered the key under one, goes into the JWT's kid header.
	Key   crypto.Signer
	KeyID string
	// Now is the clock client assertions are dated by; nil is time.Now.
	Now func() time.Time
	// Scopes asked for; none asks for whatever the client is granted.
	Scopes []string
	// Address is the office's electronic delivery address, AE:PL-12345-67890-ABCDE-12.
	Address string
	// HTTPClient carries the token and API requests (its Transport and Timeout); nil is a
	// client with a 60-second timeout.
	HTTPClient *http.Client
	// Poll is how the sending task is polled; its zero fields take the defaults.
	Poll Backoff
}

// Backoff is exponential backoff with jitter: the first wait is Initial, each next one
// Factor times longer up to Max, each drawn uniformly from its upper half.
type Backoff struct {
	Initial time.Duration // default 1s
	Max     time.Duration // default 1m
	Factor  float64       // default 2
}

func (b Backoff) withDefaults() Backoff {
	if b.Initial <= 0 {
		b.Initial = time.Second
	}
	if b.Max <= 0 {
		b.Max = time.Minute
	}
	if b.Max < b.Initial {
		b.Max = b.Initial
	}
	if b.Factor < 1 {
		b.Factor = 2
	}
	return b
}

// Client sends letters through e-Doręczenia from one mailbox and reads their evidences.
// It is safe for concurrent use.
type Client struct {
	base    string // BaseURL + "/" + escaped address
	address string
	http    *http.Client
	poll    Backoff
}

// New returns a client for cfg. Tokens are obtained with the OAuth2 client_credentials
// grant (golang.org/x/oauth2/clientcredentials), cached and renewed before they expire. With
// a Key, each token request carries a fresh client assertion (client_assertion_type
// AssertionType) signed with it, valid for AssertionLifetime, and no secret.
func New(cfg Config) (*Client, error) {
	switch {
	case cfg.BaseURL == "", cfg.TokenURL == "", cfg.ClientID == "", cfg.Address == "":
		return nil, errors.New("edoreczenia: BaseURL, TokenURL, ClientID and Address are required")
	case (cfg.ClientSecret == "") == (cfg.Key == nil):
		return nil, errors.New("edoreczenia: exactly one of ClientSecret and Key is required")
	case cfg.KeyID != "" && cfg.Key == nil:
		return nil, errors.New("edoreczenia: KeyID without a Key")
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: time.Minute}
	}
	// The token source keeps this context for every token request: it only carries hc.
	tokenCtx := context.WithValue(context.Background(), oauth2.HTTPClient, hc)
	var src oauth2.TokenSource
	if cfg.Key != nil {
		method, err := assertionMethod(cfg.Key)
		if err != nil {
			return nil, err
		}
		now := cfg.Now
		if now == nil {
			now = time.Now
		}
		src = oauth2.ReuseTokenSource(nil, &assertionSource{ctx: tokenCtx, clientID: cfg.ClientID, tokenURL: cfg.TokenURL,
			scopes: cfg.Scopes, key: cfg.Key, method: method, keyID: cfg.KeyID, now: now})
	} else {
		cc := clientcredentials.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, TokenURL: cfg.TokenURL, Scopes: cfg.Scopes}
		src = cc.TokenSource(tokenCtx)
	}
	api := &http.Client{
		Transport: &oauth2.Transport{Source: src, Base: hc.Transport},
		Timeout:   hc.Timeout,
	}
	return &Client{
		base:    strings.TrimRight(cfg.BaseURL, "/") + "/" + url.PathEscape(cfg.Address),
		address: cfg.Address,
		http:    api,
		poll:    cfg.Poll.withDefaults(),
	}, nil
}

// Attachment is a file of a letter.
type Attachment struct {
	Name        string
	ContentType string // default application/octet-stream
	Data        []byte
}

// Message is a letter to one addressee.
type Message struct {
	Recipient   string // electronic delivery address, AE:PL-...
	Subject     string
	CaseID      string // the case reference (znak sprawy), messageMetadata.caseId; optional
	Text        string // textBody, at most MaxTextBody characters
	Attachments []Attachment
}

// MaxTextBody is the most characters a message's text may have: the contract's
// Message.textBody maxLength, which counts characters, not bytes (a Polish letter is two
// bytes in UTF-8).
const MaxTextBody = 5000

// Sent is a letter the service accepted.
type Sent struct {
	MessageID string
	TaskID    string
	Status    string // the message status when the task finished, "Czeka na doręczenie"
}

// maxInline is the largest attachment sent inline as Base64 in JSON; larger ones go
// through the multipart upload, as the operator's design asks for files over 15 MB.
const maxInline = 15 << 20

// Send sends m: it creates a draft, adds the attachments (each with its SHA3-256, as the
// contract wants; those over 15 MB by multipart upload, whose answered hash is checked),
// sends the draft and polls the sending task with exponential backoff until the service
// has processed it or ctx ends: Draft, then SendDraft, then Wait. A refused sending is a
// *RejectedError (ErrRejected); an error answer is an *APIError.
//
// Send is not idempotent: repeated after an error, it may send the letter twice. A caller
// that retries (a Temporal activity) calls the three steps itself and records the draft's
// and the task's ids between them (heartbeat details), so that a retry resumes: a draft
// already sent is ErrNotFound to SendDraft, and Wait can be called again at any time.
func (c *Client) Send(ctx context.Context, m Message) (Sent, error) {
	draftID, err := c.Draft(ctx, m)
	if err != nil {
		return Sent{}, err
	}
	taskID, err := c.SendDraft(ctx, draftID)
	if err != nil {
		return Sent{}, err
	}
	return c.Wait(ctx, draftID, taskID)
}

// Draft creates a draft of m with its attachments and returns its id, which is also the id
// of the message once sent. An error may leave a draft behind, never a sent letter.
func (c *Client) Draft(ctx context.Context, m Message) (string, error) {
	if n := utf8.RuneCountInString(m.Text); n > MaxTextBody {
		return "", fmt.Errorf("edoreczenia: create draft: text of %d characters, at most %d: %w", n, MaxTextBody, ErrInvalid)
	}
	md := map[string]any{
		"shippingService": "electronic",
		"to":              []map[string]string{{"eDeliveryAddress": m.Recipient}},
		"subject":         m.Subject,
	}
	if m.CaseID != "" {
		md["caseId"] = m.CaseID
	}
	draft := map[string]any{"messageMetadata": md}
	if m.Text != "" {
		draft["textBody"] = m.Text
	}
	var d struct {
		MessageID string `json:"messageId"`
	}
	if err := c.do(ctx, "create draft", http.MethodPost, "/drafts", draft, http.StatusOK, &d); err != nil {
		return "", err
	}
	if d.MessageID == "" {
		return "", fmt.Errorf("edoreczenia: create draft: no messageId in the answer")
	}
	for _, a := range m.Attachments {
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		sum := sha3.Sum256(a.Data)
		if len(a.Data) > maxInline {
			if err := c.upload(ctx, d.MessageID, a.Name, ct, a.Data, base64.StdEncoding.EncodeToString(sum[:])); err != nil {
				return d.MessageID, err
			}
			continue
		}
		body := map[string]any{
			"fileMetadata": map[string]any{
				"fileId": uuid.NewString(), "filename": a.Name, "contentType": ct, "size": len(a.Data),
				"alg": "SHA-3", "hash": base64.StdEncoding.EncodeToString(sum[:]),
			},
			"file": base64.StdEncoding.EncodeToString(a.Data),
		}
		if err := c.do(ctx, "add attachment "+a.Name, http.MethodPost, "/drafts/"+url.PathEscape(d.MessageID)+"/attachments", body, http.StatusOK, nil); err != nil {
			return d.MessageID, err
		}
	}
	return d.MessageID, nil
}

// SendDraft sends the draft draftID and returns the id of the sending task to Wait for.
// ErrNotFound if there is no such draft (it may have been sent already).
func (c *Client) SendDraft(ctx context.Context, draftID string) (string, error) {
	var info struct {
		MessageTaskID string `json:"messageTaskId"`
	}
	if err := c.do(ctx, "send draft", http.MethodPost, "/drafts/send", map[string]string{"messageId": draftID}, http.StatusAccepted, &info); err != nil {
		return "", err
	}
	if info.MessageTaskID == "" {
		return "", fmt.Errorf("edoreczenia: send draft %s: no messageTaskId in the answer", draftID)
	}
	return info.MessageTaskID, nil
}

// Wait polls the sending task taskID of the message messageID, with exponential backoff,
// until the service has processed it, and returns its outcome as Send does. A transient
// error (503, 429, 5xx) while polling is waited out like a PENDING answer; ctx bounds the
// whole wait. Call it to resume waiting for a task after Send returned ctx's error.
func (c *Client) Wait(ctx context.Context, messageID, taskID string) (Sent, error) {
	wait := c.poll.Initial
	for {
		var st struct {
			MessageTaskStatus string `json:"messageTaskStatus"`
		}
		err := c.do(ctx, "task status", http.MethodGet, "/messages/tasks/"+url.PathEscape(taskID)+"/status", nil, http.StatusOK, &st)
		if err != nil && !errors.Is(err, ErrTransient) {
			return Sent{}, err
		}
		if err == nil && st.MessageTaskStatus == "FINISHED" {
			sent, err := c.taskResult(ctx, messageID, taskID)
			if !errors.Is(err, ErrTransient) {
				return sent, err
			}
		}
		// Half the wait plus a random half: clients that started together drift apart.
		d := wait/2 + rand.N(wait/2+1)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return Sent{}, fmt.Errorf("edoreczenia: wait for task %s of message %s: %w", taskID, messageID, ctx.Err())
		case <-t.C:
		}
		wait = min(time.Duration(float64(wait)*c.poll.Factor), c.poll.Max)
	}
}

func (c *Client) taskResult(ctx context.Context, messageID, taskID string) (Sent, error) {
	var entries []struct {
		MessageID    string `json:"messageId"`
		AddresseeADE string `json:"addresseeAde"`
		Status       string `json:"status"`
		Error        string `json:"error"`
		Description  string `json:"error_description"`
	}
	if err := c.do(ctx, "task", http.MethodGet, "/messages/tasks/"+url.PathEscape(taskID), nil, http.StatusOK, &entries); err != nil {
		return Sent{}, err
	}
	if len(entries) == 0 {
		return Sent{}, fmt.Errorf("edoreczenia: task %s finished with no addressee", taskID)
	}
	e := entries[0]
	if e.MessageID == "" {
		e.MessageID = messageID
	}
	if e.Error != "" || e.Status == "Odrzucona" || e.Status == "Niedoręczona" {
		return Sent{}, &RejectedError{MessageID: e.MessageID, TaskID: taskID, Addressee: e.AddresseeADE,
			Status: e.Status, Code: e.Error, Description: e.Description}
	}
	return Sent{MessageID: e.MessageID, TaskID: taskID, Status: e.Status}, nil
}

// upload adds a large attachment by the multipart route. Its body has no hash field, so the
// hash the service answers is compared with ours (hash, Base64 of the SHA3-256): the file
// arrived whole.
func (c *Client) upload(ctx context.Context, draftID, name, contentType string, data []byte, hash string) error {
	op := "upload attachment " + name
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := func() error {
			for _, f := range [][2]string{{"filename", name}, {"contentType", contentType}, {"size", strconv.Itoa(len(data))}, {"alg", "SHA-3"}} {
				if err := mw.WriteField(f[0], f[1]); err != nil {
					return err
				}
			}
			fw, err := mw.CreateFormFile("file", name)
			if err != nil {
				return err
			}
			if _, err := fw.Write(data); err != nil {
				return err
			}
			return mw.Close()
		}()
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/"+url.PathEscape(draftID)+"/attachments/upload", pr)
	if err != nil {
		pr.Close()
		return fmt.Errorf("edoreczenia: %s: %w", op, err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/json")
	var fw struct {
		FileMetadata struct {
			Hash string `json:"hash"`
		} `json:"fileMetadata"`
	}
	if err := c.send(req, op, http.StatusOK, &fw); err != nil {
		return err
	}
	if got := fw.FileMetadata.Hash; got != "" && got != hash && !strings.EqualFold(got, hexOf(data)) {
		return fmt.Errorf("edoreczenia: %s: the service hashed it as %s, we as %s: the file did not arrive whole", op, got, hash)
	}
	return nil
}

func hexOf(data []byte) string {
	sum := sha3.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Evidence is a proof (dowód) about a sent message.
type Evidence struct {
	ID            string
	MessageID     string
	Type          string    // TypeSubmissionAcceptance, TypeProofOfReceipt, ...
	Created       time.Time // when the evidence was made
	Event         time.Time // what it attests: for a proof of receipt, the delivery date
	ReasonID      string
	ReasonDetails []string
}

// Evidences returns the evidences of the sent message messageID, oldest first.
// ErrNotFound if the mailbox has no such message.
func (c *Client) Evidences(ctx context.Context, messageID string) ([]Evidence, error) {
	var w struct {
		Evidences []struct {
			EvidenceID    string    `json:"evidenceId"`
			MessageID     string    `json:"messageId"`
			Type          string    `json:"type"`
			CreateDate    time.Time `json:"createDate"`
			EventDate     time.Time `json:"eventDate"`
			ReasonID      string    `json:"reasonId"`
			ReasonDetails []string  `json:"reasonDetails"`
		} `json:"evidences"`
	}
	if err := c.do(ctx, "evidences of "+messageID, http.MethodGet, "/messages/"+url.PathEscape(messageID)+"/evidences?sortColumn=eventDate&sortDirection=asc", nil, http.StatusOK, &w); err != nil {
		return nil, err
	}
	out := make([]Evidence, 0, len(w.Evidences))
	for _, e := range w.Evidences {
		out = append(out, Evidence{ID: e.EvidenceID, MessageID: e.MessageID, Type: e.Type, Created: e.CreateDate,
			Event: e.EventDate, ReasonID: e.ReasonID, ReasonDetails: e.ReasonDetails})
	}
	return out, nil
}

// Message types of an evidence document (GET /evidences/{messageType}/{evidenceId}): the
// electronic registered delivery (PURDE), through which obieg sends, and the hybrid postal
// service (PUH).
const (
	MessageTypePURDE = "purde"
	MessageTypePUH   = "puh"
)

// MaxEvidenceFile is the largest evidence document EvidenceFile accepts: a proof of receipt
// is a signed XML of a few kilobytes.
const MaxEvidenceFile = 4 << 20

// EvidenceFile downloads the document of the evidence evidenceID about a message sent with
// messageType (MessageTypePURDE for what Send sends): for a proof of receipt, the signed XML
// that attests the delivery, exactly as the service answers it. ErrNotFound if the mailbox
// has no such evidence, ErrTooLarge if the document is over MaxEvidenceFile bytes; other
// errors as Evidences. It neither parses nor verifies the document.
func (c *Client) EvidenceFile(ctx context.Context, messageType, evidenceID string) ([]byte, error) {
	op := "evidence document " + evidenceID
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/evidences/"+url.PathEscape(messageType)+"/"+url.PathEscape(evidenceID), nil)
	if err != nil {
		return nil, fmt.Errorf("edoreczenia: %s: %w", op, err)
	}
	req.Header.Set("Accept", "application/octet-stream, application/json")
	return c.exchange(req, op, http.StatusOK, MaxEvidenceFile)
}

// Delivery is when a letter counts as delivered: the start of appeal periods.
type Delivery struct {
	Date       time.Time
	Deemed     bool // not collected: deemed delivered 14 days after availability
	EvidenceID string
}

// Delivered finds the proof of receipt among evs; ok is false when there is none yet.
// Both "BP.OX" and the contract's undotted spelling "BPOX" count.
func Delivered(evs []Evidence) (d Delivery, ok bool) {
	for _, e := range evs {
		if e.Type == TypeProofOfReceipt || e.Type == "BPOX" {
			return Delivery{Date: e.Event, Deemed: e.ReasonID == ReasonDeemed, EvidenceID: e.ID}, true
		}
	}
	return Delivery{}, false
}

// Message statuses (MessageControlData.status) that mean delivery.
const (
	StatusDelivered       = "Doręczona"
	StatusDeemedDelivered = "Uznana za doręczoną"
)

// State is where a sent message stands, from its control data and metadata.
type State struct {
	Status        string    // MessageControlData.status, "Czeka na doręczenie", "Doręczona", ...
	ReceiptDate   time.Time // MessageMetadata.receiptDate: the delivery date, once delivered
	DaysToReceive int       // days until deemed delivery, while waiting (0 if not given)
	Delivered     bool      // Status is StatusDelivered or StatusDeemedDelivered
	Deemed        bool      // Status is StatusDeemedDelivered
}

// State returns the state of the sent message messageID (GET /messages/{id} in the metadata
// format, which does not count as opening it). It tells a deemed delivery by the status the
// contract defines, where Delivered relies on the evidence's reason. ErrNotFound if the
// mailbox has no such message.
func (c *Client) State(ctx context.Context, messageID string) (State, error) {
	var msgs []struct {
		MessageControlData struct {
			Status        string `json:"status"`
			DaysToReceive int    `json:"daysToReceive"`
		} `json:"messageControlData"`
		MessageMetadata struct {
			ReceiptDate time.Time `json:"receiptDate"`
		} `json:"messageMetadata"`
	}
	if err := c.do(ctx, "message "+messageID, http.MethodGet, "/messages/"+url.PathEscape(messageID)+"?format=metadata", nil, http.StatusOK, &msgs); err != nil {
		return State{}, err
	}
	if len(msgs) != 1 {
		return State{}, fmt.Errorf("edoreczenia: message %s: got %d messages in the answer, want 1", messageID, len(msgs))
	}
	m := msgs[0]
	st := m.MessageControlData.Status
	return State{Status: st, ReceiptDate: m.MessageMetadata.ReceiptDate, DaysToReceive: m.MessageControlData.DaysToReceive,
		Delivered: st == StatusDelivered || st == StatusDeemedDelivered, Deemed: st == StatusDeemedDelivered}, nil
}

// Event is a subscription callback.
type Event string

const (
	OnMessage        Event = "onMessage"        // a message arrived in the mailbox
	OnEvidence       Event = "onEvidence"       // an evidence about a sent message was issued
	OnInbox          Event = "onInbox"          // the service finished handing a message to the mailbox
	OnMessageCreated Event = "onMessageCreated" // a sending task finished (MessageCreatedStatement)
	OnArchiveCreated Event = "onArchiveCreated" // an archive of messages is ready (ArchiveStatement)
)

// callbackFields are the SubscriptionCreate fields of each event.
var callbackFields = map[Event]string{OnMessage: "messageCallbackUrl", OnEvidence: "evidenceCallbackUrl",
	OnInbox: "inboxCallbackUrl", OnMessageCreated: "messageCreatedCallbackUrl", OnArchiveCreated: "archiveCreatedCallbackUrl"}

// Subscribe asks the service to POST a MessageStatement to callbackURL on each of events,
// and returns the subscription's id. ErrInvalid for an unknown event or a URL the service
// refuses.
func (c *Client) Subscribe(ctx context.Context, callbackURL string, events ...Event) (string, error) {
	if len(events) == 0 {
		return "", fmt.Errorf("edoreczenia: subscribe: no event: %w", ErrInvalid)
	}
	urls := map[Event]string{}
	for _, e := range events {
		urls[e] = callbackURL
	}
	return c.SubscribeEach(ctx, urls)
}

// SubscribeEach is Subscribe with a callback URL of its own for each event: the callback's
// body does not say which event it reports (notificationType has no declared values), its
// URL can.
func (c *Client) SubscribeEach(ctx context.Context, urls map[Event]string) (string, error) {
	if len(urls) == 0 {
		return "", fmt.Errorf("edoreczenia: subscribe: no event: %w", ErrInvalid)
	}
	body := map[string]string{}
	for e, u := range urls {
		field, ok := callbackFields[e]
		if !ok {
			return "", fmt.Errorf("edoreczenia: subscribe: unknown event %q: %w", e, ErrInvalid)
		}
		body[field] = u
	}
	var r struct {
		SubscriptionID string `json:"subscriptionId"`
	}
	if err := c.do(ctx, "subscribe", http.MethodPut, "/message_subscriptions", body, http.StatusOK, &r); err != nil {
		return "", err
	}
	return r.SubscriptionID, nil
}

// Statement is the body of an onMessage, onEvidence or onInbox callback (MessageStatement);
// of the other callbacks' statements it reads the address and the notification type.
type Statement struct {
	EDeliveryAddress string `json:"eDeliveryAddress"`
	NotificationType string `json:"notificationType"`
	Notification     []struct {
		ID       string `json:"id"`
		ThreadID string `json:"threadId,omitempty"`
		Type     string `json:"type,omitempty"`
	} `json:"notification"`
}

// ParseStatement decodes a callback body of at most 1 MiB.
func ParseStatement(r io.Reader) (Statement, error) {
	var s Statement
	if err := json.NewDecoder(io.LimitReader(r, 1<<20)).Decode(&s); err != nil {
		return Statement{}, fmt.Errorf("edoreczenia: callback body: %w", err)
	}
	if s.EDeliveryAddress == "" || s.NotificationType == "" {
		return Statement{}, fmt.Errorf("edoreczenia: callback body without eDeliveryAddress or notificationType: %w", ErrInvalid)
	}
	return s, nil
}

// do makes a JSON request to path under the mailbox and decodes a want answer into out.
func (c *Client) do(ctx context.Context, op, method, path string, in any, want int, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("edoreczenia: %s: %w", op, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return fmt.Errorf("edoreczenia: %s: %w", op, err)
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.send(req, op, want, out)
}

// send makes req and decodes a want answer into out, or returns the error answer.
func (c *Client) send(req *http.Request, op string, want int, out any) error {
	b, err := c.exchange(req, op, want, 64<<20)
	if err != nil {
		return err
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("edoreczenia: %s: decode answer: %w", op, err)
		}
	}
	return nil
}

// exchange makes req and returns the body of a want answer of at most limit bytes (a larger
// one is ErrTooLarge), or the error answer.
func (c *Client) exchange(req *http.Request, op string, want int, limit int64) ([]byte, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		if re := (*oauth2.RetrieveError)(nil); errors.As(err, &re) {
			status := http.StatusUnauthorized
			if re.Response != nil {
				status = re.Response.StatusCode
			}
			return nil, fmt.Errorf("edoreczenia: token: %w", &APIError{Op: op + ": token", Status: status, Code: re.ErrorCode, Description: re.ErrorDescription})
		}
		return nil, fmt.Errorf("edoreczenia: %s: %w", op, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("edoreczenia: %s: read answer: %w", op, err)
	}
	if resp.StatusCode != want {
		e := &APIError{Op: op, Status: resp.StatusCode}
		var infos []struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
			MessageID   string `json:"messageId"`
		}
		if json.Unmarshal(b, &infos) == nil && len(infos) > 0 {
			e.Code, e.Description, e.MessageID = infos[0].Error, infos[0].Description, infos[0].MessageID
		}
		return nil, e
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("edoreczenia: %s: answer over %d bytes: %w", op, limit, ErrTooLarge)
	}
	return b, nil
}
