package sim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/replicator"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/expr"
	"github.com/concorddb/concord/storage/item"
	"github.com/concorddb/concord/streams"
)

// Options shape a run. The zero value of a field takes the default named
// in its doc.
type Options struct {
	// Seed decides everything; runs with equal Options are identical.
	Seed uint64
	// Regions is the number of regions; default 3.
	Regions int
	// Steps is the number of scheduler steps before the final heal;
	// default 300.
	Steps int
	// Keys is the number of distinct item keys written; default 8 (few
	// keys make conflicts frequent).
	Keys int
	// MaxSkew bounds each region's clock offset from true time; default
	// 2 s. Some seeds give one region a skew of up to an hour instead.
	MaxSkew time.Duration
	// MaxClockOffset is the clocks' maximum offset (hlc); default 500 ms.
	MaxClockOffset time.Duration
	// LateTables (even seeds, in TestSimSeeds) leaves the table in the first region only at the start:
	// it reaches the others through the schedule, like any change, so
	// regions write to it while others have not heard of it yet.
	LateTables bool
	// DDL mixes table creations and deletions into the schedule: a region
	// that does not hold the table creates it (concurrent creations of
	// the name happen), one that holds it deletes it.
	DDL bool
	// Logf, if set, receives the schedule, one line per step.
	Logf func(format string, args ...any)
}

func (o *Options) ensureDefaults() {
	if o.Regions <= 0 {
		o.Regions = 3
	}
	if o.Steps <= 0 {
		o.Steps = 300
	}
	if o.Keys <= 0 {
		o.Keys = 8
	}
	if o.MaxSkew <= 0 {
		o.MaxSkew = 2 * time.Second
	}
	if o.MaxClockOffset <= 0 {
		o.MaxClockOffset = 500 * time.Millisecond
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
}

// The simulated table: a partition and a sort key, and a global secondary
// index on g, so replicated writes also maintain index entries.
const tableName = "t"

// tableSpec is the simulated table as CreateTable gives it to the engine.
func tableSpec() table.CreateSpec {
	return table.CreateSpec{Name: tableName, BillingMode: table.BillingPayPerRequest,
		KeySchema: []table.KeySchemaElement{{AttributeName: "pk", KeyType: table.KeyHash}, {AttributeName: "sk", KeyType: table.KeyRange}},
		AttributeDefinitions: []table.AttributeDefinition{{AttributeName: "pk", AttributeType: "S"},
			{AttributeName: "sk", AttributeType: "N"}, {AttributeName: "g", AttributeType: "S"}},
		GlobalIndexes: []table.IndexSpec{{Name: "byG", KeySchema: []table.KeySchemaElement{{AttributeName: "g", KeyType: table.KeyHash}}}}}
}

// region is one simulated region.
type region struct {
	name  string
	fs    *vfs.MemFS
	store *storage.Store
	clock *hlc.Clock
	eng   *table.Engine
	// skew is the region's clock offset from true time, in nanoseconds.
	skew int64
}

// link is the delivery state of one source region's stream to one
// destination: what the destination has applied and acknowledged.
type link struct {
	up bool
	// acked is the greatest source change-log Seq the destination has
	// applied and acknowledged; delivery resumes after it.
	acked uint64
}

// ack is an acknowledged write: the version it was given and the item it
// left (nil for a delete).
type ack struct {
	v      conflict.Version
	it     item.Item
	region string
	// inc is the table incarnation the write was made in.
	inc string
	// virtual marks a delete that wrote nothing (the item was absent
	// there): v is then the region's clock right after it, when the
	// delete happened. No item version before it may outlive it.
	virtual bool
}

// World is one run.
type World struct {
	opts    Options
	rng     *rand.Rand
	ctx     context.Context
	now     int64 // true time, Unix nanoseconds
	regions []*region
	links   [][]*link // links[src][dst]
	// acks lists, per key, every acknowledged write.
	acks map[string][]ack
	// ops counts what the run did, by kind.
	ops map[string]int
	// created lists the incarnations CreateTable made; deleted those a
	// DeleteTable was acknowledged for.
	created [][]byte
	deleted map[string]bool
}

// New builds a world of opts.Regions regions holding table "t" (created in
// the first region and delivered everywhere before the run starts).
func New(opts Options) (*World, error) {
	opts.ensureDefaults()
	w := &World{opts: opts, rng: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)),
		ctx: context.Background(), now: 1_800_000_000_000_000_000,
		acks: map[string][]ack{}, ops: map[string]int{}, deleted: map[string]bool{}}
	for i := range opts.Regions {
		r := &region{name: fmt.Sprintf("r%d", i), fs: vfs.NewCrashableMem()}
		r.skew = w.rng.Int64N(2*int64(opts.MaxSkew)+1) - int64(opts.MaxSkew)
		if i == opts.Regions-1 && w.rng.IntN(4) == 0 {
			r.skew = w.rng.Int64N(int64(time.Hour)) // one far-ahead region
		}
		if err := w.open(r); err != nil {
			w.Close()
			return nil, err
		}
		w.regions = append(w.regions, r)
	}
	w.links = make([][]*link, opts.Regions)
	for s := range w.links {
		w.links[s] = make([]*link, opts.Regions)
		for d := range w.links[s] {
			w.links[s][d] = &link{up: true}
		}
	}
	if err := w.createTable(w.regions[0]); err != nil {
		w.Close()
		return nil, err
	}
	if !opts.LateTables {
		if err := w.deliverAll(); err != nil {
			w.Close()
			return nil, err
		}
	}
	return w, nil
}

