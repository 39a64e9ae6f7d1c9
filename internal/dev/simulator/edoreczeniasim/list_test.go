package edoreczeniasim_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/dev/simulator/edoreczeniasim"
)

type listed struct {
	Total    int `json:"total"`
	Messages []struct {
		MessageMetadata struct {
			MessageID string `json:"messageId"`
			Subject   string `json:"subject"`
		} `json:"messageMetadata"`
	} `json:"messages"`
}

func (l listed) subjects() []string {
	var out []string
	for _, m := range l.Messages {
		out = append(out, m.MessageMetadata.Subject)
	}
	return out
}

// TestListFilters: GET /messages applies every filter of the contract and refuses what the
// contract does not allow with its error shape.
func TestListFilters(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tok := e.token(t, "ezd", "s3cret", "")
	start := e.sim.Now()
	// Three letters to the office an hour apart, one with an attachment, then one sent.
	post := func(subject string, files ...edoreczeniasim.Attachment) {
		t.Helper()
		if _, err := e.sim.Post(ctx, citizen, edoreczeniasim.Draft{To: office, Subject: subject}, files...); err != nil {
			t.Fatal(err)
		}
		if err := e.sim.Advance(ctx, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	post("Wniosek o kartę")
	post("Skarga", edoreczeniasim.Attachment{Name: "skarga.pdf", Data: []byte("%PDF")})
	post("Zażalenie")
	e.send(t, tok, citizen)
	p := edoreczeniasim.APIPrefix + "/" + office + "/messages?format=metadata&"
	at := func(d time.Duration) string { return url.QueryEscape(start.Add(d).Format(time.RFC3339Nano)) }
	for _, tc := range []struct {
		name, query string
		want        string // subjects in order
	}{
		{"inbox", "label=INBOX", "Wniosek o kartę,Skarga,Zażalenie"},
		{"sent", "label=SENT", "Decyzja w sprawie KDR"},
		{"subject", "subject=skarga", "Skarga"},
		{"sender by address", "label=INBOX&sender=" + url.QueryEscape(citizen[:10]), "Wniosek o kartę,Skarga,Zażalenie"},
		{"recipient", "recipient=" + url.QueryEscape(citizen), "Decyzja w sprawie KDR"},
		{"attachments", "label=INBOX&attachments=true", "Skarga"},
		{"no attachments", "label=INBOX&attachments=false", "Wniosek o kartę,Zażalenie"},
		{"submitted until", "submissionDateTo=" + at(30*time.Minute), "Wniosek o kartę"},
		{"submitted between", "submissionDateFrom=" + at(30*time.Minute) + "&submissionDateTo=" + at(90*time.Minute), "Skarga"},
		{"event from", "label=INBOX&eventDateFrom=" + at(90*time.Minute), "Zażalenie"},
		{"receipt dates: none received", "label=INBOX&receiptDateFrom=" + at(0), ""},
		{"hybrid", "shippingService=hybrid", ""},
		{"by subject desc", "label=INBOX&sortColumn=subject&sortDirection=desc", "Zażalenie,Wniosek o kartę,Skarga"},
		{"by timestamp", "label=INBOX&sortColumn=timestamp", "Wniosek o kartę,Skarga,Zażalenie"},
		{"page", "label=INBOX&sortColumn=submissionDate&offset=1&limit=1", "Skarga"},
		{"unopened", "label=INBOX&opened=false", "Wniosek o kartę,Skarga,Zażalenie"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var l listed
			e.must(t, http.StatusOK, tok, "GET", p+tc.query, nil, &l)
			if got := strings.Join(l.subjects(), ","); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	for _, q := range []string{"opened=maybe", "attachments=1", "submissionDateFrom=yesterday", "sortColumn=size",
		"sortDirection=up", "limit=0", "limit=2001", "offset=-1", "shippingService=post", "format=full",
		"submissionDateFrom=" + at(time.Hour) + "&submissionDateTo=" + at(0)} {
		t.Run("refused "+q, func(t *testing.T) {
			status, b := e.call(t, tok, "GET", edoreczeniasim.APIPrefix+"/"+office+"/messages?"+q, nil)
			if status != http.StatusBadRequest || !strings.Contains(string(b), "INVALID_REQUEST") {
				t.Errorf("got %d %s, want 400 INVALID_REQUEST", status, b)
			}
		})
	}
}

// TestTextBodyCharacters: textBody's maxLength counts characters: 2,600 Polish letters (5,200
// bytes) are a valid draft, 5,001 characters are not.
func TestTextBodyCharacters(t *testing.T) {
	e := newEnv(t)
	tok := e.token(t, "ezd", "s3cret", "")
	p := edoreczeniasim.APIPrefix + "/" + office + "/drafts"
	body := draftBody(citizen, "Decyzja")
	body["textBody"] = strings.Repeat("ż", 2600)
	e.must(t, http.StatusOK, tok, "POST", p, body, nil)
	body["textBody"] = strings.Repeat("a", 5001)
	if status, b := e.call(t, tok, "POST", p, body); status != http.StatusBadRequest {
		t.Errorf("5001 characters: got %d %s, want 400", status, b)
	}
}

// TestRouting: operations that share a path shape reach their own handler, and a path the
// contract does not have answers the contract's error shape, not plain text.
func TestRouting(t *testing.T) {
	e := newEnv(t)
	tok := e.token(t, "ezd", "s3cret", "")
	id := e.send(t, tok, citizen)
	p := edoreczeniasim.APIPrefix + "/" + office
	var all struct{ Evidences []evidence }
	e.must(t, http.StatusOK, tok, "GET", p+"/messages/evidences", nil, &all)
	if len(all.Evidences) != 1 || all.Evidences[0].Type != edoreczeniasim.EvidenceSubmissionAcceptance {
		t.Errorf("mailbox evidences: got %+v, want the A.1 of the letter", all.Evidences)
	}
	var one []evidence
	e.must(t, http.StatusOK, tok, "GET", p+"/messages/evidences/"+all.Evidences[0].EvidenceID, nil, &one)
	if len(one) != 1 || one[0].EvidenceID != all.Evidences[0].EvidenceID {
		t.Errorf("evidence by id: got %+v", one)
	}
	status, b := e.call(t, tok, "GET", p+"/evidences/puhepo/"+id, nil)
	if status != http.StatusBadRequest || !strings.Contains(string(b), "NOT_FOUND") || strings.Contains(string(b), "want purde") {
		t.Errorf("puhepo: got %d %s, want 400 NOT_FOUND about hybrid sendings", status, b)
	}
	e.must(t, http.StatusOK, tok, "GET", p+"/evidences/"+id+"/technical-evidences-file", nil, nil)
	e.must(t, http.StatusOK, tok, "GET", p+"/messages/"+id+"/message-archive-file", nil, nil)
	// Not through the checking transport: the path is not in the contract.
	req, _ := http.NewRequest(http.MethodGet, e.url+edoreczeniasim.APIPrefix+"/"+office+"/nothing-here", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if status = resp.StatusCode; status != http.StatusNotFound || !strings.Contains(string(b), `"error"`) {
		t.Errorf("unknown operation: got %d %s, want 404 with an ErrorInfo", status, b)
	}
}

// TestControlRoutesApart: the API's handler does not serve the control routes, which would
// let anyone who reaches it register a client with every scope.
func TestControlRoutesApart(t *testing.T) {
	sim := edoreczeniasim.New(edoreczeniasim.NewMemStore(), time.Now, nil)
	api := httptest.NewServer(sim.Handler())
	t.Cleanup(api.Close)
	ctl := httptest.NewServer(sim.ControlHandler())
	t.Cleanup(ctl.Close)
	put := func(base string) int {
		req, _ := http.NewRequest(http.MethodPut, base+edoreczeniasim.SimPrefix+"/clients/intruder",
			strings.NewReader(`{"secret":"x","scopes":["read_messages","write_messages"],"addresses":["`+office+`"]}`))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := put(api.URL); got != http.StatusNotFound {
		t.Errorf("register a client on the API's address: got %d, want 404", got)
	}
	if got := put(ctl.URL); got != http.StatusOK {
		t.Errorf("register a client on the control address: got %d, want 200", got)
	}
}
