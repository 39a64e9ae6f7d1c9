package deadlines

import (
	"errors"
	"testing"
)

func TestParseTerm(t *testing.T) {
	tests := []struct {
		in   string
		want Term
	}{
		{"7d", Term{7, Days}},
		{"14d", Term{14, Days}},
		{"1w", Term{1, Weeks}},
		{"1m", Term{1, Months}},
		{"2m", Term{2, Months}},
		{"3660d", Term{3660, Days}},
		{"520w", Term{520, Weeks}},
		{"120m", Term{120, Months}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTerm(tt.in)
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("String: got %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestParseTermInvalid(t *testing.T) {
	for _, in := range []string{
		"", "d", "7", "0d", "07d", "-1d", "+1d", "1M", "1D", "1y", "1 d", " 1d", "1d ", "1.5m",
		"3661d", "521w", "121m", "99999999999999999999d", "1dd", "m1",
	} {
		t.Run(in, func(t *testing.T) {
			if _, err := ParseTerm(in); !errors.Is(err, ErrInvalid) {
				t.Errorf("got error %v, want one wrapping ErrInvalid", err)
			}
		})
	}
}

func TestTermText(t *testing.T) {
	var tm Term
	if err := tm.UnmarshalText([]byte("2m")); err != nil || tm != (Term{2, Months}) {
		t.Errorf("UnmarshalText(2m): got %+v, %v, want {2 Months}, nil", tm, err)
	}
	if _, err := (Term{}).MarshalText(); !errors.Is(err, ErrInvalid) {
		t.Errorf("MarshalText of the zero Term: got error %v, want ErrInvalid", err)
	}
}

func FuzzParseTerm(f *testing.F) {
	for _, s := range []string{"7d", "14d", "1w", "1m", "2m", "0d", "07d", "1y", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := ParseTerm(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("ParseTerm(%q): error %v does not wrap ErrInvalid", s, err)
			}
			return
		}
		if tm.String() != s {
			t.Fatalf("ParseTerm(%q).String() = %q, want the input back", s, tm.String())
		}
		if err := tm.Validate(); err != nil {
			t.Fatalf("ParseTerm(%q) accepted an invalid term: %v", s, err)
		}
	})
}

func TestPeriod(t *testing.T) {
	p := period(t, "2026-03-05..2026-03-07")
	if err := p.Validate(); err != nil {
		t.Errorf("Validate: got %v, want nil", err)
	}
	if got := p.Days(); got != 3 {
		t.Errorf("Days: got %d, want 3", got)
	}
	r := period(t, "2026-03-07..2026-03-05")
	if err := r.Validate(); !errors.Is(err, ErrInvalid) {
		t.Errorf("Validate of a reversed period: got %v, want ErrInvalid", err)
	}
	if got := r.Days(); got != 0 {
		t.Errorf("Days of a reversed period: got %d, want 0", got)
	}
}
