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
		{"XOR and no key", updateItem, `{"TableName":"hash","AttributeUpdates":{"x":{"Action":"PUT","Value":{"S":"1"}}},"Expected":{"a":{"Exists":false}},"ConditionalOperator":"XOR"}`,
			typeValidation, "2 validation errors detected: Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]; Value null at 'key' failed to satisfy constraint: Member must not be null"},
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

// TestCompatDuplicateMembers: a set with repeated members is listed as
// DynamoDB's newer layer lists it (distinct members sorted, then the
// repeats, quoted) everywhere but BatchWriteItem, which the older layer
// serves (the members as given); number sets list nothing.
func TestCompatDuplicateMembers(t *testing.T) {
	s := newItemsServer(t)
	const p = "One or more parameter values were invalid: "
	for _, c := range []struct {
		name string
		h    handler
		body string
		want string
	}{
		{"PutItem SS", newLayer(putItem), `{"TableName":"hash","Item":{"id":{"S":"a"},"s":{"SS":["b","a","b"]}}}`,
			"1 validation error detected: " + p + `Input collection ["a", "b", "b"] contains duplicates.`},
		{"GetItem BS", getItem, `{"TableName":"hash","Key":{"id":{"BS":["/w==","AA==","AA=="]}}}`,
			p + `Input collection ["AA==","/w==","AA=="]of type BS contains duplicates.`},
		{"Query NS", query, `{"TableName":"hash","KeyConditionExpression":"id = :v","ExpressionAttributeValues":{":v":{"NS":["2","1","2.0"]}}}`,
			p + "Input collection contains duplicates."},
		{"BatchWriteItem SS", batchWriteItem, `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"id":{"S":"a"},"s":{"SS":["b","a","b"]}}}}]}}`,
			p + "Input collection [b, a, b] contains duplicates."},
		{"BatchWriteItem BS", batchWriteItem, `{"RequestItems":{"hash":[{"DeleteRequest":{"Key":{"id":{"BS":["/w==","AA==","AA=="]}}}}]}}`,
			p + "Input collection [/w==, AA==, AA==]of type BS contains duplicates."},
		{"BatchWriteItem NS", batchWriteItem, `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"id":{"S":"a"},"n":{"NS":["1","1"]}}}}]}}`,
			"Input collection contains duplicates"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if e := wantErr(t, s, c.h, c.body, typeValidation, c.want); e.Message != c.want {
				t.Errorf("message %q, want %q", e.Message, c.want)
			}
		})
	}
}

