package epuapsim

import (
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/obieg/obieg/internal/adapters/wssec"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// maxFiling caps a document filed through the JSON API.
const maxFiling = 32 << 20

// Handler returns the simulator's HTTP handler (routes in the package comment).
func (s *Simulator) Handler() http.Handler {
	mux := http.NewServeMux()
	for path, sv := range map[string]*service{
		schema.PullPath:        pullService,
		schema.SkrytkaPath:     skrytkaService,
		schema.FileRepoPath:    fileRepoService,
		schema.DoreczycielPath: doreczycielService,
	} {
		serve := func(w http.ResponseWriter, r *http.Request) { s.serveSOAP(sv, w, r) }
		mux.HandleFunc("POST "+path, serve)
		mux.HandleFunc("GET "+path, serve)
	}
	contract := func(w http.ResponseWriter, r *http.Request) { s.serveWSDL(w, r, r.PathValue("file")) }
	mux.HandleFunc("GET /pk_external_ws/services/{file}", contract)
	mux.HandleFunc("GET /repo-ws-ext/{file}", contract)
	mux.HandleFunc("PUT /sim/epuap/boxes/{podmiot}", s.serveCreateBox)
	mux.HandleFunc("POST /sim/epuap/boxes/{podmiot}/documents", s.serveFile)
	mux.HandleFunc("GET /sim/epuap/boxes/{podmiot}", s.serveList)
	mux.HandleFunc("POST /sim/epuap/files", s.servePutFile)
	mux.HandleFunc("PUT /sim/epuap/certs/{podmiot}", s.serveRegisterCertificate)
	mux.HandleFunc("GET /sim/epuap/doreczenia/{zlecenie}", s.serveDelivery)
	mux.HandleFunc("POST /sim/epuap/doreczenia/{zlecenie}/odbior", s.serveCollect)
	mux.HandleFunc("GET /sim/epuap/faults", s.serveFaults)
	mux.HandleFunc("PUT /sim/epuap/faults", s.serveFaults)
	mux.HandleFunc("GET /sim/{$}", s.serveIndex)
	return mux
}

// serveWSDL serves a contract file; in WSDLs the production soap:address of the pull
// service is replaced by the simulator's own URL.
func (s *Simulator) serveWSDL(w http.ResponseWriter, r *http.Request, name string) {
	if !strings.HasSuffix(name, ".wsdl") && !strings.HasSuffix(name, ".xsd") {
		http.NotFound(w, r)
		return
	}
	data, err := fs.ReadFile(schema.FS(), name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if strings.HasSuffix(name, ".wsdl") {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base := scheme + "://" + r.Host
		text := string(data)
		for _, host := range []string{"https://ws.epuap.gov.pl", "https://epuap.gov.pl", "http://ws.epuap.gov.pl:80"} {
			text = strings.ReplaceAll(text, `location="`+host+`/`, `location="`+base+`/`)
		}
		data = []byte(text)
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	_, _ = w.Write(data)
}

type apiError struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// writeError turns an error into an HTTP answer: known kinds say what was wrong, anything
// else is logged and answered with a generic message.
func (s *Simulator) writeError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, ErrUnknownBox):
		writeJSON(w, http.StatusNotFound, apiError{"nie ma takiej skrytki: " + err.Error()})
	case errors.Is(err, ErrNotFound):
		writeJSON(w, http.StatusNotFound, apiError{"nie ma takiego doręczenia: " + err.Error()})
	case errors.Is(err, ErrInvalid):
		writeJSON(w, http.StatusBadRequest, apiError{"nieprawidłowe żądanie: " + err.Error()})
	default:
		s.log.ErrorContext(r.Context(), "simulator API request failed", "path", r.URL.Path, "err", err)
		writeJSON(w, http.StatusInternalServerError, apiError{"błąd wewnętrzny symulatora"})
	}
}

