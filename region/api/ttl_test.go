package api

import (
	"fmt"
	"testing"
	"time"
)

func TestTTLEnableDescribeAndHideExpired(t *testing.T) {
	s := newTableServer(t)
	tblOK(t, s, createTable, `{"TableName":"ttl","BillingMode":"PAY_PER_REQUEST",
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]}`)
	if d := tblOK(t, s, describeTimeToLive, `{"TableName":"ttl"}`); field(d, "TimeToLiveDescription", "TimeToLiveStatus") != "DISABLED" {
		t.Fatalf("DescribeTimeToLive before enabling: %v", d)
	}
	tblErr(t, s, updateTimeToLive, `{"TableName":"ttl","TimeToLiveSpecification":{"Enabled":false,"AttributeName":"exp"}}`,
		typeValidation, "already disabled")
	tblErr(t, s, updateTimeToLive, `{"TableName":"ttl"}`, typeValidation, "timeToLiveSpecification")
	tblErr(t, s, updateTimeToLive, `{"TableName":"nope","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}`,
		typeResourceNotFound, "")
	out := tblOK(t, s, updateTimeToLive, `{"TableName":"ttl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}`)
	if field(out, "TimeToLiveSpecification", "AttributeName") != "exp" {
		t.Fatalf("UpdateTimeToLive = %v", out)
	}
	tblErr(t, s, updateTimeToLive, `{"TableName":"ttl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}`,
		typeValidation, "already enabled")
	tblErr(t, s, updateTimeToLive, `{"TableName":"ttl","TimeToLiveSpecification":{"Enabled":false,"AttributeName":"other"}}`,
		typeValidation, "enabled on attribute exp")
	if d := tblOK(t, s, describeTimeToLive, `{"TableName":"ttl"}`); field(d, "TimeToLiveDescription", "TimeToLiveStatus") != "ENABLED" ||
		field(d, "TimeToLiveDescription", "AttributeName") != "exp" {
		t.Fatalf("DescribeTimeToLive after enabling: %v", d)
	}

	now := time.Unix(0, s.eng.Now()).Unix()
	put := func(sk int, exp string) {
		must(t, s, putItem, fmt.Sprintf(`{"TableName":"ttl","Item":{"pk":{"S":"p"},"sk":{"N":"%d"}%s}}`, sk, exp))
	}
	put(1, fmt.Sprintf(`,"exp":{"N":"%d"}`, now-10))   // expired
	put(2, fmt.Sprintf(`,"exp":{"N":"%d"}`, now+3600)) // alive
	put(3, `,"exp":{"S":"yesterday"}`)                 // not a number: never expires
	put(4, "")                                         // no TTL attribute

	if got := must(t, s, getItem, `{"TableName":"ttl","Key":{"pk":{"S":"p"},"sk":{"N":"1"}}}`); got["Item"] != nil {
		t.Fatalf("GetItem returned an expired item: %v", got)
	}
	if got := must(t, s, getItem, `{"TableName":"ttl","Key":{"pk":{"S":"p"},"sk":{"N":"2"}}}`); got["Item"] == nil {
		t.Fatal("GetItem hid an item that has not expired")
	}
	count := func(h handler, body string) float64 {
		out := must(t, s, h, body)
		return out["Count"].(float64)
	}
	if n := count(query, `{"TableName":"ttl","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"p"}}}`); n != 3 {
		t.Fatalf("Query counted %v items, want 3 (the expired one hidden)", n)
	}
	if n := count(scan, `{"TableName":"ttl"}`); n != 3 {
		t.Fatalf("Scan counted %v items, want 3", n)
	}
	bg := must(t, s, batchGetItem, `{"RequestItems":{"ttl":{"Keys":[{"pk":{"S":"p"},"sk":{"N":"1"}},{"pk":{"S":"p"},"sk":{"N":"2"}}]}}}`)
	if got := field(bg, "Responses", "ttl").([]any); len(got) != 1 {
		t.Fatalf("BatchGetItem returned %d items, want 1: %v", len(got), got)
	}
	tg := must(t, s, transactGetItems, `{"TransactItems":[{"Get":{"TableName":"ttl","Key":{"pk":{"S":"p"},"sk":{"N":"1"}}}},{"Get":{"TableName":"ttl","Key":{"pk":{"S":"p"},"sk":{"N":"4"}}}}]}`)
	resps := tg["Responses"].([]any)
	if len(resps) != 2 || len(resps[0].(map[string]any)) != 0 || resps[1].(map[string]any)["Item"] == nil {
		t.Fatalf("TransactGetItems = %v, want the expired item absent and the other present", resps)
	}

	// Writes treat an expired item as absent too: conditions, update
	// expressions and ReturnValues see no item. Each write first puts an
	// expired item back at sk 9.
	expired := func() {
		put(9, fmt.Sprintf(`,"exp":{"N":"%d"},"n":{"N":"41"}`, now-10))
	}
	key9 := `"Key":{"pk":{"S":"p"},"sk":{"N":"9"}}`
	expired()
	out = must(t, s, putItem, `{"TableName":"ttl","Item":{"pk":{"S":"p"},"sk":{"N":"9"},"v":{"S":"new"}},
		"ConditionExpression":"attribute_not_exists(pk)","ReturnValues":"ALL_OLD"}`)
	if out["Attributes"] != nil {
		t.Fatalf("PutItem over an expired item returned its old image: %v", out)
	}
	expired()
	out = must(t, s, updateItem, `{"TableName":"ttl",`+key9+`,"UpdateExpression":"SET n = if_not_exists(n, :z) + :one",
		"ExpressionAttributeValues":{":z":{"N":"0"},":one":{"N":"1"}},"ReturnValues":"ALL_NEW"}`)
	if got := field(out, "Attributes", "n", "N"); got != "1" {
		t.Fatalf("UpdateItem on an expired item counted from its old value: n = %v, want 1", got)
	}
	if field(out, "Attributes", "exp") != nil {
		t.Fatalf("UpdateItem on an expired item kept its attributes: %v", out)
	}
	expired()
	tblErr(t, s, deleteItem, `{"TableName":"ttl",`+key9+`,"ConditionExpression":"attribute_exists(pk)"}`,
		typeConditionalFailed, "")
	out = must(t, s, deleteItem, `{"TableName":"ttl",`+key9+`,"ReturnValues":"ALL_OLD"}`)
	if out["Attributes"] != nil {
		t.Fatalf("DeleteItem of an expired item returned it: %v", out)
	}
	tblErr(t, s, transactWriteItems, `{"TransactItems":[{"ConditionCheck":{"TableName":"ttl",`+key9+`,
		"ConditionExpression":"attribute_exists(pk)"}}]}`, typeTransactionCanceled, "ConditionalCheckFailed")

	// Disabling TTL shows the item again until something deletes it.
	tblOK(t, s, updateTimeToLive, `{"TableName":"ttl","TimeToLiveSpecification":{"Enabled":false,"AttributeName":"exp"}}`)
	if got := must(t, s, getItem, `{"TableName":"ttl","Key":{"pk":{"S":"p"},"sk":{"N":"1"}}}`); got["Item"] == nil {
		t.Fatal("with TTL disabled, the item is still hidden")
	}
}
