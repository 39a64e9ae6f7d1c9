package epuapbox_test

import (
	"testing"

	"github.com/obieg/obieg/internal/domain/epuapbox"
)

func TestValid(t *testing.T) {
	for _, tt := range []struct {
		addr string
		want bool
	}{
		{"/uw-lodz/skrytka", true},
		{"/podmiot/SKRYTKA_1", true},
		{"", false},
		{"uw-lodz/skrytka", false},
		{"/uw-lodz", false},
		{"/uw-lodz/", false},
		{"//skrytka", false},
		{"/uw lodz/skrytka", false},
		{"/a/b/c", false},
	} {
		t.Run(tt.addr, func(t *testing.T) {
			if got := epuapbox.Valid(tt.addr); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
