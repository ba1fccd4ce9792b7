package replicator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/streams"
)

// Table changes. Every table change names its table's incarnation (the
// version of its CreateTable; table.CompareIncarnations orders them), and
// this region holds at most one incarnation of a name. A change of
// another incarnation than the one held decides between them, the same
// way in every region, whatever the order of delivery:
//
//   - a greater incarnation ends the one held: the table is dropped here
//     (without publishing a delete: every region makes the same decision
//     itself) and the change is applied as if the name were free;
//   - a smaller one is not this name's table any more: its change is
//     dropped (and a creation of it is remembered as ended);
//   - an incarnation that has ended (table.Ended: deleted, or lost) is
//     dropped whatever arrives of it later.
//
// A DeleteTable ends its incarnation for good. Creating, deleting or
// updating what is already so is a no-op, so redelivery changes nothing.

// applyTable applies one table change.
func applyTable(ctx context.Context, store *storage.Store, clock *hlc.Clock, region string, c *streams.Change) (Result, error) {
	if v, err := conflict.DecodeVersion(c.Version); err == nil {
		clock.Update(v.TS)
	}
	return applyTableRetry(ctx, store, clock, region, c, 3)
}

// applyTableRetry is applyTable, deciding again (at most retries more
// times) when a local CreateTable of the name races it.
func applyTableRetry(ctx context.Context, store *storage.Store, clock *hlc.Clock, region string, c *streams.Change, retries int) (Result, error) {
	var def storage.TableDef
	if err := json.Unmarshal(c.Def, &def); err != nil || def.Name == "" {
		if c.Kind != streams.KindTableDelete {
			return Result{Skipped: 1}, nil // nothing to build from; a newer producer's format
		}
		def = storage.TableDef{Name: c.Table, Incarnation: c.Incarnation}
	}
	def.ID, def.BackfillFrom = 0, ""
	inc := def.Incarnation
	now := time.Unix(0, clock.Now().Wall)

	ended, err := table.Ended(store, def.Name, inc)
	if err != nil {
		return Result{}, err
	}
	if ended && c.Kind != streams.KindTableDelete {
		return Result{Discarded: 1}, dropIncarnation(ctx, store, def.Name, inc, now)
	}
	local, err := store.Table(def.Name)
	exists := err == nil
	if err != nil && !errors.Is(err, storage.ErrTableNotFound) {
		return Result{}, err
	}
	if exists && table.CompareIncarnations(local.Incarnation, inc) != 0 {
		if table.CompareIncarnations(inc, local.Incarnation) < 0 {
			// An incarnation older than the table held: it has ended.
			if c.Kind == streams.KindTable || c.Kind == streams.KindTableDelete {
				return Result{Discarded: 1}, dropIncarnation(ctx, store, def.Name, inc, now)
			}
			return Result{Discarded: 1}, nil
		}
		// A greater incarnation: the one held here has ended.
		if err := endLocal(ctx, store, local, c.Origin, now); err != nil {
			return Result{}, err
		}
		exists = false
	}

	switch c.Kind {
	case streams.KindTableDelete:
		if err := dropIncarnation(ctx, store, def.Name, inc, now); err != nil {
			return Result{}, err
		}
		if !exists {
			return Result{Discarded: 1}, nil
		}
		if _, err := store.DeleteTableFrom(ctx, def.Name, c.Origin); err != nil && !errors.Is(err, storage.ErrTableNotFound) {
			return Result{}, fmt.Errorf("replicator: delete table=%q: %w", def.Name, err)
		}
		return Result{Applied: 1}, nil
	case streams.KindTable, streams.KindTableUpdate:
		backfill := c.Kind == streams.KindTableUpdate
		if !exists {
			// A definition of an incarnation known not to be this
			// region's merges with what made it so: an older one (its
			// creation, delivered late) must not bring the replica back.
			if known, ok, err := table.ForeignDef(store, def.Name, inc); err != nil {
				return Result{}, err
			} else if ok {
				if err := table.MergeDefinition(&known, def); err == nil {
					def, backfill = known, true
				}
			}
		}
		member := table.IsReplica(def, region) // held here: see updateDefinition
		switch {
		case !exists && !member:
			if _, err := markForeign(ctx, store, def); err != nil {
				return Result{}, err
			}
			return Result{Discarded: 1}, nil
		case !exists:
			// A new replica here. From a definition change (this region
			// was added to the replica set, or its creation has not
			// arrived yet) it copies the existing items, tombstones
			// included, from every other replica, not only the change's
			// origin: a write another replica accepted and the origin
			// had not applied yet, which reached this region before it
			// held the table, must not be left behind (issue 13, case 2a).
			def.Meta = newReplicaMeta(def.Meta)
			res := Result{Applied: 1}
			if backfill {
				sources := []string{c.Origin}
				for _, r := range def.Replicas {
					if r != region {
						sources = append(sources, r)
					}
				}
				def.SetBackfillSources(sources)
				res.Backfill = []string{def.Name}
			}
			if _, err := store.CreateTable(ctx, def); err != nil {
				if errors.Is(err, storage.ErrTableExists) && retries > 0 {
					// A local CreateTable of the name committed since the
					// lookup: decide again, between the two incarnations.
					return applyTableRetry(ctx, store, clock, region, c, retries-1)
				}
				return Result{}, fmt.Errorf("replicator: create table=%q: %w", def.Name, err)
			}
			if backfill {
				// A region added back to a table it held before copies its
				// own writes of that time from its change log: the other
				// replicas may not have them yet when they are copied from,
				// and this region never receives its own changes again.
				r, err := replayOwn(ctx, store, clock, region, def.Name, inc)
				res.add(r)
				if err != nil {
					return res, err
				}
			}
			return created(ctx, store, clock, region, def.Name, inc, res)
		case c.Kind == streams.KindTable:
			return created(ctx, store, clock, region, def.Name, inc, Result{Discarded: 1})
		default:
			// Whether this region stays a replica is decided on the
			// merged definition: an older change that took it out loses
			// to a later one that added it back.
			return updateDefinition(ctx, store, clock, region, c, def)
		}
	}
	return Result{Skipped: 1}, nil
}

