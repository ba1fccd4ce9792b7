package replicator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
	"github.com/concorddb/concord/streams"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// region is one in-process region for tests: a store on an in-memory
// filesystem, a clock, an embedded NATS server with JetStream, and a
// publisher.
type region struct {
	name  string
	store *storage.Store
	clock *hlc.Clock
	ns    *server.Server
	js    jetstream.JetStream
	// backfill answers the other regions' backfill requests.
	backfill *streams.BackfillServer
}

func startRegion(t *testing.T, name string, physical func() int64) *region {
	t.Helper()
	st, err := storage.Open("db", storage.Options{FS: vfs.NewMem()})
	if err != nil {
		t.Fatal(err)
	}
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true,
		StoreDir: t.TempDir(), NoSigs: true, NoLog: true, ServerName: name})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats not ready")
	}
	r := &region{name: name, store: st, clock: hlc.NewClock(physical, time.Second), ns: ns}
	r.js = connect(t, ns)
	sub, err := streams.ServeBackfill(r.js.Conn(), name, st, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	r.backfill = sub
	t.Cleanup(func() { _ = r.backfill.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	pub := streams.NewPublisher(streams.PublisherOptions{Log: streams.StoreLog(st), JS: r.js, Region: name})
	done := make(chan struct{})
	go func() { defer close(done); _ = pub.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		ns.Shutdown()
		ns.WaitForShutdown()
		_ = st.Close()
	})
	return r
}

func connect(t *testing.T, ns *server.Server) jetstream.JetStream {
	t.Helper()
	nc, err := nats.Connect(ns.ClientURL(), nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// follow starts a Replicator in dst consuming src's stream; tweak may
// change its options.
func follow(t *testing.T, dst, src *region, tweak ...func(*Options)) *Replicator {
	t.Helper()
	opts := Options{Store: dst.store, Clock: dst.clock, Region: dst.name, Source: src.name,
		JS: connect(t, src.ns), Retry: 20 * time.Millisecond}
	for _, f := range tweak {
		f(&opts)
	}
	rep := New(opts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = rep.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return rep
}

// write puts (or deletes, when it is nil) an item in r as a local write.
func (r *region) write(t *testing.T, table, pk string, it item.Item) conflict.Version {
	t.Helper()
	var v conflict.Version
	_, err := r.store.Update(context.Background(), table, item.Item{"pk": item.Str(pk)},
		func(_ item.Item, meta storage.Meta) (storage.Mutation, error) {
			var err error
			if v, err = conflict.NextLocal(r.clock, r.name, meta.Version); err != nil {
				return storage.Mutation{}, err
			}
			if it == nil {
				return storage.Mutation{Delete: true, Version: v.Encode(), Origin: r.name}, nil
			}
			return storage.Mutation{Put: it, Version: v.Encode(), Origin: r.name}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// writeMany puts its (each keyed by "pk") in one commit, as a batch write
// or transaction in r would.
func (r *region) writeMany(t *testing.T, table string, its []item.Item) {
	t.Helper()
	var writes []storage.Write
	for _, it := range its {
		writes = append(writes, storage.Write{Table: table, Key: item.Item{"pk": it["pk"]},
			Fn: func(_ item.Item, meta storage.Meta) (storage.Mutation, error) {
				v, err := conflict.NextLocal(r.clock, r.name, meta.Version)
				return storage.Mutation{Put: it, Version: v.Encode(), Origin: r.name}, err
			}})
	}
	if _, err := r.store.UpdateMany(context.Background(), writes); err != nil {
		t.Fatal(err)
	}
}

func eventually(t *testing.T, d time.Duration, f func() error) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not met after %v: %v", d, err)
		}
		time.Sleep(5 * time.Millisecond) // polling interval, not synchronisation
	}
}

func converged(table string, rs ...*region) func() error {
	return func() error {
		first, err := rs[0].store.Stats(table)
		if err != nil {
			return fmt.Errorf("%s: %w", rs[0].name, err)
		}
		for _, r := range rs[1:] {
			st, err := r.store.Stats(table)
			if err != nil {
				return fmt.Errorf("%s: %w", r.name, err)
			}
			if st != first {
				return fmt.Errorf("%s %+v != %s %+v", rs[0].name, first, r.name, st)
			}
		}
		return nil
	}
}

func createTable(t *testing.T, r *region, name string) {
	t.Helper()
	_, err := r.store.CreateTable(context.Background(), storage.TableDef{Name: name, Origin: r.name,
		PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeS}})
	if err != nil {
		t.Fatal(err)
	}
}

func TestReplicatorTableAndItemsConverge(t *testing.T) {
	t.Parallel()
	a, b := startRegion(t, "a", nil), startRegion(t, "b", nil)
	follow(t, b, a)
	follow(t, a, b)
	createTable(t, a, "t")
	eventually(t, 10*time.Second, func() error { _, err := b.store.Table("t"); return err })
	for i := 0; i < 50; i++ {
		a.write(t, "t", fmt.Sprint("a", i), item.Item{"pk": item.Str(fmt.Sprint("a", i)), "n": item.Num(fmt.Sprint(i))})
		b.write(t, "t", fmt.Sprint("b", i), item.Item{"pk": item.Str(fmt.Sprint("b", i))})
	}
	a.write(t, "t", "a7", nil) // a delete replicates as a tombstone
	eventually(t, 10*time.Second, converged("t", a, b))
	st, _ := b.store.Stats("t")
	if st.ItemCount != 99 {
		t.Fatalf("item count %d, want 99", st.ItemCount)
	}
	if _, err := b.store.DeleteTableFrom(context.Background(), "t", "b"); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, func() error {
		if _, err := a.store.Table("t"); !errors.Is(err, storage.ErrTableNotFound) {
			return fmt.Errorf("table still in a: %v", err)
		}
		return nil
	})
}

// TestReplicatorConflictsResolveToHighestVersion writes the same keys in
// both regions, partitioned, and checks that after delivery both hold the
// value of the highest version.
func TestReplicatorConflictsResolveToHighestVersion(t *testing.T) {
	t.Parallel()
	a, b := startRegion(t, "a", nil), startRegion(t, "b", nil)
	createTable(t, a, "t")
	createTable(t, b, "t") // both sides know the table; the later create is a no-op
	want := map[string]conflict.Version{}
	val := map[string]string{}
	for i := 0; i < 20; i++ {
		pk := fmt.Sprint("k", i%5)
		for _, r := range []*region{a, b} {
			v := r.write(t, "t", pk, item.Item{"pk": item.Str(pk), "by": item.Str(r.name + fmt.Sprint(i))})
			if w, ok := want[pk]; !ok || v.Compare(w) > 0 {
				want[pk], val[pk] = v, r.name+fmt.Sprint(i)
			}
		}
	}
	follow(t, b, a)
	follow(t, a, b)
	eventually(t, 10*time.Second, converged("t", a, b))
	for pk, by := range val {
		for _, r := range []*region{a, b} {
			got, err := r.store.Get(context.Background(), "t", item.Item{"pk": item.Str(pk)})
			if err != nil || got["by"].S != by {
				t.Fatalf("%s: %s holds %v, want by=%s", r.name, pk, got, by)
			}
		}
	}
}

// TestReplicatorSkewedClockStillLoses checks decision 4: region a's clock
// runs five minutes behind, yet its write made after reading b's value
// wins everywhere.
func TestReplicatorSkewedClockStillLoses(t *testing.T) {
	t.Parallel()
	behind := func() int64 { return time.Now().Add(-5 * time.Minute).UnixNano() }
	a, b := startRegion(t, "a", behind), startRegion(t, "b", nil)
	follow(t, b, a)
	rb := follow(t, a, b)
	createTable(t, b, "t")
	vb := b.write(t, "t", "x", item.Item{"pk": item.Str("x"), "v": item.Str("from-b")})
	eventually(t, 10*time.Second, func() error {
		it, err := a.store.Get(context.Background(), "t", item.Item{"pk": item.Str("x")})
		if err != nil || it == nil {
			return fmt.Errorf("not yet in a: %v", err)
		}
		return nil
	})
	va := a.write(t, "t", "x", item.Item{"pk": item.Str("x"), "v": item.Str("from-a")})
	if va.Compare(vb) <= 0 {
		t.Fatalf("a's later write got %v, not after b's %v", va, vb)
	}
	eventually(t, 10*time.Second, converged("t", a, b))
	got, _ := b.store.Get(context.Background(), "t", item.Item{"pk": item.Str("x")})
	if got["v"].S != "from-a" {
		t.Fatalf("b holds %v, want a's later write", got)
	}
	if st := rb.Status(); st.Applied == 0 {
		t.Fatalf("status %+v: nothing applied", st)
	}
}

// TestReplicatorApplyIsIdempotentAndOrderInsensitive delivers the same
// changes reversed and twice to a fresh store.
func TestReplicatorApplyIsIdempotentAndOrderInsensitive(t *testing.T) {
	t.Parallel()
	src := startRegion(t, "a", nil)
	createTable(t, src, "t")
	for i := 0; i < 30; i++ {
		pk := fmt.Sprint("k", i%7)
		if i%5 == 4 {
			src.write(t, "t", pk, nil)
			continue
		}
		src.write(t, "t", pk, item.Item{"pk": item.Str(pk), "i": item.Num(fmt.Sprint(i))})
	}
	recs, _, err := streams.StoreLog(src.store).Changes(context.Background(), 0, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	var changes []*streams.Change
	for i := range recs {
		changes = append(changes, &recs[i])
	}
	for _, order := range []string{"forward", "reversed-twice"} {
		dst, err := storage.Open("db", storage.Options{FS: vfs.NewMem()})
		if err != nil {
			t.Fatal(err)
		}
		clock := hlc.NewClock(nil, 0)
		ctx := context.Background()
		if _, err := Apply(ctx, dst, clock, changes[:1]); err != nil { // the CreateTable
			t.Fatal(err)
		}
		items := changes[1:]
		if order == "reversed-twice" {
			for i := len(items) - 1; i >= 0; i-- {
				for range 2 {
					if _, err := Apply(ctx, dst, clock, items[i:i+1]); err != nil {
						t.Fatal(err)
					}
				}
			}
		} else if _, err := Apply(ctx, dst, clock, items); err != nil {
			t.Fatal(err)
		}
		want, _ := src.store.Stats("t")
		got, _ := dst.Stats("t")
		if got != want {
			t.Fatalf("%s: stats %+v, want %+v", order, got, want)
		}
		_ = dst.Close()
	}
}

// TestReplicatorReplicaAddBackfillsAndRemoveDrops adds region b to a table
// that already holds data in a: b creates the table, copies the existing
// items while new writes keep flowing, and converges; removing b from the
// replica set drops b's copy.
func TestReplicatorReplicaAddBackfillsAndRemoveDrops(t *testing.T) {
	t.Parallel()
	a, b := startRegion(t, "a", nil), startRegion(t, "b", nil)
	rb := follow(t, b, a)
	follow(t, a, b)
	ctx := context.Background()
	if _, err := a.store.CreateTable(ctx, storage.TableDef{Name: "t", Origin: "a", Replicas: []string{"a"},
		PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeS}}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 1200; i++ { // more than two backfill pages
		a.write(t, "t", fmt.Sprint("k", i), item.Item{"pk": item.Str(fmt.Sprint("k", i)), "i": item.Num(fmt.Sprint(i))})
	}
	// Wait until b has consumed a's stream up to here: the table must
	// still be absent in b, which is not a replica.
	eventually(t, 10*time.Second, func() error {
		st := rb.Status()
		if seen := st.Applied + st.Discarded + st.Skipped; seen < 1201 {
			return fmt.Errorf("b has seen %d of a's 1201 changes", seen)
		}
		if st.Applied != 0 {
			return fmt.Errorf("b applied %d changes of a table it does not replicate", st.Applied)
		}
		return nil
	})
	if _, err := b.store.Table("t"); !errors.Is(err, storage.ErrTableNotFound) {
		t.Fatalf("b holds the table before being added: %v", err)
	}
	if _, err := a.store.UpdateTableFrom(ctx, "t", "a", func(d *storage.TableDef) error {
		d.Replicas = []string{"a", "b"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ { // writes continue during the backfill
		a.write(t, "t", fmt.Sprint("k", i), item.Item{"pk": item.Str(fmt.Sprint("k", i)), "i": item.Str("new")})
	}
	eventually(t, 20*time.Second, converged("t", a, b))
	// The backfill marks itself done after its last batch is applied, so
	// the items can converge a moment before the mark is cleared.
	eventually(t, 10*time.Second, func() error {
		def, err := b.store.Table("t")
		if err != nil || def.BackfillFrom != "" {
			return fmt.Errorf("b's table after backfill: %+v, %v", def, err)
		}
		return nil
	})
	if st, _ := b.store.Stats("t"); st.ItemCount != 1200 {
		t.Fatalf("b holds %d items, want 1200", st.ItemCount)
	}
	if st := rb.Status().Backfill; st.Completed != 1 || st.Failed != 0 {
		t.Fatalf("backfill status %+v, want 1 completed", st)
	}
	if _, err := a.store.UpdateTableFrom(ctx, "t", "a", func(d *storage.TableDef) error {
		d.Replicas = []string{"a"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, func() error {
		if _, err := b.store.Table("t"); !errors.Is(err, storage.ErrTableNotFound) {
			return fmt.Errorf("b still holds the table: %v", err)
		}
		return nil
	})
	if _, err := a.store.Table("t"); err != nil {
		t.Fatalf("a lost its own copy: %v", err)
	}
}

// TestReplicatorResumesFromAckFloor: a previous run took messages and died
// before applying them (delivered past the ack floor). The next run must
// get them again at once, not after the 30 s AckWait, and never skip them.
func TestReplicatorResumesFromAckFloor(t *testing.T) {
	t.Parallel()
	a, b := startRegion(t, "a", nil), startRegion(t, "b", nil)
	createTable(t, a, "t")
	createTable(t, b, "t")
	ctx := context.Background()
	js := connect(t, a.ns)
	// published waits until a's stream holds its whole change log.
	published := func() {
		t.Helper()
		eventually(t, 10*time.Second, func() error {
			st, err := js.Stream(ctx, streams.StreamName("a"))
			if err != nil {
				return err
			}
			m, err := st.GetLastMsgForSubject(ctx, streams.Subject("a"))
			if err != nil {
				return err
			}
			if got, want := m.Header.Get(streams.HeaderSeq), fmt.Sprint(a.store.LastSeq()); got != want {
				return fmt.Errorf("stream holds changes up to %s of %s", got, want)
			}
			return nil
		})
	}
	published() // the CreateTable, alone in the first message
	for i := 0; i < 50; i++ {
		a.write(t, "t", fmt.Sprint("k", i), item.Item{"pk": item.Str(fmt.Sprint("k", i))})
	}
	published()
	cons, err := js.CreateConsumer(ctx, streams.StreamName("a"), jetstream.ConsumerConfig{
		Durable: ConsumerName("b"), AckPolicy: jetstream.AckAllPolicy, AckWait: 30 * time.Second,
		FilterSubject: streams.Subject("a")})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := cons.Fetch(20, jetstream.FetchMaxWait(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for m := range batch.Messages() {
		got++
		if got == 1 {
			_ = m.Ack() // acks the CreateTable, which b holds; the rest are delivered, never applied
		}
	}
	if got < 2 {
		t.Fatalf("fetched %d messages, want the CreateTable and at least one of items", got)
	}
	follow(t, b, a)
	eventually(t, 10*time.Second, converged("t", a, b))
}

// TestReplicatorGroupsApplyAtomically: a commit of several writes in the
// origin (a batch write or transaction) is applied in one commit in every
// other region, so a reader there never sees part of it.
func TestReplicatorGroupsApplyAtomically(t *testing.T) {
	t.Parallel()
	a, b := startRegion(t, "a", nil), startRegion(t, "b", nil)
	createTable(t, a, "t")
	createTable(t, b, "t")
	rep := New(Options{Store: b.store, Clock: b.clock, Region: "b", Source: "a", JS: connect(t, a.ns),
		Retry: 20 * time.Millisecond, Batch: 7}) // a small batch, so groups straddle batches
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = rep.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	const keys, rounds = 10, 60
	stop := make(chan struct{})
	torn := make(chan string, 1)
	go func() { // a reader in b: one Scan is one consistent snapshot
		for {
			select {
			case <-stop:
				close(torn)
				return
			default:
			}
			seen := map[string]bool{}
			_ = b.store.Scan(context.Background(), "t", storage.Scan{}, func(it item.Item) bool {
				seen[it["round"].S] = true
				return true
			})
			if len(seen) > 1 {
				torn <- fmt.Sprint(seen)
				return
			}
		}
	}()
	for r := 0; r < rounds; r++ {
		var its []item.Item
		for k := 0; k < keys; k++ {
			its = append(its, item.Item{"pk": item.Str(fmt.Sprint("k", k)), "round": item.Num(fmt.Sprint(r))})
		}
		a.writeMany(t, "t", its)
	}
	eventually(t, 10*time.Second, converged("t", a, b))
	close(stop)
	if s, ok := <-torn; ok {
		t.Fatalf("a reader in b saw a partly applied group: rounds %s", s)
	}
}

// TestReplicatorAppliesEveryVersion: several changes to one key in one
// batch all reach the destination's change log, in order (its DynamoDB
// Streams readers see every version, not only the last).
func TestReplicatorAppliesEveryVersion(t *testing.T) {
	t.Parallel()
	src := startRegion(t, "a", nil)
	createTable(t, src, "t")
	for i := 0; i < 3; i++ {
		src.write(t, "t", "k", item.Item{"pk": item.Str("k"), "i": item.Num(fmt.Sprint(i))})
	}
	src.write(t, "t", "other", item.Item{"pk": item.Str("other")})
	recs, _, err := streams.StoreLog(src.store).Changes(context.Background(), 0, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	var changes []*streams.Change
	for i := range recs {
		changes = append(changes, &recs[i])
	}
	dst, err := storage.Open("db", storage.Options{FS: vfs.NewMem()})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	res, err := Apply(context.Background(), dst, hlc.NewClock(nil, 0), changes)
	if err != nil || res.Applied != 5 {
		t.Fatalf("Apply = %+v, %v; want 5 applied (the table and four writes)", res, err)
	}
	got, _ := dst.Changes(context.Background(), 0, 0)
	var is []string
	for _, c := range got {
		if c.Kind == storage.ChangeItem && c.Key["pk"].S == "k" {
			is = append(is, c.New["i"].S)
		}
	}
	if fmt.Sprint(is) != "[0 1 2]" {
		t.Fatalf("destination change log holds versions %v of k, want [0 1 2]", is)
	}
}

// TestPublisherPacksChanges: changes committed together travel in one
// message, and a large batch is split at the message size bound, every
// change arriving once.
func TestPublisherPacksChanges(t *testing.T) {
	t.Parallel()
	a, b := startRegion(t, "a", nil), startRegion(t, "b", nil)
	createTable(t, a, "t")
	createTable(t, b, "t")
	follow(t, b, a)
	big := item.Str(strings.Repeat("x", 60<<10)) // 25 of these exceed one message
	var its []item.Item
	for i := range 25 {
		its = append(its, item.Item{"pk": item.Str(fmt.Sprint("k", i)), "v": big})
	}
	a.writeMany(t, "t", its)
	eventually(t, 10*time.Second, converged("t", a, b))
	js := connect(t, a.ns)
	st, err := js.Stream(context.Background(), streams.StreamName("a"))
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// 26 changes (the CreateTable and 25 puts of 60 KB): more than one
	// message, as 1.5 MB exceed the bound, and far fewer than 26.
	if n := info.State.Msgs; n < 2 || n > 10 {
		t.Fatalf("the stream holds %d messages for 26 changes; want them packed into a few", n)
	}
}

// TestReplicatorSkipsChangesThatDoNotFit: two regions created one table
// name with different key schemas before they were linked (tables without
// incarnations, as before them). The other region's items cannot land in
// this region's table; they are quarantined (kept and counted), and the
// changes after them (here, to another table) still replicate instead of
// replication stopping at the first unfit change. A retry leaves them
// quarantined while they still do not fit.
func TestReplicatorSkipsChangesThatDoNotFit(t *testing.T) {
	t.Parallel()
	a, b := startRegion(t, "a", nil), startRegion(t, "b", nil)
	createTable(t, a, "t") // pk is a string in a
	if _, err := b.store.CreateTable(context.Background(), storage.TableDef{Name: "t", Origin: "b",
		PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeN}}); err != nil { // a number in b
		t.Fatal(err)
	}
	a.write(t, "t", "x", item.Item{"pk": item.Str("x")})
	a.writeMany(t, "t", []item.Item{{"pk": item.Str("y")}, {"pk": item.Str("z")}})
	createTable(t, a, "u")
	a.write(t, "u", "after", item.Item{"pk": item.Str("after")})
	rep := follow(t, b, a)
	eventually(t, 10*time.Second, converged("u", a, b))
	if st := rep.Status(); st.Quarantined != 3 {
		t.Fatalf("replicator status %+v: want the 3 items that do not fit b's table quarantined", st)
	}
	if q, err := Quarantined(b.store); err != nil || q["t"] != 3 {
		t.Fatalf("Quarantined = %v, %v; want 3 changes of t kept", q, err)
	}
	if res, err := RetryQuarantined(context.Background(), b.store, b.clock, "b"); err != nil || res.Quarantined != 3 {
		t.Fatalf("retry: %+v, %v; want all 3 quarantined again", res, err)
	}
	if q, _ := Quarantined(b.store); q["t"] != 3 {
		t.Fatalf("after a retry, Quarantined = %v", q)
	}
	if st, err := b.store.Stats("t"); err != nil || st.ItemCount != 0 {
		t.Fatalf("b's table t: %+v, %v; want it untouched", st, err)
	}
	// Fixed (b's table re-created with a's schema), a retry applies them.
	if _, err := b.store.DeleteTable(context.Background(), "t"); err != nil {
		t.Fatal(err)
	}
	createTable(t, b, "t")
	if res, err := RetryQuarantined(context.Background(), b.store, b.clock, "b"); err != nil || res.Applied != 3 || res.Quarantined != 0 {
		t.Fatalf("retry after the fix: %+v, %v; want the 3 applied", res, err)
	}
	if q, _ := Quarantined(b.store); len(q) != 0 {
		t.Fatalf("after a successful retry, Quarantined = %v", q)
	}
}

// waitPublished waits until r's stream holds r's whole change log.
func waitPublished(t *testing.T, r *region) {
	t.Helper()
	ctx := context.Background()
	eventually(t, 10*time.Second, func() error {
		st, err := r.js.Stream(ctx, streams.StreamName(r.name))
		if err != nil {
			return err
		}
		m, err := st.GetLastMsgForSubject(ctx, streams.Subject(r.name))
		if err != nil {
			return err
		}
		if got, want := m.Header.Get(streams.HeaderSeq), fmt.Sprint(r.store.LastSeq()); got != want {
			return fmt.Errorf("stream holds changes up to %s of %s", got, want)
		}
		return nil
	})
}

// TestReplicatorUndecodableMessageStops: a message the replicator cannot
// decode (a newer version's, say) is neither acknowledged nor passed. The
// changes before it are applied; the link reports itself stuck at it, with
// the reason, applies nothing after it, does not flip back to connected
// while it retries, and acknowledges nothing from it on.
func TestReplicatorUndecodableMessageStops(t *testing.T) {
	t.Parallel()
	a, b := startRegion(t, "a", nil), startRegion(t, "b", nil)
	ctx := context.Background()
	createTable(t, a, "t")
	a.write(t, "t", "before", item.Item{"pk": item.Str("before")})
	waitPublished(t, a)
	// A message from a future publisher: headers as ours, a body this
	// version cannot read.
	bad := nats.NewMsg(streams.Subject("a"))
	bad.Data = []byte{0xff, 0xfe, 0xfd, 0xfc}
	bad.Header.Set(jetstream.MsgIDHeader, "a:from-the-future")
	bad.Header.Set(streams.HeaderSeq, fmt.Sprint(a.store.LastSeq()))
	ack, err := a.js.PublishMsg(ctx, bad)
	if err != nil {
		t.Fatal(err)
	}
	a.write(t, "t", "after", item.Item{"pk": item.Str("after")})
	waitPublished(t, a) // a's publisher goes on after the foreign message

	rep := follow(t, b, a, func(o *Options) { o.StuckRetry = 20 * time.Millisecond })
	eventually(t, 10*time.Second, func() error {
		st := rep.Status()
		if st.State != StateStuck || st.StuckSeq != ack.Sequence || !strings.Contains(st.Reason, "undecodable") {
			return fmt.Errorf("status %+v, want stuck at stream seq %d", st, ack.Sequence)
		}
		return nil
	})
	// It retries, and stays stuck and disconnected meanwhile.
	from := rep.Status().Errors
	eventually(t, 10*time.Second, func() error {
		st := rep.Status()
		if st.Connected || st.State != StateStuck || st.StuckSeq != ack.Sequence {
			t.Fatalf("the link flapped while stuck: %+v", st)
		}
		if st.Errors < from+5 {
			return fmt.Errorf("%d retries so far", st.Errors-from)
		}
		return nil
	})
	if _, err := b.store.Table("t"); err != nil {
		t.Fatalf("the changes before the undecodable message were not applied: %v", err)
	}
	if st, _ := b.store.Stats("t"); st.ItemCount != 1 {
		t.Fatalf("b holds %d items, want 1 (nothing after the undecodable message)", st.ItemCount)
	}
	if st := rep.Status(); st.Skipped != 0 || st.Applied != 2 {
		t.Errorf("status %+v, want 2 applied and nothing skipped", st)
	}
	cons, err := a.js.Consumer(ctx, streams.StreamName("a"), ConsumerName("b"))
	if err != nil {
		t.Fatal(err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.AckFloor.Stream != ack.Sequence-1 {
		t.Fatalf("ack floor at stream seq %d, want %d (just before the undecodable message)", info.AckFloor.Stream, ack.Sequence-1)
	}
}
