package storage

import (
	"bytes"
	"context"
	"encoding/binary"

	"github.com/cockroachdb/pebble/v2"
)

// PurgeTombstones removes table's tombstones for which expired(version)
// reports true, and returns how many it removed. A tombstone is what keeps
// a late replicated write older than the delete from resurrecting the
// item, so callers purge only tombstones older than any replication delay
// they accept (region's TombstoneRetention). Each key is re-checked under
// its lock, so a concurrent write is never undone. Purges are not synced:
// a purge lost in a crash just leaves the tombstone for the next pass.
// limit bounds the work of one call (0 means no bound).
func (s *Store) PurgeTombstones(ctx context.Context, table string, expired func(version []byte) bool, limit int) (int, error) {
	if err := s.enter(); err != nil {
		return 0, err
	}
	defer s.lifeMu.RUnlock()
	def, err := s.table(table)
	if err != nil {
		return 0, err
	}
	lo, hi := tableBounds(def.ID)
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: lo, UpperBound: hi})
	if err != nil {
		return 0, err
	}
	var candidates [][]byte
	for ok := it.First(); ok && (limit <= 0 || len(candidates) < limit); ok = it.Next() {
		v, err := it.ValueAndErr()
		if err != nil {
			_ = it.Close()
			return 0, err
		}
		rec, err := decodeValueRecord(v)
		if err != nil {
			_ = it.Close()
			return 0, err
		}
		if rec.tombstone && expired(rec.version) {
			candidates = append(candidates, bytes.Clone(it.Key()))
		}
	}
	if err := it.Close(); err != nil {
		return 0, err
	}
	purged := 0
	for _, k := range candidates {
		if err := ctx.Err(); err != nil {
			return purged, err
		}
		ok, err := s.purgeOne(k, expired)
		if err != nil {
			return purged, err
		}
		if ok {
			purged++
		}
	}
	return purged, nil
}

// purgeOne deletes the tombstone at k if it is still an expired tombstone.
func (s *Store) purgeOne(k []byte, expired func([]byte) bool) (bool, error) {
	stripes := s.locks.lock([]int{s.locks.stripe(k)})
	defer s.locks.unlock(stripes)
	v, closer, err := s.db.Get(k)
	if err == pebble.ErrNotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	rec, err := decodeValueRecord(v)
	still := err == nil && rec.tombstone && expired(rec.version)
	_ = closer.Close()
	if !still {
		return false, err
	}
	return true, s.db.Delete(k, pebble.NoSync)
}

// TrimChanges removes change-log records with Seq <= upTo (the publisher
// has published them and no reader needs them), without syncing.
func (s *Store) TrimChanges(upTo uint64) error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.lifeMu.RUnlock()
	if upTo == 0 {
		return nil
	}
	hi := binary.BigEndian.AppendUint64([]byte{prefixChange}, upTo+1)
	if upTo == ^uint64(0) {
		hi = []byte{prefixChange + 1}
	}
	s.tail.trim(upTo)
	return s.db.DeleteRange(changeKey(0), hi, pebble.NoSync)
}
