// Package replicator owns applying other regions' changes: a Replicator
// holds a durable JetStream consumer on one source region's stream,
// decodes each change, decides with conflict.Resolve whether it is newer
// than what this region holds, applies it through storage's check-and-write
// (atomically with the local change log and table stats), and acknowledges
// the messages only after the apply is durable.
//
// # Applying
//
// Apply is the decision, separated from the NATS plumbing so tests can
// deliver changes in any order, twice, or not at all. Applying is
// idempotent and order-insensitive: a version is written only when it is
// greater than the current one (tombstones included), so every region ends
// with the greatest (hlc, region) version of each item. Every incoming
// timestamp advances the local clock, and a local write takes a version
// greater than the item's current one (conflict.NextLocal), so a later
// local write over a replicated value always wins over it (DESIGN
// decision 4). A timestamp further ahead of the local wall clock than the
// configured maximum offset is still applied as data, but moves the local
// clock only to wall clock + maximum offset, and is counted as skewed and
// logged.
//
// Messages arrive in batches; a batch's item changes are applied with one
// storage.UpdateMany (one synced commit), keeping only the last change per
// key (an origin's later changes to a key carry greater versions). A batch
// never ends inside a group (a batch write or transaction in the origin,
// complete once the change at Seq Group+GroupSize-1 came) nor inside a
// change sent in parts (streams.Assembler reassembles them): it waits for
// the rest, and is acknowledged only once all of it is applied, so a
// crash part-way loses and re-applies nothing but idempotent changes.
//
// # A link that cannot go on
//
// A message that cannot be decoded (one from a newer version, during a
// rolling upgrade, say) is never acknowledged nor passed (DESIGN decision
// 8): the Replicator applies the messages before it, except a group it
// would leave unfinished, and stops there. Its Status says StateStuck,
// with the message's stream sequence and the reason, and Connected stays
// false (it does not flap) until it gets past that message; it logs an
// error and tries again every Options.StuckRetry. A restart on a version
// that reads the message goes on from it.
//
// A link that has waited Options.GroupWait for the rest of a group (or of
// a change sent in parts) is StateStuck too, at the message it waits for,
// with the group in the reason; it keeps waiting, keeps its pending count
// live, and goes on as soon as the message comes. A part whose change's
// first parts the stream no longer holds (its retention removed them)
// cannot be rebuilt: it is counted as skipped and logged as an error.
//
// # Backfill
//
// A region added to a table's replica set creates the table marked
// BackfillFrom the change's origin, and the Replicator of that source
// copies the source's records, live items and tombstones, with the same
// rule (backfill.go; the protocol is streams.BackfillClient). A source
// that no longer holds the table ends the copy; a source that fails to
// serve it is asked again later, with back-off, while the stream and the
// other tables go on. Status.Backfill counts both.
//
// replicator imports streams, storage, conflict and nats.go's jetstream;
// region imports it.
package replicator
