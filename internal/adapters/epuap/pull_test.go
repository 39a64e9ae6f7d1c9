package epuap_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/adapters/soap"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// stepClock starts at a fixed time and moves one minute forward on every call.
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

// box is the box the tests pull from. PESEL 01610100010 is a fake (born 2201-01-01) with a valid checksum.
var box = epuap.Box{Podmiot: "ROPS_Test", Name: "SkrytkaESP", Address: "/ROPS_Test/SkrytkaESP"}

// newSim starts a simulator over real HTTP with box created and returns it and the pull
// service URL.
func newSim(t testing.TB) (*epuapsim.Simulator, string) {
	t.Helper()
	clock := &stepClock{t: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
	sim := epuapsim.New(epuapsim.NewMemStore(), clock.Now, nil)
	if _, err := sim.CreateBox(context.Background(), box.Podmiot, box.Name); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	return sim, srv.URL + schema.PullPath
}

func file(t testing.TB, sim *epuapsim.Simulator, content string) epuapsim.Filed {
	t.Helper()
	f, err := sim.File(context.Background(), epuapsim.FileRequest{
		Podmiot: box.Podmiot,
		Skrytka: box.Name,
		Sender: epuapsim.Sender{
			Identyfikator: "jkowalska", TypOsoby: "F", ImieSkrot: "Joanna", NazwiskoNazwa: "Kowalska",
			PESEL: "01610100010", Zgoda: true,
		},
		Uzytkownik:      "jkowalska",
		System:          "epuap",
		AdresOdpowiedzi: "/jkowalska/skrytka",
		DaneDodatkowe:   []byte("<dodatkowe/>"),
		NazwaPliku:      "pismo.xml",
		Zawartosc:       []byte(content),
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestPullLifecycle(t *testing.T) {
	ctx := t.Context()
	sim, url := newSim(t)
	c := epuap.NewPullClient(url, &http.Client{Timeout: 10 * time.Second}, box)

	if _, err := c.Next(ctx); !errors.Is(err, epuap.ErrNoDocument) {
		t.Fatalf("Next on an empty box: got %v, want ErrNoDocument", err)
	}
	var filed []epuapsim.Filed
	for _, content := range []string{"<a>pierwszy</a>", "<a>drugi</a>", "<a>trzeci</a>"} {
		filed = append(filed, file(t, sim, content))
	}
	n, err := c.Pending(ctx)
	if err != nil || n != 3 {
		t.Fatalf("Pending: got %d, %v, want 3", n, err)
	}

	d, err := c.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if string(d.Zawartosc) != "<a>pierwszy</a>" {
		t.Fatalf("Next: got %q, want the oldest", d.Zawartosc)
	}
	want := epuap.Delivery{
		Sender: epuap.Sender{
			Identyfikator: "jkowalska", TypOsoby: "F", ImieSkrot: "Joanna", NazwiskoNazwa: "Kowalska",
			PESEL: "01610100010", Zgoda: true,
		},
		Uzytkownik: "jkowalska", System: "epuap",
		DataNadania:  time.Date(2026, 3, 2, 8, 1, 0, 0, time.UTC),
		NazwaSkrytki: box.Name, AdresSkrytki: box.Address, AdresOdpowiedzi: "/jkowalska/skrytka",
		DaneDodatkowe: []byte("<dodatkowe/>"),
		NazwaPliku:    "pismo.xml", TypPliku: "text/xml",
		Zawartosc: []byte("<a>pierwszy</a>"),
	}
	if d.Sender != want.Sender || d.Uzytkownik != want.Uzytkownik || d.System != want.System ||
		!d.DataNadania.Equal(want.DataNadania) || d.NazwaSkrytki != want.NazwaSkrytki ||
		d.AdresSkrytki != want.AdresSkrytki || d.AdresOdpowiedzi != want.AdresOdpowiedzi ||
		string(d.DaneDodatkowe) != string(want.DaneDodatkowe) || d.NazwaPliku != want.NazwaPliku ||
		d.TypPliku != want.TypPliku || d.CzyTestowe {
		t.Fatalf("Next: got %+v, want %+v", d, want)
	}
	if d.ID() != filed[0].ID {
		t.Errorf("ID: got %s, want the simulator's %s", d.ID(), filed[0].ID)
	}

	again, err := c.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID() != d.ID() {
		t.Fatalf("Next before Confirm: got %s, want the same document %s", again.ID(), d.ID())
	}

	if err := c.Confirm(ctx, d.Zawartosc); err != nil {
		t.Fatalf("Confirm: %v", err)
	}
	if n, err := c.Pending(ctx); err != nil || n != 2 {
		t.Fatalf("Pending after Confirm: got %d, %v, want 2", n, err)
	}
	d, err = c.Next(ctx)
	if err != nil || string(d.Zawartosc) != "<a>drugi</a>" {
		t.Fatalf("Next after Confirm: got %v, %v, want the second document", d, err)
	}

	// One client sends skrot as SHA-256: the simulator accepts it.
	sum := sha256.Sum256(d.Zawartosc)
	if err := confirmRaw(ctx, url, base64.StdEncoding.EncodeToString(sum[:])); err != nil {
		t.Fatalf("potwierdzOdebranie with SHA-256: %v", err)
	}

	// An unknown skrot is a fault with ob:Wyjatek.
	err = c.Confirm(ctx, []byte("nie ma takiego"))
	var f *soap.Fault
	if !errors.As(err, &f) || f.Kod != epuapsim.KodNieznanySkrot {
		t.Fatalf("Confirm of an unknown document: got %v, want a fault with kod %d", err, epuapsim.KodNieznanySkrot)
	}

	if err := c.Confirm(ctx, []byte("<a>trzeci</a>")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Next(ctx); !errors.Is(err, epuap.ErrNoDocument) {
		t.Fatalf("Next on an emptied box: got %v, want ErrNoDocument", err)
	}
}

// confirmRaw sends potwierdzOdebranie with a skrot of the caller's choosing.
func confirmRaw(ctx context.Context, url, skrot string) error {
	req := schema.ZapytaniePullPotwierdz{
		ZapytaniePull: schema.ZapytaniePull{Podmiot: box.Podmiot, NazwaSkrytki: box.Name, AdresSkrytki: box.Address},
		Skrot:         skrot,
	}
	body, err := soap.Marshal(xml.Name{Space: schema.NS, Local: "ZapytaniePullPotwierdz"}, req)
	if err != nil {
		return err
	}
	env, err := soap.Call(ctx, http.DefaultClient, url, schema.ActionPotwierdzOdebranie, body, 1<<20)
	if err != nil {
		return err
	}
	var resp schema.OdpowiedzPullPotwierdz
	return env.DecodeBody(&resp)
}

func TestWrongBox(t *testing.T) {
	_, url := newSim(t)
	tests := []struct {
		name string
		box  epuap.Box
	}{
		{"wrong podmiot", epuap.Box{Podmiot: "Inny", Name: box.Name, Address: box.Address}},
		{"wrong address", epuap.Box{Podmiot: box.Podmiot, Name: box.Name, Address: "/ROPS_Test/inna"}},
		{"wrong name", epuap.Box{Podmiot: box.Podmiot, Name: "inna", Address: box.Address}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := epuap.NewPullClient(url, nil, tt.box)
			_, err := c.Pending(t.Context())
			var f *soap.Fault
			if !errors.As(err, &f) || f.Kod != epuapsim.KodNieznanaSkrytka || f.Code != soap.FaultClient {
				t.Fatalf("got %v, want a Client fault with kod %d", err, epuapsim.KodNieznanaSkrytka)
			}
			if _, err := c.Next(t.Context()); !errors.As(err, &f) {
				t.Fatalf("Next: got %v, want a fault", err)
			}
		})
	}
}

func TestStatusNotOK(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		out, _ := soap.Marshal(xml.Name{Space: schema.NS, Local: "OdpowiedzPullPobierz"},
			schema.OdpowiedzPullPobierz{Status: schema.Status{Kod: 7, Komunikat: "Skrytka zablokowana"}})
		soap.WriteMessage(w, http.StatusOK, out)
	}))
	defer srv.Close()
	_, err := epuap.NewPullClient(srv.URL, nil, box).Next(t.Context())
	var se *epuap.StatusError
	if !errors.As(err, &se) || se.Kod != 7 {
		t.Fatalf("got %v, want a StatusError with kod 7", err)
	}
}

func TestHTTPError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "bad gateway", http.StatusBadGateway)
	}))
	defer srv.Close()
	_, err := epuap.NewPullClient(srv.URL, nil, box).Pending(t.Context())
	if err == nil {
		t.Fatal("got no error, want one")
	}
	var f *soap.Fault
	if errors.As(err, &f) {
		t.Fatalf("got a fault %v, want a transport error", f)
	}
}

