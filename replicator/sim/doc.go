// Package sim is a deterministic simulation of a Concord deployment: N
// regions in one process, each with a real store (Pebble on a crashable
// in-memory filesystem), its own hybrid logical clock and table engine,
// and the replicator's apply path between them. A seeded scheduler decides
// everything that is left to chance in production: which region writes
// what and when, which link delivers how much and when, redeliveries (a
// consumer that crashed before acknowledging), link cuts and heals,
// crashes and restarts of regions (losing whatever was not synced), and
// clock skew. After a run, it heals every link, delivers every change, and
// checks the invariant of a global table:
//
//   - every region holds the same items: equal digests and item counts,
//     and per key the same version;
//   - nothing acknowledged is lost: each key holds the greatest version
//     any region acknowledged for it (its item, or nothing for a delete);
//   - nothing deleted comes back (the same check: a key whose greatest
//     acknowledged version is a delete is absent everywhere);
//   - every region holds the same table definitions.
//
// A run is a pure function of its seed: a failing seed prints itself and
// replays exactly (go test ./replicator/sim -sim.seed=N -v prints the
// schedule). NATS is not in the loop: delivery is modelled as JetStream
// gives it (per source in order, at least once), so the simulation tests
// the decisions (storage, the engine, the apply rule), and the real
// process tests (test/) test the plumbing.
//
// It imports storage, conflict/hlc, region/table, streams and replicator;
// only its tests import it.
package sim