func (s *Simulator) serveCreateBox(w http.ResponseWriter, r *http.Request) {
	b, err := s.CreateBox(r.Context(), r.PathValue("podmiot"), r.URL.Query().Get("skrytka"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

// param returns the query parameter name, or else the header X-Epuap-<header>. Query
// parameters are the way to pass Polish letters: header values are not UTF-8 safe.
func param(r *http.Request, name, header string) string {
	if v := r.URL.Query().Get(name); v != "" {
		return v
	}
	return r.Header.Get("X-Epuap-" + header)
}

// serveFile files the request body into the box ?skrytka= of {podmiot}. Sender and file
// data come from query parameters (or X-Epuap-* headers): nadawca (required), typOsoby,
// imie, nazwisko, nip, pesel, regon, zgoda, uzytkownik, system, adresOdpowiedzi, testowe,
// nazwaPliku, typPliku.
func (s *Simulator) serveFile(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFiling))
	if err != nil {
		writeJSON(w, http.StatusRequestEntityTooLarge, apiError{"dokument za duży lub przerwany: limit " + strconv.Itoa(maxFiling) + " bajtów"})
		return
	}
	boolParam := func(name, header string) bool {
		v, _ := strconv.ParseBool(param(r, name, header))
		return v
	}
	req := FileRequest{
		Podmiot: r.PathValue("podmiot"),
		Skrytka: r.URL.Query().Get("skrytka"),
		Sender: Sender{
			Identyfikator: param(r, "nadawca", "Nadawca"),
			TypOsoby:      param(r, "typOsoby", "Typ-Osoby"),
			ImieSkrot:     param(r, "imie", "Imie"),
			NazwiskoNazwa: param(r, "nazwisko", "Nazwisko"),
			NIP:           param(r, "nip", "Nip"),
			PESEL:         param(r, "pesel", "Pesel"),
			REGON:         param(r, "regon", "Regon"),
			Zgoda:         boolParam("zgoda", "Zgoda"),
		},
		Uzytkownik:      param(r, "uzytkownik", "Uzytkownik"),
		System:          param(r, "system", "System"),
		AdresOdpowiedzi: param(r, "adresOdpowiedzi", "Adres-Odpowiedzi"),
		CzyTestowe:      boolParam("testowe", "Testowe"),
		NazwaPliku:      param(r, "nazwaPliku", "Nazwa-Pliku"),
		TypPliku:        param(r, "typPliku", "Typ-Pliku"),
		Zawartosc:       body,
	}
	filed, err := s.File(r.Context(), req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, filed)
}

func (s *Simulator) serveList(w http.ResponseWriter, r *http.Request) {
	boxes, err := s.Waiting(r.Context(), r.PathValue("podmiot"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Podmiot string        `json:"podmiot"`
		Skrytki []BoxContents `json:"skrytki"`
	}{r.PathValue("podmiot"), boxes})
}

// serveDelivery answers the state of a delivery order (DeliveryStatus).
func (s *Simulator) serveDelivery(w http.ResponseWriter, r *http.Request) {
	st, err := s.Delivery(r.Context(), r.PathValue("zlecenie"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// serveCollect collects a delivery on the addressee's behalf (Collect) and answers its
// state with the UPD.
func (s *Simulator) serveCollect(w http.ResponseWriter, r *http.Request) {
	zlecenie := r.PathValue("zlecenie")
	upd, err := s.Collect(r.Context(), zlecenie)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, DeliveryStatus{Zlecenie: zlecenie, Odebrane: true, UPD: upd})
}

var indexPage = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="pl">
<head><meta charset="utf-8"><title>Symulator ePUAP</title></head>
<body>
<h1>Symulator ePUAP</h1>
<p>Usługa pull (SOAP 1.1): <code>{{.Pull}}</code>, opis WSDL: <a href="{{.Pull}}?wsdl">{{.Pull}}?wsdl</a>.</p>
<p>Usługa skrytka (nadaj, nadajAny): <code>{{.Skrytka}}</code>, <a href="{{.Skrytka}}?wsdl">WSDL</a>;
doręczyciel (dorecz, odbierz): <code>{{.Doreczyciel}}</code>, <a href="{{.Doreczyciel}}?wsdl">WSDL</a>;
FileRepo (uploadFile, downloadFile): <code>{{.FileRepo}}</code>, <a href="{{.FileRepo}}?wsdl">WSDL</a>.</p>
<p>WS-Security: {{if .Secure}}wymagane (podpis certyfikatem systemu zarejestrowanym dla podmiotu){{else}}wyłączone (tryb niezabezpieczony){{end}}.
Wstrzykiwane błędy: <a href="/sim/epuap/faults">/sim/epuap/faults</a>.</p>
<h2>Skrytki</h2>
{{if .Boxes}}<table>
<thead><tr><th>Podmiot</th><th>Nazwa skrytki</th><th>Adres skrytki</th><th>Oczekujące dokumenty</th></tr></thead>
<tbody>{{range .Boxes}}
<tr><td><a href="/sim/epuap/boxes/{{.Podmiot}}">{{.Podmiot}}</a></td><td>{{.Name}}</td><td>{{.Address}}</td><td>{{len .Waiting}}</td></tr>{{end}}
</tbody></table>
{{else}}<p>Brak skrytek. Utwórz skrytkę: <code>PUT /sim/epuap/boxes/{podmiot}?skrytka=NAZWA</code>.</p>{{end}}
<h2>Nadanie dokumentu</h2>
<p><code>POST /sim/epuap/boxes/{podmiot}/documents?skrytka=NAZWA&amp;nadawca=ID&amp;imie=…&amp;nazwisko=…&amp;nazwaPliku=…</code>
z treścią dokumentu w ciele żądania; odpowiedź w JSON opisuje nadany dokument.</p>
<h2>Doręczenia</h2>
<p>Dokument nadany usługą doręczyciel czeka w skrytce adresata na odbiór. Stan zlecenia:
<code>GET /sim/epuap/doreczenia/{identyfikatorZlecenia}</code>; odbiór w imieniu adresata:
<code>POST /sim/epuap/doreczenia/{identyfikatorZlecenia}/odbior</code>. Po odbiorze UPD trafia do
skrytki nadawcy (adres odpowiedzi).</p>
</body>
</html>
`))

func (s *Simulator) serveIndex(w http.ResponseWriter, r *http.Request) {
	boxes, err := s.Waiting(r.Context(), "")
	if err != nil {
		s.log.ErrorContext(r.Context(), "simulator index failed", "err", err)
		http.Error(w, "błąd wewnętrzny symulatora", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := indexPage.Execute(w, struct {
		Pull, Skrytka, Doreczyciel, FileRepo string
		Secure                               bool
		Boxes                                []BoxContents
	}{schema.PullPath, schema.SkrytkaPath, schema.DoreczycielPath, schema.FileRepoPath, s.security, boxes}); err != nil {
		s.log.ErrorContext(r.Context(), "render simulator index", "err", err)
	}
}

// servePutFile stores the request body in FileRepo (query parameters nazwaPliku, typPliku,
// and wlasciciel: the only podmiot that may download it) and answers its fileId and the
// address forms use for it.
func (s *Simulator) servePutFile(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFileRequest))
	if err != nil {
		writeJSON(w, http.StatusRequestEntityTooLarge, apiError{"plik za duży lub przerwany"})
		return
	}
	q := r.URL.Query()
	id, err := s.PutFile(r.Context(), RepoFile{Filename: q.Get("nazwaPliku"), MimeType: q.Get("typPliku"), Owner: q.Get("wlasciciel"), Data: body})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, struct {
		FileID string `json:"fileId"`
		URL    string `json:"url"`
	}{id, DownloadURL(id)})
}

// serveRegisterCertificate registers the certificates of the request body (PEM, or one in
// DER) as system certificates of {podmiot}.
func (s *Simulator) serveRegisterCertificate(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		writeJSON(w, http.StatusRequestEntityTooLarge, apiError{"certyfikat za duży"})
		return
	}
	certs, err := wssec.ParseCertificates(body)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{"nieprawidłowy certyfikat: " + err.Error()})
		return
	}
	var names []string
	for _, c := range certs {
		if err := s.RegisterCertificate(r.PathValue("podmiot"), c); err != nil {
			s.writeError(w, r, err)
			return
		}
		names = append(names, c.Subject.CommonName)
	}
	writeJSON(w, http.StatusOK, struct {
		Podmiot      string   `json:"podmiot"`
		Certyfikaty  []string `json:"certyfikaty"`
		WSSecurityOn bool     `json:"wsSecurity"`
	}{r.PathValue("podmiot"), names, s.security})
}

// faultsJSON is Faults as the HTTP API reads and writes it, latency as a Go duration
// ("250ms").
type faultsJSON struct {
	Latency       string  `json:"latency"`
	Error500      float64 `json:"error500"`
	DropAfterNext float64 `json:"dropAfterNext"`
	Duplicate     float64 `json:"duplicate"`
	FileRepoOnce  bool    `json:"fileRepoOnce"`
	Seed          uint64  `json:"seed"`
}

// serveFaults answers the injected faults (GET) or replaces them (PUT, the same JSON).
func (s *Simulator) serveFaults(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPut {
		var in faultsJSON
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			writeJSON(w, http.StatusBadRequest, apiError{"nieprawidłowy JSON: " + err.Error()})
			return
		}
		f := Faults{Error500: in.Error500, DropAfterNext: in.DropAfterNext, Duplicate: in.Duplicate, FileRepoOnce: in.FileRepoOnce, Seed: in.Seed}
		if in.Latency != "" {
			d, err := time.ParseDuration(in.Latency)
			if err != nil || d < 0 {
				writeJSON(w, http.StatusBadRequest, apiError{"nieprawidłowe opóźnienie: " + in.Latency})
				return
			}
			f.Latency = d
		}
		for _, p := range []float64{f.Error500, f.DropAfterNext, f.Duplicate} {
			if p < 0 || p > 1 {
				writeJSON(w, http.StatusBadRequest, apiError{"ułamki muszą leżeć w [0, 1]"})
				return
			}
		}
		s.SetFaults(f)
	}
	f := s.Faults()
	writeJSON(w, http.StatusOK, faultsJSON{Latency: f.Latency.String(), Error500: f.Error500, DropAfterNext: f.DropAfterNext,
		Duplicate: f.Duplicate, FileRepoOnce: f.FileRepoOnce, Seed: f.Seed})
}
