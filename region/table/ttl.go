package table

import (
	"bytes"
	"context"
	"math/big"
	"time"

	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// Time to Live. A table's TTL attribute is part of its description
// (Meta.TTLAttribute) and replicates with its definition, so every region
// hides expired items the same way. An item whose TTL attribute is a
// number of epoch seconds in the past is expired: reads stop returning it
// at once, writes treat it as absent (conditions, update expressions,
// returned values), and the region's sweeper deletes it with an ordinary
// tombstone that replicates (DeleteExpired). DynamoDB instead keeps
// returning expired items until its sweeper deletes them, often hours
// later. Expiry is judged on the wall clock (Options.Wall) everywhere, as
// the sweeper does and as DynamoDB does, never on the hybrid logical
// clock, which a skewed peer may move ahead.

// TTLAttribute returns the TTL attribute of def's table ("" when TTL is
// off).
func TTLAttribute(def storage.TableDef) string {
	// Every read asks; decoding the meta only when it names a TTL
	// attribute keeps that off the hot path (Encode omits the field when
	// TTL is off).
	if !bytes.Contains(def.Meta, []byte(`"ttlAttribute"`)) {
		return ""
	}
	m, err := LoadMeta(def)
	if err != nil {
		return ""
	}
	return m.TTLAttribute
}

// Expired reports whether it has expired at now under TTL attribute attr:
// the attribute is a number of epoch seconds not after now. Anything else
// (absent, another type, a value beyond any date) never expires, as in
// DynamoDB.
func Expired(it item.Item, attr string, now time.Time) bool {
	v, ok := it[attr]
	if !ok || v.Type != item.TypeN {
		return false
	}
	f, ok := new(big.Float).SetString(v.S)
	if !ok {
		return false
	}
	return f.Cmp(new(big.Float).SetInt64(now.Unix())) <= 0
}

// ExpiredFunc returns the read filter of def's table: nil when TTL is off.
func (e *Engine) ExpiredFunc(def storage.TableDef) func(item.Item) bool {
	attr := TTLAttribute(def)
	if attr == "" {
		return nil
	}
	now := e.opts.Wall()
	return func(it item.Item) bool { return it != nil && Expired(it, attr, now) }
}

// LiveOnly wraps a write's UpdateFunc so that it sees an expired item as
// absent, as reads do (expired from ExpiredFunc; nil when TTL is off). A
// delete of an expired item is its expiry, done now: it is marked
// storage.CauseTTL, as the sweeper's would have been, so DynamoDB Streams
// readers see the one removal by the TTL service they would have seen.
func LiveOnly(expired func(item.Item) bool, fn storage.UpdateFunc) storage.UpdateFunc {
	if expired == nil {
		return fn
	}
	return func(cur item.Item, meta storage.Meta) (storage.Mutation, error) {
		if cur == nil || !expired(cur) {
			return fn(cur, meta)
		}
		m, err := fn(nil, meta)
		if err == nil && m.Delete {
			m.Cause = storage.CauseTTL
		}
		return m, err
	}
}

// HideExpired returns nil for an expired item, it otherwise.
func HideExpired(expired func(item.Item) bool, it item.Item) item.Item {
	if expired != nil && expired(it) {
		return nil
	}
	return it
}

// UpdateLive is storage.Store.Update for a single-item write: fn sees, and
// the returned old item is, nil for an expired item.
func (e *Engine) UpdateLive(ctx context.Context, def storage.TableDef, key item.Item, fn storage.UpdateFunc) (item.Item, error) {
	expired := e.ExpiredFunc(def)
	old, err := e.opts.Store.Update(ctx, def.Name, key, LiveOnly(expired, fn))
	return HideExpired(expired, old), err
}

// DeleteExpired deletes the item at key if it is still expired at now
// under attr, with a fresh version marked storage.CauseTTL, as the TTL
// sweeper does. It reports whether it deleted it (false: deleted or
// renewed meanwhile).
func (e *Engine) DeleteExpired(ctx context.Context, def storage.TableDef, key item.Item, attr string, now time.Time) (bool, error) {
	deleted := false
	_, err := e.opts.Store.Update(ctx, def.Name, key, func(cur item.Item, meta storage.Meta) (storage.Mutation, error) {
		deleted = false
		if cur == nil || !Expired(cur, attr, now) {
			return storage.Mutation{}, nil
		}
		m, err := e.Stamp(ctx, storage.Mutation{Delete: true, Cause: storage.CauseTTL}, meta)
		deleted = err == nil
		return m, err
	})
	return deleted && err == nil, err
}
