package api

import (
	"fmt"
	"strings"
	"testing"
)

func TestItemsBatchWrite(t *testing.T) {
	s := newItemsServer(t)
	must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"old"}}}`)
	m := must(t, s, batchWriteItem, `{"RequestItems":{
		"hash":[{"PutRequest":{"Item":{"id":{"S":"a"},"v":{"N":"1"}}}},{"DeleteRequest":{"Key":{"id":{"S":"old"}}}},{"DeleteRequest":{"Key":{"id":{"S":"never"}}}}],
		"range":[{"PutRequest":{"Item":{"pk":{"S":"p"},"sk":{"N":"1"}}}}]},
		"ReturnConsumedCapacity":"TOTAL"}`)
	wantJSON(t, "UnprocessedItems", m["UnprocessedItems"], `{}`)
	wantJSON(t, "ConsumedCapacity", m["ConsumedCapacity"], `[{"TableName":"hash","CapacityUnits":3},{"TableName":"range","CapacityUnits":1}]`)
	if got := getItemJSON(t, s, "hash", `{"id":{"S":"a"}}`); got != canon(t, `{"id":{"S":"a"},"v":{"N":"1"}}`) {
		t.Fatalf("a = %s", got)
	}
	if got := getItemJSON(t, s, "hash", `{"id":{"S":"old"}}`); got != "" {
		t.Fatalf("old = %s after delete", got)
	}
	if got := getItemJSON(t, s, "range", `{"pk":{"S":"p"},"sk":{"N":"1"}}`); got == "" {
		t.Fatal("range item missing")
	}

	var puts []string
	for i := 0; i < 26; i++ {
		puts = append(puts, fmt.Sprintf(`{"PutRequest":{"Item":{"id":{"S":"k%d"}}}}`, i))
	}
	big := strings.Repeat("x", 401*1024)
	for _, tc := range []struct{ name, body, typ, msg string }{
		{"too many in one table", `{"RequestItems":{"hash":[` + strings.Join(puts, ",") + `]}}`, typeValidation, "Member must have length less than or equal to 25"},
		{"too many", `{"RequestItems":{"hash":[` + strings.Join(puts[:20], ",") + `],"range":[` +
			strings.Repeat(`{"DeleteRequest":{"Key":{"pk":{"S":"p"},"sk":{"N":"1"}}}},`, 5) + `{"DeleteRequest":{"Key":{"pk":{"S":"p"},"sk":{"N":"2"}}}}]}}`, typeValidation,
			"Too many items requested for the BatchWriteItem call"},
		{"duplicates", `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"id":{"S":"a"}}}},{"DeleteRequest":{"Key":{"id":{"S":"a"}}}}]}}`, typeValidation, "Provided list of item keys contains duplicates"},
		{"both", `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"id":{"S":"a"}}},"DeleteRequest":{"Key":{"id":{"S":"b"}}}}]}}`, typeValidation, ""},
		{"neither", `{"RequestItems":{"hash":[{}]}}`, typeValidation, ""},
		{"no table", `{"RequestItems":{"nope":[{"DeleteRequest":{"Key":{"id":{"S":"a"}}}}]}}`, typeResourceNotFound, ""},
		{"empty", `{"RequestItems":{}}`, typeValidation, "Member must have length greater than or equal to 1"},
		{"empty list", `{"RequestItems":{"hash":[]}}`, typeValidation,
			"1 validation error detected: Value '{hash=[]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]"},
		{"bad key", `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"x":{"S":"a"}}}}]}}`, typeValidation, "id"},
		{"too large", `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"id":{"S":"a"},"b":{"S":"` + big + `"}}}}]}}`, typeValidation, "Item size has exceeded the maximum allowed size"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, s, batchWriteItem, tc.body, tc.typ, tc.msg) })
	}
	// A failed request writes nothing.
	if got := getItemJSON(t, s, "hash", `{"id":{"S":"k0"}}`); got != "" {
		t.Fatalf("k0 = %s after failed batches", got)
	}
}
