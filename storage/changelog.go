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
	out, _, err := s.ReadChanges(ctx, after, limit, ChangeFilter{})
	return out, err
}

// ChangeFilter narrows what ReadChanges decodes.
type ChangeFilter struct {
	// Origin, if set, keeps only the records of changes that region
	// originated; the others are skipped without decoding their items.
	Origin string
	// NoOld leaves Change.Old nil: the old image is not decoded.
	NoOld bool
}

// ReadChanges reads up to limit change-log records with Seq > after (all
// of them if limit <= 0), in sequence order, and returns those f keeps and
// the Seq of the last record read (after if none), from which a caller
// resumes past the skipped ones. The newest records come from memory
// (changetail.go), older ones from Pebble.
func (s *Store) ReadChanges(ctx context.Context, after uint64, limit int, f ChangeFilter) ([]Change, uint64, error) {
	if err := s.enter(); err != nil {
		return nil, after, err
	}
	defer s.lifeMu.RUnlock()
	if after == math.MaxUint64 {
		return nil, after, nil
	}
	var out []Change
	last, read := after, 0
	var derr error
	visit := func(seq uint64, rec []byte) bool {
		if limit > 0 && read >= limit {
			return false
		}
		c, keep, err := decodeChangeFiltered(seq, rec, f)
		if err != nil {
			derr = err
			return false
		}
		read++
		last = seq
		if keep {
			out = append(out, c)
		}
		return true
	}
	if recs, ok := s.tail.since(after, s.lastSeq.Load(), limit); ok {
		for i, rec := range recs {
			if !visit(after+1+uint64(i), rec) {
				break
			}
		}
		if derr != nil {
			return nil, after, derr
		}
		return out, last, nil
	}
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{
		LowerBound: changeKey(after + 1),
		UpperBound: []byte{prefixChange + 1},
	})
	if err != nil {
		return nil, after, err
	}
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		if err := ctx.Err(); err != nil {
			return nil, after, err
		}
		v, err := it.ValueAndErr()
		if err != nil {
			return nil, after, err
		}
		if !visit(binary.BigEndian.Uint64(it.Key()[1:]), v) {
			break
		}
	}
	if derr != nil {
		return nil, after, derr
	}
	return out, last, it.Error()
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
