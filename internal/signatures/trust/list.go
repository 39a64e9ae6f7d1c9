package trust

import (
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/obieg/obieg/internal/signatures/safexml"
	"github.com/obieg/obieg/internal/signatures/xades"
)

const nsTSL = "http://uri.etsi.org/02231/v2#"

// Service type identifiers used most.
const (
	TypeCAQC           = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC"
	TypeNationalRootCA = "http://uri.etsi.org/TrstSvc/Svctype/NationalRootCA-QC"
	TypeTSAQTST        = "http://uri.etsi.org/TrstSvc/Svctype/TSA/QTST"
)

// ErrNotList means the document is not a TrustServiceStatusList.
var ErrNotList = errors.New("not a trusted list")

// List is a parsed trusted list.
type List struct {
	Territory      string
	SequenceNumber int
	Type           string
	Operator       string
	IssueTime      time.Time
	// NextUpdate is zero for a closed list.
	NextUpdate time.Time
	Providers  []Provider
	// Pointers are the lists this one points to (the LOTL's national lists).
	Pointers []Pointer
}

// Provider is a trust service provider.
type Provider struct {
	Name     string
	Services []Service
}

// Service is a trust service with its status history.
type Service struct {
	Type         string
	Name         string
	Certificates []*x509.Certificate
	// Status is the current status; History the earlier ones, newest first,
	// as the list gives them.
	Status     StatusPeriod
	History    []StatusPeriod
	Additional []string // AdditionalServiceInformation URIs
	// Qualifications are the service's qualification elements: qualifiers
	// that apply to the certificates its criteria select.
	Qualifications []Qualification
}

// StatusPeriod is a status that began at Start.
type StatusPeriod struct {
	Type   string
	Status string
	Start  time.Time
}

// Pointer points to another trusted list and names the certificates
// that may sign it.
type Pointer struct {
	Territory    string
	Location     string
	MimeType     string
	Type         string
	Certificates []*x509.Certificate
}

// Parse reads a trusted list from XML bytes under safexml's default limits.
func Parse(doc []byte) (*List, error) {
	d, err := safexml.ParseBytes(doc, safexml.Limits{})
	if err != nil {
		return nil, fmt.Errorf("parse trusted list: %w", err)
	}
	return ParseDocument(d)
}

// ParseDocument reads a trusted list from a parsed document.
func ParseDocument(d *etree.Document) (*List, error) {
	root := d.Root()
	if root == nil || root.Tag != "TrustServiceStatusList" || root.NamespaceURI() != nsTSL {
		return nil, fmt.Errorf("parse trusted list: root %q: %w", rootName(root), ErrNotList)
	}
	l := &List{}
	si := child(root, "SchemeInformation")
	if si == nil {
		return nil, fmt.Errorf("parse trusted list: no SchemeInformation: %w", ErrNotList)
	}
	l.Territory = text(child(si, "SchemeTerritory"))
	l.Type = text(child(si, "TSLType"))
	l.Operator = name(child(si, "SchemeOperatorName"))
	if n, err := strconv.Atoi(text(child(si, "TSLSequenceNumber"))); err == nil {
		l.SequenceNumber = n
	}
	var err error
	if l.IssueTime, err = parseTime(text(child(si, "ListIssueDateTime"))); err != nil {
		return nil, fmt.Errorf("parse trusted list: ListIssueDateTime: %w", err)
	}
	if nu := child(si, "NextUpdate"); nu != nil {
		if s := text(child(nu, "dateTime")); s != "" {
			if l.NextUpdate, err = parseTime(s); err != nil {
				return nil, fmt.Errorf("parse trusted list: NextUpdate: %w", err)
			}
		}
	}
	if ptrs := child(si, "PointersToOtherTSL"); ptrs != nil {
		for _, p := range children(ptrs, "OtherTSLPointer") {
			l.Pointers = append(l.Pointers, parsePointer(p))
		}
	}
	if tspl := child(root, "TrustServiceProviderList"); tspl != nil {
		for _, tsp := range children(tspl, "TrustServiceProvider") {
			p, err := parseProvider(tsp)
			if err != nil {
				return nil, fmt.Errorf("parse trusted list: %w", err)
			}
			l.Providers = append(l.Providers, p)
		}
	}
	return l, nil
}

func parsePointer(p *etree.Element) Pointer {
	ptr := Pointer{Location: text(child(p, "TSLLocation"))}
	if ids := child(p, "ServiceDigitalIdentities"); ids != nil {
		for _, sdi := range children(ids, "ServiceDigitalIdentity") {
			ptr.Certificates = append(ptr.Certificates, certificates(sdi)...)
		}
	}
	// AdditionalInformation holds OtherInformation entries, some in other
	// namespaces (MimeType); match by local name.
	for _, e := range p.FindElements(".//*") {
		switch e.Tag {
		case "SchemeTerritory":
			ptr.Territory = text(e)
		case "MimeType":
			ptr.MimeType = text(e)
		case "TSLType":
			ptr.Type = text(e)
		}
	}
	return ptr
}

