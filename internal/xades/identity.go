package xades

import (
	"crypto/x509/pkix"
	"strings"

	"github.com/beevik/etree"
)

const (
	nsPodpisZP    = "http://crd.gov.pl/xml/schematy/ppzp/"
	nsEPSignature = "http://crd.gov.pl/xml/schematy/podpis_zaufany/"
)

// signerOf fills the certificate fields of a Signer, keeping a claimed
// identity already found.
func signerOf(kc *keyCert, prev *Signer) *Signer {
	var subject, issuer pkix.Name
	s := &Signer{}
	switch {
	case kc.cert != nil:
		subject, issuer = kc.cert.Subject, kc.cert.Issuer
		s.SerialNumber = kc.cert.SerialNumber.String()
		s.NotBefore, s.NotAfter = kc.cert.NotBefore.UTC(), kc.cert.NotAfter.UTC()
	case kc.info != nil:
		subject, issuer = kc.info.subject, kc.info.issuer
		if kc.info.serial != nil {
			s.SerialNumber = kc.info.serial.String()
		}
		s.NotBefore, s.NotAfter = kc.info.notBefore, kc.info.notAfter
	}
	s.Subject, s.Issuer = subject.String(), issuer.String()
	if p, ok := strings.CutPrefix(subject.SerialNumber, "PNOPL-"); ok && isPESEL(p) {
		s.PESEL = p
	}
	if prev != nil {
		s.Claimed = prev.Claimed
	}
	return s
}

// isPESEL checks the form and the check digit of a PESEL number.
func isPESEL(p string) bool {
	if len(p) != 11 {
		return false
	}
	w := []int{1, 3, 7, 9, 1, 3, 7, 9, 1, 3}
	sum := 0
	for i := 0; i < 11; i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
		if i < 10 {
			sum += int(p[i]-'0') * w[i]
		}
	}
	return (10-sum%10)%10 == int(p[10]-'0')
}

// claimedIdentity reads the Profil Zaufany identity (PodpisZP or
// EPSignature) from SignerRole/ClaimedRoles of the signed properties.
func claimedIdentity(sp *etree.Element, prev *Signer) *Signer {
	var found *ClaimedIdentity
	var walk func(el *etree.Element)
	walk = func(el *etree.Element) {
		if found != nil {
			return
		}
		switch {
		case el.Tag == "PodpisZP" && el.NamespaceURI() == nsPodpisZP:
			found = &ClaimedIdentity{
				Form:       "PodpisZP",
				GivenName:  descText(el, "Imie"),
				FamilyName: descText(el, "Nazwisko"),
				PESEL:      descText(el, "PESEL"),
				Account:    descText(el, "IdKontaUzytkownikaEpuap"),
			}
			return
		case el.Tag == "EPSignature" && el.NamespaceURI() == nsEPSignature:
			found = &ClaimedIdentity{
				Form:       "EPSignature",
				GivenName:  descText(el, "FirstName"),
				FamilyName: descText(el, "CurrentFamilyName"),
				PESEL:      descText(el, "PersonalIdentifier"),
			}
			return
		}
		for _, c := range el.ChildElements() {
			walk(c)
		}
	}
	for _, role := range claimedRoles(sp) {
		walk(role)
	}
	if found == nil {
		return prev
	}
	if prev == nil {
		prev = &Signer{}
	}
	prev.Claimed = found
	return prev
}

func claimedRoles(sp *etree.Element) []*etree.Element {
	ssp := childXAdES(sp, "SignedSignatureProperties")
	if ssp == nil {
		return nil
	}
	var out []*etree.Element
	for _, tag := range []string{"SignerRole", "SignerRoleV2"} {
		for _, sr := range childrenXAdES(ssp, tag) {
			if cr := childXAdES(sr, "ClaimedRoles"); cr != nil {
				out = append(out, childrenXAdES(cr, "ClaimedRole")...)
			}
		}
	}
	return out
}

// descText returns the trimmed text of the first descendant with the
// local name tag.
func descText(el *etree.Element, tag string) string {
	for _, c := range el.ChildElements() {
		if c.Tag == tag {
			return strings.TrimSpace(c.Text())
		}
		if t := descText(c, tag); t != "" {
			return t
		}
	}
	return ""
}
