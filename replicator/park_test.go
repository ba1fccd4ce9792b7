package replicator

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
	"github.com/concorddb/concord/streams"
)

// parkStore returns an empty store and a clock, for ApplyIn.
func parkStore(t *testing.T) (*storage.Store, *hlc.Clock) {
	t.Helper()
	st, err := storage.Open("db", storage.Options{FS: vfs.NewMem(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st, hlc.NewClock(nil, 0)
}

func createChange(t *testing.T, name, origin string, replicas ...string) *streams.Change {
	t.Helper()
	def, err := json.Marshal(storage.TableDef{Name: name, PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeS},
		Origin: origin, Replicas: replicas})
	if err != nil {
		t.Fatal(err)
	}
	return &streams.Change{Kind: streams.KindTable, Table: name, Origin: origin, Def: def, GroupSize: 1}
}

func itemChange(name, origin, pk string, wall int64, seq uint64) *streams.Change {
	v := conflict.Version{Region: origin}
	v.TS.Wall = wall
	return &streams.Change{Kind: streams.KindItem, Seq: seq, Table: name, Origin: origin, Version: v.Encode(),
		Key: item.Item{"pk": item.Str(pk)}, New: item.Item{"pk": item.Str(pk), "from": item.Str(origin)}, GroupSize: 1}
}

// TestReplicatorParksChangesForUnknownTables: a change for a table this
// region has not heard of yet is parked, not skipped, and applied when
// the table's creation arrives (issue 13, case 1).
func TestReplicatorParksChangesForUnknownTables(t *testing.T) {
	st, clock := parkStore(t)
	ctx := context.Background()
	res, err := ApplyIn(ctx, st, clock, "c", []*streams.Change{itemChange("t", "a", "x", 100, 1)})
	if err != nil || res.Parked != 1 || res.Skipped != 0 {
		t.Fatalf("unknown table: %+v, %v", res, err)
	}
	if p, _ := Parked(st); p["t"] != 1 {
		t.Fatalf("parked = %v", p)
	}
	res, err = ApplyIn(ctx, st, clock, "c", []*streams.Change{createChange(t, "t", "b")})
	if err != nil || res.Unparked != 1 || res.Applied != 2 {
		t.Fatalf("create: %+v, %v", res, err)
	}
	if got, _ := st.Get(ctx, "t", item.Item{"pk": item.Str("x")}); got["from"].S != "a" {
		t.Fatalf("the parked write did not land: %v", got)
	}
	if p, _ := Parked(st); len(p) != 0 {
		t.Fatalf("still parked: %v", p)
	}
}

// TestReplicatorDropsParkedChangesOfForeignTables: once a definition
// shows a table is not this region's, its parked changes are dropped and
// later ones discarded, so nothing piles up; its next creation decides
// again.
func TestReplicatorDropsParkedChangesOfForeignTables(t *testing.T) {
	st, clock := parkStore(t)
	ctx := context.Background()
	if _, err := ApplyIn(ctx, st, clock, "c", []*streams.Change{itemChange("t", "a", "x", 100, 1)}); err != nil {
		t.Fatal(err)
	}
	res, err := ApplyIn(ctx, st, clock, "c", []*streams.Change{createChange(t, "t", "b", "a", "b")})
	if err != nil || res.Discarded != 1 {
		t.Fatalf("foreign create: %+v, %v", res, err)
	}
	if p, _ := Parked(st); len(p) != 0 {
		t.Fatalf("parked changes of a foreign table kept: %v", p)
	}
	res, err = ApplyIn(ctx, st, clock, "c", []*streams.Change{itemChange("t", "a", "y", 200, 2)})
	if err != nil || res.Discarded != 1 || res.Parked != 0 {
		t.Fatalf("change for a foreign table: %+v, %v", res, err)
	}
	// Deleted, then created again with this region: changes park again
	// and land.
	del := &streams.Change{Kind: streams.KindTableDelete, Table: "t", Origin: "b", GroupSize: 1}
	if _, err := ApplyIn(ctx, st, clock, "c", []*streams.Change{del, itemChange("t", "a", "z", 300, 3)}); err != nil {
		t.Fatal(err)
	}
	res, err = ApplyIn(ctx, st, clock, "c", []*streams.Change{createChange(t, "t", "b")})
	if err != nil || res.Unparked != 1 {
		t.Fatalf("re-create: %+v, %v", res, err)
	}
	if got, _ := st.Get(ctx, "t", item.Item{"pk": item.Str("z")}); got == nil {
		t.Fatal("the write to the re-created table did not land")
	}
}
