package replicator

import (
	"context"
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
	// not this region's); Skipped were table changes this version cannot
	// read; Quarantined can never apply here as they are (a malformed
	// version, a key that does not fit this region's schema) and are kept
	// aside (quarantine.go); Parked named a table this region does not
	// know yet and wait for it (park.go); Unparked were parked and have
	// now been applied or discarded; Skewed carried timestamps beyond the
	// maximum clock offset.
	Applied, Discarded, Skipped, Quarantined, Parked, Unparked, Skewed int
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
	r.Quarantined += o.Quarantined
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
	var sources []*streams.Change // sources[i] is writes[i]'s change
	var parks []storage.SettingWrite
	fates := map[string]itemFate{} // table + incarnation -> what to do
	for _, c := range changes {
		v, err := conflict.DecodeVersion(c.Version)
		if err != nil {
			// Cannot be ordered, so never applied as it is: kept aside.
			parks = append(parks, quarantineWrite(c, "malformed version: "+err.Error()))
			res.Quarantined++
			continue
		}
		if clock.Update(v.TS) {
			res.Skewed++
		}
		fk := c.Table + "\x00" + string(c.Incarnation)
		fate, ok := fates[fk]
		if !ok {
			if fate, err = decideItem(store, c); err != nil {
				return res, err
			}
			fates[fk] = fate
		}
		switch fate {
		case fateDiscard:
			res.Discarded++
			continue
		case fatePark:
			parks = append(parks, parkWrite(c))
			res.Parked++
			continue
		}
		o := &outcome{}
		outcomes = append(outcomes, o)
		sources = append(sources, c)
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
				if _, qerr := store.UpdateManyWith(ctx, nil, []storage.SettingWrite{quarantineWrite(sources[i], err.Error())}); qerr != nil {
					return res, fmt.Errorf("replicator: quarantine a change of table=%q: %w", w.Table, qerr)
				}
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
			res.Quarantined++
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

// itemFate is what to do with an item change, given the incarnation of
// its table this region holds.
type itemFate uint8

const (
	fateApply   itemFate = iota // the incarnation held here (or a change that names none)
	fatePark                    // an incarnation not held here (yet)
	fateDiscard                 // an incarnation that has ended, or is not this region's
)

// decideItem decides an item change by its table's incarnation (see
// tables.go): the incarnation held here applies; an older one, or one
// that has ended, is discarded; a newer one, or one of a table not held,
// is parked until its definition decides it, unless it is known not to be
// this region's. A change that names no incarnation (a backfill page, a
// peer from before incarnations) applies to the incarnation held.
func decideItem(store *storage.Store, c *streams.Change) (itemFate, error) {
	def, err := store.Table(c.Table)
	held := err == nil
	if err != nil && !errors.Is(err, storage.ErrTableNotFound) {
		return fateApply, err
	}
	if held && (len(c.Incarnation) == 0 || table.CompareIncarnations(c.Incarnation, def.Incarnation) == 0) {
		return fateApply, nil
	}
	if held && table.CompareIncarnations(c.Incarnation, def.Incarnation) < 0 {
		return fateDiscard, nil
	}
	if ended, err := table.Ended(store, c.Table, c.Incarnation); err != nil || ended {
		return fateDiscard, err
	}
	if foreign, err := table.IsForeign(store, c.Table, c.Incarnation); err != nil || foreign {
		return fateDiscard, err
	}
	return fatePark, nil
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
