package api

import "testing"

func TestItemsDelete(t *testing.T) {
	s := newItemsServer(t)
	must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"a"},"v":{"N":"1"}}}`)
	// A failed condition leaves the item.
	e := wantErr(t, s, deleteItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"ConditionExpression":"v > :v","ExpressionAttributeValues":{":v":{"N":"1"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}`,
		typeConditionalFailed, "")
	if e.Item == nil {
		t.Fatal("no Error.Item")
	}
	wantErr(t, s, deleteItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"Expected":{"v":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"1"}]}}}`,
		typeConditionalFailed, "")
	m := must(t, s, deleteItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"ConditionExpression":"v = :v","ExpressionAttributeValues":{":v":{"N":"1"}},"ReturnValues":"ALL_OLD","ReturnConsumedCapacity":"TOTAL"}`)
	wantJSON(t, "Attributes", m["Attributes"], `{"id":{"S":"a"},"v":{"N":"1"}}`)
	wantJSON(t, "ConsumedCapacity", m["ConsumedCapacity"], `{"TableName":"hash","CapacityUnits":1}`)
	if got := getItemJSON(t, s, "hash", `{"id":{"S":"a"}}`); got != "" {
		t.Fatalf("item = %s after delete", got)
	}
	// Deleting an absent item succeeds and returns nothing.
	m = must(t, s, deleteItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"ReturnValues":"ALL_OLD"}`)
	wantJSON(t, "Attributes", m["Attributes"], "")
	wantErr(t, s, deleteItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"ConditionExpression":"attribute_exists(id)"}`, typeConditionalFailed, "")
	wantErr(t, s, deleteItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"ReturnValues":"ALL_NEW"}`, typeValidation, "ReturnValues can only be ALL_OLD or NONE")
	wantErr(t, s, deleteItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"ExpressionAttributeValues":{":v":{"N":"1"}}}`, typeValidation, "ExpressionAttributeValues can only be specified when using expressions")
	wantErr(t, s, deleteItem, `{"TableName":"hash","Key":{"x":{"S":"a"}}}`, typeValidation, "The provided key element does not match the schema")
}
