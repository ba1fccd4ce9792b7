package storage

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/bits"

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
	lo, hi := tableBounds(def.ID)
	if sc.TotalSegments != 0 || sc.Segment != 0 {
		if sc.TotalSegments <= 0 || sc.Segment < 0 || sc.Segment >= sc.TotalSegments {
			return &SegmentError{Segment: sc.Segment, TotalSegments: sc.TotalSegments}
		}
		lo = binary.BigEndian.AppendUint64(appendTablePrefix(nil, def.ID), segmentStart(sc.Segment, sc.TotalSegments))
		if sc.Segment+1 < sc.TotalSegments {
			hi = binary.BigEndian.AppendUint64(appendTablePrefix(nil, def.ID), segmentStart(sc.Segment+1, sc.TotalSegments))
		}
	}
	if sc.ExclusiveStart != nil {
		if err := ValidateKey(def, sc.ExclusiveStart); err != nil {
			return err
		}
		k, err := itemKey(def, sc.ExclusiveStart)
		if err != nil {
			return fmt.Errorf("storage: exclusive start: %w", err)
		}
		if err := sc.checkSegment(k, len(appendTablePrefix(nil, def.ID))); err != nil {
			return err
		}
		lo, hi = resumeAfter(lo, hi, k, false)
	}
	return s.iterateVersions(ctx, lo, hi, false, fn)
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
