package table

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/storage"
)

// Incarnations. A table is an incarnation: the version (hlc, region) of
// its CreateTable, kept in storage.TableDef.Incarnation and carried in
// every change of its items and of its definition (DESIGN decision 7), so
// that a delete and a re-creation of a name never mix:
//
//   - two incarnations of one name (concurrent CreateTable in two
//     regions) resolve by their versions: the greater is the table
//     everywhere, the other ends;
//   - a DeleteTable ends its incarnation for good: a concurrent or later
//     change of it is dropped everywhere;
//   - ended incarnations are remembered (MarkDropped) for the retention
//     window, so their late changes are recognised and dropped.
//
// Tables created before incarnations have none (nil): older than any
// incarnation, and their changes carry none.

// CompareIncarnations orders two incarnations like their versions; nil
// (no incarnation) is older than any.
func CompareIncarnations(a, b []byte) int {
	switch {
	case len(a) == 0 && len(b) == 0:
		return 0
	case len(a) == 0:
		return -1
	case len(b) == 0:
		return 1
	}
	va, errA := conflict.DecodeVersion(a)
	vb, errB := conflict.DecodeVersion(b)
	if errA != nil || errB != nil {
		return bytes.Compare(a, b)
	}
	return va.Compare(vb)
}

// IncarnationString renders an incarnation for logs and names: its
// version, or "none".
func IncarnationString(inc []byte) string {
	if len(inc) == 0 {
		return "none"
	}
	if v, err := conflict.DecodeVersion(inc); err == nil {
		return v.String()
	}
	return hex.EncodeToString(inc)
}

// droppedPrefix names the settings that remember ended incarnations:
// droppedPrefix + table + "/" + hex(incarnation), holding the time it
// ended (Unix nanoseconds).
const droppedPrefix = "table.dropped/"

func droppedName(name string, inc []byte) string {
	return droppedPrefix + name + "/" + hex.EncodeToString(inc)
}

// MarkDropped remembers that incarnation inc of table name has ended, at
// now: deleted, or lost to a greater incarnation of the name. Tables
// without an incarnation are not remembered.
func MarkDropped(ctx context.Context, store *storage.Store, name string, inc []byte, now time.Time) error {
	if len(inc) == 0 {
		return nil
	}
	if err := store.SetSetting(ctx, droppedName(name, inc), binary.BigEndian.AppendUint64(nil, uint64(now.UnixNano()))); err != nil {
		return fmt.Errorf("table: remember the end of table=%q incarnation=%s: %w", name, IncarnationString(inc), err)
	}
	return nil
}

// Dropped reports whether incarnation inc of table name has ended (as far
// as this region knows, within the retention window).
func Dropped(store *storage.Store, name string, inc []byte) (bool, error) {
	if len(inc) == 0 {
		return false, nil
	}
	v, err := store.Setting(droppedName(name, inc))
	return v != nil, err
}

// LatestEnded returns the greatest incarnation of table name this region
// remembers as ended (nil if none). An incarnation smaller than it has
// ended too, whatever this region has seen of it: it lost to a greater
// one, which existed.
func LatestEnded(store *storage.Store, name string) ([]byte, error) {
	return greatestIncarnation(store, droppedPrefix+name+"/")
}

// greatestIncarnation returns the greatest incarnation named, in hex,
// after prefix by the settings under it (nil if none).
func greatestIncarnation(store *storage.Store, prefix string) ([]byte, error) {
	var last []byte
	err := store.ScanSettings(prefix, func(setting string, _ []byte) bool {
		inc, err := hex.DecodeString(strings.TrimPrefix(setting, prefix))
		if err == nil && CompareIncarnations(inc, last) > 0 {
			last = inc
		}
		return true
	})
	return last, err
}

// Ended reports whether incarnation inc of table name has ended, as far
// as this region knows: it was deleted or lost (Dropped), or a greater
// incarnation of the name exists or existed (one that has ended,
// LatestEnded, or one alive in other regions only, foreign here), so it
// lost to that one. A change that names no incarnation has not.
func Ended(store *storage.Store, name string, inc []byte) (bool, error) {
	if len(inc) == 0 {
		return false, nil
	}
	if d, err := Dropped(store, name, inc); err != nil || d {
		return d, err
	}
	last, err := LatestEnded(store, name)
	if err != nil || CompareIncarnations(inc, last) < 0 {
		return err == nil, err
	}
	// A greater incarnation alive in other regions (foreign here) ended it
	// too.
	live, err := latestForeign(store, name)
	return err == nil && CompareIncarnations(inc, live) < 0, err
}

// PurgeDroppedIncarnations forgets the incarnations that ended before
// cutoff and returns how many it forgot. The region's maintenance calls
// it with the tombstone retention window.
func PurgeDroppedIncarnations(ctx context.Context, store *storage.Store, cutoff time.Time) (int, error) {
	var old []string
	err := store.ScanSettings(droppedPrefix, func(name string, v []byte) bool {
		if len(v) != 8 || int64(binary.BigEndian.Uint64(v)) < cutoff.UnixNano() {
			old = append(old, name)
		}
		return len(old) < 10000
	})
	if err != nil || len(old) == 0 {
		return 0, err
	}
	return len(old), store.DeleteSettings(ctx, old)
}

// newIncarnation is the incarnation of table name this region creates
// now: greater than every incarnation of the name this region knows has
// ended, as a local write's version is greater than the one it replaces.
// The clock alone would not do: it does not follow a region whose clock
// runs ahead beyond the maximum offset, and a re-creation must win over
// the deleted incarnation everywhere.
func (e *Engine) newIncarnation(name string) ([]byte, error) {
	last, err := LatestEnded(e.opts.Store, name)
	if err != nil {
		return nil, err
	}
	v, err := conflict.NextLocal(e.opts.Clock, e.opts.Region, last)
	if err != nil {
		return nil, err
	}
	return v.Encode(), nil
}