func TestDocumentID(t *testing.T) {
	at := time.Date(2026, 3, 2, 8, 1, 0, 123_000_000, time.UTC)
	base := epuap.DocumentID("/P/s", "jan", at, []byte("x"))
	if len(base) != 32 {
		t.Fatalf("got %q, want 32 hex digits", base)
	}
	tests := []struct {
		name string
		id   string
		same bool
	}{
		{"same filing", epuap.DocumentID("/P/s", "jan", at, []byte("x")), true},
		{"same instant in another zone", epuap.DocumentID("/P/s", "jan", at.In(time.FixedZone("CET", 3600)), []byte("x")), true},
		{"filed again later", epuap.DocumentID("/P/s", "jan", at.Add(time.Millisecond), []byte("x")), false},
		{"other content", epuap.DocumentID("/P/s", "jan", at, []byte("y")), false},
		{"other sender", epuap.DocumentID("/P/s", "jana", at, []byte("x")), false},
		{"fields shifted", epuap.DocumentID("/P/sj", "an", at, []byte("x")), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if (tt.id == base) != tt.same {
				t.Fatalf("got %s vs %s, want same=%v", tt.id, base, tt.same)
			}
		})
	}
}

// TestLenientAnswer decodes an answer written the way other SOAP stacks write them: a
// dateTime without a zone (Polish time), Base64 broken into lines, a nil komunikat,
// qualified children and a default namespace.
func TestLenientAnswer(t *testing.T) {
	const answer = `<?xml version="1.0" encoding="UTF-8"?>` +
		`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Body>` +
		`<OdpowiedzPullPobierz xmlns="http://wsdl.epuap.gov.pl/obiekty/"><status><kod>1</kod><komunikat xsi:nil="true"/></status>` +
		`<danePodmiotu><identyfikator>Urzad_Gminy</identyfikator><typOsoby>P</typOsoby><nazwiskoNazwa>Urząd Gminy</nazwiskoNazwa><regon>000000000</regon><zgoda>1</zgoda></danePodmiotu>` +
		`<daneNadawcy><system>EZD</system></daneNadawcy><dataNadania>2019-05-23T14:34:19.549</dataNadania>` +
		`<nazwaSkrytki>SkrytkaESP</nazwaSkrytki><adresSkrytki>/ROPS_Test/SkrytkaESP</adresSkrytki><adresOdpowiedzi>/Urzad_Gminy/skrytka</adresOdpowiedzi>` +
		`<czyTestowe>true</czyTestowe><daneDodatkowe/><dokument><nazwaPliku>pismo.xml</nazwaPliku><zawartosc>PGEv` + "\r\n" + `Pg==</zawartosc></dokument>` +
		`</OdpowiedzPullPobierz></soap:Body></soap:Envelope>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		soap.WriteMessage(w, http.StatusOK, []byte(answer))
	}))
	defer srv.Close()
	d, err := epuap.NewPullClient(srv.URL, nil, box).Next(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	warsaw, _ := time.LoadLocation("Europe/Warsaw")
	tests := []struct {
		name      string
		got, want any
	}{
		{"zawartosc", string(d.Zawartosc), "<a/>"},
		{"dataNadania", d.DataNadania.UTC(), time.Date(2019, 5, 23, 14, 34, 19, 549_000_000, warsaw).UTC()},
		{"typOsoby", d.Sender.TypOsoby, "P"},
		{"zgoda", d.Sender.Zgoda, true},
		{"system", d.System, "EZD"},
		{"adresOdpowiedzi", d.AdresOdpowiedzi, "/Urzad_Gminy/skrytka"},
		{"czyTestowe", d.CzyTestowe, true},
		{"daneDodatkowe", len(d.DaneDodatkowe), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Fatalf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}
