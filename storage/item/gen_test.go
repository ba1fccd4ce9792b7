package item

import (
	"math/rand/v2"
	"strconv"
)

func newTestRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

// randString returns short strings that exercise escaping and UTF-8.
func randString(r *rand.Rand) string {
	const alphabet = "abcXYZ019 \"\\/\n\t\x01é€😀\u2028"
	runes := []rune(alphabet)
	n := r.IntN(8)
	b := make([]rune, n)
	for i := range b {
		b[i] = runes[r.IntN(len(runes))]
	}
	return string(b)
}

func randBytes(r *rand.Rand) string {
	b := make([]byte, r.IntN(10))
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return string(b)
}

func randNumber(r *rand.Rand) string {
	for {
		if c, err := CanonicalNumber(randNumberText(r)); err == nil {
			return c
		}
	}
}

// randSet returns 1..5 distinct elements from gen.
func randSet(r *rand.Rand, gen func(*rand.Rand) string) []string {
	n := 1 + r.IntN(5)
	var out []string
	seen := map[string]bool{}
	for tries := 0; len(out) < n && tries < 50; tries++ {
		s := gen(r)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// randValue returns a valid Value as decoders produce it: canonical
// numbers, non-nil empty L and M, non-empty duplicate-free sets.
func randValue(r *rand.Rand, depth int) Value {
	n := 10
	if depth >= 4 {
		n = 5 // scalars and NULL only near the bottom
	}
	switch Type(1 + r.IntN(n)) {
	case TypeS:
		return Str(randString(r))
	case TypeN:
		return Value{Type: TypeN, S: randNumber(r)}
	case TypeB:
		return Value{Type: TypeB, S: randBytes(r)}
	case TypeBOOL:
		return BoolValue(r.IntN(2) == 0)
	case TypeNULL:
		return Null()
	case TypeL:
		l := make([]Value, r.IntN(4))
		for i := range l {
			l[i] = randValue(r, depth+1)
		}
		return Value{Type: TypeL, L: l}
	case TypeM:
		return Value{Type: TypeM, M: randMap(r, depth+1)}
	case TypeSS:
		return Value{Type: TypeSS, Set: randSet(r, randString)}
	case TypeNS:
		return Value{Type: TypeNS, Set: randSet(r, randNumber)}
	default:
		return Value{Type: TypeBS, Set: randSet(r, randBytes)}
	}
}

func randMap(r *rand.Rand, depth int) map[string]Value {
	m := map[string]Value{}
	for range r.IntN(5) {
		m[randString(r)+strconv.Itoa(r.IntN(3))] = randValue(r, depth)
	}
	return m
}

func randItem(r *rand.Rand, depth int) Item { return Item(randMap(r, depth)) }
