package api

import (
	"fmt"
	"strings"
	"testing"
)

func TestItemsBatchGet(t *testing.T) {
	s := newItemsServer(t)
	for i := 0; i < 5; i++ {
		must(t, s, putItem, fmt.Sprintf(`{"TableName":"hash","Item":{"id":{"S":"k%d"},"v":{"N":"%d"}}}`, i, i))
	}
	must(t, s, putItem, `{"TableName":"range","Item":{"pk":{"S":"p"},"sk":{"N":"1"},"x":{"S":"y"}}}`)
	m := must(t, s, batchGetItem, `{"RequestItems":{
		"hash":{"Keys":[{"id":{"S":"k1"}},{"id":{"S":"k3"}},{"id":{"S":"missing"}}],"ProjectionExpression":"#v","ExpressionAttributeNames":{"#v":"v"}},
		"range":{"Keys":[{"pk":{"S":"p"},"sk":{"N":"1"}}],"ConsistentRead":true}},
		"ReturnConsumedCapacity":"TOTAL"}`)
	resp := m["Responses"].(map[string]any)
	if got := canon(t, resp["hash"]); got != canon(t, `[{"v":{"N":"1"}},{"v":{"N":"3"}}]`) {
		t.Fatalf("hash responses %s", got)
	}
	wantJSON(t, "range", resp["range"], `[{"pk":{"S":"p"},"sk":{"N":"1"},"x":{"S":"y"}}]`)
	wantJSON(t, "UnprocessedKeys", m["UnprocessedKeys"], `{}`)
	wantJSON(t, "ConsumedCapacity", m["ConsumedCapacity"], `[{"TableName":"hash","CapacityUnits":1.5},{"TableName":"range","CapacityUnits":1}]`)

	var keys []string
	for i := 0; i < 101; i++ {
		keys = append(keys, fmt.Sprintf(`{"id":{"S":"k%d"}}`, i))
	}
	for _, tc := range []struct{ name, body, typ, msg string }{
		{"too many in one table", `{"RequestItems":{"hash":{"Keys":[` + strings.Join(keys, ",") + `]}}}`, typeValidation,
			"1 validation error detected: Value at 'RequestItems.hash.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100"},
		{"too many over two tables", `{"RequestItems":{"hash":{"Keys":[` + strings.Join(keys[:60], ",") + `]},"range":{"Keys":[` +
			strings.Replace(strings.Join(keys[:41], ","), `"id"`, `"pk"`, -1) + `]}}}`, typeValidation, "Too many items requested for the BatchGetItem call"},
		{"duplicates", `{"RequestItems":{"hash":{"Keys":[{"id":{"S":"a"}},{"id":{"S":"a"}}]}}}`, typeValidation, "Provided list of item keys contains duplicates"},
		{"no keys", `{"RequestItems":{"hash":{"Keys":[]}}}`, typeValidation,
			"1 validation error detected: Value at 'RequestItems.hash.member.Keys' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"empty", `{"RequestItems":{}}`, typeValidation, "The requestItems parameter is required for BatchGetItem"},
		{"null", `{}`, typeValidation, "Member must not be null"},
		{"no table", `{"RequestItems":{"nope":{"Keys":[{"id":{"S":"a"}}]}}}`, typeResourceNotFound, ""},
		{"bad key", `{"RequestItems":{"hash":{"Keys":[{"x":{"S":"a"}}]}}}`, typeValidation, "The provided key element does not match the schema"},
		{"mixed", `{"RequestItems":{"hash":{"Keys":[{"id":{"S":"a"}}],"AttributesToGet":["v"],"ProjectionExpression":"v"}}}`, typeValidation, "Can not use both expression and non-expression parameters"},
		// Across tables too (paritysuite/dynamodb-conformance batchGetItem.test.ts).
		{"mixed across tables", `{"RequestItems":{"hash":{"Keys":[{"id":{"S":"a"}}],"ProjectionExpression":"v"},"range":{"Keys":[{"pk":{"S":"p"},"sk":{"N":"1"}}],"AttributesToGet":["v"]}}}`,
			typeValidation, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, s, batchGetItem, tc.body, tc.typ, tc.msg) })
	}
}

// TestItemsBatchGetUnprocessed fills more than 16 MB of response: the rest
// comes back in UnprocessedKeys and a second call gets it.
func TestItemsBatchGetUnprocessed(t *testing.T) {
	s := newItemsServer(t)
	blob := strings.Repeat("b", 390*1024)
	var keys []string
	for i := 0; i < 50; i++ {
		must(t, s, putItem, fmt.Sprintf(`{"TableName":"hash","Item":{"id":{"S":"k%02d"},"b":{"S":"%s"}}}`, i, blob))
		keys = append(keys, fmt.Sprintf(`{"id":{"S":"k%02d"}}`, i))
	}
	m := must(t, s, batchGetItem, `{"RequestItems":{"hash":{"Keys":[`+strings.Join(keys, ",")+`],"AttributesToGet":["id","b"]}}}`)
	got := len(m["Responses"].(map[string]any)["hash"].([]any))
	un := m["UnprocessedKeys"].(map[string]any)["hash"].(map[string]any)
	left := un["Keys"].([]any)
	if got+len(left) != 50 || got == 0 || len(left) == 0 {
		t.Fatalf("got %d, unprocessed %d", got, len(left))
	}
	if un["AttributesToGet"] == nil {
		t.Fatal("UnprocessedKeys lost AttributesToGet")
	}
}
