package keycodec

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/concorddb/concord/storage/item"
)

func ratOf(t testing.TB, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("big.Rat cannot parse %q", s)
	}
	return r
}

func randNumber(r *rand.Rand) string {
	var sb strings.Builder
	if r.IntN(2) == 0 {
		sb.WriteByte('-')
	}
	n := 1 + r.IntN(38)
	digits := make([]byte, n)
	for i := range digits {
		digits[i] = byte('0' + r.IntN(10))
		if r.IntN(4) == 0 { // many zeros to exercise stripping
			digits[i] = '0'
		}
	}
	sb.Write(digits)
	switch r.IntN(3) {
	case 0:
		fmt.Fprintf(&sb, "e%d", r.IntN(200)-100)
	case 1:
		p := r.IntN(n + 1)
		s := sb.String()
		return s[:len(s)-n+p] + "." + s[len(s)-n+p:] + "0"
	}
	return sb.String()
}

func randBytes(r *rand.Rand) string {
	alphabet := []byte{0x00, 0x01, 0xFF, 0xFE, 'a', 'b'}
	b := make([]byte, r.IntN(6))
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

func TestKeycodecNumberCases(t *testing.T) {
	cases := []struct{ in, want string }{
		{"0", "0"}, {"-0", "0"}, {"+0.000", "0"}, {"0e5", "0"},
		{"1", "1"}, {"+5", "5"}, {"1.50", "1.5"}, {"1e3", "1000"},
		{"-12.5", "-12.5"}, {"0.001", "0.001"}, {".5", "0.5"}, {"5.", "5"},
		{"00120.0100", "120.01"}, {"1E-3", "0.001"}, {"-1e+2", "-100"},
		{"12345678901234567890123456789012345678", "12345678901234567890123456789012345678"},
		{"1e125", "1" + strings.Repeat("0", 125)},
		{"-1e-130", "-0." + strings.Repeat("0", 129) + "1"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			enc, err := AppendNumber(nil, c.in)
			if err != nil {
				t.Fatal(err)
			}
			got, rest, err := DecodeNumber(enc)
			if err != nil || len(rest) != 0 || got != c.want {
				t.Fatalf("decode = %q, %x, %v; want %q", got, rest, err, c.want)
			}
		})
	}
	for _, bad := range []string{"", "-", ".", "1e", "1e+", "abc", "1.2.3", "1x", "--1", "e5"} {
		if _, err := AppendNumber(nil, bad); !errors.Is(err, ErrInvalidNumber) {
			t.Errorf("AppendNumber(%q) err = %v, want ErrInvalidNumber", bad, err)
		}
	}
}

func TestKeycodecNumberOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	nums := []string{"0", "-0", "1", "-1", "0.1", "-0.1", "10", "-10", "1.1", "1.01", "-1.01", "-1.1", "9", "99", "0.099"}
	for range 2000 {
		nums = append(nums, randNumber(r))
	}
	type enc struct {
		s string
		b []byte
	}
	encs := make([]enc, len(nums))
	for i, s := range nums {
		b, err := AppendNumber(nil, s)
		if err != nil {
			t.Fatalf("AppendNumber(%q): %v", s, err)
		}
		encs[i] = enc{s, b}
		dec, _, err := DecodeNumber(b)
		if err != nil || ratOf(t, dec).Cmp(ratOf(t, s)) != 0 {
			t.Fatalf("round trip %q -> %q, %v", s, dec, err)
		}
	}
	for i := range encs {
		for j := range min(len(encs), 50) {
			a, b := encs[i], encs[(i*7+j)%len(encs)]
			want := ratOf(t, a.s).Cmp(ratOf(t, b.s))
			if got := bytes.Compare(a.b, b.b); got != want {
				t.Fatalf("order(%q, %q) = %d, want %d", a.s, b.s, got, want)
			}
		}
	}
	// Sorting by encoding sorts numerically.
	slices.SortFunc(encs, func(a, b enc) int { return bytes.Compare(a.b, b.b) })
	for i := 1; i < len(encs); i++ {
		if ratOf(t, encs[i-1].s).Cmp(ratOf(t, encs[i].s)) > 0 {
			t.Fatalf("%q sorted before %q", encs[i-1].s, encs[i].s)
		}
	}
}

func TestKeycodecBytesOrderAndRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	vals := []string{"", "\x00", "\x00\x00", "\x00\x01", "\x01", "a", "a\x00", "ab", "\xff", "\xff\x00"}
	for range 2000 {
		vals = append(vals, randBytes(r))
	}
	for i, a := range vals {
		ea := AppendBytes(nil, a)
		got, rest, err := DecodeBytes(append(ea, 'x'))
		if err != nil || got != a || string(rest) != "x" {
			t.Fatalf("round trip %q -> %q rest %q err %v", a, got, rest, err)
		}
		for j := range 40 {
			b := vals[(i*13+j)%len(vals)]
			eb := AppendBytes(nil, b)
			if got, want := bytes.Compare(ea, eb), strings.Compare(a, b); got != want {
				t.Fatalf("order(%q, %q) = %d, want %d", a, b, got, want)
			}
			// Concatenation (partition key then sort key) stays ordered.
			ca := AppendBytes(AppendBytes(nil, a), "z")
			cb := AppendBytes(AppendBytes(nil, b), "a")
			if want := strings.Compare(a, b); want != 0 && bytes.Compare(ca, cb) != want {
				t.Fatalf("concat order(%q, %q) wrong", a, b)
			}
			// Prefix property for begins_with.
			hasPrefix := strings.HasPrefix(a, b)
			if got := bytes.HasPrefix(ea, AppendBytesPrefix(nil, b)); got != hasPrefix {
				t.Fatalf("prefix(%q, %q) = %v, want %v", a, b, got, hasPrefix)
			}
		}
	}
}