// open opens r's store on r.fs with a fresh clock (a restarted process
// keeps nothing of its clock but what the wall says).
func (w *World) open(r *region) error {
	st, err := storage.Open("db", storage.Options{FS: r.fs, Logger: slog.New(slog.DiscardHandler),
		CacheSize: 1 << 20, MemTableSize: 1 << 20})
	if err != nil {
		return fmt.Errorf("sim: open region=%s: %w", r.name, err)
	}
	r.store = st
	r.clock = hlc.NewClock(func() int64 { return w.now + r.skew }, w.opts.MaxClockOffset)
	r.eng = table.New(table.Options{Store: st, Clock: r.clock, Region: r.name, Logger: slog.New(slog.DiscardHandler),
		Wall: func() time.Time { return time.Unix(0, w.now+r.skew) }})
	r.eng.SetRegions(w.regionNames)
	return nil
}

// regionNames lists every region of the deployment.
func (w *World) regionNames() []string {
	out := make([]string, w.opts.Regions)
	for i := range out {
		out[i] = fmt.Sprintf("r%d", i)
	}
	return out
}

// Close closes every region's store.
func (w *World) Close() {
	for _, r := range w.regions {
		if r.store != nil {
			_ = r.store.Close()
		}
	}
}

// logf records one step of the schedule.
func (w *World) logf(format string, args ...any) {
	w.opts.Logf("%6d.%03d "+format, append([]any{w.now / 1e9 % 100000, w.now / 1e6 % 1000}, args...)...)
}

// Run plays opts.Steps steps of the schedule, then heals every link,
// delivers every change and checks the invariants. It returns the first
// violation found.
func (w *World) Run() error {
	for range w.opts.Steps {
		if err := w.step(); err != nil {
			return err
		}
	}
	w.logf("heal all")
	for _, ls := range w.links {
		for _, l := range ls {
			l.up = true
		}
	}
	if err := w.deliverAll(); err != nil {
		return err
	}
	return w.check()
}

// Ops returns how many operations of each kind the run did.
func (w *World) Ops() map[string]int { return w.ops }

