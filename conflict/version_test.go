package conflict

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/concorddb/concord/conflict/hlc"
)

func randomVersion(r *rand.Rand) Version {
	regions := []string{"ap-southeast-2", "eu-west-1", "us-east-1", "us-east-10", ""}
	return Version{
		TS:     hlc.Timestamp{Wall: r.Int64N(5), Logical: r.Uint32N(3)},
		Region: regions[r.IntN(len(regions))],
	}
}

func TestConflictEncodingPreservesOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 5000; i++ {
		a, b := randomVersion(r), randomVersion(r)
		want := a.Compare(b)
		if got := bytes.Compare(a.Encode(), b.Encode()); got != want {
			t.Fatalf("bytes.Compare(%v, %v) = %d, Compare = %d", a, b, got, want)
		}
		back, err := DecodeVersion(a.Encode())
		if err != nil || back != a {
			t.Fatalf("DecodeVersion(Encode(%v)) = %v, %v", a, back, err)
		}
	}
}

func TestConflictDecodeRejectsGarbage(t *testing.T) {
	for _, b := range [][]byte{nil, {1, 2, 3}, bytes.Repeat([]byte{0xff}, 12)} {
		if _, err := DecodeVersion(b); !errors.Is(err, ErrBadVersion) {
			t.Errorf("DecodeVersion(%x) err = %v, want ErrBadVersion", b, err)
		}
	}
}

// TestConflictResolveConverges checks that applying any permutation of a set
// of versions with Resolve leaves the same winner: the maximum.
func TestConflictResolveConverges(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 500; trial++ {
		vs := make([]Version, 1+r.IntN(6))
		for i := range vs {
			vs[i] = randomVersion(r)
		}
		want := vs[0]
		for _, v := range vs[1:] {
			if v.Compare(want) > 0 {
				want = v
			}
		}
		for perm := 0; perm < 5; perm++ {
			r.Shuffle(len(vs), func(i, j int) { vs[i], vs[j] = vs[j], vs[i] })
			var cur *Version
			for i := range vs {
				v := vs[i]
				if Resolve(cur, v) {
					cur = &v
				}
				if Resolve(cur, v) { // re-delivery is a no-op
					t.Fatalf("Resolve accepted the version it already holds: %v", v)
				}
			}
			if cur.Compare(want) != 0 {
				t.Fatalf("winner %v, want %v", *cur, want)
			}
		}
	}
}

// TestConflictNextLocalBeatsCurrent checks decision 4: a local write over
// an item always gets a greater version, even when the item's version came
// from a region whose clock runs minutes ahead.
func TestConflictNextLocalBeatsCurrent(t *testing.T) {
	behind := hlc.NewClock(func() int64 { return 1_000 }, 0)
	ahead := Version{TS: hlc.Timestamp{Wall: 300_000_000_000}, Region: "z-region"}
	v, err := NextLocal(behind, "a-region", ahead.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if v.Compare(ahead) <= 0 {
		t.Fatalf("NextLocal = %v, not after current %v", v, ahead)
	}
	if _, err := NextLocal(behind, "a", []byte{1}); !errors.Is(err, ErrBadVersion) {
		t.Fatalf("NextLocal over a malformed version: err = %v, want ErrBadVersion", err)
	}
}

// TestConflictNextLocalOverFarFutureVersion: over a version far beyond
// the clock's bound (a peer 2 h ahead), a local write still gets a greater
// version, just above it, and the shared clock stays within physical +
// maxOffset (issue 13, item 6).
func TestConflictNextLocalOverFarFutureVersion(t *testing.T) {
	const pt = int64(1_700_000_000_000_000_000)
	const maxOffset = 500 * time.Millisecond
	clock := hlc.NewClock(func() int64 { return pt }, maxOffset)
	bound := pt + int64(maxOffset)
	cur := Version{TS: hlc.Timestamp{Wall: pt + int64(2*time.Hour), Logical: 4}, Region: "z-region"}
	for i := 0; i < 3; i++ {
		v, err := NextLocal(clock, "a-region", cur.Encode())
		if err != nil {
			t.Fatal(err)
		}
		if v.Compare(cur) <= 0 {
			t.Fatalf("NextLocal = %v, not after current %v", v, cur)
		}
		if want := (hlc.Timestamp{Wall: cur.TS.Wall, Logical: cur.TS.Logical + 1}); v.TS != want {
			t.Fatalf("NextLocal = %v, want timestamp %+v just after current %v", v, want, cur)
		}
		if last := clock.Last(); last.Wall > bound {
			t.Fatalf("NextLocal dragged the clock to %+v, beyond physical + maxOffset = %d", last, bound)
		}
		cur = v
	}
	// A full logical counter moves to the next nanosecond.
	cur = Version{TS: hlc.Timestamp{Wall: pt + int64(time.Hour), Logical: math.MaxUint32}, Region: "z"}
	v, err := NextLocal(clock, "a", cur.Encode())
	if err != nil || v.TS != (hlc.Timestamp{Wall: cur.TS.Wall + 1}) {
		t.Fatalf("NextLocal over %v = %v, %v; want wall+1 logical 0", cur, v, err)
	}
	// Over a version within the bound, the clock follows and reads past it.
	near := Version{TS: hlc.Timestamp{Wall: pt + int64(100*time.Millisecond), Logical: 2}, Region: "z"}
	v, err = NextLocal(clock, "a", near.Encode())
	if err != nil || v.Compare(near) <= 0 || clock.Last().Less(v.TS) {
		t.Fatalf("NextLocal over %v = %v, %v (clock %+v); want a clock reading after it", near, v, err, clock.Last())
	}
}

// TestConflictNextLocalOverMaximalVersion: no version follows one with the
// maximal timestamp; NextLocal says so with ErrVersionExhausted, and the
// clock neither wraps nor follows it.
func TestConflictNextLocalOverMaximalVersion(t *testing.T) {
	const pt = int64(1_700_000_000_000_000_000)
	for _, maxOffset := range []time.Duration{0, time.Second} {
		clock := hlc.NewClock(func() int64 { return pt }, maxOffset)
		maxV := Version{TS: hlc.MaxTimestamp, Region: "a"}
		_, err := NextLocal(clock, "b", maxV.Encode())
		if !errors.Is(err, ErrVersionExhausted) {
			t.Fatalf("maxOffset %v: NextLocal over %v: err = %v, want ErrVersionExhausted", maxOffset, maxV, err)
		}
		if now := clock.Now(); now.Wall < pt {
			t.Fatalf("maxOffset %v: clock wrapped to %+v", maxOffset, now)
		}
		// One tick below the maximum, the maximum is still free.
		below := Version{TS: hlc.Timestamp{Wall: math.MaxInt64, Logical: math.MaxUint32 - 1}, Region: "z"}
		v, err := NextLocal(clock, "a", below.Encode())
		if err != nil || v.TS != hlc.MaxTimestamp {
			t.Fatalf("maxOffset %v: NextLocal over %v = %v, %v; want the maximal timestamp", maxOffset, below, v, err)
		}
	}
}
