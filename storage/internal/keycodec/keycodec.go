package keycodec

import (
	"errors"
	"fmt"
	"strings"

	"github.com/concorddb/concord/storage/item"
)

// Errors returned by the codec; test with errors.Is.
var (
	// ErrCorrupt is returned by the decoders for bytes no encoder wrote.
	ErrCorrupt = errors.New("keycodec: corrupt encoding")
	// ErrInvalidNumber is returned by AppendNumber for text that is not a
	// decimal number.
	ErrInvalidNumber = errors.New("keycodec: invalid number")
	// ErrType is returned for values that are not S, N or B.
	ErrType = errors.New("keycodec: not a key type")
)

// Byte-string framing.
const (
	escByte  = 0x00
	escFF    = 0xFF
	termByte = 0x01
)

// Number tags.
const (
	tagNeg  = 0x01
	tagZero = 0x02
	tagPos  = 0x03
)

// expBias offsets the decimal exponent so it encodes as an unsigned number.
const expBias = 0x8000

// AppendValue appends the encoding of a key value (S, N or B) to dst.
func AppendValue(dst []byte, v item.Value) ([]byte, error) {
	switch v.Type {
	case item.TypeS, item.TypeB:
		return AppendBytes(dst, v.S), nil
	case item.TypeN:
		return AppendNumber(dst, v.S)
	default:
		return dst, fmt.Errorf("%w: %v", ErrType, v.Type)
	}
}

// DecodeValue decodes one value of type t from the front of b and returns
// it with the bytes that follow.
func DecodeValue(b []byte, t item.Type) (item.Value, []byte, error) {
	switch t {
	case item.TypeS, item.TypeB:
		s, rest, err := DecodeBytes(b)
		return item.Value{Type: t, S: s}, rest, err
	case item.TypeN:
		s, rest, err := DecodeNumber(b)
		return item.Value{Type: t, S: s}, rest, err
	default:
		return item.Value{}, b, fmt.Errorf("%w: %v", ErrType, t)
	}
}

// AppendBytes appends the terminated, escaped encoding of s (an S or B
// value) to dst.
func AppendBytes(dst []byte, s string) []byte {
	dst = AppendBytesPrefix(dst, s)
	return append(dst, escByte, termByte)
}

// AppendBytesPrefix appends the escaped bytes of s without the terminator:
// the encoding of every value that begins with s starts with these bytes.
func AppendBytesPrefix(dst []byte, s string) []byte {
	for {
		i := strings.IndexByte(s, 0)
		if i < 0 {
			return append(dst, s...)
		}
		dst = append(dst, s[:i]...)
		dst = append(dst, escByte, escFF)
		s = s[i+1:]
	}
}

// DecodeBytes decodes one AppendBytes encoding from the front of b.
func DecodeBytes(b []byte) (string, []byte, error) {
	var sb strings.Builder
	for i := 0; i < len(b); i++ {
		if b[i] != escByte {
			continue
		}
		if i+1 >= len(b) {
			return "", b, ErrCorrupt
		}
		sb.Write(b[:i])
		switch b[i+1] {
		case termByte:
			return sb.String(), b[i+2:], nil
		case escFF:
			sb.WriteByte(0)
			b = b[i+2:]
			i = -1
		default:
			return "", b, ErrCorrupt
		}
	}
	return "", b, ErrCorrupt
}

// AppendNumber appends the encoding of the decimal number text s. It accepts
// DynamoDB's number syntax (sign, fraction, exponent, leading and trailing
// zeros); equal numbers encode equally.
func AppendNumber(dst []byte, s string) ([]byte, error) {
	neg, digits, exp, err := parseNumber(s)
	if err != nil {
		return dst, err
	}
	if len(digits) == 0 {
		return append(dst, tagZero), nil
	}
	if exp < -expBias || exp >= expBias {
		return dst, fmt.Errorf("%w: exponent out of range in %q", ErrInvalidNumber, s)
	}
	var inv byte
	tag := byte(tagPos)
	if neg {
		inv, tag = 0xFF, tagNeg
	}
	e := uint16(exp + expBias)
	dst = append(dst, tag, byte(e>>8)^inv, byte(e)^inv)
	for i := 0; i < len(digits); i++ {
		dst = append(dst, (digits[i]-'0'+1)^inv)
	}
	return append(dst, inv), nil
}