// TestValidationEnvelope: PutItem, UpdateItem and DeleteItem report these
// errors inside "1 validation error detected: " (envelope.go); the key
// errors and the unpinned ones stay bare, and so do the other operations
// (paritysuite/dynamodb-conformance tier3 error-messages putItem,
// deleteItem, updateItem and valueLayers tests, us-east-1 and eu-west-2,
// 2026-10). The handlers are taken from operations, which adds the
// envelope.
func TestValidationEnvelope(t *testing.T) {
	s := newItemsServer(t)
	const (
		invalid   = "One or more parameter values were invalid: "
		notNumber = "The parameter cannot be converted to a numeric value: abc"
		dupNS     = invalid + "Input collection contains duplicates."
		noEAV     = "ExpressionAttributeValues can only be specified when using expressions"
		noEAN     = "ExpressionAttributeNames can only be specified when using expressions"
		emptyCond = "Invalid ConditionExpression: The expression can not be empty;"
		existsV   = invalid + "Value must be provided when Exists is true for Attribute: a"
		between   = invalid + "Invalid number of argument(s) for the BETWEEN ComparisonOperator"
		undefV    = "An expression attribute value used in expression is not defined; attribute value: :v"
	)
	put := func(extra string) string { return `{"TableName":"hash","Item":{"id":{"S":"env"}}` + extra + `}` }
	upd := func(extra string) string {
		return `{"TableName":"hash","Key":{"id":{"S":"env"}},"UpdateExpression":"SET o = :o","ExpressionAttributeValues":{":o":{"N":"1"}}` + extra + `}`
	}
	updLegacy := func(extra string) string { return `{"TableName":"hash","Key":{"id":{"S":"env"}}` + extra + `}` }
	del := func(extra string) string { return `{"TableName":"hash","Key":{"id":{"S":"env"}}` + extra + `}` }
	cond := `,"ConditionExpression":"attribute_exists(a)"`
	for _, c := range []struct {
		name, op, body string
		enveloped      bool
		msg            string // the whole message inside the envelope; a part of a bare one
	}{
		// ExpressionAttributeValues/Names without an expression, or empty.
		{"EAV without an expression", "PutItem", put(`,"ExpressionAttributeValues":{":v":{"S":"x"}}`), true, noEAV},
		{"EAV without an expression", "DeleteItem", del(`,"ExpressionAttributeValues":{":v":{"S":"x"}}`), true, noEAV},
		{"EAV without an expression", "UpdateItem", updLegacy(`,"ExpressionAttributeValues":{":v":{"S":"x"}}`), true, noEAV},
		{"EAN without an expression", "PutItem", put(`,"ExpressionAttributeNames":{"#a":"a"}`), true, noEAN},
		{"EAN without an expression", "DeleteItem", del(`,"Expected":{"a":{"Exists":false}},"ExpressionAttributeNames":{"#a":"a"}`), true, noEAN},
		{"EAN without an expression", "UpdateItem", updLegacy(`,"ExpressionAttributeNames":{"#a":"a"}`), true, noEAN},
		{"empty EAV", "PutItem", put(cond + `,"ExpressionAttributeValues":{}`), true, "ExpressionAttributeValues must not be empty"},
		{"empty EAV", "DeleteItem", del(cond + `,"ExpressionAttributeValues":{}`), true, "ExpressionAttributeValues must not be empty"},
		{"empty EAV", "UpdateItem", updLegacy(`,"UpdateExpression":"REMOVE a","ExpressionAttributeValues":{}`), true, "ExpressionAttributeValues must not be empty"},
		{"empty EAN", "PutItem", put(cond + `,"ExpressionAttributeNames":{}`), true, "ExpressionAttributeNames must not be empty"},
		{"empty EAN", "DeleteItem", del(cond + `,"ExpressionAttributeNames":{}`), true, "ExpressionAttributeNames must not be empty"},
		{"empty EAN", "UpdateItem", upd(`,"ExpressionAttributeNames":{}`), true, "ExpressionAttributeNames must not be empty"},
		// An empty ConditionExpression.
		{"empty ConditionExpression", "PutItem", put(`,"ConditionExpression":""`), true, emptyCond},
		{"empty ConditionExpression", "DeleteItem", del(`,"ConditionExpression":""`), true, emptyCond},
		{"empty ConditionExpression", "UpdateItem", upd(`,"ConditionExpression":""`), true, emptyCond},
		// ReturnValues the operation does not take.
		{"ReturnValues ALL_NEW", "PutItem", put(`,"ReturnValues":"ALL_NEW"`), true, "ReturnValues can only be ALL_OLD or NONE"},
		{"ReturnValues UPDATED_NEW", "DeleteItem", del(`,"ReturnValues":"UPDATED_NEW"`), true, "ReturnValues can only be ALL_OLD or NONE"},
		// A malformed Expected condition.
		{"Expected Exists true without Value", "PutItem", put(`,"Expected":{"a":{"Exists":true}}`), true, existsV},
		{"Expected Exists true without Value", "DeleteItem", del(`,"Expected":{"a":{"Exists":true}}`), true, existsV},
		{"Expected Exists true without Value", "UpdateItem", updLegacy(`,"AttributeUpdates":{"o":{"Action":"PUT","Value":{"N":"1"}}},"Expected":{"a":{"Exists":true}}`), true, existsV},
		{"Expected BETWEEN with one value", "DeleteItem", del(`,"Expected":{"a":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"S":"x"}]}}`), true, between},
		// An undefined value in an expression.
		{"undefined value in the condition", "PutItem", put(`,"ConditionExpression":"a = :v"`), true, "Invalid ConditionExpression: " + undefV},
		{"undefined value in the condition", "DeleteItem", del(`,"ConditionExpression":"a = :v"`), true, "Invalid ConditionExpression: " + undefV},
		{"undefined value in the condition", "UpdateItem", upd(`,"ConditionExpression":"a = :v"`), true, "Invalid ConditionExpression: " + undefV},
		{"undefined value in the update", "UpdateItem", updLegacy(`,"UpdateExpression":"SET a = :v"`), true, "Invalid UpdateExpression: " + undefV},
		// A malformed number or a duplicate set member, wherever it sits.
		{"number in the item", "PutItem", `{"TableName":"hash","Item":{"id":{"S":"env"},"n":{"N":"abc"}}}`, true, notNumber},
		{"number overflow in a nested list", "PutItem", `{"TableName":"hash","Item":{"id":{"S":"env"},"m":{"M":{"l":{"L":[{"N":"1e126"}]}}}}}`, true,
			"Number overflow. Attempting to store a number with magnitude larger than supported range"},
		{"number in a condition value", "PutItem", put(`,"ConditionExpression":"n = :v","ExpressionAttributeValues":{":v":{"N":"abc"}}`), true, notNumber},
		{"number in an Expected value", "PutItem", put(`,"Expected":{"n":{"Value":{"N":"abc"}}}`), true, notNumber},
		{"number in the key", "DeleteItem", `{"TableName":"hash","Key":{"id":{"N":"abc"}}}`, true, notNumber},
		{"number in a condition value", "DeleteItem", del(`,"ConditionExpression":"n = :v","ExpressionAttributeValues":{":v":{"N":"abc"}}`), true, notNumber},
		{"number in the key", "UpdateItem", `{"TableName":"hash","Key":{"id":{"N":"abc"}},"UpdateExpression":"SET o = :o","ExpressionAttributeValues":{":o":{"N":"1"}}}`, true, notNumber},
		{"number in an update value", "UpdateItem", updLegacy(`,"UpdateExpression":"SET n = :v","ExpressionAttributeValues":{":v":{"N":"abc"}}`), true, notNumber},
		{"number in AttributeUpdates", "UpdateItem", updLegacy(`,"AttributeUpdates":{"n":{"Action":"PUT","Value":{"N":"abc"}}}`), true, notNumber},
		{"duplicate NS member in the item", "PutItem", `{"TableName":"hash","Item":{"id":{"S":"env"},"s":{"NS":["2","1","2"]}}}`, true, dupNS},
		{"duplicate NS member in the key", "DeleteItem", `{"TableName":"hash","Key":{"id":{"NS":["2","1","2"]}}}`, true, dupNS},
		{"duplicate NS member in AttributeUpdates", "UpdateItem", updLegacy(`,"AttributeUpdates":{"s":{"Action":"PUT","Value":{"NS":["2","1","2"]}}}`), true, dupNS},

		// Bare: the key errors.
		{"empty-string key", "PutItem", `{"TableName":"hash","Item":{"id":{"S":""}}}`, false,
			"One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: id"},
		{"empty-string key", "DeleteItem", `{"TableName":"hash","Key":{"id":{"S":""}}}`, false, "cannot contain an empty string value. Key: id"},
		{"empty-string key", "UpdateItem", `{"TableName":"hash","Key":{"id":{"S":""}},"UpdateExpression":"SET o = :o","ExpressionAttributeValues":{":o":{"N":"1"}}}`, false,
			"cannot contain an empty string value. Key: id"},
		{"key of the wrong type", "DeleteItem", `{"TableName":"hash","Key":{"id":{"N":"1"}}}`, false, "The provided key element does not match the schema"},
		{"SET the key", "UpdateItem", updLegacy(`,"UpdateExpression":"SET id = :v","ExpressionAttributeValues":{":v":{"S":"x"}}`), false,
			invalid + "Cannot update attribute id. This attribute is part of the key"},
		// Bare: no capture pins an envelope for these.
		{"expression and non-expression parameters", "PutItem", put(cond + `,"Expected":{"a":{"Exists":false}}`), false, "Can not use both expression and non-expression parameters"},
		{"condition syntax error", "DeleteItem", del(`,"ConditionExpression":"a = = b"`), false, "Invalid ConditionExpression: Syntax error"},
		// Bare: the other operations.
		{"number in the key", "GetItem", `{"TableName":"hash","Key":{"id":{"N":"abc"}}}`, false, notNumber},
		{"duplicate NS member in a filter value", "Scan", `{"TableName":"hash","FilterExpression":"s = :v","ExpressionAttributeValues":{":v":{"NS":["2","1","2"]}}}`, false, "Input collection contains duplicates"},
		{"EAV without an expression", "Query", `{"TableName":"hash","KeyConditions":{"id":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]}},"ExpressionAttributeValues":{":v":{"S":"x"}}}`, false, noEAV},
		{"empty EAN", "Scan", `{"TableName":"hash","FilterExpression":"attribute_exists(a)","ExpressionAttributeNames":{}}`, false, "ExpressionAttributeNames must not be empty"},
	} {
		t.Run(c.op+"/"+c.name, func(t *testing.T) {
			_, err := do(t, s, operations[c.op], c.body)
			if err == nil || err.Type != typeValidation {
				t.Fatalf("request %s\ngot %v, want a ValidationException", c.body, err)
			}
			if c.enveloped {
				if want := "1 validation error detected: " + c.msg; err.Message != want {
					t.Errorf("request %s\nmessage %q\nwant    %q", c.body, err.Message, want)
				}
				return
			}
			if strings.Contains(err.Message, "validation error") || !strings.Contains(err.Message, c.msg) {
				t.Errorf("request %s\nmessage %q, want it bare, containing %q", c.body, err.Message, c.msg)
			}
		})
	}
}
