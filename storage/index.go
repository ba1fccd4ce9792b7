package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/cockroachdb/pebble/v2"

	"github.com/concorddb/concord/storage/internal/keycodec"
	"github.com/concorddb/concord/storage/item"
)

// prefixIndex is the key space of index entries:
// 0x11 | index ID (8, BE) | hash64(enc(index pk)) (8, BE) | enc(index pk) |
// enc(index sk) | enc(table pk) | enc(table sk) -> value record of the
// projected item (no version). Index IDs come from the table ID sequence,
// so they are never reused either.
const prefixIndex byte = 0x11

// IndexKind says whether an index is global or local.
type IndexKind uint8

// Kinds of secondary index.
const (
	// IndexGlobal is a global secondary index: any partition and sort key.
	IndexGlobal IndexKind = iota + 1
	// IndexLocal is a local secondary index: the table's partition key and
	// another sort key.
	IndexLocal
)

// ProjectionType is which attributes an index entry carries.
type ProjectionType string

// Projection types (DynamoDB's names).
const (
	ProjectAll      ProjectionType = "ALL"
	ProjectKeysOnly ProjectionType = "KEYS_ONLY"
	ProjectInclude  ProjectionType = "INCLUDE"
)

// IndexStatus is an index's state in this store.
type IndexStatus string

// Index statuses.
const (
	// IndexCreating: the store is still filling the index from the
	// table's existing items (writes already maintain it).
	IndexCreating IndexStatus = "CREATING"
	// IndexActive: the index holds an entry for every item that has its keys.
	IndexActive IndexStatus = "ACTIVE"
)

// IndexDef is a secondary index of a table.
type IndexDef struct {
	Name string
	Kind IndexKind
	// ID is assigned by the store and local to it: two regions give the
	// same index different IDs. Callers leave it zero for new indexes.
	ID           uint64 `json:",omitempty"`
	PartitionKey KeyAttr
	SortKey      *KeyAttr `json:",omitempty"`
	Projection   ProjectionType
	// NonKeyAttributes are the attributes an INCLUDE projection adds to
	// the keys.
	NonKeyAttributes []string `json:",omitempty"`
	// Status is local to each store: an index added to a table that holds
	// items is CREATING until the store has backfilled it.
	Status IndexStatus `json:",omitempty"`
}

// Index returns the named index of def.
func (def TableDef) Index(name string) (IndexDef, bool) {
	for _, x := range def.Indexes {
		if x.Name == name {
			return x, true
		}
	}
	return IndexDef{}, false
}

// indexKeyAttrs lists the index's key attributes, partition key first.
func indexKeyAttrs(x IndexDef) []KeyAttr {
	if x.SortKey == nil {
		return []KeyAttr{x.PartitionKey}
	}
	return []KeyAttr{x.PartitionKey, *x.SortKey}
}

// appendIndexPrefix appends the prefix of all of an index's entry keys.
func appendIndexPrefix(dst []byte, id uint64) []byte {
	dst = append(dst, prefixIndex)
	return binary.BigEndian.AppendUint64(dst, id)
}

// indexBounds returns the key range holding all of an index's entries.
func indexBounds(id uint64) (lo, hi []byte) {
	return appendIndexPrefix(nil, id), appendIndexPrefix(nil, id+1)
}

// appendIndexPartition appends index prefix, hash and encoded partition key.
func appendIndexPartition(dst []byte, id uint64, pk item.Value) ([]byte, error) {
	enc, err := keycodec.AppendValue(nil, pk)
	if err != nil {
		return nil, err
	}
	dst = appendIndexPrefix(dst, id)
	dst = binary.BigEndian.AppendUint64(dst, hash64(enc))
	return append(dst, enc...), nil
}

// indexKeyValue reports whether v can be an index key value of a: right
// type, non-empty and within the key size limits. Items whose value does
// not qualify are absent from the index (sparse indexes).
func indexKeyValue(a KeyAttr, v item.Value, ok, partition bool) bool {
	return ok && v.Type == a.Type && checkKeyValue(a, v, partition) == nil
}

