package item

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// The binary storage form:
//
//	item  = version:byte(1) count:uvarint { name:bytes value }   (names sorted)
//	value = tag:byte body
//	bytes = len:uvarint raw
//
// where tag is the Type and body is, by type:
//
//	S, N, B     bytes (N as its canonical text)
//	BOOL        one byte, 0 or 1
//	NULL        nothing
//	L           count:uvarint { value }
//	M           count:uvarint { name:bytes value }          (names sorted)
//	SS, NS, BS  count:uvarint { bytes }                      (order kept)
//
// Map names are written in sorted order so equal items encode to equal
// bytes (digests and byte comparisons rely on it).

// binaryVersion is the first byte of every encoded item.
const binaryVersion = 1

// maxBinaryDepth bounds nesting while decoding, so corrupt input cannot
// exhaust the stack. It is far above MaxDepth: anything the API accepts
// decodes.
const maxBinaryDepth = 1024

// ErrCorrupt is returned (wrapped) by DecodeBinary for input that is not a
// valid encoding. Test for it with errors.Is.
var ErrCorrupt = errors.New("item: corrupt binary item")

// AppendBinary appends the compact storage form of it to dst. The form is
// private to Concord's store: it is not the wire form.
func (it Item) AppendBinary(dst []byte) []byte {
	dst = append(dst, binaryVersion)
	return appendBinaryMap(dst, it)
}

func appendBinaryMap(dst []byte, m map[string]Value) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(m)))
	var arr [32]string
	keys := arr[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		dst = appendBinaryString(dst, k)
		dst = m[k].appendBinary(dst)
	}
	return dst
}

func appendBinaryString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// AppendBinary appends the storage form of one value (without the item's
// version byte); DecodeBinaryValue reads it back.
func (v Value) AppendBinary(dst []byte) []byte { return v.appendBinary(dst) }

func (v Value) appendBinary(dst []byte) []byte {
	dst = append(dst, byte(v.Type))
	switch v.Type {
	case TypeS, TypeN, TypeB:
		dst = appendBinaryString(dst, v.S)
	case TypeBOOL:
		if v.Bool {
			dst = append(dst, 1)
		} else {
			dst = append(dst, 0)
		}
	case TypeL:
		dst = binary.AppendUvarint(dst, uint64(len(v.L)))
		for i := range v.L {
			dst = v.L[i].appendBinary(dst)
		}
	case TypeM:
		dst = appendBinaryMap(dst, v.M)
	case TypeSS, TypeNS, TypeBS:
		// Sets are unordered: write members in a canonical order so equal
		// sets encode to equal bytes (the store's digests depend on it).
		set := canonicalSet(v.Type, v.Set)
		dst = binary.AppendUvarint(dst, uint64(len(set)))
		for _, s := range set {
			dst = appendBinaryString(dst, s)
		}
	}
	return dst
}

// DecodeBinary decodes what AppendBinary wrote. It never panics: input
// that is not a valid encoding gives an error wrapping ErrCorrupt. Empty
// L and M values decode as empty, non-nil slices and maps. The result does
// not alias b; its strings share one copy of b.
func DecodeBinary(b []byte) (Item, error) {
	if len(b) == 0 || b[0] != binaryVersion {
		return nil, fmt.Errorf("%w: unknown format version", ErrCorrupt)
	}
	d := binDecoder{s: string(b), pos: 1}
	m, err := d.mapBody(0)
	if err != nil {
		return nil, err
	}
	if d.pos != len(d.s) {
		return nil, d.fail("trailing bytes")
	}
	return m, nil
}

// DecodeBinaryValue decodes what Value.AppendBinary wrote.
func DecodeBinaryValue(b []byte) (Value, error) {
	d := binDecoder{s: string(b)}
	v, err := d.value(0)
	if err != nil {
		return Value{}, err
	}
	if d.pos != len(d.s) {
		return Value{}, d.fail("trailing bytes")
	}
	return v, nil
}

