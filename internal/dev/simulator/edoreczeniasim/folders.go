package edoreczeniasim

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// ArchiveKept is how long an archiving task's ZIP can be downloaded after it is ready.
const ArchiveKept = 7 * 24 * time.Hour

func (s *Simulator) folderRoutes(mux *http.ServeMux, a string) {
	mux.Handle("GET "+a+"/directories", s.api(ScopeReadMessages, s.handleFolders))
	mux.Handle("POST "+a+"/directories", s.api(ScopeWriteSettings, s.handleAddFolder))
	mux.Handle("PATCH "+a+"/directories/{directoryId}", s.api(ScopeWriteSettings, s.handleRenameFolder))
	mux.Handle("DELETE "+a+"/directories/{directoryId}", s.api(ScopeWriteSettings, s.handleDeleteFolder))
	mux.Handle("GET "+a+"/numberMessages", s.api(ScopeReadMessages, s.handleFolderCounts))
	mux.Handle("POST "+a+"/rule", s.api(ScopeWriteMessages, s.handleAddRule))
	mux.Handle("PATCH "+a+"/rule/{ruleId}", s.api(ScopeWriteMessages, s.handlePatchRule))
	mux.Handle("DELETE "+a+"/rule/{ruleId}", s.api(ScopeWriteMessages, s.handleDeleteRules))
	mux.Handle("GET "+a+"/rule_list", s.api(ScopeWriteMessages, s.handleRules))
	mux.Handle("POST "+a+"/message-archive-task", s.api(ScopeReadMessages, s.handleArchive))
	mux.Handle("PATCH "+a+"/message-archive-task", s.api(ScopeReadMessages, s.handleArchiveStatus))
	mux.Handle("GET "+a+"/message-archive-task-list", s.api(ScopeReadMessages, s.handleArchives))
	mux.Handle("GET "+a+"/message-archive-task/{taskId}/download", s.api(ScopeReadMessages, s.handleArchiveDownload))
	mux.Handle("GET "+a+"/threads", s.api(ScopeReadMessages, s.handleThreads))
	mux.Handle("GET "+a+"/threads/{threadId}", s.api(ScopeReadMessages, s.handleThread))
}

// folder is the contract's Directory: the predefined INBOX, SENT and DRAFTS, and those a
// client adds, whose label is what a message's control data names.
type folder struct {
	ID    string `json:"directoryId"`
	Name  string `json:"name"`
	Label string `json:"label"`
	Type  string `json:"type"` // predefined or defined
}

var predefined = []folder{{"INBOX", "Odebrane", LabelInbox, "predefined"}, {"SENT", "Wysłane", LabelSent, "predefined"},
	{"DRAFTS", "Robocze", LabelDrafts, "predefined"}}

func (s *Simulator) folders(box string) []folder {
	x := s.extra()
	x.mu.Lock()
	defer x.mu.Unlock()
	return append(slices.Clone(predefined), x.folders[box]...)
}

// hasFolder reports whether box has a folder labelled label.
func (s *Simulator) hasFolder(box, label string) bool {
	return slices.ContainsFunc(s.folders(box), func(f folder) bool { return f.Label == label })
}

func (s *Simulator) handleFolders(w http.ResponseWriter, r *http.Request, box string) {
	writeJSON(w, http.StatusOK, s.folders(box))
}

