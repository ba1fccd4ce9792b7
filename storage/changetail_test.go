package storage

import (
	"context"
	"reflect"
	"testing"

	"github.com/concorddb/concord/storage/item"
)

// fillLog writes a mix of records: a table creation, single puts from two
// origins, a group, a traced TTL delete and a table update.
func fillLog(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	mustCreate(t, s, "t", item.TypeS, 0)
	for i, origin := range []string{"r1", "r2", "r1", "r2"} {
		key := item.Item{"pk": item.Str(string(rune('a' + i)))}
		if _, err := s.Update(ctx, "t", key, func(item.Item, Meta) (Mutation, error) {
			return Mutation{Put: item.Item{"pk": key["pk"], "v": item.Num("1")}, Version: []byte{byte(i)}, Origin: origin}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	var writes []Write
	for _, pk := range []string{"a", "x", "y"} {
		it := item.Item{"pk": item.Str(pk), "v": item.Num("2")}
		writes = append(writes, Write{Table: "t", Key: item.Item{"pk": it["pk"]}, Fn: putFn(it)})
	}
	if _, err := s.UpdateMany(ctx, writes); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, "t", item.Item{"pk": item.Str("b")}, func(item.Item, Meta) (Mutation, error) {
		return Mutation{Delete: true, Version: []byte("v"), Cause: CauseTTL, Trace: []byte("00-trace")}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateTableFrom(ctx, "t", "r1", func(def *TableDef) error {
		def.Meta = []byte(`{"x":1}`)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestChangeTailMatchesPebble checks that the records served from memory
// are the ones Pebble holds: the same log read before and after a reopen
// (which empties the tail) is equal, with and without filters.
func TestChangeTailMatchesPebble(t *testing.T) {
	s, fs := openMem(t)
	fillLog(t, s)
	ctx := context.Background()
	filters := []ChangeFilter{{}, {Origin: "r1"}, {Origin: "r2", NoOld: true}, {NoOld: true}}
	type read struct {
		cs   []Change
		last uint64
	}
	var fromTail []read
	for _, f := range filters {
		cs, last, err := s.ReadChanges(ctx, 0, 0, f)
		if err != nil {
			t.Fatal(err)
		}
		fromTail = append(fromTail, read{cs, last})
	}
	if n := len(fromTail[0].cs); n != 10 || fromTail[0].last != 10 {
		t.Fatalf("read %d records up to %d, want 10 up to 10", n, fromTail[0].last)
	}
	if s.tail.first != 1 || len(s.tail.recs) != 10 {
		t.Fatalf("tail holds %d records from %d, want the whole log", len(s.tail.recs), s.tail.first)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open("db", Options{FS: fs, Logger: quietLogger})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if len(s2.tail.recs) != 0 {
		t.Fatalf("a reopened store's tail holds %d records", len(s2.tail.recs))
	}
	for i, f := range filters {
		cs, last, err := s2.ReadChanges(ctx, 0, 0, f)
		if err != nil {
			t.Fatal(err)
		}
		if last != fromTail[i].last || !reflect.DeepEqual(cs, fromTail[i].cs) {
			t.Fatalf("filter %+v: Pebble gave %d records up to %d:\n%+v\nthe tail %d up to %d:\n%+v",
				f, len(cs), last, cs, len(fromTail[i].cs), fromTail[i].last, fromTail[i].cs)
		}
	}
	var seqs []uint64
	for _, c := range fromTail[1].cs {
		seqs = append(seqs, c.Seq)
	}
	// r1's two puts, its group of three and its table update; the create
	// (no origin) and r2's changes are skipped.
	if want := []uint64{2, 4, 6, 7, 8, 10}; !reflect.DeepEqual(seqs, want) {
		t.Fatalf("Origin filter r1 kept seqs %v, want %v", seqs, want)
	}
	for _, c := range fromTail[3].cs {
		if c.Old != nil {
			t.Fatalf("NoOld change %d has an old image", c.Seq)
		}
	}
	if fromTail[0].cs[5].Old == nil {
		t.Fatalf("change 6 (a put over a) has no old image without NoOld")
	}
}

// TestChangeTailLimitsAndFallback checks reads that start before the
// tail's oldest record (evicted or trimmed) come from Pebble, that limit
// bounds the records read, filtered or not, and that trimmed records are
// gone from both.
func TestChangeTailLimitsAndFallback(t *testing.T) {
	s, _ := openMem(t)
	s.tail.maxRecs = 3
	fillLog(t, s)
	ctx := context.Background()
	if s.tail.first != 8 || len(s.tail.recs) != 3 {
		t.Fatalf("tail holds %d records from %d, want 3 from 8", len(s.tail.recs), s.tail.first)
	}
	cs, last, err := s.ReadChanges(ctx, 2, 4, ChangeFilter{})
	if err != nil || len(cs) != 4 || cs[0].Seq != 3 || last != 6 {
		t.Fatalf("ReadChanges(2, 4) = %d records, last %d, %v; want 3..6", len(cs), last, err)
	}
	cs, last, err = s.ReadChanges(ctx, 1, 4, ChangeFilter{Origin: "r2"})
	if err != nil || len(cs) != 2 || cs[0].Seq != 3 || cs[1].Seq != 5 || last != 5 {
		t.Fatalf("ReadChanges(1, 4, r2) = %+v, last %d, %v; want seqs 3 and 5, last 5", cs, last, err)
	}
	cs, last, err = s.ReadChanges(ctx, 8, 0, ChangeFilter{})
	if err != nil || len(cs) != 2 || cs[0].Seq != 9 || last != 10 {
		t.Fatalf("ReadChanges(8) from the tail = %d records, last %d, %v", len(cs), last, err)
	}
	if cs, last, err := s.ReadChanges(ctx, 10, 0, ChangeFilter{}); err != nil || len(cs) != 0 || last != 10 {
		t.Fatalf("ReadChanges at the end = %d records, last %d, %v", len(cs), last, err)
	}
	if err := s.TrimChanges(8); err != nil {
		t.Fatal(err)
	}
	if s.tail.first != 9 || len(s.tail.recs) != 2 {
		t.Fatalf("after TrimChanges(8) the tail holds %d records from %d", len(s.tail.recs), s.tail.first)
	}
	if cs, _, err := s.ReadChanges(ctx, 0, 0, ChangeFilter{}); err != nil || len(cs) != 2 || cs[0].Seq != 9 {
		t.Fatalf("after TrimChanges(8) the log reads %d records, %v", len(cs), err)
	}
}

// TestUpdateManyWithSettings: settings written with UpdateManyWith are
// there after the call (and a reopen), also when every write is a no-op;
// ScanSettings lists them by prefix and DeleteSettings removes them.
func TestUpdateManyWithSettings(t *testing.T) {
	s, fs := openMem(t)
	mustCreate(t, s, "t", item.TypeS, 0)
	ctx := context.Background()
	it := item.Item{"pk": item.Str("a")}
	if _, err := s.UpdateManyWith(ctx, []Write{{Table: "t", Key: it, Fn: putFn(it)}},
		[]SettingWrite{{Name: "x.one", Value: []byte("1")}}); err != nil {
		t.Fatal(err)
	}
	noop := func(item.Item, Meta) (Mutation, error) { return Mutation{}, nil }
	if _, err := s.UpdateManyWith(ctx, []Write{{Table: "t", Key: it, Fn: noop}},
		[]SettingWrite{{Name: "x.two", Value: []byte("2")}, {Name: "y", Value: []byte("3")}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open("db", Options{FS: fs, Logger: quietLogger})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	scan := func() map[string]string {
		got := map[string]string{}
		if err := s.ScanSettings("x.", func(name string, v []byte) bool { got[name] = string(v); return true }); err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := scan(); len(got) != 2 || got["x.one"] != "1" || got["x.two"] != "2" {
		t.Fatalf("ScanSettings(x.) after reopen = %v", got)
	}
	if err := s.DeleteSettings(ctx, []string{"x.one"}); err != nil {
		t.Fatal(err)
	}
	if got := scan(); len(got) != 1 || got["x.two"] != "2" {
		t.Fatalf("after DeleteSettings: %v", got)
	}
	if v, err := s.Setting("y"); err != nil || string(v) != "3" {
		t.Fatalf("Setting(y) = %q, %v", v, err)
	}
}
