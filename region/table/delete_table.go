package table

import (
	"context"
	"errors"

	"github.com/concorddb/concord/storage"
)

// DeleteTable deletes the named table, unless its deletion protection is
// on (ErrDeletionProtected). It returns the table's definition and its
// figures just before the delete. An unknown table is
// storage.ErrTableNotFound.
func (e *Engine) DeleteTable(ctx context.Context, name string) (storage.TableDef, storage.TableStats, error) {
	def, err := e.opts.Store.Table(name)
	if err != nil {
		return storage.TableDef{}, storage.TableStats{}, err
	}
	m, err := LoadMeta(def)
	if err != nil {
		return storage.TableDef{}, storage.TableStats{}, err
	}
	if m.DeletionProtectionEnabled {
		return storage.TableDef{}, storage.TableStats{}, ErrDeletionProtected
	}
	stats, err := e.opts.Store.Stats(name)
	if err != nil && !errors.Is(err, storage.ErrTableNotFound) {
		return storage.TableDef{}, storage.TableStats{}, err
	}
	// The incarnation ends first: a crash in between leaves a table whose
	// late changes are dropped, which the client's retry of DeleteTable
	// then deletes.
	if err := MarkDropped(ctx, e.opts.Store, name, def.Incarnation, e.opts.Wall()); err != nil {
		return storage.TableDef{}, storage.TableStats{}, err
	}
	def, err = e.opts.Store.DeleteTableFrom(ctx, name, e.opts.Region)
	return def, stats, err
}
