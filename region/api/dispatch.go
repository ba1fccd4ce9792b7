package api

import "context"

// handler serves one operation: body is the (decompressed) request JSON,
// the result is the response JSON (nil means "{}"). body lives in a pooled
// buffer: a handler must not keep it (or slices of it) after returning.
// A returned error goes through toAPIError; a panic becomes a 500.
type handler func(ctx context.Context, s *Server, body []byte) ([]byte, error)

// targetPrefix is the X-Amz-Target prefix of DynamoDB operations.
const targetPrefix = "DynamoDB_20120810."

// operations maps an X-Amz-Target operation name to its handler. One file
// per operation holds each handler.
var operations = map[string]handler{
	// tables (create_table.go, describe_table.go, ..., tags.go)
	"CreateTable":        createTable,
	"DescribeTable":      describeTable,
	"ListTables":         listTables,
	"DeleteTable":        deleteTable,
	"UpdateTable":        updateTable,
	"TagResource":        tagResource,
	"UntagResource":      untagResource,
	"ListTagsOfResource": listTagsOfResource,
	"DescribeEndpoints":  describeEndpoints,
	"DescribeLimits":     describeLimits,
	"UpdateTimeToLive":   updateTimeToLive,
	"DescribeTimeToLive": describeTimeToLive,
	// backups: read-only, there are none (continuous_backups.go)
	"DescribeContinuousBackups": describeContinuousBackups,
	// items
	"PutItem":        newLayer(putItem),
	"GetItem":        getItem,
	"UpdateItem":     newLayer(updateItem),
	"DeleteItem":     newLayer(deleteItem),
	"Query":          query,
	"Scan":           scan,
	"BatchGetItem":   batchGetItem,
	"BatchWriteItem": batchWriteItem,
	// transactions (transact_write.go, transact_get.go)
	"TransactWriteItems": transactWriteItems,
	"TransactGetItems":   transactGetItems,
}
