package jrwa

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/obieg/obieg/internal/domain/civil"
)

func date(tb testing.TB, s string) civil.Date {
	tb.Helper()
	d, err := civil.ParseDate(s)
	if err != nil {
		tb.Fatalf("bad test date: %v", err)
	}
	return d
}

func TestParseCategory(t *testing.T) {
	tests := []struct {
		in   string
		want Category
	}{
		{"A", Category{Kind: KindA}},
		{"B5", Category{Kind: KindB, Years: 5}},
		{"B10", Category{Kind: KindB, Years: 10}},
		{"B25", Category{Kind: KindB, Years: 25}},
		{"B50", Category{Kind: KindB, Years: 50}},
		{"BE5", Category{Kind: KindBE, Years: 5}},
		{"BE10", Category{Kind: KindBE, Years: 10}},
		{"Bc", Category{Kind: KindBc}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseCategory(tt.in)
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("String: got %q, want %q", got.String(), tt.in)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("Validate: got %v, want nil", err)
			}
		})
	}
}

func TestParseCategoryInvalid(t *testing.T) {
	for _, in := range []string{
		"", "B", "B0", "B05", "BE", "BE0", "X", "a", "b5", "BC", "bc", "A5", "B-5", "B+5", "B 5",
		"B5 ", "Bc5", "BE5x", "B101", "B99999999999999999999",
	} {
		t.Run(in, func(t *testing.T) {
			if got, err := ParseCategory(in); !errors.Is(err, ErrInvalid) {
				t.Errorf("got %+v, %v, want an error wrapping ErrInvalid", got, err)
			}
		})
	}
}

func FuzzParseCategory(f *testing.F) {
	for _, s := range []string{"A", "B5", "BE10", "Bc", "B0", "BE", "X"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCategory(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("ParseCategory(%q): error %v does not wrap ErrInvalid", s, err)
			}
			return
		}
		if c.String() != s {
			t.Fatalf("ParseCategory(%q).String() = %q, want the input back", s, c.String())
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("ParseCategory(%q) accepted an invalid category: %v", s, err)
		}
	})
}

func TestRetention(t *testing.T) {
	tests := []struct {
		name     string
		category string
		closedOn string
		wantEnd  string // "" when there is no fixed period
		wantFrom string
		action   Action
	}{
		// Full years 2027..2031 are the five; kept to 31 Dec 2031, disposal from 1 Jan 2032.
		{"B5 closed in May", "B5", "2026-05-10", "2031-12-31", "2032-01-01", ActionDispose},
		// Closing on the last or the first day of a year changes nothing within that year.
		{"B5 closed on 31 Dec", "B5", "2026-12-31", "2031-12-31", "2032-01-01", ActionDispose},
		{"B5 closed on 1 Jan", "B5", "2026-01-01", "2031-12-31", "2032-01-01", ActionDispose},
		// 2027..2036 are the ten full years.
		{"B10", "B10", "2026-03-15", "2036-12-31", "2037-01-01", ActionDispose},
		{"BE10", "BE10", "2026-03-15", "2036-12-31", "2037-01-01", ActionAssess},
		// A, electronic: 10 full years 2027..2036, then handed over to the state archive from 2037.
		{"A", "A", "2026-05-10", "2036-12-31", "2037-01-01", ActionTransfer},
		{"Bc", "Bc", "2026-05-10", "", "", ActionDisposeAfterUse},
		// A leap-year closing date does not matter: the period ends on 31 December.
		{"B5 closed on 29 Feb", "B5", "2028-02-29", "2033-12-31", "2034-01-01", ActionDispose},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseCategory(tt.category)
			if err != nil {
				t.Fatal(err)
			}
			closed := date(t, tt.closedOn)
			end, ok := c.RetentionEnd(closed)
			from, okFrom := c.ActionFrom(closed)
			if tt.wantEnd == "" {
				if ok || okFrom {
					t.Errorf("got %v, %v and %v, %v, want no fixed period", end, ok, from, okFrom)
				}
			} else {
				if !ok || end != date(t, tt.wantEnd) {
					t.Errorf("RetentionEnd: got %v, %v, want %s, true", end, ok, tt.wantEnd)
				}
				if !okFrom || from != date(t, tt.wantFrom) {
					t.Errorf("ActionFrom: got %v, %v, want %s, true", from, okFrom, tt.wantFrom)
				}
			}
			if got := c.Action(); got != tt.action {
				t.Errorf("Action: got %v, want %v", got, tt.action)
			}
			if got := c.Permanent(); got != (tt.category == "A") {
				t.Errorf("Permanent: got %v, want %v", got, tt.category == "A")
			}
		})
	}
}

func TestOfficeArchiveFrom(t *testing.T) {
	tests := []struct {
		closedOn string
		want     string
	}{
		{"2026-01-01", "2029-01-01"}, // full years 2027 and 2028
		{"2026-05-10", "2029-01-01"},
		{"2026-12-31", "2029-01-01"},
		{"2027-01-01", "2030-01-01"}, // full years 2028 and 2029
	}
	for _, tt := range tests {
		t.Run(tt.closedOn, func(t *testing.T) {
			if got, want := OfficeArchiveFrom(date(t, tt.closedOn)), date(t, tt.want); got != want {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestCategoryJSON(t *testing.T) {
	in := []Class{
		{Symbol: "0570", Heading: "Skargi i wnioski", Category: Category{Kind: KindA}},
		{Symbol: "05", Heading: "Skargi"},
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"symbol":"0570","heading":"Skargi i wnioski","category":"A"},{"symbol":"05","heading":"Skargi"}]`
	if string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
	var back []Class
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if len(back) != 2 || back[0] != in[0] || back[1] != in[1] {
		t.Errorf("round trip: got %+v, want %+v", back, in)
	}
	if err := json.Unmarshal([]byte(`[{"symbol":"0570","heading":"x","category":"B0"}]`), &back); !errors.Is(err, ErrInvalid) {
		t.Errorf("got error %v, want one wrapping ErrInvalid", err)
	}
}
