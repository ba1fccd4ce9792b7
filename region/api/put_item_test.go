package api

import (
	"strings"
	"sync"
	"testing"
)

func TestItemsPutGet(t *testing.T) {
	s := newItemsServer(t)
	m := must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"a"},"n":{"N":"1.50"},"m":{"M":{"x":{"BOOL":true}}}},"ReturnConsumedCapacity":"TOTAL"}`)
	wantJSON(t, "ConsumedCapacity", m["ConsumedCapacity"], `{"TableName":"hash","CapacityUnits":1}`)
	wantJSON(t, "Attributes", m["Attributes"], "")
	if got, want := getItemJSON(t, s, "hash", `{"id":{"S":"a"}}`), canon(t, `{"id":{"S":"a"},"n":{"N":"1.5"},"m":{"M":{"x":{"BOOL":true}}}}`); got != want {
		t.Fatalf("GetItem = %s, want %s", got, want)
	}
	// Replace, returning the old item.
	m = must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"a"},"v":{"S":"2"}},"ReturnValues":"ALL_OLD"}`)
	wantJSON(t, "Attributes", m["Attributes"], `{"id":{"S":"a"},"n":{"N":"1.5"},"m":{"M":{"x":{"BOOL":true}}}}`)
	m = must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"b"}},"ReturnValues":"ALL_OLD"}`)
	wantJSON(t, "Attributes", m["Attributes"], "")
	// INDEXES adds the Table breakdown; 2 KB costs 2 units.
	big := strings.Repeat("x", 1500)
	m = must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"c"},"s":{"S":"`+big+`"}},"ReturnConsumedCapacity":"INDEXES"}`)
	wantJSON(t, "ConsumedCapacity", m["ConsumedCapacity"], `{"TableName":"hash","CapacityUnits":2,"Table":{"CapacityUnits":2}}`)
}

func TestItemsPutCondition(t *testing.T) {
	s := newItemsServer(t)
	first := `{"TableName":"hash","Item":{"id":{"S":"a"},"v":{"N":"1"}},"ConditionExpression":"attribute_not_exists(id)"}`
	must(t, s, putItem, first)
	e := wantErr(t, s, putItem, first, "ConditionalCheckFailedException", "The conditional request failed")
	if e.Item != nil {
		t.Fatalf("Item = %v without ReturnValuesOnConditionCheckFailure", e.Item)
	}
	e = wantErr(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"a"},"v":{"N":"2"}},"ConditionExpression":"v = :two","ExpressionAttributeValues":{":two":{"N":"2"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}`,
		"ConditionalCheckFailedException", "conditional request failed")
	if got := canon(t, string(e.Item.AppendJSON(nil))); got != canon(t, `{"id":{"S":"a"},"v":{"N":"1"}}`) {
		t.Fatalf("Error.Item = %s", got)
	}
	// Names and values.
	must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"a"},"v":{"N":"2"}},"ConditionExpression":"#v = :one","ExpressionAttributeNames":{"#v":"v"},"ExpressionAttributeValues":{":one":{"N":"1"}}}`)
	// Legacy Expected.
	wantErr(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"a"}},"Expected":{"id":{"Exists":false}}}`,
		"ConditionalCheckFailedException", "")
	must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"a"},"v":{"N":"3"}},"Expected":{"v":{"Value":{"N":"2"}}}}`)
	must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"a"},"v":{"N":"4"}},"Expected":{"v":{"ComparisonOperator":"EQ","AttributeValueList":[{"N":"1"}]},"w":{"ComparisonOperator":"NULL"}},"ConditionalOperator":"OR"}`)
	if got := getItemJSON(t, s, "hash", `{"id":{"S":"a"}}`); got != canon(t, `{"id":{"S":"a"},"v":{"N":"4"}}`) {
		t.Fatalf("item = %s", got)
	}
}

// TestItemsPutConditionAtomic races conditional creates of one key: exactly
// one wins, because the condition runs under the key's lock.
func TestItemsPutConditionAtomic(t *testing.T) {
	s := newItemsServer(t)
	const n = 16
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, losses := 0, 0
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := do(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"race"}},"ConditionExpression":"attribute_not_exists(id)"}`)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case err.Type == typeConditionalFailed:
				losses++
			default:
				t.Errorf("unexpected error %v", err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 || losses != n-1 {
		t.Fatalf("wins=%d losses=%d, want 1 and %d", wins, losses, n-1)
	}
}

