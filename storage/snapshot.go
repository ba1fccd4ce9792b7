package storage

import (
	"context"
	"errors"
	"fmt"

	"github.com/cockroachdb/pebble/v2"
	"github.com/concorddb/concord/storage/item"
)

// TableKey names one item: its table and its primary key attributes.
type TableKey struct {
	Table string
	Key   item.Item
}

// GetMany returns the live items with the given keys, all read from one
// Pebble snapshot: items[i] is keys[i]'s item, or nil if it is absent or
// deleted. Every write (and every UpdateMany, a transaction or a
// replicated group) commits in one Pebble batch, and a snapshot sees a
// batch entirely or not at all, so GetMany never observes part of an
// UpdateMany. Like Get it takes no locks and never waits for writers.
//
// A key naming an unknown table fails with ErrTableNotFound and a key that
// does not fit its table's schema with a *SchemaError; both are
// wrapped in a *KeyError giving the key's index.
func (s *Store) GetMany(ctx context.Context, keys []TableKey) (items []item.Item, err error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.lifeMu.RUnlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ks := make([][]byte, len(keys))
	for i, tk := range keys {
		if _, ks[i], err = s.resolve(tk.Table, tk.Key); err != nil {
			return nil, &KeyError{Index: i, Err: err}
		}
	}
	snap := s.db.NewSnapshot()
	defer snap.Close()
	items = make([]item.Item, len(keys))
	for i, k := range ks {
		if items[i], err = readLive(snap, k); err != nil {
			return nil, err
		}
	}
	return items, nil
}

// readLive reads k's live item from r, or nil for none or a tombstone.
func readLive(r pebble.Reader, k []byte) (item.Item, error) {
	v, closer, err := r.Get(k)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("storage: read key=%x: %w", k, err)
	}
	defer closer.Close()
	rec, err := decodeValueRecord(v)
	if err != nil {
		return nil, fmt.Errorf("storage: key=%x: %w", k, err)
	}
	if rec.tombstone {
		return nil, nil
	}
	// DecodeBinary copies what it keeps, so the item outlives closer.
	it, err := item.DecodeBinary(rec.itemBin)
	if err != nil {
		return nil, fmt.Errorf("storage: decode item key=%x: %w", k, err)
	}
	return it, nil
}

// KeyError reports which key of GetMany was rejected.
type KeyError struct {
	Index int
	Err   error
}

// Error returns the rejected key's error message.
func (e *KeyError) Error() string { return e.Err.Error() }

// Unwrap returns the rejected key's error.
func (e *KeyError) Unwrap() error { return e.Err }
