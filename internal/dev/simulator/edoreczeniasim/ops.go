package edoreczeniasim

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// moreRoutes adds the operations of the contract beyond sending and receiving letters:
// drafts, attachments and evidences read on their own, settings, the dictionary. a is the
// API's path up to the mailbox.
func (s *Simulator) moreRoutes(mux *http.ServeMux, a string) {
	mux.Handle("POST "+a+"/messages", s.api(ScopeWriteMessages, s.handlePostMessage))
	mux.Handle("DELETE "+a+"/messages/{messageId}", s.api(ScopeWriteMessages, s.handleDeleteMessages))
	mux.Handle("PATCH "+a+"/messages/{messageId}/message_control_data", s.api(ScopeWriteMessages, s.handleControlData))
	mux.Handle("GET "+a+"/messages/evidences/{evidenceId}", s.api(ScopeReadMessages, s.handleEvidenceByID))
	// messages/{messageId}/attachments/{attachmentId} overlaps messages/tasks/{id}/status.
	mux.Handle("GET "+a+"/messages/{first}/{second}/{third}", s.api(ScopeReadMessages, s.handleMessagesSub3))
	mux.Handle("POST "+a+"/attachments/download", s.api(ScopeReadMessages, s.handleDownloadAttachment))
	mux.Handle("GET "+a+"/drafts", s.api(ScopeReadMessages, s.handleDrafts))
	mux.Handle("GET "+a+"/drafts/{messageId}", s.api(ScopeReadMessages, s.handleDraft))
	mux.Handle("PUT "+a+"/drafts/{messageId}", s.api(ScopeWriteMessages, s.handleUpdateDraft))
	mux.Handle("DELETE "+a+"/drafts/{messageId}", s.api(ScopeWriteMessages, s.handleDeleteDrafts))
	mux.Handle("GET "+a+"/drafts/{messageId}/attachments/{attachmentId}", s.api(ScopeReadMessages, s.handleDraftAttachment))
	mux.Handle("DELETE "+a+"/drafts/{messageId}/attachments/{attachmentId}", s.api(ScopeWriteMessages, s.handleDeleteDraftAttachment))
	mux.Handle("DELETE "+a+"/drafts/{messageId}/attachments", s.api(ScopeWriteMessages, s.handleDeleteDraftAttachments))
	mux.Handle("GET "+a+"/message_notification", s.api(ScopeReadSettings, s.handleNotification))
	mux.Handle("PATCH "+a+"/message_notification", s.api(ScopeWriteSettings, s.handleNotificationSwitch))
	mux.Handle("GET "+a+"/settings", s.api(ScopeReadSettings, s.handleSettings))
	mux.Handle("PATCH "+a+"/settings", s.api(ScopeWriteSettings, s.handlePatchSettings))
	mux.Handle("GET "+APIPrefix+"/dictionary/countries", s.api(ScopeReadMessages, s.handleCountries))
	s.folderRoutes(mux, a)
}

// extras is what a mailbox has besides messages: its settings, its folders and rules, its
// archiving tasks. It lives in memory only (a FileStore does not keep it).
type extras struct {
	mu       sync.Mutex
	settings map[string]settingsJSON
	push     map[string]bool
	folders  map[string][]folder
	rules    map[string][]rule
	archives map[string][]*archiveTask
}

func (s *Simulator) extra() *extras {
	s.extrasOnce.Do(func() {
		s.ext = &extras{settings: map[string]settingsJSON{}, push: map[string]bool{}, folders: map[string][]folder{},
			rules: map[string][]rule{}, archives: map[string][]*archiveTask{}}
	})
	return s.ext
}

// ids splits a path parameter that the contract declares an array of at most 50 ids.
func ids(raw string) ([]string, error) {
	list := strings.Split(raw, ",")
	if len(list) > 50 {
		return nil, fmt.Errorf("%d identyfikatorów wiadomości, najwyżej 50: %w", len(list), ErrInvalid)
	}
	for _, id := range list {
		if id == "" {
			return nil, fmt.Errorf("pusty identyfikator wiadomości: %w", ErrInvalid)
		}
	}
	return list, nil
}

