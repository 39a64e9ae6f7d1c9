package epuapsim_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/adapters/soap"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Minute)
	return c.t
}

func newClock() *stepClock { return &stepClock{t: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)} }

var box = epuap.Box{Podmiot: "ROPS_Test", Name: "SkrytkaESP", Address: "/ROPS_Test/SkrytkaESP"}

func newSim(t testing.TB, store epuapsim.Store) *epuapsim.Simulator {
	t.Helper()
	sim := epuapsim.New(store, newClock().Now, nil)
	if _, err := sim.CreateBox(context.Background(), box.Podmiot, box.Name); err != nil {
		t.Fatal(err)
	}
	return sim
}

func fileDoc(t testing.TB, sim *epuapsim.Simulator, content string) epuapsim.Filed {
	t.Helper()
	f, err := sim.File(context.Background(), epuapsim.FileRequest{
		Podmiot: box.Podmiot, Skrytka: box.Name,
		Sender:        epuapsim.Sender{Identyfikator: "anowak", ImieSkrot: "Anna", NazwiskoNazwa: "Nowak", Zgoda: true},
		DaneDodatkowe: []byte("<d/>"), NazwaPliku: "pismo.xml", Zawartosc: []byte(content),
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// post sends a SOAP request for element with body children inner and returns the answer.
func post(t testing.TB, h http.Handler, action, element, inner string) (int, []byte) {
	t.Helper()
	req := `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ob="http://wsdl.epuap.gov.pl/obiekty/"><soapenv:Header/><soapenv:Body><ob:` +
		element + `><podmiot>` + box.Podmiot + `</podmiot><nazwaSkrytki>` + box.Name + `</nazwaSkrytki><adresSkrytki>` + box.Address + `</adresSkrytki>` +
		inner + `</ob:` + element + `></soapenv:Body></soapenv:Envelope>`
	r := httptest.NewRequest(http.MethodPost, schema.PullPath, strings.NewReader(req))
	r.Header.Set("Content-Type", soap.ContentType)
	if action != "" {
		r.Header.Set("SOAPAction", `"`+action+`"`)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden.xml")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestPullAnswers(t *testing.T) {
	sim := newSim(t, epuapsim.NewMemStore())
	h := sim.Handler()
	empty := func(t *testing.T) {}
	filed := func(t *testing.T) { fileDoc(t, sim, "<Dokument>treść</Dokument>") }
	tests := []struct {
		name     string
		setup    func(t *testing.T)
		action   string
		element  string
		inner    string
		wantCode int
		xsdType  string // the answer's children must follow this type's sequence
	}{
		{"pobierz_empty", empty, schema.ActionPobierzNastepny, "ZapytaniePullPobierz", "", 200, "OdpowiedzPullPobierzTyp"},
		{"oczekujace_empty", empty, schema.ActionOczekujaceDokumenty, "ZapytaniePullOczekujace", "", 200, "OdpowiedzPullOczekujaceTyp"},
		{"pobierz", filed, schema.ActionPobierzNastepny, "ZapytaniePullPobierz", "", 200, "OdpowiedzPullPobierzTyp"},
		{"pobierz_by_body", empty, "", "ZapytaniePullPobierz", "", 200, "OdpowiedzPullPobierzTyp"},
		{"oczekujace", empty, schema.ActionOczekujaceDokumenty, "ZapytaniePullOczekujace", "", 200, "OdpowiedzPullOczekujaceTyp"},
		{"potwierdz", empty, schema.ActionPotwierdzOdebranie, "ZapytaniePullPotwierdz", "<skrot>" + epuap.Skrot([]byte("<Dokument>treść</Dokument>")) + "</skrot>", 200, "OdpowiedzPullPotwierdzTyp"},
		{"potwierdz_unknown", empty, schema.ActionPotwierdzOdebranie, "ZapytaniePullPotwierdz", "<skrot>AAAA</skrot>", 500, "WyjatekTyp"},
		{"action_body_mismatch", empty, schema.ActionPotwierdzOdebranie, "ZapytaniePullPobierz", "", 500, "WyjatekTyp"},
		{"unknown_action", empty, "http://ws.epuap.gov.pl/pull/usun", "ZapytaniePullPobierz", "", 500, "WyjatekTyp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.setup(t)
			code, body := post(t, h, tt.action, tt.element, tt.inner)
			if code != tt.wantCode {
				t.Fatalf("got HTTP %d, want %d: %s", code, tt.wantCode, body)
			}
			golden(t, tt.name, body)
			checkOrder(t, body, tt.xsdType)
		})
	}
}

// checkOrder checks that the answer element (or the ob:Wyjatek of a fault) has
// unqualified children in the order of xsdType's sequence in obiektypk.xsd, skipping
// none that the answer has.
func checkOrder(t *testing.T, body []byte, xsdType string) {
	t.Helper()
	want := sequence(t, xsdType)
	d := xml.NewDecoder(bytes.NewReader(body))
	depth, answerDepth := 0, 0
	var got []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			depth++
			if answerDepth == 0 && el.Name.Space == schema.NS {
				answerDepth = depth
			} else if answerDepth != 0 && depth == answerDepth+1 {
				if el.Name.Space != "" {
					t.Errorf("child %s is qualified {%s}, want unqualified", el.Name.Local, el.Name.Space)
				}
				got = append(got, el.Name.Local)
			}
		case xml.EndElement:
			depth--
		}
	}
	i := 0
	for _, g := range got {
		for i < len(want) && want[i] != g {
			i++
		}
		if i == len(want) {
			t.Fatalf("children %v do not follow the sequence %v of %s", got, want, xsdType)
		}
		i++
	}
}

// sequence returns the element names of a complex type of obiektypk.xsd, base type first.
func sequence(t *testing.T, typeName string) []string {
	t.Helper()
	data, err := fs.ReadFile(schema.FS(), schema.ObiektyPKXSD)
	if err != nil {
		t.Fatal(err)
	}
	type element struct {
		Name string `xml:"name,attr"`
	}
	type complexType struct {
		Name     string    `xml:"name,attr"`
		Elements []element `xml:"sequence>element"`
		Ext      struct {
			Base     string    `xml:"base,attr"`
			Elements []element `xml:"sequence>element"`
		} `xml:"complexContent>extension"`
	}
	var s struct {
		Types []complexType `xml:"complexType"`
	}
	if err := xml.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	for _, ct := range s.Types {
		if ct.Name != typeName {
			continue
		}
		var out []string
		if ct.Ext.Base != "" {
			out = sequence(t, strings.TrimPrefix(ct.Ext.Base, "ns:"))
		}
		for _, e := range append(ct.Elements, ct.Ext.Elements...) {
			out = append(out, e.Name)
		}
		return out
	}
	t.Fatalf("no complexType %s in %s", typeName, schema.ObiektyPKXSD)
	return nil
}

func TestWSDL(t *testing.T) {
	srv := httptest.NewServer(newSim(t, epuapsim.NewMemStore()).Handler())
	defer srv.Close()
	get := func(t *testing.T, url string) []byte {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: got %s, want 200", url, resp.Status)
		}
		return body
	}
	if upper := get(t, srv.URL+schema.PullPath+"?WSDL"); !bytes.Contains(upper, []byte("pkPullService")) {
		t.Errorf("?WSDL: got %.200s, want the WSDL", upper)
	}
	wsdl := get(t, srv.URL+schema.PullPath+"?wsdl")
	var defs struct {
		Imports []struct {
			Location string `xml:"location,attr"`
		} `xml:"http://schemas.xmlsoap.org/wsdl/ import"`
		SchemaImports []struct {
			Location string `xml:"schemaLocation,attr"`
		} `xml:"types>schema>import"`
		Address struct {
			Location string `xml:"location,attr"`
		} `xml:"service>port>address"`
	}
	if err := xml.Unmarshal(wsdl, &defs); err != nil {
		t.Fatalf("WSDL does not parse: %v", err)
	}
	if want := srv.URL + schema.PullPath; defs.Address.Location != want {
		t.Errorf("soap:address: got %q, want %q", defs.Address.Location, want)
	}
	var rel []string
	for _, i := range defs.Imports {
		rel = append(rel, i.Location)
	}
	for _, i := range defs.SchemaImports {
		rel = append(rel, i.Location)
	}
	if len(rel) != 2 {
		t.Fatalf("got imports %v, want sign-policy.wsdl and obiektypk.xsd", rel)
	}
	for _, name := range rel {
		t.Run(name, func(t *testing.T) {
			body := get(t, srv.URL+"/pk_external_ws/services/"+name)
			if err := xml.Unmarshal(body, new(struct{})); err != nil {
				t.Fatalf("%s does not parse: %v", name, err)
			}
		})
	}
	resp, err := http.Get(srv.URL + "/pk_external_ws/services/LICENSE-EpuapBrokerLib.txt")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("non-contract file: got %s, want 404", resp.Status)
	}
}

