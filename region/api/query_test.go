package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// fillRange puts pk=p sk=1..n (v = "even"/"odd") and pk=q sk=1..3.
func fillRange(t *testing.T, s *Server, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		tag := "odd"
		if i%2 == 0 {
			tag = "even"
		}
		must(t, s, putItem, fmt.Sprintf(`{"TableName":"range","Item":{"pk":{"S":"p"},"sk":{"N":"%d"},"tag":{"S":"%s"},"x":{"N":"%d"}}}`, i, tag, i*10))
	}
	for i := 1; i <= 3; i++ {
		must(t, s, putItem, fmt.Sprintf(`{"TableName":"range","Item":{"pk":{"S":"q"},"sk":{"N":"%d"}}}`, i))
	}
}

// sortKeys returns the sk numbers of a response's Items.
func sortKeys(t *testing.T, m map[string]any) string {
	t.Helper()
	items, _ := m["Items"].([]any)
	var out []string
	for _, it := range items {
		sk := it.(map[string]any)["sk"]
		if sk == nil {
			out = append(out, "?")
			continue
		}
		out = append(out, sk.(map[string]any)["N"].(string))
	}
	return strings.Join(out, ",")
}

func TestItemsQuery(t *testing.T) {
	s := newItemsServer(t)
	fillRange(t, s, 10)
	for _, tc := range []struct {
		name, req, keys string
		count, scanned  int
	}{
		{"partition", `"KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"p"}}`, "1,2,3,4,5,6,7,8,9,10", 10, 10},
		{"reverse", `"KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"q"}},"ScanIndexForward":false`, "3,2,1", 3, 3},
		{"between", `"KeyConditionExpression":"pk = :p AND sk BETWEEN :a AND :b","ExpressionAttributeValues":{":p":{"S":"p"},":a":{"N":"3"},":b":{"N":"5"}}`, "3,4,5", 3, 3},
		{"lt", `"KeyConditionExpression":"#k = :p and sk < :a","ExpressionAttributeNames":{"#k":"pk"},"ExpressionAttributeValues":{":p":{"S":"p"},":a":{"N":"3"}}`, "1,2", 2, 2},
		{"swapped", `"KeyConditionExpression":"sk >= :a AND pk = :p","ExpressionAttributeValues":{":p":{"S":"p"},":a":{"N":"9"}}`, "9,10", 2, 2},
		{"filter", `"KeyConditionExpression":"pk = :p","FilterExpression":"tag = :t","ExpressionAttributeValues":{":p":{"S":"p"},":t":{"S":"even"}}`, "2,4,6,8,10", 5, 10},
		{"legacy", `"KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"p"}]},"sk":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"8"}]}}`, "9,10", 2, 2},
		{"legacy filter", `"KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"p"}]}},"QueryFilter":{"x":{"ComparisonOperator":"GE","AttributeValueList":[{"N":"90"}]}}`, "9,10", 2, 10},
		{"projection", `"KeyConditionExpression":"pk = :p","ProjectionExpression":"sk","ExpressionAttributeValues":{":p":{"S":"q"}}`, "1,2,3", 3, 3},
		{"limit", `"KeyConditionExpression":"pk = :p","Limit":4,"FilterExpression":"tag = :t","ExpressionAttributeValues":{":p":{"S":"p"},":t":{"S":"even"}}`, "2,4", 2, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := must(t, s, query, `{"TableName":"range",`+tc.req+`}`)
			if got := sortKeys(t, m); got != tc.keys {
				t.Errorf("keys %s, want %s", got, tc.keys)
			}
			if m["Count"] != float64(tc.count) || m["ScannedCount"] != float64(tc.scanned) {
				t.Errorf("Count %v ScannedCount %v, want %d %d", m["Count"], m["ScannedCount"], tc.count, tc.scanned)
			}
		})
	}
	m := must(t, s, query, `{"TableName":"range","KeyConditionExpression":"pk = :p","ProjectionExpression":"x","ExpressionAttributeValues":{":p":{"S":"q"}},"Limit":1}`)
	wantJSON(t, "Items", m["Items"], `[{}]`)
	wantJSON(t, "LastEvaluatedKey", m["LastEvaluatedKey"], `{"pk":{"S":"q"},"sk":{"N":"1"}}`)
	m = must(t, s, query, `{"TableName":"range","KeyConditionExpression":"pk = :p","Select":"COUNT","ExpressionAttributeValues":{":p":{"S":"p"}},"ReturnConsumedCapacity":"TOTAL"}`)
	if m["Items"] != nil || m["Count"] != float64(10) {
		t.Fatalf("COUNT response %v", m)
	}
	wantJSON(t, "ConsumedCapacity", m["ConsumedCapacity"], `{"TableName":"range","CapacityUnits":0.5}`)
	wantJSON(t, "LastEvaluatedKey", m["LastEvaluatedKey"], "")
}

