package replicator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
	"github.com/concorddb/concord/streams"
	"github.com/nats-io/nats.go"
)

// addReplica adds region to table's replica set in r, as an UpdateTable
// there would.
func addReplica(t *testing.T, r *region, table string, replicas ...string) {
	t.Helper()
	if _, err := r.store.UpdateTableFrom(context.Background(), table, r.name, func(d *storage.TableDef) error {
		d.Replicas = replicas
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// backfilled waits until r's copy of table has no backfill mark.
func backfilled(r *region, table string) func() error {
	return func() error {
		def, err := r.store.Table(table)
		if err != nil || def.BackfillFrom != "" {
			return fmt.Errorf("%s's table %q: BackfillFrom %q, %v", r.name, table, def.BackfillFrom, err)
		}
		return nil
	}
}

// markedForBackfill creates table in r as a replica added to a table held
// in from, waiting for its backfill.
func markedForBackfill(t *testing.T, r *region, table, from string) {
	t.Helper()
	if _, err := r.store.CreateTable(context.Background(), storage.TableDef{Name: table, Origin: from,
		Replicas: []string{from, r.name}, BackfillFrom: from,
		PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeS}}); err != nil {
		t.Fatal(err)
	}
}

// TestReplicatorBackfillOfTableDeletedAtSource (issue 13, case 5a): b was
// added to table gone, but its source a no longer holds it. The source
// says so with a code, so b ends that backfill (the mark is cleared,
// counted as abandoned) instead of retrying it forever, and goes on with
// a's other tables: kept is backfilled and live is replicated.
func TestReplicatorBackfillOfTableDeletedAtSource(t *testing.T) {
	t.Parallel()
	a, b := startRegion(t, "a", nil), startRegion(t, "b", nil)
	createTable(t, a, "kept")
	a.write(t, "kept", "k", item.Item{"pk": item.Str("k")})
	markedForBackfill(t, b, "gone", "a")
	markedForBackfill(t, b, "kept", "a")
	rb := follow(t, b, a)
	createTable(t, a, "live")
	a.write(t, "live", "x", item.Item{"pk": item.Str("x")})
	eventually(t, 10*time.Second, converged("kept", a, b))
	eventually(t, 10*time.Second, converged("live", a, b))
	eventually(t, 10*time.Second, backfilled(b, "gone"))
	eventually(t, 10*time.Second, backfilled(b, "kept"))
	if st := rb.Status().Backfill; st.Abandoned != 1 || st.Completed != 1 || st.Failed != 0 || st.Waiting != 0 {
		t.Fatalf("backfill status %+v, want 1 abandoned, 1 completed", st)
	}
}

// TestReplicatorBackfillFailureIsRetriedWithoutStoppingTheLink: a source
// that answers a backfill with an error does not stop the link: the
// stream's other changes keep arriving, the table waits with its mark, and
// its backfill is retried until the source serves it.
func TestReplicatorBackfillFailureIsRetriedWithoutStoppingTheLink(t *testing.T) {
	t.Parallel()
	a, b := startRegion(t, "a", nil), startRegion(t, "b", nil)
	createTable(t, a, "t")
	a.write(t, "t", "k", item.Item{"pk": item.Str("k")})
	// a's backfill service fails every request for now.
	if err := a.backfill.Close(); err != nil {
		t.Fatal(err)
	}
	nc := a.js.Conn()
	failing, err := nc.Subscribe(streams.BackfillSubject("a"), func(m *nats.Msg) {
		reply := nats.NewMsg(m.Reply)
		reply.Header.Set(streams.HeaderBackfillCode, streams.BackfillCodeInternal)
		reply.Header.Set(streams.HeaderBackfillError, "disk on fire")
		_ = m.RespondMsg(reply)
	})
	if err != nil {
		t.Fatal(err)
	}
	markedForBackfill(t, b, "t", "a")
	rb := follow(t, b, a)
	createTable(t, a, "live")
	a.write(t, "live", "x", item.Item{"pk": item.Str("x")})
	eventually(t, 10*time.Second, converged("live", a, b))
	eventually(t, 10*time.Second, func() error {
		if st := rb.Status().Backfill; st.Failed == 0 || st.Waiting != 1 {
			return fmt.Errorf("backfill status %+v, want a failure and a table waiting", st)
		}
		return nil
	})
	if err := backfilled(b, "t")(); err == nil {
		t.Fatal("failed backfill cleared its mark")
	}
	// The source recovers: the retry copies the table.
	if err := failing.Unsubscribe(); err != nil {
		t.Fatal(err)
	}
	if a.backfill, err = streams.ServeBackfill(nc, "a", a.store, slog.Default()); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, converged("t", a, b))
	eventually(t, 10*time.Second, backfilled(b, "t"))
	if st := rb.Status().Backfill; st.Completed != 1 || st.Waiting != 0 {
		t.Fatalf("backfill status %+v, want 1 completed, none waiting", st)
	}
}

// TestReplicatorBackfillKeepsDeletes (issue 13, case 2b): a deletes x; b
// is added to the table and backfills from a; then an older put of x from
// a third region c arrives at b. The backfill copied x's tombstone, so the
// put loses in b as it does in a, and x stays deleted.
func TestReplicatorBackfillKeepsDeletes(t *testing.T) {
	t.Parallel()
	a, b := startRegion(t, "a", nil), startRegion(t, "b", nil)
	rb := follow(t, b, a)
	ctx := context.Background()
	if _, err := a.store.CreateTable(ctx, storage.TableDef{Name: "t", Origin: "a", Replicas: []string{"a", "c"},
		PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeS}}); err != nil {
		t.Fatal(err)
	}
	a.write(t, "t", "x", item.Item{"pk": item.Str("x")})
	del := a.write(t, "t", "x", nil)
	a.write(t, "t", "y", item.Item{"pk": item.Str("y")})
	// c's put of x, written before it saw a's delete: older than it.
	old := conflict.Version{TS: hlc.Timestamp{Wall: del.TS.Wall - 1}, Region: "c"}
	put := &streams.Change{Kind: streams.KindItem, Table: "t", Origin: "c", Version: old.Encode(), GroupSize: 1,
		Key: item.Item{"pk": item.Str("x")}, New: item.Item{"pk": item.Str("x"), "from": item.Str("c")}}
	// In a, the replica that saw the delete, the put loses.
	if res, err := ApplyIn(ctx, a.store, a.clock, "a", []*streams.Change{put}); err != nil || res.Discarded != 1 {
		t.Fatalf("a applies c's older put: %+v, %v", res, err)
	}
	addReplica(t, a, "t", "a", "b", "c")
	// b copies from every other replica: from a here (c is not linked in
	// this test, so its copy stays pending).
	eventually(t, 10*time.Second, func() error {
		def, err := b.store.Table("t")
		if err != nil || def.BackfillFrom != "c" {
			return fmt.Errorf("b's table t: BackfillFrom %q, %v; want only c's copy pending", def.BackfillFrom, err)
		}
		return nil
	})
	eventually(t, 10*time.Second, converged("t", a, b))
	res, err := ApplyIn(ctx, b.store, b.clock, "b", []*streams.Change{put})
	if err != nil {
		t.Fatal(err)
	}
	if it, err := b.store.Get(ctx, "t", item.Item{"pk": item.Str("x")}); err != nil || it != nil {
		t.Fatalf("x in b after c's older put: %v, %v (apply %+v)", it, err, res)
	}
	if res.Discarded != 1 {
		t.Fatalf("b applies c's older put: %+v, want it discarded", res)
	}
	eventually(t, 10*time.Second, converged("t", a, b))
	if st := rb.Status().Backfill; st.Completed != 1 {
		t.Fatalf("backfill status %+v", st)
	}
}