func TestKeycodecValue(t *testing.T) {
	cases := []item.Value{
		{Type: item.TypeS, S: "héllo\x00"},
		{Type: item.TypeB, S: "\x00\xff"},
		{Type: item.TypeN, S: "-3.25"},
	}
	for _, v := range cases {
		b, err := AppendValue(nil, v)
		if err != nil {
			t.Fatal(err)
		}
		got, rest, err := DecodeValue(b, v.Type)
		if err != nil || len(rest) != 0 || got.Type != v.Type || got.S != v.S {
			t.Fatalf("DecodeValue = %+v, %x, %v; want %+v", got, rest, err, v)
		}
	}
	if _, err := AppendValue(nil, item.Value{Type: item.TypeBOOL}); !errors.Is(err, ErrType) {
		t.Fatalf("BOOL err = %v", err)
	}
}

// TestKeycodecMatchesItemCompare checks the encoding against the data
// model's own ordering.
func TestKeycodecMatchesItemCompare(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 3000 {
		var a, b item.Value
		switch r.IntN(3) {
		case 0:
			a, b = item.Str(randBytes(r)), item.Str(randBytes(r))
		case 1:
			a, b = item.Bin([]byte(randBytes(r))), item.Bin([]byte(randBytes(r)))
		default:
			sa, err := item.CanonicalNumber(randNumber(r))
			if err != nil {
				continue // out of DynamoDB's range
			}
			sb, err := item.CanonicalNumber(randNumber(r))
			if err != nil {
				continue
			}
			a, b = item.Value{Type: item.TypeN, S: sa}, item.Value{Type: item.TypeN, S: sb}
			// Decoding gives item's canonical text back.
			ea, _ := AppendValue(nil, a)
			if d, _, err := DecodeValue(ea, item.TypeN); err != nil || d.S != sa {
				t.Fatalf("decode(%q) = %q, %v; want item's canonical form", sa, d.S, err)
			}
		}
		want, ok := item.Compare(a, b)
		if !ok {
			t.Fatalf("item.Compare(%v, %v) not ok", a, b)
		}
		ea, err := AppendValue(nil, a)
		if err != nil {
			t.Fatal(err)
		}
		eb, err := AppendValue(nil, b)
		if err != nil {
			t.Fatal(err)
		}
		if got := bytes.Compare(ea, eb); got != want {
			t.Fatalf("order(%+v, %+v) = %d, item.Compare = %d", a, b, got, want)
		}
	}
}

func TestKeycodecPrefixEnd(t *testing.T) {
	cases := []struct{ in, want []byte }{
		{[]byte{1, 2}, []byte{1, 3}},
		{[]byte{1, 0xFF}, []byte{2}},
		{[]byte{0xFF}, nil},
		{nil, nil},
	}
	for _, c := range cases {
		if got := PrefixEnd(c.in); !bytes.Equal(got, c.want) {
			t.Errorf("PrefixEnd(%x) = %x, want %x", c.in, got, c.want)
		}
	}
}

func FuzzKeycodecNumber(f *testing.F) {
	for _, s := range []string{"0", "-1.5", "1e3", "0.001", "-99999999999999999999999999999999999999e-100"} {
		f.Add(s, "1")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ea, errA := AppendNumber(nil, a)
		eb, errB := AppendNumber(nil, b)
		if errA != nil || errB != nil {
			return
		}
		ra, okA := new(big.Rat).SetString(a)
		rb, okB := new(big.Rat).SetString(b)
		if !okA || !okB || len(a) > 60 || len(b) > 60 {
			return
		}
		if got, want := bytes.Compare(ea, eb), ra.Cmp(rb); got != want {
			t.Fatalf("order(%q, %q) = %d, want %d", a, b, got, want)
		}
		da, rest, err := DecodeNumber(ea)
		if err != nil || len(rest) != 0 || ratOf(t, da).Cmp(ra) != 0 {
			t.Fatalf("round trip %q -> %q, %v", a, da, err)
		}
	})
}

func FuzzKeycodecBytes(f *testing.F) {
	f.Add("a", "a\x00")
	f.Add("\x00\xff", "")
	f.Fuzz(func(t *testing.T, a, b string) {
		ea, eb := AppendBytes(nil, a), AppendBytes(nil, b)
		if got, want := bytes.Compare(ea, eb), strings.Compare(a, b); got != want {
			t.Fatalf("order(%q, %q) = %d, want %d", a, b, got, want)
		}
		got, rest, err := DecodeBytes(append(ea, eb...))
		if err != nil || got != a || !bytes.Equal(rest, eb) {
			t.Fatalf("decode %q: %q %x %v", a, got, rest, err)
		}
		// Decoding arbitrary bytes must not panic.
		_, _, _ = DecodeBytes([]byte(a))
		_, _, _ = DecodeNumber([]byte(a))
	})
}
