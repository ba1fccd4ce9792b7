package table

import (
	"context"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// TestTableTTLJudgedOnWallClock: TTL expiry (reads, and writes through
// UpdateLive) and Now follow Options.Wall, not the hybrid logical clock,
// even when that clock has been moved hours ahead (here an unbounded one,
// which follows any remote timestamp).
func TestTableTTLJudgedOnWallClock(t *testing.T) {
	ctx := context.Background()
	st, err := storage.Open("/data", storage.Options{FS: vfs.NewMem(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	meta, err := (&Meta{TTLAttribute: "exp"}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	def, err := st.CreateTable(ctx, storage.TableDef{Name: "t", PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeS}, Meta: meta})
	if err != nil {
		t.Fatal(err)
	}
	wall := time.Unix(1_800_000_000, 0)
	clk := hlc.NewClock(func() int64 { return wall.UnixNano() }, 0)
	e := New(Options{Store: st, Clock: clk, Region: "us-east-1", Wall: func() time.Time { return wall }})
	clk.Update(hlc.Timestamp{Wall: wall.Add(2 * time.Hour).UnixNano()})

	if got := e.Now(); got != wall.UnixNano() {
		t.Errorf("Now = %d, want the wall clock %d", got, wall.UnixNano())
	}
	soon := item.Item{"pk": item.Str("soon"), "exp": item.Num(strconv.FormatInt(wall.Add(time.Hour).Unix(), 10))}
	past := item.Item{"pk": item.Str("past"), "exp": item.Num(strconv.FormatInt(wall.Add(-time.Second).Unix(), 10))}
	expired := e.ExpiredFunc(def)
	if expired(soon) {
		t.Error("an item due in 1h is expired once the clock moved 2h ahead")
	}
	if !expired(past) {
		t.Error("an item due 1s ago is not expired")
	}
	if _, _, err := e.Write(ctx, Write{Op: OpPut, Def: def, Key: KeyOf(def, soon), Item: soon}); err != nil {
		t.Fatal(err)
	}
	old, err := e.UpdateLive(ctx, def, KeyOf(def, soon), func(cur item.Item, _ storage.Meta) (storage.Mutation, error) {
		if cur == nil {
			t.Error("a write saw the item due in 1h as absent")
		}
		return storage.Mutation{}, nil
	})
	if err != nil || old == nil {
		t.Fatalf("UpdateLive over the item due in 1h: old %v, err %v", old, err)
	}
}
