package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

const indexedTable = `{"TableName":"idx",
	"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
	"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},
		{"AttributeName":"color","AttributeType":"S"},{"AttributeName":"n","AttributeType":"N"}],
	"BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5},
	"GlobalSecondaryIndexes":[{"IndexName":"byColor","KeySchema":[{"AttributeName":"color","KeyType":"HASH"},{"AttributeName":"n","KeyType":"RANGE"}],
		"Projection":{"ProjectionType":"KEYS_ONLY"},"ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":4}}],
	"LocalSecondaryIndexes":[{"IndexName":"byN","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"n","KeyType":"RANGE"}],
		"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["x"]}}]}`

// newIndexedServer creates table idx with a KEYS_ONLY GSI byColor
// (color, n) and an INCLUDE LSI byN (pk, n), and fills it: pk p, sk
// 01..10, n = i, color red for even i and blue for odd, x and y.
func newIndexedServer(t *testing.T) *Server {
	t.Helper()
	s := newTableServer(t)
	tblOK(t, s, createTable, indexedTable)
	for i := 1; i <= 10; i++ {
		color := "blue"
		if i%2 == 0 {
			color = "red"
		}
		tblOK(t, s, putItem, fmt.Sprintf(`{"TableName":"idx","Item":{"pk":{"S":"p"},"sk":{"S":"%02d"},"n":{"N":"%d"},"color":{"S":"%s"},"x":{"S":"x%d"},"y":{"S":"y%d"}}}`, i, i, color, i, i))
	}
	// Sparse: no color.
	tblOK(t, s, putItem, `{"TableName":"idx","Item":{"pk":{"S":"p"},"sk":{"S":"99"},"n":{"N":"99"}}}`)
	return s
}

func TestIndexesCreateDescribe(t *testing.T) {
	s := newIndexedServer(t)
	d := tblOK(t, s, describeTable, `{"TableName":"idx"}`)
	gsis, _ := field(d, "Table", "GlobalSecondaryIndexes").([]any)
	lsis, _ := field(d, "Table", "LocalSecondaryIndexes").([]any)
	if len(gsis) != 1 || len(lsis) != 1 {
		t.Fatalf("indexes: %v / %v", gsis, lsis)
	}
	g := gsis[0].(map[string]any)
	for k, want := range map[string]any{
		"IndexName": "byColor", "IndexStatus": "ACTIVE", "ItemCount": 10.0,
		"IndexArn": "arn:aws:dynamodb:us-east-1:000000000000:table/idx/index/byColor",
	} {
		if g[k] != want {
			t.Errorf("GSI %s = %v, want %v", k, g[k], want)
		}
	}
	if field(g, "Projection", "ProjectionType") != "KEYS_ONLY" || field(g, "ProvisionedThroughput", "ReadCapacityUnits") != 3.0 ||
		field(g, "ProvisionedThroughput", "WriteCapacityUnits") != 4.0 || g["IndexSizeBytes"].(float64) <= 0 || g["Backfilling"] != nil {
		t.Errorf("GSI description %v", g)
	}
	l := lsis[0].(map[string]any)
	if l["IndexName"] != "byN" || l["ItemCount"] != 11.0 || l["IndexStatus"] != nil || l["ProvisionedThroughput"] != nil ||
		fmt.Sprint(field(l, "Projection", "NonKeyAttributes")) != "[x]" {
		t.Errorf("LSI description %v", l)
	}
	if ad := field(d, "Table", "AttributeDefinitions").([]any); len(ad) != 4 {
		t.Errorf("AttributeDefinitions %v", ad)
	}
}

