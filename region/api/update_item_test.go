package api

import (
	"strings"
	"testing"
)

func TestItemsUpdateUpsert(t *testing.T) {
	s := newItemsServer(t)
	m := must(t, s, updateItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"UpdateExpression":"SET v = :one ADD c :one","ExpressionAttributeValues":{":one":{"N":"1"}},"ReturnValues":"ALL_NEW"}`)
	wantJSON(t, "Attributes", m["Attributes"], `{"id":{"S":"a"},"v":{"N":"1"},"c":{"N":"1"}}`)
	// A key alone creates the item.
	must(t, s, updateItem, `{"TableName":"range","Key":{"pk":{"S":"p"},"sk":{"N":"1"}}}`)
	if got := getItemJSON(t, s, "range", `{"pk":{"S":"p"},"sk":{"N":"1"}}`); got != canon(t, `{"pk":{"S":"p"},"sk":{"N":"1"}}`) {
		t.Fatalf("item = %s", got)
	}
}

func TestItemsUpdateReturnValues(t *testing.T) {
	for _, tc := range []struct{ rv, want string }{
		{"NONE", ""},
		{"ALL_OLD", `{"id":{"S":"a"},"v":{"N":"1"},"w":{"S":"keep"}}`},
		{"UPDATED_OLD", `{"v":{"N":"1"}}`},
		{"ALL_NEW", `{"id":{"S":"a"},"v":{"N":"2"},"w":{"S":"keep"},"x":{"S":"new"}}`},
		{"UPDATED_NEW", `{"v":{"N":"2"},"x":{"S":"new"}}`},
	} {
		t.Run(tc.rv, func(t *testing.T) {
			s := newItemsServer(t)
			must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"a"},"v":{"N":"1"},"w":{"S":"keep"}}}`)
			m := must(t, s, updateItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"UpdateExpression":"SET v = v + :one, x = :x","ExpressionAttributeValues":{":one":{"N":"1"},":x":{"S":"new"}},"ReturnValues":"`+tc.rv+`"}`)
			wantJSON(t, "Attributes", m["Attributes"], tc.want)
		})
	}
}

func TestItemsUpdateCondition(t *testing.T) {
	s := newItemsServer(t)
	must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"a"},"v":{"N":"1"}}}`)
	e := wantErr(t, s, updateItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"UpdateExpression":"SET v = :two","ConditionExpression":"v = :two","ExpressionAttributeValues":{":two":{"N":"2"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}`,
		typeConditionalFailed, "The conditional request failed")
	if e.Item == nil || e.Item["v"].S != "1" {
		t.Fatalf("Error.Item = %v", e.Item)
	}
	must(t, s, updateItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"UpdateExpression":"SET v = :two","ConditionExpression":"v = :one","ExpressionAttributeValues":{":one":{"N":"1"},":two":{"N":"2"}}}`)
	// Condition on an absent item: attribute_exists fails, no item created.
	wantErr(t, s, updateItem, `{"TableName":"hash","Key":{"id":{"S":"b"}},"UpdateExpression":"SET v = :two","ConditionExpression":"attribute_exists(id)","ExpressionAttributeValues":{":two":{"N":"2"}}}`,
		typeConditionalFailed, "")
	if got := getItemJSON(t, s, "hash", `{"id":{"S":"b"}}`); got != "" {
		t.Fatalf("item b = %s, want none", got)
	}
}

func TestItemsUpdateLegacy(t *testing.T) {
	s := newItemsServer(t)
	must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"a"},"v":{"N":"1"},"gone":{"S":"x"}}}`)
	m := must(t, s, updateItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"AttributeUpdates":{"v":{"Action":"ADD","Value":{"N":"5"}},"n":{"Value":{"S":"new"}},"gone":{"Action":"DELETE"}},"Expected":{"v":{"Value":{"N":"1"}}},"ReturnValues":"ALL_NEW"}`)
	wantJSON(t, "Attributes", m["Attributes"], `{"id":{"S":"a"},"v":{"N":"6"},"n":{"S":"new"}}`)
	wantErr(t, s, updateItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"AttributeUpdates":{"v":{"Value":{"N":"5"}}},"Expected":{"v":{"Value":{"N":"1"}}}}`,
		typeConditionalFailed, "")
}

func TestItemsUpdateValidation(t *testing.T) {
	s := newItemsServer(t)
	must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"big"},"s":{"S":"`+strings.Repeat("x", 300*1024)+`"}}}`)
	big := strings.Repeat("y", 200*1024)
	for _, tc := range []struct{ name, body, typ, msg string }{
		{"key attribute", `{"TableName":"hash","Key":{"id":{"S":"a"}},"UpdateExpression":"SET id = :v","ExpressionAttributeValues":{":v":{"S":"b"}}}`, typeValidation,
			"One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key"},
		{"key attribute legacy", `{"TableName":"range","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"AttributeUpdates":{"sk":{"Value":{"N":"2"}}}}`, typeValidation,
			"Cannot update attribute sk. This attribute is part of the key"},
		{"too large", `{"TableName":"hash","Key":{"id":{"S":"big"}},"UpdateExpression":"SET t = :v","ExpressionAttributeValues":{":v":{"S":"` + big + `"}}}`, typeValidation,
			"Item size to update has exceeded the maximum allowed size"},
		{"mixed", `{"TableName":"hash","Key":{"id":{"S":"a"}},"AttributeUpdates":{"v":{"Value":{"N":"5"}}},"ConditionExpression":"attribute_exists(id)"}`, typeValidation,
			"Non-expression parameters: {AttributeUpdates} Expression parameters: {ConditionExpression}"},
		{"return values enum", `{"TableName":"hash","Key":{"id":{"S":"a"}},"ReturnValues":"EVERYTHING"}`, typeValidation, "Member must satisfy enum value set"},
		{"unused value", `{"TableName":"hash","Key":{"id":{"S":"a"}},"UpdateExpression":"SET v = :v","ExpressionAttributeValues":{":v":{"N":"1"},":w":{"N":"2"}}}`, typeValidation, "unused in expressions"},
		{"missing value", `{"TableName":"hash","Key":{"id":{"S":"a"}},"UpdateExpression":"SET v = :v"}`, typeValidation, ":v"},
		{"no key", `{"TableName":"hash","UpdateExpression":"REMOVE v"}`, typeValidation, "Value null at 'key'"},
		{"bad key", `{"TableName":"hash","Key":{"id":{"N":"1"}},"UpdateExpression":"REMOVE v"}`, typeValidation, ""},
		{"no table", `{"TableName":"nope","Key":{"id":{"S":"a"}},"UpdateExpression":"REMOVE v"}`, typeResourceNotFound, ""},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, s, updateItem, tc.body, tc.typ, tc.msg) })
	}
}
