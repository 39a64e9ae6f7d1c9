// Command epuap-sim runs the simulated ePUAP (pull, skrytka, doręczyciel and FileRepo
// services, filing API) on its own:
//
//	go run ./cmd/epuap-sim --addr 127.0.0.1:8081 --data DIR \
//	    --office-cert ROPS_Krakow=system.pem --sign-cert-out epuap-sign.pem
//
// Without --data the boxes and FileRepo's files live in memory and are lost at exit; with
// it they are kept in DIR (FileRepo's under DIR/filerepo). WS-Security is checked on
// every SOAP request unless --insecure is given: register each office's system certificate
// with --office-cert podmiot=FILE (repeatable) or --certs FILE (JSON: {"podmiot":
// ["cert.pem", ...]}). Answers are signed with --sign-key (PEM or PKCS#12), or with a key
// generated at start; --sign-cert-out writes its certificate for clients to pin. The
// --latency, --fail-500, --drop-after-next, --duplicate, --filerepo-once and --fault-seed
// flags inject faults. See package internal/dev/simulator/epuapsim for the routes.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/obieg/obieg/internal/adapters/wssec"
	"github.com/obieg/obieg/internal/dev/simulator/compose"
	"github.com/obieg/obieg/internal/dev/simulator/epuapsim"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// config is everything epuap-sim can be told. Each field has a flag; Addr and Data also
// read an environment variable as their default.
type config struct {
	Addr     string   // --addr, EPUAP_SIM_ADDR: listen address
	Data     string   // --data, EPUAP_SIM_DATA: directory of the boxes and FileRepo's files; "" keeps them in memory
	Boxes    []string // --box podmiot/skrytka, repeatable: boxes to create at start
	FileDemo int      // --file-demo N: file N generated general letters into the first box at start
	Debug    bool     // --debug: log at debug level

	Insecure        bool                // --insecure: accept requests without WS-Security
	OfficeCerts     map[string][]string // --office-cert podmiot=FILE (repeatable) and --certs FILE
	SignKey         string              // --sign-key FILE: answer-signing key and certificate (PEM or .p12/.pfx)
	SignKeyPassword string              // EPUAP_SIM_SIGN_KEY_PASSWORD: password of a PKCS#12 --sign-key
	SignCertOut     string              // --sign-cert-out FILE: write the answer-signing certificate (PEM)

	Faults epuapsim.Faults // --latency, --fail-500, --drop-after-next, --duplicate, --filerepo-once, --fault-seed
}

type officeCertsFlag map[string][]string

func (o officeCertsFlag) String() string { return fmt.Sprint(map[string][]string(o)) }
func (o officeCertsFlag) Set(v string) error {
	podmiot, path, ok := strings.Cut(v, "=")
	if !ok || podmiot == "" || path == "" {
		return fmt.Errorf("want podmiot=FILE, got %q", v)
	}
	o[podmiot] = append(o[podmiot], path)
	return nil
}

type boxesFlag []string

func (b *boxesFlag) String() string { return strings.Join(*b, ",") }
func (b *boxesFlag) Set(v string) error {
	podmiot, name, ok := strings.Cut(v, "/")
	if !ok || podmiot == "" || name == "" || strings.Contains(name, "/") {
		return fmt.Errorf("want podmiot/skrytka, got %q", v)
	}
	*b = append(*b, v)
	return nil
}

