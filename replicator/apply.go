package replicator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
	"github.com/concorddb/concord/streams"
)

// Result counts what applying a batch did.
type Result struct {
	// Applied changes won and were written; Discarded lost to a newer
	// version already here (or were duplicates, or named a table that is
	// not this region's); Skipped could not be applied here (a malformed
	// version, a key that does not fit this region's schema); Parked named
	// a table this region does not know yet and wait for it (park.go);
	// Unparked were parked and have now been applied or discarded; Skewed
	// carried timestamps beyond the maximum clock offset.
	Applied, Discarded, Skipped, Parked, Unparked, Skewed int
	// Backfill lists tables this region was just added to, which must now
	// copy the existing items from the change's origin.
	Backfill []string
	// Conflicts lists the discarded changes that lost to a version written
	// in another region (At is left zero).
	Conflicts []Conflict
}

func (r *Result) add(o Result) {
	r.Applied += o.Applied
	r.Discarded += o.Discarded
	r.Skipped += o.Skipped
	r.Parked += o.Parked
	r.Unparked += o.Unparked
	r.Skewed += o.Skewed
	r.Backfill = append(r.Backfill, o.Backfill...)
	r.Conflicts = append(r.Conflicts, o.Conflicts...)
}

// Apply is ApplyIn for a region that is a replica of every table.
func Apply(ctx context.Context, store *storage.Store, clock *hlc.Clock, changes []*streams.Change) (Result, error) {
	return ApplyIn(ctx, store, clock, "", changes)
}

// ApplyIn applies changes, in order, to region's store. Item changes are
// committed together in one synced batch per run of item changes; table
// changes are applied one by one between them, keeping only the tables
// whose replica set includes region. It returns when everything it
// applied is durable.
func ApplyIn(ctx context.Context, store *storage.Store, clock *hlc.Clock, region string, changes []*streams.Change) (Result, error) {
	return applyIn(ctx, store, clock, region, changes)
}

// applyIn is ApplyIn.
func applyIn(ctx context.Context, store *storage.Store, clock *hlc.Clock, region string, changes []*streams.Change) (Result, error) {
	var res Result
	start := 0
	for i, c := range changes {
		if c.Kind == streams.KindItem {
			continue
		}
		r, err := applyItems(ctx, store, clock, changes[start:i])
		res.add(r)
		if err != nil {
			return res, err
		}
		r, err = applyTable(ctx, store, clock, region, c)
		res.add(r)
		if err != nil {
			return res, err
		}
		start = i + 1
	}
	r, err := applyItems(ctx, store, clock, changes[start:])
	res.add(r)
	return res, err
}

// applyTable creates or deletes a table that another region created or
// deleted. Creating a table that exists, or deleting one that does not, is
// a no-op, so re-delivery changes nothing.
func applyTable(ctx context.Context, store *storage.Store, clock *hlc.Clock, region string, c *streams.Change) (Result, error) {
	if v, err := conflict.DecodeVersion(c.Version); err == nil {
		clock.Update(v.TS)
	}
	var def storage.TableDef
	if c.Kind == streams.KindTable || c.Kind == streams.KindTableUpdate {
		if err := json.Unmarshal(c.Def, &def); err != nil {
			return Result{Skipped: 1}, nil // nothing to build from; a newer producer's format
		}
		def.ID, def.BackfillFrom = 0, ""
	}
	switch c.Kind {
	case streams.KindTableUpdate:
		return applyTableUpdate(ctx, store, clock, region, c, def)
	case streams.KindTable:
		if !table.IsReplica(def, region) {
			if _, err := markForeign(ctx, store, def.Name); err != nil {
				return Result{}, err
			}
			return Result{Discarded: 1}, nil
		}
		def.Meta = newReplicaMeta(def.Meta)
		res := Result{Applied: 1}
		_, err := store.CreateTable(ctx, def)
		if errors.Is(err, storage.ErrTableExists) {
			res = Result{Discarded: 1}
		} else if err != nil {
			return Result{}, fmt.Errorf("replicator: create table=%q: %w", def.Name, err)
		}
		return created(ctx, store, clock, region, def.Name, res)
	case streams.KindTableDelete:
		if err := forgetForeign(ctx, store, c.Table); err != nil {
			return Result{}, err
		}
		_, err := store.DeleteTableFrom(ctx, c.Table, c.Origin)
		if errors.Is(err, storage.ErrTableNotFound) {
			return Result{Discarded: 1}, nil
		}
		if err != nil {
			return Result{}, fmt.Errorf("replicator: delete table=%q: %w", c.Table, err)
		}
		return Result{Applied: 1}, nil
	}
	return Result{Skipped: 1}, nil
}