// TestReplicatorBackfillsLargeItems (issue 13, case 5c): items of many
// small numbers encode to about twice their DynamoDB size, so two of
// them exceed NATS's 1 MiB payload. The backfill bounds its pages by
// their encoded size and copies them all.
func TestReplicatorBackfillsLargeItems(t *testing.T) {
	t.Parallel()
	a, b := startRegion(t, "a", nil), startRegion(t, "b", nil)
	follow(t, b, a)
	ctx := context.Background()
	if _, err := a.store.CreateTable(ctx, storage.TableDef{Name: "t", Origin: "a", Replicas: []string{"a"},
		PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeS}}); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		pk := fmt.Sprint("big", i)
		it := item.Item{"pk": item.Str(pk)}
		l := make([]item.Value, (item.MaxItemSize-64)/3) // "1000" in a list: 3 bytes counted, 6 encoded
		for j := range l {
			l[j] = item.Num("1000")
		}
		it["l"] = item.Value{Type: item.TypeL, L: l}
		if it.Size() > item.MaxItemSize {
			t.Fatalf("item of %d bytes", it.Size())
		}
		a.write(t, "t", pk, it)
	}
	addReplica(t, a, "t", "a", "b")
	eventually(t, 30*time.Second, converged("t", a, b))
	eventually(t, 10*time.Second, backfilled(b, "t"))
	if st, err := b.store.Stats("t"); err != nil || st.ItemCount != 3 {
		t.Fatalf("b: %+v, %v", st, err)
	}
	if _, err := b.store.Table("t"); errors.Is(err, storage.ErrTableNotFound) {
		t.Fatal("b lost the table")
	}
}

