package replicator

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/streams"
)

// Parking. An item change of a table incarnation this region does not
// hold can mean two things: its creation has not arrived yet (another
// region created it, a third wrote to it, and the third's stream was
// delivered first; or a re-creation of the name is on its way), or it is
// not this region's (its replica set leaves this region out). Skipping
// the change in the first case lost it for good (issue 13, case 1); so it
// is parked: written to the store, in the same synced commit as the other
// changes of its batch, before the batch is acknowledged. The table's
// definition decides it later (tables.go):
//
//   - when this region creates its replica of the incarnation, the parked
//     changes are applied, with the same last-writer-wins rule;
//   - when a definition shows the incarnation is not this region's, they
//     are dropped, and the incarnation is remembered as foreign
//     (table.MarkForeign), so that its changes meanwhile are discarded at
//     once rather than parked for ever;
//   - when the incarnation ends (deleted, or lost to a greater one), they
//     are dropped.
//
// Parked changes are counted (Parked) and shown in the region's status.
// They are local settings: parkPrefix + table + "/" + hex(incarnation) +
// "/" + origin + "/" + seq, holding the encoded change.
const (
	parkPrefix    = "replicator.parked/"
	unparkBatch   = 512
	parkSeqDigits = 20
)

// parkDir is the name prefix of the changes parked for incarnation inc of
// table.
func parkDir(table string, inc []byte) string {
	return parkPrefix + table + "/" + hex.EncodeToString(inc) + "/"
}

// parkWrite is the setting that parks c.
func parkWrite(c *streams.Change) storage.SettingWrite {
	return storage.SettingWrite{
		Name:  fmt.Sprintf("%s%s/%0*d", parkDir(c.Table, c.Incarnation), c.Origin, parkSeqDigits, c.Seq),
		Value: streams.EncodeChange(nil, c),
	}
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

// unpark applies the changes parked for incarnation inc of table, now
// that this region holds it, and removes them. Applying is idempotent, so
// a crash between the apply and the removal only applies them again.
func unpark(ctx context.Context, store *storage.Store, clock *hlc.Clock, region, table string, inc []byte) (Result, error) {
	var res Result
	prefix := parkDir(table, inc)
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

// clearParked removes the changes parked for incarnation inc of table and
// returns how many it removed.
func clearParked(ctx context.Context, store *storage.Store, table string, inc []byte) (int, error) {
	var del []storage.SettingWrite
	err := store.ScanSettings(parkDir(table, inc), func(name string, _ []byte) bool {
		del = append(del, storage.SettingWrite{Name: name})
		return true
	})
	if err != nil || len(del) == 0 {
		return 0, err
	}
	if _, err := store.UpdateManyWith(ctx, nil, del); err != nil {
		return 0, fmt.Errorf("replicator: drop parked changes of table=%q: %w", table, err)
	}
	return len(del), nil
}

// markForeign drops the changes parked for incarnation inc of table and
// remembers that it is not this region's (table.MarkForeign), with def.
// It returns how many changes it dropped.
func markForeign(ctx context.Context, store *storage.Store, def storage.TableDef) (int, error) {
	n, err := clearParked(ctx, store, def.Name, def.Incarnation)
	if err != nil {
		return 0, err
	}
	return n, table.MarkForeign(ctx, store, def)
}
