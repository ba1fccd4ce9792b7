package api

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// tblCall runs a handler and returns the decoded response or the error as
// the client sees it.
func tblCall(t *testing.T, s *Server, h handler, body string) (map[string]any, *Error) {
	t.Helper()
	out, err := h(context.Background(), s, []byte(body))
	if err != nil {
		return nil, toAPIError(err)
	}
	if out == nil {
		out = []byte("{}")
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, out)
	}
	return m, nil
}

// tblOK runs a handler that must succeed.
func tblOK(t *testing.T, s *Server, h handler, body string) map[string]any {
	t.Helper()
	m, e := tblCall(t, s, h, body)
	if e != nil {
		t.Fatalf("%s: %v", body, e)
	}
	return m
}

// tblErr runs a handler that must fail with typ and a message containing msg.
func tblErr(t *testing.T, s *Server, h handler, body, typ, msg string) {
	t.Helper()
	_, e := tblCall(t, s, h, body)
	if e == nil {
		t.Fatalf("%s: succeeded, want %s", body, typ)
	}
	if e.Type != typ || !strings.Contains(e.Message, msg) {
		t.Fatalf("%s:\n got %s: %s\nwant %s containing %q", body, e.Type, e.Message, typ, msg)
	}
}

// field walks m along path.
func field(m map[string]any, path ...string) any {
	var v any = m
	for _, p := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[p]
	}
	return v
}

const ppr = `,"BillingMode":"PAY_PER_REQUEST"`

func TestTableCreateDescribe(t *testing.T) {
	s := newTableServer(t)
	m := tblOK(t, s, createTable, `{"TableName":"Music",
		"KeySchema":[{"AttributeName":"Artist","KeyType":"HASH"},{"AttributeName":"Song","KeyType":"RANGE"}],
		"AttributeDefinitions":[{"AttributeName":"Artist","AttributeType":"S"},{"AttributeName":"Song","AttributeType":"N"}],
		"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":7},
		"Tags":[{"Key":"team","Value":"core"}]}`)
	d := m["TableDescription"].(map[string]any)
	checks := map[string]any{
		"TableName":   "Music",
		"TableStatus": "ACTIVE",
		"TableArn":    "arn:aws:dynamodb:us-east-1:000000000000:table/Music",
		"ItemCount":   0.0,
	}
	for k, want := range checks {
		if d[k] != want {
			t.Errorf("%s = %v, want %v", k, d[k], want)
		}
	}
	if got := field(d, "ProvisionedThroughput", "WriteCapacityUnits"); got != 7.0 {
		t.Errorf("WCU %v", got)
	}
	if d["BillingModeSummary"] != nil {
		t.Errorf("BillingModeSummary %v for a default provisioned table", d["BillingModeSummary"])
	}
	if ct, _ := d["CreationDateTime"].(float64); ct < 1.7e9 || ct > 1.8e9 {
		t.Errorf("CreationDateTime %v", d["CreationDateTime"])
	}
	if id, _ := d["TableId"].(string); len(id) != 36 {
		t.Errorf("TableId %q", id)
	}

	got := tblOK(t, s, describeTable, `{"TableName":"Music"}`)["Table"].(map[string]any)
	for _, k := range []string{"TableName", "TableArn", "TableId", "CreationDateTime", "KeySchema", "AttributeDefinitions"} {
		a, _ := json.Marshal(d[k])
		b, _ := json.Marshal(got[k])
		if string(a) != string(b) {
			t.Errorf("describe %s = %s, create said %s", k, b, a)
		}
	}

	tblErr(t, s, createTable, `{"TableName":"Music","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}]`+ppr+`}`,
		typeResourceInUse, "Table already exists: Music")

	m = tblOK(t, s, createTable, `{"TableName":"ondemand","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"B"}]`+ppr+`}`)
	d = m["TableDescription"].(map[string]any)
	if field(d, "BillingModeSummary", "BillingMode") != "PAY_PER_REQUEST" ||
		field(d, "ProvisionedThroughput", "ReadCapacityUnits") != 0.0 ||
		field(d, "TableClassSummary", "TableClass") != "STANDARD" || d["DeletionProtectionEnabled"] != false {
		t.Errorf("on-demand description %v", d)
	}
}

