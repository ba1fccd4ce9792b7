package sim

import (
	"testing"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage/item"
)

// Named regressions of issue 13: each is a schedule the seeded runs found
// or the issue describes, played step by step.

// TestSimCaseDeleteOfAbsentItemWins is issue 13's case 8: DeleteItem of an
// item that has not reached this region yet wrote nothing, so the put
// arriving later undid an acknowledged delete.
func TestSimCaseDeleteOfAbsentItemWins(t *testing.T) {
	w, err := New(Options{Seed: 1, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	k := key(0)
	it := item.Item{"pk": k["pk"], "sk": k["sk"], "v": item.Str("from r1")}
	if err := w.put(w.regions[1], k, it); err != nil {
		t.Fatal(err)
	}
	w.now += 1e6
	// r0 has not received the put: the delete finds nothing, and is later.
	if err := w.delete(w.regions[0], k); err != nil {
		t.Fatal(err)
	}
	if err := w.deliverAll(); err != nil {
		t.Fatal(err)
	}
	if err := w.check(); err != nil {
		t.Fatal(err)
	}
	for _, r := range w.regions {
		if _, got, _ := current(w.ctx, r.store, k); got != nil {
			t.Errorf("%s: the deleted item came back: %s", r.name, got.AppendJSON(nil))
		}
	}
}

// TestSimCaseCreateThenWriteThroughAnotherRegion is issue 13's case 1: r0
// creates the table, r1 sees it and writes x, r2 receives r1's write
// before r0's CreateTable. r2 skipped and acknowledged the write, and
// never got x.
func TestSimCaseCreateThenWriteThroughAnotherRegion(t *testing.T) {
	w, err := New(Options{Seed: 1, LateTables: true, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.deliver(0, 1, 10, false); err != nil { // the CreateTable reaches r1
		t.Fatal(err)
	}
	k := key(0)
	if err := w.put(w.regions[1], k, item.Item{"pk": k["pk"], "sk": k["sk"], "v": item.Str("x")}); err != nil {
		t.Fatal(err)
	}
	if err := w.deliver(1, 2, 10, false); err != nil { // r1's write reaches r2 first
		t.Fatal(err)
	}
	if err := w.deliverAll(); err != nil {
		t.Fatal(err)
	}
	if err := w.check(); err != nil {
		t.Fatal(err)
	}
}

// newScripted returns a world whose table exists everywhere, for the
// step-by-step cases.
func newScripted(t *testing.T) *World {
	t.Helper()
	w, err := New(Options{Seed: 1, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	return w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestSimCaseDeleteRecreateDeliveredOutOfOrder is issue 13's case 3a: A
// deletes T, B re-creates T, C sees B's creation first (it was discarded:
// C held T) and then A's deletion: C was left without T while A and B
// had it.
func TestSimCaseDeleteRecreateDeliveredOutOfOrder(t *testing.T) {
	w := newScripted(t)
	a, b, c := 0, 1, 2
	must(t, w.deleteTable(w.regions[a]))
	must(t, w.deliver(a, b, 10, false))
	w.now += 1e6
	must(t, w.createTable(w.regions[b]))
	must(t, w.deliver(b, c, 10, false))
	must(t, w.deliver(a, c, 10, false))
	must(t, w.deliverAll())
	must(t, w.check())
	if _, err := w.regions[c].store.Table(tableName); err != nil {
		t.Fatalf("C lost the re-created table: %v", err)
	}
}

// TestSimCaseWriteCrossesDeleteAndRecreate is issue 13's case 3b: A's
// write of x crosses B's delete and re-creation of T: x landed in B's new
// table, and not in A's.
func TestSimCaseWriteCrossesDeleteAndRecreate(t *testing.T) {
	w := newScripted(t)
	a, b := 0, 1
	k := key(0)
	must(t, w.put(w.regions[a], k, item.Item{"pk": k["pk"], "sk": k["sk"], "v": item.Str("old table")}))
	must(t, w.deleteTable(w.regions[b]))
	w.now += 1e6
	must(t, w.createTable(w.regions[b]))
	must(t, w.deliverAll())
	must(t, w.check())
	for _, r := range w.regions {
		if _, got, _ := current(w.ctx, r.store, k); got != nil {
			t.Errorf("%s: a write to the deleted table is in the new one: %s", r.name, got.AppendJSON(nil))
		}
	}
}

// TestSimCaseDeleteRacesUpdate is issue 13's case 3c: DeleteTable in A
// racing an UpdateTable in B: A read B's update as "A was added",
// re-created the table and backfilled it: the table its user deleted came
// back, with its items.
func TestSimCaseDeleteRacesUpdate(t *testing.T) {
	w := newScripted(t)
	a, b := 0, 1
	k := key(1)
	must(t, w.put(w.regions[b], k, item.Item{"pk": k["pk"], "sk": k["sk"], "v": item.Str("x")}))
	must(t, w.deleteTable(w.regions[a]))
	must(t, w.regions[b].eng.SetTTL(w.ctx, tableName, true, "exp"))
	must(t, w.deliverAll())
	must(t, w.check())
	for _, r := range w.regions {
		if _, err := r.store.Table(tableName); err == nil {
			t.Errorf("%s: the deleted table came back", r.name)
		}
	}
}

// addIndex adds a global secondary index named name on attribute attr in
// r, as UpdateTable does.
func addIndex(t *testing.T, w *World, r int, name, attr string) {
	t.Helper()
	_, _, err := w.regions[r].eng.UpdateTable(w.ctx, tableName, table.UpdateSpec{
		AttributeDefinitions: []table.AttributeDefinition{{AttributeName: attr, AttributeType: "S"}},
		IndexUpdates: []table.IndexUpdate{{Create: &table.IndexSpec{Name: name,
			KeySchema: []table.KeySchemaElement{{AttributeName: attr, KeyType: table.KeyHash}}}}}})
	must(t, err)
}

// TestSimCaseConcurrentDefinitionChangesMerge is issue 13's case 4: A
// added GSI g1 while B added GSI g2, and A ended with [g2], B with [g1],
// for good (each region applied the other's whole definition last). The
// same for Time to Live and the replica set.
func TestSimCaseConcurrentDefinitionChangesMerge(t *testing.T) {
	w := newScripted(t)
	a, b, c := 0, 1, 2
	addIndex(t, w, a, "g1", "a1")
	addIndex(t, w, b, "g2", "a2")
	must(t, w.regions[c].eng.SetTTL(w.ctx, tableName, true, "exp"))
	must(t, w.deliverAll())
	must(t, w.check())
	for _, r := range w.regions {
		def, err := r.store.Table(tableName)
		must(t, err)
		_, g1 := def.Index("g1")
		_, g2 := def.Index("g2")
		if !g1 || !g2 || table.TTLAttribute(def) != "exp" {
			t.Errorf("%s: g1=%v g2=%v ttl=%q, want both indexes and TTL on exp", r.name, g1, g2, table.TTLAttribute(def))
		}
	}
	// The same field changed in two regions converges on the later change:
	// a deletes g1, then (later) b re-creates it.
	_, _, err := w.regions[a].eng.UpdateTable(w.ctx, tableName, table.UpdateSpec{IndexUpdates: []table.IndexUpdate{{Index: "g1", Delete: true}}})
	must(t, err)
	w.now += 1e6
	must(t, w.deliver(a, c, 10, false))
	must(t, w.deliverAll())
	must(t, w.check())
}

// TestSimCaseConcurrentCreateDifferentSchemas is issue 13's case 5b: two
// regions create the table at once with different schemas (one with a
// local secondary index); the changes of one could never apply to the
// other's table and stopped the link. The greater incarnation is the
// table everywhere; the other's changes are dropped.
func TestSimCaseConcurrentCreateDifferentSchemas(t *testing.T) {
	w, err := New(Options{Seed: 1, LateTables: true, Logf: t.Logf})
	must(t, err)
	t.Cleanup(w.Close)
	spec := tableSpec()
	spec.AttributeDefinitions = append(spec.AttributeDefinitions, table.AttributeDefinition{AttributeName: "l", AttributeType: "S"})
	spec.LocalIndexes = []table.IndexSpec{{Name: "byL", KeySchema: []table.KeySchemaElement{
		{AttributeName: "pk", KeyType: table.KeyHash}, {AttributeName: "l", KeyType: table.KeyRange}}}}
	def, _, err := w.regions[1].eng.CreateTable(w.ctx, spec) // r1 has not heard of r0's table
	must(t, err)
	w.created = append(w.created, def.Incarnation)
	for i, r := range w.regions[:2] {
		k := key(i)
		must(t, w.put(r, k, item.Item{"pk": k["pk"], "sk": k["sk"], "l": item.Str("x"), "v": item.Str(r.name)}))
	}
	must(t, w.deliverAll())
	must(t, w.check())
	for _, r := range w.regions {
		st, err := r.store.Stats(tableName)
		must(t, err)
		if st.ItemCount != 1 {
			t.Errorf("%s holds %d items, want the winner's one", r.name, st.ItemCount)
		}
	}
}

// TestSimCaseReaddedRegionKeepsItsOwnWrites: a region taken out of a
// table wrote to it before it knew, dropped its copy, and was added back
// and copied the table from replicas its own writes had not reached yet:
// it never got them again (found by seed 20235).
func TestSimCaseReaddedRegionKeepsItsOwnWrites(t *testing.T) {
	w := newScripted(t)
	r0, r1, r2 := 0, 1, 2
	w.links[r2][r0].up, w.links[r2][r1].up = false, false // r2's writes reach nobody yet
	_, err := w.regions[r1].eng.RemoveReplica(w.ctx, tableName, "r2")
	must(t, err)
	k := key(3)
	must(t, w.put(w.regions[r2], k, item.Item{"pk": k["pk"], "sk": k["sk"], "v": item.Str("r2's own")}))
	must(t, w.deliver(r1, r2, 10, false)) // r2 learns it was taken out: drops its copy
	if _, err := w.regions[r2].store.Table(tableName); err == nil {
		t.Fatal("r2 still holds the table after its removal")
	}
	must(t, w.deliver(r1, r0, 10, false))
	w.now += 1e6
	_, err = w.regions[r0].eng.AddReplica(w.ctx, tableName, "r2")
	must(t, err)
	must(t, w.deliver(r0, r2, 10, false)) // added back, copies from r0 and r1
	w.links[r2][r0].up, w.links[r2][r1].up = true, true
	must(t, w.deliverAll())
	must(t, w.check())
}
