package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/text/encoding/charmap"

	"github.com/obieg/obieg/internal/dev/simulator/compose"
	"github.com/obieg/obieg/internal/domain/civil"
	"github.com/obieg/obieg/internal/domain/forms"
	"github.com/obieg/obieg/internal/records/audit"
	"github.com/obieg/obieg/internal/records/cases"
	"github.com/obieg/obieg/internal/records/register"
)

// letterFiles are the files of the SEK case's incoming letter, as stored.
type letterFiles struct {
	doc, pdf, zipInline, zipStored, html, report []byte
}

// testZIP builds a ZIP archive as Windows tools write them: names in CP852 without the
// UTF-8 flag, except those given in utf8Names, written in UTF-8 with the flag.
func testZIP(tb testing.TB, cp852Names []string, utf8Names []string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	add := func(h *zip.FileHeader) {
		fw, err := w.CreateHeader(h)
		if err != nil {
			tb.Fatal(err)
		}
		fw.Write([]byte("treść " + h.Name))
	}
	for _, n := range cp852Names {
		raw, err := charmap.CodePage852.NewEncoder().String(n)
		if err != nil {
			tb.Fatal(err)
		}
		add(&zip.FileHeader{Name: raw, Method: zip.Deflate, NonUTF8: true, Modified: time.Date(2026, 5, 6, 7, 8, 10, 0, time.UTC)})
	}
	for _, n := range utf8Names {
		add(&zip.FileHeader{Name: n, Method: zip.Deflate, Flags: 0x800, Modified: time.Date(2026, 5, 6, 7, 8, 10, 0, time.UTC)})
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// withLetter makes the case ref's submission a registered general letter from ePUAP with
// inline attachments (a PDF, a ZIP with CP852 names, an HTML page, a broken one), two
// attachments stored beside it (a ZIP fetched from FileRepo, a file not fetched) and a
// validation report, all kept in raw as the intake keeps them.
func withLetter(t *testing.T, pool *pgxpool.Pool, raw rawStore, ref string) letterFiles {
	t.Helper()
	ctx := context.Background()
	c, err := cases.New(pool).Get(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	f := letterFiles{
		pdf:       []byte("%PDF-1.4 oświadczenie"),
		zipInline: testZIP(t, []string{"Załącznik nr 1 - oświadczenie.pdf", "ŻÓŁTE/zaświadczenie.jpg"}, []string{"Załącznik nr 2 – umowa.pdf", "../../etc/passwd"}),
		zipStored: testZIP(t, []string{"Skan ąęść.tif"}, nil),
		html:      []byte("<script>alert(1)</script>"),
		report:    []byte(`<ValidationReport xmlns="http://uri.etsi.org/19102/v1.2.1#"/>`),
	}
	l := compose.Random(1)
	l.Tytul = "Prośba o informację"
	l.Informacje = []string{"Proszę o informację <b>pilnie</b>.", "Z poważaniem,\nJan Testowy"}
	l.Zalaczniki = []compose.Attachment{
		{NazwaPliku: "Oświadczenie.pdf", Format: "application/pdf", Dane: f.pdf},
		{NazwaPliku: "Załączniki.zip", Format: "application/zip", Dane: f.zipInline},
		{NazwaPliku: `..\strona "główna".html`, Format: "text/html", Dane: f.html},
	}
	doc := l.XML()
	// a fourth, broken attachment
	doc = bytes.Replace(doc, []byte("</str:Zalaczniki>"),
		[]byte(`<str:Zalacznik format="application/pdf" kodowanie="base64" nazwaPliku="zly.pdf"><str:DaneZalacznika>!!nie base64</str:DaneZalacznika></str:Zalacznik></str:Zalaczniki>`), 1)
	f.doc = doc
	key := func(id string) string { return "sha256/" + strings.Repeat(id, 64)[:64] }
	var rawKey string
	if err := pool.QueryRow(ctx, `SELECT raw_key FROM submissions WHERE id = $1`, c.OriginSubmissionID).Scan(&rawKey); err != nil {
		t.Fatal(err)
	}
	raw["raw/"+rawKey] = doc
	raw["raw/"+key("z")] = f.zipStored
	raw["raw/reports/r1"] = f.report
	if _, err := pool.Exec(ctx, `UPDATE submissions SET file_name = 'Pismo ogólne.xml', content_type = 'application/xml', size_bytes = $2 WHERE id = $1`,
		c.OriginSubmissionID, len(doc)); err != nil {
		t.Fatal(err)
	}
	if _, err := register.New(pool).Register(ctx, c.OriginSubmissionID, register.Entry{FormType: forms.GeneralLetter, Title: l.Tytul,
		Attachments: 4, RegisteredAt: time.Now(), Signature: register.Signature{Status: "indeterminate",
			Detail: "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND", Signer: "Jan Testowy", ReportKey: "reports/r1"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO submission_attachments (submission_id, position, name, format, url, raw_key, sha256, size_bytes)
		VALUES ($1, 0, 'Skany.zip', 'application/zip', 'https://epuap.gov.pl/file-download-servlet/DownloadServlet?fileId=9', $2, $3, $4),
		($1, 1, 'Duży.pdf', 'application/pdf', 'https://epuap.gov.pl/file-download-servlet/DownloadServlet?fileId=10', NULL, NULL, NULL)`,
		c.OriginSubmissionID, key("z"), strings.Repeat("z", 64), len(f.zipStored)); err != nil {
		t.Fatal(err)
	}
	return f
}

type incomingAnswer struct {
	RegisterNumber string `json:"register_number"`
	Channel        string `json:"channel"`
	Sender         string `json:"sender"`
	FormType       string `json:"form_type"`
	Title          string `json:"title"`
	Problem        string `json:"problem"`
	Letter         struct {
		Text []string `json:"text"`
	} `json:"letter"`
	Signature struct {
		Status, Text, Signer, Report string
	} `json:"signature"`
	Document struct {
		Name, Download string
		Size           int64
	} `json:"document"`
	Attachments []struct {
		N           int
		Name        string
		ContentType string `json:"content_type"`
		Source      string
		Download    string
		Problem     string
		Size        int64
		ZIP         *struct {
			Entries []struct {
				Name, Encoding string
				Unsafe         bool
			}
			Total int
		} `json:"zip"`
	} `json:"attachments"`
}

// TestIncomingLetter: the case shows the letter it was opened from, its text escaped, its
// attachments (inline, from FileRepo) with ZIP entries' CP852 names decoded; each file
// downloads as received, under a safe name and a harmless type, each read recorded.
func TestIncomingLetter(t *testing.T) {
	o := newOffice(t)
	f := o.letter
	c := o.client(t, "referent.sek")
	resp, body := send(t, c, http.MethodGet, o.url+"/api/v1/cases/"+o.sekCase+"/submission", "")
	if resp.StatusCode != 200 {
		t.Fatalf("GET submission: got %d %s", resp.StatusCode, body)
	}
	var got incomingAnswer
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(got.RegisterNumber, "/"+time.Now().In(civil.Warsaw).Format("2006")) || got.Channel != "epuap" || got.Sender != "Jan Testowy" ||
		got.FormType != forms.GeneralLetter || got.Title != "Prośba o informację" || got.Problem != "" {
		t.Errorf("got %+v", got)
	}
	if strings.Join(got.Letter.Text, "|") != "Proszę o informację <b>pilnie</b>.|Z poważaniem,\nJan Testowy" {
		t.Errorf("got text %q", got.Letter.Text)
	}
	base := "/api/v1/cases/" + o.sekCase + "/submission"
	if got.Signature.Status != "indeterminate" || got.Signature.Signer != "Jan Testowy" || got.Signature.Report != base+"/report" ||
		!strings.Contains(got.Signature.Text, "NO_CERTIFICATE_CHAIN_FOUND") {
		t.Errorf("got signature %+v", got.Signature)
	}
	if got.Document.Name != "Pismo ogólne.xml" || got.Document.Download != base+"/document" || got.Document.Size != int64(len(f.doc)) {
		t.Errorf("got document %+v", got.Document)
	}
	type att struct{ name, source, download, problem string }
	want := []att{
		{"Oświadczenie.pdf", "inline", base + "/attachments/1", ""},
		{"Załączniki.zip", "inline", base + "/attachments/2", ""},
		{`strona "główna".html`, "inline", base + "/attachments/3", ""},
		{"zly.pdf", "inline", "", "załącznik uszkodzony: nieprawidłowe kodowanie base64"},
		{"Skany.zip", "filerepo", base + "/attachments/5", ""},
		{"Duży.pdf", "filerepo", "", "Załącznika nie pobrano z ePUAP – nie ma go w obiegu."},
	}
	if len(got.Attachments) != len(want) {
		t.Fatalf("got %d attachments %+v, want %d", len(got.Attachments), got.Attachments, len(want))
	}
	for i, a := range got.Attachments {
		if w := want[i]; a.N != i+1 || a.Name != w.name || a.Source != w.source || a.Download != w.download || a.Problem != w.problem {
			t.Errorf("attachment %d: got %+v, want %+v", i+1, a, w)
		}
	}
	if z := got.Attachments[1].ZIP; z == nil || z.Total != 4 || len(z.Entries) != 4 ||
		z.Entries[0].Name != "Załącznik nr 1 - oświadczenie.pdf" || z.Entries[0].Encoding != "cp852" ||
		z.Entries[1].Name != "ŻÓŁTE/zaświadczenie.jpg" ||
		z.Entries[2].Name != "Załącznik nr 2 – umowa.pdf" || z.Entries[2].Encoding != "utf-8" || z.Entries[2].Unsafe ||
		z.Entries[3].Name != "../../etc/passwd" || !z.Entries[3].Unsafe {
		t.Errorf("inline ZIP: got %+v", z)
	}
	if z := got.Attachments[4].ZIP; z == nil || len(z.Entries) != 1 || z.Entries[0].Name != "Skan ąęść.tif" {
		t.Errorf("stored ZIP: got %+v", z)
	}

	_, page := send(t, c, http.MethodGet, o.url+"/sprawy/"+o.sekCase, "")
	for _, s := range []string{"<h2 id=\"pismo-wplywajace\">Pismo wpływające</h2>", "Proszę o informację &lt;b&gt;pilnie&lt;/b&gt;.",
		"Załącznik nr 1 - oświadczenie.pdf", "Skan ąęść.tif", "nazwa niebezpieczna",
		`href="/sprawy/` + o.sekCase + `/wplyw/zalaczniki/2" download>Pobierz załącznik 2: Załączniki.zip</a>`,
		`href="/sprawy/` + o.sekCase + `/wplyw/dokument"`, `href="/sprawy/` + o.sekCase + `/wplyw/raport"`, "ePUAP"} {
		if !strings.Contains(string(page), s) {
			t.Errorf("the case page lacks %q", s)
		}
	}
	if strings.Contains(string(page), "<b>pilnie") {
		t.Error("the letter's text is not escaped")
	}

	reads := func() int {
		var n int
		if err := o.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1 AND object_id = $2`,
			audit.ActionCaseRead, o.sekCase).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	pagePath := "/sprawy/" + o.sekCase + "/wplyw"
	downloads := []struct {
		path, ctype, disposition string
		body                     []byte
	}{
		{base + "/document", "application/xml", `attachment; filename="Pismo ogolne.xml"; filename*=UTF-8''Pismo%20og%C3%B3lne.xml`, f.doc},
		{pagePath + "/dokument", "application/xml", `attachment; filename="Pismo ogolne.xml"; filename*=UTF-8''Pismo%20og%C3%B3lne.xml`, f.doc},
		{base + "/attachments/1", "application/pdf", `attachment; filename="Oswiadczenie.pdf"; filename*=UTF-8''O%C5%9Bwiadczenie.pdf`, f.pdf},
		{pagePath + "/zalaczniki/2", "application/zip", `attachment; filename="Zalaczniki.zip"; filename*=UTF-8''Za%C5%82%C4%85czniki.zip`, f.zipInline},
		{base + "/attachments/3", "application/octet-stream", `attachment; filename="strona _glowna_.html"; filename*=UTF-8''strona%20%22g%C5%82%C3%B3wna%22.html`, f.html},
		{base + "/attachments/5", "application/zip", `attachment; filename="Skany.zip"; filename*=UTF-8''Skany.zip`, f.zipStored},
		{base + "/report", "application/xml", "", f.report},
		{pagePath + "/raport", "application/xml", "", f.report},
	}
	for _, d := range downloads {
		before := reads()
		resp, body := send(t, c, http.MethodGet, o.url+d.path, "")
		if resp.StatusCode != 200 || !bytes.Equal(body, d.body) || resp.Header.Get("Content-Type") != d.ctype ||
			resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: got %d %s, want 200 %s and the file as stored", d.path, resp.StatusCode, resp.Header.Get("Content-Type"), d.ctype)
		}
		if cd := resp.Header.Get("Content-Disposition"); (d.disposition != "" && cd != d.disposition) || !strings.HasPrefix(cd, "attachment;") {
			t.Errorf("GET %s: got Content-Disposition %s, want %s", d.path, cd, d.disposition)
		}
		if reads() != before+1 {
			t.Errorf("GET %s: the read of the case file is not recorded", d.path)
		}
	}
	for _, path := range []string{base + "/attachments/4", base + "/attachments/6", base + "/attachments/7", base + "/attachments/0",
		pagePath + "/zalaczniki/x", "/api/v1/cases/" + o.oisCase + "/submission/report"} {
		if resp, body := send(t, c, http.MethodGet, o.url+path, ""); resp.StatusCode != http.StatusNotFound && !(strings.Contains(path, o.oisCase) && resp.StatusCode == 403) {
			t.Errorf("GET %s: got %d %s, want 404", path, resp.StatusCode, body)
		}
	}
	admin := o.client(t, "admin")
	if resp, body := send(t, admin, http.MethodGet, o.url+"/api/v1/cases/"+o.oisCase+"/submission/report", ""); resp.StatusCode != 404 {
		t.Errorf("report of a letter without one: got %d %s, want 404", resp.StatusCode, body)
	}
}

// TestIncomingMessage: a letter that came through e-Doręczenia without an XML document
// shows the message's text and its files.
func TestIncomingMessage(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	ref := openCase(t, o.pool, "e", "SEK", "0600")
	message := []byte(`[{"messageMetadata":{"messageId":"e","from":{"eDeliveryAddress":"AE:PL-20000-00002-JANKO-22"},"subject":"Wniosek",
		"submissionDate":"2026-11-20T10:00:00Z"},"textBody":"Dzień dobry.\r\n\r\nProszę o <b>kartę</b>.\r\nJan","attachments":[]}]`)
	pdf := []byte("%PDF-1.7 wniosek")
	o.raw["raw/"+"sha256/"+strings.Repeat("e", 64)] = message
	o.raw["raw/sha256/pdf"] = pdf
	var id string
	if err := o.pool.QueryRow(ctx, `UPDATE submissions SET channel = 'edoreczenia', content_type = 'application/json', file_name = 'wiadomosc-edoreczenia.json',
		sender_id = 'AE:PL-20000-00002-JANKO-22', sender_name = 'AE:PL-20000-00002-JANKO-22', form_type = 'pismo-ogolne', title = 'Wniosek'
		WHERE box_document_id = 'e' RETURNING id::text`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := o.pool.Exec(ctx, `INSERT INTO submission_attachments (submission_id, position, name, format, url, raw_key, sha256, size_bytes)
		VALUES ($1, 0, 'wniosek.pdf', 'application/pdf', '', 'sha256/pdf', $2, $3)`, id, strings.Repeat("f", 64), len(pdf)); err != nil {
		t.Fatal(err)
	}
	c := o.client(t, "kierownik.sek")
	resp, body := send(t, c, http.MethodGet, o.url+"/api/v1/cases/"+ref+"/submission", "")
	var got incomingAnswer
	if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET submission: %d %s", resp.StatusCode, body)
	}
	if got.Channel != "edoreczenia" || got.Problem != "" || strings.Join(got.Letter.Text, "|") != "Dzień dobry.|Proszę o <b>kartę</b>.\nJan" ||
		got.RegisterNumber != "" || len(got.Attachments) != 1 || got.Attachments[0].Source != "edoreczenia" || got.Attachments[0].Name != "wniosek.pdf" {
		t.Errorf("got %s", body)
	}
	base := "/api/v1/cases/" + ref + "/submission"
	for path, want := range map[string][]byte{base + "/document": message, base + "/attachments/1": pdf} {
		resp, body := send(t, c, http.MethodGet, o.url+path, "")
		if resp.StatusCode != 200 || !bytes.Equal(body, want) {
			t.Errorf("GET %s: got %d %q", path, resp.StatusCode, body)
		}
	}
	if resp, _ := send(t, c, http.MethodGet, o.url+base+"/report", ""); resp.StatusCode != 404 {
		t.Errorf("report of a letter without one: got %d, want 404", resp.StatusCode)
	}
	_, page := send(t, c, http.MethodGet, o.url+"/sprawy/"+ref, "")
	for _, s := range []string{"e-Doręczenia", "Proszę o &lt;b&gt;kartę&lt;/b&gt;.", "nie zarejestrowano", "plik wiadomości e-Doręczeń"} {
		if !strings.Contains(string(page), s) {
			t.Errorf("the case page lacks %q", s)
		}
	}
}