// step does one thing, chosen by the seed.
func (w *World) step() error {
	w.now += w.rng.Int64N(int64(50 * time.Millisecond))
	r := w.regions[w.rng.IntN(len(w.regions))]
	switch p := w.rng.IntN(100); {
	case p < 40:
		return w.write(r)
	case p < 80:
		src, dst := w.rng.IntN(len(w.regions)), w.rng.IntN(len(w.regions))
		if src == dst {
			return nil
		}
		return w.deliver(src, dst, 1+w.rng.IntN(8), w.rng.IntN(10) == 0)
	case p < 88:
		src, dst := w.rng.IntN(len(w.regions)), w.rng.IntN(len(w.regions))
		if src != dst {
			l := w.links[src][dst]
			l.up = !l.up
			w.logf("link %s->%s up=%v", w.regions[src].name, w.regions[dst].name, l.up)
			w.ops["link"]++
		}
		return nil
	case p < 92:
		if w.opts.DDL && w.rng.IntN(3) == 0 {
			return w.ddl(r)
		}
		return w.crash(r)
	case p < 95:
		r.skew += w.rng.Int64N(int64(w.opts.MaxSkew)) - int64(w.opts.MaxSkew)/2
		w.logf("skew %s %v", r.name, time.Duration(r.skew))
		w.ops["skew"]++
		return nil
	default:
		w.now += w.rng.Int64N(int64(5 * time.Second))
		return nil
	}
}

// key returns the i-th simulated key.
func key(i int) item.Item {
	return item.Item{"pk": item.Str("k" + strconv.Itoa(i%3)), "sk": item.Num(strconv.Itoa(i))}
}

func keyID(k item.Item) string { return string(k.AppendBinary(nil)) }

// keyName is k for people: pk/sk.
func keyName(k item.Item) string { return k["pk"].S + "/" + k["sk"].S }

// write makes one client write in r: a put, a delete, an update, a
// conditional put, a batch or a transaction.
func (w *World) write(r *region) error {
	def, err := r.store.Table(tableName)
	if errors.Is(err, storage.ErrTableNotFound) && (w.opts.LateTables || w.opts.DDL) {
		return nil // not here yet: a client would get ResourceNotFoundException
	}
	if err != nil {
		return fmt.Errorf("sim: region=%s lost table %s: %w", r.name, tableName, err)
	}
	k := key(w.rng.IntN(w.opts.Keys))
	val := fmt.Sprintf("%s@%d", r.name, w.now)
	put := func(k item.Item) item.Item {
		it := item.Item{"pk": k["pk"], "sk": k["sk"], "v": item.Str(val)}
		if w.rng.IntN(2) == 0 {
			it["g"] = item.Str("g" + strconv.Itoa(w.rng.IntN(3)))
		}
		return it
	}
	req := &table.Request{}
	ctx := table.WithRequest(w.ctx, req)
	switch p := w.rng.IntN(100); {
	case p < 35:
		return w.put(r, k, put(k))
	case p < 50:
		return w.delete(r, k)
	case p < 65:
		upd, err := expr.ParseUpdate("SET n = if_not_exists(n, :z) + :one, v = :v",
			expr.NewParams(nil, map[string]item.Value{":z": item.Num("0"), ":one": item.Num("1"), ":v": item.Str(val)}))
		if err != nil {
			return err
		}
		_, n, err := r.eng.Write(ctx, table.Write{Op: table.OpUpdate, Def: def, Key: k, Update: upd})
		if err != nil {
			return fmt.Errorf("sim: update: %w", err)
		}
		w.acked(r, def, "update", k, req, n)
	case p < 75:
		cond, err := expr.ParseCondition("ConditionExpression", "attribute_not_exists(pk)", expr.NewParams(nil, nil))
		if err != nil {
			return err
		}
		it := put(k)
		_, _, err = r.eng.Write(ctx, table.Write{Op: table.OpPut, Def: def, Key: k, Item: it, Cond: cond})
		if errors.Is(err, table.ErrConditionFailed) {
			w.logf("%s cput %s: condition failed", r.name, keyName(k))
			w.ops["cput-failed"]++
			return nil
		}
		if err != nil {
			return fmt.Errorf("sim: conditional put: %w", err)
		}
		w.acked(r, def, "cput", k, req, it)
	case p < 88:
		return w.batch(r, def, put, false)
	default:
		return w.batch(r, def, put, true)
	}
	return nil
}

