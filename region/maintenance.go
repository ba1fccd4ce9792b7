package region

import (
	"context"
	"time"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/streams"
	"github.com/concorddb/concord/streams/ddbstreams"
)

// Background upkeep of a node's store, run by one goroutine
// ("region.Node: maintenance") that Close stops.
//
//   - Tombstones: a delete leaves a tombstone so that an older write still
//     in flight from another region cannot bring the item back. Tombstones
//     whose version is older than Config.TombstoneRetention are purged; a
//     region partitioned for longer than that may resurrect items deleted
//     meanwhile when it reconnects, which is why the window is long (24 h).
//   - Deleted tables: their DynamoDB Streams stay readable for a day
//     (region/api), then are forgotten.
//   - Idempotency tokens: TransactWriteItems' ClientRequestTokens are
//     stored with their transactions for 10 minutes (region/api); expired
//     ones are deleted.
//   - Change log: records the publisher has put in the stream are trimmed
//     once they are older than the retention window (Config.TombstoneRetention,
//     24 h by default): the DynamoDB Streams API serves records from the
//     log for that long, and the log is also what re-publishes whatever the
//     embedded JetStream (which flushes its file store lazily) lost in a
//     crash, which needs at least trimLag.
const (
	maintenanceEvery = 30 * time.Second
	trimLag          = 5 * time.Minute
	purgeBatch       = 10000
)

// runMaintenance purges and trims until ctx ends.
func (n *Node) runMaintenance(ctx context.Context) {
	type mark struct {
		at  time.Time
		seq uint64
	}
	var marks []mark
	t := time.NewTicker(maintenanceEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := n.now()
		n.purgeTombstones(ctx, now)
		if _, err := n.eng.PurgeIdempotencyTokens(ctx, now); err != nil && ctx.Err() == nil {
			n.log.Warn("region: purge idempotency tokens", "err", err)
		}
		if _, err := n.eng.PurgeDroppedTables(ctx, now); err != nil && ctx.Err() == nil {
			n.log.Warn("region: purge the streams of deleted tables", "err", err)
		}
		marks = append(marks, mark{now, n.pub.Published()})
		var trimTo uint64
		keep := max(trimLag, n.cfg.TombstoneRetention)
		for len(marks) > 0 && now.Sub(marks[0].at) >= keep {
			trimTo = marks[0].seq
			marks = marks[1:]
		}
		if trimTo > 0 {
			if err := n.store.TrimChanges(trimTo); err != nil && ctx.Err() == nil {
				n.log.Warn("region: trim change log", "seq", trimTo, "err", err)
			}
		}
	}
}

// purgeTombstones removes tombstones older than the retention window.
func (n *Node) purgeTombstones(ctx context.Context, now time.Time) {
	cutoff := now.Add(-n.cfg.TombstoneRetention).UnixNano()
	expired := func(version []byte) bool {
		v, err := conflict.DecodeVersion(version)
		return err == nil && v.TS.Wall < cutoff
	}
	names, _, err := n.store.ListTables("", 0)
	if err != nil {
		return
	}
	for _, name := range names {
		purged, err := n.store.PurgeTombstones(ctx, name, expired, purgeBatch)
		if err != nil && ctx.Err() == nil {
			n.log.Warn("region: purge tombstones", "table", name, "err", err)
		}
		if purged > 0 {
			n.log.Info("region: purged tombstones", "table", name, "count", purged)
		}
	}
}

// recordStreamBoundary closes the DynamoDB Streams shards of the previous
// run: changes from now on go to new child shards.
func (n *Node) recordStreamBoundary() error {
	return ddbstreams.RecordBoundary(n.ctx, n.store)
}

// serveBackfill answers other regions' backfill requests for this
// region's tables on its own NATS.
func (n *Node) serveBackfill() error {
	srv, err := streams.ServeBackfill(n.nc, n.cfg.Region, n.store, n.log)
	if err != nil {
		return err
	}
	n.backfill.Store(srv)
	return nil
}

// deploymentRegions lists the peers' regions for the API's replica sets.
func (n *Node) deploymentRegions() []string {
	peers := n.Peers()
	out := make([]string, 0, len(peers))
	for _, p := range peers {
		out = append(out, p.Region)
	}
	return out
}
