package storage

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/concorddb/concord/storage/item"
)

func TestStoreChangeLog(t *testing.T) {
	s, _ := openMem(t)
	mustCreate(t, s, "t", item.TypeS, 0)
	ctx := context.Background()
	key := item.Item{"pk": item.Str("a")}
	put(t, s, "t", item.Item{"pk": item.Str("a"), "v": item.Num("1")})
	put(t, s, "t", item.Item{"pk": item.Str("a"), "v": item.Num("2")})
	if _, err := s.Update(ctx, "t", key, func(item.Item, Meta) (Mutation, error) {
		return Mutation{Delete: true, Version: []byte("vdel"), Origin: "r2"}, nil
	}); err != nil {
		t.Fatal(err)
	}
	cs, err := s.Changes(ctx, 0, 0)
	if err != nil || len(cs) != 4 {
		t.Fatalf("Changes = %d, %v (want the CreateTable and three item changes)", len(cs), err)
	}
	if cs[0].Kind != ChangeTableCreate || cs[0].Def == nil || cs[0].Def.Name != "t" || cs[0].Seq != 1 {
		t.Fatalf("first change = %+v, want the table's creation", cs[0])
	}
	cs = cs[1:]
	for i, c := range cs {
		if c.Seq != uint64(i+2) || c.Table != "t" || !item.EqualItems(c.Key, key) {
			t.Fatalf("change %d = %+v", i, c)
		}
	}
	if cs[0].Old != nil || cs[0].New["v"].S != "1" || cs[0].Origin != "r1" {
		t.Fatalf("first change %+v", cs[0])
	}
	if cs[1].Old["v"].S != "1" || cs[1].New["v"].S != "2" {
		t.Fatalf("second change %+v", cs[1])
	}
	if cs[2].Old["v"].S != "2" || cs[2].New != nil || string(cs[2].Version) != "vdel" || cs[2].Origin != "r2" {
		t.Fatalf("delete change %+v", cs[2])
	}
	if cs, _ := s.Changes(ctx, 1, 1); len(cs) != 1 || cs[0].Seq != 2 {
		t.Fatalf("Changes(1, 1) = %+v", cs)
	}
	if cs, _ := s.Changes(ctx, 4, 10); len(cs) != 0 {
		t.Fatalf("Changes past end = %+v", cs)
	}
}

