package jrwa

// RoutingRule routes one form type: its cases are opened in Unit under Class, with the KPA
// term Term.
type RoutingRule struct {
	FormType string `json:"form_type"`
	Class    string `json:"jrwa_class"`
	Unit     string `json:"unit"`
	// Term is the KPA term of the case, as deadlines.ParseTerm reads it (1m, 14d).
	Term string `json:"term"`
}
