package sentence

import "testing"

func TestEnd(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  ", ""},
		{"co najmniej 3 dzieci", "co najmniej 3 dzieci."},
		{"co najmniej 3 dzieci.", "co najmniej 3 dzieci."},
		{"w ciągu 14 dni. ", "w ciągu 14 dni."},
		{"Czy wniosek jest kompletny?", "Czy wniosek jest kompletny?"},
		{"Uwaga!", "Uwaga!"},
		{"i tak dalej…", "i tak dalej…"},
		{"(art. 64 § 2 k.p.a.)", "(art. 64 § 2 k.p.a.)."},
		{"k.p.a.", "k.p.a."},
	}
	for _, tt := range tests {
		if got := End(tt.in); got != tt.want {
			t.Errorf("End(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestJoin(t *testing.T) {
	if got, want := Join("Pierwsze.", "", "drugie", " trzecie. "), "Pierwsze. drugie. trzecie."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := Join(); got != "" {
		t.Errorf("Join() = %q, want empty", got)
	}
}