func TestIndexesCreateValidation(t *testing.T) {
	s := newTableServer(t)
	ks := `"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]`
	ad := `"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}]`
	gsi := func(name, key, proj string) string {
		return `{"IndexName":"` + name + `","KeySchema":[{"AttributeName":"` + key + `","KeyType":"HASH"}],"Projection":` + proj + `}`
	}
	all := `{"ProjectionType":"ALL"}`
	for _, tc := range []struct{ name, body, typ, msg string }{
		{"undefined key", `{"TableName":"tbl",` + ks + `,` + ad + ppr + `,"GlobalSecondaryIndexes":[` + gsi("gix", "zz", all) + `]}`,
			typeValidation, "Some index key attributes are not defined in AttributeDefinitions. Keys: [zz]"},
		{"unused definition", `{"TableName":"tbl",` + ks + `,` + ad + ppr + `,"LocalSecondaryIndexes":[{"IndexName":"lix","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"Projection":` + all + `}]}`,
			typeValidation, "Some AttributeDefinitions are not used. AttributeDefinitions: [pk, sk, g], keys used: [pk, sk]"},
		{"duplicate", `{"TableName":"tbl",` + ks + `,` + ad + ppr + `,"GlobalSecondaryIndexes":[` + gsi("gix", "g", all) + `,` + gsi("gix", "g", all) + `]}`,
			typeValidation, "Duplicate index name: gix"},
		{"lsi without table range key", `{"TableName":"tbl","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}]` + ppr +
			`,"LocalSecondaryIndexes":[{"IndexName":"lix","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"g","KeyType":"RANGE"}],"Projection":` + all + `}]}`,
			typeValidation, "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex"},
		{"lsi other hash key", `{"TableName":"tbl",` + ks + `,` + ad + ppr + `,"LocalSecondaryIndexes":[{"IndexName":"lix","KeySchema":[{"AttributeName":"g","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"Projection":` + all + `}]}`,
			typeValidation, "Index KeySchema does not have the same leading hash key as table KeySchema for index: lix"},
		{"include without attributes", `{"TableName":"tbl",` + ks + `,` + ad + ppr + `,"GlobalSecondaryIndexes":[` + gsi("gix", "g", `{"ProjectionType":"INCLUDE"}`) + `]}`,
			typeValidation, "ProjectionType is INCLUDE, but NonKeyAttributes is not specified"},
		{"attributes without include", `{"TableName":"tbl",` + ks + `,` + ad + ppr + `,"GlobalSecondaryIndexes":[` + gsi("gix", "g", `{"ProjectionType":"ALL","NonKeyAttributes":["a"]}`) + `]}`,
			typeValidation, "ProjectionType is ALL, but NonKeyAttributes is specified"},
		{"bad projection type", `{"TableName":"tbl",` + ks + `,` + ad + ppr + `,"GlobalSecondaryIndexes":[` + gsi("gix", "g", `{"ProjectionType":"SOME"}`) + `]}`,
			typeValidation, "Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]"},
		{"no projection", `{"TableName":"tbl",` + ks + `,` + ad + ppr + `,"GlobalSecondaryIndexes":[{"IndexName":"gi","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}]}]}`,
			typeValidation, "Value null at 'globalSecondaryIndexes.1.member.projection'"},
		{"empty list", `{"TableName":"tbl",` + ks + `,` + ad + ppr + `,"GlobalSecondaryIndexes":[]}`,
			typeValidation, "List of GlobalSecondaryIndexes is empty"},
		{"provisioned needs gsi throughput", `{"TableName":"tbl",` + ks + `,` + ad + `,"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1},"GlobalSecondaryIndexes":[` + gsi("gix", "g", all) + `]}`,
			typeValidation, "ProvisionedThroughput must be specified for index: gix"},
		{"too many lsis", `{"TableName":"tbl",` + ks + `,` + ad + ppr + `,"LocalSecondaryIndexes":[` + strings.Repeat(`{"IndexName":"lix","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"g","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}},`, 5) +
			`{"IndexName":"lix","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"g","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]}`,
			typeValidation, "LocalSecondaryIndex count exceeds the per-table limit of 5"},
	} {
		t.Run(tc.name, func(t *testing.T) { tblErr(t, s, createTable, tc.body, tc.typ, tc.msg) })
	}
}

