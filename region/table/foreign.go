package table

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/concorddb/concord/storage"
)

// Foreign tables. A region that is not in a table's replica set holds no
// copy of it, but remembers the incarnation as foreign, with the
// definition that says so: the replicator then discards the table's
// changes at once (rather than parking them for ever), merges a
// definition that arrives later with it (an older one must not bring the
// replica back), and CreateTable refuses the name here, as it is taken:
// a new incarnation would end the table in every region that holds it.
// The mark goes when the incarnation ends or this region becomes a
// replica.

// foreignPrefix names the foreign marks: foreignPrefix + table + "/" +
// hex(incarnation), holding the definition's JSON.
const foreignPrefix = "table.foreign/"

func foreignName(name string, inc []byte) string {
	return foreignPrefix + name + "/" + hex.EncodeToString(inc)
}

// MarkForeign remembers that def's incarnation is not this region's, with
// def.
func MarkForeign(ctx context.Context, store *storage.Store, def storage.TableDef) error {
	def.ID, def.BackfillFrom = 0, ""
	b, err := json.Marshal(def)
	if err != nil {
		return err
	}
	if err := store.SetSetting(ctx, foreignName(def.Name, def.Incarnation), b); err != nil {
		return fmt.Errorf("table: mark table=%q foreign: %w", def.Name, err)
	}
	return nil
}

// ForeignDef returns the definition MarkForeign remembered for
// incarnation inc of table name; ok is false when it is not foreign.
func ForeignDef(store *storage.Store, name string, inc []byte) (def storage.TableDef, ok bool, err error) {
	b, err := store.Setting(foreignName(name, inc))
	if err != nil || b == nil {
		return def, false, err
	}
	if err := json.Unmarshal(b, &def); err != nil {
		return def, false, fmt.Errorf("table: foreign mark of table=%q: %w", name, err)
	}
	return def, true, nil
}

// IsForeign reports whether incarnation inc of table name is known not to
// be this region's.
func IsForeign(store *storage.Store, name string, inc []byte) (bool, error) {
	b, err := store.Setting(foreignName(name, inc))
	return b != nil, err
}

// ForgetForeign forgets that incarnation inc of table name is not this
// region's: it ended, or this region became a replica.
func ForgetForeign(ctx context.Context, store *storage.Store, name string, inc []byte) error {
	if f, err := IsForeign(store, name, inc); err != nil || !f {
		return err
	}
	return store.DeleteSettings(ctx, []string{foreignName(name, inc)})
}

// latestForeign returns the greatest foreign incarnation of table name
// (nil if none).
func latestForeign(store *storage.Store, name string) ([]byte, error) {
	return greatestIncarnation(store, foreignPrefix+name+"/")
}

// nameTaken reports whether this region knows of a live incarnation of
// table name held by other regions only.
func nameTaken(store *storage.Store, name string) (bool, error) {
	taken := false
	err := store.ScanSettings(foreignPrefix+name+"/", func(string, []byte) bool {
		taken = true
		return false
	})
	return taken, err
}