// updateDefinition merges another region's definition of the table held
// here (same incarnation), field by field. When the merged definition
// leaves this region out of the replica set, this region drops its copy
// and remembers the incarnation as foreign.
func updateDefinition(ctx context.Context, store *storage.Store, clock *hlc.Clock, region string, c *streams.Change, def storage.TableDef) (Result, error) {
	merged, err := store.UpdateTableFrom(ctx, def.Name, c.Origin, func(cur *storage.TableDef) error {
		// Field by field, by last-writer-wins on each field's version:
		// the table engine's rule (table.MergeDefinition). A definition
		// that cannot be merged (a corrupt Meta) keeps the local one:
		// failing would stop replication from the source.
		m := *cur
		if err := table.MergeDefinition(&m, def); err == nil {
			*cur = m
		}
		return nil
	})
	if errors.Is(err, storage.ErrTableNotFound) {
		return Result{Discarded: 1}, nil // raced with a local DeleteTable
	}
	if err != nil {
		return Result{}, fmt.Errorf("replicator: update table=%q: %w", def.Name, err)
	}
	if !table.IsReplica(merged, region) {
		if _, err := store.DeleteTableFrom(ctx, def.Name, c.Origin); err != nil && !errors.Is(err, storage.ErrTableNotFound) {
			return Result{}, fmt.Errorf("replicator: drop this replica of table=%q: %w", def.Name, err)
		}
		if _, err := markForeign(ctx, store, merged); err != nil {
			return Result{}, err
		}
		return Result{Applied: 1}, nil
	}
	return created(ctx, store, clock, region, def.Name, def.Incarnation, Result{Applied: 1})
}

// replayOwn applies again this region's own changes of incarnation inc of
// table that its change log still holds, with the usual rule.
func replayOwn(ctx context.Context, store *storage.Store, clock *hlc.Clock, region, name string, inc []byte) (Result, error) {
	var res Result
	log := streams.StoreLog(store)
	for after := uint64(0); ; {
		changes, last, err := log.Changes(ctx, after, 1024, region)
		if err != nil {
			return res, fmt.Errorf("replicator: read own changes of table=%q: %w", name, err)
		}
		var mine []*streams.Change
		for i := range changes {
			c := &changes[i]
			if c.Kind == streams.KindItem && c.Table == name && table.CompareIncarnations(c.Incarnation, inc) == 0 {
				c.GroupSize, c.Group = 1, c.Seq // replayed one by one
				mine = append(mine, c)
			}
		}
		if len(mine) > 0 {
			r, err := applyItems(ctx, store, clock, mine)
			res.add(r)
			if err != nil {
				return res, err
			}
		}
		if last == after || len(changes) == 0 && last <= after {
			return res, nil
		}
		after = last
	}
}

// endLocal drops the table held here, whose incarnation a greater one of
// its name has ended. The drop is recorded with origin (the change's
// region), so this region does not publish it: every region ends it by
// itself.
func endLocal(ctx context.Context, store *storage.Store, local storage.TableDef, origin string, now time.Time) error {
	if err := table.MarkDropped(ctx, store, local.Name, local.Incarnation, now); err != nil {
		return err
	}
	if _, err := store.DeleteTableFrom(ctx, local.Name, origin); err != nil && !errors.Is(err, storage.ErrTableNotFound) {
		return fmt.Errorf("replicator: end table=%q incarnation=%s: %w", local.Name, table.IncarnationString(local.Incarnation), err)
	}
	return nil
}

// dropIncarnation ends incarnation inc of table name here: it is
// remembered as ended, and what was parked or marked for it goes.
func dropIncarnation(ctx context.Context, store *storage.Store, name string, inc []byte, now time.Time) error {
	if err := table.MarkDropped(ctx, store, name, inc, now); err != nil {
		return err
	}
	if _, err := clearParked(ctx, store, name, inc); err != nil {
		return err
	}
	return table.ForgetForeign(ctx, store, name, inc)
}

// created follows the creation of this region's replica of incarnation
// inc of name (or the arrival of a definition of the table it holds): the
// incarnation is no longer foreign, and the changes parked for it (and
// those that name no incarnation) are applied.
func created(ctx context.Context, store *storage.Store, clock *hlc.Clock, region, name string, inc []byte, res Result) (Result, error) {
	if err := table.ForgetForeign(ctx, store, name, inc); err != nil {
		return res, err
	}
	for _, i := range [][]byte{inc, nil} {
		r, err := unpark(ctx, store, clock, region, name, i)
		res.add(r)
		if err != nil || len(inc) == 0 {
			return res, err
		}
	}
	return res, nil
}
