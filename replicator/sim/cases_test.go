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
