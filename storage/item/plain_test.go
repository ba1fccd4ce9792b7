package item

import (
	"math/rand/v2"
	"testing"
)

// TestPlainPrefix checks the eight-at-a-time scan against a bytewise one
// on strings where each byte position and start offset gets every kind of
// special byte, including those whose neighbours borrow in the SWAR test.
func TestPlainPrefix(t *testing.T) {
	naive := func(s string, i int) int {
		for ; i < len(s); i++ {
			if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' {
				return i
			}
		}
		return i
	}
	specials := []byte{0, 0x1f, 0x20, 0x21, '"', '\\', 0x7f, 0x80, 0xa0, 0xff, '#', '[', ']', 'a'}
	for n := 0; n <= 24; n++ {
		for pos := 0; pos < n; pos++ {
			for _, c := range specials {
				b := make([]byte, n)
				for i := range b {
					b[i] = 'x'
				}
				b[pos] = c
				s := string(b)
				for start := 0; start <= n; start++ {
					if got, want := plainPrefix(s, start), naive(s, start); got != want {
						t.Fatalf("plainPrefix(%q, %d) = %d, want %d", s, start, got, want)
					}
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = specials[rng.IntN(len(specials))]
			if rng.IntN(3) > 0 {
				b[i] = byte(rng.IntN(256))
			}
		}
		s := string(b)
		start := rng.IntN(len(s) + 1)
		if got, want := plainPrefix(s, start), naive(s, start); got != want {
			t.Fatalf("plainPrefix(%q, %d) = %d, want %d", s, start, got, want)
		}
	}
}