func (s *Simulator) handleAddFolder(w http.ResponseWriter, r *http.Request, box string) {
	var body struct {
		Name  string `json:"directoryName"`
		Label string `json:"directoryLabel"`
	}
	if err := decode(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	name, err := folderName("directoryName", body.Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	label := cmpOr(body.Label, strings.ToUpper(strings.ReplaceAll(name, " ", "_")))
	x := s.extra()
	x.mu.Lock()
	taken := slices.ContainsFunc(append(slices.Clone(predefined), x.folders[box]...), func(f folder) bool { return f.Label == label || f.Name == name })
	if !taken {
		x.folders[box] = append(x.folders[box], folder{ID: uuid.NewString(), Name: name, Label: label, Type: "defined"})
	}
	x.mu.Unlock()
	if taken {
		s.fail(w, r, fmt.Errorf("folder %q (%s) exists: %w", name, label, ErrConflict))
		return
	}
	writeJSON(w, http.StatusOK, s.folders(box))
}

// folderName is a folder's name as given in field, trimmed: 1 to 30 characters.
func folderName(field, given string) (string, error) {
	name := strings.TrimSpace(given)
	if name == "" || utf8.RuneCountInString(name) > 30 {
		return "", fmt.Errorf("%s must have 1 to 30 characters: %w", field, ErrInvalid)
	}
	return name, nil
}

// definedFolder calls fn with the index of the client's folder id in list, under the lock.
func (s *Simulator) definedFolder(box, id string, fn func(list []folder, i int) []folder) error {
	x := s.extra()
	x.mu.Lock()
	defer x.mu.Unlock()
	i := slices.IndexFunc(x.folders[box], func(f folder) bool { return f.ID == id })
	if i < 0 {
		return fmt.Errorf("folder %s (predefined folders cannot be changed): %w", id, ErrNotFound)
	}
	x.folders[box] = fn(x.folders[box], i)
	return nil
}

func (s *Simulator) handleRenameFolder(w http.ResponseWriter, r *http.Request, box string) {
	var body struct {
		Name string `json:"newDirectoryName"`
	}
	if err := decode(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	name, err := folderName("newDirectoryName", body.Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.definedFolder(box, r.PathValue("directoryId"), func(l []folder, i int) []folder { l[i].Name = name; return l }); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// handleDeleteFolder removes a client's folder; its messages go back to their own folder.
func (s *Simulator) handleDeleteFolder(w http.ResponseWriter, r *http.Request, box string) {
	var label string
	if err := s.definedFolder(box, r.PathValue("directoryId"), func(l []folder, i int) []folder {
		label = l[i].Label
		return slices.Delete(l, i, i+1)
	}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	msgs, err := s.store.Messages(r.Context(), box)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, m := range msgs {
		if m.Folder == label {
			m.Folder = ""
			if err := s.store.PutMessage(r.Context(), m); err != nil {
				s.fail(w, r, err)
				return
			}
		}
	}
	w.WriteHeader(http.StatusOK)
}

// handleFolderCounts answers every folder with its messages and unread ones.
func (s *Simulator) handleFolderCounts(w http.ResponseWriter, r *http.Request, box string) {
	msgs, err := s.store.Messages(r.Context(), box)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []map[string]any{}
	for _, f := range s.folders(box) {
		total, unread := 0, 0
		for _, m := range msgs {
			if m.Label == f.Label || m.Folder == f.Label {
				total++
				if m.Label == LabelInbox && !m.Opened {
					unread++
				}
			}
		}
		out = append(out, map[string]any{"directoryId": f.ID, "name": f.Name, "label": f.Label, "type": f.Type,
			"numberOfUnreadMessages": unread, "total": total})
	}
	writeJSON(w, http.StatusOK, out)
}

// rule files arriving messages into a folder when every condition holds (CreateRule).
type rule struct {
	ID         string      `json:"ruleId"`
	Name       string      `json:"ruleName"`
	Enabled    bool        `json:"enableRule"`
	Folder     string      `json:"-"` // directoryId
	Conditions []condition `json:"conditions"`
}

// condition is the contract's Conditions, which requires typeConditions but declares
// conditionType: the simulator reads either and writes both.
type condition struct {
	Type string `json:"conditionType"` // senderEda, senderName, caseId, subject
	Text string `json:"conditionText"`
}

func (c *condition) UnmarshalJSON(b []byte) error {
	var v struct {
		Type  string `json:"conditionType"`
		Type2 string `json:"typeConditions"`
		Text  string `json:"conditionText"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	c.Type, c.Text = cmpOr(v.Type, v.Type2), v.Text
	return nil
}

func (c condition) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"conditionType": c.Type, "typeConditions": c.Type, "conditionText": c.Text})
}

func (c condition) check() error {
	if !slices.Contains([]string{"senderEda", "senderName", "caseId", "subject"}, c.Type) {
		return fmt.Errorf("conditionType %q: %w", c.Type, ErrInvalid)
	}
	if n := utf8.RuneCountInString(c.Text); n < 3 || n > 128 {
		return fmt.Errorf("conditionText must have 3 to 128 characters: %w", ErrInvalid)
	}
	return nil
}

// holds reports whether the received message m, from the mailbox named sender, meets c.
func (c condition) holds(m Message, sender string) bool {
	switch c.Type {
	case "senderEda":
		return strings.EqualFold(m.From, c.Text)
	case "senderName":
		return contains(c.Text, sender)
	case "caseId":
		return contains(c.Text, m.CaseID)
	default:
		return contains(c.Text, m.Subject)
	}
}

// fileByRules returns the label of the folder the first enabled rule of box whose every
// condition holds puts m in, "" if none.
func (s *Simulator) fileByRules(ctx context.Context, box string, m Message) string {
	x := s.extra()
	x.mu.Lock()
	rules := slices.Clone(x.rules[box])
	x.mu.Unlock()
	sender := ""
	if mb, err := s.store.Mailbox(ctx, m.From); err == nil {
		sender = mb.Name
	}
	for _, r := range rules {
		if !r.Enabled || len(r.Conditions) == 0 {
			continue
		}
		if !slices.ContainsFunc(r.Conditions, func(c condition) bool { return !c.holds(m, sender) }) {
			for _, f := range s.folders(box) {
				if f.ID == r.Folder {
					return f.Label
				}
			}
		}
	}
	return ""
}

func (s *Simulator) ruleJSON(box string, r rule) map[string]any {
	out := map[string]any{"ruleId": r.ID, "ruleName": r.Name, "enableRule": r.Enabled, "conditions": append([]condition{}, r.Conditions...)}
	for _, f := range s.folders(box) {
		if f.ID == r.Folder {
			out["directory"] = f
		}
	}
	return out
}

func (s *Simulator) folderID(box, id string) bool {
	return slices.ContainsFunc(s.folders(box), func(f folder) bool { return f.ID == id })
}

func (s *Simulator) handleAddRule(w http.ResponseWriter, r *http.Request, box string) {
	var body struct {
		Name       string      `json:"ruleName"`
		Enabled    *bool       `json:"enableRule"`
		Folder     string      `json:"directoryId"`
		Conditions []condition `json:"conditions"`
	}
	if err := decode(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if n := utf8.RuneCountInString(body.Name); n < 3 || n > 128 || body.Enabled == nil || len(body.Conditions) == 0 {
		s.fail(w, r, fmt.Errorf("ruleName (3 to 128 characters), enableRule, directoryId and conditions are required: %w", ErrInvalid))
		return
	}
	for _, c := range body.Conditions {
		if err := c.check(); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if !s.folderID(box, body.Folder) {
		s.fail(w, r, fmt.Errorf("directoryId %s: %w", body.Folder, ErrNotFound))
		return
	}
	x := s.extra()
	x.mu.Lock()
	x.rules[box] = append(x.rules[box], rule{ID: uuid.NewString(), Name: body.Name, Enabled: *body.Enabled, Folder: body.Folder, Conditions: body.Conditions})
	x.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// handlePatchRule changes a rule's name, state, folder, conditions or place (moveOrder, its
// new position from 1) and answers the rules.
func (s *Simulator) handlePatchRule(w http.ResponseWriter, r *http.Request, box string) {
	var body struct {
		Name       *string     `json:"ruleName"`
		Enabled    *bool       `json:"enableRule"`
		Folder     *string     `json:"directoryId"`
		Move       *float64    `json:"moveOrder"`
		Conditions []condition `json:"conditions"`
	}
	if err := decode(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.Name != nil {
		if n := utf8.RuneCountInString(*body.Name); n < 3 || n > 128 {
			s.fail(w, r, fmt.Errorf("ruleName must have 3 to 128 characters: %w", ErrInvalid))
			return
		}
	}
	for _, c := range body.Conditions {
		if err := c.check(); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if body.Folder != nil && !s.folderID(box, *body.Folder) {
		s.fail(w, r, fmt.Errorf("directoryId %s: %w", *body.Folder, ErrNotFound))
		return
	}
	x := s.extra()
	x.mu.Lock()
	list := x.rules[box]
	i := slices.IndexFunc(list, func(ru rule) bool { return ru.ID == r.PathValue("ruleId") })
	if i >= 0 {
		ru := &list[i]
		if body.Name != nil {
			ru.Name = *body.Name
		}
		if body.Enabled != nil {
			ru.Enabled = *body.Enabled
		}
		if body.Folder != nil {
			ru.Folder = *body.Folder
		}
		if body.Conditions != nil {
			ru.Conditions = body.Conditions
		}
		if body.Move != nil {
			to := min(max(int(*body.Move), 1), len(list)) - 1
			moved := list[i]
			list = slices.Insert(slices.Delete(list, i, i+1), to, moved)
		}
		x.rules[box] = list
	}
	x.mu.Unlock()
	if i < 0 {
		s.fail(w, r, fmt.Errorf("rule %s: %w", r.PathValue("ruleId"), ErrNotFound))
		return
	}
	s.writeRules(w, box, 0, math.MaxInt32)
}

func (s *Simulator) handleDeleteRules(w http.ResponseWriter, r *http.Request, box string) {
	list := strings.Split(r.PathValue("ruleId"), ",")
	x := s.extra()
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, id := range list {
		if !slices.ContainsFunc(x.rules[box], func(ru rule) bool { return ru.ID == id }) {
			s.fail(w, r, fmt.Errorf("rule %s: %w", id, ErrNotFound))
			return
		}
	}
	x.rules[box] = slices.DeleteFunc(x.rules[box], func(ru rule) bool { return slices.Contains(list, ru.ID) })
	w.WriteHeader(http.StatusOK)
}

func (s *Simulator) handleRules(w http.ResponseWriter, r *http.Request, box string) {
	q := newQuery(r.URL.Query())
	offset, limit := q.integer("offset", 0, 0, math.MaxInt32), q.integer("limit", 20, 1, 100)
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	s.writeRules(w, box, offset, limit)
}

func (s *Simulator) writeRules(w http.ResponseWriter, box string, offset, limit int) {
	x := s.extra()
	x.mu.Lock()
	list := slices.Clone(x.rules[box])
	x.mu.Unlock()
	out := []map[string]any{}
	for _, ru := range list[min(offset, len(list)):min(offset+limit, len(list))] {
		out = append(out, s.ruleJSON(box, ru))
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": len(list), "rules": out})
}

// archiveTask is a MessageArchivingTask: a ZIP of chosen messages, made at once and kept
// ArchiveKept, then finished by the client, with or without deleting the messages.
type archiveTask struct {
	ID          string
	Created     time.Time
	Until       time.Time
	Status      string
	Messages    []string
	Description string
	Deleting    bool
	zip         []byte
}

func (t *archiveTask) json(now time.Time) map[string]any {
	st := t.Status
	if st == "READY_TO_DOWNLOAD" && now.After(t.Until) {
		st = "EXPIRED"
	}
	out := map[string]any{"taskId": t.ID, "creationDate": t.Created, "dateForDownload": t.Until, "taskStatus": st,
		"numberMessages": len(t.Messages), "withDeletingMessages": t.Deleting, "downloadAndChangeStatus": st == "READY_TO_DOWNLOAD"}
	if t.Description != "" {
		out["taskDescription"] = t.Description
	}
	return out
}

func (s *Simulator) handleArchive(w http.ResponseWriter, r *http.Request, box string) {
	var body struct {
		IDs         []string `json:"messageId"`
		Description string   `json:"taskDescription"`
	}
	if err := decode(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if len(body.IDs) == 0 || utf8.RuneCountInString(body.Description) > 255 {
		s.fail(w, r, fmt.Errorf("messageId (one or more) is required, taskDescription at most 255 characters: %w", ErrInvalid))
		return
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, id := range body.IDs {
		b, err := s.archiveOf(r.Context(), box, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if err := addZip(zw, "wiadomosc-"+id+".zip", b); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if err := zw.Close(); err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.Now()
	t := &archiveTask{ID: uuid.NewString(), Created: now, Until: now.Add(ArchiveKept), Status: "READY_TO_DOWNLOAD",
		Messages: slices.Clone(body.IDs), Description: body.Description, zip: buf.Bytes()}
	x := s.extra()
	x.mu.Lock()
	x.archives[box] = append(x.archives[box], t)
	x.mu.Unlock()
	writeJSON(w, http.StatusAccepted, map[string]string{"taskId": t.ID})
	if cb := s.archiveNotice(box, t); cb != nil {
		s.notify(r.Context(), []notice{*cb})
	}
}

func (s *Simulator) archive(box, id string) *archiveTask {
	x := s.extra()
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, t := range x.archives[box] {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// handleArchiveStatus cancels or finishes a task; finishing with deletion deletes its
// messages from the mailbox.
func (s *Simulator) handleArchiveStatus(w http.ResponseWriter, r *http.Request, box string) {
	var body struct {
		ID     string `json:"taskId"`
		Change string `json:"changeStatus"`
	}
	if err := decode(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if !slices.Contains([]string{"CANCEL", "FINISH_WITH_DELETING_MESSAGES", "FINISH_WITHOUT_DELETING_MESSAGES"}, body.Change) {
		s.fail(w, r, fmt.Errorf("changeStatus %q: %w", body.Change, ErrInvalid))
		return
	}
	t := s.archive(box, body.ID)
	if t == nil {
		s.fail(w, r, fmt.Errorf("archiving task %s: %w", body.ID, ErrNotFound))
		return
	}
	x := s.extra()
	x.mu.Lock()
	open := t.Status == "READY_TO_DOWNLOAD"
	if open {
		switch body.Change {
		case "CANCEL":
			t.Status = "CANCELED"
		case "FINISH_WITH_DELETING_MESSAGES":
			t.Status, t.Deleting = "FINISHED", true
		default:
			t.Status = "FINISHED"
		}
		t.zip = nil
	}
	x.mu.Unlock()
	if !open {
		s.fail(w, r, fmt.Errorf("archiving task %s is %s: %w", t.ID, t.Status, ErrConflict))
		return
	}
	if t.Deleting {
		s.mu.Lock()
		for _, id := range t.Messages {
			_ = s.store.DeleteMessage(r.Context(), box, id) // one deleted meanwhile stays deleted
		}
		s.mu.Unlock()
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"total": 1, "tasks": []any{t.json(s.Now())}})
}

func (s *Simulator) handleArchives(w http.ResponseWriter, r *http.Request, box string) {
	q := newQuery(r.URL.Query())
	offset, limit := q.integer("offset", 0, 0, math.MaxInt32), q.integer("limit", 20, 1, 100)
	dir := q.enum("sortDirection", "asc", "asc", "desc")
	col := q.enum("sortColumn", "creationDate", "creationDate", "dateForDownload")
	id := q.str("taskId")
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	x := s.extra()
	x.mu.Lock()
	list := slices.DeleteFunc(slices.Clone(x.archives[box]), func(t *archiveTask) bool { return id != "" && t.ID != id })
	x.mu.Unlock()
	slices.SortStableFunc(list, func(a, b *archiveTask) int {
		c := a.Created.Compare(b.Created)
		if col == "dateForDownload" {
			c = a.Until.Compare(b.Until)
		}
		if dir == "desc" {
			c = -c
		}
		return c
	})
	now, out := s.Now(), []any{}
	for _, t := range list[min(offset, len(list)):min(offset+limit, len(list))] {
		out = append(out, t.json(now))
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": len(list), "tasks": out})
}

func (s *Simulator) handleArchiveDownload(w http.ResponseWriter, r *http.Request, box string) {
	t := s.archive(box, r.PathValue("taskId"))
	if t == nil {
		s.fail(w, r, fmt.Errorf("archiving task %s: %w", r.PathValue("taskId"), ErrNotFound))
		return
	}
	x := s.extra()
	x.mu.Lock()
	b, st, until := t.zip, t.Status, t.Until
	x.mu.Unlock()
	if st != "READY_TO_DOWNLOAD" || s.Now().After(until) {
		s.fail(w, r, fmt.Errorf("archiving task %s cannot be downloaded (%s): %w", t.ID, st, ErrConflict))
		return
	}
	writeBytes(w, "application/zip", "archiwum-"+t.ID+".zip", b)
}

// thread is the messages of a mailbox sharing a threadId: a message starts its own thread
// unless its sender gave the threadId of the message it answers or forwards.
type thread struct {
	id   string
	msgs []Message // by submission
}

func (s *Simulator) threads(ctx context.Context, box string) ([]thread, error) {
	msgs, err := s.store.Messages(ctx, box)
	if err != nil {
		return nil, err
	}
	byID := map[string]*thread{}
	var order []string
	for _, m := range msgs {
		if m.Label == LabelDrafts {
			continue
		}
		id := cmpOr(m.ThreadID, m.ID)
		t, ok := byID[id]
		if !ok {
			t = &thread{id: id}
			byID[id] = t
			order = append(order, id)
		}
		t.msgs = append(t.msgs, m)
	}
	out := make([]thread, 0, len(order))
	for _, id := range order {
		t := *byID[id]
		slices.SortStableFunc(t.msgs, func(a, b Message) int { return a.Submitted.Compare(b.Submitted) })
		out = append(out, t)
	}
	return out, nil
}

// threadFilter is what GET /threads and GET /threads/{id} select messages by.
type threadFilter struct {
	sender, recipient, caseID, title string
	submission, event                period
}

func readThreadFilter(q *query) threadFilter {
	return threadFilter{sender: q.str("sender"), recipient: q.str("recipient"), caseID: q.str("caseId"), title: q.str("messageTitle"),
		submission: q.period("submissionDateFrom", "submissionDateTo"), event: q.period("eventDateFrom", "eventDateTo")}
}

func (f threadFilter) matches(m Message, names func(string) string) bool {
	return contains(f.caseID, m.CaseID) && contains(f.title, m.Subject) &&
		(f.sender == "" || contains(f.sender, m.From, names(m.From))) &&
		(f.recipient == "" || contains(f.recipient, m.To, names(m.To))) &&
		f.submission.holds(m.Submitted) && f.event.holds(m.Submitted)
}

func (s *Simulator) handleThreads(w http.ResponseWriter, r *http.Request, box string) {
	q := newQuery(r.URL.Query())
	offset, limit := q.integer("offset", 0, 0, math.MaxInt32), q.integer("limit", 10, 1, 2000)
	f := readThreadFilter(q)
	dir := q.enum("sortDirection", "asc", "asc", "desc")
	col := q.enum("sortColumn", "lastMessageSubmissionDate", "firstMessageTitle", "firstMessageSubmissionDate",
		"firstMessageEventDate", "lastMessageSubmissionDate", "lastMessageEventDate")
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	all, err := s.threads(r.Context(), box)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names := s.mailboxNames(r.Context())
	all = slices.DeleteFunc(all, func(t thread) bool {
		return !slices.ContainsFunc(t.msgs, func(m Message) bool { return f.matches(m, names) })
	})
	slices.SortStableFunc(all, func(a, b thread) int {
		fa, fb, la, lb := a.msgs[0], b.msgs[0], a.msgs[len(a.msgs)-1], b.msgs[len(b.msgs)-1]
		var c int
		switch col {
		case "firstMessageTitle":
			c = cmp.Compare(strings.ToLower(fa.Subject), strings.ToLower(fb.Subject))
		case "firstMessageSubmissionDate", "firstMessageEventDate":
			c = fa.Submitted.Compare(fb.Submitted)
		default:
			c = la.Submitted.Compare(lb.Submitted)
		}
		if dir == "desc" {
			c = -c
		}
		return c
	})
	out := []map[string]any{}
	for _, t := range all[min(offset, len(all)):min(offset+limit, len(all))] {
		out = append(out, threadJSON(t, names))
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": len(all), "Thread": out})
}

// threadJSON is the contract's ThreadWrapper. The contract spells two of its fields
// "firstMessagEventDate" and "lastMessagEventDate"; so does the simulator.
func threadJSON(t thread, names func(string) string) map[string]any {
	first, last := t.msgs[0], t.msgs[len(t.msgs)-1]
	opened := true
	var cases []string
	senders, recipients := []map[string]string{}, []map[string]string{}
	seen := map[string]bool{}
	for _, m := range t.msgs {
		if m.Label == LabelInbox && !m.Opened {
			opened = false
		}
		if m.CaseID != "" && !slices.Contains(cases, m.CaseID) {
			cases = append(cases, m.CaseID)
		}
		if !seen["s"+m.From] {
			seen["s"+m.From] = true
			senders = append(senders, map[string]string{"companyName": cmpOr(names(m.From), m.From)})
		}
		if !seen["r"+m.To] {
			seen["r"+m.To] = true
			recipients = append(recipients, map[string]string{"companyName": cmpOr(names(m.To), m.To)})
		}
	}
	out := map[string]any{"threadId": t.id, "opened": opened, "caseIDs": append([]string{}, cases...), "senders": senders,
		"recipients": recipients, "firstMessageTitle": first.Subject, "messagesCount": len(t.msgs)}
	if !first.Submitted.IsZero() {
		out["firstMessageSubmissionDate"], out["firstMessagEventDate"] = first.Submitted, first.Submitted
	}
	if !last.Submitted.IsZero() {
		out["lastMessageSubmissionDate"], out["lastMessagEventDate"] = last.Submitted, last.Submitted
	}
	return out
}

func (s *Simulator) handleThread(w http.ResponseWriter, r *http.Request, box string) {
	q := newQuery(r.URL.Query())
	offset, limit := q.integer("offset", 0, 0, math.MaxInt32), q.integer("limit", 50, 1, 50)
	f := readThreadFilter(q)
	dir := q.enum("sortDirection", "asc", "asc", "desc")
	col := q.enum("sortColumn", "submissionDate", "sender", "recipient", "caseID", "submissionDate", "eventDate", "reciptDate", "timestamp")
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	all, err := s.threads(r.Context(), box)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	i := slices.IndexFunc(all, func(t thread) bool { return t.id == r.PathValue("threadId") })
	if i < 0 {
		s.fail(w, r, fmt.Errorf("thread %s: %w", r.PathValue("threadId"), ErrNotFound))
		return
	}
	names := s.mailboxNames(r.Context())
	msgs := slices.DeleteFunc(all[i].msgs, func(m Message) bool { return !f.matches(m, names) })
	order := messageOrder(col, names)
	if col == "caseID" {
		order = func(a, b Message) int { return strings.Compare(a.CaseID, b.CaseID) }
	}
	slices.SortStableFunc(msgs, func(a, b Message) int {
		if dir == "desc" {
			return order(b, a)
		}
		return order(a, b)
	})
	page := []messageJSON{}
	for _, m := range msgs[min(offset, len(msgs)):min(offset+limit, len(msgs))] {
		page = append(page, s.render(m, "metadata"))
	}
	writeJSON(w, http.StatusOK, map[string]any{"threadId": all[i].id,
		"messages": map[string]any{"messages": page, "total": len(msgs), "resultSize": len(page)}})
}
