package trust

import (
	"crypto/x509"
	"encoding/asn1"
	"slices"
	"strings"
	"time"

	"github.com/beevik/etree"
)

// Qualification is one QualificationElement of a service: qualifiers that
// apply to the certificates its criteria match (ETSI TS 119 612 5.5.9.2).
type Qualification struct {
	// Qualifiers are the qualifier URIs, such as
	// http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/QCWithQSCD.
	Qualifiers []string
	Criteria   Criteria
}

// Criteria is a CriteriaList: conditions on a certificate combined by
// Assert ("all", "atLeastOne" or "none").
type Criteria struct {
	Assert string
	// KeyUsage holds one map per KeyUsage element: bit name to the value
	// the certificate must have.
	KeyUsage []map[string]bool
	// PolicySets holds one list per PolicySet: the certificate must carry
	// every policy of a set.
	PolicySets [][]string
	Nested     []Criteria
	// Unsupported counts conditions this package does not evaluate
	// (otherCriteriaList); a criteria list holding one never matches.
	Unsupported int
}

func parseQualification(qe *etree.Element) Qualification {
	var q Qualification
	for _, c := range qe.ChildElements() {
		switch c.Tag {
		case "Qualifiers":
			for _, ql := range c.ChildElements() {
				if ql.Tag == "Qualifier" {
					q.Qualifiers = append(q.Qualifiers, ql.SelectAttrValue("uri", ""))
				}
			}
		case "CriteriaList":
			q.Criteria = parseCriteria(c, 0)
		}
	}
	return q
}

func parseCriteria(el *etree.Element, depth int) Criteria {
	cr := Criteria{Assert: el.SelectAttrValue("assert", "all")}
	for _, c := range el.ChildElements() {
		switch c.Tag {
		case "KeyUsage":
			bits := map[string]bool{}
			for _, b := range c.ChildElements() {
				if b.Tag == "KeyUsageBit" {
					bits[b.SelectAttrValue("name", "")] = strings.TrimSpace(b.Text()) == "true"
				}
			}
			cr.KeyUsage = append(cr.KeyUsage, bits)
		case "PolicySet":
			var set []string
			for _, pi := range c.ChildElements() {
				for _, id := range pi.ChildElements() {
					if id.Tag == "Identifier" {
						set = append(set, strings.TrimPrefix(strings.TrimSpace(id.Text()), "urn:oid:"))
					}
				}
			}
			cr.PolicySets = append(cr.PolicySets, set)
		case "CriteriaList":
			if depth < 8 {
				cr.Nested = append(cr.Nested, parseCriteria(c, depth+1))
			} else {
				cr.Unsupported++
			}
		case "Description":
		default:
			cr.Unsupported++
		}
	}
	return cr
}

var keyUsageBits = map[string]x509.KeyUsage{
	"digitalSignature": x509.KeyUsageDigitalSignature,
	"nonRepudiation":   x509.KeyUsageContentCommitment,
	"keyEncipherment":  x509.KeyUsageKeyEncipherment,
	"dataEncipherment": x509.KeyUsageDataEncipherment,
	"keyAgreement":     x509.KeyUsageKeyAgreement,
	"keyCertSign":      x509.KeyUsageCertSign,
	"crlSign":          x509.KeyUsageCRLSign,
	"encipherOnly":     x509.KeyUsageEncipherOnly,
	"decipherOnly":     x509.KeyUsageDecipherOnly,
}

// Match says whether the certificate meets the criteria.
func (cr Criteria) Match(c *x509.Certificate) bool {
	if cr.Unsupported > 0 {
		return false
	}
	var results []bool
	for _, ku := range cr.KeyUsage {
		ok := true
		for name, want := range ku {
			bit, known := keyUsageBits[name]
			if !known || (c.KeyUsage&bit != 0) != want {
				ok = false
			}
		}
		results = append(results, ok)
	}
	for _, set := range cr.PolicySets {
		ok := len(set) > 0
		for _, oid := range set {
			if !slices.ContainsFunc(c.Policies, func(p x509.OID) bool { return p.String() == oid }) &&
				!slices.ContainsFunc(c.PolicyIdentifiers, func(p asn1.ObjectIdentifier) bool { return p.String() == oid }) {
				ok = false
			}
		}
		results = append(results, ok)
	}
	for _, n := range cr.Nested {
		results = append(results, n.Match(c))
	}
	switch cr.Assert {
	case "atLeastOne":
		return slices.Contains(results, true)
	case "none":
		return !slices.Contains(results, true)
	default: // "all"
		return len(results) > 0 && !slices.Contains(results, false)
	}
}

const svcInfoExt = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/"

// Qualification results of Qualify.
const (
	QESig     = "QESig"      // qualified electronic signature
	AdESigQC  = "AdESig-QC"  // advanced signature with a qualified certificate
	QESeal    = "QESeal"     // qualified electronic seal
	AdESealQC = "AdESeal-QC" // advanced seal with a qualified certificate
	NotQC     = "AdES"       // the certificate is not qualified
	NoService = "N/A"        // no CA/QC service of the list issued the chain
)

var (
	oidQCStatements = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 3}
	oidQcCompliance = "0.4.0.1862.1.1"
	oidQcSSCD       = "0.4.0.1862.1.4"
	oidQcType       = "0.4.0.1862.1.6"
	qcTypes         = map[string]string{"0.4.0.1862.1.6.1": "esig", "0.4.0.1862.1.6.2": "eseal", "0.4.0.1862.1.6.3": "web"}
)

