package api

import (
	"strings"
	"testing"
)

// TestTableNameValidation: every operation on an existing table holds a
// TableName that is not an ARN to CreateTable's naming rules, as real
// DynamoDB does (paritysuite/dynamodb-conformance putItem.test.ts and
// validation-ordering/*, us-east-1 and eu-west-2, 2026-10), and reports
// it with the operation's other member errors.
func TestTableNameValidation(t *testing.T) {
	s := newItemsServer(t)
	const (
		prefix   = "1 validation error detected: "
		short    = "Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"
		pattern  = "Value 'bad table!@#' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
		empty    = "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1"
		noKey    = "Value null at 'key' failed to satisfy constraint: Member must not be null"
		badRCC   = "Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"
		badRV    = "Value 'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"
		mapKeys  = "at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]"
		bogusRCC = "Value 'BOGUS' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"
	)
	long := strings.Repeat("a", 256)
	for _, c := range []struct {
		name string
		h    handler
		body string
		want string
	}{
		{"PutItem 256 characters", putItem, `{"TableName":"` + long + `","Item":{"id":{"S":"a"}}}`,
			prefix + "Value '" + long + "' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255"},
		{"PutItem invalid characters", putItem, `{"TableName":"bad table!@#","Item":{"id":{"S":"a"}}}`, prefix + pattern},
		{"PutItem empty", putItem, `{"TableName":"","Item":{"id":{"S":"a"}}}`, prefix + empty},
		{"PutItem missing", putItem, `{"Item":{"id":{"S":"a"}}}`, prefix + "Value null at 'tableName' failed to satisfy constraint: Member must not be null"},
		{"GetItem", getItem, `{"TableName":"ab","Key":{"id":{"S":"a"}}}`, prefix + short},
		{"DeleteItem", deleteItem, `{"TableName":"ab","Key":{"id":{"S":"a"}}}`, prefix + short},
		{"UpdateItem", updateItem, `{"TableName":"ab","Key":{"id":{"S":"a"}}}`, prefix + short},
		{"Query", query, `{"TableName":"ab","KeyConditionExpression":"id = :v","ExpressionAttributeValues":{":v":{"S":"a"}}}`, prefix + short},
		{"Scan", scan, `{"TableName":"bad table!@#"}`, prefix + pattern},
		{"DescribeTable", describeTable, `{"TableName":"ab"}`, prefix + short},
		{"DeleteTable", deleteTable, `{"TableName":"ab"}`, prefix + short},
		{"UpdateTable", updateTable, `{"TableName":"ab","BillingMode":"PAY_PER_REQUEST"}`, prefix + short},
		{"DescribeTimeToLive", describeTimeToLive, `{"TableName":"ab"}`, prefix + short},
		{"UpdateTimeToLive", updateTimeToLive, `{"TableName":"ab","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"ttl"}}`, prefix + short},
		// An empty name with the key left out: the two are reported
		// together, with the enums in DynamoDB's order for that case
		// (validation-ordering/updateItem.test.ts).
		{"UpdateItem empty name, no key", updateItem, `{"TableName":"","UpdateExpression":"SET a = :a","ExpressionAttributeValues":{":a":{"S":"x"}}}`,
			"2 validation errors detected: " + empty + "; " + noKey},
		{"UpdateItem enums, empty name, no key", updateItem,
			`{"TableName":"","UpdateExpression":"SET a = :a","ExpressionAttributeValues":{":a":{"S":"x"}},"ReturnConsumedCapacity":"INVALID","ReturnValues":"INVALID"}`,
			"4 validation errors detected: " + badRCC + "; " + empty + "; " + badRV + "; " + noKey},
		{"UpdateItem empty name, empty key", updateItem, `{"TableName":"","Key":{}}`, prefix + empty},
		// BatchGetItem and BatchWriteItem check their RequestItems' keys,
		// quoting the whole map (validation-ordering/batchOperations.test.ts).
		{"BatchGetItem", batchGetItem, `{"RequestItems":{"bad!name":{"Keys":[{"pk":{"S":"a"}}]}}}`,
			prefix + `Value '{"bad!name":{"Keys":[{"pk":{"S":"a"}}]}}' ` + mapKeys},
		{"BatchGetItem with an unknown ReturnConsumedCapacity", batchGetItem, `{"RequestItems":{"bad!name":{"Keys":[{"pk":{"S":"a"}}]}},"ReturnConsumedCapacity":"BOGUS"}`,
			`2 validation errors detected: Value '{"bad!name":{"Keys":[{"pk":{"S":"a"}}]}}' ` + mapKeys + "; " + bogusRCC},
		{"BatchWriteItem", batchWriteItem, `{"RequestItems":{"bad!name":[{"PutRequest":{"Item":{"pk":{"S":"x"}}}}]}}`,
			prefix + `Value '{"bad!name":[{"PutRequest":{"Item":{"pk":{"S":"x"}}}}]}' ` + mapKeys},
		{"BatchWriteItem with an unknown ReturnConsumedCapacity", batchWriteItem, `{"RequestItems":{"bad!name":[{"PutRequest":{"Item":{"pk":{"S":"x"}}}}]},"ReturnConsumedCapacity":"BOGUS"}`,
			prefix + bogusRCC},
	} {
		t.Run(c.name, func(t *testing.T) {
			if e := wantErr(t, s, c.h, c.body, typeValidation, c.want); e.Message != c.want {
				t.Errorf("message %q\nwant      %q", e.Message, c.want)
			}
		})
	}

	// A table's ARN is not held to the naming rules; a well-formed name
	// no table has is not found.
	arn := must(t, s, describeTable, `{"TableName":"hash"}`)["Table"].(map[string]any)["TableArn"].(string)
	must(t, s, batchGetItem, `{"RequestItems":{"`+arn+`":{"Keys":[{"id":{"S":"a"}}]}}}`)
	must(t, s, batchWriteItem, `{"RequestItems":{"`+arn+`":[{"PutRequest":{"Item":{"id":{"S":"a"}}}}]}}`)
	wantErr(t, s, getItem, `{"TableName":"nope","Key":{"id":{"S":"a"}}}`, typeResourceNotFound, "Requested resource not found")
	wantErr(t, s, batchGetItem, `{"RequestItems":{"nope":{"Keys":[{"id":{"S":"a"}}]}}}`, typeResourceNotFound, "Requested resource not found")
}
