package xades

import (
	"context"
	"crypto/x509"
	"testing"
)

// soapTemplate is a SOAP 1.1 message signed as ePUAP's WS-Security
// clients sign it: exclusive C14N, RSA-SHA256, one reference to the Body's
// wsu:Id, KeyInfo pointing at a BinarySecurityToken.
const soapTemplate = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">
<soapenv:Header><wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><wsse:BinarySecurityToken EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary" ValueType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3" wsu:Id="X509-1">{{CERT}}</wsse:BinarySecurityToken><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="SIG-1"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"><ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="soapenv"/></ds:CanonicalizationMethod><ds:SignatureMethod Algorithm="{{SIGALG}}"/><ds:Reference URI="#id-body"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><wsse:SecurityTokenReference><wsse:Reference URI="#X509-1" ValueType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"/></wsse:SecurityTokenReference></ds:KeyInfo></ds:Signature></wsse:Security></soapenv:Header>
<soapenv:Body wsu:Id="id-body"><pull:pobierzNastepny xmlns:pull="http://ws.epuap.gov.pl/pull/"><podmiot>urzad</podmiot><nazwaSkrytki>skrytka</nazwaSkrytki><adresSkrytki>/urzad/skrytka</adresSkrytki></pull:pobierzNastepny></soapenv:Body>
</soapenv:Envelope>`

func TestWSSecuritySignature(t *testing.T) {
	ts := newTestSigner(t, "rsa")
	signed := ts.sign(t, soapTemplate)
	tests := []struct {
		name    string
		doc     string
		anchors []*x509.Certificate
		wantInd Indication
		wantSub SubIndication
	}{
		{name: "no anchors", doc: signed, wantInd: Indeterminate, wantSub: NoCertificateChainFound},
		{name: "pinned certificate", doc: signed, anchors: []*x509.Certificate{ts.cert}, wantInd: TotalPassed},
		{name: "body changed", doc: mutate(t, signed, "<podmiot>urzad<", "<podmiot>inny<"), anchors: []*x509.Certificate{ts.cert}, wantInd: TotalFailed, wantSub: HashFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Verify(context.Background(), []byte(tt.doc), Options{ValidationTime: validationTime, TrustAnchors: tt.anchors})
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			s := rep.Signatures[0]
			if s.Indication != tt.wantInd || s.SubIndication != tt.wantSub {
				t.Errorf("got %s/%s, want %s/%s; checks %+v", s.Indication, s.SubIndication, tt.wantInd, tt.wantSub, s.Checks)
			}
			if s.Level != LevelXMLDSig || s.References[0].WholeDocument {
				t.Errorf("got level %s, whole document %v, want %s covering the Body only", s.Level, s.References[0].WholeDocument, LevelXMLDSig)
			}
		})
	}
}
