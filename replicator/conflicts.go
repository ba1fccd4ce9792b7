package replicator

import (
	"encoding/json"
	"sync"
	"time"

	"github.com/concorddb/concord/storage/item"
)

// MaxConflicts is how many recent conflicts a Replicator remembers.
const MaxConflicts = 50

// Conflict is one incoming version that last-writer-wins discarded because
// this region held a newer version of the same item from another region.
type Conflict struct {
	// At is when the incoming version was discarded.
	At time.Time `json:"at"`
	// Table is the item's table.
	Table string `json:"table"`
	// Key is the item's key attributes, as DynamoDB JSON.
	Key json.RawMessage `json:"key"`
	// Winner is the region of the version kept; Loser the region of the
	// version discarded.
	Winner string `json:"winner"`
	Loser  string `json:"loser"`
}

// newConflict builds a Conflict (At is set when it is recorded).
func newConflict(table string, key item.Item, winner, loser string) Conflict {
	return Conflict{Table: table, Key: json.RawMessage(key.AppendJSON(nil)), Winner: winner, Loser: loser}
}

// conflictRing is a bounded ring of the newest conflicts. Safe for
// concurrent use.
type conflictRing struct {
	mu   sync.Mutex
	buf  []Conflict // len <= MaxConflicts
	next int        // where the next one goes once buf is full
}

// add records cs, stamping those without a time with at.
func (r *conflictRing) add(at time.Time, cs []Conflict) {
	if len(cs) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range cs {
		if c.At.IsZero() {
			c.At = at
		}
		if len(r.buf) < MaxConflicts {
			r.buf = append(r.buf, c)
			continue
		}
		r.buf[r.next] = c
		r.next = (r.next + 1) % MaxConflicts
	}
}

// list returns the recorded conflicts, newest first.
func (r *conflictRing) list() []Conflict {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Conflict, 0, len(r.buf))
	// Oldest is at next once the ring is full (next is 0 before that).
	for i := len(r.buf) - 1; i >= 0; i-- {
		out = append(out, r.buf[(r.next+i)%len(r.buf)])
	}
	return out
}

// Conflicts returns the most recent conflicts (at most MaxConflicts) this
// Replicator saw, newest first: incoming versions discarded because the
// item held a newer version written in another region.
func (r *Replicator) Conflicts() []Conflict {
	return r.conflicts.list()
}
