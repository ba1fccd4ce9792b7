package item

import "strings"

// Compare orders two values of the same scalar type: S and B bytewise, N
// numerically. ok is false when the types differ or are not S, N or B.
func Compare(a, b Value) (c int, ok bool) {
	if a.Type != b.Type {
		return 0, false
	}
	switch a.Type {
	case TypeS, TypeB:
		return strings.Compare(a.S, b.S), true
	case TypeN:
		return CompareNumbers(a.S, b.S), true
	}
	return 0, false
}

// Equal is deep equality; sets compare as sets.
func Equal(a, b Value) bool {
	if a.Type != b.Type {
		return false
	}
	switch a.Type {
	case TypeS, TypeN, TypeB:
		return a.S == b.S
	case TypeBOOL:
		return a.Bool == b.Bool
	case TypeNULL:
		return true
	case TypeL:
		if len(a.L) != len(b.L) {
			return false
		}
		for i := range a.L {
			if !Equal(a.L[i], b.L[i]) {
				return false
			}
		}
		return true
	case TypeM:
		return equalMaps(a.M, b.M)
	case TypeSS, TypeNS, TypeBS:
		return equalSets(a.Set, b.Set)
	}
	return true // two values of the same invalid type carry nothing
}

// EqualItems reports whether two items hold the same attributes with Equal
// values.
func EqualItems(a, b Item) bool { return equalMaps(a, b) }

func equalMaps(a, b map[string]Value) bool {
	if len(a) != len(b) {
		return false
	}
	for k, va := range a {
		vb, ok := b[k]
		if !ok || !Equal(va, vb) {
			return false
		}
	}
	return true
}

// equalSets compares duplicate-free sets regardless of order.
func equalSets(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) <= 16 {
	outer:
		for _, x := range a {
			for _, y := range b {
				if x == y {
					continue outer
				}
			}
			return false
		}
		return true
	}
	in := make(map[string]struct{}, len(b))
	for _, y := range b {
		in[y] = struct{}{}
	}
	for _, x := range a {
		if _, ok := in[x]; !ok {
			return false
		}
	}
	return true
}

// Clone returns a deep copy of v.
func (v Value) Clone() Value {
	switch v.Type {
	case TypeL:
		if v.L != nil {
			l := make([]Value, len(v.L))
			for i := range v.L {
				l[i] = v.L[i].Clone()
			}
			v.L = l
		}
	case TypeM:
		v.M = cloneMap(v.M)
	case TypeSS, TypeNS, TypeBS:
		if v.Set != nil {
			v.Set = append([]string(nil), v.Set...)
			if v.Set == nil {
				v.Set = []string{}
			}
		}
	}
	return v
}

func cloneMap(m map[string]Value) map[string]Value {
	if m == nil {
		return nil
	}
	c := make(map[string]Value, len(m))
	for k, e := range m {
		c[k] = e.Clone()
	}
	return c
}

// Clone returns a deep copy of it.
func (it Item) Clone() Item { return cloneMap(it) }
