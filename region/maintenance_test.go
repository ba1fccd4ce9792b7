package region

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// TestRegionTrimMarksSurviveRestart: the change log's trim marks are kept
// in the store, so a node restarted more often than the retention window
// still trims its change log once the window has passed.
func TestRegionTrimMarksSurviveRestart(t *testing.T) {
	ctx := context.Background()
	fs := vfs.NewMem()
	open := func() *storage.Store {
		t.Helper()
		st, err := storage.Open("db", storage.Options{FS: fs, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	st := open()
	if _, err := st.CreateTable(ctx, storage.TableDef{Name: "t", Origin: "r",
		PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeS}}); err != nil {
		t.Fatal(err)
	}
	for i := range 9 {
		key := item.Item{"pk": item.Str(fmt.Sprint(i))}
		if _, err := st.Update(ctx, "t", key, func(item.Item, storage.Meta) (storage.Mutation, error) {
			return storage.Mutation{Put: key, Version: []byte{byte(i + 1)}, Origin: "r"}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if last := st.LastSeq(); last != 10 {
		t.Fatalf("change log ends at %d, want 10", last)
	}
	const keep = time.Hour
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	// step is one maintenance round in a freshly restarted node.
	step := func(at time.Time, published, wantTrim, wantFirst uint64) {
		t.Helper()
		st.Close()
		st = open()
		got, err := trimChangeLog(ctx, st, at, published, keep)
		if err != nil {
			t.Fatal(err)
		}
		first, err := st.FirstSeq()
		if err != nil {
			t.Fatal(err)
		}
		if got != wantTrim || first != wantFirst {
			t.Fatalf("at +%v: trimmed to %d, first seq %d; want %d and %d", at.Sub(t0), got, first, wantTrim, wantFirst)
		}
	}
	step(t0, 0, 0, 1) // the publisher has not reached the stream: no mark
	step(t0.Add(time.Minute), 3, 0, 1)
	step(t0.Add(30*time.Minute), 6, 0, 1)
	step(t0.Add(40*time.Minute), 6, 0, 1) // unchanged: no new mark
	step(t0.Add(61*time.Minute), 8, 3, 4)
	step(t0.Add(90*time.Minute), 8, 6, 7)
	step(t0.Add(100*time.Minute), 8, 0, 7) // the +40m round added no mark
	step(t0.Add(121*time.Minute), 10, 8, 9)
	n := 0
	if err := st.ScanSettings(trimMarkPrefix, func(string, []byte) bool { n++; return true }); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d trim marks left, want 1 (the +121m one)", n)
	}
	st.Close()
}
