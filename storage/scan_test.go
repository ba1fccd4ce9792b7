package storage

import (
	"bytes"
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

// TestStoreScanRecordsIncludesTombstones: ScanRecords passes live items
// and tombstones with their keys and versions, in Scan's order, resumes
// after a tombstone's key, and forgets a purged tombstone.
func TestStoreScanRecordsIncludesTombstones(t *testing.T) {
	s, _ := openMem(t)
	mustCreate(t, s, "t", item.TypeS, item.TypeB)
	ctx := context.Background()
	versions := map[string]string{} // pk/sk -> version
	live := map[string]bool{}
	for i := range 40 {
		key := item.Item{"pk": item.Str(fmt.Sprintf("p%d", i%13)), "sk": item.Bin([]byte{byte(i), 0, 0xff})}
		id := fmt.Sprintf("%s/%x", key["pk"].S, key["sk"].S)
		fn := putFn(item.Item{"pk": key["pk"], "sk": key["sk"], "n": item.Num(fmt.Sprint(i))})
		if i%3 == 0 {
			fn = deleteFn
		}
		if _, err := s.Update(ctx, "t", key, func(cur item.Item, m Meta) (Mutation, error) {
			mu, err := fn(cur, m)
			versions[id], live[id] = string(mu.Version), !mu.Delete
			return mu, err
		}); err != nil {
			t.Fatal(err)
		}
	}
	scan := func(sc Scan, limit int) []Record {
		t.Helper()
		var out []Record
		if err := s.ScanRecords(ctx, "t", sc, func(r Record) bool {
			r.Version = bytes.Clone(r.Version)
			out = append(out, r)
			return limit <= 0 || len(out) < limit
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	all := scan(Scan{}, 0)
	if len(all) != len(versions) {
		t.Fatalf("ScanRecords passed %d records, want %d", len(all), len(versions))
	}
	var liveOrder []string
	for _, r := range all {
		id := fmt.Sprintf("%s/%x", r.Key["pk"].S, r.Key["sk"].S)
		if len(r.Key) != 2 || r.Key["sk"].Type != item.TypeB {
			t.Fatalf("record key %v", r.Key)
		}
		if string(r.Version) != versions[id] {
			t.Fatalf("%s: version %q, want %q", id, r.Version, versions[id])
		}
		if (r.Item != nil) != live[id] {
			t.Fatalf("%s: item %v, live %v", id, r.Item, live[id])
		}
		if r.Item != nil {
			liveOrder = append(liveOrder, id)
		}
	}
	// The live records are Scan's items, in Scan's order.
	var scanOrder []string
	if err := s.Scan(ctx, "t", Scan{}, func(it item.Item) bool {
		scanOrder = append(scanOrder, fmt.Sprintf("%s/%x", it["pk"].S, it["sk"].S))
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(liveOrder) != fmt.Sprint(scanOrder) {
		t.Fatalf("live records %v, Scan %v", liveOrder, scanOrder)
	}
	// Paging resumes after any record's key, a tombstone's included.
	var paged []Record
	var start item.Item
	for {
		page := scan(Scan{ExclusiveStart: start}, 4)
		paged = append(paged, page...)
		if len(page) < 4 {
			break
		}
		start = page[len(page)-1].Key
	}
	if fmt.Sprint(paged) != fmt.Sprint(all) {
		t.Fatalf("paged records differ from the full scan")
	}
	if n, err := s.PurgeTombstones(ctx, "t", func([]byte) bool { return true }, 0); err != nil || n == 0 {
		t.Fatalf("PurgeTombstones = %d, %v", n, err)
	}
	for _, r := range scan(Scan{}, 0) {
		if r.Item == nil {
			t.Fatalf("purged tombstone %v still scanned", r.Key)
		}
	}
	if err := s.ScanRecords(ctx, "missing", Scan{}, func(Record) bool { return true }); !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("ScanRecords of a missing table: %v", err)
	}
}
