package audit

import (
	"errors"
	"testing"
	"time"
)

// TestEntryHashVector pins the version 1 encoding: a change to entryHash that alters this
// hash breaks every stored chain.
func TestEntryHashVector(t *testing.T) {
	e := Entry{
		OccurredAt:     time.Date(2026, 3, 2, 10, 15, 0, 123456000, time.FixedZone("CET", 3600)),
		Actor:          "anowak",
		ActorRole:      "clerk",
		Action:         "case.read",
		ObjectType:     "case",
		ObjectID:       "OIS.5131.12.2026",
		Unit:           "OIS",
		IdempotencyKey: "k1",
	}
	details, _, err := canonicalDetails(map[string]any{"z": 1, "a": []any{"ą", true, nil}, "m": map[string]any{"b": "<x>", "a": -7}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(details), `{"a":["ą",true,null],"m":{"a":-7,"b":"<x>"},"z":1}`; got != want {
		t.Errorf("canonical details: got %s, want %s", got, want)
	}
	prev := Hash{1, 2, 3}
	h, err := entryHash(1, 42, &e, details, prev)
	if err != nil {
		t.Fatal(err)
	}
	const want = "f56b520f81bdf8128d72d3bcc1b8f31d23d4f9d690b886eae184192ec496ae43" // also computed by an independent Python script from the spec
	if h.String() != want {
		t.Errorf("hash: got %s, want %s", h, want)
	}
	if _, err := entryHash(2, 42, &e, details, prev); err == nil {
		t.Error("version 2: got no error, want unknown version")
	}
}

func TestCanonicalJSONRoundTrip(t *testing.T) {
	// What PostgreSQL's jsonb gives back (keys by length, spaces) canonicalizes the same.
	a, _, err := canonicalJSON([]byte(`{"z": 1, "ab": {"y": "\u0105", "x": [1, 2]}}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := canonicalDetails(map[string]any{"ab": map[string]any{"x": []int{1, 2}, "y": "ą"}, "z": int64(1)})
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Errorf("got %s and %s, want equal", a, b)
	}
	for _, bad := range []string{`{"n": 1e2}`, `{"n": -0}`, `{"n": 1.0}`, `{"n": 99999999999999999999}`, `[1]`} {
		if _, _, err := canonicalJSON([]byte(bad)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: got %v, want ErrInvalid", bad, err)
		}
	}
}

func TestIsPESEL(t *testing.T) {
	for s, want := range map[string]bool{
		"44051401359": true,
		"02070803628": true,
		"44051401358": false,
		"4405140135":  false,
		"4405140135a": false,
		"":            false,
	} {
		if got := isPESEL(s); got != want {
			t.Errorf("isPESEL(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestParseHash(t *testing.T) {
	h := Hash{0xab, 0xcd}
	p, err := ParseHash(h.String())
	if err != nil || p != h {
		t.Errorf("ParseHash(%s) = %s, %v", h, p, err)
	}
	if _, err := ParseHash("abc"); !errors.Is(err, ErrInvalid) {
		t.Errorf("ParseHash(abc): got %v, want ErrInvalid", err)
	}
}

// FuzzCanonicalJSON checks that canonical details are a fixed point: canonicalizing them
// again changes nothing, so what Verify recomputes is what Append hashed.
func FuzzCanonicalJSON(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"a":1}`, `{"b": [1, "x", null, true, {"c": -9223372036854775808}]}`,
		`{"s": "\u2028<&>\"\\\n\t\u00e9\ud83d\ude00"}`, `{"a": {"a": {"a": []}}}`, `{"n": 1e2}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		c, _, err := canonicalJSON(raw)
		if err != nil {
			return
		}
		again, _, err := canonicalJSON(c)
		if err != nil {
			t.Fatalf("canonical %s refused: %v", c, err)
		}
		if string(again) != string(c) {
			t.Fatalf("canonical %s became %s", c, again)
		}
	})
}