// message returns the copy (box, id) that is not a draft.
func (s *Simulator) message(ctx context.Context, box, id string) (Message, error) {
	m, err := s.store.Message(ctx, box, id)
	if err == nil && m.Label == LabelDrafts {
		err = ErrNotFound
	}
	if err != nil {
		return Message{}, fmt.Errorf("message %s: %w", id, err)
	}
	return m, nil
}

// handlePostMessage sends a message in one step (POST /messages): a draft made of the body,
// with its inline attachments, sent at once; 202 and the task, as POST /drafts/send.
func (s *Simulator) handlePostMessage(w http.ResponseWriter, r *http.Request, box string) {
	m, d, err := s.draftFrom(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	files, err := attachmentsOf(m.Attachments)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	draft, err := s.CreateDraft(r.Context(), box, d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, f := range files {
		if _, err := s.AddAttachment(r.Context(), box, draft.ID, f.alg, f.Attachment); err != nil {
			_ = s.store.DeleteMessage(r.Context(), box, draft.ID)
			s.fail(w, r, err)
			return
		}
	}
	t, err := s.SendDraft(r.Context(), box, draft.ID)
	if err != nil {
		_ = s.store.DeleteMessage(r.Context(), box, draft.ID)
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"messageTaskId": t.ID})
}

// draftOf checks a Message body as POST /drafts, PUT /drafts/{id} and POST /messages take it.
// draftFrom reads a request's message JSON and the draft it describes (draftOf).
func (s *Simulator) draftFrom(w http.ResponseWriter, r *http.Request) (messageJSON, Draft, error) {
	var m messageJSON
	if err := decode(w, r, &m); err != nil {
		return m, Draft{}, err
	}
	d, err := s.draftOf(m)
	return m, d, err
}

func (s *Simulator) draftOf(m messageJSON) (Draft, error) {
	md := m.Metadata
	switch {
	case md == nil:
		return Draft{}, fmt.Errorf("messageMetadata is required: %w", ErrInvalid)
	case md.ShippingService != "electronic":
		return Draft{}, fmt.Errorf("shippingService %q: the simulator delivers only electronic: %w", md.ShippingService, ErrInvalid)
	case len(md.To) != 1:
		return Draft{}, fmt.Errorf("messageMetadata.to has %d addressees, the simulator takes exactly one: %w", len(md.To), ErrInvalid)
	case utf8.RuneCountInString(m.TextBody) > MaxTextBody:
		return Draft{}, fmt.Errorf("textBody has %d characters, over %d: %w", utf8.RuneCountInString(m.TextBody), MaxTextBody, ErrInvalid)
	}
	return Draft{To: md.To[0].EDeliveryAddress, Subject: md.Subject, CaseID: md.CaseID, Text: m.TextBody,
		ThreadID: md.ThreadID, RefTo: md.RefTo}, nil
}

type inlineFile struct {
	Attachment
	alg string
}

// attachmentsOf reads the inline attachments of a Message body (file content in Base64).
func attachmentsOf(list []attachmentJSON) ([]inlineFile, error) {
	var out []inlineFile
	for i, a := range list {
		if a.File == nil || a.File.FileMetadata == nil || a.File.File == nil {
			return nil, fmt.Errorf("attachments[%d]: file.fileMetadata and file.file are required: %w", i, ErrInvalid)
		}
		data, err := base64.StdEncoding.DecodeString(*a.File.File)
		if err != nil {
			return nil, fmt.Errorf("attachments[%d]: file is not Base64: %w", i, ErrInvalid)
		}
		fm := a.File.FileMetadata
		out = append(out, inlineFile{Attachment{FileID: fm.FileID, Name: fm.Filename, ContentType: fm.ContentType, Hash: fm.Hash, Data: data}, fm.Alg})
	}
	return out, nil
}

// handleDeleteMessages removes messages from this mailbox (DELETE /messages/{ids}); the
// other party's copy stays. Every id must name a message, or nothing is removed.
func (s *Simulator) handleDeleteMessages(w http.ResponseWriter, r *http.Request, box string) {
	s.deleteCopies(w, r, box, false)
}

func (s *Simulator) handleDeleteDrafts(w http.ResponseWriter, r *http.Request, box string) {
	s.deleteCopies(w, r, box, true)
}

func (s *Simulator) deleteCopies(w http.ResponseWriter, r *http.Request, box string, drafts bool) {
	list, err := ids(r.PathValue("messageId"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range list {
		m, err := s.store.Message(r.Context(), box, id)
		if err == nil && (m.Label == LabelDrafts) != drafts {
			err = ErrNotFound
		}
		if err != nil {
			s.fail(w, r, fmt.Errorf("message %s: %w", id, err))
			return
		}
	}
	out := []map[string]string{}
	for _, id := range list {
		if err := s.store.DeleteMessage(r.Context(), box, id); err != nil {
			s.fail(w, r, fmt.Errorf("delete %s: %w", id, err))
			return
		}
		out = append(out, map[string]string{"messageId": id})
	}
	writeJSON(w, http.StatusOK, out)
}

// patchOp is one operation of the contract's PatchBody (JSON Patch, at most one). Its value
// is declared an object, so a scalar travels inside one, under the name the path ends with:
// {"op": "replace", "path": "/opened", "value": {"opened": true}}.
type patchOp struct {
	Op    string                     `json:"op"`
	Path  string                     `json:"path"`
	Value map[string]json.RawMessage `json:"value"`
}

func readPatch(w http.ResponseWriter, r *http.Request) (patchOp, error) {
	var body []patchOp
	if err := decode(w, r, &body); err != nil {
		return patchOp{}, err
	}
	if len(body) != 1 {
		return patchOp{}, fmt.Errorf("PatchBody has %d operations, want exactly 1: %w", len(body), ErrInvalid)
	}
	p := body[0]
	if !slices.Contains([]string{"add", "remove", "replace", "move", "copy", "test"}, p.Op) || !strings.HasPrefix(p.Path, "/") {
		return patchOp{}, fmt.Errorf("PatchBody op %q path %q: %w", p.Op, p.Path, ErrInvalid)
	}
	return p, nil
}

// scalar reads the value of p under the last segment of its path into v.
func (p patchOp) scalar(v any) error {
	name := p.Path[strings.LastIndex(p.Path, "/")+1:]
	raw, ok := p.Value[name]
	if !ok {
		return fmt.Errorf("PatchBody value has no %q: %w", name, ErrInvalid)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("PatchBody value %s: %v: %w", name, err, ErrInvalid)
	}
	return nil
}

// handleControlData changes a message's control data (PATCH
// /messages/{ids}/message_control_data): replace /opened (a message marked read, which
// collects a received item as reading it does) or /label (moves it to a folder of the
// mailbox). Status and the rest are set by the service only.
func (s *Simulator) handleControlData(w http.ResponseWriter, r *http.Request, box string) {
	list, err := ids(r.PathValue("messageId"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := readPatch(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Op != "replace" && p.Op != "add" {
		s.fail(w, r, fmt.Errorf("message_control_data takes op replace, got %q: %w", p.Op, ErrInvalid))
		return
	}
	var opened *bool
	var label string
	switch p.Path {
	case "/opened":
		var v bool
		if err := p.scalar(&v); err != nil {
			s.fail(w, r, err)
			return
		}
		opened = &v
	case "/label":
		if err := p.scalar(&label); err != nil {
			s.fail(w, r, err)
			return
		}
		if !s.hasFolder(box, label) {
			s.fail(w, r, fmt.Errorf("folder %q of %s: %w", label, box, ErrNotFound))
			return
		}
	default:
		s.fail(w, r, fmt.Errorf("path %q: only /opened and /label are set by a client: %w", p.Path, ErrInvalid))
		return
	}
	out := []map[string]any{}
	for _, id := range list {
		m, err := s.message(r.Context(), box, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if opened != nil && *opened && m.Label == LabelInbox && !m.Opened {
			m, err = s.Collect(r.Context(), box, id) // marked read: collected, as reading it does
		} else {
			m, err = s.changeMessage(r.Context(), box, id, func(m *Message) {
				if opened != nil {
					m.Opened = *opened
				} else {
					m.Folder = label
				}
			})
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out = append(out, map[string]any{"messageId": m.ID, "opened": m.Opened, "status": cmpOr(m.Status, StatusVerifying),
			"messageType": "Message", "labels": []labelJSON{{Label: m.Label}}})
	}
	writeJSON(w, http.StatusOK, out)
}

// changeMessage applies fn to the copy (box, id) under the simulator's lock.
func (s *Simulator) changeMessage(ctx context.Context, box, id string, fn func(*Message)) (Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.message(ctx, box, id)
	if err != nil {
		return Message{}, err
	}
	fn(&m)
	if err := s.store.PutMessage(ctx, m); err != nil {
		return Message{}, fmt.Errorf("store message %s: %w", id, err)
	}
	return m, nil
}

// handleMessagesSub3 answers GET /messages/{messageId}/attachments/{attachmentId}.
func (s *Simulator) handleMessagesSub3(w http.ResponseWriter, r *http.Request, box string) {
	first, second, third := r.PathValue("first"), r.PathValue("second"), r.PathValue("third")
	switch {
	case second == "attachments":
		m, err := s.message(r.Context(), box, first)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.writeAttachment(w, r, m, third)
	default:
		s.fail(w, r, fmt.Errorf("GET messages/%s/%s/%s: %w", first, second, third, ErrNotFound))
	}
}

// writeAttachment answers the contract's Attachment with the file's content in Base64.
func (s *Simulator) writeAttachment(w http.ResponseWriter, r *http.Request, m Message, attachmentID string) {
	i := slices.IndexFunc(m.Attachments, func(a Attachment) bool { return a.ID == attachmentID })
	if i < 0 {
		s.fail(w, r, fmt.Errorf("attachment %s of message %s: %w", attachmentID, m.ID, ErrNotFound))
		return
	}
	a := m.Attachments[i]
	b := base64.StdEncoding.EncodeToString(a.Data)
	writeJSON(w, http.StatusOK, attachmentJSON{Order: a.Order, AttachmentID: a.ID, File: &fileData{FileMetadata: fileMeta(a), File: &b}})
}

// handleDownloadAttachment answers an attachment's bytes (POST /attachments/download, body
// DownloadAttachment).
func (s *Simulator) handleDownloadAttachment(w http.ResponseWriter, r *http.Request, box string) {
	var body struct {
		MessageID    string `json:"messageId"`
		AttachmentID string `json:"attachmentId"`
	}
	if err := decode(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.MessageID == "" || body.AttachmentID == "" {
		s.fail(w, r, fmt.Errorf("messageId and attachmentId are required: %w", ErrInvalid))
		return
	}
	m, err := s.store.Message(r.Context(), box, body.MessageID)
	if err != nil {
		s.fail(w, r, fmt.Errorf("message %s: %w", body.MessageID, err))
		return
	}
	i := slices.IndexFunc(m.Attachments, func(a Attachment) bool { return a.ID == body.AttachmentID })
	if i < 0 {
		s.fail(w, r, fmt.Errorf("attachment %s of message %s: %w", body.AttachmentID, m.ID, ErrNotFound))
		return
	}
	a := m.Attachments[i]
	writeBytes(w, "application/octet-stream", a.Name, a.Data)
}

func writeBytes(w http.ResponseWriter, contentType, name string, b []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

func (s *Simulator) handleDrafts(w http.ResponseWriter, r *http.Request, box string) {
	q := r.URL.Query()
	if q.Has("limit") { // drafts are listed at most 100 at a time
		if n, err := strconv.Atoi(q.Get("limit")); err != nil || n > 100 {
			s.fail(w, r, fmt.Errorf("parametr limit=%q: oczekiwano liczby całkowitej od 1 do 100: %w", q.Get("limit"), ErrInvalid))
			return
		}
	}
	if !q.Has("format") {
		q.Set("format", "metadata")
		r.URL.RawQuery = q.Encode()
	} else if q.Get("format") != "metadata" {
		s.fail(w, r, fmt.Errorf("parametr format=%q: oczekiwano metadata: %w", q.Get("format"), ErrInvalid))
		return
	}
	s.listMessages(w, r, box, func(m Message) bool { return m.Label == LabelDrafts }, "recipient", "subject", "timestamp")
}

func (s *Simulator) handleDraft(w http.ResponseWriter, r *http.Request, box string) {
	q := newQuery(r.URL.Query())
	format := q.enum("format", "full", "full", "metadata", "minimal")
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	m, err := s.draft(r.Context(), box, r.PathValue("messageId"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.render(m, format))
}

// handleUpdateDraft replaces a draft's addressee, subject, case reference and text (PUT
// /drafts/{id}); its attachments stay.
func (s *Simulator) handleUpdateDraft(w http.ResponseWriter, r *http.Request, box string) {
	_, d, err := s.draftFrom(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !ValidAddress(d.To) {
		s.fail(w, r, fmt.Errorf("draft addressee %q is not an electronic delivery address: %w", d.To, ErrInvalid))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.draft(r.Context(), box, r.PathValue("messageId"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m.To, m.Subject, m.CaseID, m.Text = d.To, d.Subject, d.CaseID, d.Text
	if err := s.store.PutMessage(r.Context(), m); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"messageId": m.ID})
}

func (s *Simulator) handleDraftAttachment(w http.ResponseWriter, r *http.Request, box string) {
	m, err := s.draft(r.Context(), box, r.PathValue("messageId"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeAttachment(w, r, m, r.PathValue("attachmentId"))
}

func (s *Simulator) handleDeleteDraftAttachment(w http.ResponseWriter, r *http.Request, box string) {
	s.deleteAttachments(w, r, box, r.PathValue("attachmentId"))
}

func (s *Simulator) handleDeleteDraftAttachments(w http.ResponseWriter, r *http.Request, box string) {
	s.deleteAttachments(w, r, box, "")
}

// deleteAttachments removes the attachment id of a draft, or all of them when id is "",
// and answers the metadata of what was removed.
func (s *Simulator) deleteAttachments(w http.ResponseWriter, r *http.Request, box, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.draft(r.Context(), box, r.PathValue("messageId"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var gone []*fileMetadata
	m.Attachments = slices.DeleteFunc(m.Attachments, func(a Attachment) bool {
		if id == "" || a.ID == id {
			gone = append(gone, fileMeta(a))
			return true
		}
		return false
	})
	if id != "" && len(gone) == 0 {
		s.fail(w, r, fmt.Errorf("attachment %s of draft %s: %w", id, m.ID, ErrNotFound))
		return
	}
	for i := range m.Attachments {
		m.Attachments[i].Order = i + 1
	}
	if err := s.store.PutMessage(r.Context(), m); err != nil {
		s.fail(w, r, err)
		return
	}
	if id != "" {
		writeJSON(w, http.StatusOK, gone[0])
		return
	}
	writeJSON(w, http.StatusOK, append([]*fileMetadata{}, gone...))
}

// evidenceList answers an EvidenceWrapper of evs after the contract's filters (type,
// downloaded) and sort (sortColumn eventDate, sortDirection).
func (s *Simulator) evidenceList(w http.ResponseWriter, r *http.Request, evs []Evidence) {
	q := newQuery(r.URL.Query())
	typ := q.str("type")
	downloaded, byDownloaded := q.boolean("downloaded")
	col := q.enum("sortColumn", "", "eventDate")
	dir := q.enum("sortDirection", "asc", "asc", "desc")
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	evs = slices.DeleteFunc(evs, func(ev Evidence) bool {
		return (typ != "" && ev.Type != typ && strings.ReplaceAll(ev.Type, ".", "") != typ) ||
			(byDownloaded && ev.Downloaded != downloaded)
	})
	if col == "eventDate" {
		slices.SortStableFunc(evs, func(a, b Evidence) int { return a.Event.Compare(b.Event) })
	}
	if dir == "desc" {
		slices.Reverse(evs)
	}
	out := []evidenceJSON{}
	for _, ev := range evs {
		out = append(out, renderEvidence(ev))
	}
	writeJSON(w, http.StatusOK, map[string]any{"evidences": out})
}

// mailboxEvidences returns the evidences of every message sent from box.
func (s *Simulator) mailboxEvidences(ctx context.Context, box string) ([]Evidence, error) {
	msgs, err := s.store.Messages(ctx, box)
	if err != nil {
		return nil, err
	}
	var out []Evidence
	for _, m := range msgs {
		out = append(out, m.Evidences...)
	}
	return out, nil
}

func (s *Simulator) handleAllEvidences(w http.ResponseWriter, r *http.Request, box string) {
	evs, err := s.mailboxEvidences(r.Context(), box)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.evidenceList(w, r, evs)
}

func (s *Simulator) handleEvidenceByID(w http.ResponseWriter, r *http.Request, box string) {
	evs, err := s.mailboxEvidences(r.Context(), box)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("evidenceId")
	i := slices.IndexFunc(evs, func(ev Evidence) bool { return ev.ID == id })
	if i < 0 {
		s.fail(w, r, fmt.Errorf("evidence %s: %w", id, ErrNotFound))
		return
	}
	writeJSON(w, http.StatusOK, []evidenceJSON{renderEvidence(evs[i])})
}

// handleEvidencesSub answers GET /evidences/{a}/{b}: the EPO of a hybrid sending
// (puhepo/{messageId}), a message's technical evidences (ZIP), or an evidence's document.
func (s *Simulator) handleEvidencesSub(w http.ResponseWriter, r *http.Request, box string) {
	first, second := r.PathValue("first"), r.PathValue("second")
	switch {
	case first == "puhepo":
		s.fail(w, r, fmt.Errorf("message %s: the simulator has no hybrid (PUH) sendings, so no EPO: %w", second, ErrNotFound))
	case second == "technical-evidences-file":
		s.handleTechnicalEvidences(w, r, box, first)
	default:
		b, err := s.EvidenceFile(r.Context(), box, first, second)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeBytes(w, "application/octet-stream", "dowod-"+second+".xml", b)
	}
}

// handleTechnicalEvidences answers a ZIP of every evidence document of a sent message.
func (s *Simulator) handleTechnicalEvidences(w http.ResponseWriter, r *http.Request, box, id string) {
	m, err := s.message(r.Context(), box, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, ev := range m.Evidences {
		b, err := s.EvidenceFile(r.Context(), box, MessageTypePURDE, ev.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if err := addZip(zw, "dowod-"+ev.Type+"-"+ev.ID+".xml", b); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if err := zw.Close(); err != nil {
		s.fail(w, r, err)
		return
	}
	writeBytes(w, "application/zip", "dowody-"+id+".zip", buf.Bytes())
}

func addZip(zw *zip.Writer, name string, b []byte) error {
	f, err := zw.Create(name)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	return err
}

// messageArchive is the ZIP of one message: its fullExtended JSON less the attachments'
// content, each attachment under its name, and for a sent message its evidence documents.
func (s *Simulator) messageArchive(ctx context.Context, box string, m Message) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	meta, err := json.MarshalIndent(s.render(m, "full"), "", "  ")
	if err != nil {
		return nil, err
	}
	if err := addZip(zw, "wiadomosc.json", meta); err != nil {
		return nil, err
	}
	for _, a := range m.Attachments {
		if err := addZip(zw, fmt.Sprintf("zalaczniki/%d-%s", a.Order, a.Name), a.Data); err != nil {
			return nil, err
		}
	}
	if m.Label == LabelSent {
		for _, ev := range m.Evidences {
			b, err := s.EvidenceFile(ctx, box, MessageTypePURDE, ev.ID)
			if err != nil {
				return nil, err
			}
			if err := addZip(zw, "dowody/"+ev.Type+"-"+ev.ID+".xml", b); err != nil {
				return nil, err
			}
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// archiveOf is the ZIP archive of the message id of box.
func (s *Simulator) archiveOf(ctx context.Context, box, id string) ([]byte, error) {
	m, err := s.message(ctx, box, id)
	if err != nil {
		return nil, err
	}
	return s.messageArchive(ctx, box, m)
}

func (s *Simulator) handleMessageArchiveFile(w http.ResponseWriter, r *http.Request, box, id string) {
	b, err := s.archiveOf(r.Context(), box, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeBytes(w, "application/zip", "wiadomosc-"+id+".zip", b)
}

func (s *Simulator) handleNotification(w http.ResponseWriter, r *http.Request, box string) {
	x := s.extra()
	x.mu.Lock()
	on := x.push[box]
	x.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]bool{"pushNotification": on})
}

func (s *Simulator) handleNotificationSwitch(w http.ResponseWriter, r *http.Request, box string) {
	var body struct {
		Push *bool `json:"pushNotification"`
	}
	if err := decode(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.Push == nil {
		s.fail(w, r, fmt.Errorf("pushNotification is required: %w", ErrInvalid))
		return
	}
	x := s.extra()
	x.mu.Lock()
	x.push[box] = *body.Push
	x.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// settingsJSON is the contract's Settings.
type settingsJSON struct {
	PhoneNumber string            `json:"phoneNumber,omitempty"`
	Email       string            `json:"email,omitempty"`
	Settings    map[string]string `json:"settings"`
}

func (s *Simulator) mailboxSettings(box string) settingsJSON {
	x := s.extra()
	x.mu.Lock()
	defer x.mu.Unlock()
	st := x.settings[box]
	m := map[string]string{}
	for k, v := range st.Settings {
		m[k] = v
	}
	st.Settings = m
	return st
}

func (s *Simulator) handleSettings(w http.ResponseWriter, r *http.Request, box string) {
	writeJSON(w, http.StatusOK, s.mailboxSettings(box))
}

// handlePatchSettings applies one PatchBody operation to the settings: replace or add
// /phoneNumber, /email or /settings/{name} (a string), remove /phoneNumber, /email or
// /settings/{name}.
func (s *Simulator) handlePatchSettings(w http.ResponseWriter, r *http.Request, box string) {
	p, err := readPatch(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st := s.mailboxSettings(box)
	var v string
	if p.Op == "add" || p.Op == "replace" {
		if err := p.scalar(&v); err != nil {
			s.fail(w, r, err)
			return
		}
	} else if p.Op != "remove" {
		s.fail(w, r, fmt.Errorf("settings take op add, replace or remove, got %q: %w", p.Op, ErrInvalid))
		return
	}
	switch name, isSetting := strings.CutPrefix(p.Path, "/settings/"); {
	case p.Path == "/phoneNumber":
		st.PhoneNumber = v
	case p.Path == "/email":
		if v != "" && !strings.Contains(v, "@") {
			s.fail(w, r, fmt.Errorf("email %q: %w", v, ErrInvalid))
			return
		}
		st.Email = v
	case isSetting && name != "" && !strings.Contains(name, "/"):
		if p.Op == "remove" {
			delete(st.Settings, name)
		} else {
			st.Settings[name] = v
		}
	default:
		s.fail(w, r, fmt.Errorf("path %q: want /phoneNumber, /email or /settings/{name}: %w", p.Path, ErrInvalid))
		return
	}
	x := s.extra()
	x.mu.Lock()
	x.settings[box] = st
	x.mu.Unlock()
	writeJSON(w, http.StatusOK, []settingsJSON{st})
}

// countries is the dictionary of /dictionary/countries: the states of the European Union
// and of the European Economic Area, by their Polish names.
var countries = []string{"Austria", "Belgia", "Bułgaria", "Chorwacja", "Cypr", "Czechy", "Dania", "Estonia",
	"Finlandia", "Francja", "Grecja", "Hiszpania", "Holandia", "Irlandia", "Islandia", "Liechtenstein", "Litwa",
	"Luksemburg", "Łotwa", "Malta", "Niemcy", "Norwegia", "Polska", "Portugalia", "Rumunia", "Słowacja",
	"Słowenia", "Szwecja", "Węgry", "Włochy"}

func (s *Simulator) handleCountries(w http.ResponseWriter, r *http.Request, _ string) {
	writeJSON(w, http.StatusOK, countries)
}
