package replicator

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/expr"
	"github.com/concorddb/concord/storage/item"
	"github.com/concorddb/concord/streams"
)

// skewMaxOffset is the test regions' maximum clock offset (the node's
// default).
const skewMaxOffset = 500 * time.Millisecond

// newSkewRegion returns a table engine over an in-memory store holding
// table "t" (pk S) with TTL on attribute exp, whose wall clock and clock
// read the fixed time wall.
func newSkewRegion(t *testing.T, wall time.Time) (*table.Engine, storage.TableDef) {
	t.Helper()
	st, err := storage.Open("db", storage.Options{FS: vfs.NewMem(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	meta, err := (&table.Meta{TTLAttribute: "exp"}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	def, err := st.CreateTable(context.Background(), storage.TableDef{Name: "t", Origin: "us-east-1",
		PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeS}, Meta: meta})
	if err != nil {
		t.Fatal(err)
	}
	clock := hlc.NewClock(func() int64 { return wall.UnixNano() }, skewMaxOffset)
	eng := table.New(table.Options{Store: st, Clock: clock, Region: "us-east-1",
		Wall: func() time.Time { return wall }, Logger: slog.New(slog.DiscardHandler)})
	return eng, def
}

// getLive reads key as GetItem does: nil when absent or expired.
func getLive(t *testing.T, eng *table.Engine, def storage.TableDef, key item.Item) item.Item {
	t.Helper()
	it, err := eng.Store().Get(context.Background(), def.Name, key)
	if err != nil {
		t.Fatal(err)
	}
	return table.HideExpired(eng.ExpiredFunc(def), it)
}

// remotePut is a replicated put of it, made by region at ts.
func remotePut(region string, ts hlc.Timestamp, it item.Item) *streams.Change {
	v := conflict.Version{TS: ts, Region: region}
	return &streams.Change{Kind: streams.KindItem, Table: "t", Origin: region, Version: v.Encode(),
		Key: item.Item{"pk": it["pk"]}, New: it, GroupSize: 1}
}

// TestReplicatorSkewedPeerDoesNotExpireItems is issue 13, item 6: a
// change from a peer whose clock runs 2 h ahead must not make this
// region's TTL judge an item due in 1 h as expired (reads hid it, and an
// UpdateItem SET n = if_not_exists(n, :z) + :one rebuilt it from its key:
// counter back to 1, other attributes gone). The change is still applied
// and counted as skewed, and the local clock stays within its bound.
func TestReplicatorSkewedPeerDoesNotExpireItems(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	wall := time.Unix(1_800_000_000, 0)
	eng, def := newSkewRegion(t, wall)
	key := item.Item{"pk": item.Str("counter")}
	exp := item.Num(strconv.FormatInt(wall.Add(time.Hour).Unix(), 10))
	if _, _, err := eng.Write(ctx, table.Write{Op: table.OpPut, Def: def, Key: key,
		Item: item.Item{"pk": item.Str("counter"), "n": item.Num("41"), "exp": exp, "note": item.Str("keep me")}}); err != nil {
		t.Fatal(err)
	}

	// A peer 2 h ahead writes another item of the table.
	ahead := hlc.Timestamp{Wall: wall.Add(2 * time.Hour).UnixNano()}
	res, err := Apply(ctx, eng.Store(), eng.Clock(), []*streams.Change{
		remotePut("eu-west-1", ahead, item.Item{"pk": item.Str("other"), "v": item.Str("from the future")})})
	if err != nil {
		t.Fatal(err)
	}
	if res.Applied != 1 || res.Skewed != 1 {
		t.Fatalf("Apply of a change 2h ahead = %+v, want applied 1 (no data dropped) and skewed 1", res)
	}
	if bound := wall.Add(skewMaxOffset).UnixNano(); eng.Clock().Last().Wall > bound {
		t.Fatalf("the clock followed the skewed peer to %+v, beyond wall + max offset %d", eng.Clock().Last(), bound)
	}

	// The item due in 1 h is still there, as GetItem sees it.
	if got := getLive(t, eng, def, key); got == nil || got["n"].S != "41" {
		t.Fatalf("GetItem after a skewed peer's change = %v, want the item with n=41 (it expires in 1h)", got)
	}
	// UpdateItem increments the existing counter, keeping the item.
	upd, err := expr.ParseUpdate("SET n = if_not_exists(n, :z) + :one",
		expr.NewParams(nil, map[string]item.Value{":z": item.Num("0"), ":one": item.Num("1")}))
	if err != nil {
		t.Fatal(err)
	}
	old, updated, err := eng.Write(ctx, table.Write{Op: table.OpUpdate, Def: def, Key: key, Update: upd})
	if err != nil {
		t.Fatal(err)
	}
	if old == nil || updated["n"].S != "42" || updated["note"].S != "keep me" || updated["exp"].S != exp.S {
		t.Fatalf("UpdateItem SET n = if_not_exists(n, :z) + :one: old %v, new %v; want the counter at 42 and the other attributes kept", old, updated)
	}

	// The replicated item is there, and a local write over it still wins
	// (a version just after the peer's), without dragging the clock.
	if got := getLive(t, eng, def, item.Item{"pk": item.Str("other")}); got == nil {
		t.Fatal("the skewed peer's item was not applied")
	}
	req := &table.Request{}
	if _, _, err := eng.Write(table.WithRequest(ctx, req), table.Write{Op: table.OpPut, Def: def,
		Key: item.Item{"pk": item.Str("other")}, Item: item.Item{"pk": item.Str("other"), "v": item.Str("local")}}); err != nil {
		t.Fatal(err)
	}
	if peer := (conflict.Version{TS: ahead, Region: "eu-west-1"}); req.Version.Compare(peer) <= 0 {
		t.Fatalf("local write over the peer's version %v got %v, not greater", peer, req.Version)
	}
	if bound := wall.Add(skewMaxOffset).UnixNano(); eng.Clock().Last().Wall > bound {
		t.Fatalf("a local write over the skewed item dragged the clock to %+v, beyond %d", eng.Clock().Last(), bound)
	}
}

// TestReplicatorMaximalTimestampDoesNotWrapClock is issue 13, item 6's
// last case: a change carrying the maximal timestamp is applied as data,
// but does not wrap this region's clock (which made every later local
// version undecodable, so peers rejected them). A local write over that
// item has no greater version: ErrVersionExhausted.
func TestReplicatorMaximalTimestampDoesNotWrapClock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	wall := time.Unix(1_800_000_000, 0)
	eng, def := newSkewRegion(t, wall)
	before := eng.Clock().Now()
	res, err := Apply(ctx, eng.Store(), eng.Clock(), []*streams.Change{
		remotePut("eu-west-1", hlc.MaxTimestamp, item.Item{"pk": item.Str("max")})})
	if err != nil {
		t.Fatal(err)
	}
	if res.Applied != 1 || res.Skewed != 1 {
		t.Fatalf("Apply of the maximal timestamp = %+v, want applied 1 and skewed 1", res)
	}
	if after := eng.Clock().Now(); !before.Less(after) || after.Wall > wall.Add(skewMaxOffset).UnixNano() {
		t.Fatalf("clock read %+v before the maximal timestamp arrived and %+v after: want later, within wall + max offset", before, after)
	}
	req := &table.Request{}
	if _, _, err := eng.Write(table.WithRequest(ctx, req), table.Write{Op: table.OpPut, Def: def,
		Key: item.Item{"pk": item.Str("fresh")}, Item: item.Item{"pk": item.Str("fresh")}}); err != nil {
		t.Fatal(err)
	}
	v := req.Version
	if v.TS.Wall < wall.UnixNano() || v.TS.Wall > wall.Add(skewMaxOffset).UnixNano() {
		t.Fatalf("a local write after the maximal timestamp got version %v, want one within the clock bound", v)
	}
	if _, err := conflict.DecodeVersion(v.Encode()); err != nil {
		t.Fatalf("the local version %v does not decode (peers would reject it): %v", v, err)
	}
	_, _, err = eng.Write(ctx, table.Write{Op: table.OpPut, Def: def,
		Key: item.Item{"pk": item.Str("max")}, Item: item.Item{"pk": item.Str("max"), "v": item.Str("local")}})
	if !errors.Is(err, conflict.ErrVersionExhausted) {
		t.Fatalf("a local write over the maximal version: err = %v, want ErrVersionExhausted", err)
	}
}
