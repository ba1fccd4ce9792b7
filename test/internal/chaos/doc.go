// Package chaos is Concord's real-process chaos run: several `concord
// serve` regions on this machine, linked through TCP proxies the run
// controls, clients writing to every region, DDL on tables of their own,
// and faults drawn from a seed — SIGKILL and restart, links cut and
// healed, restarts with a skewed clock. After the traffic it heals
// everything, waits for the regions to converge and checks what they
// hold. `go run ./test/chaos` runs it from the command line, and the
// end-to-end suite (package test) runs it for 60 seconds. It is internal
// to test/ and imports test/internal/launch; it does not import the
// product's packages: it sees the regions only through their DynamoDB
// API and /admin/status, as a user would.
//
// # Usage
//
//	bin, err := launch.Build(ctx, tmp)
//	rep, err := chaos.Run(ctx, chaos.Config{Bin: bin, Dir: dir, Seed: 7, Duration: time.Minute})
//	rep.Write(os.Stdout)
//	if !rep.OK() { ... } // rep.Anomalies lists what went wrong
//
// # What it does
//
// Every region is started with --peer flags naming, for each other
// region, a proxy that forwards to that region's NATS; a restart keeps
// the flags, so it relinks by itself, and the proxies follow a restarted
// region's new NATS port. A cut makes a proxy close its connections and
// refuse new ones; a heal accepts again.
//
// The main table (pk, with a global secondary index on g) takes, from
// Config.Clients clients per region, PutItem, UpdateItem, DeleteItem,
// PutItem if absent, UpdateItem if present, BatchWriteItem,
// TransactWriteItems (some with a condition on another item) and
// GetItem. Keys are shared by every region or owned by one (batches and
// transactions mostly use their region's own). Every value written is
// unique, so a final value names the write that made it.
//
// Two DDL tables get CreateTable (now and then, just after a
// DeleteTable, in two regions at once),
// DeleteTable, UpdateTable adding or removing an index, UpdateTimeToLive
// on or off, and item writes, in random regions.
//
// Faults (FaultKinds) are scheduled up front from the seed (Schedule):
// at most Config.MaxFaults at a time and at most one stopping a process,
// so the run makes progress.
//
// # What it checks
//
// After the traffic and the last heal the run waits, with a deadline,
// until every region has published everything, every link is connected
// with nothing pending, and every table has one digest and every DDL
// table one definition (key schema, attributes, indexes, replicas, Time
// to Live), ACTIVE, everywhere, unchanged for a second. The time that
// took is the convergence time. Changes still parked (waiting for a
// table's creation) 20 seconds later are an anomaly. Then, in every
// region:
//
//   - every key of the main table holds what last-writer-wins allows
//     (oracle.go): the value of the acknowledged write with the greatest
//     version, a delete's absence included; writes answered without a
//     version (batches, transactions) or without an answer may also win
//     unless a write known to be later (a greater version; a later write
//     in the same region; for an unanswered one, a write by a later
//     process of its region) rules them out;
//   - nothing present was never written; no version of a key was
//     acknowledged twice; in one region a write of a key acknowledged
//     before another began has the smaller version;
//   - the index holds exactly the items with g, and /admin/status counts
//     the items a scan finds;
//   - no link was ever seen stuck (the run reads every region's status
//     every 2 seconds), no process exited on its own or uncleanly.
//
// Anything else found is an anomaly; a good run has none. The seed fixes
// the schedule of faults and every client's sequence of operations, not
// their timing: two runs of one seed interleave differently.
package chaos