// created follows the creation of this region's replica of name (or the
// arrival of a definition of a table it already holds): the table is no
// longer foreign, and the changes parked for it are applied.
func created(ctx context.Context, store *storage.Store, clock *hlc.Clock, region, name string, res Result) (Result, error) {
	if err := forgetForeign(ctx, store, name); err != nil {
		return res, err
	}
	r, err := unpark(ctx, store, clock, region, name)
	res.add(r)
	return res, err
}

// applyItems applies a run of item changes, in order.
func applyItems(ctx context.Context, store *storage.Store, clock *hlc.Clock, changes []*streams.Change) (Result, error) {
	// Every change is applied, in order, so that each one reaches the
	// local change log (DynamoDB Streams readers here see every version,
	// not just the last of a batch). One commit cannot hold two writes to
	// a key, so the run is cut into segments of whole groups with distinct
	// keys; a group (one commit in the origin) is never cut.
	var res Result
	type keyID struct{ table, key string }
	seen := map[keyID]bool{}
	start := 0
	for i := 0; i < len(changes); {
		j := i + 1
		if g := changes[i]; g.GroupSize > 1 {
			for j < len(changes) && changes[j].Group == g.Group && changes[j].Origin == g.Origin {
				j++
			}
		}
		ids := make([]keyID, 0, j-i)
		dup := false
		for _, c := range changes[i:j] {
			id := keyID{c.Table, string(c.Key.AppendBinary(nil))}
			ids = append(ids, id)
			dup = dup || seen[id]
		}
		if dup {
			r, err := applySegment(ctx, store, clock, changes[start:i])
			res.add(r)
			if err != nil {
				return res, err
			}
			clear(seen)
			start = i
		}
		for _, id := range ids {
			seen[id] = true
		}
		i = j
	}
	r, err := applySegment(ctx, store, clock, changes[start:])
	res.add(r)
	return res, err
}

// applySegment applies item changes to distinct keys in one UpdateMany.
// When a change cannot land here — its table is missing, or its key or
// index values do not fit this region's definition of the table (two
// regions created the same table name with different schemas at once) —
// it falls back to one write at a time, so the other changes still land
// and the unfit ones are skipped and counted instead of stopping
// replication from the source for good.
func applySegment(ctx context.Context, store *storage.Store, clock *hlc.Clock, changes []*streams.Change) (Result, error) {
	var res Result
	if len(changes) == 0 {
		return res, nil
	}
	var writes []storage.Write
	var outcomes []*outcome
	var parks []storage.SettingWrite
	known := map[string]bool{} // table -> held here
	for _, c := range changes {
		v, err := conflict.DecodeVersion(c.Version)
		if err != nil {
			res.Skipped++ // malformed version: cannot be ordered, never applied
			continue
		}
		if clock.Update(v.TS) {
			res.Skewed++
		}
		held, ok := known[c.Table]
		if !ok {
			_, err := store.Table(c.Table)
			if err != nil && !errors.Is(err, storage.ErrTableNotFound) {
				return res, err
			}
			held = err == nil
			known[c.Table] = held
		}
		if !held {
			foreign, err := isForeign(store, c.Table)
			if err != nil {
				return res, err
			}
			if foreign {
				res.Discarded++
			} else {
				parks = append(parks, parkWrite(c))
				res.Parked++
			}
			continue
		}
		o := &outcome{}
		outcomes = append(outcomes, o)
		writes = append(writes, storage.Write{Table: c.Table, Key: c.Key, Fn: decide(c, v, o)})
	}
	_, err := store.UpdateManyWith(ctx, writes, parks)
	if unfit(err) {
		if len(parks) > 0 {
			if _, err := store.UpdateManyWith(ctx, nil, parks); err != nil {
				return res, fmt.Errorf("replicator: park %d changes: %w", len(parks), err)
			}
		}
		for i, w := range writes {
			*outcomes[i] = outcome{}
			_, err := store.Update(ctx, w.Table, w.Key, w.Fn)
			if unfit(err) {
				outcomes[i].skipped = true
				continue
			}
			if err != nil {
				return res, fmt.Errorf("replicator: apply table=%q: %w", w.Table, err)
			}
		}
	} else if err != nil {
		return res, fmt.Errorf("replicator: apply %d changes: %w", len(writes), err)
	}
	for i, o := range outcomes {
		switch {
		case o.skipped:
			res.Skipped++
		case o.applied:
			res.Applied++
		default:
			res.Discarded++
			if o.winner != "" {
				res.Conflicts = append(res.Conflicts, newConflict(writes[i].Table, writes[i].Key, o.winner, o.loser))
			}
		}
	}
	return res, nil
}

