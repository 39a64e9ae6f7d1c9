// Package filename makes names that senders gave their files safe to use: to offer a download
// under, or to store a file under in an archival package.
package filename

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxRunes is the longest name Safe returns, in characters.
const MaxRunes = 150

// Safe returns name made safe to save a file under: its last path element, without control or
// bidirectional formatting characters (replaced by _), without leading or trailing spaces and
// dots, at most MaxRunes characters with its extension kept; fallback when nothing is left.
func Safe(name, fallback string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == utf8.RuneError {
			return '_'
		}
		return r
	}, strings.ToValidUTF8(name, "_"))
	name = strings.Trim(name, " .")
	if r := []rune(name); len(r) > MaxRunes {
		ext := path.Ext(name)
		if len([]rune(ext)) > 10 {
			ext = ""
		}
		name = string(r[:MaxRunes-len([]rune(ext))]) + ext
	}
	if name == "" {
		return fallback
	}
	return name
}
