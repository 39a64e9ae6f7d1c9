// Package config holds obieg's one typed configuration: every setting, its environment
// variable, its flag and its default. main loads it once; no other package reads the
// environment.
package config

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// Config is the whole configuration of an obieg process. Fields left empty where a service
// address belongs (DatabaseURL, TemporalAddress, S3Endpoint) mean "start a private one" for
// `obieg-dev` and are required by `obieg server` and `obieg worker`.
type Config struct {
	// DatabaseURL is the PostgreSQL connection string (DATABASE_URL).
	DatabaseURL string
	// TemporalAddress is the Temporal frontend host:port (TEMPORAL_ADDRESS).
	TemporalAddress string
	// TemporalNamespace is the Temporal namespace obieg's workflows run in (TEMPORAL_NAMESPACE).
	TemporalNamespace string
	// TaskQueue is the Temporal task queue of obieg's workers (OBIEG_TASK_QUEUE).
	TaskQueue string
	// WorkflowIDPrefix begins every workflow id obieg makes (OBIEG_WORKFLOW_ID_PREFIX), so that
	// several installations can share one Temporal namespace; empty for a namespace of its own.
	WorkflowIDPrefix string

	// S3Endpoint is the S3 host:port, without scheme (S3_ENDPOINT).
	S3Endpoint string
	// S3AccessKey and S3SecretKey are the S3 credentials (S3_ACCESS_KEY, S3_SECRET_KEY).
	S3AccessKey string
	S3SecretKey string
	// S3Secure selects HTTPS towards S3 (S3_SECURE).
	S3Secure bool
	// S3Region is the region buckets are created in (S3_REGION).
	S3Region string
	// RawBucket keeps submissions exactly as received, content-addressed (OBIEG_RAW_BUCKET).
	RawBucket string
	// ArchiveBucket keeps archival packages under object lock (OBIEG_ARCHIVE_BUCKET).
	ArchiveBucket string
	// DocumentsBucket keeps what the office produces: letters, drafts (OBIEG_DOCUMENTS_BUCKET).
	DocumentsBucket string

	// OfficeName is the office's name, on the letterhead of documents (OBIEG_OFFICE_NAME);
	// OfficePlace its town, in the date line of letters (OBIEG_OFFICE_PLACE).
	OfficeName  string
	OfficePlace string
	// HTTPAddr is where the web server listens (OBIEG_HTTP_ADDR).
	HTTPAddr string
	// SecureCookies marks the session cookie Secure, for a server reached over HTTPS
	// (OBIEG_SECURE_COOKIES); `obieg-dev` serves plain HTTP on loopback and turns it off.
	SecureCookies bool
	// DevDir keeps the data of `obieg-dev`: database cluster, Temporal file, MinIO drive, logs
	// (OBIEG_DEV_DIR).
	DevDir string
	// BinDir holds the Temporal CLI and MinIO server built by 'make tools' (OBIEG_BIN_DIR).
	BinDir string

	// EpuapPullURL is the ePUAP pull service endpoint (EPUAP_PULL_URL); empty in `obieg-dev`
	// means the built-in simulator.
	EpuapPullURL string
	// EpuapFileRepoURL is ePUAP's FileRepo service endpoint, where large attachments are
	// fetched from (EPUAP_FILEREPO_URL); empty in `obieg-dev` means the simulator's.
	EpuapFileRepoURL string
	// EpuapDoreczycielURL is ePUAP's doręczyciel service endpoint, through which cases are
	// forwarded to other public bodies with proof of delivery (EPUAP_DORECZYCIEL_URL); empty
	// sends nothing that way, except in `obieg-dev`, where it means the simulator's.
	EpuapDoreczycielURL string
	// EpuapPodmiot, EpuapBoxName and EpuapBoxAddress name the office's ePUAP box
	// (EPUAP_PODMIOT, EPUAP_BOX_NAME, EPUAP_BOX_ADDRESS).
	EpuapPodmiot    string
	EpuapBoxName    string
	EpuapBoxAddress string
	// EpuapKeyFile holds the office's ePUAP system certificate and its key, which sign every
	// request (WS-Security): PEM (PKCS#8 key and certificate) or PKCS#12 (.p12, .pfx)
	// (EPUAP_KEY_FILE). EpuapKeyPassword unlocks a PKCS#12 file (EPUAP_KEY_PASSWORD).
	EpuapKeyFile     string
	EpuapKeyPassword string
	// EpuapSigningCert is a PEM file of ePUAP's response-signing certificate(s): answers not
	// signed by one of them are refused (EPUAP_SIGNING_CERT). It goes with EpuapKeyFile.
	EpuapSigningCert string
	// EDeliveryURL is the e-Doręczenia User Agent API root, "https://host/api/v1"
	// (EDORECZENIA_URL); empty in `obieg-dev` uses the simulator, elsewhere turns delivery
	// through e-Doręczenia off. EDeliveryTokenURL is its OAuth2 token endpoint
	// (EDORECZENIA_TOKEN_URL), EDeliveryClientID and EDeliveryClientSecret the office's
	// client credentials (EDORECZENIA_CLIENT_ID, EDORECZENIA_CLIENT_SECRET), EDeliveryAddress
	// the office's electronic delivery address, AE:PL-... (EDORECZENIA_ADDRESS).
	// EDeliveryClientKey, instead of the secret, is a PKCS#8 PEM file of the private key
	// (RSA or ECDSA P-256) with which obieg signs its client assertions (private_key_jwt,
	// EDORECZENIA_CLIENT_KEY), EDeliveryClientKeyID the key's id at the service, if it gave
	// one (EDORECZENIA_CLIENT_KEY_ID).
	EDeliveryURL          string
	EDeliveryTokenURL     string
	EDeliveryClientID     string
	EDeliveryClientSecret string
	EDeliveryClientKey    string
	EDeliveryClientKeyID  string
	EDeliveryAddress      string
	// EDeliveryCallbackURL is where e-Doręczenia calls obieg when an evidence is issued: the
	// public address of obieg's /callbacks/edoreczenia, with a secret ?token=... that the
	// handler checks (EDORECZENIA_CALLBACK_URL). Empty: obieg asks for evidences on its own,
	// sparingly, instead.
	EDeliveryCallbackURL string
	// EDeliveryIntakeInterval is how long the intake of the office's e-Doręczenia mailbox
	// waits between listings when no callback wakes it (EDORECZENIA_INTAKE_INTERVAL).
	EDeliveryIntakeInterval time.Duration
	// IntakeInterval is how long the intake waits after finding the box empty
	// (OBIEG_INTAKE_INTERVAL).
	IntakeInterval time.Duration
	// MaxDocumentBytes caps the size of one submitted document; a larger one is quarantined
	// (OBIEG_MAX_DOCUMENT_BYTES).
	MaxDocumentBytes int64

	// TrustList is a signed EU trusted list (the Polish TSL) whose qualified CAs and
	// time-stamping services are trusted for signatures (OBIEG_TRUST_LIST), verified against
	// the certificates in TrustListSigner (OBIEG_TRUST_LIST_SIGNER).
	TrustList       string
	TrustListSigner string
	// TrustAnchors are further certificate files trusted as roots, such as the e-ID root of
	// "podpis osobisty" (OBIEG_TRUST_ANCHORS, comma-separated).
	TrustAnchors string
	// OnlineRevocation lets verification ask OCSP responders and CRL distribution points on
	// the network when a signature carries no current revocation data, and signing embed the
	// office certificate's (OBIEG_ONLINE_REVOCATION). Private addresses are never asked.
	OnlineRevocation bool
	// ProfilZaufany names the certificate files of the Profil Zaufany seal, whose signatures
	// confirm the identity they claim (OBIEG_PZ_SEALS, comma-separated).
	ProfilZaufany string

	// SigningKey and SigningCerts are the office's signing key (PKCS#8 PEM) and its
	// certificate with the chain (PEM), used to sign answers and decisions with XAdES
	// (OBIEG_SIGNING_KEY, OBIEG_SIGNING_CERTS); without them nothing can be signed.
	SigningKey   string
	SigningCerts string
	// TSAURL is an RFC 3161 time-stamping authority for B-T signatures (OBIEG_TSA_URL).
	TSAURL string

	// LogLevel is debug, info, warn or error (OBIEG_LOG_LEVEL); LogFormat is text or json
	// (OBIEG_LOG_FORMAT).
	LogLevel  string
	LogFormat string
}

