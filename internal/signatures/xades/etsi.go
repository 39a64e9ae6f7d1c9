package xades

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/beevik/etree"
)

const (
	nsETSIReport  = "http://uri.etsi.org/19102/v1.4.1#"
	urnMain       = "urn:etsi:019102:mainindication:"
	urnSub        = "urn:etsi:019102:subindication:"
	urnConstraint = "urn:obieg:xades:check:"
)

// XML renders the report in the shape of an ETSI TS 119 102-2 validation
// report: per signature its identifier, every check as a validation
// constraint, the validation and best-signature times, the claimed signing
// time, the signer, the validation process and the status. It follows the
// element order of the standard (as EU DSS writes it); the validation
// objects section (certificates, revocation data) is not written yet and
// the output has not been checked against the ETSI schema.
func (r *Report) XML() ([]byte, error) {
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	root := doc.CreateElement("ValidationReport")
	root.CreateAttr("xmlns", nsETSIReport)
	root.CreateAttr("xmlns:ds", nsDSig)
	for _, s := range r.Signatures {
		writeSignatureReport(root.CreateElement("SignatureValidationReport"), s)
	}
	doc.Indent(2)
	return doc.WriteToBytes()
}

func writeSignatureReport(el *etree.Element, s *SignatureReport) {
	id := el.CreateElement("SignatureIdentifier")
	sum := sha256.Sum256([]byte(s.ID + "\x00" + s.SignatureValue))
	id.CreateAttr("id", "S-"+strings.ToUpper(hex.EncodeToString(sum[:])))
	if s.SignatureValue != "" {
		id.CreateElement("ds:SignatureValue").SetText(s.SignatureValue)
	}
	id.CreateElement("HashOnly").SetText("false")
	id.CreateElement("DocHashOnly").SetText("false")
	if s.ID != "" {
		id.CreateElement("DAIdentifier").SetText(s.ID)
	}

	cer := el.CreateElement("ValidationConstraintsEvaluationReport")
	for _, c := range s.Checks {
		vc := cer.CreateElement("ValidationConstraint")
		vc.CreateElement("ValidationConstraintIdentifier").SetText(urnConstraint + slug(c.Name))
		vc.CreateElement("ValidationConstraintParameter").CreateElement("ParameterValue").SetText(c.Name)
		cs := vc.CreateElement("ConstraintStatus").CreateElement("Status")
		cs.SetText("urn:etsi:019102:constraintStatus:applied")
		vs := vc.CreateElement("ValidationStatus")
		switch c.Status {
		case Passed, Info:
			vs.CreateElement("MainIndication").SetText(urnMain + "passed")
		case Failed:
			vs.CreateElement("MainIndication").SetText(urnMain + "failed")
		default:
			vs.CreateElement("MainIndication").SetText(urnMain + "indeterminate")
		}
		if c.SubIndication != "" {
			vs.CreateElement("SubIndication").SetText(urnSub + string(c.SubIndication))
		}
		if c.Detail != "" {
			vs.CreateElement("AssociatedValidationReportData").CreateElement("AdditionalValidationReportData").
				CreateElement("ReportData").CreateElement("Value").SetText(c.Detail)
		}
	}

	vti := el.CreateElement("ValidationTimeInfo")
	vti.CreateElement("ValidationTime").SetText(s.ValidationTime.UTC().Format(time.RFC3339))
	poe := s.ValidationTime
	if s.ProofOfExistence != nil {
		poe = *s.ProofOfExistence
	}
	best := vti.CreateElement("BestSignatureTime")
	best.CreateElement("POETime").SetText(poe.UTC().Format(time.RFC3339))
	best.CreateElement("TypeOfProof").SetText("urn:etsi:019102:poetype:validation")

	if s.ClaimedSigningTime != nil {
		st := el.CreateElement("SignatureAttributes").CreateElement("SigningTime")
		st.CreateAttr("Signed", "true")
		st.CreateElement("Time").SetText(s.ClaimedSigningTime.UTC().Format(time.RFC3339))
	}
	if s.Signer != nil && s.Signer.Subject != "" {
		si := el.CreateElement("SignerInformation")
		si.CreateAttr("Pseudonym", "false")
		si.CreateElement("Signer").SetText(s.Signer.Subject)
	}
	el.CreateElement("SignatureValidationProcess").CreateElement("SignatureValidationProcessID").
		SetText("urn:etsi:019102:validationprocess:Basic")
	st := el.CreateElement("SignatureValidationStatus")
	st.CreateElement("MainIndication").SetText(urnMain + strings.ToLower(string(s.Indication)))
	if s.SubIndication != "" {
		st.CreateElement("SubIndication").SetText(urnSub + string(s.SubIndication))
	}
}

// slug turns a check name into a URN segment.
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
