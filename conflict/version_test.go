package conflict

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

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