// indexEntryKey returns the key of it's entry in index x of def, or nil if
// the item lacks (or has unusable) index key attributes.
func indexEntryKey(def TableDef, x IndexDef, it item.Item) ([]byte, error) {
	pv, ok := it[x.PartitionKey.Name]
	if !indexKeyValue(x.PartitionKey, pv, ok, true) {
		return nil, nil
	}
	k, err := appendIndexPartition(make([]byte, 0, 96), x.ID, pv)
	if err != nil {
		return nil, err
	}
	if x.SortKey != nil {
		sv, ok := it[x.SortKey.Name]
		if !indexKeyValue(*x.SortKey, sv, ok, false) {
			return nil, nil
		}
		if k, err = keycodec.AppendValue(k, sv); err != nil {
			return nil, err
		}
	}
	for _, a := range keyAttrs(def) {
		if k, err = keycodec.AppendValue(k, it[a.Name]); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// projectItem returns the attributes of it that index x carries.
func projectItem(def TableDef, x IndexDef, it item.Item) item.Item {
	if x.Projection == ProjectAll || x.Projection == "" {
		return it
	}
	out := make(item.Item, 4+len(x.NonKeyAttributes))
	for _, a := range append(keyAttrs(def), indexKeyAttrs(x)...) {
		out[a.Name] = it[a.Name]
	}
	if x.Projection == ProjectInclude {
		for _, n := range x.NonKeyAttributes {
			if v, ok := it[n]; ok {
				out[n] = v
			}
		}
	}
	return out
}

// indexOp is one index entry change a write makes.
type indexOp struct {
	id      uint64
	oldKey  []byte // the old item's entry, or nil
	oldSize int64
	// oldMissing: the index is still being backfilled and the old item's
	// entry was never written (set by the committer).
	oldMissing bool
	newKey     []byte // the new item's entry, or nil
	newVal     []byte
	newSize    int64
}

// indexEntry computes item it's entry in index x: key (nil if absent),
// value record and size.
func indexEntry(def TableDef, x IndexDef, it item.Item) (key, val []byte, size int64, err error) {
	if it == nil {
		return nil, nil, 0, nil
	}
	key, err = indexEntryKey(def, x, it)
	if key == nil || err != nil {
		return nil, nil, 0, err
	}
	p := projectItem(def, x, it)
	return key, appendValueRecord(nil, nil, p, false), int64(p.Size()), nil
}

// indexOps computes the index entry changes of replacing old by new (either
// may be nil) in every index of def.
func indexOps(def TableDef, old, new item.Item) ([]indexOp, error) {
	if len(def.Indexes) == 0 {
		return nil, nil
	}
	ops := make([]indexOp, 0, len(def.Indexes))
	for _, x := range def.Indexes {
		ok, _, osize, err := indexEntry(def, x, old)
		if err != nil {
			return nil, err
		}
		nk, nv, nsize, err := indexEntry(def, x, new)
		if err != nil {
			return nil, err
		}
		if ok != nil || nk != nil {
			ops = append(ops, indexOp{id: x.ID, oldKey: ok, oldSize: osize, newKey: nk, newVal: nv, newSize: nsize})
		}
	}
	return ops, nil
}

// checkIndexesLocked, run by the committer with s.cat read-locked, brings
// r's index entry changes up to date with the catalog (an index added or
// dropped since the writer read the table) and, for indexes still being
// backfilled, notes old entries that were never written so the index's
// figures stay exact. For a backfill request it checks that the index
// still exists.
func (s *Store) checkIndexesLocked(r *commitReq) error {
	for _, w := range r.writes {
		def := s.cat.byName[w.table]
		if !slices.Equal(w.idxIDs, indexIDs(def)) {
			ops, err := indexOpsFromBins(def, w.oldItemBin, w.newItemBin)
			if err != nil {
				return fmt.Errorf("storage: index entries (table=%q key=%x): %w", w.table, w.key, err)
			}
			w.idx, w.idxIDs = ops, indexIDs(def)
		}
		for i := range w.idx {
			op := &w.idx[i]
			if op.oldKey == nil || indexStatus(def, op.id) != IndexCreating {
				continue
			}
			exists, err := s.exists(op.oldKey)
			if err != nil {
				return err
			}
			op.oldMissing = !exists
		}
	}
	if f := r.fill; f != nil {
		name, ok := s.cat.byID[f.tableID]
		if !ok || indexStatus(s.cat.byName[name], f.indexID) == "" {
			return errIndexGone
		}
	}
	return nil
}

// errIndexGone answers a backfill request for an index dropped meanwhile.
var errIndexGone = fmt.Errorf("storage: index dropped during backfill: %w", ErrTableNotFound)

// indexStatus returns the status of def's index with the given ID, or ""
// if there is none.
func indexStatus(def TableDef, id uint64) IndexStatus {
	for _, x := range def.Indexes {
		if x.ID == id {
			return x.Status
		}
	}
	return ""
}

// exists reports whether Pebble holds key k.
func (s *Store) exists(k []byte) (bool, error) {
	_, closer, err := s.db.Get(k)
	if errors.Is(err, pebble.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("storage: read key=%x: %w", k, err)
	}
	closer.Close()
	return true, nil
}

// stageIndexStatsLocked (s.stats held) seeds staged with the current
// figures of every index r touches.
func (s *Store) stageIndexStatsLocked(staged map[uint64]TableStats, r *commitReq) {
	seed := func(id uint64) {
		if _, ok := staged[id]; !ok {
			staged[id] = s.stats.byID[id]
		}
	}
	for _, w := range r.writes {
		for _, op := range w.idx {
			seed(op.id)
		}
	}
	if r.fill != nil {
		seed(r.fill.indexID)
	}
}

// applyIndexOps adds a write's index entry changes to the batch and its
// indexes' figures.
func applyIndexOps(b *pebble.Batch, staged map[uint64]TableStats, ops []indexOp) {
	for _, op := range ops {
		st := staged[op.id]
		if op.oldKey != nil && !op.oldMissing {
			st.ItemCount--
			st.SizeBytes -= op.oldSize
		}
		if op.oldKey != nil && (op.newKey == nil || !bytes.Equal(op.oldKey, op.newKey)) {
			_ = b.Delete(op.oldKey, nil)
		}
		if op.newKey != nil {
			_ = b.Set(op.newKey, op.newVal, nil)
			st.ItemCount++
			st.SizeBytes += op.newSize
		}
		staged[op.id] = st
	}
}

// indexIDs returns the IDs of def's indexes.
func indexIDs(def TableDef) []uint64 {
	ids := make([]uint64, len(def.Indexes))
	for i, x := range def.Indexes {
		ids[i] = x.ID
	}
	return ids
}

// indexOpsFromBins decodes old and new item binaries and computes indexOps.
func indexOpsFromBins(def TableDef, oldBin, newBin []byte) ([]indexOp, error) {
	var old, new item.Item
	var err error
	if oldBin != nil {
		if old, err = item.DecodeBinary(oldBin); err != nil {
			return nil, err
		}
	}
	if newBin != nil {
		if new, err = item.DecodeBinary(newBin); err != nil {
			return nil, err
		}
	}
	return indexOps(def, old, new)
}

// prepareIndexes readies the indexes of a definition about to be stored:
// indexes already in cur keep their ID and status; new ones get an ID from
// nextID (advanced) and status CREATING, or ACTIVE if empty says the table
// holds no items; the index whose ID is activate becomes ACTIVE. It returns the IDs of indexes that are new and of those
// cur has but def no longer has.
func prepareIndexes(cur, def *TableDef, nextID *uint64, empty bool, activate uint64) (added, removed []uint64) {
	var have map[string]IndexDef
	if cur != nil {
		have = make(map[string]IndexDef, len(cur.Indexes))
		for _, x := range cur.Indexes {
			have[x.Name] = x
		}
	}
	for i := range def.Indexes {
		x := &def.Indexes[i]
		if old, ok := have[x.Name]; ok && sameIndexKeys(old, *x) {
			x.ID, x.Status = old.ID, old.Status
			if x.ID == activate {
				x.Status = IndexActive
			}
			delete(have, x.Name)
			continue
		}
		x.ID = *nextID
		*nextID++
		x.Status = IndexCreating
		if empty {
			x.Status = IndexActive
		}
		added = append(added, x.ID)
	}
	for _, x := range have {
		removed = append(removed, x.ID)
	}
	slices.Sort(removed)
	return added, removed
}

// sameIndexKeys reports whether two definitions of an index describe the
// same entries.
func sameIndexKeys(a, b IndexDef) bool {
	return a.Kind == b.Kind && a.PartitionKey == b.PartitionKey &&
		(a.SortKey == nil) == (b.SortKey == nil) && (a.SortKey == nil || *a.SortKey == *b.SortKey) &&
		a.Projection == b.Projection && slices.Equal(a.NonKeyAttributes, b.NonKeyAttributes)
}

// cloneIndexes copies def's index definitions so that callers cannot change
// the cached catalog.
func cloneIndexes(xs []IndexDef) []IndexDef {
	if xs == nil {
		return nil
	}
	out := make([]IndexDef, len(xs))
	for i, x := range xs {
		if x.SortKey != nil {
			sk := *x.SortKey
			x.SortKey = &sk
		}
		x.NonKeyAttributes = slices.Clone(x.NonKeyAttributes)
		out[i] = x
	}
	return out
}

// validateIndexes checks the store's invariants of def's indexes.
func validateIndexes(def TableDef) error {
	seen := map[string]bool{}
	for _, x := range def.Indexes {
		bad := x.Name == "" || seen[x.Name] || x.PartitionKey.Name == "" || !isKeyType(x.PartitionKey.Type) ||
			(x.SortKey != nil && (x.SortKey.Name == "" || !isKeyType(x.SortKey.Type) || x.SortKey.Name == x.PartitionKey.Name)) ||
			(x.Kind != IndexGlobal && x.Kind != IndexLocal) ||
			(x.Kind == IndexLocal && (x.PartitionKey != def.PartitionKey || x.SortKey == nil || def.SortKey == nil))
		switch x.Projection {
		case ProjectAll, ProjectKeysOnly, ProjectInclude:
		default:
			bad = true
		}
		if bad {
			return fmt.Errorf("storage: invalid index %q of table=%q", x.Name, def.Name)
		}
		seen[x.Name] = true
	}
	return nil
}

// indexDDL readies the indexes of a catalog change (commitDDL, before the
// batch commits): it assigns IDs, initialises the figures of new indexes
// and deletes the entries and figures of dropped ones in b.
func (s *Store) indexDDL(op *ddlOp, cur TableDef, def *TableDef, meta *metaRecord, b *pebble.Batch) (added, removed []uint64) {
	switch op.kind {
	case ddlCreate:
		added, _ = prepareIndexes(nil, def, &meta.nextTableID, true, 0)
	case ddlUpdate:
		s.stats.Lock()
		empty := s.stats.byID[cur.ID].ItemCount == 0
		s.stats.Unlock()
		added, removed = prepareIndexes(&cur, def, &meta.nextTableID, empty, op.activate)
	case ddlDelete:
		removed = indexIDs(cur)
	}
	for _, id := range added {
		_ = b.Set(statsKey(id), appendStatsRecord(nil, TableStats{}), nil)
	}
	if len(added) > 0 {
		_ = b.Set(metaKey, meta.encode(), nil)
	}
	for _, id := range removed {
		lo, hi := indexBounds(id)
		_ = b.DeleteRange(lo, hi, nil)
		_ = b.Delete(statsKey(id), nil)
	}
	return added, removed
}

// indexDDLDoneLocked (s.stats held) updates the in-memory figures after
// a committed catalog change.
func (s *Store) indexDDLDoneLocked(added, removed []uint64) {
	for _, id := range added {
		s.stats.byID[id] = TableStats{}
	}
	for _, id := range removed {
		delete(s.stats.byID, id)
	}
}
