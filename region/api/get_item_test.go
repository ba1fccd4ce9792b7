package api

import "testing"

func TestItemsGet(t *testing.T) {
	s := newItemsServer(t)
	must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"a"},"x":{"N":"1"},"y":{"M":{"z":{"S":"deep"},"w":{"S":"other"}}},"l":{"L":[{"S":"0"},{"S":"1"},{"S":"2"}]}}}`)
	for _, tc := range []struct{ name, body, want string }{
		{"missing", `{"TableName":"hash","Key":{"id":{"S":"none"}}}`, ""},
		{"projection", `{"TableName":"hash","Key":{"id":{"S":"a"}},"ProjectionExpression":"x, y.z, l[1]"}`,
			`{"x":{"N":"1"},"y":{"M":{"z":{"S":"deep"}}},"l":{"L":[{"S":"1"}]}}`},
		{"names", `{"TableName":"hash","Key":{"id":{"S":"a"}},"ProjectionExpression":"#x","ExpressionAttributeNames":{"#x":"x"},"ConsistentRead":true}`,
			`{"x":{"N":"1"}}`},
		{"attributes to get", `{"TableName":"hash","Key":{"id":{"S":"a"}},"AttributesToGet":["id","x"]}`,
			`{"id":{"S":"a"},"x":{"N":"1"}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := must(t, s, getItem, tc.body)
			wantJSON(t, "Item", m["Item"], tc.want)
		})
	}
	m := must(t, s, getItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"ReturnConsumedCapacity":"TOTAL"}`)
	wantJSON(t, "ConsumedCapacity", m["ConsumedCapacity"], `{"TableName":"hash","CapacityUnits":0.5}`)
	m = must(t, s, getItem, `{"TableName":"hash","Key":{"id":{"S":"a"}},"ReturnConsumedCapacity":"TOTAL","ConsistentRead":true}`)
	wantJSON(t, "ConsumedCapacity", m["ConsumedCapacity"], `{"TableName":"hash","CapacityUnits":1}`)
}

func TestItemsGetValidation(t *testing.T) {
	s := newItemsServer(t)
	for _, tc := range []struct{ name, body, typ, msg string }{
		{"no table", `{"TableName":"nope","Key":{"id":{"S":"a"}}}`, typeResourceNotFound, "not found"},
		{"no key", `{"TableName":"hash"}`, typeValidation, "Value null at 'key'"},
		{"extra key attribute", `{"TableName":"hash","Key":{"id":{"S":"a"},"x":{"S":"b"}}}`, typeValidation, "The provided key element does not match the schema"},
		{"range key missing", `{"TableName":"range","Key":{"pk":{"S":"a"}}}`, typeValidation, "The provided key element does not match the schema"},
		{"mixed", `{"TableName":"hash","Key":{"id":{"S":"a"}},"AttributesToGet":["x"],"ProjectionExpression":"x"}`, typeValidation,
			"Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}"},
		{"names unused", `{"TableName":"hash","Key":{"id":{"S":"a"}},"ProjectionExpression":"x","ExpressionAttributeNames":{"#y":"y"}}`, typeValidation, "unused"},
		{"names alone", `{"TableName":"hash","Key":{"id":{"S":"a"}},"ExpressionAttributeNames":{"#y":"y"}}`, typeValidation, "ExpressionAttributeNames can only be specified when using expressions"},
		{"duplicate attributes", `{"TableName":"hash","Key":{"id":{"S":"a"}},"AttributesToGet":["x","x"]}`, typeValidation, "Duplicate value in attribute name: x"},
		{"bad type", `{"TableName":"hash","Key":{"id":{"Q":"a"}}}`, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.typ == "" {
				if _, err := do(t, s, getItem, tc.body); err == nil {
					t.Fatal("succeeded")
				}
				return
			}
			wantErr(t, s, getItem, tc.body, tc.typ, tc.msg)
		})
	}
}