// binDecoder reads the binary form from s, a private copy of the input,
// so decoded strings are substrings of it rather than one allocation each.
type binDecoder struct {
	s   string
	pos int
}

func (d *binDecoder) fail(what string) error {
	return fmt.Errorf("%w: %s at offset %d", ErrCorrupt, what, d.pos)
}

func (d *binDecoder) uvarint() (uint64, error) {
	var x uint64
	var shift uint
	for i := 0; i < binary.MaxVarintLen64; i++ {
		if d.pos >= len(d.s) {
			return 0, d.fail("truncated length")
		}
		c := d.s[d.pos]
		d.pos++
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				return 0, d.fail("length overflows")
			}
			return x | uint64(c)<<shift, nil
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	return 0, d.fail("length overflows")
}

// count reads an element count and checks it against the bytes left (every
// element takes at least one byte), so corrupt counts cannot cause huge
// allocations.
func (d *binDecoder) count() (int, error) {
	n, err := d.uvarint()
	if err != nil {
		return 0, err
	}
	if n > uint64(len(d.s)-d.pos) {
		return 0, d.fail("count exceeds input")
	}
	return int(n), nil
}

func (d *binDecoder) str() (string, error) {
	n, err := d.uvarint()
	if err != nil {
		return "", err
	}
	if n > uint64(len(d.s)-d.pos) {
		return "", d.fail("string exceeds input")
	}
	s := d.s[d.pos : d.pos+int(n)]
	d.pos += int(n)
	return s, nil
}

func (d *binDecoder) mapBody(depth int) (map[string]Value, error) {
	n, err := d.count()
	if err != nil {
		return nil, err
	}
	m := make(map[string]Value, n)
	for range n {
		k, err := d.str()
		if err != nil {
			return nil, err
		}
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		m[k] = v
	}
	if len(m) != n {
		return nil, d.fail("repeated map key")
	}
	return m, nil
}

func (d *binDecoder) value(depth int) (Value, error) {
	if d.pos >= len(d.s) {
		return Value{}, d.fail("truncated value")
	}
	v := Value{Type: Type(d.s[d.pos])}
	d.pos++
	var err error
	switch v.Type {
	case TypeS, TypeN, TypeB:
		v.S, err = d.str()
	case TypeBOOL:
		if d.pos >= len(d.s) || d.s[d.pos] > 1 {
			return Value{}, d.fail("bad boolean")
		}
		v.Bool = d.s[d.pos] == 1
		d.pos++
	case TypeNULL:
	case TypeL:
		if depth >= maxBinaryDepth {
			return Value{}, d.fail("nesting too deep")
		}
		var n int
		if n, err = d.count(); err != nil {
			return Value{}, err
		}
		v.L = make([]Value, n)
		for i := range v.L {
			if v.L[i], err = d.value(depth + 1); err != nil {
				return Value{}, err
			}
		}
	case TypeM:
		if depth >= maxBinaryDepth {
			return Value{}, d.fail("nesting too deep")
		}
		v.M, err = d.mapBody(depth + 1)
	case TypeSS, TypeNS, TypeBS:
		var n int
		if n, err = d.count(); err != nil {
			return Value{}, err
		}
		v.Set = make([]string, n)
		for i := range v.Set {
			if v.Set[i], err = d.str(); err != nil {
				return Value{}, err
			}
		}
	default:
		d.pos--
		return Value{}, d.fail(fmt.Sprintf("unknown type tag %d", v.Type))
	}
	if err != nil {
		return Value{}, err
	}
	return v, nil
}

// canonicalSet returns the members of a set in canonical order: numbers
// numerically, strings and binary bytewise. It copies only when set is not
// already in that order.
func canonicalSet(t Type, set []string) []string {
	cmp := strings.Compare
	if t == TypeNS {
		cmp = CompareNumbers
	}
	if slices.IsSortedFunc(set, cmp) {
		return set
	}
	sorted := slices.Clone(set)
	slices.SortFunc(sorted, cmp)
	return sorted
}
