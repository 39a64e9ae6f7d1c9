// Package forms embeds the XSDs of obieg's own form templates (the regional large-family card
// application, the complaint or motion, and the report of free places of a care facility) with
// the subsets of the common CRD schemas they import; README.md says why their namespaces are
// obieg's own and how the Go parsers of internal/domain/forms are kept in step with them.
package forms
