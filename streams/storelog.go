package streams

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/concorddb/concord/storage"
)

// StoreLog adapts a storage.Store's change log to ChangeLog, turning
// storage records into the Changes that travel between regions.
func StoreLog(s *storage.Store) ChangeLog { return storeLog{s} }

type storeLog struct{ s *storage.Store }

func (l storeLog) Changes(ctx context.Context, after uint64, limit int, origin string) ([]Change, uint64, error) {
	recs, last, err := l.s.ReadChanges(ctx, after, limit, storage.ChangeFilter{Origin: origin, NoOld: true})
	if err != nil {
		return nil, after, err
	}
	out := make([]Change, len(recs))
	for i := range recs {
		if err := FromStorage(&out[i], &recs[i]); err != nil {
			return nil, after, err
		}
	}
	return out, last, nil
}

func (l storeLog) WaitChanges(ctx context.Context, after uint64) error {
	return l.s.WaitChanges(ctx, after)
}

func (l storeLog) LastSeq() uint64 { return l.s.LastSeq() }

// FromStorage fills c from a change-log record.
func FromStorage(c *Change, r *storage.Change) error {
	*c = Change{Seq: r.Seq, Table: r.Table, Origin: r.Origin, Version: r.Version, Key: r.Key, New: r.New,
		Group: r.Group, GroupSize: r.GroupSize, Cause: uint8(r.Cause), Trace: r.Trace, Incarnation: r.Incarnation}
	switch r.Kind {
	case storage.ChangeItem:
		c.Kind = KindItem
	case storage.ChangeTableCreate, storage.ChangeTableDelete, storage.ChangeTableUpdate:
		c.Kind = KindTable
		switch r.Kind {
		case storage.ChangeTableDelete:
			c.Kind = KindTableDelete
		case storage.ChangeTableUpdate:
			c.Kind = KindTableUpdate
		}
		def := *r.Def
		c.Incarnation = def.Incarnation
		def.ID = 0 // local to each store
		def.BackfillFrom = ""
		js, err := json.Marshal(def)
		if err != nil {
			return fmt.Errorf("streams: encode table=%q: %w", r.Table, err)
		}
		c.Def = js
	default:
		return fmt.Errorf("streams: change seq=%d of unknown kind %d", r.Seq, r.Kind)
	}
	return nil
}