func loadConfig(args []string) (config, error) {
	cfg := config{Addr: envOr("EPUAP_SIM_ADDR", "127.0.0.1:8081"), Data: os.Getenv("EPUAP_SIM_DATA")}
	fs := flag.NewFlagSet("epuap-sim", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: epuap-sim [flags]\n\nRuns the simulated ePUAP: the SOAP services pull (%s), skrytka (%s), doręczyciel (%s) and FileRepo (%s), and a filing API under /sim/ (deliveries awaiting collection under /sim/epuap/doreczenia/).\n\nFlags:\n", schema.PullPath, schema.SkrytkaPath, schema.DoreczycielPath, schema.FileRepoPath)
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen `address` (env EPUAP_SIM_ADDR)")
	fs.StringVar(&cfg.Data, "data", cfg.Data, "`directory` keeping the boxes and FileRepo's files (under filerepo/) across restarts; empty keeps them in memory (env EPUAP_SIM_DATA)")
	var boxes boxesFlag
	fs.Var(&boxes, "box", "box to create at start, `podmiot/skrytka`; repeatable (default ROPS_Krakow/SkrytkaESP)")
	fs.IntVar(&cfg.FileDemo, "file-demo", 0, "file `N` generated general letters into the first box at start (again at every start)")
	fs.BoolVar(&cfg.Debug, "debug", false, "log at debug level")
	fs.BoolVar(&cfg.Insecure, "insecure", false, "accept SOAP requests without WS-Security (default: every request must be signed with a registered office certificate)")
	cfg.OfficeCerts = map[string][]string{}
	fs.Var(officeCertsFlag(cfg.OfficeCerts), "office-cert", "register an office's system certificate, `podmiot=FILE` (PEM or DER); repeatable")
	certsFile := fs.String("certs", "", "JSON `file` mapping podmiot to certificate files, {\"podmiot\": [\"cert.pem\"]}")
	fs.StringVar(&cfg.SignKey, "sign-key", "", "answer-signing key and certificate `file`: PEM (PKCS#8) or PKCS#12 (.p12/.pfx, password in EPUAP_SIM_SIGN_KEY_PASSWORD); default: generated at start")
	fs.StringVar(&cfg.SignCertOut, "sign-cert-out", "", "write the answer-signing certificate to `file` (PEM), for clients to pin")
	fs.DurationVar(&cfg.Faults.Latency, "latency", 0, "delay every SOAP request by `duration`")
	fs.Float64Var(&cfg.Faults.Error500, "fail-500", 0, "answer this `fraction` of SOAP requests with a bare HTTP 500")
	fs.Float64Var(&cfg.Faults.DropAfterNext, "drop-after-next", 0, "drop the connection after this `fraction` of pobierzNastepny requests")
	fs.Float64Var(&cfg.Faults.Duplicate, "duplicate", 0, "deliver again this `fraction` of confirmed documents")
	fs.BoolVar(&cfg.Faults.FileRepoOnce, "filerepo-once", false, "FileRepo refuses a second download of a file")
	fs.Uint64Var(&cfg.Faults.Seed, "fault-seed", 1, "`seed` of the fault fractions")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	cfg.SignKeyPassword = os.Getenv("EPUAP_SIM_SIGN_KEY_PASSWORD")
	if *certsFile != "" {
		data, err := os.ReadFile(*certsFile)
		if err != nil {
			return config{}, fmt.Errorf("--certs: %w", err)
		}
		var m map[string][]string
		if err := json.Unmarshal(data, &m); err != nil {
			return config{}, fmt.Errorf("--certs %s: %w", *certsFile, err)
		}
		for podmiot, paths := range m {
			cfg.OfficeCerts[podmiot] = append(cfg.OfficeCerts[podmiot], paths...)
		}
	}
	for name, f := range map[string]float64{"--fail-500": cfg.Faults.Error500, "--drop-after-next": cfg.Faults.DropAfterNext, "--duplicate": cfg.Faults.Duplicate} {
		if f < 0 || f > 1 {
			return config{}, fmt.Errorf("%s must be between 0 and 1, got %v", name, f)
		}
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	cfg.Boxes = boxes
	if len(cfg.Boxes) == 0 {
		cfg.Boxes = []string{"ROPS_Krakow/SkrytkaESP"}
	}
	if cfg.FileDemo < 0 {
		return config{}, errors.New("--file-demo must not be negative")
	}
	return cfg, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func main() {
	cfg, err := loadConfig(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "epuap-sim:", err)
		os.Exit(2)
	}
	level := slog.LevelInfo
	if cfg.Debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, log); err != nil {
		log.Error("epuap-sim failed", "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config, log *slog.Logger) error {
	var store epuapsim.Store = epuapsim.NewMemStore()
	opts := []epuapsim.Option{epuapsim.WithFaults(cfg.Faults)}
	if cfg.Data != "" {
		fs, err := epuapsim.OpenFileStore(cfg.Data)
		if err != nil {
			return err
		}
		store = fs
		repo, err := epuapsim.OpenDirRepo(filepath.Join(cfg.Data, "filerepo"))
		if err != nil {
			return err
		}
		opts = append(opts, epuapsim.WithRepo(repo))
	}
	if !cfg.Insecure {
		signer, err := answerSigner(cfg)
		if err != nil {
			return err
		}
		opts = append(opts, epuapsim.WithWSSecurity(signer))
		if cfg.SignCertOut != "" {
			if err := os.WriteFile(cfg.SignCertOut, wssec.EncodeCertificate(signer.Cert), 0o644); err != nil {
				return fmt.Errorf("--sign-cert-out: %w", err)
			}
		}
		log.Info("WS-Security on: requests must be signed with a registered office certificate",
			"answers_signed_by", signer.Cert.Subject.CommonName, "offices", len(cfg.OfficeCerts))
		if len(cfg.OfficeCerts) == 0 {
			log.Warn("no office certificate registered: every SOAP request will be refused; use --office-cert, --certs or --insecure")
		}
	} else {
		log.Warn("WS-Security off (--insecure): any request is accepted")
	}
	sim := epuapsim.New(store, time.Now, log, opts...)
	for podmiot, paths := range cfg.OfficeCerts {
		for _, path := range paths {
			certs, err := wssec.LoadCertificates(path)
			if err != nil {
				return err
			}
			for _, c := range certs {
				if err := sim.RegisterCertificate(podmiot, c); err != nil {
					return err
				}
			}
		}
	}
	var first epuapsim.Box
	for i, spec := range cfg.Boxes {
		podmiot, name, _ := strings.Cut(spec, "/")
		b, err := sim.CreateBox(ctx, podmiot, name)
		if err != nil {
			return err
		}
		if i == 0 {
			first = b
		}
	}
	if err := fileDemo(ctx, sim, first, cfg.FileDemo); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           sim.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	base := "http://" + ln.Addr().String()
	log.Info("epuap-sim listening", "pull", base+schema.PullPath, "wsdl", base+schema.PullPath+"?wsdl",
		"index", base+"/sim/", "store", storeName(cfg.Data), "boxes", strings.Join(cfg.Boxes, ","))

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	log.Info("epuap-sim stopped")
	return nil
}

// answerSigner loads --sign-key, or makes a key named as ePUAP's test environment's.
func answerSigner(cfg config) (*wssec.Signer, error) {
	if cfg.SignKey != "" {
		return wssec.LoadSigner(cfg.SignKey, cfg.SignKeyPassword)
	}
	return epuapsim.SelfSigned("ePUAP-INT-WS-Sign", time.Now())
}

func storeName(dir string) string {
	if dir == "" {
		return "memory"
	}
	return dir
}

// fileDemo files n generated general letters (seeds 1..n) into b.
func fileDemo(ctx context.Context, sim *epuapsim.Simulator, b epuapsim.Box, n int) error {
	for seed := range int64(n) {
		l := compose.Random(seed + 1)
		_, err := sim.File(ctx, epuapsim.FileRequest{
			Podmiot: b.Podmiot,
			Skrytka: b.Name,
			Sender: epuapsim.Sender{
				Identyfikator: l.Nadawca.Login,
				TypOsoby:      "F",
				ImieSkrot:     l.Nadawca.Imie,
				NazwiskoNazwa: l.Nadawca.Nazwisko,
				PESEL:         l.Nadawca.PESEL,
				Zgoda:         true,
			},
			Uzytkownik:      l.Nadawca.Login,
			AdresOdpowiedzi: "/" + l.Nadawca.Login + "/domyslna",
			NazwaPliku:      fmt.Sprintf("Pismo ogolne do podmiotu publicznego %d.xml", seed+1),
			TypPliku:        "text/xml",
			Zawartosc:       l.XML(),
		})
		if err != nil {
			return fmt.Errorf("file demo letter %d: %w", seed+1, err)
		}
	}
	return nil
}