// certQC reads the QC statements of a certificate: compliance, QSCD and
// the declared types.
func certQC(c *x509.Certificate) (compliance, sscd bool, types []string) {
	for _, ext := range c.Extensions {
		if !ext.Id.Equal(oidQCStatements) {
			continue
		}
		var stmts []struct {
			ID   asn1.ObjectIdentifier
			Info asn1.RawValue `asn1:"optional"`
		}
		if _, err := asn1.Unmarshal(ext.Value, &stmts); err != nil {
			return false, false, nil
		}
		for _, st := range stmts {
			switch st.ID.String() {
			case oidQcCompliance:
				compliance = true
			case oidQcSSCD:
				sscd = true
			case oidQcType:
				var ts []asn1.ObjectIdentifier
				if _, err := asn1.Unmarshal(st.Info.FullBytes, &ts); err == nil {
					for _, t := range ts {
						if n, ok := qcTypes[t.String()]; ok {
							types = append(types, n)
						}
					}
				}
			}
		}
	}
	return compliance, sscd, types
}

var serviceFor = map[string]string{"ForeSignatures": "esig", "ForeSeals": "eseal", "ForWebSiteAuthentication": "web"}

// eIDAS is the day Regulation 910/2014 applied to trust services.
var eIDAS = time.Date(2016, 7, 1, 0, 0, 0, 0, time.UTC)

// Qualify decides, after ETSI TS 119 615, whether the signing certificate
// of a validated chain (leaf first) was a qualified certificate for
// electronic signatures or seals, issued and used while a CA/QC service of
// the list that issued it was approved, and whether its key was on a
// (Q)SCD: it returns one of the qualification constants and how it got
// there. at is the best signature time. Simplifications: conditions in
// otherCriteriaList make a criteria list not match, and the LOTL-level
// rules (TakenOverBy, the EU list's own history) are not applied.
func (l *List) Qualify(chain []*x509.Certificate, at time.Time) (string, string) {
	if len(chain) < 2 {
		return NoService, "the signing certificate is itself the trust anchor"
	}
	leaf := chain[0]
	svc := l.issuingService(chain[1:])
	if svc == nil {
		return NoService, "no CA/QC service of the list " + l.Territory + " is in the chain"
	}
	issued, ok := svc.StatusAt(leaf.NotBefore)
	if !ok || !Positive(issued.Status) {
		return NotQC, "service " + svc.Name + " was not approved when the certificate was issued"
	}
	now, ok := svc.StatusAt(at)
	if !ok || !Positive(now.Status) {
		return NotQC, "service " + svc.Name + " was not approved at " + at.Format(time.RFC3339)
	}
	var qualifiers []string
	for _, q := range svc.Qualifications {
		if q.Criteria.Match(leaf) {
			qualifiers = append(qualifiers, q.Qualifiers...)
		}
	}
	has := func(name string) bool { return slices.Contains(qualifiers, svcInfoExt+name) }
	compliance, sscd, types := certQC(leaf)
	qc := (compliance || has("QCStatement")) && !has("NotQualified")
	if !qc {
		return NotQC, "the certificate is not a qualified certificate"
	}
	typ := ""
	switch {
	case has("QCForESig"):
		typ = "esig"
	case has("QCForESeal"):
		typ = "eseal"
	case has("QCForWSA"):
		typ = "web"
	case len(types) == 1:
		typ = types[0]
	case len(types) == 0 && leaf.NotBefore.Before(eIDAS):
		typ = "esig"
	}
	// AdditionalServiceInformation may restrict the service to some types.
	allowed := map[string]bool{}
	for _, a := range svc.Additional {
		if t, ok := serviceFor[strings.TrimPrefix(a, svcInfoExt)]; ok {
			allowed[t] = true
		}
	}
	if len(allowed) > 0 && !allowed[typ] {
		return NotQC, "the service does not issue qualified certificates of type " + typ
	}
	qscd := sscd
	switch {
	case has("QCWithSSCD"), has("QCWithQSCD"), has("QCQSCDManagedOnBehalf"):
		qscd = true
	case has("QCNoSSCD"), has("QCNoQSCD"):
		qscd = false
	}
	detail := "qualified certificate issued under " + svc.Name
	switch {
	case typ == "esig" && qscd:
		return QESig, detail + ", key on a QSCD"
	case typ == "esig":
		return AdESigQC, detail + ", key not shown to be on a QSCD"
	case typ == "eseal" && qscd:
		return QESeal, detail + ", key on a QSCD"
	case typ == "eseal":
		return AdESealQC, detail + ", key not shown to be on a QSCD"
	}
	return NotQC, "qualified certificate of type " + typ + ", not for signatures or seals"
}

// issuingService returns the CA/QC service whose certificate is one of the
// chain's issuers, nearest the leaf first.
func (l *List) issuingService(issuers []*x509.Certificate) *Service {
	for _, c := range issuers {
		for pi := range l.Providers {
			for si := range l.Providers[pi].Services {
				s := &l.Providers[pi].Services[si]
				if s.Type != TypeCAQC && s.Type != TypeNationalRootCA {
					continue
				}
				if slices.ContainsFunc(s.Certificates, c.Equal) {
					return s
				}
			}
		}
	}
	return nil
}
