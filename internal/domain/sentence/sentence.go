// Package sentence puts Polish sentences together for the texts obieg writes: the summaries
// of assessments, the drafts and the case history are built from reasons and notes that may
// or may not already end with a full stop, and must end with exactly one.
package sentence

import (
	"strings"
	"unicode/utf8"
)

// End returns s without surrounding white space and ending with a full stop, unless it already
// ends with a full stop, a question or exclamation mark or an ellipsis. An empty s stays empty.
func End(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	switch r, _ := utf8.DecodeLastRuneInString(s); r {
	case '.', '!', '?', '…':
		return s
	}
	return s + "."
}

// Join ends each of parts with End and joins them with a space, leaving out empty ones.
func Join(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = End(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}
