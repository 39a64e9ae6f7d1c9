package forms

import schemas "github.com/obieg/obieg/xmlschemas/forms"

// kind is one form obieg recognises: its type, the template namespaces of its versions, and
// how its content is read into an Extract. Adding a form is adding its kind to kinds.
type kind struct {
	formType   string
	namespaces []string
	// read reads the form's own content of a document Detect recognised as this form, into
	// ex; nil for a form with no content beyond what Detect reads.
	read func(doc []byte, det Detection, ex *Extract) error
}

// kinds lists the forms: the CRD templates of ePUAP's general letter, and obieg's own templates
// of xmlschemas/forms (see its README.md). It is a function rather than a variable because the
// readers refer back to Detect, which looks forms up here.
func kinds() []kind {
	return []kind{
		{formType: GeneralLetter, namespaces: []string{"http://crd.gov.pl/wzor/2013/12/12/1410/", "http://crd.gov.pl/wzor/2017/10/24/4566/"}},
		{formType: FamilyCard, namespaces: []string{schemas.NSFamilyCard}, read: func(doc []byte, det Detection, ex *Extract) error {
			app, err := readFamilyCard(doc, det)
			ex.FamilyCard = &app
			return err
		}},
		{formType: Complaint, namespaces: []string{schemas.NSComplaint}, read: func(doc []byte, det Detection, ex *Extract) error {
			c, err := readComplaint(doc, det)
			ex.Complaint = &c
			return err
		}},
		{formType: FacilityReport, namespaces: []string{schemas.NSFacilityReport}, read: func(doc []byte, det Detection, ex *Extract) error {
			r, err := readFacilityReport(doc, det)
			ex.Report = &r
			return err
		}},
	}
}

// formOf returns the kind whose template namespace is ns; the zero kind if none.
func formOf(ns string) kind {
	for _, k := range kinds() {
		for _, n := range k.namespaces {
			if n == ns {
				return k
			}
		}
	}
	return kind{}
}
