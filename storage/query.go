package storage

import (
	"bytes"
	"context"

	"github.com/cockroachdb/pebble/v2"
	"github.com/concorddb/concord/storage/internal/keycodec"
	"github.com/concorddb/concord/storage/item"
)

// Query calls fn with each live item of the partition in sort key order
// (descending if q.Reverse) until fn returns false. Operand types that do
// not match the key schema, a sort key condition on a table without a sort
// key, and begins_with on a number are *SchemaError.
func (s *Store) Query(ctx context.Context, table string, q Query, fn func(it item.Item) bool) error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.lifeMu.RUnlock()
	def, err := s.table(table)
	if err != nil {
		return err
	}
	lo, hi, err := queryBounds(def, q)
	if err != nil || lo == nil {
		return err
	}
	if q.ExclusiveStart != nil {
		if err := ValidateKey(def, q.ExclusiveStart); err != nil {
			return err
		}
		k, err := itemKey(def, q.ExclusiveStart)
		if err != nil {
			return err
		}
		lo, hi = resumeAfter(lo, hi, k, q.Reverse)
	}
	return s.iterate(ctx, lo, hi, q.Reverse, fn)
}

// queryBounds returns the key range [lo, hi) a query covers, or lo == nil
// for an empty range.
func queryBounds(def TableDef, q Query) (lo, hi []byte, err error) {
	if q.PartitionKey.Type != def.PartitionKey.Type {
		return nil, nil, &SchemaError{Problem: KeyConditionType}
	}
	if err := checkKeyValue(def.PartitionKey, q.PartitionKey, true); err != nil {
		return nil, nil, err
	}
	prefix, err := appendPartitionPrefix(nil, def.ID, q.PartitionKey)
	if err != nil {
		return nil, nil, err
	}
	return sortKeyRange(prefix, def.SortKey, q, keycodec.Successor)
}

// sortKeyRange returns the range [lo, hi) of keys that start with prefix
// (one partition) and whose sort key value, encoded right after prefix,
// meets q's condition; lo == nil for an empty range. past(k) is the first
// key after every key whose sort value encodes to k: keycodec.Successor
// for a table (nothing follows the sort key), keycodec.PrefixEnd for an
// index (the table's key follows).
func sortKeyRange(prefix []byte, sortKey *KeyAttr, q Query, past func([]byte) []byte) (lo, hi []byte, err error) {
	lo, hi = prefix, keycodec.PrefixEnd(prefix)
	if q.Op == RangeAll {
		return lo, hi, nil
	}
	if sortKey == nil || q.Op > RangeBeginsWith {
		return nil, nil, &SchemaError{Problem: KeyConditionUnsupported}
	}
	sk := sortKey.Type
	if q.A.Type != sk || (q.Op == RangeBetween && q.B.Type != sk) {
		return nil, nil, &SchemaError{Problem: KeyConditionType}
	}
	withPrefix := func(v item.Value) ([]byte, error) {
		return keycodec.AppendValue(append([]byte(nil), prefix...), v)
	}
	if q.Op == RangeBeginsWith {
		if sk == item.TypeN {
			return nil, nil, &SchemaError{Problem: KeyConditionUnsupported}
		}
		p := keycodec.AppendBytesPrefix(append([]byte(nil), prefix...), q.A.S)
		return p, keycodec.PrefixEnd(p), nil
	}
	a, err := withPrefix(q.A)
	if err != nil {
		return nil, nil, err
	}
	switch q.Op {
	case RangeEQ:
		lo, hi = a, past(a)
	case RangeLT:
		hi = a
	case RangeLE:
		hi = past(a)
	case RangeGT:
		lo = past(a)
	case RangeGE:
		lo = a
	case RangeBetween:
		b, err := withPrefix(q.B)
		if err != nil {
			return nil, nil, err
		}
		lo, hi = a, past(b)
	}
	if bytes.Compare(lo, hi) >= 0 {
		return nil, nil, nil
	}
	return lo, hi, nil
}

// iterate calls fn with each live item in [lo, hi), in key order or
// reversed, until fn returns false or ctx is done. Reads take no locks:
// they see the last committed state.
func (s *Store) iterate(ctx context.Context, lo, hi []byte, reverse bool, fn func(item.Item) bool) error {
	return s.iterateVersions(ctx, lo, hi, reverse, func(it item.Item, _ []byte) bool { return fn(it) })
}

// iterateVersions is iterate, also passing each item's version.
func (s *Store) iterateVersions(ctx context.Context, lo, hi []byte, reverse bool, fn func(item.Item, []byte) bool) error {
	if bytes.Compare(lo, hi) >= 0 {
		return nil
	}
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: lo, UpperBound: hi})
	if err != nil {
		return err
	}
	defer it.Close()
	step := it.Next
	ok := false
	if reverse {
		step = it.Prev
		ok = it.Last()
	} else {
		ok = it.First()
	}
	for ; ok; ok = step() {
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
		if rec.tombstone {
			continue
		}
		x, err := item.DecodeBinary(rec.itemBin)
		if err != nil {
			return err
		}
		if !fn(x, rec.version) {
			return nil
		}
	}
	return it.Error()
}

// resumeAfter narrows the key range [lo, hi) to what comes after the
// exclusive start key k in the iteration order: past k going forward,
// before k going in reverse.
func resumeAfter(lo, hi, k []byte, reverse bool) ([]byte, []byte) {
	if reverse {
		if bytes.Compare(k, hi) < 0 {
			hi = k
		}
	} else if succ := keycodec.Successor(k); bytes.Compare(succ, lo) > 0 {
		lo = succ
	}
	return lo, hi
}
