package item

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// typicalItem is about 1 KB on the wire: keys, a few scalars, a small map,
// a list and a set, like a user profile.
func typicalItem() Item {
	it := Item{
		"pk":        Str("USER#8f14e45f-ceea-467a-9f0f-3ba7d1b5c1e2"),
		"sk":        Str("PROFILE#2024-06-01T12:00:00Z"),
		"name":      Str("Ada Lovelace"),
		"email":     Str("ada@example.com"),
		"age":       Num("36"),
		"balance":   Num("12345.67"),
		"active":    BoolValue(true),
		"deleted":   Null(),
		"avatar":    Bin([]byte(strings.Repeat("\x89PNG", 16))),
		"tags":      {Type: TypeSS, Set: []string{"admin", "beta", "mathematics", "engines"}},
		"scores":    {Type: TypeNS, Set: []string{"1", "2.5", "99", "1000"}},
		"bio":       Str(strings.Repeat("Analyst, metaphysician and founder of scientific computing. ", 4)),
		"createdAt": Num("1717243200"),
		"address": {Type: TypeM, M: map[string]Value{
			"street": Str("12 St James's Square"), "city": Str("London"),
			"zip": Str("SW1Y 4JH"), "geo": {Type: TypeL, L: []Value{Num("51.5074"), Num("-0.1345")}},
		}},
	}
	l := make([]Value, 8)
	for i := range l {
		l[i] = Value{Type: TypeM, M: map[string]Value{"id": Num(strconv.Itoa(i)), "title": Str("Note " + strconv.Itoa(i))}}
	}
	it["notes"] = Value{Type: TypeL, L: l}
	return it
}

func BenchmarkItemJSONDecode(b *testing.B) {
	data := typicalItem().AppendJSON(nil)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var it Item
		if err := it.UnmarshalJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkItemJSONEncode(b *testing.B) {
	it := typicalItem()
	buf := it.AppendJSON(nil)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf = it.AppendJSON(buf[:0])
	}
}

// BenchmarkItemJSONDecodeStd is the baseline: encoding/json into
// map[string]any.
func BenchmarkItemJSONDecodeStd(b *testing.B) {
	data := typicalItem().AppendJSON(nil)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkItemBinaryEncode(b *testing.B) {
	it := typicalItem()
	buf := it.AppendBinary(nil)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf = it.AppendBinary(buf[:0])
	}
}

func BenchmarkItemBinaryDecode(b *testing.B) {
	data := typicalItem().AppendBinary(nil)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeBinary(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompareNumbers(b *testing.B) {
	x, y := Num("12345.678").S, Num("12345.6781").S
	for b.Loop() {
		CompareNumbers(x, y)
	}
}

func BenchmarkCanonicalNumber(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = CanonicalNumber("1.50e3")
	}
}

func TestBenchItemIsTypical(t *testing.T) {
	it := typicalItem()
	n := len(it.AppendJSON(nil))
	if n < 800 || n > 1400 {
		t.Fatalf("typical item is %d bytes of JSON, want about 1 KB", n)
	}
	t.Logf("JSON %d bytes, binary %d bytes, DynamoDB size %d", n, len(it.AppendBinary(nil)), it.Size())
}

// BenchmarkItemJSONEncodeText is an item whose size is one long ASCII
// string, like test/bench's items.
func BenchmarkItemJSONEncodeText(b *testing.B) {
	it := Item{"pk": Str("p17"), "sk": Num("123456"), "n": Num("0"), "payload": Str(strings.Repeat("0123456789abcdef", 62))}
	buf := it.AppendJSON(nil)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf = it.AppendJSON(buf[:0])
	}
}
