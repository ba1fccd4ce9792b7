package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/cockroachdb/pebble/v2"
	"github.com/concorddb/concord/storage/item"
)

// Errors for malformed Mutations (programming errors in the caller's
// UpdateFunc); test with errors.Is.
var (
	// ErrBadMutation is returned when a Mutation sets both Put and Delete,
	// lacks a Version, or puts an item with a different key.
	ErrBadMutation = errors.New("storage: invalid mutation")
)

// resolve finds the table, validates the key and returns the item key.
func (s *Store) resolve(table string, key item.Item) (TableDef, []byte, error) {
	def, err := s.table(table)
	if err != nil {
		return TableDef{}, nil, err
	}
	if err := ValidateKey(def, key); err != nil {
		return TableDef{}, nil, err
	}
	k, err := itemKey(def, key)
	return def, k, err
}

// current is an item's stored state as a writer read it under the lock.
type current struct {
	found bool
	rec   valueRecord // aliases raw
}

// readCurrent reads the stored record for k.
func (s *Store) readCurrent(k []byte) (current, error) {
	v, closer, err := s.db.Get(k)
	if errors.Is(err, pebble.ErrNotFound) {
		return current{}, nil
	}
	if err != nil {
		return current{}, fmt.Errorf("storage: read key=%x: %w", k, err)
	}
	raw := append([]byte(nil), v...)
	closer.Close()
	rec, err := decodeValueRecord(raw)
	if err != nil {
		return current{}, fmt.Errorf("storage: key=%x: %w", k, err)
	}
	return current{found: true, rec: rec}, nil
}

// meta reports the current version.
func (c current) meta() Meta {
	if !c.found {
		return Meta{}
	}
	return Meta{Version: append([]byte{}, c.rec.version...), Tombstone: c.rec.tombstone}
}

// item decodes the live item, or returns nil for none. Each call decodes
// afresh, so the UpdateFunc may keep or change what it was given.
func (c current) item() (item.Item, error) {
	if !c.found || c.rec.tombstone {
		return nil, nil
	}
	it, err := item.DecodeBinary(c.rec.itemBin)
	if err != nil {
		return nil, fmt.Errorf("storage: decode item: %w", err)
	}
	return it, nil
}

// buildWrite turns an UpdateFunc's Mutation into a pendingWrite, or nil for
// a zero Mutation.
// old is cur's decoded item.
func buildWrite(def TableDef, key item.Item, k []byte, cur current, old item.Item, m Mutation) (*pendingWrite, error) {
	if m.Put == nil && !m.Delete {
		return nil, nil
	}
	if m.Put != nil && m.Delete {
		return nil, fmt.Errorf("%w: both Put and Delete set (table=%q key=%x)", ErrBadMutation, def.Name, k)
	}
	if len(m.Version) == 0 {
		return nil, fmt.Errorf("%w: no Version (table=%q key=%x)", ErrBadMutation, def.Name, k)
	}
	if m.Put != nil {
		pk, err := KeyOf(def, m.Put)
		if err != nil {
			return nil, err
		}
		pkk, err := itemKey(def, pk)
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(pkk, k) {
			return nil, fmt.Errorf("%w: Put changes the key (table=%q key=%x)", ErrBadMutation, def.Name, k)
		}
	}
	w := &pendingWrite{
		tableID: def.ID,
		table:   def.Name,
		key:     k,
		pkey:    primaryKeyBytes(k),
		keyBin:  key.AppendBinary(nil),
		del:     m.Delete,
		version: append([]byte(nil), m.Version...),
		origin:  m.Origin,
	}
	w.cause = m.Cause
	w.incarnation = def.Incarnation
	if len(m.Trace) > 0 {
		w.trace = append([]byte(nil), m.Trace...)
	}
	w.newVal = appendValueRecord(nil, m.Version, m.Put, m.Delete)
	if !m.Delete {
		rec, _ := decodeValueRecord(w.newVal)
		w.newItemBin = rec.itemBin
		w.newSize = int64(m.Put.Size())
	}
	if old != nil {
		w.oldLive = true
		w.oldVersion = cur.rec.version
		w.oldItemBin = cur.rec.itemBin
		w.oldSize = int64(old.Size())
	}
	if len(def.Indexes) > 0 {
		var next item.Item
		if !m.Delete {
			next = m.Put
		}
		w.idxIDs = indexIDs(def)
		var err error
		if w.idx, err = indexOps(def, old, next); err != nil {
			return nil, fmt.Errorf("storage: index entries (table=%q key=%x): %w", def.Name, k, err)
		}
	}
	return w, nil
}