// newReplicaMeta is the Meta of this region's new replica of a table
// another region defined (table.MergeMeta with no local Meta), or the
// remote one whole when it cannot be merged.
func newReplicaMeta(remote []byte) []byte {
	if m, err := table.MergeMeta(nil, remote); err == nil {
		return m
	}
	return remote
}

// unfit reports whether err says a change cannot be applied in this
// region at all (rather than failed to be applied now).
func unfit(err error) bool {
	var verr *item.ValidationError
	var serr *storage.SchemaError
	return errors.Is(err, storage.ErrTableNotFound) || errors.As(err, &verr) || errors.As(err, &serr)
}

// outcome is what decide did with one change; winner and loser are set
// when it lost to a version from another region.
type outcome struct {
	applied, skipped bool
	winner, loser    string
}

// decide is the last-writer-wins rule as a storage.UpdateFunc.
func decide(c *streams.Change, incoming conflict.Version, o *outcome) storage.UpdateFunc {
	return func(_ item.Item, meta storage.Meta) (storage.Mutation, error) {
		o.applied, o.winner, o.loser = false, "", ""
		if meta.Version != nil {
			cur, err := conflict.DecodeVersion(meta.Version)
			if err == nil && !conflict.Resolve(&cur, incoming) {
				if cur.Region != incoming.Region {
					o.winner, o.loser = cur.Region, incoming.Region
				}
				return storage.Mutation{}, nil
			}
		}
		o.applied = true
		if c.New == nil {
			return storage.Mutation{Delete: true, Version: c.Version, Origin: c.Origin, Cause: storage.Cause(c.Cause)}, nil
		}
		return storage.Mutation{Put: c.New, Version: c.Version, Origin: c.Origin}, nil
	}
}

// applyTableUpdate follows a table's new definition: a region dropped from
// the replica set deletes its copy, a region added to it creates the table
// and asks for a backfill from the change's origin, the others update the
// definition.
func applyTableUpdate(ctx context.Context, store *storage.Store, clock *hlc.Clock, region string, c *streams.Change, def storage.TableDef) (Result, error) {
	member := table.IsReplica(def, region)
	_, err := store.Table(def.Name)
	exists := err == nil
	switch {
	case exists && member:
		_, err = store.UpdateTableFrom(ctx, def.Name, c.Origin, func(cur *storage.TableDef) error {
			// Which settings are the global table's and which this
			// region's own is the table engine's rule. A Meta that cannot
			// be merged (corrupt) keeps the local one: failing would stop
			// replication from the source.
			meta := cur.Meta
			if m, err := table.MergeMeta(cur.Meta, def.Meta); err == nil {
				meta = m
			}
			cur.Meta, cur.Replicas = meta, def.Replicas
			// Indexes match by name: the store keeps its own IDs and
			// backfills an added index itself.
			cur.Indexes = def.Indexes
			return nil
		})
	case exists && !member:
		_, err = store.DeleteTableFrom(ctx, def.Name, c.Origin)
		if err == nil {
			if _, err := markForeign(ctx, store, def.Name); err != nil {
				return Result{}, err
			}
		}
	case !exists && member:
		def.Meta = newReplicaMeta(def.Meta)
		def.BackfillFrom = c.Origin
		_, err = store.CreateTable(ctx, def)
		if err == nil {
			return created(ctx, store, clock, region, def.Name, Result{Applied: 1, Backfill: []string{def.Name}})
		}
	default:
		if _, err := markForeign(ctx, store, def.Name); err != nil {
			return Result{}, err
		}
		return Result{Discarded: 1}, nil
	}
	if errors.Is(err, storage.ErrTableNotFound) || errors.Is(err, storage.ErrTableExists) {
		return Result{Discarded: 1}, nil // raced with another change to the table
	}
	if err != nil {
		return Result{}, fmt.Errorf("replicator: update table=%q: %w", def.Name, err)
	}
	return Result{Applied: 1}, nil
}
