// Package storage owns Concord's Pebble store: the tables catalog, items
// keyed by an order-preserving encoding of their primary key, per-key
// read-modify-write with group-committed synced batches, per-table item
// counts, sizes and digests, and the change log that is written in the same
// batch as every item change.
//
// It never learns what a version means: versions are opaque,
// order-preserving bytes supplied by the caller's UpdateFunc, which runs
// while the item's key is locked. It never learns about expressions either:
// callers decide what to write.
//
// Only region (and its api package), streams and replicator import it.
//
// # Key layout
//
// Every Pebble key starts with a byte naming its key space:
//
//	0x01                                   meta: next table ID (8, BE) | last change seq (8, BE)
//	0x02 | table name                      catalog: TableDef as JSON
//	0x03 | table ID (8, BE)                stats: item count (8) | size (8) | digest (16)
//	0x04 | seq (8, BE)                     change log: one record per Mutation
//	0x10 | table ID (8, BE) | hash64(enc(pk)) (8, BE) | enc(pk) | enc(sk)   items
//
// enc is keycodec's order-preserving encoding, so the items of one
// partition are contiguous and in sort-key order: Query is a bounded range
// scan (reverse for descending order; begins_with is a prefix range). Scan
// walks a table in partition-hash order, as DynamoDB does, and parallel
// scan segment i of n is the contiguous hash range [i*2^64/n,
// (i+1)*2^64/n). ExclusiveStart resumes by re-encoding the key and seeking
// just past it. Table IDs are never reused, so DeleteTable is one
// DeleteRange and a recreated table never sees old items.
//
// An item's value is flags | uvarint(len(version)) | version | item binary.
// A delete writes a tombstone (flag set, version, no item) so that a later,
// older replicated write can be refused; reads skip tombstones, except
// ScanRecords, which a new replica's backfill copies them with.
//
// PurgeTombstones removes tombstones whose version the caller's predicate
// declares expired (region runs it with its retention window).
//
// # Writes
//
// Update and UpdateMany lock the keys' stripes (ascending, deduplicated),
// read the current value, call the UpdateFunc and hand the result to the
// single committer goroutine. The committer drains all queued requests,
// numbers their change-log records gap-free in queue order, folds items,
// change records, the touched tables' new stats and the meta record into
// one batch and commits it with pebble.Sync: concurrent writers share one
// fsync. Locks are released only after the commit is durable. Catalog
// changes also go through the committer, each in its own batch. Reads
// never take locks.
//
// # Digest
//
// A table's Digest is the XOR over its live items of FNV-128a(table name,
// enc(pk)|enc(sk), version, item binary). It does not depend on write order
// or on the local table ID, so regions that hold the same items agree.
//
// # Lock order
//
//	Store.ddlMu -> key stripes (never held together today)
//	Store.lifeMu (shared) -> key stripes -> (committer) Store.cat -> Store.stats
package storage
