package storage

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cockroachdb/pebble/v2"
)

// pendingWrite is one item write on its way to the committer, with what
// the committer needs for the change log and the stats. Everything old is
// what the writer read under the key's lock, which it holds until the
// commit is durable, so it is still current when the committer applies it.
type pendingWrite struct {
	tableID uint64
	table   string
	key     []byte // full Pebble key
	pkey    []byte // primaryKeyBytes(key)
	keyBin  []byte // the key item's binary form, for the change log

	del     bool
	version []byte
	origin  string
	trace   []byte // Mutation.Trace, carried in the change record
	cause   Cause  // Mutation.Cause, carried in the change record
	// incarnation is the table's TableDef.Incarnation, carried in the
	// change record.
	incarnation []byte
	newVal      []byte // the value record to store
	newItemBin  []byte // the item binary inside newVal; nil for a delete
	newSize     int64

	oldLive    bool // a live item (not a tombstone) was replaced
	oldVersion []byte
	oldItemBin []byte // nil if no live item
	oldSize    int64

	// idx are the index entry changes computed with the indexes idxIDs
	// (the writer's view of the table); the committer recomputes them if
	// the table's indexes changed since.
	idxIDs []uint64
	idx    []indexOp
}

type ddlKind uint8

const (
	ddlCreate ddlKind = iota + 1
	ddlUpdate
	ddlDelete
)

// ddlOp is a catalog change; the committer fills def with the result.
type ddlOp struct {
	kind ddlKind
	def  TableDef
	// origin is the region deleting or updating the table (for ddlDelete
	// and recorded updates).
	origin string
	// record asks for a change-log record of an update (UpdateTableFrom).
	record bool
	// activate names an index whose backfill is complete (index_backfill.go).
	activate uint64
}

// commitReq is one request to the committer: item writes (committed
// atomically) or one catalog change.
type commitReq struct {
	writes []*pendingWrite
	// settings are written in the same batch as writes (UpdateManyWith).
	settings []SettingWrite
	ddl      *ddlOp
	// fill is a batch of index backfill entries (index_backfill.go).
	fill *indexFill
	done chan error // buffered; receives exactly one result
}

