package sim

import (
	"testing"

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
