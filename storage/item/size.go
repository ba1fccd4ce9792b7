package item

import "strings"

// Size is v's size as DynamoDB counts it (S and B their bytes, N about one
// byte per two significant digits plus one, BOOL and NULL one, L and M three
// bytes of overhead plus one per element plus the elements, and map keys
// their UTF-8 bytes). Sets count the sum of their elements.
func (v Value) Size() int {
	switch v.Type {
	case TypeS, TypeB:
		return len(v.S)
	case TypeN:
		return numberSize(v.S)
	case TypeBOOL, TypeNULL:
		return 1
	case TypeL:
		n := 3
		for i := range v.L {
			n += 1 + v.L[i].Size()
		}
		return n
	case TypeM:
		n := 3
		for k, e := range v.M {
			n += 1 + len(k) + e.Size()
		}
		return n
	case TypeSS, TypeBS:
		n := 0
		for _, s := range v.Set {
			n += len(s)
		}
		return n
	case TypeNS:
		n := 0
		for _, s := range v.Set {
			n += numberSize(s)
		}
		return n
	}
	return 0
}

// numberSize sizes a canonical number the way DynamoDB was measured to:
// one byte, plus one per two significant digits of the integer part and
// one per two of the fraction (each rounded up, after trimming the value's
// leading and trailing zeros), plus one if negative. Zero is one byte.
func numberSize(s string) int {
	n := 1
	if len(s) > 0 && s[0] == '-' {
		n++
		s = s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
	}
	if intPart == "0" {
		intPart = ""
		frac = strings.TrimLeft(frac, "0")
	}
	if frac == "" {
		intPart = strings.TrimRight(intPart, "0")
	}
	return n + (len(intPart)+1)/2 + (len(frac)+1)/2
}

// Size is the item's size as DynamoDB counts it: the sum over attributes of
// the name's UTF-8 length and the value's Size.
func (it Item) Size() int {
	n := 0
	for k, v := range it {
		n += len(k) + v.Size()
	}
	return n
}