// put writes it at k in r, as PutItem does.
func (w *World) put(r *region, k, it item.Item) error {
	def, err := r.store.Table(tableName)
	if err != nil {
		return err
	}
	req := &table.Request{}
	if _, _, err := r.eng.Write(table.WithRequest(w.ctx, req), table.Write{Op: table.OpPut, Def: def, Key: k, Item: it}); err != nil {
		return fmt.Errorf("sim: put: %w", err)
	}
	w.acked(r, def, "put", k, req, it)
	return nil
}

// delete deletes k in r, as DeleteItem does.
func (w *World) delete(r *region, k item.Item) error {
	def, err := r.store.Table(tableName)
	if err != nil {
		return err
	}
	req := &table.Request{}
	if _, _, err := r.eng.Write(table.WithRequest(w.ctx, req), table.Write{Op: table.OpDelete, Def: def, Key: k}); err != nil {
		return fmt.Errorf("sim: delete: %w", err)
	}
	w.acked(r, def, "delete", k, req, nil)
	return nil
}

// batch writes 2-4 distinct keys together: a BatchWriteItem, or a
// transaction.
func (w *World) batch(r *region, def storage.TableDef, put func(item.Item) item.Item, tx bool) error {
	n := 2 + w.rng.IntN(3)
	seen := map[string]bool{}
	var ws []table.Write
	for range n {
		k := key(w.rng.IntN(w.opts.Keys))
		if seen[keyID(k)] {
			continue
		}
		seen[keyID(k)] = true
		if w.rng.IntN(3) == 0 {
			ws = append(ws, table.Write{Op: table.OpDelete, Def: def, Key: k})
		} else {
			ws = append(ws, table.Write{Op: table.OpPut, Def: def, Key: k, Item: put(k)})
		}
	}
	// Each write's version is read back from the store afterwards: the
	// engine records only a request's last version.
	var err error
	kind := "batch"
	if tx {
		kind = "tx"
		actions := make([]table.TxAction, len(ws))
		for i := range ws {
			actions[i] = table.TxAction{Write: ws[i]}
		}
		_, _, err = r.eng.Transact(w.ctx, actions, nil)
	} else {
		_, err = r.eng.BatchWrite(w.ctx, ws)
	}
	if err != nil {
		return fmt.Errorf("sim: %s: %w", kind, err)
	}
	for _, wr := range ws {
		v, it, err := current(w.ctx, r.store, wr.Key)
		if err != nil {
			return err
		}
		if v == nil || (wr.Op == table.OpDelete && v.Region != r.name) {
			// A delete of an absent item wrote nothing.
			nv := conflict.Version{TS: r.clock.Now(), Region: r.name}
			w.logf("%s %s %s: nothing written, at %v", r.name, kind, keyName(wr.Key), nv)
			w.ops[kind+"-noop"]++
			w.acks[keyID(wr.Key)] = append(w.acks[keyID(wr.Key)], ack{v: nv, region: r.name, virtual: true, inc: string(def.Incarnation)})
			continue
		}
		w.record(r, def, kind, wr.Key, *v, it)
	}
	return nil
}

// acked records a single write's acknowledgement: the version the engine
// gave it (none for a delete of an absent item, which writes nothing).
func (w *World) acked(r *region, def storage.TableDef, kind string, k item.Item, req *table.Request, it item.Item) {
	if !req.Versioned {
		v := conflict.Version{TS: r.clock.Now(), Region: r.name}
		w.logf("%s %s %s: nothing written, at %v", r.name, kind, keyName(k), v)
		w.ops[kind+"-noop"]++
		w.acks[keyID(k)] = append(w.acks[keyID(k)], ack{v: v, region: r.name, virtual: true, inc: string(def.Incarnation)})
		return
	}
	w.record(r, def, kind, k, req.Version, it)
}

