package storage

import (
	"slices"
	"sync"
)

// changeTail keeps the newest change-log records in memory, as the
// committer wrote them, so that the tailing readers (the publisher, a
// Streams consumer at the head) read them without a Pebble iterator.
// Measured before it existed: a third of the publisher's and a seventh of
// a replicating region's CPU went to seeking the log's sstables, for
// records that had just been written.
//
// Records enter only after their batch is durable, in Seq order, and
// leave oldest first when the tail is over its record or byte budget, or
// when TrimChanges removes them; a reader that asks for anything older
// falls back to Pebble. The record bytes are never modified once added,
// so decoded changes may alias them.
type changeTail struct {
	mu sync.RWMutex
	// recs[i] holds Seq first+i.
	first uint64
	recs  [][]byte
	bytes int

	maxRecs  int
	maxBytes int
}

// Budget of the in-memory tail: enough for a few seconds of writes at
// the rates the replication benchmark drives, bounded in memory.
const (
	tailMaxRecords = 16384
	tailMaxBytes   = 32 << 20
)

func newChangeTail() *changeTail {
	return &changeTail{maxRecs: tailMaxRecords, maxBytes: tailMaxBytes}
}

// add appends the records of one durable commit, the first holding seq.
// A seq that does not follow the tail's newest record restarts the tail.
func (t *changeTail) add(seq uint64, recs [][]byte) {
	if len(recs) == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.recs) == 0 || t.first+uint64(len(t.recs)) != seq {
		clear(t.recs)
		t.recs, t.bytes, t.first = t.recs[:0], 0, seq
	}
	for _, r := range recs {
		t.recs = append(t.recs, r)
		t.bytes += len(r)
	}
	drop := 0
	for len(t.recs)-drop > t.maxRecs || (t.bytes > t.maxBytes && len(t.recs)-drop > 1) {
		t.bytes -= len(t.recs[drop])
		drop++
	}
	t.dropLocked(drop)
}

// dropLocked removes the n oldest records, compacting the slice when the
// dropped prefix is large.
func (t *changeTail) dropLocked(n int) {
	if n == 0 {
		return
	}
	clear(t.recs[:n])
	t.recs = t.recs[n:]
	t.first += uint64(n)
	if cap(t.recs) > 2*t.maxRecs {
		t.recs = append(make([][]byte, 0, t.maxRecs+1024), t.recs...)
	}
}

// trim drops the records with Seq <= upTo.
func (t *changeTail) trim(upTo uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.recs) == 0 || upTo < t.first {
		return
	}
	n := min(upTo-t.first+1, uint64(len(t.recs)))
	for _, r := range t.recs[:n] {
		t.bytes -= len(r)
	}
	t.dropLocked(int(n))
}

// since returns up to limit records (all if limit <= 0) from Seq after+1
// on, in order, and true; or false when the tail does not hold Seq after+1
// and everything after it (the caller must read Pebble). lastSeq is the
// store's newest durable Seq. The records are copied out, so the caller
// decodes them without holding the committer up.
func (t *changeTail) since(after, lastSeq uint64, limit int) ([][]byte, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if after >= lastSeq {
		return nil, true
	}
	end := t.first + uint64(len(t.recs)) // one past the newest held
	if len(t.recs) == 0 || after+1 < t.first || end <= lastSeq {
		return nil, false
	}
	recs := t.recs[after+1-t.first:]
	if limit > 0 && len(recs) > limit {
		recs = recs[:limit]
	}
	return slices.Clone(recs), true
}
