package app

import (
	"context"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/obieg/obieg/internal/config"
	"github.com/obieg/obieg/internal/signatures/trust"
	"github.com/obieg/obieg/internal/signatures/xades"
)

// LoadTrust reads the signature trust of cfg: the trusted list (its own signature checked
// against its pinned signer at now), further anchors and the Profil Zaufany seals. It returns
// the verification options for a validation time; with nothing configured, signatures are
// checked without anchors and none can pass, which the verdict then says.
func LoadTrust(ctx context.Context, cfg config.Config, now time.Time) (func(at time.Time) xades.Options, error) {
	var list *trust.List
	if cfg.TrustList != "" {
		doc, err := os.ReadFile(cfg.TrustList)
		if err != nil {
			return nil, fmt.Errorf("trusted list: %w", err)
		}
		signers, err := loadAll(cfg.TrustListSigner)
		if err != nil {
			return nil, fmt.Errorf("trusted list signer: %w", err)
		}
		list, _, err = trust.VerifyList(ctx, doc, signers, now)
		if err != nil {
			return nil, fmt.Errorf("trusted list %s: %w", cfg.TrustList, err)
		}
	}
	anchors, err := loadAll(cfg.TrustAnchors)
	if err != nil {
		return nil, fmt.Errorf("trust anchors: %w", err)
	}
	seals, err := loadAll(cfg.ProfilZaufany)
	if err != nil {
		return nil, fmt.Errorf("seals of Profil Zaufany: %w", err)
	}
	fetcher := revocationFetcher(cfg)
	return func(at time.Time) xades.Options {
		opts := xades.Options{ValidationTime: at}
		if list != nil {
			opts = list.VerifyOptions(at)
		}
		opts.TrustAnchors = append(opts.TrustAnchors, anchors...)
		opts.ProfilZaufany = seals
		if fetcher != nil {
			opts.Revocation = fetcher
		}
		return opts
	}, nil
}

// revocationFetcher returns the fetcher of revocation data on the network, or nil when
// OBIEG_ONLINE_REVOCATION is off. Its answers are cached for the process.
func revocationFetcher(cfg config.Config) *xades.HTTPFetcher {
	if !cfg.OnlineRevocation {
		return nil
	}
	return xades.NewHTTPFetcher(&http.Client{Timeout: 20 * time.Second}, xades.FetchOptions{})
}

// loadAll reads the certificates of a comma-separated list of files.
func loadAll(paths string) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for _, p := range strings.Split(paths, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		certs, err := trust.LoadCertificates(p)
		if err != nil {
			return nil, err
		}
		out = append(out, certs...)
	}
	return out, nil
}
