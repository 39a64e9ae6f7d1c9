package edoreczeniasim_test

// The conformance walk checks the simulator with a validator of its own, independent of the
// one the simulator's code and the other tests use (kin-openapi, conform.go): pb33f's
// libopenapi and libopenapi-validator, which parse the document, route requests and compile
// its schemas with code of their own. A mistake shared by the simulator and kin-openapi's
// reading of the document would otherwise go unseen.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	"go.yaml.in/yaml/v3"

	"github.com/obieg/obieg/internal/dev/simulator/edoreczeniasim"
	"github.com/obieg/obieg/xmlschemas/edoreczenia"
)

// walker makes API requests with a plain client and checks each exchange with
// libopenapi-validator; it records which operation answered which status.
type walker struct {
	t        *testing.T
	url, tok string
	model    *v3.Document
	v        validator.Validator
	errors   *base.Schema // ErrorResponse's schema
	covered  map[string]map[int]bool
}

// contractJSON is the document converted from YAML to JSON: libopenapi compiles the
// schemas of a YAML document with mappings it cannot render as JSON (the integer status
// codes, the unquoted dates of examples), and then fails to compile every schema.
func contractJSON(t *testing.T) []byte {
	var v any
	if err := yaml.Unmarshal(edoreczenia.OpenAPI, &v); err != nil {
		t.Fatal(err)
	}
	var plain func(any) any
	plain = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = plain(e)
			}
			return x
		case map[any]any:
			m := make(map[string]any, len(x))
			for k, e := range x {
				m[fmt.Sprint(k)] = plain(e)
			}
			return m
		case []any:
			for i, e := range x {
				x[i] = plain(e)
			}
			return x
		case time.Time:
			return x.Format(time.RFC3339)
		}
		return v
	}
	b, err := json.Marshal(plain(v))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newWalker(t *testing.T, url, tok string) *walker {
	doc, err := libopenapi.NewDocument(contractJSON(t))
	if err != nil {
		t.Fatal(err)
	}
	m, err := doc.BuildV3Model()
	if err != nil {
		t.Fatal(err)
	}
	v := validator.NewValidatorFromV3Model(&m.Model, config.WithoutSecurityValidation())
	er := m.Model.Components.Responses.GetOrZero("ErrorResponse").Content.GetOrZero("application/json").Schema.Schema()
	return &walker{t: t, url: url, tok: tok, model: &m.Model, v: v, errors: er, covered: map[string]map[int]bool{}}
}

