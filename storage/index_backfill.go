package storage

import (
	"context"
	"errors"
	"fmt"

	"github.com/cockroachdb/pebble/v2"
	"github.com/concorddb/concord/storage/internal/keycodec"
)

// backfillChunk is how many items one backfill step locks and indexes.
const backfillChunk = 128

// indexFill is a batch of entries a backfill step adds to one index.
type indexFill struct {
	tableID, indexID uint64
	keys, vals       [][]byte
	sizes            []int64
}

// applyIndexFill adds a backfill step's entries to the batch and the
// index's figures (the committer checked that the index still exists).
func applyIndexFill(b *pebble.Batch, staged map[uint64]TableStats, f *indexFill) {
	st := staged[f.indexID]
	for i, k := range f.keys {
		_ = b.Set(k, f.vals[i], nil)
		st.ItemCount++
		st.SizeBytes += f.sizes[i]
	}
	staged[f.indexID] = st
}

// resumeBackfills restarts, at Open, the backfill of every index still
// CREATING (a backfill is idempotent: it skips entries already written).
func (s *Store) resumeBackfills() {
	s.cat.RLock()
	defer s.cat.RUnlock()
	for _, def := range s.cat.byName {
		s.startBackfills(def, indexIDs(def))
	}
}

// startBackfills starts a background backfill of each of def's CREATING
// indexes whose ID is in ids. Close waits for them.
func (s *Store) startBackfills(def TableDef, ids []uint64) {
	for _, x := range def.Indexes {
		for _, id := range ids {
			if x.ID == id && x.Status == IndexCreating {
				s.indexBG.Add(1)
				go s.runIndexBackfill(def.Name, def.ID, x.ID)
			}
		}
	}
}

// runIndexBackfill is the goroutine ("storage.Store: index backfill") that
// fills one index from the table's items and then marks it ACTIVE. Writes
// maintain the index meanwhile; the backfill handles each item under its
// key lock, re-reading it, so a concurrent write's entry is never replaced
// by a stale one. It stops when the store closes (Open resumes it) or the
// index or table is dropped.
func (s *Store) runIndexBackfill(table string, tableID, indexID uint64) {
	defer s.indexBG.Done()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-s.closing:
			cancel()
		case <-ctx.Done():
		}
	}()
	err := s.backfillIndex(ctx, table, tableID, indexID)
	switch {
	case err == nil:
		s.log.Info("storage: index backfilled", "table", table, "index_id", indexID)
	case errors.Is(err, ErrClosed), errors.Is(err, context.Canceled), errors.Is(err, ErrTableNotFound):
	default:
		s.log.Error("storage: index backfill failed", "table", table, "index_id", indexID, "err", err)
	}
}

// backfillIndex fills the index step by step, then activates it.
func (s *Store) backfillIndex(ctx context.Context, table string, tableID, indexID uint64) error {
	var after []byte
	for {
		next, done, err := s.backfillStep(ctx, table, tableID, indexID, after)
		if err != nil {
			return err
		}
		if done {
			break
		}
		after = next
	}
	s.ddlMu.Lock()
	defer s.ddlMu.Unlock()
	def, err := s.Table(table)
	if err != nil {
		return err
	}
	if def.ID != tableID || indexStatus(def, indexID) != IndexCreating {
		return fmt.Errorf("%w: table=%q changed during index backfill", ErrTableNotFound, table)
	}
	_, err = s.submitDDL(ctx, &ddlOp{kind: ddlUpdate, def: def, activate: indexID})
	return err
}

// backfillStep indexes up to backfillChunk items after item key after
// (nil: from the start) and returns the last key it handled, or done.
func (s *Store) backfillStep(ctx context.Context, table string, tableID, indexID uint64, after []byte) (last []byte, done bool, err error) {
	if err := s.enter(); err != nil {
		return nil, false, err
	}
	defer s.lifeMu.RUnlock()
	def, err := s.table(table)
	if err != nil {
		return nil, false, err
	}
	var x IndexDef
	for _, y := range def.Indexes {
		if y.ID == indexID {
			x = y
		}
	}
	if def.ID != tableID || x.ID == 0 {
		return nil, false, errIndexGone
	}
	lo, hi := tableBounds(def.ID)
	if after != nil {
		lo = keycodec.Successor(after)
	}
	var keys [][]byte
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: lo, UpperBound: hi})
	if err != nil {
		return nil, false, err
	}
	for ok := it.First(); ok && len(keys) < backfillChunk; ok = it.Next() {
		keys = append(keys, append([]byte(nil), it.Key()...))
	}
	if err := it.Close(); err != nil {
		return nil, false, err
	}
	if len(keys) == 0 {
		return nil, true, nil
	}
	stripes := make([]int, len(keys))
	for i, k := range keys {
		stripes[i] = s.locks.stripe(k)
	}
	stripes = s.locks.lock(stripes)
	defer s.locks.unlock(stripes)
	f := &indexFill{tableID: def.ID, indexID: x.ID}
	for _, k := range keys {
		cur, err := s.readCurrent(k)
		if err != nil {
			return nil, false, err
		}
		item, err := cur.item()
		if err != nil {
			return nil, false, err
		}
		ek, ev, size, err := indexEntry(def, x, item)
		if err != nil {
			return nil, false, err
		}
		if ek == nil {
			continue
		}
		// An entry already there was written by a write made since the
		// index was added, which holds this item's current entry.
		if ok, err := s.exists(ek); err != nil || ok {
			if err != nil {
				return nil, false, err
			}
			continue
		}
		f.keys, f.vals, f.sizes = append(f.keys, ek), append(f.vals, ev), append(f.sizes, size)
	}
	if len(f.keys) > 0 {
		if err := s.submit(ctx, &commitReq{fill: f}); err != nil {
			return nil, false, err
		}
	}
	return keys[len(keys)-1], len(keys) < backfillChunk, nil
}

// IndexStats returns the figures of a table's index: entry count and the
// size of the projected items.
func (s *Store) IndexStats(table, index string) (TableStats, error) {
	def, err := s.table(table)
	if err != nil {
		return TableStats{}, err
	}
	x, ok := def.Index(index)
	if !ok {
		return TableStats{}, fmt.Errorf("%w: table=%q index=%q", ErrIndexNotFound, table, index)
	}
	s.stats.Lock()
	st := s.stats.byID[x.ID]
	s.stats.Unlock()
	st.Digest = [16]byte{}
	return st, nil
}

// ErrIndexNotFound is returned for an index the table does not have.
var ErrIndexNotFound = errors.New("storage: index not found")
