package storage

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math/bits"

	"github.com/cockroachdb/pebble/v2"
	"github.com/concorddb/concord/storage/internal/keycodec"
	"github.com/concorddb/concord/storage/item"
)

// Scan calls fn with each live item of the segment until fn returns false.
// Items come in a stable order (by a hash of the partition key, as in
// DynamoDB), so a scan resumed with ExclusiveStart sees each item once.
// Segment i of n covers the partition hashes [i*2^64/n, (i+1)*2^64/n).
func (s *Store) Scan(ctx context.Context, table string, sc Scan, fn func(it item.Item) bool) error {
	return s.ScanVersions(ctx, table, sc, func(it item.Item, _ []byte) bool { return fn(it) })
}

// ScanVersions is Scan, also passing each item's version (the replicator's
// backfill sends items with their versions). fn must not keep version.
func (s *Store) ScanVersions(ctx context.Context, table string, sc Scan, fn func(it item.Item, version []byte) bool) error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.lifeMu.RUnlock()
	def, err := s.table(table)
	if err != nil {
		return err
	}
	lo, hi, err := sc.bounds(def)
	if err != nil {
		return err
	}
	return s.iterateVersions(ctx, lo, hi, false, fn)
}

// Record is one key's stored state as ScanRecords passes it: a live item
// or a tombstone, with its version.
type Record struct {
	// Key is the primary key.
	Key item.Item
	// Item is the live item; nil for a tombstone.
	Item item.Item
	// Version is the item's or the tombstone's version. It is valid only
	// during the callback; copy it to keep it.
	Version []byte
}

// ScanRecords is ScanVersions including tombstones: it calls fn with each
// key of the segment that holds a live item or a tombstone not purged yet
// (see PurgeTombstones), in Scan's order, until fn returns false. A
// replica's backfill copies records rather than items, so that a delete
// reaches the new replica as a tombstone and a late, older write of the
// item is refused there as it is here. ExclusiveStart may be a
// tombstone's key.
func (s *Store) ScanRecords(ctx context.Context, table string, sc Scan, fn func(r Record) bool) error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.lifeMu.RUnlock()
	def, err := s.table(table)
	if err != nil {
		return err
	}
	lo, hi, err := sc.bounds(def)
	if err != nil || bytes.Compare(lo, hi) >= 0 {
		return err
	}
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: lo, UpperBound: hi})
	if err != nil {
		return err
	}
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		v, err := it.ValueAndErr()
		if err != nil {
			return err
		}
		rec, err := decodeValueRecord(v)
		if err != nil {
			return err
		}
		r := Record{Version: rec.version}
		if r.Key, err = keyOfItemKey(def, it.Key()); err != nil {
			return err
		}
		if !rec.tombstone {
			if r.Item, err = item.DecodeBinary(rec.itemBin); err != nil {
				return err
			}
		}
		if !fn(r) {
			return nil
		}
	}
	return it.Error()
}

// keyOfItemKey decodes the primary key from def's item key k (itemKey's
// inverse).
func keyOfItemKey(def TableDef, k []byte) (item.Item, error) {
	if len(k) < tablePrefixLen+hashLen {
		return nil, fmt.Errorf("%w: item key %x", errCorrupt, k)
	}
	b := primaryKeyBytes(k)
	key := make(item.Item, 2)
	pk, b, err := keycodec.DecodeValue(b, def.PartitionKey.Type)
	if err != nil {
		return nil, fmt.Errorf("%w: item key %x: %v", errCorrupt, k, err)
	}
	key[def.PartitionKey.Name] = pk
	if def.SortKey != nil {
		var sk item.Value
		if sk, b, err = keycodec.DecodeValue(b, def.SortKey.Type); err != nil {
			return nil, fmt.Errorf("%w: item key %x: %v", errCorrupt, k, err)
		}
		key[def.SortKey.Name] = sk
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%w: item key %x: %d trailing bytes", errCorrupt, k, len(b))
	}
	return key, nil
}

// bounds is the key range sc covers in def's items.
func (sc Scan) bounds(def TableDef) (lo, hi []byte, err error) {
	lo, hi = tableBounds(def.ID)
	if sc.TotalSegments != 0 || sc.Segment != 0 {
		if sc.TotalSegments <= 0 || sc.Segment < 0 || sc.Segment >= sc.TotalSegments {
			return nil, nil, &SegmentError{Segment: sc.Segment, TotalSegments: sc.TotalSegments}
		}
		lo = binary.BigEndian.AppendUint64(appendTablePrefix(nil, def.ID), segmentStart(sc.Segment, sc.TotalSegments))
		if sc.Segment+1 < sc.TotalSegments {
			hi = binary.BigEndian.AppendUint64(appendTablePrefix(nil, def.ID), segmentStart(sc.Segment+1, sc.TotalSegments))
		}
	}
	if sc.ExclusiveStart != nil {
		if err := ValidateKey(def, sc.ExclusiveStart); err != nil {
			return nil, nil, err
		}
		k, err := itemKey(def, sc.ExclusiveStart)
		if err != nil {
			return nil, nil, fmt.Errorf("storage: exclusive start: %w", err)
		}
		if err := sc.checkSegment(k, len(appendTablePrefix(nil, def.ID))); err != nil {
			return nil, nil, err
		}
		lo, hi = resumeAfter(lo, hi, k, false)
	}
	return lo, hi, nil
}

// checkSegment rejects an ExclusiveStart key (encoded as k, its partition
// hash after prefixLen bytes) outside the scan's segment, as DynamoDB does:
// resuming there would scan another segment's items.
func (sc Scan) checkSegment(k []byte, prefixLen int) error {
	if sc.TotalSegments == 0 || len(k) < prefixLen+8 {
		return nil
	}
	h := binary.BigEndian.Uint64(k[prefixLen:])
	if h < segmentStart(sc.Segment, sc.TotalSegments) ||
		sc.Segment+1 < sc.TotalSegments && h >= segmentStart(sc.Segment+1, sc.TotalSegments) {
		return &SegmentError{Segment: sc.Segment, TotalSegments: sc.TotalSegments, StartKey: true}
	}
	return nil
}

// segmentStart is the first hash of segment i of n: floor(i * 2^64 / n).
func segmentStart(i, n int) uint64 {
	q, _ := bits.Div64(uint64(i), 0, uint64(n))
	return q
}