func TestIndexesQuery(t *testing.T) {
	s := newIndexedServer(t)
	q := func(extra string) map[string]any {
		t.Helper()
		return must(t, s, query, `{"TableName":"idx","IndexName":"byColor","KeyConditionExpression":"color = :c AND n > :n","ExpressionAttributeValues":{":c":{"S":"red"},":n":{"N":"2"}}`+extra+`}`)
	}
	m := q("")
	if m["Count"] != 4.0 {
		t.Fatalf("red n>2: %v", m)
	}
	first := m["Items"].([]any)[0].(map[string]any)
	if len(first) != 4 || field(first, "n", "N") != "4" || first["x"] != nil {
		t.Fatalf("KEYS_ONLY entry %v", first)
	}
	// Paging: LastEvaluatedKey carries the index key and the table key.
	m = q(`,"Limit":3`)
	lek, _ := m["LastEvaluatedKey"].(map[string]any)
	if len(lek) != 4 || field(lek, "n", "N") != "8" || field(lek, "sk", "S") != "08" {
		t.Fatalf("LastEvaluatedKey %v", lek)
	}
	m = must(t, s, query, `{"TableName":"idx","IndexName":"byColor","KeyConditionExpression":"color = :c AND n > :n","ExpressionAttributeValues":{":c":{"S":"red"},":n":{"N":"2"}},"Limit":3,
		"ExclusiveStartKey":{"color":{"S":"red"},"n":{"N":"8"},"pk":{"S":"p"},"sk":{"S":"08"}}}`)
	if m["Count"] != 1.0 || m["LastEvaluatedKey"] != nil {
		t.Fatalf("second page %v", m)
	}
	// The LSI returns its projection; ALL_ATTRIBUTES fetches the item.
	m = must(t, s, query, `{"TableName":"idx","IndexName":"byN","KeyConditionExpression":"pk = :p AND n BETWEEN :a AND :b","ExpressionAttributeValues":{":p":{"S":"p"},":a":{"N":"3"},":b":{"N":"4"}},"ScanIndexForward":false}`)
	items := m["Items"].([]any)
	if len(items) != 2 || field(items[0].(map[string]any), "n", "N") != "4" || items[0].(map[string]any)["x"] == nil || items[0].(map[string]any)["y"] != nil {
		t.Fatalf("LSI projected %v", items)
	}
	m = must(t, s, query, `{"TableName":"idx","IndexName":"byN","Select":"ALL_ATTRIBUTES","ConsistentRead":true,"KeyConditionExpression":"pk = :p AND n = :a","ExpressionAttributeValues":{":p":{"S":"p"},":a":{"N":"3"}}}`)
	if it := m["Items"].([]any)[0].(map[string]any); it["y"] == nil {
		t.Fatalf("LSI ALL_ATTRIBUTES %v", it)
	}
	m = must(t, s, query, `{"TableName":"idx","IndexName":"byN","Select":"ALL_PROJECTED_ATTRIBUTES","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"p"}}}`)
	if m["Count"] != 11.0 {
		t.Fatalf("LSI all %v", m)
	}

	for _, tc := range []struct{ name, body, msg string }{
		{"consistent gsi", `"IndexName":"byColor","ConsistentRead":true,"KeyConditionExpression":"color = :c","ExpressionAttributeValues":{":c":{"S":"red"}}`,
			"Consistent reads are not supported on global secondary indexes"},
		{"all attributes keys-only gsi", `"IndexName":"byColor","Select":"ALL_ATTRIBUTES","KeyConditionExpression":"color = :c","ExpressionAttributeValues":{":c":{"S":"red"}}`,
			"Select type ALL_ATTRIBUTES is not supported for global secondary index byColor"},
		{"table key condition on index", `"IndexName":"byColor","KeyConditionExpression":"pk = :c","ExpressionAttributeValues":{":c":{"S":"p"}}`,
			"Query condition missed key schema element: color"},
		{"unknown index", `"IndexName":"nope","KeyConditionExpression":"color = :c","ExpressionAttributeValues":{":c":{"S":"red"}}`,
			"The table does not have the specified index: nope"},
		{"start key without index key", `"IndexName":"byColor","KeyConditionExpression":"color = :c","ExpressionAttributeValues":{":c":{"S":"red"}},"ExclusiveStartKey":{"pk":{"S":"p"},"sk":{"S":"01"}}`,
			"The provided starting key is invalid"},
		{"projected on table", `"Select":"ALL_PROJECTED_ATTRIBUTES","KeyConditionExpression":"pk = :c","ExpressionAttributeValues":{":c":{"S":"p"}}`,
			"ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, s, query, `{"TableName":"idx",`+tc.body+`}`, typeValidation, tc.msg)
		})
	}
}

