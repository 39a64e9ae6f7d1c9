// Command epuap-sim runs the simulated ePUAP (pull service and filing API) on its own:
//
//	go run ./cmd/epuap-sim --addr 127.0.0.1:8081 --data DIR
//
// Without --data the boxes live in memory and are lost at exit. See package
// internal/simulator/epuapsim for the routes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/obieg/obieg/internal/simulator/compose"
	"github.com/obieg/obieg/internal/simulator/epuapsim"
	schema "github.com/obieg/obieg/xmlschemas/epuap"
)

// config is everything epuap-sim can be told. Each field has a flag; Addr and Data also
// read an environment variable as their default.
type config struct {
	Addr     string   // --addr, EPUAP_SIM_ADDR: listen address
	Data     string   // --data, EPUAP_SIM_DATA: directory of the file store; "" keeps boxes in memory
	Boxes    []string // --box podmiot/skrytka, repeatable: boxes to create at start
	FileDemo int      // --file-demo N: file N generated general letters into the first box at start
	Debug    bool     // --debug: log at debug level
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
		fmt.Fprintf(fs.Output(), "Usage: epuap-sim [flags]\n\nRuns the simulated ePUAP: the SOAP pull service at %s and a filing API under /sim/.\n\nFlags:\n", schema.PullPath)
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen `address` (env EPUAP_SIM_ADDR)")
	fs.StringVar(&cfg.Data, "data", cfg.Data, "`directory` keeping the boxes across restarts; empty keeps them in memory (env EPUAP_SIM_DATA)")
	var boxes boxesFlag
	fs.Var(&boxes, "box", "box to create at start, `podmiot/skrytka`; repeatable (default ROPS_Krakow/SkrytkaESP)")
	fs.IntVar(&cfg.FileDemo, "file-demo", 0, "file `N` generated general letters into the first box at start (again at every start)")
	fs.BoolVar(&cfg.Debug, "debug", false, "log at debug level")
	if err := fs.Parse(args); err != nil {
		return config{}, err
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
	if cfg.Data != "" {
		fs, err := epuapsim.OpenFileStore(cfg.Data)
		if err != nil {
			return err
		}
		store = fs
	}
	sim := epuapsim.New(store, time.Now, log)
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
