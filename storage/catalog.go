package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/cockroachdb/pebble/v2"
	"github.com/concorddb/concord/storage/internal/keycodec"
	"github.com/concorddb/concord/storage/item"
)

// load reads the meta record, the catalog and the stats at Open.
func (s *Store) load() error {
	s.cat.byName = map[string]TableDef{}
	s.cat.byID = map[uint64]string{}
	s.stats.byID = map[uint64]TableStats{}
	s.meta = metaRecord{nextTableID: 1}

	v, closer, err := s.db.Get(metaKey)
	switch {
	case errors.Is(err, pebble.ErrNotFound):
	case err != nil:
		return fmt.Errorf("storage: read meta: %w", err)
	default:
		s.meta, err = decodeMetaRecord(v)
		closer.Close()
		if err != nil {
			return fmt.Errorf("storage: meta: %w", err)
		}
		s.lastSeq.Store(s.meta.lastSeq)
	}

	err = s.scanPrefix([]byte{prefixCatalog}, func(k, v []byte) error {
		var def TableDef
		if err := json.Unmarshal(v, &def); err != nil {
			return fmt.Errorf("storage: catalog entry %q: %w", k[1:], err)
		}
		s.cat.byName[def.Name] = def
		s.cat.byID[def.ID] = def.Name
		s.stats.byID[def.ID] = TableStats{}
		return nil
	})
	if err != nil {
		return err
	}
	return s.scanPrefix([]byte{prefixStats}, func(k, v []byte) error {
		st, err := decodeStatsRecord(v)
		if err != nil || len(k) != 9 {
			return fmt.Errorf("storage: stats record %x: %w", k, errCorrupt)
		}
		s.stats.byID[uint64FromKey(k[1:])] = st
		return nil
	})
}

func uint64FromKey(b []byte) uint64 {
	var x uint64
	for _, c := range b[:8] {
		x = x<<8 | uint64(c)
	}
	return x
}

// scanPrefix calls fn with every key/value under prefix; the slices are
// valid only during the call.
func (s *Store) scanPrefix(prefix []byte, fn func(k, v []byte) error) error {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: keycodec.PrefixEnd(prefix)})
	if err != nil {
		return err
	}
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.ValueAndErr()
		if err == nil {
			err = fn(it.Key(), v)
		}
		if err != nil {
			it.Close()
			return err
		}
	}
	if err := it.Error(); err != nil {
		it.Close()
		return err
	}
	return it.Close()
}

// table returns the named table from the catalog cache.
func (s *Store) table(name string) (TableDef, error) {
	s.cat.RLock()
	def, ok := s.cat.byName[name]
	s.cat.RUnlock()
	if !ok {
		return TableDef{}, fmt.Errorf("%w: table=%q", ErrTableNotFound, name)
	}
	return def, nil
}

// cloneDef returns def with its own copies of SortKey and Meta, so callers
// cannot change the cached catalog.
func cloneDef(def TableDef) TableDef {
	if def.SortKey != nil {
		sk := *def.SortKey
		def.SortKey = &sk
	}
	if def.Meta != nil {
		def.Meta = append([]byte(nil), def.Meta...)
	}
	if def.Replicas != nil {
		def.Replicas = append([]string(nil), def.Replicas...)
	}
	def.Indexes = cloneIndexes(def.Indexes)
	return def
}

func isKeyType(t item.Type) bool {
	return t == item.TypeS || t == item.TypeN || t == item.TypeB
}

// CreateTable adds a table and returns it with its ID assigned. It fails
// with ErrTableExists if the name is in use.
func (s *Store) CreateTable(ctx context.Context, def TableDef) (TableDef, error) {
	if def.Name == "" || def.PartitionKey.Name == "" || !isKeyType(def.PartitionKey.Type) ||
		(def.SortKey != nil && (def.SortKey.Name == "" || !isKeyType(def.SortKey.Type) || def.SortKey.Name == def.PartitionKey.Name)) {
		return TableDef{}, fmt.Errorf("storage: invalid table definition for table=%q: key attributes need a name and type S, N or B", def.Name)
	}
	if err := validateIndexes(def); err != nil {
		return TableDef{}, err
	}
	def = cloneDef(def)
	def.ID = 0
	s.ddlMu.Lock()
	defer s.ddlMu.Unlock()
	out, err := s.submitDDL(ctx, &ddlOp{kind: ddlCreate, def: def})
	return cloneDef(out), err
}

// Table returns the named table, or ErrTableNotFound.
func (s *Store) Table(name string) (TableDef, error) {
	def, err := s.table(name)
	return cloneDef(def), err
}

