package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// scanAll pages through a scan and returns every item's id with how many
// times it was seen.
func scanAll(t *testing.T, s *Server, req string) (map[string]int, int) {
	t.Helper()
	seen := map[string]int{}
	start, pages := "", 0
	for ; pages < 1000; pages++ {
		m := must(t, s, scan, `{"TableName":"hash"`+req+start+`}`)
		for _, it := range m["Items"].([]any) {
			seen[it.(map[string]any)["id"].(map[string]any)["S"].(string)]++
		}
		lek := m["LastEvaluatedKey"]
		if lek == nil {
			return seen, pages + 1
		}
		b, _ := json.Marshal(lek)
		start = `,"ExclusiveStartKey":` + string(b)
	}
	t.Fatal("scan did not end")
	return nil, 0
}

func TestItemsScan(t *testing.T) {
	s := newItemsServer(t)
	const n = 60
	for i := 0; i < n; i++ {
		must(t, s, putItem, fmt.Sprintf(`{"TableName":"hash","Item":{"id":{"S":"k%02d"},"n":{"N":"%d"}}}`, i, i))
	}
	check := func(t *testing.T, seen map[string]int, want int) {
		t.Helper()
		if len(seen) != want {
			t.Fatalf("saw %d distinct items, want %d", len(seen), want)
		}
		for id, c := range seen {
			if c != 1 {
				t.Fatalf("item %s seen %d times", id, c)
			}
		}
	}
	seen, pages := scanAll(t, s, ``)
	check(t, seen, n)
	if pages != 1 {
		t.Fatalf("%d pages without Limit", pages)
	}
	seen, pages = scanAll(t, s, `,"Limit":7`)
	check(t, seen, n)
	if pages < n/7 {
		t.Fatalf("%d pages with Limit 7", pages)
	}
	seen, _ = scanAll(t, s, `,"Limit":9,"FilterExpression":"n < :ten","ExpressionAttributeValues":{":ten":{"N":"10"}}`)
	check(t, seen, 10)
	seen, _ = scanAll(t, s, `,"ScanFilter":{"n":{"ComparisonOperator":"GE","AttributeValueList":[{"N":"50"}]}}`)
	check(t, seen, 10)

	// Parallel scan: the segments together cover every item once.
	for _, total := range []int{1, 4, 7} {
		all := map[string]int{}
		for seg := 0; seg < total; seg++ {
			seen, _ := scanAll(t, s, fmt.Sprintf(`,"Segment":%d,"TotalSegments":%d,"Limit":5`, seg, total))
			for id, c := range seen {
				all[id] += c
			}
		}
		check(t, all, n)
	}

	m := must(t, s, scan, `{"TableName":"hash","Select":"COUNT","ReturnConsumedCapacity":"TOTAL"}`)
	if m["Count"] != float64(n) || m["ScannedCount"] != float64(n) || m["Items"] != nil {
		t.Fatalf("COUNT: %v", m)
	}
	m = must(t, s, scan, `{"TableName":"hash","ProjectionExpression":"#n","ExpressionAttributeNames":{"#n":"n"},"Limit":1}`)
	items := m["Items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["id"] != nil {
		t.Fatalf("projected items %v", items)
	}
}

func TestItemsScanLargeItems(t *testing.T) {
	s := newItemsServer(t)
	blob := strings.Repeat("z", 250*1024)
	for i := 0; i < 9; i++ {
		must(t, s, putItem, fmt.Sprintf(`{"TableName":"hash","Item":{"id":{"S":"k%d"},"b":{"S":"%s"}}}`, i, blob))
	}
	seen, pages := scanAll(t, s, `,"ProjectionExpression":"id"`)
	if len(seen) != 9 || pages != 3 {
		t.Fatalf("saw %d items in %d pages, want 9 in 3 (4 items of 250 KB per MB)", len(seen), pages)
	}
}

func TestItemsScanValidation(t *testing.T) {
	s := newItemsServer(t)
	for _, tc := range []struct{ name, req, msg string }{
		{"segment alone", `"Segment":1`, "The TotalSegments parameter is required but was not present in the request when Segment parameter is present"},
		{"total alone", `"TotalSegments":2`, "The Segment parameter is required but was not present in the request when parameter TotalSegments is present"},
		{"segment too big", `"Segment":2,"TotalSegments":2`, "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 2 is not less than TotalSegments: 2"},
		{"total zero", `"Segment":0,"TotalSegments":0`, "Value '0' at 'totalSegments' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"total huge", `"Segment":0,"TotalSegments":1000001`, "Member must have value less than or equal to 1000000"},
		{"segment negative", `"Segment":-1,"TotalSegments":2`, "Value '-1' at 'segment'"},
		{"limit", `"Limit":0`, "Member must have value greater than or equal to 1"},
		{"start key", `"ExclusiveStartKey":{"nope":{"S":"x"}}`, "The provided starting key is invalid"},
		{"mixed", `"ScanFilter":{"n":{"ComparisonOperator":"NULL"}},"FilterExpression":"attribute_exists(n)"`, "Non-expression parameters: {ScanFilter} Expression parameters: {FilterExpression}"},
		{"values without expression", `"ExpressionAttributeValues":{":v":{"N":"1"}}`, "ExpressionAttributeValues can only be specified when using expressions"},
		{"select projected", `"Select":"ALL_PROJECTED_ATTRIBUTES"`, "ALL_PROJECTED_ATTRIBUTES"},
		{"count with projection", `"Select":"COUNT","ProjectionExpression":"n"`, "Cannot specify the ProjectionExpression when choosing to get only the Count"},
		{"index", `"IndexName":"idx"`, "The table does not have the specified index: idx"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, s, scan, `{"TableName":"hash",`+tc.req+`}`, typeValidation, tc.msg)
		})
	}
}
