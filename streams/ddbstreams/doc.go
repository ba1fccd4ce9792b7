// Package ddbstreams owns the DynamoDB Streams model over a region's
// change log: streams, shards and their lineage, sequence numbers, shard
// iterators, and the records GetRecords returns. region/api serves the
// DynamoDBStreams_20120810 protocol on top of it; this package decodes no
// HTTP and knows nothing of table descriptions beyond the Stream it is
// given.
//
// # Shards
//
// The change log is one sequence per region (storage.Change.Seq), shared
// by all tables. A shard is a range of it: every time the node starts,
// RecordBoundary notes the log's last sequence number, and the stretch
// between two boundaries is one shard, the last one open. So a shard
// closes when its node restarts, and its child (ParentShardId) continues
// after it, as a DynamoDB shard closes and hands over to its children. A
// shard holds, in log order, exactly the records of its table whose Seq is
// in its range; every change in the region, local or replicated, appears
// once. A shard whose whole range is below the trim horizon is gone.
//
// Sequence numbers are the log's Seq written with 21 digits, so they sort
// as strings and as numbers alike.
//
// It imports storage and storage/item.
package ddbstreams