// setting ties one field to its environment variable, flag and default.
type setting struct {
	env, flag, def, usage string
	target                any
}

func (c *Config) settings() []setting {
	return []setting{
		{"DATABASE_URL", "database-url", "", "PostgreSQL connection string; empty in 'obieg-dev' starts a private cluster", &c.DatabaseURL},
		{"TEMPORAL_ADDRESS", "temporal-address", "", "Temporal frontend host:port; empty in 'obieg-dev' starts a dev server", &c.TemporalAddress},
		{"TEMPORAL_NAMESPACE", "temporal-namespace", "obieg", "Temporal namespace", &c.TemporalNamespace},
		{"OBIEG_TASK_QUEUE", "task-queue", "obieg", "Temporal task queue of the workers", &c.TaskQueue},
		{"OBIEG_WORKFLOW_ID_PREFIX", "workflow-id-prefix", "", "prefix of every workflow id, for installations sharing a Temporal namespace", &c.WorkflowIDPrefix},
		{"S3_ENDPOINT", "s3-endpoint", "", "S3 host:port; empty in 'obieg-dev' starts MinIO", &c.S3Endpoint},
		{"S3_ACCESS_KEY", "s3-access-key", "", "S3 access key", &c.S3AccessKey},
		{"S3_SECRET_KEY", "s3-secret-key", "", "S3 secret key", &c.S3SecretKey},
		{"S3_SECURE", "s3-secure", "false", "use HTTPS towards S3", &c.S3Secure},
		{"S3_REGION", "s3-region", "us-east-1", "S3 region", &c.S3Region},
		{"OBIEG_RAW_BUCKET", "raw-bucket", "obieg-raw", "bucket of submissions as received", &c.RawBucket},
		{"OBIEG_ARCHIVE_BUCKET", "archive-bucket", "obieg-archive", "bucket of archival packages (object lock)", &c.ArchiveBucket},
		{"OBIEG_DOCUMENTS_BUCKET", "documents-bucket", "obieg-documents", "bucket of documents the office produces", &c.DocumentsBucket},
		{"OBIEG_OFFICE_NAME", "office-name", "Regionalny Ośrodek Polityki Społecznej (demo)", "the office's name, on the letterhead of documents", &c.OfficeName},
		{"OBIEG_OFFICE_PLACE", "office-place", "Łódź", "the office's town, in the date line of letters", &c.OfficePlace},
		{"OBIEG_HTTP_ADDR", "http-addr", "127.0.0.1:8080", "address of the web server", &c.HTTPAddr},
		{"OBIEG_SECURE_COOKIES", "secure-cookies", "true", "send the session cookie over HTTPS only", &c.SecureCookies},
		{"OBIEG_DEV_DIR", "dev-dir", ".dev", "data directory of `obieg-dev`", &c.DevDir},
		{"OBIEG_BIN_DIR", "bin-dir", ".bin", "directory of the temporal and minio binaries built by 'make tools'", &c.BinDir},
		{"EPUAP_PULL_URL", "epuap-pull-url", "", "ePUAP pull service URL; empty in 'obieg-dev' uses the simulator", &c.EpuapPullURL},
		{"EPUAP_FILEREPO_URL", "epuap-filerepo-url", "", "ePUAP FileRepo service URL, for large attachments; empty in 'obieg-dev' uses the simulator", &c.EpuapFileRepoURL},
		{"EPUAP_DORECZYCIEL_URL", "epuap-doreczyciel-url", "", "ePUAP doręczyciel service URL, for forwarding cases to other public bodies; empty in 'obieg-dev' uses the simulator", &c.EpuapDoreczycielURL},
		{"EPUAP_PODMIOT", "epuap-podmiot", "rops-demo", "the office's ePUAP identifier (podmiot)", &c.EpuapPodmiot},
		{"EPUAP_BOX_NAME", "epuap-box-name", "skrytka", "the office's ePUAP box name", &c.EpuapBoxName},
		{"EPUAP_BOX_ADDRESS", "epuap-box-address", "/rops-demo/skrytka", "the office's ePUAP box address", &c.EpuapBoxAddress},
		{"EPUAP_KEY_FILE", "epuap-key-file", "", "the office's ePUAP system certificate and key (PEM or PKCS#12) signing every request; empty sends unsigned requests", &c.EpuapKeyFile},
		{"EPUAP_KEY_PASSWORD", "epuap-key-password", "", "password of a PKCS#12 EPUAP_KEY_FILE", &c.EpuapKeyPassword},
		{"EPUAP_SIGNING_CERT", "epuap-signing-cert", "", "PEM file of ePUAP's response-signing certificate(s), pinned; required with EPUAP_KEY_FILE", &c.EpuapSigningCert},
		{"EDORECZENIA_URL", "edoreczenia-url", "", "e-Doręczenia User Agent API root (https://host/api/v1); empty turns delivery through e-Doręczenia off, in 'obieg-dev' uses the simulator", &c.EDeliveryURL},
		{"EDORECZENIA_TOKEN_URL", "edoreczenia-token-url", "", "e-Doręczenia OAuth2 token endpoint", &c.EDeliveryTokenURL},
		{"EDORECZENIA_CLIENT_ID", "edoreczenia-client-id", "", "the office's e-Doręczenia OAuth2 client id", &c.EDeliveryClientID},
		{"EDORECZENIA_CLIENT_SECRET", "edoreczenia-client-secret", "", "the office's e-Doręczenia OAuth2 client secret; or EDORECZENIA_CLIENT_KEY", &c.EDeliveryClientSecret},
		{"EDORECZENIA_CLIENT_KEY", "edoreczenia-client-key", "", "PKCS#8 PEM file of the office's e-Doręczenia client key (RSA or ECDSA P-256) signing JWT client assertions, instead of a secret", &c.EDeliveryClientKey},
		{"EDORECZENIA_CLIENT_KEY_ID", "edoreczenia-client-key-id", "", "the id (kid) under which e-Doręczenia knows EDORECZENIA_CLIENT_KEY, if any", &c.EDeliveryClientKeyID},
		{"EDORECZENIA_ADDRESS", "edoreczenia-address", "", "the office's electronic delivery address (AE:PL-12345-67890-ABCDE-12)", &c.EDeliveryAddress},
		{"EDORECZENIA_CALLBACK_URL", "edoreczenia-callback-url", "", "public URL of obieg's /callbacks/edoreczenia with a secret ?token=; empty polls for evidences instead", &c.EDeliveryCallbackURL},
		{"EDORECZENIA_INTAKE_INTERVAL", "edoreczenia-intake-interval", "5m", "wait between listings of the office's e-Doręczenia mailbox when no callback comes", &c.EDeliveryIntakeInterval},
		{"OBIEG_INTAKE_INTERVAL", "intake-interval", "10s", "wait after finding the box empty", &c.IntakeInterval},
		{"OBIEG_MAX_DOCUMENT_BYTES", "max-document-bytes", "20971520", "largest accepted document in bytes; larger ones are quarantined", &c.MaxDocumentBytes},
		{"OBIEG_TRUST_LIST", "trust-list", "", "signed EU trusted list (XML) whose qualified services are trusted", &c.TrustList},
		{"OBIEG_TRUST_LIST_SIGNER", "trust-list-signer", "", "certificate file(s) the trusted list must be signed with", &c.TrustListSigner},
		{"OBIEG_TRUST_ANCHORS", "trust-anchors", "", "further trusted root certificate files, comma-separated (e.g. the e-ID root)", &c.TrustAnchors},
		{"OBIEG_ONLINE_REVOCATION", "online-revocation", "true", "ask OCSP/CRL services on the network for revocation data a signature lacks", &c.OnlineRevocation},
		{"OBIEG_PZ_SEALS", "pz-seals", "", "Profil Zaufany seal certificate files, comma-separated", &c.ProfilZaufany},
		{"OBIEG_SIGNING_KEY", "signing-key", "", "the office's signing key, PKCS#8 PEM file", &c.SigningKey},
		{"OBIEG_SIGNING_CERTS", "signing-certs", "", "the signing key's certificate and chain, PEM file", &c.SigningCerts},
		{"OBIEG_TSA_URL", "tsa-url", "", "RFC 3161 time-stamping authority for B-T signatures", &c.TSAURL},
		{"OBIEG_LOG_LEVEL", "log-level", "info", "debug, info, warn or error", &c.LogLevel},
		{"OBIEG_LOG_FORMAT", "log-format", "text", "text or json", &c.LogFormat},
	}
}

