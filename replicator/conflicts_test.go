package replicator

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
	"github.com/concorddb/concord/streams"
)

func TestConflictRingKeepsNewest(t *testing.T) {
	var r conflictRing
	if got := r.list(); len(got) != 0 {
		t.Fatalf("empty ring lists %v", got)
	}
	base := time.Unix(1_700_000_000, 0)
	for i := range MaxConflicts + 10 {
		r.add(base.Add(time.Duration(i)*time.Second), []Conflict{{Table: fmt.Sprint(i)}})
	}
	got := r.list()
	if len(got) != MaxConflicts {
		t.Fatalf("ring holds %d, want %d", len(got), MaxConflicts)
	}
	for i, c := range got {
		if want := fmt.Sprint(MaxConflicts + 9 - i); c.Table != want {
			t.Fatalf("entry %d is %q, want %q (newest first)", i, c.Table, want)
		}
	}
	if !got[0].At.Equal(base.Add(time.Duration(MaxConflicts+9) * time.Second)) {
		t.Errorf("newest at %v", got[0].At)
	}
}

// TestApplyReportsConflicts applies remote changes directly: one older
// than a local write from another region is a conflict, a newer one is
// applied, and an older version from the same region is not a conflict.
func TestApplyReportsConflicts(t *testing.T) {
	t.Parallel()
	st, err := storage.Open("db", storage.Options{FS: vfs.NewMem()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if _, err := st.CreateTable(ctx, storage.TableDef{Name: "t", Origin: "b",
		PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeS}}); err != nil {
		t.Fatal(err)
	}
	clock := hlc.NewClock(nil, 0)
	at := func(sec int64, region string) conflict.Version {
		return conflict.Version{TS: hlc.Timestamp{Wall: 1_700_000_000_000_000_000 + sec*1e9}, Region: region}
	}
	change := func(pk string, v conflict.Version) *streams.Change {
		key := item.Item{"pk": item.Str(pk)}
		return &streams.Change{Kind: streams.KindItem, Table: "t", Origin: v.Region, Version: v.Encode(),
			Key: key, New: item.Item{"pk": item.Str(pk), "by": item.Str(v.Region)}}
	}
	// The region holds k1 and k2 at second 10, written in b.
	if _, err := Apply(ctx, st, clock, []*streams.Change{change("k1", at(10, "b")), change("k2", at(10, "b"))}); err != nil {
		t.Fatal(err)
	}
	res, err := Apply(ctx, st, clock, []*streams.Change{
		change("k1", at(5, "a")),  // older, from a: conflict
		change("k2", at(20, "a")), // newer: applied
		change("k3", at(1, "a")),  // new item: applied
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Applied != 2 || res.Discarded != 1 || len(res.Conflicts) != 1 {
		t.Fatalf("result %+v", res)
	}
	c := res.Conflicts[0]
	if c.Table != "t" || string(c.Key) != `{"pk":{"S":"k1"}}` || c.Winner != "b" || c.Loser != "a" {
		t.Errorf("conflict %+v key %s", c, c.Key)
	}
	// A redelivered or older version from the item's own region is no conflict.
	res, err = Apply(ctx, st, clock, []*streams.Change{change("k2", at(20, "a")), change("k2", at(15, "a"))})
	if err != nil {
		t.Fatal(err)
	}
	res2, err := Apply(ctx, st, clock, []*streams.Change{change("k2", at(15, "a"))})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Conflicts) != 0 || len(res2.Conflicts) != 0 || res2.Discarded != 1 {
		t.Errorf("same-region losses reported as conflicts: %+v, %+v", res, res2)
	}
}

// TestReplicatorRecordsConflicts writes one key in two regions, the later
// in b, then lets b follow a: a's version loses and b's Replicator lists it.
func TestReplicatorRecordsConflicts(t *testing.T) {
	t.Parallel()
	a, b := startRegion(t, "a", nil), startRegion(t, "b", nil)
	createTable(t, a, "t")
	createTable(t, b, "t")
	va := a.write(t, "t", "x", item.Item{"pk": item.Str("x"), "v": item.Str("a")})
	vb := b.write(t, "t", "x", item.Item{"pk": item.Str("x"), "v": item.Str("b")})
	if vb.Compare(va) <= 0 {
		t.Fatalf("b's later write got %v, not after a's %v", vb, va)
	}
	before := time.Now()
	rep := follow(t, b, a)
	eventually(t, 10*time.Second, func() error {
		cs := rep.Conflicts()
		if len(cs) == 0 {
			return fmt.Errorf("no conflict recorded; status %+v", rep.Status())
		}
		c := cs[0]
		if c.Table != "t" || string(c.Key) != `{"pk":{"S":"x"}}` || c.Winner != "b" || c.Loser != "a" || c.At.Before(before) {
			t.Fatalf("conflict %+v key %s", c, c.Key)
		}
		return nil
	})
}