func (w *World) record(r *region, def storage.TableDef, kind string, k item.Item, v conflict.Version, it item.Item) {
	w.logf("%s %s %s -> %v", r.name, kind, keyName(k), v)
	w.ops[kind]++
	w.acks[keyID(k)] = append(w.acks[keyID(k)], ack{v: v, it: it, region: r.name, inc: string(def.Incarnation)})
}

// createTable creates the table in r, as CreateTable does.
func (w *World) createTable(r *region) error {
	def, _, err := r.eng.CreateTable(w.ctx, tableSpec())
	if err != nil {
		return fmt.Errorf("sim: create table in %s: %w", r.name, err)
	}
	w.logf("%s create table incarnation %s", r.name, table.IncarnationString(def.Incarnation))
	w.ops["create-table"]++
	w.created = append(w.created, def.Incarnation)
	return nil
}

// ddl creates the table in r if r does not hold it; otherwise it
// changes the table's definition (Time to Live on or off, index byH
// added or deleted), or now and then deletes it.
func (w *World) ddl(r *region) error {
	def, err := r.store.Table(tableName)
	if errors.Is(err, storage.ErrTableNotFound) {
		err := w.createTable(r)
		if errors.Is(err, storage.ErrTableExists) {
			// Other regions hold the name (this one is not a replica):
			// a client gets ResourceInUseException.
			w.logf("%s create table: name held by other regions", r.name)
			w.ops["create-refused"]++
			return nil
		}
		return err
	}
	if err != nil {
		return err
	}
	switch w.rng.IntN(7) {
	case 5, 6:
		// Take the last region out of the table, or add it back, from one
		// of the others (a region cannot remove its own replica).
		if r == w.regions[len(w.regions)-1] {
			return nil
		}
		last := w.regions[len(w.regions)-1].name
		member := table.IsReplica(def, last) && def.Replicas != nil
		var err error
		if member {
			_, err = r.eng.RemoveReplica(w.ctx, tableName, last)
		} else {
			_, err = r.eng.AddReplica(w.ctx, tableName, last)
		}
		w.logf("%s replica %s member=%v: %v", r.name, last, !member, err)
		w.ops["replica"]++
		return err
	case 0, 1:
		on := table.TTLAttribute(def) != ""
		w.logf("%s ttl on=%v", r.name, !on)
		w.ops["ttl"]++
		return r.eng.SetTTL(w.ctx, tableName, !on, "exp")
	case 2, 3:
		u := table.UpdateSpec{IndexUpdates: []table.IndexUpdate{{Index: "byH", Delete: true}}}
		if _, ok := def.Index("byH"); !ok {
			u = table.UpdateSpec{AttributeDefinitions: []table.AttributeDefinition{{AttributeName: "h", AttributeType: "S"}},
				IndexUpdates: []table.IndexUpdate{{Create: &table.IndexSpec{Name: "byH",
					KeySchema: []table.KeySchemaElement{{AttributeName: "h", KeyType: table.KeyHash}}}}}}
		}
		w.logf("%s index byH create=%v", r.name, u.IndexUpdates[0].Create != nil)
		w.ops["index"]++
		_, _, err := r.eng.UpdateTable(w.ctx, tableName, u)
		return err
	}
	return w.deleteTable(r)
}

