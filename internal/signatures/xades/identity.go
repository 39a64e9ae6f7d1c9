package xades

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"strings"

	"github.com/beevik/etree"
)

const (
	nsPodpisZP    = "http://crd.gov.pl/xml/schematy/ppzp/"
	nsEPSignature = "http://crd.gov.pl/xml/schematy/podpis_zaufany/"
)

// signerOf fills the certificate fields of a Signer, keeping a claimed
// identity already found.
func signerOf(kc *keyCert, prev *SignerInfo) *SignerInfo {
	var subject, issuer pkix.Name
	s := &SignerInfo{}
	switch {
	case kc.cert != nil:
		subject, issuer = kc.cert.Subject, kc.cert.Issuer
		s.SerialNumber = kc.cert.SerialNumber.String()
		s.NotBefore, s.NotAfter = kc.cert.NotBefore.UTC(), kc.cert.NotAfter.UTC()
		s.QCStatements = qcStatements(kc.cert)
		if kc.cert.KeyUsage&x509.KeyUsageContentCommitment != 0 {
			s.KeyUsage = append(s.KeyUsage, "nonRepudiation")
		}
		if kc.cert.KeyUsage&x509.KeyUsageDigitalSignature != 0 {
			s.KeyUsage = append(s.KeyUsage, "digitalSignature")
		}
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
func claimedIdentity(sp *etree.Element, prev *SignerInfo) *SignerInfo {
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
		prev = &SignerInfo{}
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

var oidQCStatements = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 3}

// Statement and type identifiers of ETSI EN 319 412-5.
var qcNames = map[string]string{
	"0.4.0.1862.1.1":     "QcCompliance",
	"0.4.0.1862.1.3":     "QcRetentionPeriod",
	"0.4.0.1862.1.4":     "QcSSCD",
	"0.4.0.1862.1.5":     "QcPDS",
	"0.4.0.1862.1.6":     "QcType",
	"0.4.0.1862.1.6.1":   "QcType-esign",
	"0.4.0.1862.1.6.2":   "QcType-eseal",
	"0.4.0.1862.1.6.3":   "QcType-web",
	"0.4.0.1862.1.2":     "QcLimitValue",
	"0.4.0.194121.1.1":   "SemanticsId-Natural",
	"0.4.0.194121.1.2":   "SemanticsId-Legal",
	"1.3.6.1.5.5.7.11.1": "pkixQCSyntax-v1",
	"1.3.6.1.5.5.7.11.2": "pkixQCSyntax-v2",
}

// qcStatements lists the QC statements of a certificate by name (or OID).
func qcStatements(c *x509.Certificate) []string {
	var out []string
	for _, ext := range c.Extensions {
		if !ext.Id.Equal(oidQCStatements) {
			continue
		}
		var stmts []struct {
			ID   asn1.ObjectIdentifier
			Info asn1.RawValue `asn1:"optional"`
		}
		if _, err := asn1.Unmarshal(ext.Value, &stmts); err != nil {
			return []string{"unparsable QCStatements"}
		}
		for _, st := range stmts {
			name, ok := qcNames[st.ID.String()]
			if !ok {
				name = st.ID.String()
			}
			out = append(out, name)
			if name == "QcType" {
				var types []asn1.ObjectIdentifier
				if _, err := asn1.Unmarshal(st.Info.FullBytes, &types); err == nil {
					for _, t := range types {
						if n, ok := qcNames[t.String()]; ok {
							out = append(out, n)
						}
					}
				}
			}
		}
	}
	return out
}
