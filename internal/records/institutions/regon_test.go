package institutions

import "testing"

func TestValidREGON(t *testing.T) {
	tests := []struct {
		name, in string
		want     bool
	}{
		{"9 digits", "123456785", true},
		{"9 digits, another", "993040016", true},
		{"9 digits, wrong check digit", "123456784", false},
		{"14 digits", "12345678500010", true},
		{"14 digits, another local unit", "73059501100013", true},
		{"14 digits, wrong check digit", "12345678500011", false},
		{"14 digits, parent REGON invalid", "12345678400014", false},
		{"8 digits", "12345678", false},
		{"10 digits", "1234567850", false},
		{"letters", "12345678A", false},
		{"spaces", "123 456 785", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidREGON(tt.in); got != tt.want {
				t.Errorf("ValidREGON(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