// submit hands r to the committer and waits for the durable result. Once
// handed over, it waits whatever ctx says: the caller holds key locks that
// must outlive the commit.
func (s *Store) submit(ctx context.Context, r *commitReq) error {
	r.done = make(chan error, 1)
	select {
	case s.reqs <- r:
	case <-s.closing:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-r.done
}

// submitDDL runs a catalog change through the committer.
func (s *Store) submitDDL(ctx context.Context, op *ddlOp) (TableDef, error) {
	if err := s.enter(); err != nil {
		return TableDef{}, err
	}
	defer s.lifeMu.RUnlock()
	if err := s.submit(ctx, &commitReq{ddl: op}); err != nil {
		return TableDef{}, err
	}
	return op.def, nil
}

// runCommitter is the committer goroutine ("storage.Store: committer"),
// started by Open and stopped by Close. It takes one request, drains every
// request already waiting (group commit), commits them in one synced batch
// and answers each.
func (s *Store) runCommitter() {
	defer close(s.committerDone)
	group := make([]*commitReq, 0, s.opts.MaxCommitGroup)
	for {
		select {
		case r := <-s.reqs:
			group = append(group[:0], r)
		case <-s.closing:
			return
		}
	drain:
		for len(group) < s.opts.MaxCommitGroup {
			select {
			case r := <-s.reqs:
				group = append(group, r)
			default:
				break drain
			}
		}
		s.commitGroup(group)
		clear(group)
	}
}

// commitGroup commits runs of item writes together; a catalog change is
// committed alone, in queue order, so writes after a DeleteTable see it.
func (s *Store) commitGroup(group []*commitReq) {
	for i := 0; i < len(group); {
		if group[i].ddl != nil {
			group[i].done <- s.commitDDL(group[i].ddl)
			i++
			continue
		}
		j := i
		for j < len(group) && group[j].ddl == nil {
			j++
		}
		s.commitWrites(group[i:j])
		i = j
	}
}

// commitWrites folds the requests' item writes, their change-log records
// (numbered gap-free in queue order), the touched tables' new stats and
// the meta record into one batch, commits it synced and answers each
// request. In-memory state changes only after the batch is durable.
func (s *Store) commitWrites(reqs []*commitReq) {
	live := reqs[:0:0]
	s.cat.RLock()
	for _, r := range reqs {
		var err error
		for _, w := range r.writes {
			if name, ok := s.cat.byID[w.tableID]; !ok || name != w.table {
				err = fmt.Errorf("%w: table=%q", ErrTableNotFound, w.table)
				break
			}
		}
		if err == nil {
			err = s.checkIndexesLocked(r) // index.go
		}
		if err != nil {
			r.done <- err
			continue
		}
		live = append(live, r)
	}
	s.cat.RUnlock()
	if len(live) == 0 {
		return
	}

	b := s.db.NewBatch()
	defer b.Close()
	meta := s.meta
	staged := map[uint64]TableStats{}
	s.stats.Lock()
	for _, r := range live {
		for _, w := range r.writes {
			if _, ok := staged[w.tableID]; !ok {
				staged[w.tableID] = s.stats.byID[w.tableID]
			}
		}
		s.stageIndexStatsLocked(staged, r) // index.go
	}
	s.stats.Unlock()

	var rec []byte
	firstSeq := meta.lastSeq + 1
	var tail [][]byte // this commit's records, for s.tail
	for _, r := range live {
		if r.fill != nil {
			applyIndexFill(b, staged, r.fill) // index_backfill.go
		}
		for _, st := range r.settings {
			if st.Value == nil {
				_ = b.Delete(settingKey(st.Name), nil)
			} else {
				_ = b.Set(settingKey(st.Name), st.Value, nil)
			}
		}
		first := meta.lastSeq + 1
		for _, w := range r.writes {
			st := staged[w.tableID]
			st.applyWrite(w)
			staged[w.tableID] = st
			_ = b.Set(w.key, w.newVal, nil)
			applyIndexOps(b, staged, w.idx) // index.go
			meta.lastSeq++
			rec = appendChangeRecord(rec[:0], w.table, w.keyBin, w.version, w.origin, w.oldItemBin, w.newItemBin)
			inc := len(w.incarnation) > 0
			if len(r.writes) > 1 || len(w.trace) > 0 || w.cause != 0 || inc {
				rec = appendGroup(rec, len(r.writes), first)
			}
			if len(w.trace) > 0 || w.cause != 0 || inc {
				rec = appendTrace(rec, w.trace)
			}
			if w.cause != 0 || inc {
				rec = append(rec, byte(w.cause))
			}
			if inc {
				rec = appendIncarnation(rec, w.incarnation)
			}
			_ = b.Set(changeKey(meta.lastSeq), rec, nil)
			tail = append(tail, append([]byte(nil), rec...))
		}
	}
	for id, st := range staged {
		_ = b.Set(statsKey(id), appendStatsRecord(nil, st), nil)
	}
	_ = b.Set(metaKey, meta.encode(), nil)

	err := b.Commit(pebble.Sync)
	if err == nil {
		s.meta = meta
		s.tail.add(firstSeq, tail) // before lastSeq: readers see the tail hold it
		s.lastSeq.Store(meta.lastSeq)
		s.notifyCommitted()
		s.stats.Lock()
		for id, st := range staged {
			s.stats.byID[id] = st
		}
		s.stats.Unlock()
	} else {
		s.log.Error("storage: commit failed", "err", err, "requests", len(live))
		err = fmt.Errorf("storage: commit: %w", err)
	}
	for _, r := range live {
		r.done <- err
	}
}

// commitDDL applies one catalog change in its own synced batch.
func (s *Store) commitDDL(op *ddlOp) error {
	b := s.db.NewBatch()
	defer b.Close()
	meta := s.meta
	def := op.def

	s.cat.RLock()
	cur, exists := s.cat.byName[def.Name]
	s.cat.RUnlock()
	switch op.kind {
	case ddlCreate:
		if exists {
			return fmt.Errorf("%w: table=%q", ErrTableExists, def.Name)
		}
		def.ID = meta.nextTableID
		meta.nextTableID++
		_ = b.Set(statsKey(def.ID), appendStatsRecord(nil, TableStats{}), nil)
		_ = b.Set(metaKey, meta.encode(), nil)
	case ddlUpdate, ddlDelete:
		if !exists || cur.ID != def.ID {
			return fmt.Errorf("%w: table=%q", ErrTableNotFound, def.Name)
		}
	}
	idxAdded, idxRemoved := s.indexDDL(op, cur, &def, &meta, b) // index.go
	var ddlRec []byte
	if op.kind == ddlCreate || op.kind == ddlDelete || op.record {
		kind, recDef := ChangeTableCreate, def
		switch {
		case op.kind == ddlDelete:
			kind = ChangeTableDelete
			recDef.Origin = op.origin
		case op.kind == ddlUpdate:
			kind = ChangeTableUpdate
			recDef.Origin = op.origin
		}
		js, err := json.Marshal(recDef)
		if err != nil {
			return fmt.Errorf("storage: encode table=%q: %w", def.Name, err)
		}
		meta.lastSeq++
		ddlRec = appendDDLRecord(nil, kind, recDef.Origin, js)
		_ = b.Set(changeKey(meta.lastSeq), ddlRec, nil)
		_ = b.Set(metaKey, meta.encode(), nil)
	}
	if op.kind == ddlDelete {
		lo, hi := tableBounds(def.ID)
		if err := recordDropped(b, def, meta.lastSeq); err != nil { // dropped.go
			return err
		}
		_ = b.Delete(catalogKey(def.Name), nil)
		_ = b.Delete(statsKey(def.ID), nil)
		_ = b.DeleteRange(lo, hi, nil)
		// The table's change-log records stay until TrimChanges removes
		// them with the rest of the log.
	} else {
		js, err := json.Marshal(def)
		if err != nil {
			return fmt.Errorf("storage: encode table=%q: %w", def.Name, err)
		}
		_ = b.Set(catalogKey(def.Name), js, nil)
	}
	if err := b.Commit(pebble.Sync); err != nil {
		s.log.Error("storage: catalog commit failed", "table", def.Name, "err", err)
		return fmt.Errorf("storage: commit table=%q: %w", def.Name, err)
	}
	s.meta = meta
	if s.lastSeq.Load() != meta.lastSeq {
		if ddlRec != nil {
			s.tail.add(meta.lastSeq, [][]byte{ddlRec})
		}
		s.lastSeq.Store(meta.lastSeq)
		s.notifyCommitted()
	}
	s.cat.Lock()
	s.stats.Lock()
	switch op.kind {
	case ddlCreate:
		s.cat.byName[def.Name] = def
		s.cat.byID[def.ID] = def.Name
		s.stats.byID[def.ID] = TableStats{}
	case ddlUpdate:
		s.cat.byName[def.Name] = def
	case ddlDelete:
		delete(s.cat.byName, def.Name)
		delete(s.cat.byID, def.ID)
		delete(s.stats.byID, def.ID)
	}
	s.indexDDLDoneLocked(idxAdded, idxRemoved)
	s.stats.Unlock()
	s.cat.Unlock()
	s.startBackfills(def, idxAdded) // index_backfill.go
	op.def = def
	return nil
}
