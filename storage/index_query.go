package storage

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/concorddb/concord/storage/internal/keycodec"
	"github.com/concorddb/concord/storage/item"
)

// index returns the table and its named index.
func (s *Store) index(table, index string) (TableDef, IndexDef, error) {
	def, err := s.table(table)
	if err != nil {
		return TableDef{}, IndexDef{}, err
	}
	x, ok := def.Index(index)
	if !ok {
		return TableDef{}, IndexDef{}, fmt.Errorf("%w: table=%q index=%q", ErrIndexNotFound, table, index)
	}
	return def, x, nil
}

// ValidateIndexKey checks that key holds exactly the table's and the
// index's key attributes with the right types (an index's
// LastEvaluatedKey), returning a *SchemaError otherwise.
func ValidateIndexKey(def TableDef, x IndexDef, key item.Item) error {
	want := map[string]item.Type{}
	for _, a := range append(keyAttrs(def), indexKeyAttrs(x)...) {
		want[a.Name] = a.Type
	}
	if len(key) != len(want) {
		return &SchemaError{Problem: KeySchema}
	}
	for name, t := range want {
		if v, ok := key[name]; !ok || v.Type != t {
			return &SchemaError{Problem: KeySchema}
		}
	}
	return nil
}

// startKey returns the entry key of an index ExclusiveStart.
func startKey(def TableDef, x IndexDef, start item.Item) ([]byte, error) {
	if err := ValidateIndexKey(def, x, start); err != nil {
		return nil, err
	}
	k, err := indexEntryKey(def, x, start)
	if err != nil {
		return nil, err
	}
	if k == nil {
		return nil, &SchemaError{Problem: KeySchema}
	}
	return k, nil
}

// QueryIndex calls fn with each entry (the projected item) of one
// partition of the table's index, in index sort key order (then table key
// order), until fn returns false. q.ExclusiveStart, if set, holds the
// index's and the table's key attributes of the last entry returned.
// Index entries are written in the same batch as their item, so a query
// never sees a stale entry.
func (s *Store) QueryIndex(ctx context.Context, table, index string, q Query, fn func(it item.Item) bool) error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.lifeMu.RUnlock()
	def, x, err := s.index(table, index)
	if err != nil {
		return err
	}
	lo, hi, err := indexQueryBounds(x, q)
	if err != nil || lo == nil {
		return err
	}
	if q.ExclusiveStart != nil {
		k, err := startKey(def, x, q.ExclusiveStart)
		if err != nil {
			return err
		}
		lo, hi = resumeAfter(lo, hi, k, q.Reverse)
	}
	return s.iterate(ctx, lo, hi, q.Reverse, fn)
}

// indexQueryBounds returns the entry key range [lo, hi) a query of index x
// covers, or lo == nil for an empty range. Sort key bounds use PrefixEnd,
// not Successor: entries with one index sort key value differ in the
// table key that follows it.
func indexQueryBounds(x IndexDef, q Query) (lo, hi []byte, err error) {
	if q.PartitionKey.Type != x.PartitionKey.Type {
		return nil, nil, &SchemaError{Problem: KeyConditionType}
	}
	if err := checkKeyValue(x.PartitionKey, q.PartitionKey, true); err != nil {
		return nil, nil, err
	}
	prefix, err := appendIndexPartition(nil, x.ID, q.PartitionKey)
	if err != nil {
		return nil, nil, err
	}
	return sortKeyRange(prefix, x.SortKey, q, keycodec.PrefixEnd)
}

// ScanIndex calls fn with each entry (projected item) of a segment of the
// table's index until fn returns false, in the index's partition hash
// order; segments split the index's hash space as Scan does for tables.
func (s *Store) ScanIndex(ctx context.Context, table, index string, sc Scan, fn func(it item.Item) bool) error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.lifeMu.RUnlock()
	def, x, err := s.index(table, index)
	if err != nil {
		return err
	}
	lo, hi := indexBounds(x.ID)
	if sc.TotalSegments != 0 || sc.Segment != 0 {
		if sc.TotalSegments <= 0 || sc.Segment < 0 || sc.Segment >= sc.TotalSegments {
			return &SegmentError{Segment: sc.Segment, TotalSegments: sc.TotalSegments}
		}
		lo = binary.BigEndian.AppendUint64(appendIndexPrefix(nil, x.ID), segmentStart(sc.Segment, sc.TotalSegments))
		if sc.Segment+1 < sc.TotalSegments {
			hi = binary.BigEndian.AppendUint64(appendIndexPrefix(nil, x.ID), segmentStart(sc.Segment+1, sc.TotalSegments))
		}
	}
	if sc.ExclusiveStart != nil {
		k, err := startKey(def, x, sc.ExclusiveStart)
		if err != nil {
			return err
		}
		if err := sc.checkSegment(k, len(appendIndexPrefix(nil, x.ID))); err != nil {
			return err
		}
		lo, hi = resumeAfter(lo, hi, k, false)
	}
	return s.iterate(ctx, lo, hi, false, fn)
}
