package api

import (
	"strings"
	"testing"
)

func TestIndexKeyValidationOnWrites(t *testing.T) {
	s := newTableServer(t)
	tblOK(t, s, createTable, `{"TableName":"gsi","BillingMode":"PAY_PER_REQUEST",
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"},{"AttributeName":"n","AttributeType":"N"}],
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		"GlobalSecondaryIndexes":[{"IndexName":"byG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"},{"AttributeName":"n","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]}`)
	must(t, s, putItem, `{"TableName":"gsi","Item":{"pk":{"S":"ok"},"g":{"S":"x"},"n":{"N":"1"}}}`)
	must(t, s, putItem, `{"TableName":"gsi","Item":{"pk":{"S":"sparse"}}}`) // no index key: fine
	wantErr(t, s, putItem, `{"TableName":"gsi","Item":{"pk":{"S":"a"},"g":{"N":"1"}}}`, typeValidation, "Type mismatch for Index Key g Expected: S Actual: N IndexName: byG")
	wantErr(t, s, putItem, `{"TableName":"gsi","Item":{"pk":{"S":"a"},"g":{"S":""}}}`, typeValidation, "cannot contain an empty string value. IndexName: byG, IndexKey: g")
	must(t, s, putItem, `{"TableName":"gsi","Item":{"pk":{"S":"a"},"g":{"S":"`+strings.Repeat("g", 2048)+`"},"n":{"N":"1"}}}`)
	wantErr(t, s, putItem, `{"TableName":"gsi","Item":{"pk":{"S":"a"},"g":{"S":"`+strings.Repeat("g", 2049)+`"}}}`,
		typeValidation, "exceeded the maximum size limit of 2048 bytes. IndexName: byG, IndexKey: g")
	wantErr(t, s, updateItem, `{"TableName":"gsi","Key":{"pk":{"S":"ok"}},"UpdateExpression":"SET n = :s","ExpressionAttributeValues":{":s":{"S":"one"}}}`,
		typeValidation, "Type mismatch for Index Key n Expected: N Actual: S")
	wantErr(t, s, batchWriteItem, `{"RequestItems":{"gsi":[{"PutRequest":{"Item":{"pk":{"S":"b"},"g":{"B":"AA=="}}}}]}}`,
		typeValidation, "Type mismatch for Index Key g")
	if _, e := do(t, s, transactWriteItems, `{"TransactItems":[{"Update":{"TableName":"gsi","Key":{"pk":{"S":"ok"}},"UpdateExpression":"SET g = :e","ExpressionAttributeValues":{":e":{"S":""}}}}]}`); e == nil || e.Type != typeTransactionCanceled {
		t.Fatalf("TransactWriteItems setting an empty index key: %v, want TransactionCanceledException", e)
	}
}
