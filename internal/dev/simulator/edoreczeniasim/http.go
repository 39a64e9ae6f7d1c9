package edoreczeniasim

import (
	"github.com/obieg/obieg/internal/dev/simulator/faults"

	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// APIPrefix is where the User Agent API is served (the document's servers: /api/v1).
const APIPrefix = "/api/v1"

// TokenPath is the OAuth2 token endpoint (client_credentials grant).
const TokenPath = "/oauth2/token"

// maxBody caps a JSON request body: the largest inline attachment in Base64 plus room.
const maxBody = MaxInlineAttachment*4/3 + 1<<20

// Handler returns the HTTP handler of the token endpoint and the User Agent API (see the
// package documentation). The simulator's control routes are not in it: they are
// ControlHandler, served on a listener of their own.
func (s *Simulator) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+TokenPath, s.handleToken)
	a := APIPrefix + "/{eDeliveryAddress}"
	mux.Handle("POST "+a+"/drafts", s.api(ScopeWriteMessages, s.handleCreateDraft))
	mux.Handle("POST "+a+"/drafts/send", s.api(ScopeWriteMessages, s.handleSend))
	mux.Handle("POST "+a+"/drafts/{messageId}/attachments", s.api(ScopeWriteMessages, s.handleAddAttachment))
	mux.Handle("POST "+a+"/{messageId}/attachments/upload", s.api(ScopeWriteMessages, s.handleUpload))
	mux.Handle("GET "+a+"/messages", s.api(ScopeReadMessages, s.handleMessages))
	mux.Handle("GET "+a+"/messages/evidences", s.api(ScopeReadMessages, s.handleAllEvidences))
	mux.Handle("GET "+a+"/messages/{messageId}", s.api(ScopeReadMessages, s.handleMessage))
	// messages/tasks/{messageTaskId}, messages/{messageId}/evidences and
	// messages/{messageId}/message-archive-file overlap for the standard mux
	// (".../messages/tasks/evidences"), so one handler tells them apart; a message id is a
	// UUID, never "tasks" or "evidences".
	mux.Handle("GET "+a+"/messages/{first}/{second}", s.api(ScopeReadMessages, s.handleMessagesSub))
	mux.Handle("GET "+a+"/messages/tasks/{messageTaskId}/status", s.api(ScopeReadMessages, s.handleTaskStatus))
	// Likewise evidences/{messageType}/{evidenceId}, evidences/puhepo/{messageId} and
	// evidences/{messageId}/technical-evidences-file.
	mux.Handle("GET "+a+"/evidences/{first}/{second}", s.api(ScopeReadMessages, s.handleEvidencesSub))
	mux.Handle("PUT "+a+"/message_subscriptions", s.api(ScopeWriteSettings, s.handleSubscribe))
	mux.Handle("GET "+a+"/message_subscriptions", s.api(ScopeReadSettings, s.handleSubscriptions))
	mux.Handle("PATCH "+a+"/message_subscriptions", s.api(ScopeWriteSettings, s.handleSubscriptionSwitch))
	mux.Handle("DELETE "+a+"/message_subscriptions", s.api(ScopeWriteSettings, s.handleUnsubscribe))
	s.moreRoutes(mux, a)
	// Anything else under the API is an operation the contract does not have: the contract's
	// error shape, not the mux's plain text.
	mux.HandleFunc(APIPrefix+"/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "Operacja "+r.Method+" "+r.URL.Path+" nie istnieje w User Agent API 3.0.8")
	})
	return mux
}

// ControlHandler returns the handler of the simulator's own routes under SimPrefix
// (mailboxes, clients, clock, faults). They need no token and can register a client with
// every scope: serve them only on a listener that the API's clients cannot reach.
func (s *Simulator) ControlHandler() http.Handler {
	mux := http.NewServeMux()
	s.simRoutes(mux)
	return mux
}