// TestReplicatorReplicaAddCopiesFromEveryReplica is issue 13's case 2a: a
// write that a new replica discarded before it held the table (it knew
// the table was not its own), and that the replica adding it had not
// applied yet, was never copied. The new replica copies from every
// replica, so it gets it from the one that accepted it.
func TestReplicatorReplicaAddCopiesFromEveryReplica(t *testing.T) {
	t.Parallel()
	a, b, c := startRegion(t, "a", nil), startRegion(t, "b", nil), startRegion(t, "c", nil)
	ctx := context.Background()
	if _, err := a.store.CreateTable(ctx, storage.TableDef{Name: "t", Origin: "a", Replicas: []string{"a", "b"},
		PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeS}}); err != nil {
		t.Fatal(err)
	}
	// b follows a until it holds the table, then is cut off from a.
	bctx, bcancel := context.WithCancel(ctx)
	rb := New(Options{Store: b.store, Clock: b.clock, Region: "b", Source: "a", JS: connect(t, a.ns), Retry: 20 * time.Millisecond})
	bdone := make(chan struct{})
	go func() { defer close(bdone); _ = rb.Run(bctx) }()
	eventually(t, 10*time.Second, func() error { _, err := b.store.Table("t"); return err })
	bcancel()
	<-bdone
	// c follows a and learns the table is not its own; a's write w reaches
	// c, which discards it, and not b.
	rca := follow(t, c, a)
	a.write(t, "t", "w", item.Item{"pk": item.Str("w")})
	eventually(t, 10*time.Second, func() error {
		if st := rca.Status(); st.Discarded < 2 {
			return fmt.Errorf("c discarded %d changes of a's, want the CreateTable and w", st.Discarded)
		}
		return nil
	})
	// b adds c; c creates its replica from b's change and copies from a
	// and b.
	follow(t, c, b)
	addReplica(t, b, "t", "a", "b", "c")
	eventually(t, 10*time.Second, backfilled(c, "t"))
	if got, err := c.store.Get(ctx, "t", item.Item{"pk": item.Str("w")}); err != nil || got == nil {
		t.Fatalf("c lacks w, which a accepted before c was added: %v, %v", got, err)
	}
}
