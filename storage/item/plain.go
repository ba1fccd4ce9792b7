package item

import "encoding/binary"

// SWAR constants for plainPrefix: one byte value repeated in each of a
// uint64's eight bytes.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plainPrefix returns the index of the first byte of s at or after i that
// a JSON string cannot hold as is: '"', '\\', a control character (below
// 0x20) or a non-ASCII byte; len(s) when there is none. Strings in items
// are mostly such plain bytes, so the JSON encoder and decoder use it to
// skip them eight at a time (SWAR: a byte-wise test on a uint64) instead
// of one at a time.
func plainPrefix(s string, i int) int {
	for ; i+8 <= len(s); i += 8 {
		x := binary.LittleEndian.Uint64([]byte(s[i : i+8]))
		q := x ^ (ones * '"')
		b := x ^ (ones * '\\')
		// A byte's high bit ends up set where it is non-ASCII (x), below
		// 0x20 (x - 0x20, borrowing), or zero after the XOR with '"' or
		// '\\'. Borrows can flag bytes after a true hit, never before it,
		// so the first flagged byte is found bytewise below.
		if (x|(x-ones*0x20)|(q-ones)&^q|(b-ones)&^b)&highs != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' {
			return i
		}
	}
	return i
}
