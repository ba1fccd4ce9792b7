package storage

import (
	"bytes"
	"context"
	"testing"

	"github.com/concorddb/concord/storage/item"
)

func TestStorePurgeTombstones(t *testing.T) {
	s, _ := openMem(t)
	mustCreate(t, s, "t", item.TypeS, 0)
	ctx := context.Background()
	del := func(pk, version string) {
		t.Helper()
		if _, err := s.Update(ctx, "t", item.Item{"pk": item.Str(pk)}, func(item.Item, Meta) (Mutation, error) {
			return Mutation{Delete: true, Version: []byte(version)}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	put(t, s, "t", item.Item{"pk": item.Str("live")})
	del("old", "v1")
	del("new", "v9")
	before, _ := s.Stats("t")
	expired := func(v []byte) bool { return bytes.Compare(v, []byte("v5")) < 0 }
	n, err := s.PurgeTombstones(ctx, "t", expired, 0)
	if err != nil || n != 1 {
		t.Fatalf("PurgeTombstones = %d, %v; want 1 (only the old tombstone)", n, err)
	}
	meta := func(pk string) Meta {
		var m Meta
		_, _ = s.Update(ctx, "t", item.Item{"pk": item.Str(pk)}, func(_ item.Item, cur Meta) (Mutation, error) {
			m = cur
			return Mutation{}, nil
		})
		return m
	}
	if m := meta("old"); m.Version != nil {
		t.Fatalf("purged tombstone still there: %+v", m)
	}
	if m := meta("new"); !m.Tombstone || string(m.Version) != "v9" {
		t.Fatalf("recent tombstone purged: %+v", m)
	}
	if get(t, s, "t", item.Item{"pk": item.Str("live")}) == nil {
		t.Fatal("live item purged")
	}
	if after, _ := s.Stats("t"); after != before {
		t.Fatalf("stats changed by a purge: %+v -> %+v", before, after)
	}
	if n, _ := s.PurgeTombstones(ctx, "t", func([]byte) bool { return true }, 0); n != 1 {
		t.Fatalf("second purge removed %d, want 1", n)
	}
}

func TestStoreTrimChanges(t *testing.T) {
	s, _ := openMem(t)
	mustCreate(t, s, "t", item.TypeS, 0)
	for _, pk := range []string{"a", "b", "c"} {
		put(t, s, "t", item.Item{"pk": item.Str(pk)})
	}
	if err := s.TrimChanges(2); err != nil {
		t.Fatal(err)
	}
	cs, err := s.Changes(context.Background(), 0, 0)
	if err != nil || len(cs) != 2 || cs[0].Seq != 3 {
		t.Fatalf("after TrimChanges(2): %d changes, first %+v, %v", len(cs), cs, err)
	}
	if s.LastSeq() != 4 {
		t.Fatalf("LastSeq = %d after trimming, want 4", s.LastSeq())
	}
}

func TestStoreSettingsAndFirstSeq(t *testing.T) {
	s, _ := openMem(t)
	ctx := context.Background()
	if v, err := s.Setting("x"); err != nil || v != nil {
		t.Fatalf("unset setting = %q, %v", v, err)
	}
	if err := s.SetSetting(ctx, "x", []byte("1")); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Setting("x"); string(v) != "1" {
		t.Fatalf("setting = %q", v)
	}
	if first, _ := s.FirstSeq(); first != 1 {
		t.Fatalf("FirstSeq of an empty log = %d, want 1", first)
	}
	mustCreate(t, s, "t", item.TypeS, 0)
	for _, pk := range []string{"a", "b", "c"} {
		put(t, s, "t", item.Item{"pk": item.Str(pk)})
	}
	if err := s.TrimChanges(2); err != nil {
		t.Fatal(err)
	}
	if first, _ := s.FirstSeq(); first != 3 {
		t.Fatalf("FirstSeq after trimming to 2 = %d, want 3", first)
	}
}
