package api

import (
	"strings"
	"testing"
)

// Several enum members out of their sets, as DynamoDB reports them.
const (
	threeBadEnums = "3 validation errors detected: Value 'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; " +
		"Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; " +
		"Value 'INVALID' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]"
	twoBadEnums = "2 validation errors detected: Value 'BOGUS' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; " +
		"Value 'BOGUS2' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]"
)

// TestCompatMessages pins answers that test/compat (a differential run
// against dynalite, which copies DynamoDB's validation) showed Concord got
// wrong: the error type or message DynamoDB gives for each request.
func TestCompatMessages(t *testing.T) {
	s := newItemsServer(t)
	arn := must(t, s, describeTable, `{"TableName":"hash"}`)["Table"].(map[string]any)["TableArn"].(string)
	cases := []struct {
		name      string
		h         handler
		body      string
		typ, want string
	}{
		{"empty name placeholder value", putItem, `{"TableName":"hash","Item":{"id":{"S":"a"}},"ConditionExpression":"attribute_exists(#n)","ExpressionAttributeNames":{"#n":""}}`,
			typeValidation, "ExpressionAttributeNames contains invalid value: Empty attribute name for key #n"},
		{"name placeholder without #", putItem, `{"TableName":"hash","Item":{"id":{"S":"a"}},"ConditionExpression":"attribute_exists(id)","ExpressionAttributeNames":{"n":"n"}}`,
			typeValidation, `ExpressionAttributeNames contains invalid key: Syntax error; key: "n"`},
		{"value placeholder without :", putItem, `{"TableName":"hash","Item":{"id":{"S":"a"}},"ConditionExpression":"attribute_exists(id)","ExpressionAttributeValues":{"v":{"S":"x"}}}`,
			typeValidation, `ExpressionAttributeValues contains invalid key: Syntax error; key: "v"`},
		{"key condition comparing two keys", query, `{"TableName":"range","KeyConditionExpression":"pk = sk"}`,
			typeValidation, "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
		{"key condition with size", query, `{"TableName":"range","KeyConditionExpression":"size(pk) = :n","ExpressionAttributeValues":{":n":{"N":"1"}}}`,
			typeValidation, "KeyConditionExpressions cannot contain nested operations"},
		{"batch put without its key", batchWriteItem, `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"v":{"N":"1"}}}}]}}`,
			typeValidation, "The provided key element does not match the schema"},
		{"batch put with a mistyped key", batchWriteItem, `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"id":{"N":"1"}}}}]}}`,
			typeValidation, "The provided key element does not match the schema"},
		{"empty GSI update", updateTable, `{"TableName":"hash","GlobalSecondaryIndexUpdates":[{}]}`,
			typeValidation, "One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null"},
		{"two updates of one GSI", updateTable, `{"TableName":"hash","GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"g"}},{"Delete":{"IndexName":"g"}}]}`,
			typeValidation, "Only one global secondary index update per index is allowed simultaneously. Index: g"},
		{"no tags", tagResource, `{"ResourceArn":"` + arn + `","Tags":[]}`, typeValidation, "Atleast one Tag needs to be provided as Input."},
		{"no tag keys", untagResource, `{"ResourceArn":"` + arn + `","TagKeys":[]}`, typeValidation, "Atleast one Tag Key needs to be provided as Input."},
		// A TableName that is not an ARN is held to CreateTable's rules
		// (paritysuite/dynamodb-conformance putItem.test.ts, us-east-1
		// and eu-west-2, 2026-10); an ARN may have up to 1024 characters.
		{"short table name", describeTable, `{"TableName":"ab"}`,
			typeValidation, "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"},
		{"odd table name", putItem, `{"TableName":"bad name!","Item":{"id":{"S":"a"}}}`,
			typeValidation, "1 validation error detected: Value 'bad name!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"},
		{"table name over 255", describeTable, `{"TableName":"` + strings.Repeat("t", 256) + `"}`, typeValidation, "' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255"},
		{"table ARN over 1024", describeTable, `{"TableName":"arn:` + strings.Repeat("t", 1021) + `"}`, typeValidation, "Member must have length less than or equal to 1024"},
		{"table ARN of no table", putItem, `{"TableName":"arn:aws:dynamodb:us-east-1:000000000000:table/nope","Item":{"id":{"S":"a"}}}`, typeResourceNotFound, "Requested resource not found"},
		{"no Go type names", createTable, `{"TableName":"x1x","ProvisionedThroughput":"x"}`, typeSerialization, "Unexpected value type for field ProvisionedThroughput: expected an object"},
		{"empty TTL attribute", updateTimeToLive, `{"TableName":"hash","TimeToLiveSpecification":{"Enabled":true,"AttributeName":""}}`,
			typeValidation, "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		// Only Scan and TransactWriteItems (DynamoDB's older validation
		// layer) name the placeholder of a bad value; the others report
		// the value's problem alone (TestCompatValueLayers).
		{"duplicate set members in a value placeholder", scan, `{"TableName":"hash","FilterExpression":"ns = :ns","ExpressionAttributeValues":{":ok":{"S":"x"},":ns":{"NS":["1.0","10e-1"]}}}`,
			typeValidation, "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: Input collection"},
		{"empty set in a value placeholder", scan, `{"TableName":"hash","FilterExpression":"contains(ss, :e)","ExpressionAttributeValues":{":e":{"SS":[]}}}`,
			typeValidation, "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :e"},
		{"value placeholders not an object", scan, `{"TableName":"hash","FilterExpression":"id = :v","ExpressionAttributeValues":[]}`,
			typeSerialization, "Unexpected value type for field ExpressionAttributeValues: expected an object"},
		{"a path compared with itself", scan, `{"TableName":"hash","FilterExpression":"v = v"}`,
			typeValidation, "Invalid FilterExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [v]"},
		{"a function of a path and itself", deleteItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"ConditionExpression":"begins_with(#a.b, a.b)","ExpressionAttributeNames":{"#a":"a"}}`,
			typeValidation, "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: begins_with, first operand: [a, b]"},
		{"legacy IN of mixed types", scan, `{"TableName":"hash","ScanFilter":{"v":{"ComparisonOperator":"IN","AttributeValueList":[{"N":"1"},{"S":"1"}]}}}`,
			typeValidation, "One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type"},
		{"list index past DynamoDB's range", updateItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"UpdateExpression":"SET l[4294967295] = :v","ExpressionAttributeValues":{":v":{"S":"x"}}}`,
			typeValidation, "Invalid UpdateExpression: List index is not within the allowable range; index: [4294967295]"},
		// Enum members that break their constraint are reported together,
		// in DynamoDB's order (nubo-db/dynamodb-conformance
		// captures/2026-06-09-validation-rewording.json; paritysuite/
		// dynamodb-conformance tests/tier2 validation ordering).
		{"three bad enums on PutItem", putItem, `{"TableName":"hash","Item":{"id":{"S":"a"}},"ReturnValues":"INVALID","ReturnConsumedCapacity":"INVALID","ReturnItemCollectionMetrics":"INVALID"}`,
			typeValidation, threeBadEnums},
		{"three bad enums on UpdateItem", updateItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"ReturnValues":"INVALID","ReturnConsumedCapacity":"INVALID","ReturnItemCollectionMetrics":"INVALID"}`,
			typeValidation, threeBadEnums},
		{"three bad enums on DeleteItem", deleteItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"ReturnValues":"INVALID","ReturnConsumedCapacity":"INVALID","ReturnItemCollectionMetrics":"INVALID"}`,
			typeValidation, threeBadEnums},
		{"two bad enums on BatchWriteItem", batchWriteItem, `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"id":{"S":"a"}}}}]},"ReturnConsumedCapacity":"BOGUS","ReturnItemCollectionMetrics":"BOGUS2"}`,
			typeValidation, twoBadEnums},
		{"two bad enums on TransactWriteItems", transactWriteItems, `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"id":{"S":"a"}}}}],"ReturnConsumedCapacity":"BOGUS","ReturnItemCollectionMetrics":"BOGUS2"}`,
			typeValidation, twoBadEnums},
		// nubo-db/dynamodb-conformance captures/2026-08-12-batch-empty-and-nesting.json (us-east-1).
		{"empty BatchGetItem", batchGetItem, `{"RequestItems":{}}`, typeValidation, "The requestItems parameter is required for BatchGetItem"},
		{"attribute_type with an unknown type", putItem, `{"TableName":"hash","Item":{"id":{"S":"a"}},"ConditionExpression":"attribute_type(id, :t)","ExpressionAttributeValues":{":t":{"S":"XX"}}}`,
			typeValidation, "Invalid ConditionExpression: Invalid attribute type name found; type: XX, valid types:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantErr(t, s, c.h, c.body, c.typ, c.want) })
	}

	// The largest list index DynamoDB takes appends, as any past the end.
	must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"list"},"l":{"L":[{"S":"a"}]}}}`)
	got := must(t, s, updateItem, `{"TableName":"hash","Key":{"id":{"S":"list"}},"UpdateExpression":"SET l[4294967294] = :v","ExpressionAttributeValues":{":v":{"S":"b"}},"ReturnValues":"ALL_NEW"}`)
	if l := got["Attributes"].(map[string]any)["l"].(map[string]any)["L"].([]any); len(l) != 2 {
		t.Errorf("SET l[4294967294] on a one-element list gave %v, want two elements", l)
	}

	// A table's ARN names it wherever a TableName is taken, as in DynamoDB.
	must(t, s, putItem, `{"TableName":"`+arn+`","Item":{"id":{"S":"by-arn"}}}`)
	if got := must(t, s, getItem, `{"TableName":"hash","Key":{"id":{"S":"by-arn"}}}`)["Item"]; got == nil {
		t.Error("PutItem with the table's ARN as TableName did not write to the table")
	}
	if name := must(t, s, describeTable, `{"TableName":"`+arn+`"}`)["Table"].(map[string]any)["TableName"]; name != "hash" {
		t.Errorf("DescribeTable by ARN described %v", name)
	}
}

// TestCompatValueLayers checks which operations name the placeholder of a
// bad expression attribute value: real DynamoDB's PutItem, UpdateItem,
// DeleteItem and Query report the value's problem alone, Scan and
// TransactWriteItems inside "ExpressionAttributeValues contains invalid
// value: ... for key :v" (paritysuite/dynamodb-conformance
// error-messages/valueLayers.test.ts, four regions, 2026-10).
func TestCompatValueLayers(t *testing.T) {
	s := newItemsServer(t)
	const (
		wrapper = "ExpressionAttributeValues contains invalid value"
		bad     = `{"N":"abc"}`
		why     = "The parameter cannot be converted to a numeric value: abc"
	)
	for _, c := range []struct {
		name    string
		h       handler
		body    string
		wrapped bool
	}{
		{"PutItem", putItem, `{"TableName":"hash","Item":{"id":{"S":"a"}},"ConditionExpression":"n = :v","ExpressionAttributeValues":{":v":` + bad + `}}`, false},
		{"UpdateItem", updateItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"UpdateExpression":"SET n = :v","ExpressionAttributeValues":{":v":` + bad + `}}`, false},
		{"DeleteItem", deleteItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"ConditionExpression":"n = :v","ExpressionAttributeValues":{":v":` + bad + `}}`, false},
		{"Query", query, `{"TableName":"hash","KeyConditionExpression":"id = :v","ExpressionAttributeValues":{":v":` + bad + `}}`, false},
		{"Scan", scan, `{"TableName":"hash","FilterExpression":"n = :v","ExpressionAttributeValues":{":v":` + bad + `}}`, true},
		{"TransactWriteItems", transactWriteItems, `{"TransactItems":[{"Update":{"TableName":"hash","Key":{"id":{"S":"a"}},"UpdateExpression":"SET n = :v","ExpressionAttributeValues":{":v":` + bad + `}}}]}`, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := wantErr(t, s, c.h, c.body, typeValidation, why)
			if got := strings.Contains(e.Message, wrapper); got != c.wrapped {
				t.Errorf("message %q: wrapped %v, want %v", e.Message, got, c.wrapped)
			}
		})
	}
}
