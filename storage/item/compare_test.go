package item

import (
	"bytes"
	"reflect"
	"testing"
)

func TestCompare(t *testing.T) {
	cases := []struct {
		a, b Value
		c    int
		ok   bool
	}{
		{Str("a"), Str("b"), -1, true},
		{Str("b"), Str("a"), 1, true},
		{Str("a"), Str("a"), 0, true},
		{Str(""), Str("a"), -1, true},
		{Str("Z"), Str("a"), -1, true},                  // bytewise, not by locale
		{Str("é"), Str("z"), 1, true},                   // UTF-8 bytes
		{Bin([]byte{0x80}), Bin([]byte{0x7f}), 1, true}, // unsigned bytes
		{Bin(nil), Bin([]byte{0}), -1, true},
		{Num("10"), Num("9"), 1, true},
		{Num("-10"), Num("-9"), -1, true},
		{Num("1.50"), Num("1.5"), 0, true},
		{Str("1"), Num("1"), 0, false},
		{BoolValue(true), BoolValue(true), 0, false},
		{Null(), Null(), 0, false},
		{Value{Type: TypeL}, Value{Type: TypeL}, 0, false},
	}
	for _, c := range cases {
		got, ok := Compare(c.a, c.b)
		if got != c.c || ok != c.ok {
			t.Errorf("Compare(%v, %v) = %d, %v; want %d, %v", c.a, c.b, got, ok, c.c, c.ok)
		}
	}
}

func TestEqual(t *testing.T) {
	m1 := Value{Type: TypeM, M: map[string]Value{"a": Num("1"), "b": {Type: TypeL, L: []Value{Str("x")}}}}
	m2 := Value{Type: TypeM, M: map[string]Value{"b": {Type: TypeL, L: []Value{Str("x")}}, "a": Num("1.0")}}
	m3 := Value{Type: TypeM, M: map[string]Value{"a": Num("1"), "c": {Type: TypeL, L: []Value{Str("x")}}}}
	big1 := Value{Type: TypeSS}
	big2 := Value{Type: TypeSS}
	for i := range 40 {
		big1.Set = append(big1.Set, string(rune('A'+i)))
		big2.Set = append([]string{string(rune('A' + i))}, big2.Set...)
	}
	big3 := Value{Type: TypeSS, Set: append(append([]string{}, big1.Set[1:]...), "zz")}
	cases := []struct {
		a, b Value
		want bool
	}{
		{Str("a"), Str("a"), true},
		{Str("a"), Str("b"), false},
		{Str("1"), Num("1"), false},
		{Str("a"), Bin([]byte("a")), false},
		{Num("1.5"), Num("1.50"), true},
		{BoolValue(true), BoolValue(true), true},
		{BoolValue(true), BoolValue(false), false},
		{Null(), Null(), true},
		{Value{Type: TypeL}, Value{Type: TypeL, L: []Value{}}, true},
		{Value{Type: TypeL, L: []Value{Str("a"), Str("b")}}, Value{Type: TypeL, L: []Value{Str("b"), Str("a")}}, false},
		{Value{Type: TypeL, L: []Value{Str("a")}}, Value{Type: TypeL, L: []Value{Str("a"), Str("a")}}, false},
		{m1, m2, true},
		{m1, m3, false},
		{Value{Type: TypeSS, Set: []string{"a", "b"}}, Value{Type: TypeSS, Set: []string{"b", "a"}}, true},
		{Value{Type: TypeSS, Set: []string{"a", "b"}}, Value{Type: TypeSS, Set: []string{"a", "c"}}, false},
		{Value{Type: TypeSS, Set: []string{"a"}}, Value{Type: TypeSS, Set: []string{"a", "b"}}, false},
		{Value{Type: TypeSS, Set: []string{"1"}}, Value{Type: TypeNS, Set: []string{"1"}}, false},
		{Value{Type: TypeNS, Set: []string{"1", "2"}}, Value{Type: TypeNS, Set: []string{"2", "1"}}, true},
		{big1, big2, true},
		{big1, big3, false},
	}
	for i, c := range cases {
		if got := Equal(c.a, c.b); got != c.want {
			t.Errorf("case %d: Equal(%v, %v) = %v, want %v", i, c.a, c.b, got, c.want)
		}
		if got := Equal(c.b, c.a); got != c.want {
			t.Errorf("case %d: Equal is not symmetric", i)
		}
	}
	if !EqualItems(Item{"a": m1}, Item{"a": m2}) || EqualItems(Item{"a": m1}, Item{"b": m1}) || EqualItems(Item{}, Item{"a": m1}) {
		t.Error("EqualItems")
	}
}

func TestClone(t *testing.T) {
	r := newTestRand(9)
	for range 200 {
		it := randItem(r, 0)
		before := it.AppendBinary(nil)
		c := it.Clone()
		if !reflect.DeepEqual(c, it) || !EqualItems(c, it) {
			t.Fatalf("clone differs\n%#v\n%#v", it, c)
		}
		mutate(c)
		if !bytes.Equal(it.AppendBinary(nil), before) {
			t.Fatalf("mutating the clone changed the original: %#v", it)
		}
	}
	// Mutating a clone leaves the original alone.
	orig := Item{
		"l":  {Type: TypeL, L: []Value{{Type: TypeM, M: map[string]Value{"k": Str("v")}}}},
		"ss": {Type: TypeSS, Set: []string{"a"}},
	}
	c := orig.Clone()
	c["l"].L[0].M["k"] = Str("changed")
	c["ss"].Set[0] = "changed"
	c["new"] = Null()
	if orig["l"].L[0].M["k"].S != "v" || orig["ss"].Set[0] != "a" || len(orig) != 2 {
		t.Fatalf("original changed: %#v", orig)
	}
	if Item(nil).Clone() != nil {
		t.Fatal("nil clone is not nil")
	}
}

// mutate changes every container reachable from m in place.
func mutate(m map[string]Value) {
	for k, v := range m {
		switch v.Type {
		case TypeL:
			for i := range v.L {
				v.L[i] = Str("mutated")
			}
		case TypeM:
			mutate(v.M)
		case TypeSS, TypeNS, TypeBS:
			v.Set[0] = "mutated"
		}
		m[k] = v
	}
}
