package storage

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/concorddb/concord/storage/item"
)

func scanKeys(t *testing.T, s *Store, table string, sc Scan, limit int) []string {
	t.Helper()
	var got []string
	err := s.Scan(context.Background(), table, sc, func(it item.Item) bool {
		got = append(got, it["pk"].S+"/"+it["sk"].S)
		return limit <= 0 || len(got) < limit
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestStoreScanSegments(t *testing.T) {
	s, _ := openMem(t)
	mustCreate(t, s, "t", item.TypeS, item.TypeN)
	mustCreate(t, s, "other", item.TypeS, item.TypeN)
	want := map[string]bool{}
	for i := range 60 {
		for j := range 3 {
			it := item.Item{"pk": item.Str(fmt.Sprintf("p%d", i)), "sk": item.Num(fmt.Sprint(j))}
			put(t, s, "t", it)
			put(t, s, "other", it)
			want[fmt.Sprintf("p%d/%d", i, j)] = true
		}
	}
	all := scanKeys(t, s, "t", Scan{}, 0)
	if len(all) != len(want) {
		t.Fatalf("full scan got %d items, want %d", len(all), len(want))
	}
	for _, n := range []int{1, 2, 3, 7, 200} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			seen := map[string]int{}
			for seg := range n {
				for _, k := range scanKeys(t, s, "t", Scan{Segment: seg, TotalSegments: n}, 0) {
					if prev, dup := seen[k]; dup {
						t.Fatalf("%s in segments %d and %d", k, prev, seg)
					}
					seen[k] = seg
				}
			}
			if len(seen) != len(want) {
				t.Fatalf("segments cover %d items, want %d", len(seen), len(want))
			}
		})
	}
	// Paging with ExclusiveStart sees each item once, in the full scan's order.
	var paged []string
	var start item.Item
	for {
		var page []item.Item
		err := s.Scan(context.Background(), "t", Scan{ExclusiveStart: start}, func(it item.Item) bool {
			page = append(page, it)
			return len(page) < 7
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page {
			paged = append(paged, it["pk"].S+"/"+it["sk"].S)
		}
		if len(page) < 7 {
			break
		}
		last := page[len(page)-1]
		start = item.Item{"pk": last["pk"], "sk": last["sk"]}
	}
	if fmt.Sprint(paged) != fmt.Sprint(all) {
		t.Fatalf("paged scan differs from full scan:\n%v\n%v", paged, all)
	}
	// Segment paging too.
	seg := scanKeys(t, s, "t", Scan{Segment: 1, TotalSegments: 3}, 0)
	if len(seg) > 2 {
		first := scanKeys(t, s, "t", Scan{Segment: 1, TotalSegments: 3}, 2)
		pk, sk, _ := cut(first[1])
		rest := scanKeys(t, s, "t", Scan{Segment: 1, TotalSegments: 3, ExclusiveStart: item.Item{"pk": item.Str(pk), "sk": item.Num(sk)}}, 0)
		if fmt.Sprint(append(first, rest...)) != fmt.Sprint(seg) {
			t.Fatal("segment paging differs")
		}
	}
	if err := s.Scan(context.Background(), "t", Scan{Segment: 3, TotalSegments: 3}, func(item.Item) bool { return true }); err == nil {
		t.Fatal("segment out of range accepted")
	}
	// A start key from another segment is rejected, as in DynamoDB, for
	// the first, a middle and the last segment.
	for _, other := range []int{0, 1, 2} {
		keys := scanKeys(t, s, "t", Scan{Segment: other, TotalSegments: 3}, 1)
		if len(keys) == 0 {
			continue
		}
		pk, sk, _ := cut(keys[0])
		start := item.Item{"pk": item.Str(pk), "sk": item.Num(sk)}
		for seg := range 3 {
			err := s.Scan(context.Background(), "t", Scan{Segment: seg, TotalSegments: 3, ExclusiveStart: start}, func(item.Item) bool { return true })
			switch {
			case seg == other && err != nil:
				t.Errorf("start key of segment %d refused in its own segment: %v", other, err)
			case seg != other && !isSegmentStart(err, seg, 3):
				t.Errorf("start key of segment %d in segment %d: err = %v", other, seg, err)
			}
		}
	}
}

// isSegmentStart reports whether err is the *SegmentError of an
// ExclusiveStart key outside segment seg of total.
func isSegmentStart(err error, seg, total int) bool {
	var se *SegmentError
	return errors.As(err, &se) && *se == SegmentError{Segment: seg, TotalSegments: total, StartKey: true}
}

func cut(s string) (string, string, bool) {
	for i := range len(s) {
		if s[i] == '/' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func TestStoreSegmentStart(t *testing.T) {
	cases := []struct {
		i, n int
		want uint64
	}{
		{0, 1, 0}, {0, 4, 0}, {1, 2, 1 << 63}, {1, 4, 1 << 62}, {3, 4, 3 << 62},
	}
	for _, c := range cases {
		if got := segmentStart(c.i, c.n); got != c.want {
			t.Errorf("segmentStart(%d, %d) = %x, want %x", c.i, c.n, got, c.want)
		}
	}
}
