package item

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/quick"
)

func TestBinaryRoundTrip(t *testing.T) {
	cases := []Item{
		{},
		{"a": Str("")},
		{"s": Str("hello"), "n": Num("-1.5"), "b": Bin([]byte{0, 255}), "t": BoolValue(true), "f": BoolValue(false), "z": Null()},
		{"l": {Type: TypeL, L: []Value{}}, "m": {Type: TypeM, M: map[string]Value{}}},
		{"ss": {Type: TypeSS, Set: []string{"z", "a", ""}}, "ns": {Type: TypeNS, Set: []string{"3", "-1", "0.5"}}, "bs": {Type: TypeBS, Set: []string{"\x01", ""}}},
		{"deep": Num("1")},
	}
	// A value nested to MaxDepth.
	v := Str("leaf")
	for i := range MaxDepth {
		if i%2 == 0 {
			v = Value{Type: TypeL, L: []Value{v}}
		} else {
			v = Value{Type: TypeM, M: map[string]Value{"k": v}}
		}
	}
	cases[len(cases)-1]["deep"] = v
	for _, it := range cases {
		enc := it.AppendBinary(nil)
		got, err := DecodeBinary(enc)
		if err != nil {
			t.Fatalf("decode %#v: %v", it, err)
		}
		if !EqualItems(got, it) {
			t.Fatalf("round trip\n got %#v\nwant %#v", got, it)
		}
	}
}

func TestBinaryRoundTripRandom(t *testing.T) {
	r := newTestRand(7)
	check := func(seed uint8) bool {
		it := randItem(r, 0)
		enc := it.AppendBinary([]byte("prefix"))
		got, err := DecodeBinary(enc[len("prefix"):])
		if err != nil {
			t.Logf("decode: %v", err)
			return false
		}
		// Deterministic: equal items encode to equal bytes.
		if !bytes.Equal(got.AppendBinary(nil), enc[len("prefix"):]) {
			t.Logf("re-encoding differs")
			return false
		}
		return EqualItems(got, it)
	}
	if err := quick.Check(check, &quick.Config{MaxCount: 2000}); err != nil {
		t.Fatal(err)
	}
}

func TestBinaryValueRoundTrip(t *testing.T) {
	r := newTestRand(8)
	for range 500 {
		v := randValue(r, 0)
		got, err := DecodeBinaryValue(v.AppendBinary(nil))
		if err != nil || !Equal(got, v) {
			t.Fatalf("round trip %#v -> %#v, %v", v, got, err)
		}
	}
}

func TestBinaryDoesNotAlias(t *testing.T) {
	enc := Item{"a": Str("hello"), "b": Bin([]byte("xyz"))}.AppendBinary(nil)
	it, err := DecodeBinary(enc)
	if err != nil {
		t.Fatal(err)
	}
	for i := range enc {
		enc[i] = 0
	}
	if it["a"].S != "hello" || it["b"].S != "xyz" {
		t.Fatalf("decoded item changed with its input: %#v", it)
	}
}

func TestBinaryCorrupt(t *testing.T) {
	good := Item{
		"s": Str("hello"), "l": {Type: TypeL, L: []Value{Num("1"), BoolValue(true)}},
		"m":  {Type: TypeM, M: map[string]Value{"x": Null()}},
		"ss": {Type: TypeSS, Set: []string{"a", "b"}},
	}.AppendBinary(nil)
	cases := map[string][]byte{
		"empty":          nil,
		"bad version":    {9, 0},
		"truncated":      good[:len(good)-1],
		"trailing":       append(append([]byte{}, good...), 0),
		"bad tag":        {1, 1, 1, 'a', 99},
		"zero tag":       {1, 1, 1, 'a', 0},
		"bad bool":       {1, 1, 1, 'a', byte(TypeBOOL), 2},
		"short bool":     {1, 1, 1, 'a', byte(TypeBOOL)},
		"huge count":     {1, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"huge string":    {1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"varint overrun": {1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
		"varint too big": {1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02},
		"repeated key":   {1, 2, 1, 'a', byte(TypeNULL), 1, 'a', byte(TypeNULL)},
		"huge list":      {1, 1, 1, 'a', byte(TypeL), 0xff, 0x7f},
		"huge set":       {1, 1, 1, 'a', byte(TypeSS), 0xff, 0x7f},
		"deep lists":     append([]byte{1, 1, 1, 'a'}, bytes.Repeat([]byte{byte(TypeL), 1}, 5000)...),
	}
	for name, b := range cases {
		if _, err := DecodeBinary(b); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", name, err)
		}
	}
	// Every truncation of a valid encoding fails cleanly.
	for i := range good {
		if _, err := DecodeBinary(good[:i]); err == nil {
			t.Errorf("truncated to %d bytes: no error", i)
		}
	}
	if _, err := DecodeBinaryValue([]byte{byte(TypeS), 5, 'a'}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("value: %v", err)
	}
	if _, err := DecodeBinaryValue(append(Str("x").AppendBinary(nil), 0)); err == nil || !strings.Contains(err.Error(), "trailing") {
		t.Errorf("value trailing: %v", err)
	}
}

// TestBinarySetOrderIsCanonical checks that sets encode the same whatever
// the order of their members, so equal items have equal digests.
func TestBinarySetOrderIsCanonical(t *testing.T) {
	pairs := [][2]Value{
		{{Type: TypeSS, Set: []string{"b", "a", ""}}, {Type: TypeSS, Set: []string{"", "a", "b"}}},
		{{Type: TypeNS, Set: []string{"10", "-1", "2.5"}}, {Type: TypeNS, Set: []string{"-1", "2.5", "10"}}},
		{{Type: TypeBS, Set: []string{"\x01", "\x00"}}, {Type: TypeBS, Set: []string{"\x00", "\x01"}}},
	}
	for _, p := range pairs {
		a, b := Item{"s": p[0]}.AppendBinary(nil), Item{"s": p[1]}.AppendBinary(nil)
		if !bytes.Equal(a, b) {
			t.Errorf("%v and %v encode differently: %x vs %x", p[0].Set, p[1].Set, a, b)
		}
	}
}