// TestStoreChangeLogConcurrent checks that concurrent writers get a
// gap-free log in which each key's changes appear in commit order.
func TestStoreChangeLogConcurrent(t *testing.T) {
	s, _ := openMem(t)
	mustCreate(t, s, "t", item.TypeS, 0)
	const workers, per = 16, 30
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range per {
				it := item.Item{"pk": item.Str(fmt.Sprintf("w%d", w)), "i": item.Num(fmt.Sprint(i))}
				if _, err := s.Update(context.Background(), "t", item.Item{"pk": it["pk"]}, putFn(it)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	cs, err := s.Changes(context.Background(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	// One record for the CreateTable, then the writes.
	if len(cs) != workers*per+1 || s.LastSeq() != uint64(workers*per+1) {
		t.Fatalf("%d changes, last seq %d, want %d", len(cs), s.LastSeq(), workers*per+1)
	}
	next := map[string]int{}
	for i, c := range cs {
		if c.Seq != uint64(i+1) {
			t.Fatalf("gap: change %d has seq %d", i, c.Seq)
		}
		if c.Kind != ChangeItem {
			continue
		}
		pk := c.Key["pk"].S
		if got := c.New["i"].S; got != fmt.Sprint(next[pk]) {
			t.Fatalf("%s: change %s out of order, want %d", pk, got, next[pk])
		}
		next[pk]++
	}
}

func TestStoreWaitChanges(t *testing.T) {
	s, _ := openMem(t)
	mustCreate(t, s, "t", item.TypeS, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	after := s.LastSeq()
	done := make(chan error, 1)
	go func() { done <- s.WaitChanges(ctx, after) }()
	put(t, s, "t", item.Item{"pk": item.Str("a")})
	if err := <-done; err != nil {
		t.Fatalf("WaitChanges after a write: %v", err)
	}
	short, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if err := s.WaitChanges(short, s.LastSeq()); err != context.Canceled {
		t.Fatalf("WaitChanges with a cancelled context = %v, want context.Canceled", err)
	}
	if _, err := s.DeleteTableFrom(ctx, "t", "eu-west-1"); err != nil {
		t.Fatal(err)
	}
	cs, _ := s.Changes(ctx, s.LastSeq()-1, 0)
	if len(cs) != 1 || cs[0].Kind != ChangeTableDelete || cs[0].Origin != "eu-west-1" || cs[0].Table != "t" {
		t.Fatalf("DeleteTableFrom change = %+v", cs)
	}
}

func TestStoreChangeLogGroups(t *testing.T) {
	s, _ := openMem(t)
	mustCreate(t, s, "t", item.TypeS, 0)
	put(t, s, "t", item.Item{"pk": item.Str("solo")})
	var writes []Write
	for _, pk := range []string{"a", "b", "c"} {
		it := item.Item{"pk": item.Str(pk)}
		writes = append(writes, Write{Table: "t", Key: it, Fn: putFn(it)})
	}
	if _, err := s.UpdateMany(context.Background(), writes); err != nil {
		t.Fatal(err)
	}
	cs, err := s.Changes(context.Background(), 1, 0) // after the CreateTable
	if err != nil || len(cs) != 4 {
		t.Fatalf("Changes = %d, %v", len(cs), err)
	}
	if cs[0].Group != cs[0].Seq || cs[0].GroupSize != 1 {
		t.Fatalf("single write: group %d size %d, want its own seq and 1", cs[0].Group, cs[0].GroupSize)
	}
	for _, c := range cs[1:] {
		if c.Group != cs[1].Seq || c.GroupSize != 3 {
			t.Fatalf("UpdateMany change %d: group %d size %d, want %d and 3", c.Seq, c.Group, c.GroupSize, cs[1].Seq)
		}
	}
}

func TestStoreChangeLogCause(t *testing.T) {
	s, _ := openMem(t)
	mustCreate(t, s, "t", item.TypeS, 0)
	key := item.Item{"pk": item.Str("a")}
	put(t, s, "t", key)
	for _, trace := range [][]byte{nil, []byte("00-trace")} {
		if _, err := s.Update(context.Background(), "t", key, func(item.Item, Meta) (Mutation, error) {
			return Mutation{Delete: true, Version: []byte("v"), Cause: CauseTTL, Trace: trace}, nil
		}); err != nil {
			t.Fatal(err)
		}
		cs, err := s.Changes(context.Background(), s.LastSeq()-1, 0)
		if err != nil || len(cs) != 1 || cs[0].Cause != CauseTTL || string(cs[0].Trace) != string(trace) {
			t.Fatalf("TTL delete change = %+v, %v", cs, err)
		}
	}
	cs, _ := s.Changes(context.Background(), 1, 1)
	if cs[0].Cause != CauseRequest {
		t.Fatalf("ordinary put has cause %d", cs[0].Cause)
	}
}

// TestStoreChangeLogIncarnation: every item change carries its table's
// incarnation, with or without a cause, trace or group, and the
// definition keeps it across updates.
func TestStoreChangeLogIncarnation(t *testing.T) {
	s, _ := openMem(t)
	ctx := context.Background()
	inc := []byte("incarnation-1")
	if _, err := s.CreateTable(ctx, TableDef{Name: "t", PartitionKey: KeyAttr{Name: "pk", Type: item.TypeS}, Incarnation: inc}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateTableFrom(ctx, "t", "r", func(d *TableDef) error { d.Replicas = []string{"r"}; return nil }); err != nil {
		t.Fatal(err)
	}
	if def, _ := s.Table("t"); string(def.Incarnation) != string(inc) {
		t.Fatalf("incarnation after an update: %q", def.Incarnation)
	}
	key := item.Item{"pk": item.Str("a")}
	for _, m := range []Mutation{
		{Put: key, Version: []byte("v1")},
		{Delete: true, Version: []byte("v2"), Cause: CauseTTL, Trace: []byte("00-trace")},
	} {
		before := s.LastSeq()
		if _, err := s.Update(ctx, "t", key, func(item.Item, Meta) (Mutation, error) { return m, nil }); err != nil {
			t.Fatal(err)
		}
		cs, err := s.Changes(ctx, before, 0)
		if err != nil || len(cs) != 1 || string(cs[0].Incarnation) != string(inc) || cs[0].Cause != m.Cause || string(cs[0].Trace) != string(m.Trace) {
			t.Fatalf("change of %+v = %+v, %v", m, cs, err)
		}
	}
}
