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
package storage
