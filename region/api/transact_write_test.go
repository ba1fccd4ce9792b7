package api

import (
	"fmt"
	"strings"
	"testing"
)

// txCanceledReasons calls TransactWriteItems expecting a cancellation and
// returns its message and reasons.
func txCanceledReasons(t *testing.T, s *Server, body string) (string, []cancellationReason) {
	t.Helper()
	e := wantErr(t, s, transactWriteItems, body, typeTransactionCanceled, "Transaction cancelled, please refer cancellation reasons for specific reasons [")
	if e.Status != 400 {
		t.Fatalf("status %d", e.Status)
	}
	reasons, ok := e.Extra["CancellationReasons"].([]cancellationReason)
	if !ok {
		t.Fatalf("CancellationReasons = %#v", e.Extra["CancellationReasons"])
	}
	// The wire form carries them too.
	if b := string(e.body()); !strings.Contains(b, `"CancellationReasons":[{"Code":`) {
		t.Fatalf("body %s", b)
	}
	return e.Message, reasons
}

func TestTransactWriteApplies(t *testing.T) {
	s := newItemsServer(t)
	must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"acct1"},"bal":{"N":"100"}}}`)
	must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"gone"}}}`)
	must(t, s, putItem, `{"TableName":"range","Item":{"pk":{"S":"p"},"sk":{"N":"1"},"ok":{"BOOL":true}}}`)
	m := must(t, s, transactWriteItems, `{"TransactItems":[
		{"Update":{"TableName":"hash","Key":{"id":{"S":"acct1"}},"UpdateExpression":"SET bal = bal - :a",
			"ConditionExpression":"bal >= :a","ExpressionAttributeValues":{":a":{"N":"30"}}}},
		{"Update":{"TableName":"hash","Key":{"id":{"S":"acct2"}},"UpdateExpression":"SET bal = if_not_exists(bal, :z) + :a",
			"ExpressionAttributeValues":{":a":{"N":"30"},":z":{"N":"0"}}}},
		{"Put":{"TableName":"hash","Item":{"id":{"S":"new"},"v":{"S":"x"}},"ConditionExpression":"attribute_not_exists(id)"}},
		{"Delete":{"TableName":"hash","Key":{"id":{"S":"gone"}}}},
		{"Delete":{"TableName":"hash","Key":{"id":{"S":"never"}}}},
		{"ConditionCheck":{"TableName":"range","Key":{"pk":{"S":"p"},"sk":{"N":"1"}},
			"ConditionExpression":"#o = :t","ExpressionAttributeNames":{"#o":"ok"},"ExpressionAttributeValues":{":t":{"BOOL":true}}}}],
		"ReturnConsumedCapacity":"TOTAL"}`)
	wantJSON(t, "ConsumedCapacity", m["ConsumedCapacity"],
		`[{"TableName":"hash","CapacityUnits":10},{"TableName":"range","CapacityUnits":2}]`)
	for key, want := range map[string]string{
		`{"id":{"S":"acct1"}}`: `{"id":{"S":"acct1"},"bal":{"N":"70"}}`,
		`{"id":{"S":"acct2"}}`: `{"id":{"S":"acct2"},"bal":{"N":"30"}}`,
		`{"id":{"S":"new"}}`:   `{"id":{"S":"new"},"v":{"S":"x"}}`,
		`{"id":{"S":"gone"}}`:  ``,
		`{"id":{"S":"never"}}`: ``,
	} {
		got := getItemJSON(t, s, "hash", key)
		if want != "" {
			want = canon(t, want)
		}
		if got != want {
			t.Errorf("%s = %s, want %s", key, got, want)
		}
	}
	if m := must(t, s, transactWriteItems, `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"id":{"S":"z"}}}}]}`); len(m) != 0 {
		t.Errorf("response %v, want {}", m)
	}
}

