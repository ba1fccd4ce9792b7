package api

import (
	"fmt"
	"strings"
	"testing"
)

func TestTransactGet(t *testing.T) {
	s := newItemsServer(t)
	must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"a"},"v":{"N":"1"},"m":{"M":{"x":{"S":"y"},"z":{"S":"w"}}}}}`)
	must(t, s, putItem, `{"TableName":"range","Item":{"pk":{"S":"p"},"sk":{"N":"1"},"w":{"S":"r"}}}`)
	must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"gone"}}}`)
	must(t, s, deleteItem, `{"TableName":"hash","Key":{"id":{"S":"gone"}}}`)
	m := must(t, s, transactGetItems, `{"TransactItems":[
		{"Get":{"TableName":"hash","Key":{"id":{"S":"a"}},"ProjectionExpression":"#m.x, v","ExpressionAttributeNames":{"#m":"m"}}},
		{"Get":{"TableName":"hash","Key":{"id":{"S":"missing"}}}},
		{"Get":{"TableName":"range","Key":{"pk":{"S":"p"},"sk":{"N":"1"}}}},
		{"Get":{"TableName":"hash","Key":{"id":{"S":"gone"}}}}],
		"ReturnConsumedCapacity":"TOTAL"}`)
	wantJSON(t, "Responses", m["Responses"], `[
		{"Item":{"m":{"M":{"x":{"S":"y"}}},"v":{"N":"1"}}},
		{},
		{"Item":{"pk":{"S":"p"},"sk":{"N":"1"},"w":{"S":"r"}}},
		{}]`)
	wantJSON(t, "ConsumedCapacity", m["ConsumedCapacity"],
		`[{"TableName":"hash","CapacityUnits":6},{"TableName":"range","CapacityUnits":2}]`)
}

func TestTransactGetValidation(t *testing.T) {
	s := newItemsServer(t)
	get := func(id string) string { return `{"Get":{"TableName":"hash","Key":{"id":{"S":"` + id + `"}}}}` }
	var many []string
	for i := range maxTransactItems + 1 {
		many = append(many, get(fmt.Sprintf("k%d", i)))
	}
	for _, tc := range []struct{ name, body, typ, msg string }{
		{"no items", `{}`, typeValidation, "Value null at 'transactItems'"},
		{"empty", `{"TransactItems":[]}`, typeValidation, "Member must have length greater than or equal to 1"},
		{"too many", `{"TransactItems":[` + strings.Join(many, ",") + `]}`, typeValidation, "Member must have length less than or equal to 100"},
		{"duplicate", `{"TransactItems":[` + get("a") + `,` + get("b") + `,` + get("a") + `]}`, typeValidation,
			"Transaction request cannot include multiple operations on one item"},
		{"no get", `{"TransactItems":[` + get("a") + `,{}]}`, typeValidation, "Value null at 'transactItems.2.member.get'"},
		{"no key", `{"TransactItems":[{"Get":{"TableName":"hash"}}]}`, typeValidation, "transactItems.1.member.get.key"},
		{"no table name", `{"TransactItems":[{"Get":{"Key":{"id":{"S":"a"}}}}]}`, typeValidation, "transactItems.1.member.get.tableName"},
		{"unknown table", `{"TransactItems":[{"Get":{"TableName":"nope","Key":{"id":{"S":"a"}}}}]}`, typeResourceNotFound, ""},
		{"bad key", `{"TransactItems":[{"Get":{"TableName":"range","Key":{"pk":{"S":"a"}}}}]}`, typeValidation, ""},
		{"unused name", `{"TransactItems":[{"Get":{"TableName":"hash","Key":{"id":{"S":"a"}},"ProjectionExpression":"v","ExpressionAttributeNames":{"#n":"v"}}}]}`,
			typeValidation, "#n"},
		{"names without projection", `{"TransactItems":[{"Get":{"TableName":"hash","Key":{"id":{"S":"a"}},"ExpressionAttributeNames":{"#n":"v"}}}]}`,
			typeValidation, "ExpressionAttributeNames can only be specified when using expressions"},
		{"bad capacity", `{"TransactItems":[` + get("a") + `],"ReturnConsumedCapacity":"SOME"}`, typeValidation, "returnConsumedCapacity"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, s, transactGetItems, tc.body, tc.typ, tc.msg) })
	}
	must(t, s, transactGetItems, `{"TransactItems":[`+strings.Join(many[:maxTransactItems], ",")+`]}`)
}
