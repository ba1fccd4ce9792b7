package item

import (
	"slices"
	"unicode/utf8"
)

// The wire form is decoded by the hand-written scanner in json_decode.go and
// encoded here by appending straight to a []byte: both sit on every
// request's hot path, and going through map[string]any would cost an
// allocation per token.

// UnmarshalJSON decodes the DynamoDB wire form ({"S":"x"}, {"N":"1"},
// {"B":"base64"}, {"BOOL":true}, {"NULL":true}, {"L":[...]}, {"M":{...}},
// {"SS":[...]}, {"NS":[...]}, {"BS":[...]}) and validates it fully: exactly
// one type key, sets non-empty and duplicate-free, numbers canonicalised,
// NULL must be true, nesting at most MaxDepth. Bad input gives a
// *ValidationError with DynamoDB's message.
//
// JSON of the wrong shape (a number where a string belongs, a list where a
// map belongs, malformed JSON, bad base64) gives a *SerializationError. A
// type key whose value is JSON null counts as absent, as in DynamoDB's
// protocol. Strings in the result may share one backing array with each
// other (one copy of b is made, not one per string).
func (v *Value) UnmarshalJSON(b []byte) error {
	*v = Value{}
	d := decoder{s: string(b)}
	d.ws()
	if d.isNull() {
		return &ValidationError{Message: msgEmpty}
	}
	err := d.value(v, 0)
	if err == nil {
		err = d.end()
	}
	if err != nil {
		*v = Value{}
	}
	return err
}

// MarshalJSON encodes the DynamoDB wire form.
func (v Value) MarshalJSON() ([]byte, error) { return v.AppendJSON(nil), nil }

// AppendJSON appends the wire form of v to dst. Maps are written in sorted
// key order, so the output is deterministic. A Value with an invalid Type
// (the zero Value) is written as {}.
func (v Value) AppendJSON(dst []byte) []byte {
	switch v.Type {
	case TypeS:
		dst = append(dst, `{"S":`...)
		dst = appendString(dst, v.S)
	case TypeN:
		dst = append(dst, `{"N":`...)
		dst = appendString(dst, v.S)
	case TypeB:
		dst = append(dst, `{"B":"`...)
		dst = appendBase64(dst, v.S)
		dst = append(dst, '"')
	case TypeBOOL:
		if v.Bool {
			return append(dst, `{"BOOL":true}`...)
		}
		return append(dst, `{"BOOL":false}`...)
	case TypeNULL:
		return append(dst, `{"NULL":true}`...)
	case TypeL:
		dst = append(dst, `{"L":[`...)
		for i := range v.L {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = v.L[i].AppendJSON(dst)
		}
		dst = append(dst, ']')
	case TypeM:
		dst = append(dst, `{"M":`...)
		dst = appendMap(dst, v.M)
	case TypeSS, TypeNS:
		if v.Type == TypeSS {
			dst = append(dst, `{"SS":[`...)
		} else {
			dst = append(dst, `{"NS":[`...)
		}
		for i, s := range v.Set {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, s)
		}
		dst = append(dst, ']')
	case TypeBS:
		dst = append(dst, `{"BS":[`...)
		for i, s := range v.Set {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, '"')
			dst = appendBase64(dst, s)
			dst = append(dst, '"')
		}
		dst = append(dst, ']')
	default:
		return append(dst, "{}"...)
	}
	return append(dst, '}')
}

// UnmarshalJSON decodes a JSON object of attribute names to values. JSON
// null leaves it nil, following encoding/json's convention; every value is
// validated as Value.UnmarshalJSON does.
func (it *Item) UnmarshalJSON(b []byte) error {
	d := decoder{s: string(b)}
	d.ws()
	if d.isNull() {
		d.pos += 4
		if err := d.end(); err != nil {
			return err
		}
		*it = nil
		return nil
	}
	m, err := d.object(0)
	if err != nil {
		return err
	}
	if err := d.end(); err != nil {
		return err
	}
	*it = m
	return nil
}

// MarshalJSON encodes the item; attributes appear in sorted name order.
func (it Item) MarshalJSON() ([]byte, error) { return it.AppendJSON(nil), nil }

// AppendJSON appends the wire form of it to dst, attributes in sorted name
// order. A nil Item is written as {}.
func (it Item) AppendJSON(dst []byte) []byte {
	return appendMap(dst, it)
}

// appendMap writes m as a JSON object in sorted key order.
func appendMap(dst []byte, m map[string]Value) []byte {
	dst = append(dst, '{')
	var arr [32]string // most maps fit: no allocation for the key list
	keys := arr[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, k)
		dst = append(dst, ':')
		dst = m[k].AppendJSON(dst)
	}
	return append(dst, '}')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. It escapes what JSON requires
// (quote, backslash, control characters), U+2028 and U+2029 (so the output
// is also valid JavaScript), and replaces invalid UTF-8 with U+FFFD so the
// output is always valid JSON.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if i = plainPrefix(s, i); i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// appendBase64 appends the standard, padded base64 encoding of s. It works
// on a string so B values need no []byte conversion.
func appendBase64(dst []byte, s string) []byte {
	i := 0
	for ; i+3 <= len(s); i += 3 {
		v := uint(s[i])<<16 | uint(s[i+1])<<8 | uint(s[i+2])
		dst = append(dst, base64Alphabet[v>>18&0x3F], base64Alphabet[v>>12&0x3F],
			base64Alphabet[v>>6&0x3F], base64Alphabet[v&0x3F])
	}
	switch len(s) - i {
	case 1:
		v := uint(s[i]) << 16
		dst = append(dst, base64Alphabet[v>>18&0x3F], base64Alphabet[v>>12&0x3F], '=', '=')
	case 2:
		v := uint(s[i])<<16 | uint(s[i+1])<<8
		dst = append(dst, base64Alphabet[v>>18&0x3F], base64Alphabet[v>>12&0x3F],
			base64Alphabet[v>>6&0x3F], '=')
	}
	return dst
}
