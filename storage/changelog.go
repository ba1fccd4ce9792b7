package storage

import (
	"context"
	"encoding/binary"
	"math"

	"github.com/cockroachdb/pebble/v2"
)

// Changes returns up to limit change-log records with Seq > after, in
// sequence order. A limit of zero or less means no limit. Records appear
// only once durable, and a batch's records appear together, so a reader
// never sees a gap. TrimChanges removes old records (region trims what
// the publisher has published once it is older than the retention window).
func (s *Store) Changes(ctx context.Context, after uint64, limit int) ([]Change, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.lifeMu.RUnlock()
	if after == math.MaxUint64 {
		return nil, nil
	}
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{
		LowerBound: changeKey(after + 1),
		UpperBound: []byte{prefixChange + 1},
	})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out []Change
	for ok := it.First(); ok && (limit <= 0 || len(out) < limit); ok = it.Next() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		v, err := it.ValueAndErr()
		if err != nil {
			return nil, err
		}
		c, err := decodeChangeRecord(binary.BigEndian.Uint64(it.Key()[1:]), v)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, it.Error()
}

// LastSeq returns the sequence number of the newest durable change-log
// record (0 if none).
func (s *Store) LastSeq() uint64 {
	return s.lastSeq.Load()
}

// WaitChanges blocks until the change log holds a record with Seq > after,
// or ctx ends (returning ctx.Err()), or the store closes (ErrClosed).
func (s *Store) WaitChanges(ctx context.Context, after uint64) error {
	for {
		ch := s.committed.Load()
		if s.lastSeq.Load() > after {
			return nil
		}
		select {
		case <-*ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-s.closing:
			return ErrClosed
		}
	}
}

// notifyCommitted wakes WaitChanges callers; the committer calls it after
// each commit that added change-log records.
func (s *Store) notifyCommitted() {
	next := make(chan struct{})
	old := s.committed.Swap(&next)
	close(*old)
}
