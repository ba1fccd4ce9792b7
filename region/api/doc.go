// Package api owns Concord's DynamoDB wire protocol: the HTTP handler for
// JSON 1.0 requests (POST /, X-Amz-Target: DynamoDB_20120810.<Op>), request
// decoding, DynamoDB's validation order and messages, dispatch to the table
// engine (region/table) and storage's reads, response encoding with
// DynamoDB's headers (x-amzn-RequestId, x-amz-crc32), and the one catalogue
// of client-visible errors (errors.go), where the typed errors of the
// engine and of storage are worded once.
//
// It owns no domain rule: what a table, a conditional write, a
// transaction, a TTL or a replica set is belongs to region/table. It does
// not own the listener, the process or the store's lifetime: region builds
// a Server and mounts it (region/node.go is the only importer). It imports
// region/table, storage, storage/item, storage/expr, streams/ddbstreams and
// conflict.
package api
