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
		{"empty key string", `{"TransactItems":[{"Get":{"TableName":"hash","Key":{"id":{"S":""}}}}]}`, typeValidation,
			"One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: id"},
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

// TestTransactGetKeyMismatchCancels: a Get whose Key does not match the
// key schema cancels the transaction with a ValidationError reason for
// that Get (paritysuite/dynamodb-conformance transactGetItems.test.ts,
// "missing key attribute"), after every Get has passed the request's own
// checks.
func TestTransactGetKeyMismatchCancels(t *testing.T) {
	s := newItemsServer(t)
	get := func(table, key string) string { return `{"Get":{"TableName":"` + table + `","Key":` + key + `}}` }
	for _, c := range []struct {
		name  string
		gets  []string
		codes []string
	}{
		{"empty key", []string{get("hash", `{}`)}, []string{reasonValidation}},
		{"range key missing", []string{get("hash", `{"id":{"S":"a"}}`), get("range", `{"pk":{"S":"a"}}`)}, []string{reasonNone, reasonValidation}},
		{"wrong type", []string{get("hash", `{"id":{"N":"1"}}`)}, []string{reasonValidation}},
		{"extra attribute", []string{get("hash", `{"id":{"S":"a"},"x":{"S":"b"}}`)}, []string{reasonValidation}},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := `{"TransactItems":[` + strings.Join(c.gets, ",") + `]}`
			e := wantErr(t, s, transactGetItems, body, typeTransactionCanceled,
				"Transaction cancelled, please refer cancellation reasons for specific reasons ["+strings.Join(c.codes, ", ")+"]")
			reasons, ok := e.Extra["CancellationReasons"].([]cancellationReason)
			if !ok || len(reasons) != len(c.codes) {
				t.Fatalf("CancellationReasons = %#v", e.Extra["CancellationReasons"])
			}
			for i, r := range reasons {
				if r.Code == reasonValidation && r.Message != "The provided key element does not match the schema" {
					t.Errorf("reason %d message %q", i, r.Message)
				}
			}
		})
	}
	// A request error in a later Get still fails the request.
	wantErr(t, s, transactGetItems, `{"TransactItems":[`+get("hash", `{}`)+`,`+get("nope", `{"id":{"S":"a"}}`)+`]}`, typeResourceNotFound, "")
}