// TestItemsQueryPaging pages with Limit and with items big enough to trip
// the 1 MB page limit; every item comes back exactly once, in order.
func TestItemsQueryPaging(t *testing.T) {
	s := newItemsServer(t)
	blob := strings.Repeat("z", 300*1024)
	for i := 1; i <= 8; i++ {
		must(t, s, putItem, fmt.Sprintf(`{"TableName":"range","Item":{"pk":{"S":"big"},"sk":{"N":"%d"},"b":{"S":"%s"}}}`, i, blob))
	}
	for _, tc := range []struct {
		name, extra string
		pages       []string
	}{
		{"1MB", ``, []string{"1,2,3", "4,5,6", "7,8"}},
		{"1MB reverse", `,"ScanIndexForward":false`, []string{"8,7,6", "5,4,3", "2,1"}},
		{"limit", `,"Limit":5`, []string{"1,2,3", "4,5,6", "7,8"}}, // the 1 MB rule still cuts first
		{"limit 2", `,"Limit":2`, []string{"1,2", "3,4", "5,6", "7,8", ""}},
		{"filtered", `,"FilterExpression":"attribute_not_exists(b)"`, []string{"", "", ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var start string
			var pages []string
			for i := 0; i < 10; i++ {
				body := `{"TableName":"range","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"big"}}` + tc.extra + start + `}`
				m := must(t, s, query, body)
				pages = append(pages, sortKeys(t, m))
				lek := m["LastEvaluatedKey"]
				if lek == nil {
					break
				}
				b, _ := json.Marshal(lek)
				start = `,"ExclusiveStartKey":` + string(b)
			}
			if got, want := strings.Join(pages, " | "), strings.Join(tc.pages, " | "); got != want {
				t.Fatalf("pages %s, want %s", got, want)
			}
		})
	}
}