func TestIndexesScan(t *testing.T) {
	s := newIndexedServer(t)
	seen := map[string]bool{}
	for seg := range 3 {
		var start string
		for {
			m := must(t, s, scan, fmt.Sprintf(`{"TableName":"idx","IndexName":"byColor","Segment":%d,"TotalSegments":3,"Limit":2%s}`, seg, start))
			for _, it := range m["Items"].([]any) {
				sk := field(it.(map[string]any), "sk", "S").(string)
				if seen[sk] {
					t.Fatalf("item %s seen twice", sk)
				}
				seen[sk] = true
			}
			lek, ok := m["LastEvaluatedKey"]
			if !ok {
				break
			}
			b, _ := json.Marshal(lek)
			start = `,"ExclusiveStartKey":` + string(b)
		}
	}
	if len(seen) != 10 {
		t.Fatalf("parallel scan of the GSI saw %d entries, want 10 (sparse)", len(seen))
	}
	wantErr(t, s, scan, `{"TableName":"idx","IndexName":"byColor","ConsistentRead":true}`, typeValidation, "Consistent reads are not supported on global secondary indexes")
}

func TestIndexesUpdateTable(t *testing.T) {
	s := newIndexedServer(t)
	tblErr(t, s, updateTable, `{"TableName":"idx","GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"byY","KeySchema":[{"AttributeName":"y","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"},"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}}]}`,
		typeValidation, "AttributeDefinitions")
	tblErr(t, s, updateTable, `{"TableName":"idx","GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"nope"}}]}`,
		typeResourceNotFound, "Index: nope not found")
	d := tblOK(t, s, updateTable, `{"TableName":"idx","AttributeDefinitions":[{"AttributeName":"y","AttributeType":"S"}],
		"GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"byY","KeySchema":[{"AttributeName":"y","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"},"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}}]}`)
	if ad := field(d, "TableDescription", "AttributeDefinitions").([]any); len(ad) != 5 {
		t.Fatalf("AttributeDefinitions after create %v", ad)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		d = tblOK(t, s, describeTable, `{"TableName":"idx"}`)
		var y map[string]any
		for _, g := range field(d, "Table", "GlobalSecondaryIndexes").([]any) {
			if g.(map[string]any)["IndexName"] == "byY" {
				y = g.(map[string]any)
			}
		}
		if y["IndexStatus"] == "ACTIVE" {
			if y["ItemCount"] != 10.0 || y["Backfilling"] != nil {
				t.Fatalf("byY after backfill %v", y)
			}
			break
		}
		if y["IndexStatus"] != "CREATING" || y["Backfilling"] != true {
			t.Fatalf("byY while creating %v", y)
		}
		if time.Now().After(deadline) {
			t.Fatal("byY never became ACTIVE")
		}
		time.Sleep(10 * time.Millisecond) // polling DescribeTable, as a client would
	}
	m := must(t, s, query, `{"TableName":"idx","IndexName":"byY","KeyConditionExpression":"y = :y","ExpressionAttributeValues":{":y":{"S":"y7"}}}`)
	if m["Count"] != 1.0 || field(m["Items"].([]any)[0].(map[string]any), "x", "S") != "x7" {
		t.Fatalf("query byY %v", m)
	}
	d = tblOK(t, s, updateTable, `{"TableName":"idx","GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"byY"}}]}`)
	if n := len(field(d, "TableDescription", "GlobalSecondaryIndexes").([]any)); n != 1 {
		t.Fatalf("%d GSIs after delete", n)
	}
	if ad := field(d, "TableDescription", "AttributeDefinitions").([]any); len(ad) != 4 {
		t.Fatalf("AttributeDefinitions after delete %v", ad)
	}
	wantErr(t, s, query, `{"TableName":"idx","IndexName":"byY","KeyConditionExpression":"y = :y","ExpressionAttributeValues":{":y":{"S":"y7"}}}`,
		typeValidation, "The table does not have the specified index: byY")
}

