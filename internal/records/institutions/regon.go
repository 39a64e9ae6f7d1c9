package institutions

import "github.com/obieg/obieg/internal/domain/forms"

// ValidREGON reports whether s is a REGON as the statistical office (GUS) issues it: 9 digits
// for a unit, or 14 for a local unit, each with its check digit (the weights 8 9 2 3 4 5 6 7,
// and 2 4 8 5 0 9 7 3 6 1 2 4 8; the sum modulo 11, 10 counting as 0). A 14-digit REGON
// begins with the 9-digit REGON of its parent unit, which must be valid too.
func ValidREGON(s string) bool {
	if !forms.ValidREGON(s) {
		return false
	}
	return len(s) == 9 || forms.ValidREGON(s[:9])
}
