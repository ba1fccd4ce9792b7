// Package api owns Concord's DynamoDB wire protocol: the HTTP handler for
// JSON 1.0 requests (POST /, X-Amz-Target: DynamoDB_20120810.<Op>), request
// decoding and validation, dispatch to storage and expr, response encoding
// with DynamoDB's headers (x-amzn-RequestId, x-amz-crc32), and the one
// catalogue of client-visible errors (errors.go).
//
// It does not own the listener, the process or the store's lifetime: region
// builds a Server and mounts it. It imports storage, storage/item,
// storage/expr and conflict.
package api
