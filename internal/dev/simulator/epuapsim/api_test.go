package epuapsim_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/adapters/wssec"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

func TestFilingAPI(t *testing.T) {
	srv := httptest.NewServer(newSim(t, epuapsim.NewMemStore()).Handler())
	defer srv.Close()
	do := func(t *testing.T, method, path string, body string) (int, []byte) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, out
	}

	q := url.Values{"skrytka": {box.Name}, "nadawca": {"zwojcik"}, "imie": {"Zofia"}, "nazwisko": {"Wójcik"}, "nazwaPliku": {"wniosek.xml"}}
	code, out := do(t, http.MethodPost, "/sim/epuap/boxes/"+box.Podmiot+"/documents?"+q.Encode(), "<wniosek/>")
	if code != http.StatusCreated {
		t.Fatalf("file: got %d %s, want 201", code, out)
	}
	var filed epuapsim.Filed
	if err := json.Unmarshal(out, &filed); err != nil {
		t.Fatal(err)
	}
	if filed.NazwaNadawcy != "Zofia Wójcik" || filed.NazwaPliku != "wniosek.xml" || filed.Rozmiar != len("<wniosek/>") {
		t.Errorf("filed: got %+v", filed)
	}

	c := epuap.NewPullClient(srv.URL+schema.PullPath, nil, box)
	d, err := c.Next(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if d.ID() != filed.ID || d.Sender.NazwiskoNazwa != "Wójcik" {
		t.Fatalf("pulled %+v, want the filed document %s", d, filed.ID)
	}

	tests := []struct {
		name     string
		method   string
		path     string
		wantCode int
		wantIn   string
	}{
		{"list", http.MethodGet, "/sim/epuap/boxes/" + box.Podmiot, 200, filed.ID},
		{"list unknown podmiot", http.MethodGet, "/sim/epuap/boxes/nikt", 404, "nie ma takiej skrytki"},
		{"file into unknown box", http.MethodPost, "/sim/epuap/boxes/" + box.Podmiot + "/documents?skrytka=inna&nadawca=x", 404, "nie ma takiej skrytki"},
		{"file without sender", http.MethodPost, "/sim/epuap/boxes/" + box.Podmiot + "/documents?skrytka=" + box.Name, 400, "nieprawidłowe"},
		{"create box", http.MethodPut, "/sim/epuap/boxes/Gmina?skrytka=wnioski", 200, `"/Gmina/wnioski"`},
		{"create box without name", http.MethodPut, "/sim/epuap/boxes/Gmina", 400, "nieprawidłowe"},
		{"index", http.MethodGet, "/sim/", 200, "Symulator ePUAP"},
		{"index lists boxes", http.MethodGet, "/sim/", 200, "/Gmina/wnioski"},
		{"put file", http.MethodPost, "/sim/epuap/files?nazwaPliku=skan.pdf", 201, "DownloadServlet?fileId="},
		{"register garbage certificate", http.MethodPut, "/sim/epuap/certs/Gmina", 400, "nieprawidłowy certyfikat"},
		{"faults", http.MethodGet, "/sim/epuap/faults", 200, `"latency": "0s"`},
		{"set faults", http.MethodPut, "/sim/epuap/faults", 400, "nieprawidłowy JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out := do(t, tt.method, tt.path, "x")
			if code != tt.wantCode || !strings.Contains(string(out), tt.wantIn) {
				t.Fatalf("got %d %s, want %d containing %q", code, out, tt.wantCode, tt.wantIn)
			}
		})
	}
}

func TestFaultsAndCertificatesAPI(t *testing.T) {
	k := newKeys(t)
	sim := newSecureSim(t, k)
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	put := func(t *testing.T, path, body string) (int, string) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(out)
	}
	code, out := put(t, "/sim/epuap/faults", `{"latency":"5ms","error500":0.5,"duplicate":0.1,"fileRepoOnce":true,"seed":3}`)
	want := epuapsim.Faults{Latency: 5 * time.Millisecond, Error500: 0.5, Duplicate: 0.1, FileRepoOnce: true, Seed: 3}
	if code != http.StatusOK || sim.Faults() != want {
		t.Fatalf("PUT faults: got %d %s and %+v, want %+v", code, out, sim.Faults(), want)
	}
	if code, out := put(t, "/sim/epuap/faults", `{"error500":2}`); code != http.StatusBadRequest {
		t.Fatalf("PUT faults out of range: got %d %s, want 400", code, out)
	}

	// A stranger's certificate registered over HTTP for podmiot Obcy opens Obcy's box to it.
	if _, err := sim.CreateBox(t.Context(), "Obcy", box.Name); err != nil {
		t.Fatal(err)
	}
	sim.SetFaults(epuapsim.Faults{})
	c := epuap.NewPullClient(srv.URL+schema.PullPath, nil, epuap.Box{Podmiot: "Obcy", Name: box.Name, Address: "/Obcy/" + box.Name}, epuap.WithSigner(k.stranger))
	if _, err := c.Pending(t.Context()); err == nil {
		t.Fatal("Pending before registration: got no error, want a fault")
	}
	if code, out := put(t, "/sim/epuap/certs/Obcy", string(wssec.EncodeCertificate(k.stranger.Cert))); code != http.StatusOK || !strings.Contains(out, "System Obcy") {
		t.Fatalf("PUT certificate: got %d %s", code, out)
	}
	if n, err := c.Pending(t.Context()); err != nil || n != 0 {
		t.Fatalf("Pending after registration: got %d, %v, want 0", n, err)
	}
}
