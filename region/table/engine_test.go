package table

import (
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/storage"
)

// newMemEngine returns an engine of region us-east-1 over an empty
// in-memory store, with a manual clock starting at start (Unix
// nanoseconds) that advances 1 µs a reading; the wall clock reads the
// same time without advancing it.
func newMemEngine(t *testing.T, start int64) *Engine {
	t.Helper()
	st, err := storage.Open("/data", storage.Options{FS: vfs.NewMem(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	var now atomic.Int64
	now.Store(start)
	clk := hlc.NewClock(func() int64 { return now.Add(1000) }, 0)
	wall := func() time.Time { return time.Unix(0, now.Load()) }
	return New(Options{Store: st, Clock: clk, Wall: wall, Region: "us-east-1", Logger: slog.New(slog.DiscardHandler)})
}