// errorInfo is the contract's ErrorInfo; error answers are arrays of it.
type errorInfo struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
	MessageID   string `json:"messageId,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, []errorInfo{{Error: code, Description: desc}})
}

// fail answers err: the contract declares only 400 for errors, so a missing resource and a
// bad request are both 400, told apart by the error code.
func (s *Simulator) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		writeError(w, http.StatusBadRequest, "NOT_FOUND", err.Error())
	case errors.Is(err, ErrInvalid):
		writeError(w, http.StatusBadRequest, "INVALID_REQUEST", err.Error())
	case errors.Is(err, ErrConflict):
		writeError(w, http.StatusBadRequest, "CONFLICT", err.Error())
	default:
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError, "INTERNAL_ERROR", "Błąd wewnętrzny symulatora")
	}
}

// api wraps an API handler: injected faults, the bearer token (401 invalid_token), its
// scope (403 insufficient_scope), the client's right to the mailbox in the path and the
// mailbox's existence (403), then what is due (Tick).
func (s *Simulator) api(scope string, h func(http.ResponseWriter, *http.Request, string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := faults.Delay(r.Context(), s.faults.Get().Latency); err != nil {
			return
		}
		if s.faults.Roll(func(f Faults) float64 { return f.Error503 }) {
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE", "Usługa chwilowo niedostępna")
			return
		}
		box := r.PathValue("eDeliveryAddress")
		raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		s.authMu.Lock()
		tok, known := s.tokens[raw]
		client := s.clients[tok.client]
		s.authMu.Unlock()
		switch {
		case !ok || !known || !s.wall().Before(tok.expires):
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			writeError(w, http.StatusUnauthorized, "invalid_token", "Brak ważnego tokenu dostępowego")
			return
		case !slices.Contains(tok.scopes, scope):
			w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer error="insufficient_scope", scope=%q`, scope))
			writeError(w, http.StatusForbidden, "insufficient_scope", "Token nie obejmuje zakresu "+scope)
			return
		case box == "": // an operation of no mailbox (the dictionary)
		case !slices.Contains(client.Addresses, box):
			writeError(w, http.StatusForbidden, "access_denied", "Klient nie ma dostępu do skrzynki "+box)
			return
		}
		if _, err := s.store.Mailbox(r.Context(), box); box != "" && err != nil {
			if errors.Is(err, ErrNotFound) {
				writeError(w, http.StatusForbidden, "access_denied", "Skrzynka "+box+" nie istnieje")
				return
			}
			s.fail(w, r, err)
			return
		}
		if err := s.Tick(r.Context()); err != nil {
			s.fail(w, r, err)
			return
		}
		h(w, r, box)
	})
}