// EnvNames returns the environment variable of every setting, in the order of the
// configuration table: what deployment files may set for obieg.
func EnvNames() []string {
	var c Config
	settings := c.settings()
	names := make([]string, len(settings))
	for i, s := range settings {
		names[i] = s.env
	}
	return names
}

// Bind registers every setting as a flag on fs. Each flag's default is the value of its
// environment variable, read through getenv, or the built-in default when that is empty; an
// unparsable environment value is an error naming the variable.
func (c *Config) Bind(fs *pflag.FlagSet, getenv func(string) string) error {
	var errs []error
	for _, s := range c.settings() {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		usage := fmt.Sprintf("%s (env %s)", s.usage, s.env)
		switch p := s.target.(type) {
		case *string:
			fs.StringVar(p, s.flag, def, usage)
		case *bool:
			b, err := strconv.ParseBool(def)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: want true or false", s.env, def))
			}
			fs.BoolVar(p, s.flag, b, usage)
		case *int64:
			n, err := strconv.ParseInt(def, 10, 64)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: want a whole number", s.env, def))
			}
			fs.Int64Var(p, s.flag, n, usage)
		case *time.Duration:
			d, err := time.ParseDuration(def)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: want a duration such as 10s", s.env, def))
			}
			fs.DurationVar(p, s.flag, d, usage)
		default:
			panic(fmt.Sprintf("config: setting %s has unsupported type %T", s.env, s.target))
		}
	}
	return errors.Join(errs...)
}

