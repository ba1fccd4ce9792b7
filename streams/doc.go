// Package streams owns the change stream of a region: the wire form of a
// change (codec.go), the JetStream stream and subject names (subject.go),
// the Publisher that tails the store's change log into the region's own
// JetStream stream, and the backfill protocol that lets a region newly
// added to a table copy its records, tombstones included, from a replica:
// its wire format (backfill.go), the server (backfill_server.go) and the
// client (backfill_fetch.go). The DynamoDB Streams API over the same
// change log is in streams/ddbstreams.
//
// # Names
//
// Each region publishes to one stream, StreamName(region) =
// "CONCORD_<REGION>" (upper-cased, characters other than letters, digits,
// '-' and '_' replaced by '_'), on one subject, Subject(region) =
// "concord.chg.<region>". The table travels in the message, not the
// subject, because table names may contain '.', which NATS treats as a
// token separator. A message carries the consecutive changes the publisher
// read together, up to 256 KB (EncodeBatch; one message per change cost
// JetStream and every replica most of their replication CPU), with the
// headers Concord-Seq = the last change's seq and Nats-Msg-Id =
// "<region>:<first>-<last>" ("<region>:<seq>" for one change), so a
// re-publish after a crash is deduplicated by JetStream inside its
// duplicate window, and applying a duplicate later is a no-op anyway
// (last-writer-wins is idempotent). Replicas also decode the one-change
// messages of earlier versions (DecodeMessage).
//
// Every message fits the NATS connection's max payload (1 MiB by default;
// on top of the 256 KB packing bound). A change whose encoding alone is
// larger (a 400 KB item of numbers like 1E-130 encodes to 18.4 MB) travels
// as consecutive part messages (parts.go), which a replica reassembles
// with an Assembler before decoding.
//
// A group (the changes of one commit, Change.Group) is published with
// this region's changes only, and its GroupSize ends it at the last of
// them: a commit can mix in other regions' changes (a backfill copies
// them in one commit), and a replica waits for a group until its last
// change comes.
//
// # Durability
//
// A JetStream publish ack does not mean the message is on disk. The store's
// synced change log is the durability point: on start, and after any
// failed publish, the Publisher asks the stream for the last message it
// holds from this region and resumes after it, so whatever the stream lost
// in a crash is published again.
//
// The stream holds a gap-free prefix of the region's changes even though
// the Publisher has several messages in flight: each message carries
// Nats-Expected-Last-Msg-Id = the id of the message before it (on the
// first message of a round, the id of the stream's last message), so
// JetStream stores a message only right after its predecessor, and once
// one fails every later one of the round is refused too. A message whose
// acknowledgement does not come within PublisherOptions.AckTimeout fails
// its round the same way. A round that fails part-way through a change
// sent in parts sends the whole change again, with new message ids.
//
// A publisher that cannot publish retries every PublisherOptions.Retry and
// says so: Publisher.Failing (since when, at which change, why), Errors,
// and a log line at most every 10 s, an error once it has lasted a
// minute.
//
// The stream keeps messages for the region's retention (MaxAge) and
// deduplicates ids within DefaultDuplicates (2 minutes), or within the
// retention when that is shorter: JetStream refuses a duplicate window
// longer than MaxAge.
//
// Only changes whose origin is this region are published; changes applied
// from other regions are already in their origin's stream.
//
// streams imports storage, storage/item and nats.go's jetstream package;
// replicator and region import it.
package streams