// operations lists the document's operations as "METHOD /path".
func (w *walker) operations() []string {
	var out []string
	for path, item := range w.model.Paths.PathItems.FromOldest() {
		for method := range item.GetOperations().FromOldest() {
			out = append(out, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(out)
	return out
}

// declared reports whether the operation op declares status.
func (w *walker) declared(op string, status int) bool {
	method, path, _ := strings.Cut(op, " ")
	item := w.model.Paths.PathItems.GetOrZero(path)
	if item == nil {
		return false
	}
	o := item.GetOperations().GetOrZero(strings.ToLower(method))
	return o != nil && o.Responses.Codes.GetOrZero(fmt.Sprint(status)) != nil
}

type reqBody struct {
	contentType string
	data        []byte
}

func jsonBody(v any) *reqBody {
	b, _ := json.Marshal(v)
	return &reqBody{"application/json", b}
}

// do makes the request of operation op (as the document names it) and checks it: the
// status is want; an answer of a status op declares follows the document (and for a 2xx,
// so does the request); an undeclared error (401, 403) is an ErrorResponse. It returns the
// answer's body.
func (w *walker) do(op, tok, method, path string, body *reqBody, want int) []byte {
	w.t.Helper()
	build := func() *http.Request {
		var r io.Reader
		if body != nil {
			r = bytes.NewReader(body.data)
		}
		req, _ := http.NewRequest(method, w.url+edoreczeniasim.APIPrefix+path, r)
		if body != nil {
			req.Header.Set("Content-Type", body.contentType)
		}
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		return req
	}
	resp, err := http.DefaultClient.Do(build())
	if err != nil {
		w.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		w.t.Errorf("%s %s: got %d %s, want %d", method, path, resp.StatusCode, b, want)
		return b
	}
	if w.covered[op] == nil {
		w.covered[op] = map[int]bool{}
	}
	w.covered[op][resp.StatusCode] = true
	resp.Body = io.NopCloser(bytes.NewReader(b))
	req := build()
	resp.Request = req
	switch {
	case !w.declared(op, resp.StatusCode):
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			w.t.Errorf("%s %s: %d answer is not JSON: %s", method, path, resp.StatusCode, b)
			break
		}
		if ok, errs := schema_validation.NewSchemaValidator().ValidateSchemaObject(w.errors, v); !ok {
			w.t.Errorf("%s %s: undeclared %d is not an ErrorResponse: %v\n%s", method, path, resp.StatusCode, errs, b)
		}
	case resp.StatusCode < 300:
		if ok, errs := w.v.ValidateHttpRequestResponse(req, resp); !ok {
			w.t.Errorf("%s %s (%s): %d exchange does not follow the document:\n%s\n%s", method, path, op, resp.StatusCode, describe(errs), b)
		}
	default:
		if ok, errs := w.v.ValidateHttpResponse(req, resp); !ok {
			w.t.Errorf("%s %s (%s): %d answer does not follow the document:\n%s\n%s", method, path, op, resp.StatusCode, describe(errs), b)
		}
	}
	return b
}

func describe[E error](errs []E) string {
	var s []string
	for _, e := range errs {
		s = append(s, "  "+e.Error())
	}
	return strings.Join(s, "\n")
}

func field(t *testing.T, b []byte, name string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s in %s: %v", name, b, err)
	}
	s, _ := m[name].(string)
	return s
}

// TestConformanceWalk walks every operation of uaapi 3.0.8.1, as a client built from the
// document alone would: each answers a valid request with a declared success, and one
// input it must refuse with its declared 400 where the operation has input to refuse.
func TestConformanceWalk(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tok := e.token(t, "ezd", "s3cret", "")
	w := newWalker(t, e.url, tok)
	p := "/" + office
	pdf := []byte("%PDF-1.7 wniosek")
	in1, err := e.sim.Post(ctx, citizen, edoreczeniasim.Draft{To: office, Subject: "Wniosek o kartę", CaseID: "KDR-1", Text: "W załączeniu."},
		edoreczeniasim.Attachment{Name: "wniosek.pdf", ContentType: "application/pdf", Data: pdf})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.sim.Advance(ctx, time.Minute); err != nil {
		t.Fatal(err)
	}
	in2, err := e.sim.Post(ctx, citizen, edoreczeniasim.Draft{To: office, Subject: "Skarga"})
	if err != nil {
		t.Fatal(err)
	}
	bad := jsonBody(map[string]any{"messageMetadata": map[string]any{"shippingService": "carrier-pigeon"}})

	// Messages received.
	op := "GET /{eDeliveryAddress}/messages"
	w.do(op, tok, "GET", p+"/messages?label=INBOX&format=metadata&sortColumn=submissionDate&sortDirection=desc&submissionDateFrom="+
		url.QueryEscape(in1.Submitted.Format(time.RFC3339Nano))+"&attachments=true&opened=false&limit=10", nil, 200)
	w.do(op, tok, "GET", p+"/messages?opened=maybe", nil, 400)
	op = "GET /{eDeliveryAddress}/messages/{messageId}"
	w.do(op, tok, "GET", p+"/messages/"+in1.ID+","+in2.ID+"?format=metadata", nil, 200)
	w.do(op, tok, "GET", p+"/messages/"+in1.ID+"?format=fullExtended", nil, 200)
	w.do(op, tok, "GET", p+"/messages/"+in1.ID+"?format=everything", nil, 400)
	var full []struct {
		Attachments []struct {
			AttachmentID string `json:"attachmentId"`
		} `json:"attachments"`
	}
	if err := json.Unmarshal(w.do(op, tok, "GET", p+"/messages/"+in1.ID, nil, 200), &full); err != nil || len(full) != 1 || len(full[0].Attachments) != 1 {
		t.Fatalf("message %s: %v %+v", in1.ID, err, full)
	}
	aid := full[0].Attachments[0].AttachmentID
	op = "GET /{eDeliveryAddress}/messages/{messageId}/attachments/{attachmentId}"
	w.do(op, tok, "GET", p+"/messages/"+in1.ID+"/attachments/"+aid, nil, 200)
	w.do(op, tok, "GET", p+"/messages/"+in1.ID+"/attachments/none", nil, 400)
	op = "POST /{eDeliveryAddress}/attachments/download"
	if got := w.do(op, tok, "POST", p+"/attachments/download", jsonBody(map[string]string{"messageId": in1.ID, "attachmentId": aid}), 200); !bytes.Equal(got, pdf) {
		t.Errorf("downloaded attachment: got %q, want %q", got, pdf)
	}
	w.do(op, tok, "POST", p+"/attachments/download", jsonBody(map[string]string{"messageId": in1.ID}), 400)
	op = "PATCH /{eDeliveryAddress}/messages/{messageId}/message_control_data"
	w.do(op, tok, "PATCH", p+"/messages/"+in2.ID+"/message_control_data", jsonBody([]any{map[string]any{"op": "replace", "path": "/opened", "value": map[string]bool{"opened": true}}}), 200)
	w.do(op, tok, "PATCH", p+"/messages/"+in2.ID+"/message_control_data", jsonBody([]any{map[string]any{"op": "replace", "path": "/status", "value": map[string]string{"status": "Doręczona"}}}), 400)
	op = "GET /{eDeliveryAddress}/threads"
	var threads struct {
		Thread []struct {
			ThreadID string `json:"threadId"`
		} `json:"Thread"`
	}
	if err := json.Unmarshal(w.do(op, tok, "GET", p+"/threads?caseId=KDR&sortColumn=firstMessageTitle", nil, 200), &threads); err != nil || len(threads.Thread) != 1 {
		t.Fatalf("threads of case KDR-1: %v %+v", err, threads)
	}
	w.do(op, tok, "GET", p+"/threads?sortColumn=length", nil, 400)
	op = "GET /{eDeliveryAddress}/threads/{threadId}"
	w.do(op, tok, "GET", p+"/threads/"+threads.Thread[0].ThreadID+"?sortColumn=caseID", nil, 200)
	w.do(op, tok, "GET", p+"/threads/none", nil, 400)

	// Drafts, attachments and sending.
	op = "POST /{eDeliveryAddress}/drafts"
	draft := field(t, w.do(op, tok, "POST", p+"/drafts", jsonBody(draftBody(citizen, "Decyzja")), 200), "messageId")
	w.do(op, tok, "POST", p+"/drafts", bad, 400)
	op = "PUT /{eDeliveryAddress}/drafts/{messageId}"
	answer := draftBody(citizen, "Decyzja w sprawie KDR-1")
	answer["messageMetadata"].(map[string]any)["threadId"] = threads.Thread[0].ThreadID
	w.do(op, tok, "PUT", p+"/drafts/"+draft, jsonBody(answer), 200)
	w.do(op, tok, "PUT", p+"/drafts/"+draft, bad, 400)
	op = "POST /{eDeliveryAddress}/drafts/{messageId}/attachments"
	doc := []byte("%PDF-1.7 decyzja")
	att := field(t, w.do(op, tok, "POST", p+"/drafts/"+draft+"/attachments", jsonBody(fileBody("decyzja.pdf", doc, edoreczeniasim.Hash(doc))), 200), "attachmentId")
	w.do(op, tok, "POST", p+"/drafts/"+draft+"/attachments", jsonBody(fileBody("decyzja.pdf", doc, "not-the-hash")), 400)
	op = "POST /{eDeliveryAddress}/{messageId}/attachments/upload"
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	_ = mw.WriteField("filename", "zalacznik.pdf")
	_ = mw.WriteField("contentType", "application/pdf")
	fw, _ := mw.CreateFormFile("file", "zalacznik.pdf")
	_, _ = fw.Write(doc)
	mw.Close()
	upload := field(t, w.do(op, tok, "POST", p+"/"+draft+"/attachments/upload", &reqBody{mw.FormDataContentType(), mp.Bytes()}, 200), "attachmentId")
	w.do(op, tok, "POST", p+"/"+draft+"/attachments/upload", &reqBody{"multipart/form-data; boundary=x", []byte("--x--")}, 400)
	op = "GET /{eDeliveryAddress}/drafts/{messageId}/attachments/{attachmentId}"
	w.do(op, tok, "GET", p+"/drafts/"+draft+"/attachments/"+att, nil, 200)
	w.do(op, tok, "GET", p+"/drafts/"+draft+"/attachments/none", nil, 400)
	op = "DELETE /{eDeliveryAddress}/drafts/{messageId}/attachments/{attachmentId}"
	w.do(op, tok, "DELETE", p+"/drafts/"+draft+"/attachments/"+upload, nil, 200)
	w.do(op, tok, "DELETE", p+"/drafts/"+draft+"/attachments/"+upload, nil, 400)
	op = "GET /{eDeliveryAddress}/drafts"
	w.do(op, tok, "GET", p+"/drafts?attachments=true&sortColumn=subject", nil, 200)
	w.do(op, tok, "GET", p+"/drafts?limit=101", nil, 400)
	op = "GET /{eDeliveryAddress}/drafts/{messageId}"
	w.do(op, tok, "GET", p+"/drafts/"+draft, nil, 200)
	w.do(op, tok, "GET", p+"/drafts/"+in1.ID, nil, 400)
	op = "POST /{eDeliveryAddress}/drafts/send"
	task := field(t, w.do(op, tok, "POST", p+"/drafts/send", jsonBody(map[string]string{"messageId": draft}), 202), "messageTaskId")
	w.do(op, tok, "POST", p+"/drafts/send", jsonBody(map[string]string{"messageId": draft}), 400) // sent already
	op = "GET /{eDeliveryAddress}/messages/tasks/{messageTaskId}"
	w.do(op, tok, "GET", p+"/messages/tasks/"+task, nil, 200)
	w.do(op, tok, "GET", p+"/messages/tasks/none", nil, 400)
	op = "GET /{eDeliveryAddress}/messages/tasks/{messageTaskId}/status"
	w.do(op, tok, "GET", p+"/messages/tasks/"+task+"/status", nil, 200)
	w.do(op, tok, "GET", p+"/messages/tasks/none/status", nil, 400)
	op = "POST /{eDeliveryAddress}/messages"
	direct := draftBody(citizen, "Zawiadomienie")
	direct["attachments"] = []any{map[string]any{"file": fileBody("zawiadomienie.pdf", doc, edoreczeniasim.Hash(doc))}}
	w.do(op, tok, "POST", p+"/messages", jsonBody(direct), 202)
	w.do(op, tok, "POST", p+"/messages", bad, 400)
	op = "DELETE /{eDeliveryAddress}/drafts/{messageId}"
	other := field(t, w.do("POST /{eDeliveryAddress}/drafts", tok, "POST", p+"/drafts", jsonBody(draftBody(citizen, "Brudnopis")), 200), "messageId")
	w.do("DELETE /{eDeliveryAddress}/drafts/{messageId}/attachments", tok, "DELETE", p+"/drafts/"+other+"/attachments", nil, 200)
	w.do("DELETE /{eDeliveryAddress}/drafts/{messageId}/attachments", tok, "DELETE", p+"/drafts/none/attachments", nil, 400)
	w.do(op, tok, "DELETE", p+"/drafts/"+other, nil, 200)
	w.do(op, tok, "DELETE", p+"/drafts/"+other, nil, 400)

	// Evidences of the letter sent.
	if _, err := e.sim.Collect(ctx, citizen, draft); err != nil {
		t.Fatal(err)
	}
	op = "GET /{eDeliveryAddress}/messages/{messageId}/evidences"
	var evs struct{ Evidences []evidence }
	if err := json.Unmarshal(w.do(op, tok, "GET", p+"/messages/"+draft+"/evidences?sortColumn=eventDate&sortDirection=desc&downloaded=false", nil, 200), &evs); err != nil || len(evs.Evidences) != 2 {
		t.Fatalf("evidences: %v %+v, want A.1 and the proof of receipt", err, evs)
	}
	w.do(op, tok, "GET", p+"/messages/"+draft+"/evidences?downloaded=maybe", nil, 400)
	ev := evs.Evidences[0].EvidenceID
	op = "GET /{eDeliveryAddress}/messages/evidences"
	w.do(op, tok, "GET", p+"/messages/evidences?type=BP.OX", nil, 200)
	w.do(op, tok, "GET", p+"/messages/evidences?sortColumn=type", nil, 400)
	op = "GET /{eDeliveryAddress}/messages/evidences/{evidenceId}"
	w.do(op, tok, "GET", p+"/messages/evidences/"+ev, nil, 200)
	w.do(op, tok, "GET", p+"/messages/evidences/none", nil, 400)
	op = "GET /{eDeliveryAddress}/evidences/{messageType}/{evidenceId}"
	w.do(op, tok, "GET", p+"/evidences/purde/"+ev, nil, 200)
	w.do(op, tok, "GET", p+"/evidences/purde/none", nil, 400)
	op = "GET /{eDeliveryAddress}/evidences/puhepo/{messageId}"
	w.do(op, tok, "GET", p+"/evidences/puhepo/"+draft, nil, 400) // no hybrid sending is simulated
	op = "GET /{eDeliveryAddress}/evidences/{messageId}/technical-evidences-file"
	w.do(op, tok, "GET", p+"/evidences/"+draft+"/technical-evidences-file", nil, 200)
	w.do(op, tok, "GET", p+"/evidences/none/technical-evidences-file", nil, 400)
	op = "GET /{eDeliveryAddress}/messages/{messageId}/message-archive-file"
	w.do(op, tok, "GET", p+"/messages/"+draft+"/message-archive-file", nil, 200)
	w.do(op, tok, "GET", p+"/messages/none/message-archive-file", nil, 400)

	// Archiving.
	op = "POST /{eDeliveryAddress}/message-archive-task"
	archive := field(t, w.do(op, tok, "POST", p+"/message-archive-task", jsonBody(map[string]any{"messageId": []string{in1.ID, draft}, "taskDescription": "KDR-1"}), 202), "taskId")
	w.do(op, tok, "POST", p+"/message-archive-task", jsonBody(map[string]any{"messageId": []string{}}), 400)
	op = "GET /{eDeliveryAddress}/message-archive-task-list"
	w.do(op, tok, "GET", p+"/message-archive-task-list?taskId="+archive+"&sortColumn=dateForDownload", nil, 200)
	w.do(op, tok, "GET", p+"/message-archive-task-list?limit=101", nil, 400)
	op = "GET /{eDeliveryAddress}/message-archive-task/{taskId}/download"
	w.do(op, tok, "GET", p+"/message-archive-task/"+archive+"/download", nil, 200)
	w.do(op, tok, "GET", p+"/message-archive-task/none/download", nil, 400)
	op = "PATCH /{eDeliveryAddress}/message-archive-task"
	w.do(op, tok, "PATCH", p+"/message-archive-task", jsonBody(map[string]string{"taskId": archive, "changeStatus": "FINISH_WITHOUT_DELETING_MESSAGES"}), 202)
	w.do(op, tok, "PATCH", p+"/message-archive-task", jsonBody(map[string]string{"taskId": archive, "changeStatus": "CANCEL"}), 400) // finished already

	// Folders and rules.
	op = "POST /{eDeliveryAddress}/directories"
	var dirs []struct{ DirectoryID, Label, Type string }
	if err := json.Unmarshal(w.do(op, tok, "POST", p+"/directories", jsonBody(map[string]string{"directoryName": "Skargi", "directoryLabel": "SKARGI"}), 200), &dirs); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(dirs, func(d struct{ DirectoryID, Label, Type string }) bool { return d.Label == "SKARGI" })
	if i < 0 {
		t.Fatalf("directories: %+v, want SKARGI", dirs)
	}
	folder := dirs[i].DirectoryID
	w.do(op, tok, "POST", p+"/directories", jsonBody(map[string]string{"directoryName": strings.Repeat("x", 31)}), 400)
	w.do("GET /{eDeliveryAddress}/directories", tok, "GET", p+"/directories", nil, 200)
	op = "PATCH /{eDeliveryAddress}/directories/{directoryId}"
	w.do(op, tok, "PATCH", p+"/directories/"+folder, jsonBody(map[string]string{"newDirectoryName": "Skargi i wnioski"}), 200)
	w.do(op, tok, "PATCH", p+"/directories/INBOX", jsonBody(map[string]string{"newDirectoryName": "Poczta"}), 400)
	op = "POST /{eDeliveryAddress}/rule"
	w.do(op, tok, "POST", p+"/rule", jsonBody(map[string]any{"ruleName": "Skargi", "enableRule": true, "directoryId": folder,
		"conditions": []any{map[string]string{"typeConditions": "subject", "conditionType": "subject", "conditionText": "Skarga"}}}), 200)
	w.do(op, tok, "POST", p+"/rule", jsonBody(map[string]any{"ruleName": "S", "enableRule": true, "directoryId": folder}), 400)
	op = "GET /{eDeliveryAddress}/rule_list"
	var rules struct {
		Rules []struct{ RuleID string } `json:"rules"`
	}
	if err := json.Unmarshal(w.do(op, tok, "GET", p+"/rule_list", nil, 200), &rules); err != nil || len(rules.Rules) != 1 {
		t.Fatalf("rules: %v %+v", err, rules)
	}
	w.do(op, tok, "GET", p+"/rule_list?limit=0", nil, 400)
	// The rule files the next complaint into the folder.
	if _, err := e.sim.Post(ctx, citizen, edoreczeniasim.Draft{To: office, Subject: "Skarga druga"}); err != nil {
		t.Fatal(err)
	}
	var filed listed
	if err := json.Unmarshal(w.do("GET /{eDeliveryAddress}/messages", tok, "GET", p+"/messages?label=SKARGI", nil, 200), &filed); err != nil || filed.Total != 1 {
		t.Errorf("folder SKARGI: %v %+v, want the second complaint", err, filed)
	}
	w.do("GET /{eDeliveryAddress}/numberMessages", tok, "GET", p+"/numberMessages", nil, 200)
	op = "PATCH /{eDeliveryAddress}/rule/{ruleId}"
	w.do(op, tok, "PATCH", p+"/rule/"+rules.Rules[0].RuleID, jsonBody(map[string]any{"enableRule": false, "moveOrder": 1}), 200)
	w.do(op, tok, "PATCH", p+"/rule/none", jsonBody(map[string]any{"enableRule": false}), 400)
	op = "DELETE /{eDeliveryAddress}/rule/{ruleId}"
	w.do(op, tok, "DELETE", p+"/rule/"+rules.Rules[0].RuleID, nil, 200)
	w.do(op, tok, "DELETE", p+"/rule/"+rules.Rules[0].RuleID, nil, 400)
	op = "DELETE /{eDeliveryAddress}/directories/{directoryId}"
	w.do(op, tok, "DELETE", p+"/directories/"+folder, nil, 200)
	w.do(op, tok, "DELETE", p+"/directories/"+folder, nil, 400)

	// Settings, notifications, subscriptions, the dictionary.
	w.do("GET /{eDeliveryAddress}/settings", tok, "GET", p+"/settings", nil, 200)
	op = "PATCH /{eDeliveryAddress}/settings"
	w.do(op, tok, "PATCH", p+"/settings", jsonBody([]any{map[string]any{"op": "replace", "path": "/email", "value": map[string]string{"email": "kancelaria@rops.example"}}}), 200)
	w.do(op, tok, "PATCH", p+"/settings", jsonBody([]any{map[string]any{"op": "replace", "path": "/email", "value": map[string]string{"email": "no at sign"}}}), 400)
	w.do("GET /{eDeliveryAddress}/message_notification", tok, "GET", p+"/message_notification", nil, 200)
	op = "PATCH /{eDeliveryAddress}/message_notification"
	w.do(op, tok, "PATCH", p+"/message_notification", jsonBody(map[string]bool{"pushNotification": true}), 200)
	w.do(op, tok, "PATCH", p+"/message_notification", jsonBody(map[string]string{}), 400)
	op = "PUT /{eDeliveryAddress}/message_subscriptions"
	sub := field(t, w.do(op, tok, "PUT", p+"/message_subscriptions", jsonBody(map[string]string{"inboxCallbackUrl": "http://127.0.0.1:1/inbox"}), 200), "subscriptionId")
	w.do(op, tok, "PUT", p+"/message_subscriptions", jsonBody(map[string]string{}), 400)
	w.do("GET /{eDeliveryAddress}/message_subscriptions", tok, "GET", p+"/message_subscriptions", nil, 200)
	w.do("PATCH /{eDeliveryAddress}/message_subscriptions", tok, "PATCH", p+"/message_subscriptions", jsonBody(map[string]any{"subscriptionId": sub, "status": false}), 200)
	op = "DELETE /{eDeliveryAddress}/message_subscriptions"
	w.do(op, tok, "DELETE", p+"/message_subscriptions", nil, 200)
	w.do(op, tok, "DELETE", p+"/message_subscriptions", nil, 400)
	w.do("GET /dictionary/countries", tok, "GET", "/dictionary/countries", nil, 200)

	op = "DELETE /{eDeliveryAddress}/messages/{messageId}"
	w.do(op, tok, "DELETE", p+"/messages/"+in2.ID, nil, 200)
	w.do(op, tok, "DELETE", p+"/messages/"+in2.ID, nil, 400)

	// The statuses the contract forgot (README): no token, a token without the scope.
	w.do("GET /{eDeliveryAddress}/messages", "", "GET", p+"/messages", nil, 401)
	w.do("POST /{eDeliveryAddress}/drafts", e.token(t, "reader", "r", ""), "POST", p+"/drafts", jsonBody(draftBody(citizen, "x")), 403)

	// Every operation was walked to a success, and to its 400 where it has input to refuse.
	noInput := map[string]bool{"GET /{eDeliveryAddress}/message_notification": true, "GET /{eDeliveryAddress}/settings": true,
		"GET /{eDeliveryAddress}/numberMessages": true, "GET /{eDeliveryAddress}/directories": true, "GET /dictionary/countries": true,
		"GET /{eDeliveryAddress}/message_subscriptions": true, "PATCH /{eDeliveryAddress}/message_subscriptions": true}
	ops := w.operations()
	if len(ops) != 51 {
		t.Errorf("the document has %d operations, want 51", len(ops))
	}
	for _, op := range ops {
		got := w.covered[op]
		success := false
		for st := range got {
			success = success || st < 300
		}
		switch {
		case op == "GET /{eDeliveryAddress}/evidences/puhepo/{messageId}":
			if !got[400] { // only hybrid sendings have an EPO, and none is simulated
				t.Errorf("%s: not walked", op)
			}
		case !success:
			t.Errorf("%s: no success walked", op)
		case w.declared(op, 400) && !noInput[op] && !got[400]:
			t.Errorf("%s: its 400 not walked", op)
		}
	}
}