// Defaults returns the configuration with every built-in default and nothing from the
// environment: what tests start from.
func Defaults() Config {
	var c Config
	fs := pflag.NewFlagSet("defaults", pflag.ContinueOnError)
	if err := c.Bind(fs, func(string) string { return "" }); err != nil {
		panic(err) // the built-in defaults are constants
	}
	return c
}

// Check reports every setting that is malformed. needServices says whether the service
// addresses must be given (server and worker need them; dev starts its own).
func (c *Config) Check(needServices bool) error {
	var errs []error
	if needServices {
		if c.DatabaseURL == "" {
			errs = append(errs, errors.New("DATABASE_URL is required"))
		}
		if c.TemporalAddress == "" {
			errs = append(errs, errors.New("TEMPORAL_ADDRESS is required"))
		}
		if c.S3Endpoint == "" {
			errs = append(errs, errors.New("S3_ENDPOINT is required"))
		}
	}
	if c.S3Endpoint != "" {
		if strings.Contains(c.S3Endpoint, "://") {
			errs = append(errs, fmt.Errorf("S3_ENDPOINT=%q: give host:port without a scheme (S3_SECURE selects HTTPS)", c.S3Endpoint))
		}
		if c.S3AccessKey == "" || c.S3SecretKey == "" {
			errs = append(errs, errors.New("S3_ACCESS_KEY and S3_SECRET_KEY are required with S3_ENDPOINT"))
		}
	}
	if c.EpuapPullURL != "" {
		if u, err := url.Parse(c.EpuapPullURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			errs = append(errs, fmt.Errorf("EPUAP_PULL_URL=%q: want an http or https URL", c.EpuapPullURL))
		}
	}
	if (c.EpuapKeyFile == "") != (c.EpuapSigningCert == "") {
		errs = append(errs, errors.New("EPUAP_KEY_FILE and EPUAP_SIGNING_CERT go together: sign requests and verify answers, or neither"))
	}
	if c.EDeliveryURL != "" {
		if c.EDeliveryTokenURL == "" || c.EDeliveryClientID == "" || c.EDeliveryAddress == "" {
			errs = append(errs, errors.New("EDORECZENIA_URL needs EDORECZENIA_TOKEN_URL, EDORECZENIA_CLIENT_ID and EDORECZENIA_ADDRESS"))
		}
		if (c.EDeliveryClientSecret == "") == (c.EDeliveryClientKey == "") {
			errs = append(errs, errors.New("EDORECZENIA_URL needs exactly one of EDORECZENIA_CLIENT_SECRET and EDORECZENIA_CLIENT_KEY"))
		}
		for env, v := range map[string]string{"EDORECZENIA_URL": c.EDeliveryURL, "EDORECZENIA_TOKEN_URL": c.EDeliveryTokenURL} {
			if u, err := url.Parse(v); v != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https")) {
				errs = append(errs, fmt.Errorf("%s=%q: want an http or https URL", env, v))
			}
		}
	}
	if c.EDeliveryClientKeyID != "" && c.EDeliveryClientKey == "" {
		errs = append(errs, errors.New("EDORECZENIA_CLIENT_KEY_ID needs EDORECZENIA_CLIENT_KEY"))
	}
	if c.EDeliveryCallbackURL != "" {
		if u, err := url.Parse(c.EDeliveryCallbackURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || len(u.Query().Get("token")) < 16 {
			errs = append(errs, fmt.Errorf("EDORECZENIA_CALLBACK_URL=%q: want an http or https URL with a secret ?token= of at least 16 characters", c.EDeliveryCallbackURL))
		}
	}
	if c.MaxDocumentBytes <= 0 {
		errs = append(errs, fmt.Errorf("OBIEG_MAX_DOCUMENT_BYTES=%d: must be positive", c.MaxDocumentBytes))
	}
	if c.EDeliveryIntakeInterval <= 0 {
		errs = append(errs, fmt.Errorf("EDORECZENIA_INTAKE_INTERVAL=%s: must be positive", c.EDeliveryIntakeInterval))
	}
	if c.IntakeInterval <= 0 {
		errs = append(errs, fmt.Errorf("OBIEG_INTAKE_INTERVAL=%s: must be positive", c.IntakeInterval))
	}
	if (c.TrustList == "") != (c.TrustListSigner == "") {
		errs = append(errs, errors.New("OBIEG_TRUST_LIST and OBIEG_TRUST_LIST_SIGNER go together"))
	}
	if (c.SigningKey == "") != (c.SigningCerts == "") {
		errs = append(errs, errors.New("OBIEG_SIGNING_KEY and OBIEG_SIGNING_CERTS go together"))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("OBIEG_LOG_LEVEL=%q: want debug, info, warn or error", c.LogLevel))
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("OBIEG_LOG_FORMAT=%q: want text or json", c.LogFormat))
	}
	if c.TemporalNamespace == "" || c.TaskQueue == "" || c.RawBucket == "" || c.ArchiveBucket == "" || c.DocumentsBucket == "" {
		errs = append(errs, errors.New("TEMPORAL_NAMESPACE, OBIEG_TASK_QUEUE and the OBIEG_*_BUCKET settings must not be empty"))
	}
	return errors.Join(errs...)
}

// NewLogger builds the one logger of a process, writing to w at LogLevel in LogFormat.
func (c *Config) NewLogger(w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
