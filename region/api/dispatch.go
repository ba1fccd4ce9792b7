package api

import "context"

// handler serves one operation: body is the (decompressed) request JSON,
// the result is the response JSON (nil means "{}").
type handler func(ctx context.Context, s *Server, body []byte) ([]byte, error)

// targetPrefix is the X-Amz-Target prefix of DynamoDB operations.
const targetPrefix = "DynamoDB_20120810."

// operations maps an X-Amz-Target operation name to its handler. One file
// per operation holds each handler.
var operations = map[string]handler{
	// tables (tables.go, table_*.go)
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
	// items
	"PutItem":        putItem,
	"GetItem":        getItem,
	"UpdateItem":     updateItem,
	"DeleteItem":     deleteItem,
	"Query":          query,
	"Scan":           scan,
	"BatchGetItem":   batchGetItem,
	"BatchWriteItem": batchWriteItem,
}