// TestItemCollectionMetrics: with ReturnItemCollectionMetrics SIZE, writes
// to a table with a local secondary index report the item collection they
// touched (its partition key and a size range in GB, [0, 1] for a small
// one), as DynamoDB does; tables without one, or without SIZE, report none.
func TestItemCollectionMetrics(t *testing.T) {
	s := newIndexedServer(t)
	tblOK(t, s, createTable, `{"TableName":"plain","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`)
	const size = `,"ReturnItemCollectionMetrics":"SIZE"`
	wantOne := func(name string, m map[string]any, pk string) {
		t.Helper()
		got, _ := json.Marshal(m["ItemCollectionMetrics"])
		want := `{"ItemCollectionKey":{"pk":{"S":"` + pk + `"}},"SizeEstimateRangeGB":[0,1]}`
		if string(got) != want {
			t.Errorf("%s: ItemCollectionMetrics = %s, want %s", name, got, want)
		}
	}
	wantOne("PutItem", tblOK(t, s, putItem, `{"TableName":"idx","Item":{"pk":{"S":"q"},"sk":{"S":"1"},"n":{"N":"1"}}`+size+`}`), "q")
	wantOne("UpdateItem", tblOK(t, s, updateItem, `{"TableName":"idx","Key":{"pk":{"S":"p"},"sk":{"S":"01"}},"UpdateExpression":"SET x = :x","ExpressionAttributeValues":{":x":{"S":"new"}}`+size+`}`), "p")
	wantOne("DeleteItem", tblOK(t, s, deleteItem, `{"TableName":"idx","Key":{"pk":{"S":"p"},"sk":{"S":"02"}}`+size+`}`), "p")
	for name, m := range map[string]map[string]any{
		"no SIZE":        tblOK(t, s, putItem, `{"TableName":"idx","Item":{"pk":{"S":"q"},"sk":{"S":"2"}},"ReturnItemCollectionMetrics":"NONE"}`),
		"no local index": tblOK(t, s, putItem, `{"TableName":"plain","Item":{"pk":{"S":"q"}}`+size+`}`),
	} {
		if v, ok := m["ItemCollectionMetrics"]; ok {
			t.Errorf("%s: ItemCollectionMetrics %v, want none", name, v)
		}
	}

	// Batches: one entry per write to a table with a local index, in
	// request order; other tables are left out.
	m := tblOK(t, s, batchWriteItem, `{"RequestItems":{
		"idx":[{"PutRequest":{"Item":{"pk":{"S":"a"},"sk":{"S":"1"}}}},{"DeleteRequest":{"Key":{"pk":{"S":"b"},"sk":{"S":"1"}}}}],
		"plain":[{"PutRequest":{"Item":{"pk":{"S":"c"}}}}]}`+size+`}`)
	got, _ := json.Marshal(m["ItemCollectionMetrics"])
	want := `{"idx":[{"ItemCollectionKey":{"pk":{"S":"a"}},"SizeEstimateRangeGB":[0,1]},{"ItemCollectionKey":{"pk":{"S":"b"}},"SizeEstimateRangeGB":[0,1]}]}`
	if string(got) != want {
		t.Errorf("BatchWriteItem: ItemCollectionMetrics = %s, want %s", got, want)
	}
	m = tblOK(t, s, transactWriteItems, `{"TransactItems":[
		{"Put":{"TableName":"idx","Item":{"pk":{"S":"t"},"sk":{"S":"1"}}}},
		{"ConditionCheck":{"TableName":"idx","Key":{"pk":{"S":"p"},"sk":{"S":"03"}},"ConditionExpression":"attribute_exists(pk)"}},
		{"Put":{"TableName":"plain","Item":{"pk":{"S":"t"}}}}]`+size+`}`)
	got, _ = json.Marshal(m["ItemCollectionMetrics"])
	want = `{"idx":[{"ItemCollectionKey":{"pk":{"S":"t"}},"SizeEstimateRangeGB":[0,1]}]}`
	if string(got) != want {
		t.Errorf("TransactWriteItems: ItemCollectionMetrics = %s, want %s", got, want)
	}
}
