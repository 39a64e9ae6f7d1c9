package civil

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func d(y int, m time.Month, day int) Date { return Date{Year: y, Month: m, Day: day} }

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{in: "2026-01-31", want: d(2026, time.January, 31)},
		{in: "2028-02-29", want: d(2028, time.February, 29)},
		{in: "2026-02-29", wantErr: true}, // 2026 is not a leap year
		{in: "2026-04-31", wantErr: true}, // April has 30 days
		{in: "2026-13-01", wantErr: true},
		{in: "2026-1-5", wantErr: true},
		{in: "26-01-05", wantErr: true},
		{in: "2026-01-05T00:00:00Z", wantErr: true},
		{in: " 2026-01-05", wantErr: true},
		{in: "", wantErr: true},
		{in: "0000-01-01", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if tt.wantErr {
				if !errors.Is(err, ErrInvalid) {
					t.Fatalf("got error %v, want one wrapping ErrInvalid", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("String: got %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestAddMonths(t *testing.T) {
	tests := []struct {
		name string
		from Date
		n    int
		want Date
	}{
		{"31 Jan to short Feb", d(2026, time.January, 31), 1, d(2026, time.February, 28)},
		{"31 Jan to leap Feb", d(2028, time.January, 31), 1, d(2028, time.February, 29)},
		{"31 Mar to 30 Apr", d(2026, time.March, 31), 1, d(2026, time.April, 30)},
		{"30 Apr keeps 30 in May", d(2026, time.April, 30), 1, d(2026, time.May, 30)},
		{"29 Feb plus 12", d(2028, time.February, 29), 12, d(2029, time.February, 28)},
		{"29 Feb plus 48", d(2028, time.February, 29), 48, d(2032, time.February, 29)},
		{"across the year", d(2026, time.November, 30), 3, d(2027, time.February, 28)},
		{"backwards", d(2026, time.March, 31), -1, d(2026, time.February, 28)},
		{"backwards across the year", d(2026, time.January, 15), -2, d(2025, time.November, 15)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.from.AddMonths(tt.n); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestArithmetic(t *testing.T) {
	a, b := d(2025, time.December, 31), d(2026, time.January, 1)
	if got := a.AddDays(1); got != b {
		t.Errorf("AddDays(1): got %v, want %v", got, b)
	}
	if got := b.AddDays(-1); got != a {
		t.Errorf("AddDays(-1): got %v, want %v", got, a)
	}
	if got := d(2029, time.January, 1).DaysSince(d(2028, time.January, 1)); got != 366 {
		t.Errorf("DaysSince over a leap year: got %d, want 366", got)
	}
	if !a.Before(b) || b.Before(a) || !b.After(a) || a.Compare(a) != 0 {
		t.Errorf("Compare: %v and %v in the wrong order", a, b)
	}
	// 22 November 2026 is a Sunday.
	if got := d(2026, time.November, 22).Weekday(); got != time.Sunday {
		t.Errorf("Weekday: got %v, want Sunday", got)
	}
}

func TestValid(t *testing.T) {
	for _, tt := range []struct {
		d    Date
		want bool
	}{
		{d(2024, time.February, 29), true},
		{d(1900, time.February, 29), false}, // century, not divisible by 400
		{d(2000, time.February, 29), true},
		{d(2026, time.June, 31), false},
		{Date{}, false},
	} {
		if got := tt.d.IsValid(); got != tt.want {
			t.Errorf("%v.IsValid(): got %v, want %v", tt.d, got, tt.want)
		}
	}
}

func TestJSON(t *testing.T) {
	type doc struct {
		Due Date `json:"due"`
	}
	b, err := json.Marshal(doc{Due: d(2026, time.March, 2)})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"due":"2026-03-02"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	var back doc
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Due != d(2026, time.March, 2) {
		t.Errorf("got %v, want 2026-03-02", back.Due)
	}
	if err := json.Unmarshal([]byte(`{"due":"2026-02-30"}`), &back); !errors.Is(err, ErrInvalid) {
		t.Errorf("got error %v, want one wrapping ErrInvalid", err)
	}
}

func TestDateOfZones(t *testing.T) {
	warsaw, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Skipf("no tzdata: %v", err)
	}
	// 23:30 UTC on 31 December is 00:30 on 1 January in Warsaw (CET, UTC+1).
	instant := time.Date(2025, time.December, 31, 23, 30, 0, 0, time.UTC)
	if got, want := DateOf(instant), d(2025, time.December, 31); got != want {
		t.Errorf("UTC: got %v, want %v", got, want)
	}
	if got, want := DateOf(instant.In(warsaw)), d(2026, time.January, 1); got != want {
		t.Errorf("Warsaw: got %v, want %v", got, want)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-01-31", "2028-02-29", "2026-02-29", "0000-01-01", "2026-1-5", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("ParseDate(%q): error %v does not wrap ErrInvalid", s, err)
			}
			return
		}
		if !d.IsValid() {
			t.Fatalf("ParseDate(%q) = %v, not a valid date", s, d)
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q, want the input back", s, d.String())
		}
	})
}

// TestZeroDateJSON reads back the zero Date as MarshalText writes it.
func TestZeroDateJSON(t *testing.T) {
	b, err := json.Marshal(struct{ D Date }{})
	if err != nil {
		t.Fatal(err)
	}
	var back struct{ D Date }
	if err := json.Unmarshal(b, &back); err != nil || !back.D.IsZero() {
		t.Errorf("got %v, %v from %s, want the zero Date", back.D, err, b)
	}
}
