package region

import (
	"context"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
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
//   - Ended table incarnations (deleted tables, or tables that lost to a
//     concurrent CreateTable of their name) are remembered for
//     Config.TombstoneRetention, so their late changes are dropped; then
//     forgotten.
//   - Idempotency tokens: TransactWriteItems' ClientRequestTokens are
//     stored with their transactions for 10 minutes (region/api); expired
//     ones are deleted.
//   - Change log: records the publisher has put in the stream are trimmed
//     once they are older than the retention window (Config.TombstoneRetention,
//     24 h by default): the DynamoDB Streams API serves records from the
//     log for that long, and the log is also what re-publishes whatever the
//     embedded JetStream (which flushes its file store lazily) lost in a
//     crash, which needs at least trimLag. Each round records a trim mark
//     (the publisher's position then) in the store's settings, so a node
//     restarted more often than the window still trims (trimChangeLog).
const (
	maintenanceEvery = 30 * time.Second
	trimLag          = 5 * time.Minute
	purgeBatch       = 10000
)

// runMaintenance purges and trims until ctx ends.
func (n *Node) runMaintenance(ctx context.Context) {
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
		if _, err := table.PurgeDroppedIncarnations(ctx, n.store, now.Add(-n.cfg.TombstoneRetention)); err != nil && ctx.Err() == nil {
			n.log.Warn("region: purge ended table incarnations", "err", err)
		}
		if _, err := n.eng.PurgeDroppedTables(ctx, now); err != nil && ctx.Err() == nil {
			n.log.Warn("region: purge the streams of deleted tables", "err", err)
		}
		keep := max(trimLag, n.cfg.TombstoneRetention)
		if _, err := trimChangeLog(ctx, n.store, now, n.pub.Published(), keep); err != nil && ctx.Err() == nil {
			n.log.Warn("region: trim change log", "err", err)
		}
	}
}

// trimMarkPrefix names the settings that hold the change log's trim
// marks: "region.trim.<unix nanoseconds, 20 digits>" -> the change-log Seq
// known to be in the stream at that time, 8 bytes big-endian.
const trimMarkPrefix = "region.trim."

// trimChangeLog records a trim mark (published was in the stream at now),
// unless published is 0 (the publisher has not reached the stream yet) or
// equals the newest mark's, then trims the change log up to the greatest
// Seq of the marks at least keep old and deletes those marks. The marks
// live in the store, so trimming goes on across restarts. It returns the
// Seq trimmed to, 0 if none.
func trimChangeLog(ctx context.Context, store *storage.Store, now time.Time, published uint64, keep time.Duration) (uint64, error) {
	type mark struct {
		at  time.Time
		seq uint64
	}
	var (
		marks  []mark
		names  []string // of marks, index for index
		broken []string // settings under the prefix that hold no mark
	)
	err := store.ScanSettings(trimMarkPrefix, func(name string, v []byte) bool {
		ns, err := strconv.ParseInt(strings.TrimPrefix(name, trimMarkPrefix), 10, 64)
		if err != nil || len(v) != 8 {
			broken = append(broken, name)
			return true
		}
		marks = append(marks, mark{time.Unix(0, ns), binary.BigEndian.Uint64(v)})
		names = append(names, name)
		return true
	})
	if err != nil {
		return 0, fmt.Errorf("region: read trim marks: %w", err)
	}
	if published > 0 && (len(marks) == 0 || marks[len(marks)-1].seq != published) {
		name := fmt.Sprintf("%s%020d", trimMarkPrefix, now.UnixNano())
		if err := store.SetSetting(ctx, name, binary.BigEndian.AppendUint64(nil, published)); err != nil {
			return 0, fmt.Errorf("region: record trim mark: %w", err)
		}
	}
	var trimTo uint64
	done := broken
	for i, m := range marks {
		if now.Sub(m.at) >= keep {
			trimTo = max(trimTo, m.seq)
			done = append(done, names[i])
		}
	}
	if trimTo > 0 {
		if err := store.TrimChanges(trimTo); err != nil {
			return 0, fmt.Errorf("region: trim change log seq=%d: %w", trimTo, err)
		}
	}
	if len(done) > 0 {
		if err := store.DeleteSettings(ctx, done); err != nil {
			return trimTo, fmt.Errorf("region: delete trim marks: %w", err)
		}
	}
	return trimTo, nil
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