// deleteTable deletes the table in r, as DeleteTable does.
func (w *World) deleteTable(r *region) error {
	def, err := r.store.Table(tableName)
	if err != nil {
		return err
	}
	if _, _, err := r.eng.DeleteTable(w.ctx, tableName); err != nil {
		return fmt.Errorf("sim: delete table in %s: %w", r.name, err)
	}
	w.logf("%s delete table incarnation %s", r.name, table.IncarnationString(def.Incarnation))
	w.ops["delete-table"]++
	w.deleted[string(def.Incarnation)] = true
	return nil
}

// current returns the version and live item the store holds at k (nil
// version when it was never written).
func current(ctx context.Context, st *storage.Store, k item.Item) (*conflict.Version, item.Item, error) {
	var meta storage.Meta
	var cur item.Item
	_, err := st.Update(ctx, tableName, k, func(it item.Item, m storage.Meta) (storage.Mutation, error) {
		cur, meta = it, m
		return storage.Mutation{}, nil
	})
	if err != nil || meta.Version == nil {
		return nil, nil, err
	}
	v, err := conflict.DecodeVersion(meta.Version)
	if err != nil {
		return nil, nil, err
	}
	return &v, cur, nil
}

// deliver applies up to max changes (whole groups) that src published and
// dst has not acknowledged, as dst's replicator does; with redeliver the
// consumer "crashes" after applying, so the same changes come again.
func (w *World) deliver(src, dst, max int, redeliver bool) error {
	l := w.links[src][dst]
	if !l.up {
		return nil
	}
	s, d := w.regions[src], w.regions[dst]
	changes, _, err := streams.StoreLog(s.store).Changes(w.ctx, l.acked, 4*max+64, s.name)
	if err != nil {
		return fmt.Errorf("sim: read %s's changes: %w", s.name, err)
	}
	n := 0
	for n < len(changes) && n < max {
		n++
		// A group (one commit in the origin) travels whole.
		for n < len(changes) && changes[n].GroupSize > 1 && changes[n].Group == changes[n-1].Group {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	batch := changes[:n]
	res, err := replicator.ApplyIn(w.ctx, d.store, d.clock, d.name, ptrs(batch))
	if err != nil {
		return fmt.Errorf("sim: apply %s->%s seq %d-%d: %w", s.name, d.name, batch[0].Seq, batch[n-1].Seq, err)
	}
	w.ops["delivered"] += n
	w.ops["parked"] += res.Parked
	w.ops["unparked"] += res.Unparked
	if res.Skipped > 0 {
		w.logf("deliver %s->%s seq %d-%d: %d skipped", s.name, d.name, batch[0].Seq, batch[n-1].Seq, res.Skipped)
		w.ops["skipped"] += res.Skipped
	}
	if redeliver {
		w.logf("deliver %s->%s seq %d-%d, not acknowledged", s.name, d.name, batch[0].Seq, batch[n-1].Seq)
		w.ops["redelivered"] += n
		return nil
	}
	w.logf("deliver %s->%s seq %d-%d", s.name, d.name, batch[0].Seq, batch[n-1].Seq)
	l.acked = batch[n-1].Seq
	return w.backfill(src, dst)
}

// backfill copies into dst the tables that wait for a copy from src, as
// dst's replicator of src does over NATS (replicator/backfill.go,
// streams.BackfillClient): src's records, live items and tombstones, each
// naming src's incarnation of the table, applied with the usual rule; a
// source that does not hold the table ends the copy.
func (w *World) backfill(src, dst int) (err error) {
	if !w.links[src][dst].up {
		return nil
	}
	s, d := w.regions[src], w.regions[dst]
	def, err := d.store.Table(tableName)
	if errors.Is(err, storage.ErrTableNotFound) || (err == nil && !slices.Contains(def.BackfillSources(), s.name)) {
		return nil
	}
	if err != nil {
		return err
	}
	var changes []*streams.Change
	sdef, err := s.store.Table(tableName)
	if err == nil {
		err = s.store.ScanRecords(w.ctx, tableName, storage.Scan{}, func(rec storage.Record) bool {
			v, _ := conflict.DecodeVersion(rec.Version)
			changes = append(changes, &streams.Change{Kind: streams.KindItem, Table: tableName, Origin: v.Region,
				Version: bytes.Clone(rec.Version), Key: rec.Key, New: rec.Item, Incarnation: sdef.Incarnation, GroupSize: 1})
			return true
		})
	}
	if err != nil && !errors.Is(err, storage.ErrTableNotFound) {
		return err
	}
	if len(changes) > 0 {
		if _, err := replicator.ApplyIn(w.ctx, d.store, d.clock, d.name, changes); err != nil {
			return fmt.Errorf("sim: backfill %s->%s: %w", s.name, d.name, err)
		}
	}
	w.logf("backfill %s->%s: %d records", s.name, d.name, len(changes))
	w.ops["backfilled"] += len(changes)
	_, err = d.store.UpdateTableLocal(w.ctx, tableName, func(t *storage.TableDef) error {
		t.SetBackfillSources(slices.DeleteFunc(t.BackfillSources(), func(r string) bool { return r == s.name }))
		return nil
	})
	if errors.Is(err, storage.ErrTableNotFound) {
		return nil
	}
	return err
}

func ptrs(cs []streams.Change) []*streams.Change {
	out := make([]*streams.Change, len(cs))
	for i := range cs {
		out[i] = &cs[i]
	}
	return out
}

// deliverAll delivers every pending change on every link that is up, until
// none is left.
func (w *World) deliverAll() error {
	for {
		moved := false
		for s := range w.regions {
			for d := range w.regions {
				if s == d || !w.links[s][d].up {
					continue
				}
				before := w.links[s][d].acked
				if err := w.deliver(s, d, 1<<20, false); err != nil {
					return err
				}
				if err := w.backfill(s, d); err != nil {
					return err
				}
				moved = moved || w.links[s][d].acked != before
			}
		}
		if !moved {
			return nil
		}
	}
}

// crash kills r: whatever its store had not synced is lost, the process
// restarts with a fresh clock. Acknowledged writes were synced, so they
// must survive.
func (w *World) crash(r *region) error {
	w.logf("crash %s", r.name)
	w.ops["crash"]++
	clone := r.fs.CrashClone(vfs.CrashCloneCfg{UnsyncedDataPercent: w.rng.IntN(2) * 50, RNG: rand.New(rand.NewPCG(w.rng.Uint64(), 1))})
	_ = r.store.Close()
	r.fs = clone
	return w.open(r)
}

// check verifies the invariants once everything is delivered.
func (w *World) check() error {
	var problems []string
	// The table everywhere is the greatest incarnation created, unless it
	// was deleted: then there is none.
	var winner []byte
	for _, inc := range w.created {
		if winner == nil || table.CompareIncarnations(inc, winner) > 0 {
			winner = inc
		}
	}
	live := winner != nil && !w.deleted[string(winner)]
	held := map[string]bool{}
	var refDef *storage.TableDef
	var refStats storage.TableStats
	var refName string
	for _, r := range w.regions {
		if p, err := replicator.Parked(r.store); err != nil || len(p) > 0 {
			problems = append(problems, fmt.Sprintf("%s still has parked changes after every delivery: %v %v", r.name, p, err))
		}
		def, err := r.store.Table(tableName)
		if errors.Is(err, storage.ErrTableNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if !live {
			problems = append(problems, fmt.Sprintf("%s holds table incarnation %s, want none (greatest %s deleted)", r.name,
				table.IncarnationString(def.Incarnation), table.IncarnationString(winner)))
			continue
		}
		if table.CompareIncarnations(def.Incarnation, winner) != 0 {
			problems = append(problems, fmt.Sprintf("%s holds table incarnation %s, want %s", r.name,
				table.IncarnationString(def.Incarnation), table.IncarnationString(winner)))
			continue
		}
		held[r.name] = true
		if def.BackfillFrom != "" {
			problems = append(problems, fmt.Sprintf("%s still waits for copies from %s", r.name, def.BackfillFrom))
		}
		st, err := r.store.Stats(tableName)
		if err != nil {
			return err
		}
		if refDef == nil {
			refDef, refStats, refName = &def, st, r.name
			continue
		}
		if a, b := describeDef(*refDef), describeDef(def); a != b {
			problems = append(problems, fmt.Sprintf("definitions differ: %s has %s, %s has %s", refName, a, r.name, b))
		}
		if st.Digest != refStats.Digest || st.ItemCount != refStats.ItemCount {
			problems = append(problems, fmt.Sprintf("digests differ: %s %x (%d items), %s %x (%d items)",
				refName, refStats.Digest, refStats.ItemCount, r.name, st.Digest, st.ItemCount))
		}
	}
	if live && refDef == nil {
		problems = append(problems, fmt.Sprintf("no region holds table incarnation %s", table.IncarnationString(winner)))
	}
	if refDef != nil {
		for _, r := range w.regions {
			if member := table.IsReplica(*refDef, r.name); member != held[r.name] {
				problems = append(problems, fmt.Sprintf("%s: member of the replica set %v: %v, holds the table: %v", r.name, refDef.Replicas, member, held[r.name]))
			}
		}
	}
	if live {
		for i := range w.opts.Keys {
			k := key(i)
			var want *ack
			for _, a := range w.acks[keyID(k)] {
				if a.inc != string(winner) {
					continue // written in another incarnation of the table
				}
				if want == nil || a.v.Compare(want.v) > 0 {
					want = &a
				}
			}
			for _, r := range w.regions {
				if !held[r.name] {
					continue // reported above, if it should
				}
				v, it, err := current(w.ctx, r.store, k)
				if err != nil {
					return err
				}
				switch {
				case want == nil && it != nil:
					problems = append(problems, fmt.Sprintf("%s holds %s, which no acknowledged write of this incarnation made", r.name, keyName(k)))
				case want == nil:
				case want.virtual && it != nil:
					problems = append(problems, fmt.Sprintf("%s: %s deleted in %s at %v came back at version %v: %s", r.name, keyName(k), want.region, want.v, v, it.AppendJSON(nil)))
				case want.virtual:
				case v == nil || v.Compare(want.v) != 0:
					problems = append(problems, fmt.Sprintf("%s holds %s at version %v, want the greatest acknowledged %v (from %s)", r.name, keyName(k), v, want.v, want.region))
				case want.it == nil && it != nil:
					problems = append(problems, fmt.Sprintf("%s: deleted %s came back: %s", r.name, keyName(k), it.AppendJSON(nil)))
				case want.it != nil && string(it.AppendJSON(nil)) != string(want.it.AppendJSON(nil)):
					problems = append(problems, fmt.Sprintf("%s holds %s = %s, want %s", r.name, keyName(k), it.AppendJSON(nil), want.it.AppendJSON(nil)))
				}
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("sim: seed %d: %d violations:\n  %s", w.opts.Seed, len(problems), strings.Join(problems, "\n  "))
	}
	return nil
}

// describeDef renders what of a definition must be equal everywhere.
func describeDef(def storage.TableDef) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s(%s", def.Name, def.PartitionKey.Name)
	if def.SortKey != nil {
		fmt.Fprintf(&b, ",%s", def.SortKey.Name)
	}
	b.WriteString(")")
	xs := slices.Clone(def.Indexes)
	slices.SortFunc(xs, func(a, b storage.IndexDef) int { return strings.Compare(a.Name, b.Name) })
	for _, x := range xs {
		fmt.Fprintf(&b, " index %s(%s)", x.Name, x.PartitionKey.Name)
	}
	fmt.Fprintf(&b, " replicas %v ttl %q incarnation %s", def.Replicas, table.TTLAttribute(def), table.IncarnationString(def.Incarnation))
	return b.String()
}
