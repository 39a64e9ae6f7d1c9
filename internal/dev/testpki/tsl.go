package testpki

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/obieg/obieg/internal/signatures/xades"
)

// Trusted-list URIs (ETSI TS 119 612).
const (
	svcCAQC    = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC"
	svcTSAQTST = "http://uri.etsi.org/TrstSvc/Svctype/TSA/QTST"
	granted    = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted"
	svcInfoExt = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/"
)

// TrustedList returns an EU trusted list (ETSI TS 119 612 v2) for
// territory PL issued at the PKI's time, listing QualifiedCA as a granted
// CA/QC service (qualified certificates for signatures and seals, on a
// QSCD, selected by the QCP-n-qscd and QCP-l-qscd policies) and TSA as a
// granted TSA/QTST service, enveloped-signed by TSLSigner. Pin TSLSigner's
// certificate to verify it (internal/signatures/trust.VerifyList).
func (p *PKI) TrustedList(ctx context.Context) ([]byte, error) {
	issued := p.At.AddDate(0, 0, -7)
	ts := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#" xmlns:ns2="http://uri.etsi.org/02231/v2/additionaltypes#" xmlns:ns3="http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#" Id="tsl-pl-test" TSLTag="http://uri.etsi.org/19612/TSLTag">
<SchemeInformation>
<TSLVersionIdentifier>5</TSLVersionIdentifier>
<TSLSequenceNumber>1</TSLSequenceNumber>
<TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric</TSLType>
<SchemeOperatorName><Name xml:lang="en">obieg test scheme operator</Name></SchemeOperatorName>
<SchemeTerritory>PL</SchemeTerritory>
<ListIssueDateTime>` + ts(issued) + `</ListIssueDateTime>
<NextUpdate><dateTime>` + ts(issued.AddDate(0, 6, 0)) + `</dateTime></NextUpdate>
</SchemeInformation>
<TrustServiceProviderList>
<TrustServiceProvider>
<TSPInformation><TSPName><Name xml:lang="en">`)
	xml.EscapeText(&b, []byte(p.QualifiedCA.Cert.Subject.Organization[0]))
	b.WriteString(`</Name></TSPName></TSPInformation>
<TSPServices>
`)
	policy := func(oid fmt.Stringer) string {
		return `<ns3:PolicySet><ns3:PolicyIdentifier><ns2:Identifier Qualifier="OIDAsURN">urn:oid:` + oid.String() + `</ns2:Identifier></ns3:PolicyIdentifier></ns3:PolicySet>`
	}
	ext := `<ServiceInformationExtensions>
<Extension Critical="true"><ns3:Qualifications><ns3:QualificationElement><ns3:Qualifiers><ns3:Qualifier uri="` + svcInfoExt + `QCWithQSCD"/></ns3:Qualifiers><ns3:CriteriaList assert="atLeastOne">` +
		policy(OIDPolicyQCPn) + policy(OIDPolicyQCPl) + `</ns3:CriteriaList></ns3:QualificationElement></ns3:Qualifications></Extension>
<Extension Critical="true"><AdditionalServiceInformation><URI xml:lang="en">` + svcInfoExt + `ForeSignatures</URI></AdditionalServiceInformation></Extension>
<Extension Critical="true"><AdditionalServiceInformation><URI xml:lang="en">` + svcInfoExt + `ForeSeals</URI></AdditionalServiceInformation></Extension>
</ServiceInformationExtensions>`
	service := func(typ string, e *Entity, extensions string) {
		b.WriteString(`<TSPService><ServiceInformation>
<ServiceTypeIdentifier>` + typ + `</ServiceTypeIdentifier>
<ServiceName><Name xml:lang="en">`)
		xml.EscapeText(&b, []byte(e.Cert.Subject.CommonName))
		b.WriteString(`</Name></ServiceName>
<ServiceDigitalIdentity><DigitalId><X509Certificate>` + base64.StdEncoding.EncodeToString(e.Cert.Raw) + `</X509Certificate></DigitalId></ServiceDigitalIdentity>
<ServiceStatus>` + granted + `</ServiceStatus>
<StatusStartingTime>` + ts(e.Cert.NotBefore) + `</StatusStartingTime>
` + extensions + `
</ServiceInformation></TSPService>
`)
	}
	service(svcCAQC, p.QualifiedCA, ext)
	service(svcTSAQTST, p.TSA, "")
	b.WriteString(`</TSPServices>
</TrustServiceProvider>
</TrustServiceProviderList>
</TrustServiceStatusList>
`)
	out, err := xades.Sign(ctx, []byte(b.String()), p.TSLSigner, xades.SignOptions{SigningTime: issued, ID: "id-tsl-signature"})
	if err != nil {
		return nil, fmt.Errorf("testpki: sign trusted list: %w", err)
	}
	return out, nil
}