func TestFileStoreRestart(t *testing.T) {
	dir := t.TempDir()
	store, err := epuapsim.OpenFileStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	sim := newSim(t, store)
	first := fileDoc(t, sim, "<a>1</a>")
	fileDoc(t, sim, "<a>2</a>")
	third := fileDoc(t, sim, "<a>3</a>")

	srv := httptest.NewServer(sim.Handler())
	c := epuap.NewPullClient(srv.URL+schema.PullPath, nil, box)
	if err := c.Confirm(t.Context(), []byte("<a>2</a>")); err != nil {
		t.Fatal(err)
	}
	srv.Close()

	store, err = epuapsim.OpenFileStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv = httptest.NewServer(epuapsim.New(store, newClock().Now, nil).Handler())
	defer srv.Close()
	c = epuap.NewPullClient(srv.URL+schema.PullPath, nil, box)
	if n, err := c.Pending(t.Context()); err != nil || n != 2 {
		t.Fatalf("Pending after restart: got %d, %v, want 2", n, err)
	}
	d, err := c.Next(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if d.ID() != first.ID {
		t.Fatalf("Next after restart: got %s, want %s", d.ID(), first.ID)
	}
	if err := c.Confirm(t.Context(), d.Zawartosc); err != nil {
		t.Fatal(err)
	}
	if d, err = c.Next(t.Context()); err != nil || d.ID() != third.ID {
		t.Fatalf("Next: got %v, %v, want the third document", d, err)
	}
	// A new filing after the restart continues the sequence.
	sim2 := epuapsim.New(store, newClock().Now, nil)
	f, err := sim2.File(t.Context(), epuapsim.FileRequest{Podmiot: box.Podmiot, Skrytka: box.Name,
		Sender: epuapsim.Sender{Identyfikator: "x"}, Zawartosc: []byte("<a>4</a>")})
	if err != nil {
		t.Fatal(err)
	}
	if f.Seq <= third.Seq {
		t.Fatalf("seq after restart: got %d, want more than %d", f.Seq, third.Seq)
	}
}

func TestFileErrors(t *testing.T) {
	sim := newSim(t, epuapsim.NewMemStore())
	tests := []struct {
		name string
		req  epuapsim.FileRequest
		want error
	}{
		{"unknown box", epuapsim.FileRequest{Podmiot: box.Podmiot, Skrytka: "inna", Sender: epuapsim.Sender{Identyfikator: "x"}, Zawartosc: []byte("a")}, epuapsim.ErrUnknownBox},
		{"no sender", epuapsim.FileRequest{Podmiot: box.Podmiot, Skrytka: box.Name, Zawartosc: []byte("a")}, epuapsim.ErrInvalid},
		{"no content", epuapsim.FileRequest{Podmiot: box.Podmiot, Skrytka: box.Name, Sender: epuapsim.Sender{Identyfikator: "x"}}, epuapsim.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := sim.File(t.Context(), tt.req); !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// TestServiceWSDLs: each service's WSDL points at the simulator and its imports resolve
// relative to the service's address.
func TestServiceWSDLs(t *testing.T) {
	srv := httptest.NewServer(newSim(t, epuapsim.NewMemStore()).Handler())
	defer srv.Close()
	get := func(t *testing.T, url string) []byte {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: got %s, want 200", url, resp.Status)
		}
		return body
	}
	// doreczyciel.wsdl imports no policy: its policy is inline.
	for path, imports := range map[string]int{schema.PullPath: 2, schema.SkrytkaPath: 2, schema.FileRepoPath: 2, schema.DoreczycielPath: 1} {
		t.Run(path, func(t *testing.T) {
			var defs struct {
				Imports []struct {
					Location string `xml:"location,attr"`
				} `xml:"http://schemas.xmlsoap.org/wsdl/ import"`
				SchemaImports []struct {
					Location string `xml:"schemaLocation,attr"`
				} `xml:"types>schema>import"`
				Address struct {
					Location string `xml:"location,attr"`
				} `xml:"service>port>address"`
			}
			if err := xml.Unmarshal(get(t, srv.URL+path+"?wsdl"), &defs); err != nil {
				t.Fatalf("WSDL does not parse: %v", err)
			}
			if want := srv.URL + path; defs.Address.Location != want {
				t.Errorf("soap:address: got %q, want %q", defs.Address.Location, want)
			}
			dir := path[:strings.LastIndexByte(path, '/')+1]
			var locations []string
			for _, i := range defs.Imports {
				locations = append(locations, i.Location)
			}
			for _, i := range defs.SchemaImports {
				locations = append(locations, i.Location)
			}
			if len(locations) < imports {
				t.Fatalf("got imports %v, want at least %d", locations, imports)
			}
			for _, loc := range locations {
				if err := xml.Unmarshal(get(t, srv.URL+dir+loc), new(struct{})); err != nil {
					t.Fatalf("%s does not parse: %v", loc, err)
				}
			}
		})
	}
}

// TestIdentifyIdenticalFilings files the same document from the same sender into the same
// box a hundred times at one instant of the clock: each filing is a document of its own, so
// each gets its own id, and obieg's id of the pulled document (epuap.Delivery.ID) is that
// id. After a restart of a file-backed simulator whose box has been emptied, the same
// filings at the same instant again get ids never given before.
func TestIdentifyIdenticalFilings(t *testing.T) {
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	fixed := func() time.Time { return at }
	dir := t.TempDir()
	const n = 100
	// fileAll opens the store in dir, files the document n times at once, and pulls and
	// confirms every one; it returns the ids filed.
	fileAll := func() map[string]bool {
		store, err := epuapsim.OpenFileStore(dir)
		if err != nil {
			t.Fatal(err)
		}
		sim := epuapsim.New(store, fixed, nil)
		if _, err := sim.CreateBox(t.Context(), box.Podmiot, box.Name); err != nil {
			t.Fatal(err)
		}
		ids := make(chan string, n)
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				f, err := sim.File(t.Context(), epuapsim.FileRequest{Podmiot: box.Podmiot, Skrytka: box.Name,
					Sender: epuapsim.Sender{Identyfikator: "anowak"}, Zawartosc: []byte("<a>ten sam</a>")})
				if err != nil {
					t.Error(err)
					return
				}
				ids <- f.ID
			})
		}
		wg.Wait()
		close(ids)
		filed := map[string]bool{}
		for id := range ids {
			filed[id] = true
		}
		if len(filed) != n {
			t.Fatalf("%d identical filings got %d distinct ids, want %d", n, len(filed), n)
		}
		srv := httptest.NewServer(sim.Handler())
		defer srv.Close()
		c := epuap.NewPullClient(srv.URL+schema.PullPath, nil, box)
		pulled := map[string]bool{}
		for range n {
			d, err := c.Next(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if !filed[d.ID()] || pulled[d.ID()] {
				t.Fatalf("pulled document %s (sent %s): filed %v, pulled before %v", d.ID(), d.DataNadania, filed[d.ID()], pulled[d.ID()])
			}
			pulled[d.ID()] = true
			if err := c.Confirm(t.Context(), d.Zawartosc); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := c.Next(t.Context()); !errors.Is(err, epuap.ErrNoDocument) {
			t.Fatalf("Next on the emptied box: %v, want ErrNoDocument", err)
		}
		return filed
	}
	before := fileAll()
	for id := range fileAll() {
		if before[id] {
			t.Fatalf("id %s given again after a restart", id)
		}
	}
}