// handleToken is the OAuth2 token endpoint: grant_type=client_credentials, the client
// authenticated with its secret, by HTTP Basic (RFC 6749 2.3.1, form-encoded id and
// secret) or client_id/client_secret in the body, or with a JWT signed by its key,
// client_assertion_type AssertionType and client_assertion (RFC 7523 2.2; see
// authenticateAssertion); scope optional (all the client's scopes). A client registered
// with a key cannot use a secret, nor one with a secret an assertion; more than one
// method in a request is invalid_request.
func (s *Simulator) handleToken(w http.ResponseWriter, r *http.Request) {
	oauthErr := func(status int, code, desc string) {
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Basic realm="e-Doreczenia"`)
		}
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		oauthErr(http.StatusBadRequest, "invalid_request", "malformed form")
		return
	}
	id, secret, basic := r.BasicAuth()
	withAssertion := r.PostForm.Has("client_assertion") || r.PostForm.Has("client_assertion_type")
	if withAssertion && (basic || r.PostForm.Has("client_secret")) {
		oauthErr(http.StatusBadRequest, "invalid_request", "more than one client authentication method")
		return
	}
	var c Client
	if withAssertion {
		if typ := r.PostForm.Get("client_assertion_type"); typ != AssertionType {
			oauthErr(http.StatusUnauthorized, "invalid_client", "client_assertion_type must be "+AssertionType)
			return
		}
		var err error
		if c, err = s.authenticateAssertion(r, r.PostForm.Get("client_assertion"), r.PostForm.Get("client_id")); err != nil {
			s.log.Debug("client assertion refused", "err", err)
			oauthErr(http.StatusUnauthorized, "invalid_client", err.Error())
			return
		}
		id = c.ID
	} else {
		if basic {
			id, _ = url.QueryUnescape(id)
			secret, _ = url.QueryUnescape(secret)
		} else {
			id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		}
		var ok bool
		s.authMu.Lock()
		c, ok = s.clients[id]
		s.authMu.Unlock()
		if id == "" || !ok || c.Secret == "" || subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
			oauthErr(http.StatusUnauthorized, "invalid_client", "unknown client, wrong secret or a client that authenticates with a signed JWT")
			return
		}
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		oauthErr(http.StatusBadRequest, "unsupported_grant_type", "only client_credentials is supported, got "+strconv.Quote(gt))
		return
	}
	scopes := c.Scopes
	if sc := strings.Fields(r.PostForm.Get("scope")); len(sc) > 0 {
		for _, x := range sc {
			if !slices.Contains(c.Scopes, x) {
				oauthErr(http.StatusBadRequest, "invalid_scope", "scope "+x+" is not granted to "+id)
				return
			}
		}
		scopes = sc
	}
	raw := newToken()
	s.authMu.Lock()
	s.tokens[raw] = token{client: id, scopes: slices.Clone(scopes), expires: s.wall().Add(TokenLifetime)}
	s.authMu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{"access_token": raw, "token_type": "Bearer",
		"expires_in": int(TokenLifetime / time.Second), "scope": strings.Join(scopes, " ")})
}

// The contract's schemas, as far as the simulator reads or writes them.
type (
	addressData struct {
		EDeliveryAddress string `json:"eDeliveryAddress,omitempty"`
	}
	fileMetadata struct {
		FileID      string `json:"fileId"`
		Filename    string `json:"filename,omitempty"`
		ContentType string `json:"contentType,omitempty"`
		Size        *int64 `json:"size,omitempty"`
		Alg         string `json:"alg,omitempty"`
		Hash        string `json:"hash,omitempty"`
		Description string `json:"description,omitempty"`
	}
	fileData struct {
		FileMetadata *fileMetadata `json:"fileMetadata,omitempty"`
		File         *string       `json:"file,omitempty"` // Base64
	}
	attachmentJSON struct {
		Order        int       `json:"order,omitempty"`
		AttachmentID string    `json:"attachmentId,omitempty"`
		File         *fileData `json:"file,omitempty"`
	}
	labelJSON struct {
		Label    string `json:"label"`
		Location string `json:"messageLocation,omitempty"`
	}
	controlData struct {
		MessageTaskID string      `json:"messageTaskId,omitempty"`
		Opened        *bool       `json:"opened,omitempty"`
		Status        string      `json:"status,omitempty"`
		MessageType   string      `json:"messageType,omitempty"`
		DaysToReceive *int        `json:"daysToReceive,omitempty"`
		Labels        []labelJSON `json:"labels,omitempty"`
	}
	metadata struct {
		From            *addressData  `json:"from,omitempty"`
		To              []addressData `json:"to,omitempty"`
		Subject         string        `json:"subject,omitempty"`
		MessageID       string        `json:"messageId,omitempty"`
		CaseID          string        `json:"caseId,omitempty"`
		ThreadID        string        `json:"threadId,omitempty"`
		RefTo           string        `json:"refToMessageId,omitempty"`
		Timestamp       time.Time     `json:"timestamp,omitzero"`
		ReceiptDate     time.Time     `json:"receiptDate,omitzero"`
		SubmissionDate  time.Time     `json:"submissionDate,omitzero"`
		EventDate       time.Time     `json:"eventDate,omitzero"`
		ShippingService string        `json:"shippingService"`
	}
	messageJSON struct {
		ControlData *controlData     `json:"messageControlData,omitempty"`
		Metadata    *metadata        `json:"messageMetadata,omitempty"`
		TextBody    string           `json:"textBody,omitempty"`
		Attachments []attachmentJSON `json:"attachments,omitempty"`
		Evidences   []evidenceJSON   `json:"evidences,omitempty"`
	}
	evidenceJSON struct {
		EvidenceID    string       `json:"evidenceId"`
		MessageID     string       `json:"messageId"`
		CreateDate    time.Time    `json:"createDate,omitzero"`
		EventDate     time.Time    `json:"eventDate,omitzero"`
		ReasonDetails []string     `json:"reasonDetails,omitempty"`
		ReasonID      string       `json:"reasonId,omitempty"`
		Downloaded    bool         `json:"downloaded"`
		Type          string       `json:"type"`
		From          *addressData `json:"from,omitempty"`
		To            *addressData `json:"to,omitempty"`
	}
	// statement is MessageStatement, the body of the onMessage and onEvidence callbacks.
	statement struct {
		EDeliveryAddress string             `json:"eDeliveryAddress"`
		NotificationType string             `json:"notificationType"`
		Notification     []notificationItem `json:"notification,omitempty"`
	}
	notificationItem struct {
		ID       string `json:"id"`
		ThreadID string `json:"threadId,omitempty"`
		Type     string `json:"type,omitempty"`
	}
)

// decode reads a JSON body of at most maxBody bytes into v.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		return fmt.Errorf("request body: %v: %w", err, ErrInvalid)
	}
	return nil
}

func (s *Simulator) handleCreateDraft(w http.ResponseWriter, r *http.Request, box string) {
	_, d, err := s.draftFrom(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	draft, err := s.CreateDraft(r.Context(), box, d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"messageId": draft.ID})
}

func (s *Simulator) handleAddAttachment(w http.ResponseWriter, r *http.Request, box string) {
	var fd fileData
	if err := decode(w, r, &fd); err != nil {
		s.fail(w, r, err)
		return
	}
	if fd.FileMetadata == nil || fd.File == nil {
		s.fail(w, r, fmt.Errorf("fileMetadata and file are required: %w", ErrInvalid))
		return
	}
	data, err := base64.StdEncoding.DecodeString(*fd.File)
	if err != nil {
		s.fail(w, r, fmt.Errorf("file is not Base64: %w", ErrInvalid))
		return
	}
	fm := fd.FileMetadata
	if fm.Size != nil && *fm.Size != int64(len(data)) {
		s.fail(w, r, fmt.Errorf("fileMetadata.size %d, file has %d bytes: %w", *fm.Size, len(data), ErrInvalid))
		return
	}
	a, err := s.AddAttachment(r.Context(), box, r.PathValue("messageId"), fm.Alg,
		Attachment{FileID: fm.FileID, Name: fm.Filename, ContentType: fm.ContentType, Hash: fm.Hash, Data: data})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"attachmentId": a.ID, "fileMetadata": fileMeta(a)})
}

// handleUpload takes a large attachment as multipart/form-data (AttachmentUploadRequestBody:
// filename, contentType, file required; size, alg, description optional).
func (s *Simulator) handleUpload(w http.ResponseWriter, r *http.Request, box string) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxUpload+1<<20)
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		s.fail(w, r, fmt.Errorf("multipart body: %v: %w", err, ErrInvalid))
		return
	}
	defer r.MultipartForm.RemoveAll()
	f, _, err := r.FormFile("file")
	if err != nil {
		s.fail(w, r, fmt.Errorf("file part: %v: %w", err, ErrInvalid))
		return
	}
	data, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		s.fail(w, r, fmt.Errorf("file part: %v: %w", err, ErrInvalid))
		return
	}
	if alg := r.FormValue("alg"); alg != "" && alg != "SHA-3" {
		s.fail(w, r, fmt.Errorf("alg %q, want SHA-3: %w", alg, ErrInvalid))
		return
	}
	if size := r.FormValue("size"); size != "" && size != strconv.Itoa(len(data)) {
		s.fail(w, r, fmt.Errorf("size %s, file has %d bytes: %w", size, len(data), ErrInvalid))
		return
	}
	if r.FormValue("contentType") == "" {
		s.fail(w, r, fmt.Errorf("contentType is required: %w", ErrInvalid))
		return
	}
	a, err := s.Upload(r.Context(), box, r.PathValue("messageId"),
		Attachment{Name: r.FormValue("filename"), ContentType: r.FormValue("contentType"), Data: data})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"attachmentId": a.ID, "fileMetadata": fileMeta(a)})
}

func fileMeta(a Attachment) *fileMetadata {
	size := int64(len(a.Data))
	return &fileMetadata{FileID: a.FileID, Filename: a.Name, ContentType: a.ContentType, Size: &size, Alg: "SHA-3", Hash: a.Hash}
}

func (s *Simulator) handleSend(w http.ResponseWriter, r *http.Request, box string) {
	var body struct {
		MessageID string `json:"messageId"`
	}
	if err := decode(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.MessageID == "" {
		s.fail(w, r, fmt.Errorf("messageId is required: %w", ErrInvalid))
		return
	}
	t, err := s.SendDraft(r.Context(), box, body.MessageID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"messageTaskId": t.ID})
}

func (s *Simulator) handleMessagesSub(w http.ResponseWriter, r *http.Request, box string) {
	first, second := r.PathValue("first"), r.PathValue("second")
	switch {
	case first == "tasks":
		s.handleTask(w, r, box, second)
	case second == "evidences":
		s.handleEvidences(w, r, box, first)
	case second == "message-archive-file":
		s.handleMessageArchiveFile(w, r, box, first)
	default:
		s.fail(w, r, fmt.Errorf("GET messages/%s/%s: %w", first, second, ErrNotFound))
	}
}

func (s *Simulator) handleTask(w http.ResponseWriter, r *http.Request, box, id string) {
	t, err := s.store.Task(r.Context(), box, id)
	if err != nil {
		s.fail(w, r, fmt.Errorf("task %s: %w", id, err))
		return
	}
	writeJSON(w, http.StatusOK, []any{taskEntry(t)})
}

// taskEntry is the contract's MessageOperationResponseWrapperStatus for t.
func taskEntry(t Task) map[string]any {
	entry := map[string]any{"messageId": t.MessageID, "addressee": addressData{t.Addressee},
		"addresseeAde": t.Addressee, "status": t.Status}
	if t.Error != "" {
		entry["error"], entry["error_description"] = t.Error, t.ErrorDesc
	}
	return entry
}

func (s *Simulator) handleTaskStatus(w http.ResponseWriter, r *http.Request, box string) {
	t, err := s.store.Task(r.Context(), box, r.PathValue("messageTaskId"))
	if err != nil {
		s.fail(w, r, fmt.Errorf("task: %w", err))
		return
	}
	st := "PENDING"
	if t.Finished {
		st = "FINISHED"
	}
	writeJSON(w, http.StatusOK, map[string]string{"messageTaskStatus": st})
}

// render writes m in a format of the contract: minimal (id, service), metadata (plus
// control data, addresses, subject, dates), full (plus text, attachments' metadata and
// evidences) or fullExtended (plus the attachments' content).
func (s *Simulator) render(m Message, format string) messageJSON {
	out := messageJSON{Metadata: &metadata{MessageID: m.ID, ShippingService: "electronic"}}
	if format == "minimal" {
		return out
	}
	opened := m.Opened
	cd := &controlData{MessageTaskID: m.TaskID, Opened: &opened, Status: m.Status, MessageType: "Message",
		Labels: []labelJSON{{Label: m.Label}}}
	if m.Folder != "" {
		cd.Labels = append(cd.Labels, labelJSON{Label: m.Folder, Location: m.Folder})
	}
	if m.Status == StatusWaiting {
		left := m.Available.Add(DeemedAfter).Sub(s.Now())
		days := int((left + 24*time.Hour - 1) / (24 * time.Hour)) // whole days, rounded up
		cd.DaysToReceive = &days
	}
	out.ControlData = cd
	md := out.Metadata
	md.From, md.To, md.Subject, md.CaseID = &addressData{m.From}, []addressData{{m.To}}, m.Subject, m.CaseID
	md.ThreadID, md.RefTo = cmpOr(m.ThreadID, m.ID), m.RefTo
	md.Timestamp, md.SubmissionDate, md.EventDate, md.ReceiptDate = m.Created, m.Submitted, m.Submitted, m.Received
	if format == "metadata" {
		return out
	}
	out.TextBody = m.Text
	for _, a := range m.Attachments {
		fd := &fileData{FileMetadata: fileMeta(a)}
		if format == "fullExtended" {
			b := base64.StdEncoding.EncodeToString(a.Data)
			fd.File = &b
		}
		out.Attachments = append(out.Attachments, attachmentJSON{Order: a.Order, AttachmentID: a.ID, File: fd})
	}
	for _, ev := range m.Evidences {
		out.Evidences = append(out.Evidences, renderEvidence(ev))
	}
	return out
}

func renderEvidence(ev Evidence) evidenceJSON {
	return evidenceJSON{EvidenceID: ev.ID, MessageID: ev.MessageID, CreateDate: ev.Created, EventDate: ev.Event,
		ReasonDetails: ev.ReasonDetails, ReasonID: ev.ReasonID, Downloaded: ev.Downloaded, Type: ev.Type,
		From: &addressData{ev.From}, To: &addressData{ev.To}}
}

// messageFilter is the selection of GET /messages (and GET /drafts): every filter the
// contract declares, applied together.
type messageFilter struct {
	sender, recipient, subject, label, shipping, massID string
	attachments, opened                                 *bool
	submission, event, receipt                          period
}

func optBool(q *query, name string) *bool {
	if v, ok := q.boolean(name); ok {
		return &v
	}
	return nil
}

// readMessageFilter reads the filters of GET /messages from q.
func readMessageFilter(q *query) messageFilter {
	f := messageFilter{sender: q.str("sender"), recipient: q.str("recipient"), subject: q.str("subject"),
		label: q.str("label"), massID: q.str("massMessageId"),
		shipping:    q.enum("shippingService", "", "electronic", "hybrid"),
		attachments: optBool(q, "attachments"), opened: optBool(q, "opened"),
		submission: q.period("submissionDateFrom", "submissionDateTo"),
		event:      q.period("eventDateFrom", "eventDateTo"),
		receipt:    q.period("receiptDateFrom", "receiptDateTo")}
	q.boolean("massMessagesGrouped") // no mass sending is simulated: nothing to group
	return f
}

// matches reports whether m passes f; names gives the mailboxes' owners by address, so that
// sender and recipient match a name as well as an address, as the contract says.
func (f messageFilter) matches(m Message, names func(string) string) bool {
	switch {
	case f.label != "" && m.Label != f.label && m.Folder != f.label,
		f.shipping == "hybrid", // the simulator delivers only electronically
		f.massID != "",         // and sends nothing in mass mode
		f.attachments != nil && (len(m.Attachments) > 0) != *f.attachments,
		f.opened != nil && m.Opened != *f.opened,
		!contains(f.subject, m.Subject),
		f.sender != "" && !contains(f.sender, m.From, names(m.From)),
		f.recipient != "" && !contains(f.recipient, m.To, names(m.To)),
		!f.submission.holds(m.Submitted), !f.event.holds(m.Submitted), !f.receipt.holds(m.Received):
		return false
	}
	return true
}

// messageOrder compares two messages by a sortColumn of the contract ("reciptDate" is
// spelled so in its enum).
func messageOrder(col string, names func(string) string) func(a, b Message) int {
	return func(a, b Message) int {
		switch col {
		case "sender":
			return strings.Compare(cmpOr(names(a.From), a.From), cmpOr(names(b.From), b.From))
		case "recipient":
			return strings.Compare(cmpOr(names(a.To), a.To), cmpOr(names(b.To), b.To))
		case "subject":
			return strings.Compare(strings.ToLower(a.Subject), strings.ToLower(b.Subject))
		case "submissionDate", "eventDate":
			return a.Submitted.Compare(b.Submitted)
		case "reciptDate":
			return a.Received.Compare(b.Received)
		default: // timestamp: when the message was made
			return a.Created.Compare(b.Created)
		}
	}
}

// mailboxNames returns the owner's name of an address, looked up once per address.
func (s *Simulator) mailboxNames(ctx context.Context) func(string) string {
	cache := map[string]string{}
	return func(a string) string {
		n, ok := cache[a]
		if !ok {
			if mb, err := s.store.Mailbox(ctx, a); err == nil {
				n = mb.Name
			}
			cache[a] = n
		}
		return n
	}
}

// listMessages answers a listing of box's messages (GET /messages, GET /drafts): q's
// paging, format, filters and sort applied, keep choosing which copies are listed at all.
func (s *Simulator) listMessages(w http.ResponseWriter, r *http.Request, box string, keep func(Message) bool, columns ...string) {
	q := newQuery(r.URL.Query())
	offset, limit := q.integer("offset", 0, 0, math.MaxInt32), q.integer("limit", 20, 1, 2000)
	format := q.enum("format", "minimal", "metadata", "minimal")
	f := readMessageFilter(q)
	col := q.enum("sortColumn", "", columns...)
	dir := q.enum("sortDirection", "asc", "asc", "desc")
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	msgs, err := s.store.Messages(r.Context(), box)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names := s.mailboxNames(r.Context())
	msgs = slices.DeleteFunc(msgs, func(m Message) bool { return !keep(m) || !f.matches(m, names) })
	if col != "" {
		cmp := messageOrder(col, names)
		slices.SortStableFunc(msgs, func(a, b Message) int {
			if dir == "desc" {
				return cmp(b, a)
			}
			return cmp(a, b)
		})
	} else if dir == "desc" {
		slices.Reverse(msgs)
	}
	total := len(msgs)
	page := []messageJSON{}
	for _, m := range msgs[min(offset, total):min(offset+limit, total)] {
		page = append(page, s.render(m, format))
	}
	writeJSON(w, http.StatusOK, map[string]any{"messages": page, "total": total, "resultSize": len(page)})
}

func (s *Simulator) handleMessages(w http.ResponseWriter, r *http.Request, box string) {
	s.listMessages(w, r, box, func(m Message) bool { return m.Label != LabelDrafts },
		"sender", "recipient", "subject", "submissionDate", "eventDate", "reciptDate", "timestamp")
}

func cmpOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// handleMessage answers GET /messages/{messageId}: messageId is a comma-separated list of
// up to 50 ids. Reading a received item in the full or fullExtended format opens it, as
// the contract defines opening, and so collects it (Collect).
func (s *Simulator) handleMessage(w http.ResponseWriter, r *http.Request, box string) {
	format := cmpOr(r.URL.Query().Get("format"), "full")
	if !slices.Contains([]string{"fullExtended", "full", "metadata", "minimal"}, format) {
		s.fail(w, r, fmt.Errorf("format %q: %w", format, ErrInvalid))
		return
	}
	ids := strings.Split(r.PathValue("messageId"), ",")
	if len(ids) > 50 {
		s.fail(w, r, fmt.Errorf("%d message ids, at most 50: %w", len(ids), ErrInvalid))
		return
	}
	out := []messageJSON{}
	for _, id := range ids {
		m, err := s.store.Message(r.Context(), box, id)
		if err == nil && m.Label == LabelDrafts {
			err = ErrNotFound
		}
		if err == nil && m.Label == LabelInbox && (format == "full" || format == "fullExtended") {
			m, err = s.Collect(r.Context(), box, id)
		}
		if err != nil {
			s.fail(w, r, fmt.Errorf("message %s: %w", id, err))
			return
		}
		out = append(out, s.render(m, format))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Simulator) handleEvidences(w http.ResponseWriter, r *http.Request, box, id string) {
	m, err := s.message(r.Context(), box, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.evidenceList(w, r, m.Evidences)
}

func (s *Simulator) handleSubscribe(w http.ResponseWriter, r *http.Request, box string) {
	var body struct {
		Message        string `json:"messageCallbackUrl"`
		MessageCreated string `json:"messageCreatedCallbackUrl"`
		ArchiveCreated string `json:"archiveCreatedCallbackUrl"`
		Evidence       string `json:"evidenceCallbackUrl"`
		Inbox          string `json:"inboxCallbackUrl"`
	}
	if err := decode(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	urls := map[string]string{}
	for kind, u := range map[string]string{CallbackOnMessage: body.Message, "onMessageCreated": body.MessageCreated,
		"onArchiveCreated": body.ArchiveCreated, CallbackOnEvidence: body.Evidence, "onInbox": body.Inbox} {
		if u != "" {
			urls[kind] = u
		}
	}
	if len(urls) == 0 {
		s.fail(w, r, fmt.Errorf("no callback URL: %w", ErrInvalid))
		return
	}
	sub, err := s.Subscribe(r.Context(), box, urls)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"subscriptionId": sub.ID})
}

func (s *Simulator) handleSubscriptions(w http.ResponseWriter, r *http.Request, box string) {
	out := []map[string]any{}
	sub, err := s.store.Subscription(r.Context(), box)
	if err != nil && !errors.Is(err, ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	for _, kind := range callbackNames {
		if u := sub.URLs[kind]; u != "" {
			out = append(out, map[string]any{"id": sub.ID, "name": kind, "url": u, "status": sub.On})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Simulator) handleSubscriptionSwitch(w http.ResponseWriter, r *http.Request, box string) {
	var body struct {
		ID     string `json:"subscriptionId"`
		Status *bool  `json:"status"`
	}
	if err := decode(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.ID == "" || body.Status == nil {
		s.fail(w, r, fmt.Errorf("subscriptionId and status are required: %w", ErrInvalid))
		return
	}
	if err := s.switchSubscription(r.Context(), box, body.ID, *body.Status); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (s *Simulator) switchSubscription(ctx context.Context, box, id string, on bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, err := s.store.Subscription(ctx, box)
	if err != nil || sub.ID != id {
		return fmt.Errorf("subscription %s: %w", id, ErrNotFound)
	}
	sub.On = on
	return s.store.PutSubscription(ctx, sub)
}

func (s *Simulator) handleUnsubscribe(w http.ResponseWriter, r *http.Request, box string) {
	s.mu.Lock()
	err := s.store.DeleteSubscription(r.Context(), box)
	s.mu.Unlock()
	if err != nil {
		s.fail(w, r, fmt.Errorf("subscription of %s: %w", box, err))
		return
	}
	w.WriteHeader(http.StatusOK)
}

// readAll reads a small body for the simulator's own routes.
func readAll(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	return io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
}