// Get returns the live item with the given key, or nil if there is none.
func (s *Store) Get(ctx context.Context, table string, key item.Item) (item.Item, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.lifeMu.RUnlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	_, k, err := s.resolve(table, key)
	if err != nil {
		return nil, err
	}
	cur, err := s.readCurrent(k)
	if err != nil {
		return nil, err
	}
	return cur.item()
}

// Update runs fn on the item with the given key under the key's lock and
// durably commits its Mutation (synced, group-committed with concurrent
// writers) together with the change-log record and the table's stats. It
// returns the item as it was before (nil if absent).
//
// fn receives its own copy of the current item. Once the write is handed
// to the committer, Update waits for the commit whatever ctx says.
func (s *Store) Update(ctx context.Context, table string, key item.Item, fn UpdateFunc) (old item.Item, err error) {
	olds, err := s.UpdateMany(ctx, []Write{{Table: table, Key: key, Fn: fn}})
	if err != nil {
		var we *WriteError
		if errors.As(err, &we) {
			return nil, we.Err
		}
		return nil, err
	}
	return olds[0], nil
}

// UpdateMany locks all keys (in a fixed order, so callers cannot deadlock),
// runs every Fn, and commits all mutations in one synced batch, or nothing
// if any Fn fails (the error is a *WriteError). Keys must be distinct.
// olds[i] is write i's previous item.
func (s *Store) UpdateMany(ctx context.Context, writes []Write) (olds []item.Item, err error) {
	return s.UpdateManyWith(ctx, writes, nil)
}

// SettingWrite sets (or, with a nil Value, deletes) a local setting.
type SettingWrite struct {
	Name  string
	Value []byte
}

// UpdateManyWith is UpdateMany that also writes settings in the same
// synced batch: they are durable exactly when the writes are (the protocol
// layer records a transaction's idempotency token so). The settings are
// written even when every write turns out to be a no-op.
func (s *Store) UpdateManyWith(ctx context.Context, writes []Write, settings []SettingWrite) (olds []item.Item, err error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.lifeMu.RUnlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	defs := make([]TableDef, len(writes))
	keys := make([][]byte, len(writes))
	stripes := make([]int, len(writes))
	for i, w := range writes {
		if defs[i], keys[i], err = s.resolve(w.Table, w.Key); err != nil {
			return nil, &WriteError{Index: i, Err: err}
		}
		for j := range i {
			if bytes.Equal(keys[j], keys[i]) {
				return nil, &WriteError{Index: i, Err: ErrDuplicateWrite}
			}
		}
		stripes[i] = s.locks.stripe(keys[i])
	}
	stripes = s.locks.lock(stripes)
	defer s.locks.unlock(stripes)

	olds = make([]item.Item, len(writes))
	var pending []*pendingWrite
	for i, w := range writes {
		cur, err := s.readCurrent(keys[i])
		if err != nil {
			return nil, &WriteError{Index: i, Err: err}
		}
		if olds[i], err = cur.item(); err != nil {
			return nil, &WriteError{Index: i, Err: err}
		}
		given, err := cur.item()
		if err != nil {
			return nil, &WriteError{Index: i, Err: err}
		}
		m, err := w.Fn(given, cur.meta())
		if err != nil {
			return nil, &WriteError{Index: i, Err: err}
		}
		pw, err := buildWrite(defs[i], w.Key, keys[i], cur, olds[i], m)
		if err != nil {
			return nil, &WriteError{Index: i, Err: err}
		}
		if pw != nil {
			pending = append(pending, pw)
		}
	}
	if len(pending) == 0 && len(settings) == 0 {
		return olds, nil
	}
	if err := s.submit(ctx, &commitReq{writes: pending, settings: settings}); err != nil {
		return nil, err
	}
	return olds, nil
}