func TestItemsQueryValidation(t *testing.T) {
	s := newItemsServer(t)
	fillRange(t, s, 2)
	const p = `"ExpressionAttributeValues":{":p":{"S":"p"}}`
	for _, tc := range []struct{ name, req, typ, msg string }{
		{"no condition", `"Limit":1`, typeValidation, "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."},
		{"missed partition", `"KeyConditionExpression":"sk = :p",` + p, typeValidation, "Query condition missed key schema element: pk"},
		{"other attribute", `"KeyConditionExpression":"pk = :p AND x > :p",` + p, typeValidation, "Query condition missed key schema element: sk"},
		{"three conditions", `"KeyConditionExpression":"pk = :p AND sk > :n AND x = :n","ExpressionAttributeValues":{":p":{"S":"p"},":n":{"N":"1"}}`, typeValidation,
			"The number of query conditions (3) exceeds the number of key attributes defined in the schema (2)"},
		{"two conditions on the sort key", `"KeyConditionExpression":"pk = :p AND sk > :n AND sk < :n","ExpressionAttributeValues":{":p":{"S":"p"},":n":{"N":"1"}}`, typeValidation,
			"Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key"},
		{"two conditions on a hash key", `"TableName":"hash","KeyConditionExpression":"id = :p AND x = :p",` + p, typeValidation,
			"The number of query conditions (2) exceeds the number of key attributes defined in the schema (1)"},
		{"boolean sort bound", `"KeyConditionExpression":"pk = :p AND sk < :t","ExpressionAttributeValues":{":p":{"S":"p"},":t":{"BOOL":true}}`, typeValidation,
			"Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"},
		{"legacy missed", `"KeyConditions":{"sk":{"ComparisonOperator":"EQ","AttributeValueList":[{"N":"1"}]}}`, typeValidation, "Query condition missed key schema element: pk"},
		{"type mismatch", `"KeyConditionExpression":"pk = :n","ExpressionAttributeValues":{":n":{"N":"1"}}`, typeValidation, "Condition parameter type does not match schema type"},
		{"filter on key", `"KeyConditionExpression":"pk = :p","FilterExpression":"sk > :n","ExpressionAttributeValues":{":p":{"S":"p"},":n":{"N":"1"}}`, typeValidation,
			"Filter Expression can only contain non-primary key attributes: Primary key attribute: sk"},
		{"filter on key name", `"KeyConditionExpression":"pk = :p","FilterExpression":"attribute_exists(#k)","ExpressionAttributeNames":{"#k":"pk"},` + p, typeValidation,
			"Primary key attribute: pk"},
		{"query filter on key", `"KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"p"}]}},"QueryFilter":{"sk":{"ComparisonOperator":"NOT_NULL"}}`, typeValidation,
			"QueryFilter can only contain non-primary key attributes: Primary key attribute: sk"},
		{"limit", `"KeyConditionExpression":"pk = :p","Limit":0,` + p, typeValidation, "Member must have value greater than or equal to 1"},
		{"select enum", `"KeyConditionExpression":"pk = :p","Select":"SOME",` + p, typeValidation, "Member must satisfy enum value set"},
		{"select projected", `"KeyConditionExpression":"pk = :p","Select":"ALL_PROJECTED_ATTRIBUTES",` + p, typeValidation, "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"},
		{"select all with projection", `"KeyConditionExpression":"pk = :p","Select":"ALL_ATTRIBUTES","ProjectionExpression":"x",` + p, typeValidation,
			"Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES"},
		{"count with attributes", `"KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"p"}]}},"Select":"COUNT","AttributesToGet":["x"]`, typeValidation,
			"Cannot specify the AttributesToGet when choosing to get only the Count"},
		{"start key partial", `"KeyConditionExpression":"pk = :p","ExclusiveStartKey":{"pk":{"S":"p"}},` + p, typeValidation, "The provided starting key is invalid"},
		{"start key other partition", `"KeyConditionExpression":"pk = :p","ExclusiveStartKey":{"pk":{"S":"zz"},"sk":{"N":"1"}},` + p, typeValidation,
			"The provided starting key is outside query boundaries based on provided conditions"},
		{"index", `"IndexName":"byX","KeyConditionExpression":"pk = :p",` + p, typeValidation, "The table does not have the specified index: byX"},
		{"mixed", `"KeyConditionExpression":"pk = :p","QueryFilter":{"x":{"ComparisonOperator":"NULL"}},` + p, typeValidation,
			"Non-expression parameters: {QueryFilter} Expression parameters: {KeyConditionExpression}"},
		{"unused", `"KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"p"},":q":{"S":"q"}}`, typeValidation, "unused"},
		{"no table", `"TableName":"nope","KeyConditionExpression":"pk = :p",` + p, typeResourceNotFound, ""},
		{"bad operand before no table", `"TableName":"nope","KeyConditionExpression":"pk = :p AND begins_with(sk, :n)","ExpressionAttributeValues":{":p":{"S":"p"},":n":{"N":"1"}}`,
			typeValidation, "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := `{"TableName":"range",` + tc.req + `}`
			if strings.Contains(tc.req, `"TableName"`) {
				body = `{` + tc.req + `}`
			}
			wantErr(t, s, query, body, tc.typ, tc.msg)
		})
	}
}
