package testpki

import (
	"context"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/obieg/obieg/internal/signatures/xades"
)

// Namespaces of the Profil Zaufany claims.
const (
	nsPodpisZP    = "http://crd.gov.pl/xml/schematy/ppzp/"
	nsOsoba       = "http://crd.gov.pl/xml/schematy/osoba/2009/03/06/"
	nsEPSignature = "http://crd.gov.pl/xml/schematy/podpis_zaufany/"
)

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// PodpisZP returns the ppZP:PodpisZP claim naming the person, as ePUAP
// puts it into SignerRole/ClaimedRoles of a Profil Zaufany signature.
func (who Person) PodpisZP() string {
	return `<ppZP:PodpisZP xmlns:ppZP="` + nsPodpisZP + `" xmlns:os="` + nsOsoba + `"><ppZP:DaneZP><ppZP:DaneZPOsobyFizycznej>` +
		`<os:Imie>` + esc(who.GivenName) + `</os:Imie><os:Nazwisko>` + esc(who.FamilyName) + `</os:Nazwisko><os:PESEL>` + esc(who.PESEL) + `</os:PESEL>` +
		`</ppZP:DaneZPOsobyFizycznej></ppZP:DaneZP><ppZP:DanePodpisu><ppZP:IdKontaUzytkownikaEpuap>` + esc(who.Account) +
		`</ppZP:IdKontaUzytkownikaEpuap></ppZP:DanePodpisu></ppZP:PodpisZP>`
}

// EPSignature returns the pz:EPSignature claim (the 2024-25 form).
func (who Person) EPSignature() string {
	return `<pz:EPSignature xmlns:pz="` + nsEPSignature + `"><pz:NaturalPerson><pz:FirstName>` + esc(who.GivenName) +
		`</pz:FirstName><pz:CurrentFamilyName>` + esc(who.FamilyName) + `</pz:CurrentFamilyName><pz:PersonalIdentifier>` +
		esc(who.PESEL) + `</pz:PersonalIdentifier></pz:NaturalPerson></pz:EPSignature>`
}

// SignOptions returns xades options for a signature by e at time at that
// carry the revocation data (ValidationData) a verifier needs offline.
func (p *PKI) SignOptions(e *Entity, at time.Time) (xades.SignOptions, error) {
	ocsps, crls, err := p.ValidationData(e, at)
	if err != nil {
		return xades.SignOptions{}, err
	}
	return xades.SignOptions{SigningTime: at, OCSPResponses: ocsps, CRLs: crls}, nil
}

// SignProfilZaufany signs doc as ePUAP does for a Profil Zaufany user: the
// ministry's seal signs, claiming the person in a ppZP:PodpisZP role.
func (p *PKI) SignProfilZaufany(ctx context.Context, doc []byte, who Person, at time.Time) ([]byte, error) {
	opts, err := p.SignOptions(p.ProfilZaufany, at)
	if err != nil {
		return nil, err
	}
	opts.ClaimedRoles = []string{who.PodpisZP()}
	return p.sign(ctx, doc, p.ProfilZaufany, opts)
}

// SignQualified signs doc with e (Citizen, CitizenRSA, Expired, Revoked,
// Untrusted...), a qualified-signature-style XAdES-B-B with revocation data.
func (p *PKI) SignQualified(ctx context.Context, doc []byte, e *Entity, at time.Time) ([]byte, error) {
	opts, err := p.SignOptions(e, at)
	if err != nil {
		return nil, err
	}
	return p.sign(ctx, doc, e, opts)
}

// SignEID signs doc with the e-ID card holder's certificate ("podpis
// osobisty"); it verifies only with EIDRoot configured as an anchor.
func (p *PKI) SignEID(ctx context.Context, doc []byte, at time.Time) ([]byte, error) {
	return p.SignQualified(ctx, doc, p.EIDCitizen, at)
}

func (p *PKI) sign(ctx context.Context, doc []byte, e *Entity, opts xades.SignOptions) ([]byte, error) {
	out, err := xades.Sign(ctx, doc, e, opts)
	if err != nil {
		return nil, fmt.Errorf("testpki: sign as %s: %w", e.Name, err)
	}
	return out, nil
}
