package replicator

import (
	"context"
	"fmt"
	"strings"

	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/streams"
)

// Parking. A change for a table this region does not hold can mean two
// things: the table's creation has not arrived yet (another region created
// it, a third wrote to it, and the third's stream was delivered first), or
// the table is not this region's (its replica set leaves this region out).
// Skipping the change in the first case lost it for good (issue 13, case
// 1); so an item change for an unknown table is parked: written to the
// store, in the same synced commit as the other changes of its batch,
// before the batch is acknowledged. The table's definition decides it
// later:
//
//   - when this region creates its replica of the table (a replicated
//     CreateTable, or a definition change that adds this region), the
//     parked changes are applied, with the same last-writer-wins rule;
//   - when a definition shows the table is not this region's, they are
//     dropped, and the table is remembered as foreign (parkForeign) until
//     its next creation or deletion, so that changes for it meanwhile are
//     discarded at once rather than parked for ever.
//
// A deletion of a table this region never held leaves its parked changes
// parked: without incarnations on every change (a later step of issue
// 13), they may belong to a re-creation of the name. Parked changes are
// counted (Parked) and shown in the region's status.
//
// Parked changes are local settings: parkPrefix + table + "/" + origin +
// "/" + seq, holding the encoded change.
const (
	parkPrefix    = "replicator.parked/"
	parkForeign   = "replicator.foreign/"
	unparkBatch   = 512
	parkSeqDigits = 20
)

func parkName(c *streams.Change) string {
	return fmt.Sprintf("%s%s/%s/%0*d", parkPrefix, c.Table, c.Origin, parkSeqDigits, c.Seq)
}

// isForeign reports whether table is known not to be this region's.
func isForeign(store *storage.Store, table string) (bool, error) {
	f, err := store.Setting(parkForeign + table)
	return f != nil, err
}

// parkWrite is the setting that parks c.
func parkWrite(c *streams.Change) storage.SettingWrite {
	return storage.SettingWrite{Name: parkName(c), Value: streams.EncodeChange(nil, c)}
}

// Parked counts the changes parked in store, per table.
func Parked(store *storage.Store) (map[string]int, error) {
	out := map[string]int{}
	err := store.ScanSettings(parkPrefix, func(name string, _ []byte) bool {
		tbl, _, _ := strings.Cut(strings.TrimPrefix(name, parkPrefix), "/")
		out[tbl]++
		return true
	})
	return out, err
}

// unpark applies the changes parked for table, now that this region holds
// it, and removes them. Applying is idempotent, so a crash between the
// apply and the removal only applies them again.
func unpark(ctx context.Context, store *storage.Store, clock *hlc.Clock, region, table string) (Result, error) {
	var res Result
	prefix := parkPrefix + table + "/"
	for {
		var changes []*streams.Change
		var names []storage.SettingWrite
		var decodeErr error
		err := store.ScanSettings(prefix, func(name string, v []byte) bool {
			c, err := streams.DecodeChange(v)
			if err != nil {
				decodeErr = fmt.Errorf("replicator: parked change %s: %w", name, err)
				return false
			}
			changes = append(changes, c)
			names = append(names, storage.SettingWrite{Name: name})
			return len(changes) < unparkBatch
		})
		if err == nil {
			err = decodeErr
		}
		if err != nil || len(changes) == 0 {
			return res, err
		}
		r, err := applyItems(ctx, store, clock, changes)
		res.add(r)
		if err != nil {
			return res, err
		}
		if _, err := store.UpdateManyWith(ctx, nil, names); err != nil {
			return res, fmt.Errorf("replicator: unpark table=%q: %w", table, err)
		}
		res.Unparked += len(changes)
	}
}

// markForeign drops the changes parked for table and remembers that the
// table is not this region's. It returns how many it dropped.
func markForeign(ctx context.Context, store *storage.Store, table string) (int, error) {
	var del []storage.SettingWrite
	err := store.ScanSettings(parkPrefix+table+"/", func(name string, _ []byte) bool {
		del = append(del, storage.SettingWrite{Name: name})
		return true
	})
	if err != nil {
		return 0, err
	}
	n := len(del)
	del = append(del, storage.SettingWrite{Name: parkForeign + table, Value: []byte{1}})
	if _, err := store.UpdateManyWith(ctx, nil, del); err != nil {
		return 0, fmt.Errorf("replicator: drop parked changes of table=%q: %w", table, err)
	}
	return n, nil
}

// forgetForeign forgets that table is not this region's: it was created
// here, or deleted.
func forgetForeign(ctx context.Context, store *storage.Store, table string) error {
	if f, err := isForeign(store, table); err != nil || !f {
		return err
	}
	_, err := store.UpdateManyWith(ctx, nil, []storage.SettingWrite{{Name: parkForeign + table}})
	return err
}
