package storage

import (
	"context"
	"fmt"
	"testing"

	"github.com/concorddb/concord/storage/item"
)

func TestMetricsAfterWrites(t *testing.T) {
	t.Parallel()
	s, _ := openMem(t)
	mustCreate(t, s, "t", item.TypeS, 0)
	ctx := context.Background()
	for i := range 200 {
		key := item.Item{"pk": item.Str(fmt.Sprintf("k%03d", i))}
		it := item.Item{"pk": key["pk"], "v": item.Str(fmt.Sprintf("value %d", i))}
		if _, err := s.Update(ctx, "t", key, putFn(it)); err != nil {
			t.Fatal(err)
		}
	}
	m := s.Metrics()
	if m.WALBytes == 0 || m.WALBytesWritten == 0 {
		t.Errorf("WAL bytes %d, written %d: want > 0 after 200 synced writes", m.WALBytes, m.WALBytesWritten)
	}
	if m.MemTableBytes == 0 {
		t.Errorf("memtable bytes 0 after writes")
	}
	if m.L0Files < 0 || m.L0Sublevels < 0 {
		t.Errorf("L0 files %d sublevels %d", m.L0Files, m.L0Sublevels)
	}
	// A flush and reads through the block cache give L0 files and cache
	// lookups.
	if err := s.db.Flush(); err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		if _, err := s.Get(ctx, "t", item.Item{"pk": item.Str(fmt.Sprintf("k%03d", i))}); err != nil {
			t.Fatal(err)
		}
	}
	m = s.Metrics()
	if m.L0Files < 1 {
		t.Errorf("L0 files %d after a flush, want >= 1", m.L0Files)
	}
	if m.BlockCacheHits+m.BlockCacheMisses == 0 {
		t.Errorf("no block cache lookups after reads from an sstable")
	}
	if r := m.CacheHitRatio(); r < 0 || r > 1 {
		t.Errorf("cache hit ratio %v outside [0,1]", r)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got := s.Metrics(); got != (Metrics{}) {
		t.Errorf("Metrics after Close = %+v, want zero", got)
	}
}

func TestChangeRecordTrace(t *testing.T) {
	t.Parallel()
	s, _ := openMem(t)
	mustCreate(t, s, "t", item.TypeS, 0)
	ctx := context.Background()
	tp := []byte("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
	key := item.Item{"pk": item.Str("a")}
	if _, err := s.Update(ctx, "t", key, func(item.Item, Meta) (Mutation, error) {
		return Mutation{Put: item.Item{"pk": item.Str("a")}, Version: nextVersion(), Origin: "r1", Trace: tp}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, "t", key, putFn(item.Item{"pk": item.Str("a"), "n": item.Str("x")})); err != nil {
		t.Fatal(err)
	}
	cs, err := s.Changes(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var items []Change
	for _, c := range cs {
		if c.Kind == ChangeItem {
			items = append(items, c)
		}
	}
	if len(items) != 2 {
		t.Fatalf("%d item changes, want 2", len(items))
	}
	if string(items[0].Trace) != string(tp) || items[0].GroupSize != 1 || items[0].Group != items[0].Seq {
		t.Errorf("traced change: trace %q group %d+%d (seq %d)", items[0].Trace, items[0].Group, items[0].GroupSize, items[0].Seq)
	}
	if items[1].Trace != nil || items[1].GroupSize != 1 {
		t.Errorf("untraced change: trace %q group size %d", items[1].Trace, items[1].GroupSize)
	}
}