// parseNumber splits number text into its sign, its significant digits
// (no leading or trailing zeros; empty for zero) and E such that the value
// is 0.digits × 10^E.
func parseNumber(s string) (neg bool, digits string, exp int, err error) {
	bad := func() (bool, string, int, error) {
		return false, "", 0, fmt.Errorf("%w: %q", ErrInvalidNumber, s)
	}
	t := s
	if t != "" && (t[0] == '-' || t[0] == '+') {
		neg = t[0] == '-'
		t = t[1:]
	}
	var buf []byte
	point := -1
	seen := false
	i := 0
	for ; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= '0' && c <= '9':
			seen = true
			buf = append(buf, c)
		case c == '.' && point < 0:
			point = len(buf)
		default:
			goto mantissaDone
		}
	}
mantissaDone:
	if !seen {
		return bad()
	}
	if point < 0 {
		point = len(buf)
	}
	if i < len(t) {
		if t[i] != 'e' && t[i] != 'E' {
			return bad()
		}
		i++
		eneg := false
		if i < len(t) && (t[i] == '-' || t[i] == '+') {
			eneg = t[i] == '-'
			i++
		}
		if i == len(t) {
			return bad()
		}
		e := 0
		for ; i < len(t); i++ {
			c := t[i]
			if c < '0' || c > '9' {
				return bad()
			}
			if e < 1<<20 {
				e = e*10 + int(c-'0')
			}
		}
		if eneg {
			e = -e
		}
		exp = e
	}
	lead := 0
	for lead < len(buf) && buf[lead] == '0' {
		lead++
	}
	buf = buf[lead:]
	point -= lead
	for len(buf) > 0 && buf[len(buf)-1] == '0' {
		buf = buf[:len(buf)-1]
	}
	if len(buf) == 0 {
		return false, "", 0, nil
	}
	return neg, string(buf), exp + point, nil
}

// DecodeNumber decodes one AppendNumber encoding from the front of b and
// returns the number in plain decimal notation without redundant zeros
// ("-12.5", "0.001", "1000", "0").
func DecodeNumber(b []byte) (string, []byte, error) {
	if len(b) == 0 {
		return "", b, ErrCorrupt
	}
	var inv byte
	switch b[0] {
	case tagZero:
		return "0", b[1:], nil
	case tagPos:
	case tagNeg:
		inv = 0xFF
	default:
		return "", b, ErrCorrupt
	}
	if len(b) < 3 {
		return "", b, ErrCorrupt
	}
	exp := int(uint16(b[1]^inv)<<8|uint16(b[2]^inv)) - expBias
	var digits []byte
	i := 3
	for ; ; i++ {
		if i >= len(b) {
			return "", b, ErrCorrupt
		}
		c := b[i] ^ inv
		if c == 0 {
			break
		}
		if c > 10 {
			return "", b, ErrCorrupt
		}
		digits = append(digits, '0'+c-1)
	}
	if len(digits) == 0 || digits[0] == '0' || digits[len(digits)-1] == '0' {
		return "", b, ErrCorrupt
	}
	return formatNumber(inv != 0, string(digits), exp), b[i+1:], nil
}

// formatNumber writes 0.digits × 10^exp in plain decimal notation.
func formatNumber(neg bool, digits string, exp int) string {
	var sb strings.Builder
	if neg {
		sb.WriteByte('-')
	}
	n := len(digits)
	switch {
	case exp <= 0:
		sb.WriteString("0.")
		sb.WriteString(strings.Repeat("0", -exp))
		sb.WriteString(digits)
	case exp < n:
		sb.WriteString(digits[:exp])
		sb.WriteByte('.')
		sb.WriteString(digits[exp:])
	default:
		sb.WriteString(digits)
		sb.WriteString(strings.Repeat("0", exp-n))
	}
	return sb.String()
}

// PrefixEnd returns the smallest key greater than every key that starts
// with p, or nil if there is none (p is empty or all 0xFF).
func PrefixEnd(p []byte) []byte {
	end := append([]byte(nil), p...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] != 0xFF {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// Successor returns the smallest key greater than k: k followed by 0x00.
func Successor(k []byte) []byte {
	return append(append(make([]byte, 0, len(k)+1), k...), 0)
}
