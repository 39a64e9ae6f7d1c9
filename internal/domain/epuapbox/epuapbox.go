// Package epuapbox knows the form of an ePUAP box address ("/podmiot/skrytka"), to which the
// office forwards a case to the competent public body. It is pure, so that workflows can check
// what a person typed before anything is sent.
package epuapbox

import "strings"

// Valid reports whether a is an ePUAP box address, "/podmiot/skrytka": two
// non-empty segments without spaces.
func Valid(a string) bool {
	parts := strings.Split(a, "/")
	if len(parts) != 3 || parts[0] != "" {
		return false
	}
	for _, p := range parts[1:] {
		if p == "" || strings.ContainsAny(p, " \t\r\n") {
			return false
		}
	}
	return true
}