func TestItemsPutValidation(t *testing.T) {
	s := newItemsServer(t)
	big := strings.Repeat("x", 400*1024)
	for _, tc := range []struct{ name, body, typ, msg string }{
		{"no table", `{"TableName":"nope","Item":{"id":{"S":"a"}}}`, typeResourceNotFound, "Requested resource not found"},
		{"no item", `{"TableName":"hash"}`, typeValidation, "Value null at 'item'"},
		{"missing key", `{"TableName":"hash","Item":{"x":{"S":"a"}}}`, typeValidation, "id"},
		{"wrong key type", `{"TableName":"hash","Item":{"id":{"N":"1"}}}`, typeValidation, ""},
		{"too large", `{"TableName":"hash","Item":{"id":{"S":"a"},"b":{"S":"` + big + `"}}}`, typeValidation, "Item size has exceeded the maximum allowed size"},
		{"return values", `{"TableName":"hash","Item":{"id":{"S":"a"}},"ReturnValues":"ALL_NEW"}`, typeValidation, "ReturnValues can only be ALL_OLD or NONE"},
		{"return values enum", `{"TableName":"hash","Item":{"id":{"S":"a"}},"ReturnValues":"SOME"}`, typeValidation, "Member must satisfy enum value set"},
		{"on failure enum", `{"TableName":"hash","Item":{"id":{"S":"a"}},"ReturnValuesOnConditionCheckFailure":"ALL_NEW"}`, typeValidation, "returnValuesOnConditionCheckFailure"},
		{"capacity enum", `{"TableName":"hash","Item":{"id":{"S":"a"}},"ReturnConsumedCapacity":"ALL"}`, typeValidation, "returnConsumedCapacity"},
		// Members out of their enum sets come before the ALL_OLD-only rule,
		// and all of them together; returnValuesOnConditionCheckFailure goes
		// last, as in PutItem's member list (its place is not measured).
		{"enum before the ALL_OLD rule", `{"TableName":"hash","Item":{"id":{"S":"a"}},"ReturnValues":"ALL_NEW","ReturnConsumedCapacity":"ALL"}`, typeValidation,
			"1 validation error detected: Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"},
		{"four enums", `{"TableName":"hash","Item":{"id":{"S":"a"}},"ReturnValuesOnConditionCheckFailure":"X","ReturnItemCollectionMetrics":"INVALID","ReturnConsumedCapacity":"INVALID","ReturnValues":"INVALID"}`, typeValidation,
			strings.Replace(threeBadEnums, "3 validation errors", "4 validation errors", 1) + "; Value 'X' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]"},
		{"mixed", `{"TableName":"hash","Item":{"id":{"S":"a"}},"Expected":{"id":{"Exists":false}},"ConditionExpression":"attribute_not_exists(id)"}`, typeValidation,
			"Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"},
		{"values without expression", `{"TableName":"hash","Item":{"id":{"S":"a"}},"ExpressionAttributeValues":{":v":{"S":"x"}}}`, typeValidation, "ExpressionAttributeValues can only be specified when using expressions"},
		{"names without expression", `{"TableName":"hash","Item":{"id":{"S":"a"}},"ExpressionAttributeNames":{"#n":"x"}}`, typeValidation, "ExpressionAttributeNames can only be specified when using expressions"},
		{"empty values", `{"TableName":"hash","Item":{"id":{"S":"a"}},"ConditionExpression":"attribute_exists(id)","ExpressionAttributeValues":{}}`, typeValidation, "ExpressionAttributeValues must not be empty"},
		{"empty names", `{"TableName":"hash","Item":{"id":{"S":"a"}},"ConditionExpression":"attribute_exists(id)","ExpressionAttributeNames":{}}`, typeValidation, "ExpressionAttributeNames must not be empty"},
		{"unused value", `{"TableName":"hash","Item":{"id":{"S":"a"}},"ConditionExpression":"attribute_exists(id)","ExpressionAttributeValues":{":v":{"S":"x"}}}`, typeValidation, "unused in expressions"},
		{"unused name", `{"TableName":"hash","Item":{"id":{"S":"a"}},"ConditionExpression":"attribute_exists(id)","ExpressionAttributeNames":{"#n":"x"}}`, typeValidation, "unused in expressions"},
		{"empty condition", `{"TableName":"hash","Item":{"id":{"S":"a"}},"ConditionExpression":""}`, typeValidation, "Invalid ConditionExpression"},
		{"bad number", `{"TableName":"hash","Item":{"id":{"S":"a"},"n":{"N":"1e200"}}}`, typeValidation, "Number overflow"},
		{"empty attribute name", `{"TableName":"hash","Item":{"id":{"S":"a"},"":{"S":"x"}}}`, typeValidation, ""},
		{"conditional operator", `{"TableName":"hash","Item":{"id":{"S":"a"}},"Expected":{"id":{"Exists":false}},"ConditionalOperator":"XOR"}`, typeValidation, "conditionalOperator"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, s, putItem, tc.body, tc.typ, tc.msg) })
	}
}