// UpdateTableMeta replaces the table's Meta with what fn returns. fn runs
// while other catalog changes wait; an error from fn is returned unchanged
// and nothing is written.
func (s *Store) UpdateTableMeta(ctx context.Context, name string, fn func(meta []byte) ([]byte, error)) (TableDef, error) {
	s.ddlMu.Lock()
	defer s.ddlMu.Unlock()
	def, err := s.Table(name)
	if err != nil {
		return TableDef{}, err
	}
	meta, err := fn(def.Meta)
	if err != nil {
		return TableDef{}, err
	}
	def.Meta = append([]byte(nil), meta...)
	out, err := s.submitDDL(ctx, &ddlOp{kind: ddlUpdate, def: def})
	return cloneDef(out), err
}

// UpdateTableFrom changes the table's Meta, Replicas and Indexes (added
// indexes are backfilled in the background, dropped ones deleted) through
// fn (which must not change the name, ID, keys or creation time) and records the new
// definition in the change log as made by origin, so the change replicates.
// fn runs while other catalog changes wait; its error is returned unchanged
// and nothing is written.
func (s *Store) UpdateTableFrom(ctx context.Context, name, origin string, fn func(def *TableDef) error) (TableDef, error) {
	s.ddlMu.Lock()
	defer s.ddlMu.Unlock()
	def, err := s.Table(name)
	if err != nil {
		return TableDef{}, err
	}
	next := cloneDef(def)
	if err := fn(&next); err != nil {
		return TableDef{}, err
	}
	if next.Name != def.Name || next.ID != def.ID || next.PartitionKey != def.PartitionKey ||
		(next.SortKey == nil) != (def.SortKey == nil) || (next.SortKey != nil && *next.SortKey != *def.SortKey) {
		return TableDef{}, fmt.Errorf("storage: UpdateTableFrom table=%q: name, ID and key schema cannot change", name)
	}
	if err := validateIndexes(next); err != nil {
		return TableDef{}, err
	}
	out, err := s.submitDDL(ctx, &ddlOp{kind: ddlUpdate, def: next, origin: origin, record: true})
	return cloneDef(out), err
}

// UpdateTableLocal is UpdateTableFrom without a change-log record: the
// change stays in this store (for example BackfillFrom).
func (s *Store) UpdateTableLocal(ctx context.Context, name string, fn func(def *TableDef) error) (TableDef, error) {
	s.ddlMu.Lock()
	defer s.ddlMu.Unlock()
	def, err := s.Table(name)
	if err != nil {
		return TableDef{}, err
	}
	next := cloneDef(def)
	if err := fn(&next); err != nil {
		return TableDef{}, err
	}
	next.Name, next.ID, next.PartitionKey, next.SortKey = def.Name, def.ID, def.PartitionKey, def.SortKey
	if err := validateIndexes(next); err != nil {
		return TableDef{}, err
	}
	out, err := s.submitDDL(ctx, &ddlOp{kind: ddlUpdate, def: next})
	return cloneDef(out), err
}

// DeleteTable removes the table, its stats and all its items in one synced
// batch and returns the table as it was. Its ID is never reused, so a
// table created later under the same name starts empty.
func (s *Store) DeleteTable(ctx context.Context, name string) (TableDef, error) {
	return s.DeleteTableFrom(ctx, name, "")
}

// DeleteTableFrom is DeleteTable recording origin, the region that deleted
// the table, in the change log ("" means the table's own origin).
func (s *Store) DeleteTableFrom(ctx context.Context, name, origin string) (TableDef, error) {
	s.ddlMu.Lock()
	defer s.ddlMu.Unlock()
	def, err := s.Table(name)
	if err != nil {
		return TableDef{}, err
	}
	if origin == "" {
		origin = def.Origin
	}
	out, err := s.submitDDL(ctx, &ddlOp{kind: ddlDelete, def: def, origin: origin})
	return cloneDef(out), err
}

// ListTables returns up to limit table names greater than after, in order,
// and whether more remain. A limit of zero or less means no limit.
func (s *Store) ListTables(after string, limit int) (names []string, more bool, err error) {
	if s.closeOnce.Load() {
		return nil, false, ErrClosed
	}
	s.cat.RLock()
	for name := range s.cat.byName {
		if name > after {
			names = append(names, name)
		}
	}
	s.cat.RUnlock()
	sort.Strings(names)
	if limit > 0 && len(names) > limit {
		return names[:limit], true, nil
	}
	return names, false, nil
}

// Stats returns the table's live figures.
func (s *Store) Stats(name string) (TableStats, error) {
	def, err := s.table(name)
	if err != nil {
		return TableStats{}, err
	}
	s.stats.Lock()
	st, ok := s.stats.byID[def.ID]
	s.stats.Unlock()
	if !ok { // deleted since the catalog lookup
		return TableStats{}, fmt.Errorf("%w: table=%q", ErrTableNotFound, name)
	}
	return st, nil
}