func TestTableCreateValidation(t *testing.T) {
	s := newTableServer(t)
	ks := `"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]`
	ad := `"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}]`
	cases := []struct{ name, body, typ, msg string }{
		{"no name", `{` + ks + `,` + ad + ppr + `}`, typeValidation,
			"1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"},
		{"short name", `{"TableName":"ab",` + ks + `,` + ad + ppr + `}`, typeValidation,
			"Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"},
		{"bad chars", `{"TableName":"a b c",` + ks + `,` + ad + ppr + `}`, typeValidation,
			"Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"},
		{"long name", `{"TableName":"` + strings.Repeat("x", 256) + `",` + ks + `,` + ad + ppr + `}`, typeValidation,
			"Member must have length less than or equal to 255"},
		{"two errors", `{"TableName":"ab",` + ad + ppr + `}`, typeValidation, "2 validation errors detected: "},
		{"no key schema", `{"TableName":"tbl",` + ad + ppr + `}`, typeValidation, "Value null at 'keySchema'"},
		{"bad key type", `{"TableName":"tbl","KeySchema":[{"AttributeName":"id","KeyType":"X"}],` + ad + ppr + `}`, typeValidation,
			"Value 'X' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]"},
		{"bad attr type", `{"TableName":"tbl",` + ks + `,"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"BOOL"}]` + ppr + `}`,
			typeValidation, "Member must satisfy enum value set: [B, N, S]"},
		{"range first", `{"TableName":"tbl","KeySchema":[{"AttributeName":"id","KeyType":"RANGE"}],` + ad + ppr + `}`, typeValidation,
			"Invalid KeySchema: The first KeySchemaElement is not a HASH key type"},
		{"two hash", `{"TableName":"tbl","KeySchema":[{"AttributeName":"id","KeyType":"HASH"},{"AttributeName":"s","KeyType":"HASH"}],
			"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},{"AttributeName":"s","AttributeType":"S"}]` + ppr + `}`,
			typeValidation, "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"},
		// A HASH and a RANGE key on the one attribute defined: more key
		// elements than definitions (paritysuite/dynamodb-conformance
		// validation-ordering/createTable.test.ts pins "Invalid KeySchema").
		{"hash and range on one attribute", `{"TableName":"tbl","KeySchema":[{"AttributeName":"id","KeyType":"HASH"},{"AttributeName":"id","KeyType":"RANGE"}],` + ad + ppr + `}`,
			typeValidation, "Invalid KeySchema: Some index key attribute have no definition"},
		{"three keys", `{"TableName":"tbl","KeySchema":[{"AttributeName":"a","KeyType":"HASH"},{"AttributeName":"b","KeyType":"RANGE"},{"AttributeName":"c","KeyType":"RANGE"}],` + ad + ppr + `}`,
			typeValidation, "Member must have length less than or equal to 2"},
		{"unused def", `{"TableName":"tbl",` + ks + `,"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},{"AttributeName":"x","AttributeType":"N"}]` + ppr + `}`,
			typeValidation, "One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [id, x], keys used: [id]"},
		{"missing def", `{"TableName":"tbl",` + ks + `,"AttributeDefinitions":[{"AttributeName":"x","AttributeType":"N"}]` + ppr + `}`,
			typeValidation, "Some index key attributes are not defined in AttributeDefinitions. Keys: [id], AttributeDefinitions: [x]"},
		{"no throughput", `{"TableName":"tbl",` + ks + `,` + ad + `}`, typeValidation,
			"ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"},
		{"throughput on demand", `{"TableName":"tbl",` + ks + `,` + ad + ppr + `,"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}`,
			typeValidation, "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"},
		{"zero throughput", `{"TableName":"tbl",` + ks + `,` + ad + `,"ProvisionedThroughput":{"ReadCapacityUnits":0,"WriteCapacityUnits":1}}`,
			typeValidation, "Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"bad billing", `{"TableName":"tbl",` + ks + `,` + ad + `,"BillingMode":"FREE"}`, typeValidation,
			"Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]"},
		{"gsi", `{"TableName":"tbl",` + ks + `,` + ad + ppr + `,"GlobalSecondaryIndexes":[{"IndexName":"iii"}]}`, typeValidation, "Value null at 'globalSecondaryIndexes.1.member.keySchema'"},
		{"lsi", `{"TableName":"tbl",` + ks + `,` + ad + ppr + `,"LocalSecondaryIndexes":[{"IndexName":"i"}]}`, typeValidation, "Value 'i' at 'localSecondaryIndexes.1.member.indexName'"},
		{"stream view type", `{"TableName":"tbl",` + ks + `,` + ad + ppr + `,"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"ALL"}}`, typeValidation, "streamViewType"},
		{"long key name", `{"TableName":"tbl","KeySchema":[{"AttributeName":"` + strings.Repeat("k", 256) + `","KeyType":"HASH"}],` + ad + ppr + `}`,
			typeValidation, "at 'keySchema.1.member.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255"},
		{"bad tag", `{"TableName":"tbl",` + ks + `,` + ad + ppr + `,"Tags":[{"Key":"","Value":"v"}]}`, typeValidation, "tags.1.member.key"},
		{"wrong json type", `{"TableName":5}`, typeSerialization, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { tblErr(t, s, createTable, c.body, c.typ, c.msg) })
	}
	// Nothing was created, and stream-disabled or SSE specs are accepted.
	if names := tblOK(t, s, listTables, `{}`)["TableNames"].([]any); len(names) != 0 {
		t.Errorf("tables %v", names)
	}
	m := tblOK(t, s, createTable, `{"TableName":"tbl",`+ks+`,`+ad+ppr+`,"StreamSpecification":{"StreamEnabled":false},
		"SSESpecification":{"Enabled":true},"TableClass":"STANDARD_INFREQUENT_ACCESS","DeletionProtectionEnabled":true}`)
	d := m["TableDescription"].(map[string]any)
	if field(d, "SSEDescription", "Status") != "ENABLED" || field(d, "TableClassSummary", "TableClass") != "STANDARD_INFREQUENT_ACCESS" ||
		d["DeletionProtectionEnabled"] != true {
		t.Errorf("description %v", d)
	}
}
