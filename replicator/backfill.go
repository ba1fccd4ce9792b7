package replicator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/streams"
)

// backfillPending copies the existing items of every local table whose
// BackfillFrom names this Replicator's source, then clears the mark. A
// crash part-way leaves the mark, so the next start resumes (from the
// beginning: applying an item twice changes nothing).
func (r *Replicator) backfillPending(ctx context.Context) error {
	names, _, err := r.opts.Store.ListTables("", 0)
	if err != nil {
		return err
	}
	for _, name := range names {
		def, err := r.opts.Store.Table(name)
		if err != nil || def.BackfillFrom != r.opts.Source {
			continue
		}
		n, err := r.backfill(ctx, name)
		if errors.Is(err, storage.ErrTableNotFound) {
			continue // dropped meanwhile
		}
		if err != nil {
			return fmt.Errorf("replicator: backfill table=%q from %s: %w", name, r.opts.Source, err)
		}
		if _, err := r.opts.Store.UpdateTableLocal(ctx, name, func(d *storage.TableDef) error {
			d.BackfillFrom = ""
			return nil
		}); err != nil && !errors.Is(err, storage.ErrTableNotFound) {
			return err
		}
		r.opts.Logger.Info("replicator: backfill complete", "region", r.opts.Region, "origin", r.opts.Source, "table", name, "items", n)
	}
	return nil
}

// backfill pages through the source's copy of table.
func (r *Replicator) backfill(ctx context.Context, table string) (int, error) {
	nc := r.opts.JS.Conn()
	req := streams.BackfillRequest{Table: table, Limit: 500}
	total := 0
	for {
		body, err := json.Marshal(req)
		if err != nil {
			return total, err
		}
		rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		msg, err := nc.RequestWithContext(rctx, streams.BackfillSubject(r.opts.Source), body)
		cancel()
		if err != nil {
			return total, err
		}
		if e := msg.Header.Get("Concord-Error"); e != "" {
			return total, errors.New(e)
		}
		done, changes, err := streams.DecodeBackfillPage(msg.Data)
		if err != nil {
			return total, err
		}
		if _, err := ApplyIn(ctx, r.opts.Store, r.opts.Clock, r.opts.Region, changes); err != nil {
			return total, err
		}
		total += len(changes)
		if done || len(changes) == 0 {
			return total, nil
		}
		req.After = changes[len(changes)-1].Key.AppendBinary(nil)
	}
}