func parseProvider(tsp *etree.Element) (Provider, error) {
	var p Provider
	if info := child(tsp, "TSPInformation"); info != nil {
		p.Name = name(child(info, "TSPName"))
	}
	svcs := child(tsp, "TSPServices")
	if svcs == nil {
		return p, nil
	}
	for _, s := range children(svcs, "TSPService") {
		si := child(s, "ServiceInformation")
		if si == nil {
			return p, fmt.Errorf("provider %q: service without ServiceInformation", p.Name)
		}
		svc := Service{
			Type: text(child(si, "ServiceTypeIdentifier")),
			Name: name(child(si, "ServiceName")),
		}
		if sdi := child(si, "ServiceDigitalIdentity"); sdi != nil {
			svc.Certificates = certificates(sdi)
		}
		st, err := statusPeriod(si)
		if err != nil {
			return p, fmt.Errorf("provider %q service %q: %w", p.Name, svc.Name, err)
		}
		svc.Status = st
		if ext := child(si, "ServiceInformationExtensions"); ext != nil {
			for _, e := range ext.FindElements(".//*") {
				switch e.Tag {
				case "AdditionalServiceInformation":
					if u := child(e, "URI"); u != nil {
						svc.Additional = append(svc.Additional, text(u))
					}
				case "QualificationElement":
					svc.Qualifications = append(svc.Qualifications, parseQualification(e))
				}
			}
		}
		if h := child(s, "ServiceHistory"); h != nil {
			for _, hi := range children(h, "ServiceHistoryInstance") {
				hp, err := statusPeriod(hi)
				if err != nil {
					return p, fmt.Errorf("provider %q service %q history: %w", p.Name, svc.Name, err)
				}
				svc.History = append(svc.History, hp)
			}
		}
		p.Services = append(p.Services, svc)
	}
	return p, nil
}

func statusPeriod(el *etree.Element) (StatusPeriod, error) {
	t, err := parseTime(text(child(el, "StatusStartingTime")))
	if err != nil {
		return StatusPeriod{}, fmt.Errorf("StatusStartingTime: %w", err)
	}
	return StatusPeriod{
		Type:   text(child(el, "ServiceTypeIdentifier")),
		Status: text(child(el, "ServiceStatus")),
		Start:  t,
	}, nil
}

// certificates returns the X509Certificate digital ids under sdi; ids
// given only by subject name or SKI are skipped.
func certificates(sdi *etree.Element) []*x509.Certificate {
	var out []*x509.Certificate
	for _, id := range children(sdi, "DigitalId") {
		for _, xc := range children(id, "X509Certificate") {
			der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(xc.Text()), ""))
			if err != nil {
				continue
			}
			if c, err := xades.ParseCertificate(der); err == nil {
				out = append(out, c)
			}
		}
	}
	return out
}

// StatusAt returns the status period in force at t, if the service existed.
func (s *Service) StatusAt(t time.Time) (StatusPeriod, bool) {
	best, found := StatusPeriod{}, false
	for _, p := range append([]StatusPeriod{s.Status}, s.History...) {
		if !p.Start.After(t) && (!found || p.Start.After(best.Start)) {
			best, found = p, true
		}
	}
	return best, found
}

// Status URIs that mean the service was approved: the eIDAS "granted" and
// "recognised at national level", and the Directive 1999/93/EC ones.
var positive = map[string]bool{
	"http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted":                   true,
	"http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/recognisedatnationallevel": true,
	"http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/undersupervision":          true,
	"http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/supervisionincessation":    true,
	"http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/accredited":                true,
	"http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/setbynationallaw":          true,
}

// Positive says whether a service status URI means the service was approved.
func Positive(status string) bool { return positive[status] }

// Anchors returns the certificates of services of the given types (by
// default CA/QC and NationalRootCA-QC) whose status at t was positive.
func (l *List) Anchors(at time.Time, types ...string) []*x509.Certificate {
	if len(types) == 0 {
		types = []string{TypeCAQC, TypeNationalRootCA}
	}
	var out []*x509.Certificate
	for _, p := range l.Providers {
		for i := range p.Services {
			s := &p.Services[i]
			st, ok := s.StatusAt(at)
			if !ok || !Positive(st.Status) {
				continue
			}
			typ := st.Type
			if typ == "" {
				typ = s.Type
			}
			for _, want := range types {
				if typ == want {
					out = append(out, s.Certificates...)
					break
				}
			}
		}
	}
	return out
}

// Pointer returns the LOTL pointer to the XML list of a territory.
func (l *List) Pointer(territory string) (Pointer, bool) {
	for _, p := range l.Pointers {
		if p.Territory == territory && (p.MimeType == "" || strings.Contains(p.MimeType, "xml")) {
			return p, true
		}
	}
	return Pointer{}, false
}

// Element helpers; trusted-list elements are all in the TSL namespace.

func rootName(el *etree.Element) string {
	if el == nil {
		return ""
	}
	return el.FullTag()
}

func child(el *etree.Element, tag string) *etree.Element {
	if el == nil {
		return nil
	}
	for _, c := range el.ChildElements() {
		if c.Tag == tag && c.NamespaceURI() == nsTSL {
			return c
		}
	}
	return nil
}

func children(el *etree.Element, tag string) []*etree.Element {
	var out []*etree.Element
	for _, c := range el.ChildElements() {
		if c.Tag == tag && c.NamespaceURI() == nsTSL {
			out = append(out, c)
		}
	}
	return out
}

func text(el *etree.Element) string {
	if el == nil {
		return ""
	}
	return strings.TrimSpace(el.Text())
}

// name returns the English Name child of a multilingual name element, or
// the first one.
func name(el *etree.Element) string {
	if el == nil {
		return ""
	}
	names := children(el, "Name")
	for _, n := range names {
		if n.SelectAttrValue("xml:lang", "") == "en" {
			return text(n)
		}
	}
	if len(names) > 0 {
		return text(names[0])
	}
	return ""
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}
