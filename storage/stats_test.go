package storage

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/concorddb/concord/storage/item"
)

type testOp struct {
	key     string
	val     string // "" means delete
	version []byte
}

// applyOps applies ops in order to a fresh table and returns its stats.
func applyOps(t *testing.T, s *Store, table string, ops []testOp) TableStats {
	t.Helper()
	mustCreate(t, s, table, item.TypeS, 0)
	for _, op := range ops {
		key := item.Item{"pk": item.Str(op.key)}
		_, err := s.Update(context.Background(), table, key, func(item.Item, Meta) (Mutation, error) {
			if op.val == "" {
				return Mutation{Delete: true, Version: op.version}, nil
			}
			return Mutation{Put: item.Item{"pk": item.Str(op.key), "v": item.Str(op.val)}, Version: op.version}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	st, err := s.Stats(table)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestStoreStatsDigest(t *testing.T) {
	// Final state: k0..k9 each with one value; built by different histories.
	var final []testOp
	for i := range 10 {
		final = append(final, testOp{fmt.Sprintf("k%d", i), fmt.Sprintf("value-%d", i), []byte(fmt.Sprintf("v%d", i))})
	}
	r := rand.New(rand.NewPCG(7, 8))
	shuffled := append([]testOp(nil), final...)
	r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	// A history with overwrites and a deleted extra item, ending in the same state.
	noisy := []testOp{{"k3", "old", []byte("x")}, {"extra", "e", []byte("x")}}
	noisy = append(noisy, shuffled...)
	noisy = append(noisy, testOp{"extra", "", []byte("y")})

	s1, _ := openMem(t)
	s2, _ := openMem(t)
	a := applyOps(t, s1, "t", final)
	b := applyOps(t, s2, "t", noisy)
	// Table IDs differ between stores: the digest must not depend on them.
	s3, _ := openMem(t)
	mustCreate(t, s3, "first", item.TypeS, 0)
	c := applyOps(t, s3, "t", shuffled)
	if d, _ := s3.Table("t"); d.ID == 1 {
		t.Fatal("test needs a table ID that differs from s1's")
	}
	if a != b {
		t.Fatalf("digests differ by history:\n%+v\n%+v", a, b)
	}
	if a.Digest != c.Digest || a.ItemCount != 10 || c.ItemCount != 10 {
		t.Fatalf("stats %+v vs %+v", a, c)
	}
	if a.SizeBytes <= 0 {
		t.Fatalf("size %d", a.SizeBytes)
	}
	// A put then delete restores the previous digest, count and size.
	applyMore := func(ops ...testOp) TableStats {
		for _, op := range ops {
			key := item.Item{"pk": item.Str(op.key)}
			if _, err := s1.Update(context.Background(), "t", key, func(item.Item, Meta) (Mutation, error) {
				if op.val == "" {
					return Mutation{Delete: true, Version: op.version}, nil
				}
				return Mutation{Put: item.Item{"pk": item.Str(op.key), "v": item.Str(op.val)}, Version: op.version}, nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		st, _ := s1.Stats("t")
		return st
	}
	if st := applyMore(testOp{"new", "n", []byte("1")}); st.Digest == a.Digest || st.ItemCount != 11 {
		t.Fatalf("put did not change stats: %+v", st)
	}
	if st := applyMore(testOp{"new", "", []byte("2")}); st != a {
		t.Fatalf("delete did not restore stats: %+v want %+v", st, a)
	}
	// A different version of the same value changes the digest.
	if st := applyMore(testOp{"k0", "value-0", []byte("other")}); st.Digest == a.Digest || st.ItemCount != 10 {
		t.Fatalf("version not in digest: %+v", st)
	}
}