// TestTransactWriteCancellationReasons checks that every action gets its
// reason in request order, that ALL_OLD puts the item in its reason, and
// that a cancelled transaction writes nothing.
func TestTransactWriteCancellationReasons(t *testing.T) {
	s := newItemsServer(t)
	must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"a"},"bal":{"N":"5"}}}`)
	must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"b"},"bal":{"N":"5"},"name":{"S":"bee"}}}`)
	must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"s"},"bal":{"S":"not a number"}}}`)
	msg, reasons := txCanceledReasons(t, s, `{"TransactItems":[
		{"Put":{"TableName":"hash","Item":{"id":{"S":"fresh"}}}},
		{"Update":{"TableName":"hash","Key":{"id":{"S":"a"}},"UpdateExpression":"SET bal = bal - :a",
			"ConditionExpression":"bal >= :a","ExpressionAttributeValues":{":a":{"N":"10"}}}},
		{"ConditionCheck":{"TableName":"hash","Key":{"id":{"S":"b"}},"ConditionExpression":"attribute_not_exists(id)",
			"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}},
		{"Update":{"TableName":"hash","Key":{"id":{"S":"s"}},"UpdateExpression":"SET bal = bal + :a",
			"ExpressionAttributeValues":{":a":{"N":"1"}}}},
		{"Delete":{"TableName":"hash","Key":{"id":{"S":"absent"}},"ConditionExpression":"attribute_exists(id)",
			"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}},
		{"Delete":{"TableName":"range","Key":{"pk":{"S":"p"},"sk":{"N":"1"}}}}]}`)
	if want := "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, ConditionalCheckFailed, ValidationError, ConditionalCheckFailed, None]"; msg != want {
		t.Errorf("message %q\nwant %q", msg, want)
	}
	wantJSON(t, "reasons", canon(t, reasons), `[
		{"Code":"None"},
		{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"},
		{"Code":"ConditionalCheckFailed","Message":"The conditional request failed","Item":{"id":{"S":"b"},"bal":{"N":"5"},"name":{"S":"bee"}}},
		{"Code":"ValidationError","Message":"An operand in the update expression has an incorrect data type"},
		{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"},
		{"Code":"None"}]`)
	if got := getItemJSON(t, s, "hash", `{"id":{"S":"fresh"}}`); got != "" {
		t.Errorf("fresh = %s after a cancelled transaction", got)
	}
	if got := getItemJSON(t, s, "hash", `{"id":{"S":"a"}}`); got != canon(t, `{"id":{"S":"a"},"bal":{"N":"5"}}`) {
		t.Errorf("a = %s", got)
	}

	// A single failure, last or first.
	msg, _ = txCanceledReasons(t, s, `{"TransactItems":[
		{"Put":{"TableName":"hash","Item":{"id":{"S":"fresh"}}}},
		{"ConditionCheck":{"TableName":"hash","Key":{"id":{"S":"b"}},"ConditionExpression":"bal > :z","ExpressionAttributeValues":{":z":{"N":"9"}}}}]}`)
	if !strings.HasSuffix(msg, "[None, ConditionalCheckFailed]") {
		t.Errorf("message %q", msg)
	}
	msg, _ = txCanceledReasons(t, s, `{"TransactItems":[
		{"ConditionCheck":{"TableName":"hash","Key":{"id":{"S":"b"}},"ConditionExpression":"bal > :z","ExpressionAttributeValues":{":z":{"N":"9"}}}},
		{"Put":{"TableName":"hash","Item":{"id":{"S":"fresh"}}}}]}`)
	if !strings.HasSuffix(msg, "[ConditionalCheckFailed, None]") {
		t.Errorf("message %q", msg)
	}
	// An update that grows an item past 400 KB is a ValidationError reason.
	big := strings.Repeat("x", 300*1024)
	must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"big"},"a":{"S":"`+big+`"}}}`)
	_, reasons = txCanceledReasons(t, s, `{"TransactItems":[
		{"Update":{"TableName":"hash","Key":{"id":{"S":"big"}},"UpdateExpression":"SET b = a"}}]}`)
	if reasons[0].Code != reasonValidation || !strings.Contains(reasons[0].Message, "Item size to update has exceeded") {
		t.Errorf("reasons %+v", reasons)
	}
	if got := getItemJSON(t, s, "hash", `{"id":{"S":"fresh"}}`); got != "" {
		t.Errorf("fresh = %s after cancelled transactions", got)
	}
}

func TestTransactWriteValidation(t *testing.T) {
	s := newItemsServer(t)
	put := func(id string) string { return `{"Put":{"TableName":"hash","Item":{"id":{"S":"` + id + `"}}}}` }
	var many []string
	for i := range maxTransactItems + 1 {
		many = append(many, put(fmt.Sprintf("k%d", i)))
	}
	big := strings.Repeat("x", 390*1024)
	var large []string
	for i := range 11 {
		large = append(large, fmt.Sprintf(`{"Put":{"TableName":"hash","Item":{"id":{"S":"L%d"},"v":{"S":"%s"}}}}`, i, big))
	}
	for _, tc := range []struct{ name, body, typ, msg string }{
		{"no items", `{}`, typeValidation, "Value null at 'transactItems'"},
		{"empty", `{"TransactItems":[]}`, typeValidation, "Member must have length greater than or equal to 1"},
		{"too many", `{"TransactItems":[` + strings.Join(many, ",") + `]}`, typeValidation, "Member must have length less than or equal to 100"},
		{"too large", `{"TransactItems":[` + strings.Join(large, ",") + `]}`, typeValidation, "Transaction request size has exceeded"},
		{"duplicate", `{"TransactItems":[` + put("a") + `,{"ConditionCheck":{"TableName":"hash","Key":{"id":{"S":"a"}},"ConditionExpression":"attribute_exists(id)"}}]}`,
			typeValidation, "Transaction request cannot include multiple operations on one item"},
		{"two actions", `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"id":{"S":"a"}}},"Delete":{"TableName":"hash","Key":{"id":{"S":"b"}}}}]}`,
			typeValidation, "TransactItems can only contain one of Check, Put, Update or Delete"},
		{"no action", `{"TransactItems":[{}]}`, typeValidation, "TransactItems can only contain one of Check, Put, Update or Delete"},
		{"check without condition", `{"TransactItems":[{"ConditionCheck":{"TableName":"hash","Key":{"id":{"S":"a"}}}}]}`,
			typeValidation, "Value null at 'transactItems.1.member.conditionCheck.conditionExpression'"},
		{"update without expression", `{"TransactItems":[` + put("b") + `,{"Update":{"TableName":"hash","Key":{"id":{"S":"a"}}}}]}`,
			typeValidation, "Value null at 'transactItems.2.member.update.updateExpression'"},
		{"no table name", `{"TransactItems":[{"Delete":{"Key":{"id":{"S":"a"}}}}]}`, typeValidation, "transactItems.1.member.delete.tableName"},
		{"unknown table", `{"TransactItems":[{"Delete":{"TableName":"nope","Key":{"id":{"S":"a"}}}}]}`, typeResourceNotFound, ""},
		// Every action's expressions are checked before any table is looked up.
		{"later syntax error before unknown table", `{"TransactItems":[{"Delete":{"TableName":"nope","Key":{"id":{"S":"a"}}}},
			{"ConditionCheck":{"TableName":"hash","Key":{"id":{"S":"b"}},"ConditionExpression":"attribute_not_exists("}}]}`,
			typeValidation, "Invalid ConditionExpression: Syntax error"},
		{"later unused value before unknown table", `{"TransactItems":[{"Delete":{"TableName":"nope","Key":{"id":{"S":"a"}}}},
			{"ConditionCheck":{"TableName":"hash","Key":{"id":{"S":"b"}},"ConditionExpression":"attribute_not_exists(id)","ExpressionAttributeValues":{":v":{"S":"x"}}}}]}`,
			typeValidation, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}"},
		{"bad key", `{"TransactItems":[{"Delete":{"TableName":"hash","Key":{"x":{"S":"a"}}}}]}`, typeValidation, ""},
		{"put without key", `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"x":{"S":"a"}}}}]}`, typeValidation, ""},
		{"key attribute update", `{"TransactItems":[{"Update":{"TableName":"hash","Key":{"id":{"S":"a"}},"UpdateExpression":"SET id = :v","ExpressionAttributeValues":{":v":{"S":"b"}}}}]}`,
			typeValidation, "Cannot update attribute id"},
		{"unused value", `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"id":{"S":"a"}},"ConditionExpression":"attribute_exists(id)","ExpressionAttributeValues":{":v":{"S":"b"}}}}]}`,
			typeValidation, ":v"},
		{"syntax", `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"id":{"S":"a"}},"ConditionExpression":"id = = 1"}}]}`, typeValidation, ""},
		{"bad return values", `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"id":{"S":"a"}},"ReturnValuesOnConditionCheckFailure":"ALL_NEW"}}]}`,
			typeValidation, "returnValuesOnConditionCheckFailure"},
		{"bad capacity", `{"TransactItems":[` + put("a") + `],"ReturnConsumedCapacity":"SOME"}`, typeValidation, "returnConsumedCapacity"},
		{"token too long", `{"TransactItems":[` + put("a") + `],"ClientRequestToken":"` + strings.Repeat("t", 37) + `"}`, typeValidation, "clientRequestToken"},
		{"empty token", `{"TransactItems":[` + put("a") + `],"ClientRequestToken":""}`, typeValidation, "clientRequestToken"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, s, transactWriteItems, tc.body, tc.typ, tc.msg) })
	}
	// Nothing was written by the rejected requests.
	for _, id := range []string{"a", "b", "k0", "L0"} {
		if got := getItemJSON(t, s, "hash", `{"id":{"S":"`+id+`"}}`); got != "" {
			t.Errorf("%s = %s after rejected requests", id, got)
		}
	}
	// Exactly 100 actions are fine.
	must(t, s, transactWriteItems, `{"TransactItems":[`+strings.Join(many[:maxTransactItems], ",")+`]}`)
}

// TestTransactWriteKeyTypeCancels checks DynamoDB's split for a key of the
// wrong type (paritysuite/dynamodb-conformance, tests/tier3/error-messages/
// transactWriteItems.test.ts, measured on DynamoDB): a wrong-typed or
// non-scalar key cancels the transaction with a ValidationError reason for
// that action (None for the others), while an empty key value stays a
// request-level ValidationException. Nothing is written either way.
func TestTransactWriteKeyTypeCancels(t *testing.T) {
	s := newItemsServer(t)
	must(t, s, createTable, `{"TableName":"bin","BillingMode":"PAY_PER_REQUEST",
		"AttributeDefinitions":[{"AttributeName":"b","AttributeType":"B"},{"AttributeName":"s","AttributeType":"S"}],
		"KeySchema":[{"AttributeName":"b","KeyType":"HASH"},{"AttributeName":"s","KeyType":"RANGE"}]}`)
	must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"there"}}}`)
	const (
		putN      = "One or more parameter values were invalid: Type mismatch for key id expected: S actual: N"
		putL      = "One or more parameter values were invalid: Type mismatch for key id expected: S actual: L"
		putSort   = "One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S"
		schema    = "The provided key element does not match the schema"
		emptyS    = "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: id"
		emptyB    = "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: b"
		condition = `,"ConditionExpression":"attribute_not_exists(id)"`
		update    = `,"UpdateExpression":"SET v = :v","ExpressionAttributeValues":{":v":{"S":"x"}}`
	)
	action := func(kind, key, rest string) string {
		member := "Key"
		if kind == "Put" {
			member = "Item"
		}
		return `{"` + kind + `":{"TableName":"hash","` + member + `":{"id":` + key + `}` + rest + `}}`
	}
	for _, c := range []struct{ name, action, reason string }{
		{"put number key", action("Put", `{"N":"5"}`, ""), putN},
		{"put list key", action("Put", `{"L":[{"S":"x"}]}`, ""), putL},
		{"put wrong sort key", `{"Put":{"TableName":"range","Item":{"pk":{"S":"p"},"sk":{"S":"1"}}}}`, putSort},
		{"update number key", action("Update", `{"N":"5"}`, update), schema},
		{"update list key", action("Update", `{"L":[{"S":"x"}]}`, update), schema},
		{"delete number key", action("Delete", `{"N":"5"}`, ""), schema},
		{"delete list key", action("Delete", `{"L":[{"S":"x"}]}`, ""), schema},
		{"check number key", action("ConditionCheck", `{"N":"5"}`, condition), schema},
		{"check list key", action("ConditionCheck", `{"L":[{"S":"x"}]}`, condition), schema},
	} {
		t.Run(c.name, func(t *testing.T) {
			msg, reasons := txCanceledReasons(t, s, `{"TransactItems":[`+c.action+`]}`)
			if want := "Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError]"; msg != want {
				t.Errorf("message %q\nwant %q", msg, want)
			}
			wantJSON(t, "reasons", canon(t, reasons), `[{"Code":"ValidationError","Message":"`+c.reason+`"}]`)
		})
	}

	// The other actions get None, in request order, and none is applied,
	// with or without a ClientRequestToken (a cancelled transaction does
	// not keep its token, so the retry is cancelled again, not replayed).
	for _, token := range []string{"", `,"ClientRequestToken":"key-type"`} {
		for range 2 {
			msg, reasons := txCanceledReasons(t, s, `{"TransactItems":[`+
				action("Put", `{"S":"fresh"}`, "")+","+
				action("Delete", `{"S":"there"}`, "")+","+
				action("Update", `{"N":"5"}`, update)+","+
				action("Put", `{"L":[]}`, "")+"]"+token+"}")
			if !strings.HasSuffix(msg, "[None, None, ValidationError, ValidationError]") {
				t.Errorf("message %q", msg)
			}
			wantJSON(t, "reasons", canon(t, reasons), `[{"Code":"None"},{"Code":"None"},
				{"Code":"ValidationError","Message":"`+schema+`"},{"Code":"ValidationError","Message":"`+putL+`"}]`)
		}
	}
	if got := getItemJSON(t, s, "hash", `{"id":{"S":"fresh"}}`); got != "" {
		t.Errorf("fresh = %s after a cancelled transaction", got)
	}
	if got := getItemJSON(t, s, "hash", `{"id":{"S":"there"}}`); got == "" {
		t.Error("there was deleted by a cancelled transaction")
	}
	// The token is free again: a valid request with it runs.
	must(t, s, transactWriteItems, `{"TransactItems":[`+action("Put", `{"S":"fresh"}`, "")+`],"ClientRequestToken":"key-type"}`)
	if got := getItemJSON(t, s, "hash", `{"id":{"S":"fresh"}}`); got == "" {
		t.Error("the token of a cancelled transaction was not released")
	}

	// Empty key values, a missing key attribute and request-level problems
	// of other actions still fail the whole request before any action runs.
	for _, c := range []struct{ name, body, typ, msg string }{
		{"put empty string", action("Put", `{"S":""}`, ""), typeValidation, emptyS},
		{"put empty binary", `{"Put":{"TableName":"bin","Item":{"b":{"B":""},"s":{"S":"x"}}}}`, typeValidation, emptyB},
		{"update empty string", action("Update", `{"S":""}`, update), typeValidation, emptyS},
		{"delete empty binary", `{"Delete":{"TableName":"bin","Key":{"b":{"B":""},"s":{"S":"x"}}}}`, typeValidation, emptyB},
		{"check empty string", action("ConditionCheck", `{"S":""}`, condition), typeValidation, emptyS},
		{"wrong type beside empty sort key", `{"Put":{"TableName":"bin","Item":{"b":{"N":"1"},"s":{"S":""}}}}`, typeValidation,
			"One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: s"},
		{"wrong type beside missing sort key", `{"Delete":{"TableName":"range","Key":{"pk":{"N":"1"}}}}`, typeValidation, schema},
		{"wrong type beside a syntax error", action("Put", `{"N":"5"}`, "") + "," + action("Delete", `{"S":"x"}`, `,"ConditionExpression":"id = ="`),
			typeValidation, "Invalid ConditionExpression: Syntax error"},
		{"wrong type beside an unknown table", action("Put", `{"N":"5"}`, "") + `,{"Delete":{"TableName":"nope","Key":{"id":{"S":"x"}}}}`,
			typeResourceNotFound, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantErr(t, s, transactWriteItems, `{"TransactItems":[`+c.body+`]}`, c.typ, c.msg)
		})
	}
}
