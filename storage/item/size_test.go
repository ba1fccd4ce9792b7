package item

import (
	"strings"
	"testing"
)

func TestSizeValues(t *testing.T) {
	cases := []struct {
		name string
		v    Value
		want int
	}{
		{"empty string", Str(""), 0},
		{"ascii", Str("hello"), 5},
		{"utf8", Str("é😀"), 6},
		{"binary", Bin([]byte{1, 2, 3}), 3},
		{"bool", BoolValue(false), 1},
		{"null", Null(), 1},
		{"zero", Num("0"), 1},
		{"1", Num("1"), 2},
		{"27", Num("27"), 2},
		{"-27", Num("-27"), 3},
		{"461", Num("461"), 3},
		{"1000", Num("1000"), 2},
		{"1E125", Num("1E125"), 2},
		{"0.05", Num("0.05"), 2},
		{"1E-130", Num("1E-130"), 2},
		{"1.05", Num("1.05"), 3},
		{"100.5", Num("100.5"), 4},
		{"38 digits", Num(strings.Repeat("9", 38)), 20},
		{"empty list", Value{Type: TypeL}, 3},
		{"empty map", Value{Type: TypeM}, 3},
		{"list", Value{Type: TypeL, L: []Value{Str("ab"), Null()}}, 3 + (1 + 2) + (1 + 1)},
		{"map", Value{Type: TypeM, M: map[string]Value{"key": Str("ab"), "n": BoolValue(true)}}, 3 + (1 + 3 + 2) + (1 + 1 + 1)},
		{"nested", Value{Type: TypeL, L: []Value{{Type: TypeL}}}, 3 + 1 + 3},
		{"SS", Value{Type: TypeSS, Set: []string{"a", "bc"}}, 3},
		{"NS", Value{Type: TypeNS, Set: []string{"1", "-27"}}, 2 + 3},
		{"BS", Value{Type: TypeBS, Set: []string{"\x00", "\x01\x02"}}, 3},
		{"invalid", Value{}, 0},
	}
	for _, c := range cases {
		if got := c.v.Size(); got != c.want {
			t.Errorf("%s: Size = %d, want %d", c.name, got, c.want)
		}
	}
}

func TestSizeItem(t *testing.T) {
	it := Item{"pk": Str("user#1"), "age": Num("42"), "tags": {Type: TypeSS, Set: []string{"a", "b"}}}
	want := (2 + 6) + (3 + 2) + (4 + 2)
	if got := it.Size(); got != want {
		t.Fatalf("Size = %d, want %d", got, want)
	}
	if Item(nil).Size() != 0 {
		t.Fatal("nil item has a size")
	}
}
