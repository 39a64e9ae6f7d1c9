package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Version is the version of the hash encoding new entries are written with.
const Version = 1

// Hash is a SHA-256 digest: an entry's hash or the hash of the entry before it.
type Hash [sha256.Size]byte

// String returns h in lower-case hex.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// MarshalText encodes h as lower-case hex.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText decodes h from hex.
func (h *Hash) UnmarshalText(b []byte) error {
	p, err := ParseHash(string(b))
	if err != nil {
		return err
	}
	*h = p
	return nil
}

// ParseHash parses a hash written in hex (64 digits), as `obieg audit head` prints it.
func ParseHash(s string) (Hash, error) {
	var h Hash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(h) {
		return h, fmt.Errorf("%w: hash %q is not 64 hex digits", ErrInvalid, s)
	}
	copy(h[:], b)
	return h, nil
}

// timeLayout is how occurred_at enters the hash: UTC, always six fractional digits.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// entryHash computes the hash of an entry at seq whose details are already in canonical
// JSON, linked to prev, in the encoding of version (see "Hash encoding" in doc.go).
func entryHash(version int, seq int64, e *Entry, details []byte, prev Hash) (Hash, error) {
	if version != 1 {
		return Hash{}, fmt.Errorf("unknown hash encoding version %d", version)
	}
	var buf bytes.Buffer
	buf.Grow(256 + len(details))
	field := func(b []byte) {
		buf.Write(binary.BigEndian.AppendUint32(nil, uint32(len(b))))
		buf.Write(b)
	}
	str := func(s string) { field([]byte(s)) }
	str("obieg.audit.v1")
	field(binary.BigEndian.AppendUint64(nil, uint64(seq)))
	str(e.OccurredAt.UTC().Format(timeLayout))
	str(e.Actor)
	str(e.ActorRole)
	str(e.Action)
	str(e.ObjectType)
	str(e.ObjectID)
	str(e.Unit)
	field(details)
	str(e.IdempotencyKey)
	field(prev[:])
	return sha256.Sum256(buf.Bytes()), nil
}

// canonicalDetails checks details and returns them in canonical JSON: object keys sorted by
// their UTF-8 bytes, no insignificant whitespace, strings escaped as Go's encoding/json does
// with HTML escaping off. Numbers must be integers that fit in 64 bits, written plainly
// (PostgreSQL's jsonb would rewrite 1e2 or -0, and the hash must survive the round trip);
// strings must not contain NUL (jsonb refuses it). Nil details are {}. It also returns the
// details decoded back, as they will read from the database.
func canonicalDetails(details map[string]any) ([]byte, map[string]any, error) {
	if details == nil {
		return []byte("{}"), map[string]any{}, nil
	}
	raw, err := json.Marshal(details)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: details: %v", ErrInvalid, err)
	}
	return canonicalJSON(raw)
}

// canonicalJSON decodes a JSON object, checks it as canonicalDetails does and encodes it
// canonically. Verify uses it on the details read back from jsonb.
func canonicalJSON(raw []byte) ([]byte, map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		return nil, nil, fmt.Errorf("%w: details: %v", ErrInvalid, err)
	}
	if v == nil {
		v = map[string]any{}
	}
	if err := checkValue("details", v); err != nil {
		return nil, nil, err
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, nil, fmt.Errorf("%w: details: %v", ErrInvalid, err)
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n")), v, nil
}

// checkValue walks a decoded JSON value and refuses what cannot be stored and hashed
// faithfully, and personal identifiers.
func checkValue(path string, v any) error {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if strings.Contains(strings.ToLower(k), "pesel") {
				return fmt.Errorf("%w: %s.%s: no PESEL in the audit log", ErrInvalid, path, k)
			}
			if err := checkValue(path+"."+k, x); err != nil {
				return err
			}
		}
	case []any:
		for i, x := range v {
			if err := checkValue(fmt.Sprintf("%s[%d]", path, i), x); err != nil {
				return err
			}
		}
	case json.Number:
		n, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil || strconv.FormatInt(n, 10) != string(v) {
			return fmt.Errorf("%w: %s: number %s: only plain 64-bit integers (put other numbers in strings)", ErrInvalid, path, v)
		}
	case string:
		if strings.ContainsRune(v, 0) {
			return fmt.Errorf("%w: %s: NUL in a string", ErrInvalid, path)
		}
		if isPESEL(v) {
			return fmt.Errorf("%w: %s: looks like a PESEL: no PESEL in the audit log", ErrInvalid, path)
		}
	}
	return nil
}

// isPESEL reports whether s is 11 digits with a valid PESEL check digit.
func isPESEL(s string) bool {
	if len(s) != 11 {
		return false
	}
	weights := [10]int{1, 3, 7, 9, 1, 3, 7, 9, 1, 3}
	sum := 0
	for i := range 11 {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		if i < 10 {
			sum += int(c-'0') * weights[i]
		}
	}
	return (10-sum%10)%10 == int(s[10]-'0')
}

// micro truncates t to what PostgreSQL's timestamptz keeps.
func micro(t time.Time) time.Time { return t.Truncate(time.Microsecond) }
