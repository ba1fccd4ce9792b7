package region

import (
	"context"
	"errors"
	"time"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// The Time to Live sweeper ("region.Node: ttl sweeper", stopped by Close)
// deletes expired items of every table with TTL on. Reads already hide
// expired items (region/table ttl.go); the sweeper makes the deletion real: an
// ordinary tombstone with a fresh version, marked storage.CauseTTL, which
// replicates to every region and appears in DynamoDB Streams with the
// service's userIdentity. Each pass reads at most ttlScanPerPass items of a
// table from where the last pass stopped and deletes at most
// ttlDeletesPerPass, so it never stalls foreground traffic; progress is the
// concord_ttl_deleted_total metric.
const (
	ttlEvery          = time.Second
	ttlScanPerPass    = 5000
	ttlDeletesPerPass = 1000
)

// runTTLSweeper sweeps until ctx ends.
func (n *Node) runTTLSweeper(ctx context.Context) {
	cursors := map[string]item.Item{} // table -> last key scanned
	t := time.NewTicker(ttlEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		names, _, err := n.store.ListTables("", 0)
		if err != nil {
			continue
		}
		for _, name := range names {
			def, err := n.store.Table(name)
			if err != nil {
				continue
			}
			attr := table.TTLAttribute(def)
			if attr == "" {
				delete(cursors, name)
				continue
			}
			next, deleted, err := n.sweepTable(ctx, def, attr, cursors[name])
			if err != nil && ctx.Err() == nil {
				n.log.Warn("region: ttl sweep", "table", name, "err", err)
				next = nil
			}
			cursors[name] = next
			n.CountTTLDeleted(name, deleted)
		}
	}
}

// sweepTable scans one bounded stretch of def after start and deletes the
// expired items it finds; it returns where to continue (nil: from the
// beginning) and how many it deleted.
func (n *Node) sweepTable(ctx context.Context, def storage.TableDef, attr string, start item.Item) (item.Item, int, error) {
	now := n.now()
	var expired []item.Item
	var last item.Item
	scanned := 0
	err := n.store.Scan(ctx, def.Name, storage.Scan{ExclusiveStart: start}, func(it item.Item) bool {
		scanned++
		if key, err := storage.KeyOf(def, it); err == nil {
			last = key
			if table.Expired(it, attr, now) {
				expired = append(expired, key)
			}
		}
		return scanned < ttlScanPerPass && len(expired) < ttlDeletesPerPass
	})
	if err != nil {
		return nil, 0, err
	}
	deleted := 0
	for _, key := range expired {
		ok, err := n.eng.DeleteExpired(ctx, def, key, attr, now)
		if errors.Is(err, conflict.ErrVersionExhausted) {
			// The item's version has the maximal timestamp (a crafted
			// one): nothing can supersede it, so it cannot be deleted.
			// Reads hide it as expired; skip it rather than stop the
			// sweep of the rest of the table at it on every pass.
			continue
		}
		if err != nil {
			return nil, deleted, err
		}
		if ok {
			deleted++
		}
	}
	if scanned < ttlScanPerPass && len(expired) < ttlDeletesPerPass {
		return nil, deleted, nil // reached the end: start over next pass
	}
	return last, deleted, nil
}
