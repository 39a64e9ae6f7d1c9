package forms

// LintXSD lets the external tests validate documents with xmllint.
var LintXSD = lintXSD
