package replicator

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/streams"
)

// BackfillStatus counts a Replicator's backfills: the copies of a table
// from its source when this region was added to the table's replicas.
type BackfillStatus struct {
	// Completed backfills copied every record the source held.
	Completed uint64 `json:"completed"`
	// Abandoned backfills ended because the source no longer held the
	// table (it was deleted there): nothing was left to copy from it.
	Abandoned uint64 `json:"abandoned"`
	// Failed counts attempts the source answered with an error, or with a
	// reply that did not decode; each is retried later, with back-off,
	// while the source's stream and other tables go on.
	Failed uint64 `json:"failed"`
	// Waiting is the number of tables whose backfill failed and waits
	// for its retry.
	Waiting int64 `json:"waiting"`
}

// backfillState is a Replicator's backfill bookkeeping. The counters are
// read by Status from any goroutine; retry belongs to the Replicator's
// Run goroutine, the only one that backfills.
type backfillState struct {
	completed, abandoned, failed atomic.Uint64
	waiting                      atomic.Int64
	retry                        map[string]backfillRetry // table -> when to try again
}

type backfillRetry struct {
	at       time.Time
	failures int
}

// Back-off of a failed backfill: backfillRetryMin doubled per failure in
// a row, at most backfillRetryMax.
const (
	backfillRetryMin = time.Second
	backfillRetryMax = time.Minute
)

func (b *backfillState) status() BackfillStatus {
	return BackfillStatus{Completed: b.completed.Load(), Abandoned: b.abandoned.Load(),
		Failed: b.failed.Load(), Waiting: b.waiting.Load()}
}

// forget drops table's retry.
func (b *backfillState) forget(table string) {
	delete(b.retry, table)
	b.waiting.Store(int64(len(b.retry)))
}

// later schedules table's next attempt after a failure at now.
func (b *backfillState) later(table string, now time.Time) time.Duration {
	if b.retry == nil {
		b.retry = map[string]backfillRetry{}
	}
	rt := b.retry[table]
	wait := min(backfillRetryMin<<min(rt.failures, 10), backfillRetryMax)
	b.retry[table] = backfillRetry{at: now.Add(wait), failures: rt.failures + 1}
	b.waiting.Store(int64(len(b.retry)))
	return wait
}

// due reports whether a failed backfill's retry time has come.
func (b *backfillState) due(now time.Time) bool {
	for _, rt := range b.retry {
		if !now.Before(rt.at) {
			return true
		}
	}
	return false
}

// backfillDue starts the backfills another link marked for this source
// (a replica added from another region's change copies from every
// replica) and retries the failed ones whose time has come. The
// Replicator's consume loop calls it on its tick.
func (r *Replicator) backfillDue(ctx context.Context) error {
	if r.bf.due(r.opts.Now()) || r.marked() {
		return r.backfillPending(ctx)
	}
	return nil
}

// marked reports whether a local table waits for a copy from this
// Replicator's source that is not scheduled for a retry.
func (r *Replicator) marked() bool {
	names, _, err := r.opts.Store.ListTables("", 0)
	if err != nil {
		return false
	}
	for _, name := range names {
		if _, waiting := r.bf.retry[name]; waiting {
			continue
		}
		if def, err := r.opts.Store.Table(name); err == nil && slices.Contains(def.BackfillSources(), r.opts.Source) {
			return true
		}
	}
	return false
}

// backfillPending copies the existing records of every local table whose
// BackfillFrom names this Replicator's source, then removes the source
// from the mark. A
// crash part-way leaves the mark, so the next start resumes (from the
// beginning: applying a record twice changes nothing).
//
// One table's backfill never holds up the others or the stream: if the
// source no longer holds the table, the backfill ends (the mark is
// cleared, logged and counted as abandoned); if the source answers with an
// error, the mark stays and the table is retried later, with back-off. It
// returns an error only when the source cannot be asked at all or the
// local store fails, and the link then retries as a whole.
func (r *Replicator) backfillPending(ctx context.Context) error {
	names, _, err := r.opts.Store.ListTables("", 0)
	if err != nil {
		return err
	}
	log := r.opts.Logger.With("region", r.opts.Region, "origin", r.opts.Source)
	for name := range r.bf.retry {
		if !slices.Contains(names, name) {
			r.bf.forget(name) // deleted here
		}
	}
	for _, name := range names {
		def, err := r.opts.Store.Table(name)
		if err != nil || !slices.Contains(def.BackfillSources(), r.opts.Source) {
			r.bf.forget(name)
			continue
		}
		if rt, ok := r.bf.retry[name]; ok && r.opts.Now().Before(rt.at) {
			continue
		}
		n, err := r.backfill(ctx, name)
		var remote *streams.BackfillError
		switch {
		case err == nil:
			if err := r.endBackfill(ctx, name); err != nil {
				return err
			}
			r.bf.completed.Add(1)
			log.Info("replicator: backfill complete", "table", name, "items", n)
		case errors.As(err, &remote) && errors.Is(err, storage.ErrTableNotFound):
			// Deleted at the source since it added this region: its
			// DeleteTable follows in its stream. Nothing is left to copy
			// from it, and asking again would fail the same way.
			if err := r.endBackfill(ctx, name); err != nil {
				return err
			}
			r.bf.abandoned.Add(1)
			log.Warn("replicator: backfill ended, the source no longer holds the table", "table", name, "items", n)
		case errors.Is(err, storage.ErrTableNotFound):
			r.bf.forget(name) // deleted here meanwhile
		case errors.As(err, &remote), errors.Is(err, streams.ErrMalformed):
			r.bf.failed.Add(1)
			wait := r.bf.later(name, r.opts.Now())
			log.Error("replicator: backfill failed, retrying later", "table", name, "items", n, "retry", wait, "err", err)
		case ctx.Err() != nil:
			return ctx.Err()
		default:
			return fmt.Errorf("replicator: backfill table=%q from %s: %w", name, r.opts.Source, err)
		}
	}
	return nil
}

// endBackfill removes this Replicator's source from table's BackfillFrom
// mark.
func (r *Replicator) endBackfill(ctx context.Context, table string) error {
	r.bf.forget(table)
	_, err := r.opts.Store.UpdateTableLocal(ctx, table, func(d *storage.TableDef) error {
		d.SetBackfillSources(slices.DeleteFunc(d.BackfillSources(), func(s string) bool { return s == r.opts.Source }))
		return nil
	})
	if errors.Is(err, storage.ErrTableNotFound) {
		return nil
	}
	return err
}

// backfill copies the source's records of table (live items and
// tombstones) into the local table with the last-writer-wins rule.
func (r *Replicator) backfill(ctx context.Context, table string) (int, error) {
	client := streams.BackfillClient{Conn: r.opts.JS.Conn(), Source: r.opts.Source}
	return client.Fetch(ctx, table, func(changes []*streams.Change) error {
		// A table deleted here meanwhile ends the copy, rather than
		// parking its changes for a table that will not come.
		if _, err := r.opts.Store.Table(table); err != nil {
			return err
		}
		_, err := ApplyIn(ctx, r.opts.Store, r.opts.Clock, r.opts.Region, changes)
		return err
	})
}
