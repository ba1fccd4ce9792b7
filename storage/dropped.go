package storage

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/cockroachdb/pebble/v2"
)

// Dropped tables. When a table is deleted the store remembers its last
// definition, the Seq of its deletion record and the time, as a local
// setting written in the deletion's batch, so that what outlives a table
// for a while (the DynamoDB Streams of a deleted table stay readable for
// 24 hours) can still be described. ForgetDropped removes the memory.

// DroppedTable is a deleted table as the store remembers it.
type DroppedTable struct {
	Def TableDef `json:"def"`
	// Seq is the deletion's change-log record: the table's last Seq.
	Seq uint64 `json:"seq"`
	// At is when the deletion was committed, in Unix nanoseconds.
	At int64 `json:"at"`
}

const droppedPrefix = "storage.dropped."

func droppedName(id uint64) string { return droppedPrefix + strconv.FormatUint(id, 10) }

// recordDropped adds def's record to the deletion batch b; seq is the
// deletion's change-log Seq.
func recordDropped(b *pebble.Batch, def TableDef, seq uint64) error {
	js, err := json.Marshal(DroppedTable{Def: def, Seq: seq, At: time.Now().UnixNano()})
	if err != nil {
		return fmt.Errorf("storage: encode dropped table=%q: %w", def.Name, err)
	}
	return b.Set(settingKey(droppedName(def.ID)), js, nil)
}

// DroppedTables returns the deleted tables the store remembers, in the
// order they were created.
func (s *Store) DroppedTables() ([]DroppedTable, error) {
	var out []DroppedTable
	var derr error
	err := s.ScanSettings(droppedPrefix, func(name string, v []byte) bool {
		var d DroppedTable
		if err := json.Unmarshal(v, &d); err != nil {
			derr = fmt.Errorf("storage: %s: %w", name, err)
			return false
		}
		out = append(out, d)
		return true
	})
	if err == nil {
		err = derr
	}
	slices.SortFunc(out, func(a, b DroppedTable) int { return cmp.Compare(a.Def.ID, b.Def.ID) })
	return out, err
}

// ForgetDropped removes the memory of the deleted table with local ID id.
func (s *Store) ForgetDropped(ctx context.Context, id uint64) error {
	return s.DeleteSettings(ctx, []string{droppedName(id)})
}
