package main

import (
	"fmt"
	"strings"
)

// Tables the corpus creates (both servers start empty).
const (
	tH   = "compat_h"   // HASH pk S
	tHR  = "compat_hr"  // HASH pk S, RANGE sk N
	tHS  = "compat_hs"  // HASH pk S, RANGE sk S
	tG   = "compat_gsi" // HASH pk S, GSI by_g (g S), on demand
	tTX  = "compat_tx"  // HASH pk S, for the transaction cases
	tUPD = "compat_upd" // UpdateTable cases
	tDEL = "compat_del" // DeleteTable cases
	tTTL = "compat_ttl" // UpdateTimeToLive cases
)

const pt = `"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}`

// opt modifies a case.
type opt func(*testCase)

func settleOn(table string) opt { return func(c *testCase) { c.settle = table } }
func asSetup() opt              { return func(c *testCase) { c.setup = true } }
func withTarget(t string) opt   { return func(c *testCase) { c.target = t } }

// documented marks a case dynalite cannot answer (an operation or a
// feature it lacks, or, in cases_semantics.go, a request it hangs on):
// Concord's answer is checked against the status and error type the API
// reference documents (or, where the case says so, that real DynamoDB was
// reported to answer).
func documented(status int, typ, msg string) opt {
	return func(c *testCase) { c.notInDynalite = true; c.want = want{status: status, typ: typ, msg: msg} }
}

type corpusBuilder struct{ cases []testCase }

func (b *corpusBuilder) add(op, name, body string, opts ...opt) {
	c := testCase{op: op, name: name, body: body}
	for _, o := range opts {
		o(&c)
	}
	b.cases = append(b.cases, c)
}

// hashTable is a CreateTable body for a table with a single S hash key pk.
func hashTable(name string) string {
	return `{"TableName":"` + name + `","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],` +
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],` + pt + `}`
}

// createBody is a CreateTable body on the table "compat_bad" with the
// given fragments (JSON members without braces).
func createBody(members ...string) string {
	return `{"TableName":"compat_bad",` + strings.Join(members, ",") + `}`
}

const (
	defPK     = `"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]`
	keyPK     = `"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]`
	defPKSK   = `"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}]`
	keyPKSK   = `"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]`
	itemPutA  = `{"TableName":"compat_h","Item":{"pk":{"S":"a"},"n":{"N":"1"},"s":{"S":"x"},"m":{"M":{"x":{"N":"1"}}},"l":{"L":[{"S":"e0"}]},"ss":{"SS":["p","q"]}}}`
	keyA      = `"Key":{"pk":{"S":"a"}}`
	tableH    = `"TableName":"compat_h"`
	tableHR   = `"TableName":"compat_hr"`
	tableHS   = `"TableName":"compat_hs"`
	tableG    = `"TableName":"compat_gsi"`
	tableTX   = `"TableName":"compat_tx"`
	valP      = `"ExpressionAttributeValues":{":p":{"S":"q"}}`
	maxItem   = 400 * 1024
	bigPrefix = `{"TableName":"compat_h","Item":{"pk":{"S":"big"},"d":{"S":"`
)

// obj joins JSON members into an object.
func obj(members ...string) string { return "{" + strings.Join(members, ",") + "}" }

// put is a PutItem body on compat_h with the given Item members.
func put(item string, members ...string) string {
	return obj(append([]string{tableH, `"Item":{` + item + `}`}, members...)...)
}

// upd is an UpdateItem body on compat_h, key pk=u, with the given members.
func upd(members ...string) string {
	return obj(append([]string{tableH, `"Key":{"pk":{"S":"u"}}`}, members...)...)
}

// q is a Query body on compat_hr with the given members.
func q(members ...string) string { return obj(append([]string{tableHR}, members...)...) }

// keys returns n distinct compat_h keys pk=k0..k(n-1), as JSON objects.
func keys(n int, wrap string) string {
	var parts []string
	for i := range n {
		parts = append(parts, fmt.Sprintf(wrap, fmt.Sprintf(`{"pk":{"S":"k%d"}}`, i)))
	}
	return strings.Join(parts, ",")
}

// numbers are the N values PutItem stores (each under its own key) and,
// for those DynamoDB accepts, GetItem reads back.
var numbers = []struct {
	name, n string
	valid   bool
}{
	{"1e126 (overflow)", "1e126", false},
	{"9.9999e125 (largest magnitude)", "9.9999e125", true},
	{"-9.9999e125", "-9.9999e125", true},
	{"1e-131 (underflow)", "1e-131", false},
	{"1e-130 (smallest magnitude)", "1e-130", true},
	{"39 significant digits", "123456789012345678901234567890123456789", false},
	{"38 significant digits", "12345678901234567890123456789012345678", true},
	{"38 digits and trailing zeros", "1234567890123456789012345678901234567800", true},
	{"leading and trailing zeros", "000123.4500", true},
	{"negative zero", "-0", true},
	{"exponent form", "1.5E+3", true},
	{"abc", "abc", false},
	{"1e", "1e", false},
	{"+1", "+1", false},
	{"empty string", "", false},
	{"leading space", " 1", false},
	{"Infinity", "Infinity", false},
	{"NaN", "NaN", false},
	{"0x10", "0x10", false},
	{".5", ".5", true},
	{"5.", "5.", true},
}

func corpus() []testCase {
	b := &corpusBuilder{}
	protocol(b)
	tables(b)
	putItem(b)
	getItem(b)
	updateItem(b)
	deleteItem(b)
	query(b)
	scan(b)
	batch(b)
	transactions(b)
	tagsAndTTL(b)
	tableLifecycle(b)
	dataSemantics(b) // cases_semantics.go
	reported(b)      // cases_reported.go
	conformance(b)   // cases_conformance.go
	return b.cases
}

func protocol(b *corpusBuilder) {
	const op = "Protocol"
	b.add(op, "unknown operation", `{}`, withTarget("DynamoDB_20120810.Frobnicate"))
	b.add(op, "missing X-Amz-Target", `{}`, withTarget("-"))
	b.add(op, "unknown API version prefix", `{}`, withTarget("DynamoDB_20991231.ListTables"))
	b.add(op, "target without a dot", `{}`, withTarget("ListTables"))
	b.add(op, "malformed JSON", `{"Limit":`, withTarget("DynamoDB_20120810.ListTables"))
	b.add(op, "empty body", ``, withTarget("DynamoDB_20120810.ListTables"))
	b.add(op, "JSON array body", `[]`, withTarget("DynamoDB_20120810.ListTables"))
	b.add(op, "JSON string body", `"x"`, withTarget("DynamoDB_20120810.ListTables"))
	b.add(op, "trailing garbage after JSON", `{} x`, withTarget("DynamoDB_20120810.ListTables"))
	b.add(op, "Limit is a string", `{"Limit":"x"}`, withTarget("DynamoDB_20120810.ListTables"))
	b.add(op, "TableName is a number", `{"TableName":123}`, withTarget("DynamoDB_20120810.DescribeTable"))
	b.add(op, "TableName is a list", `{"TableName":["compat_h"]}`, withTarget("DynamoDB_20120810.DescribeTable"))
	b.add(op, "TableName is an object", `{"TableName":{}}`, withTarget("DynamoDB_20120810.DescribeTable"))
	b.add(op, "Item is a list", `{"TableName":"compat_h","Item":[]}`, withTarget("DynamoDB_20120810.PutItem"))
	b.add(op, "AttributeValue is a string", `{"TableName":"compat_h","Item":{"pk":"a"}}`, withTarget("DynamoDB_20120810.PutItem"))
	b.add(op, "N is a JSON number", `{"TableName":"compat_h","Item":{"pk":{"S":"a"},"n":{"N":1}}}`, withTarget("DynamoDB_20120810.PutItem"))
	b.add(op, "S is a JSON boolean", `{"TableName":"compat_h","Item":{"pk":{"S":true}}}`, withTarget("DynamoDB_20120810.PutItem"))
	b.add(op, "B is not base64", `{"TableName":"compat_h","Item":{"pk":{"S":"a"},"b":{"B":"abc"}}}`, withTarget("DynamoDB_20120810.PutItem"))
	b.add(op, "BOOL is a number", `{"TableName":"compat_h","Item":{"pk":{"S":"a"},"b":{"BOOL":1}}}`, withTarget("DynamoDB_20120810.PutItem"))
}

func tables(b *corpusBuilder) {
	const op = "CreateTable"
	b.add(op, "valid hash table", hashTable(tH), settleOn(tH), asSetup())
	b.add(op, "valid hash+range N table", `{"TableName":"compat_hr",`+defPKSK+`,`+keyPKSK+`,`+pt+`}`, settleOn(tHR), asSetup())
	b.add(op, "valid hash+range S table", `{"TableName":"compat_hs","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}],`+
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],`+pt+`}`, settleOn(tHS), asSetup())
	b.add(op, "valid PAY_PER_REQUEST table with GSI", `{"TableName":"compat_gsi","BillingMode":"PAY_PER_REQUEST",`+
		`"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],`+keyPK+`,`+
		`"GlobalSecondaryIndexes":[{"IndexName":"by_g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}`,
		settleOn(tG), asSetup())
	b.add(op, "valid transactions table", hashTable(tTX), settleOn(tTX), asSetup())
	b.add(op, "valid UpdateTable table", hashTable(tUPD), settleOn(tUPD), asSetup())
	b.add(op, "valid TTL table", hashTable(tTTL), settleOn(tTTL), asSetup())

	b.add(op, "table already exists", hashTable(tH))
	b.add(op, "missing TableName", obj(defPK, keyPK, pt))
	b.add(op, "TableName too short", `{"TableName":"ab",`+defPK+`,`+keyPK+`,`+pt+`}`)
	b.add(op, "TableName 256 characters", `{"TableName":"`+strings.Repeat("t", 256)+`",`+defPK+`,`+keyPK+`,`+pt+`}`)
	b.add(op, "TableName with invalid characters", `{"TableName":"bad name!",`+defPK+`,`+keyPK+`,`+pt+`}`)
	b.add(op, "missing KeySchema", createBody(defPK, pt))
	b.add(op, "missing AttributeDefinitions", createBody(keyPK, pt))
	b.add(op, "empty KeySchema", createBody(defPK, `"KeySchema":[]`, pt))
	b.add(op, "three KeySchema elements", createBody(`"AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"},{"AttributeName":"b","AttributeType":"S"},{"AttributeName":"c","AttributeType":"S"}]`,
		`"KeySchema":[{"AttributeName":"a","KeyType":"HASH"},{"AttributeName":"b","KeyType":"RANGE"},{"AttributeName":"c","KeyType":"RANGE"}]`, pt))
	b.add(op, "key attribute not defined", createBody(`"AttributeDefinitions":[{"AttributeName":"other","AttributeType":"S"}]`, keyPK, pt))
	b.add(op, "unused attribute definition", createBody(defPKSK, keyPK, pt))
	b.add(op, "first key is RANGE", createBody(defPKSK, `"KeySchema":[{"AttributeName":"sk","KeyType":"RANGE"},{"AttributeName":"pk","KeyType":"HASH"}]`, pt))
	b.add(op, "two HASH keys", createBody(defPKSK, `"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"HASH"}]`, pt))
	b.add(op, "hash and range with the same name", createBody(defPK, `"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"pk","KeyType":"RANGE"}]`, pt))
	b.add(op, "invalid AttributeType", createBody(`"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"X"}]`, keyPK, pt))
	b.add(op, "BOOL AttributeType", createBody(`"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"BOOL"}]`, keyPK, pt))
	b.add(op, "invalid KeyType", createBody(defPK, `"KeySchema":[{"AttributeName":"pk","KeyType":"PRIMARY"}]`, pt))
	b.add(op, "no ProvisionedThroughput and no BillingMode", createBody(defPK, keyPK))
	b.add(op, "PAY_PER_REQUEST with ProvisionedThroughput", createBody(defPK, keyPK, `"BillingMode":"PAY_PER_REQUEST"`, pt))
	b.add(op, "ReadCapacityUnits 0", createBody(defPK, keyPK, `"ProvisionedThroughput":{"ReadCapacityUnits":0,"WriteCapacityUnits":5}`))
	b.add(op, "invalid BillingMode", createBody(defPK, keyPK, `"BillingMode":"FREE"`))
	b.add(op, "ProvisionedThroughput is a string", createBody(defPK, keyPK, `"ProvisionedThroughput":"x"`))
	b.add(op, "LSI on a hash-only table", createBody(`"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"x","AttributeType":"S"}]`, keyPK, pt,
		`"LocalSecondaryIndexes":[{"IndexName":"lsi","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"x","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]`))
	b.add(op, "GSI key not defined", createBody(defPK, keyPK, `"BillingMode":"PAY_PER_REQUEST"`,
		`"GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"nope","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]`))
	b.add(op, "duplicate GSI names", createBody(`"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}]`, keyPK, `"BillingMode":"PAY_PER_REQUEST"`,
		`"GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}},`+
			`{"IndexName":"gsi","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]`))
	b.add(op, "NonKeyAttributes with ProjectionType ALL", createBody(`"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}]`, keyPK, `"BillingMode":"PAY_PER_REQUEST"`,
		`"GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL","NonKeyAttributes":["a"]}}]`))
	b.add(op, "GSI ProvisionedThroughput on a PAY_PER_REQUEST table", createBody(`"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}]`, keyPK, `"BillingMode":"PAY_PER_REQUEST"`,
		`"GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"},`+pt+`}]`))

	const dop = "DescribeTable"
	b.add(dop, "hash table", `{"TableName":"compat_h"}`)
	b.add(dop, "hash+range table", `{"TableName":"compat_hr"}`)
	b.add(dop, "on-demand table with GSI", `{"TableName":"compat_gsi"}`)
	b.add(dop, "table does not exist", `{"TableName":"compat_nope"}`)
	b.add(dop, "missing TableName", `{}`)
	b.add(dop, "TableName too short", `{"TableName":"ab"}`)
	b.add(dop, "TableName with invalid characters", `{"TableName":"bad name!"}`)
	b.add(dop, "unknown member is ignored", `{"TableName":"compat_h","Frobnicate":1}`)

	const lop = "ListTables"
	b.add(lop, "all tables", `{}`)
	b.add(lop, "Limit 2", `{"Limit":2}`)
	b.add(lop, "ExclusiveStartTableName", `{"ExclusiveStartTableName":"compat_h"}`)
	b.add(lop, "Limit 0", `{"Limit":0}`)
	b.add(lop, "Limit 101", `{"Limit":101}`)
	b.add(lop, "ExclusiveStartTableName with invalid characters", `{"ExclusiveStartTableName":"bad name!"}`)
}

func putItem(b *corpusBuilder) {
	const op = "PutItem"
	b.add(op, "valid item", itemPutA, asSetup())
	b.add(op, "valid item with every type", put(`"pk":{"S":"types"},"s":{"S":"x"},"n":{"N":"-12.50"},"b":{"B":"AAEC"},"t":{"BOOL":true},"z":{"NULL":true},`+
		`"ss":{"SS":["b","a"]},"ns":{"NS":["3","1.0","2"]},"bs":{"BS":["AQ==","Ag=="]},"l":{"L":[{"N":"1"},{"S":"a"},{"M":{}}]},"m":{"M":{"k":{"L":[]},"e":{"S":""}}}`))
	b.add(op, "empty string in a non-key attribute", put(`"pk":{"S":"empty"},"e":{"S":""},"eb":{"B":""}`))
	b.add(op, "ReturnValues ALL_OLD", put(`"pk":{"S":"a"},"n":{"N":"1"},"s":{"S":"x"},"m":{"M":{"x":{"N":"1"}}},"l":{"L":[{"S":"e0"}]},"ss":{"SS":["p","q"]}`, `"ReturnValues":"ALL_OLD"`))
	b.add(op, "ReturnValues ALL_NEW", put(`"pk":{"S":"a"}`, `"ReturnValues":"ALL_NEW"`))
	b.add(op, "ReturnValues UPDATED_OLD", put(`"pk":{"S":"a"}`, `"ReturnValues":"UPDATED_OLD"`))
	b.add(op, "ReturnValues invalid value", put(`"pk":{"S":"a"}`, `"ReturnValues":"BOGUS"`))
	b.add(op, "ReturnConsumedCapacity invalid value", put(`"pk":{"S":"a"}`, `"ReturnConsumedCapacity":"ALL"`))
	b.add(op, "missing TableName", `{"Item":{"pk":{"S":"a"}}}`)
	b.add(op, "TableName too short", `{"TableName":"ab","Item":{"pk":{"S":"a"}}}`)
	b.add(op, "missing Item", `{"TableName":"compat_h"}`)
	b.add(op, "table does not exist", `{"TableName":"compat_nope","Item":{"pk":{"S":"a"}}}`)
	b.add(op, "missing key attribute", put(`"n":{"N":"1"}`))
	b.add(op, "key has the wrong type", put(`"pk":{"N":"1"}`))
	b.add(op, "empty string hash key", put(`"pk":{"S":""}`))
	b.add(op, "hash key over 2048 bytes", put(`"pk":{"S":"`+strings.Repeat("k", 2049)+`"}`))
	b.add(op, "range key over 1024 bytes", `{"TableName":"compat_hs","Item":{"pk":{"S":"a"},"sk":{"S":"`+strings.Repeat("r", 1025)+`"}}}`)
	for _, n := range numbers {
		b.add(op, "number "+n.name, put(`"pk":{"S":"num-`+n.name+`"},"n":{"N":"`+n.n+`"}`))
	}
	b.add(op, "number key 1e126", `{"TableName":"compat_hr","Item":{"pk":{"S":"a"},"sk":{"N":"1e126"}}}`)
	b.add(op, "duplicate SS members", put(`"pk":{"S":"set"},"ss":{"SS":["a","a"]}`))
	b.add(op, "duplicate NS members", put(`"pk":{"S":"set"},"ns":{"NS":["1","1"]}`))
	b.add(op, "NS members equal as numbers", put(`"pk":{"S":"set"},"ns":{"NS":["1","1.0"]}`))
	b.add(op, "duplicate BS members", put(`"pk":{"S":"set"},"bs":{"BS":["AQ==","AQ=="]}`))
	b.add(op, "empty SS", put(`"pk":{"S":"set"},"ss":{"SS":[]}`))
	b.add(op, "empty NS", put(`"pk":{"S":"set"},"ns":{"NS":[]}`))
	b.add(op, "empty BS", put(`"pk":{"S":"set"},"bs":{"BS":[]}`))
	b.add(op, "invalid number in NS", put(`"pk":{"S":"set"},"ns":{"NS":["1","x"]}`))
	b.add(op, "NULL false", put(`"pk":{"S":"set"},"z":{"NULL":false}`))
	b.add(op, "empty AttributeValue", put(`"pk":{"S":"set"},"e":{}`))
	b.add(op, "AttributeValue with two types", put(`"pk":{"S":"set"},"e":{"S":"a","N":"1"}`))
	b.add(op, "empty AttributeValue nested in a map", put(`"pk":{"S":"set"},"m":{"M":{"x":{}}}`))
	b.add(op, "empty attribute name", put(`"pk":{"S":"set"},"":{"S":"x"}`))
	b.add(op, "empty attribute name nested in a map", put(`"pk":{"S":"set"},"m":{"M":{"":{"S":"x"}}}`))
	b.add(op, "item just under 400 KB", bigPrefix+strings.Repeat("x", maxItem-100)+`"}}}`)
	b.add(op, "item over 400 KB", bigPrefix+strings.Repeat("x", maxItem)+`"}}}`)
	b.add(op, "ConditionExpression attribute_not_exists fails", put(`"pk":{"S":"a"}`, `"ConditionExpression":"attribute_not_exists(pk)"`))
	b.add(op, "ConditionExpression attribute_exists passes", itemPutA[:len(itemPutA)-1]+`,"ConditionExpression":"attribute_exists(pk)"}`)
	b.add(op, "ConditionExpression fails with ALL_OLD on condition failure", put(`"pk":{"S":"a"}`, `"ConditionExpression":"n = :two"`,
		`"ExpressionAttributeValues":{":two":{"N":"2"}}`, `"ReturnValuesOnConditionCheckFailure":"ALL_OLD"`))
	b.add(op, "legacy Expected Exists false fails", put(`"pk":{"S":"a"}`, `"Expected":{"pk":{"Exists":false}}`))
	b.add(op, "legacy Expected Value equal passes", itemPutA[:len(itemPutA)-1]+`,"Expected":{"s":{"Value":{"S":"x"}}}}`)
	b.add(op, "legacy Expected Exists true without Value", put(`"pk":{"S":"a"}`, `"Expected":{"pk":{"Exists":true}}`))
	b.add(op, "Expected mixed with ConditionExpression", put(`"pk":{"S":"a"}`, `"Expected":{"pk":{"Exists":false}}`, `"ConditionExpression":"attribute_not_exists(pk)"`))
	b.add(op, "ExpressionAttributeValues without an expression", put(`"pk":{"S":"a"}`, `"ExpressionAttributeValues":{":v":{"S":"x"}}`))
	b.add(op, "ExpressionAttributeNames without an expression", put(`"pk":{"S":"a"}`, `"ExpressionAttributeNames":{"#n":"n"}`))
	b.add(op, "unused ExpressionAttributeValues", put(`"pk":{"S":"a"}`, `"ConditionExpression":"attribute_exists(pk)"`, `"ExpressionAttributeValues":{":v":{"S":"x"}}`))
	b.add(op, "unused ExpressionAttributeNames", put(`"pk":{"S":"a"}`, `"ConditionExpression":"attribute_exists(pk)"`, `"ExpressionAttributeNames":{"#n":"n"}`))
	b.add(op, "undefined expression attribute value", put(`"pk":{"S":"a"}`, `"ConditionExpression":"n = :v"`))
	b.add(op, "undefined expression attribute name", put(`"pk":{"S":"a"}`, `"ConditionExpression":"#n = :v"`, `"ExpressionAttributeValues":{":v":{"S":"x"}}`))
	b.add(op, "reserved word in ConditionExpression", put(`"pk":{"S":"a"}`, `"ConditionExpression":"attribute_exists(status)"`))
	b.add(op, "ConditionExpression syntax error", put(`"pk":{"S":"a"}`, `"ConditionExpression":"pk ="`))
	b.add(op, "ConditionExpression unknown function", put(`"pk":{"S":"a"}`, `"ConditionExpression":"foo(pk)"`))
	b.add(op, "ConditionExpression empty", put(`"pk":{"S":"a"}`, `"ConditionExpression":""`))
	b.add(op, "ConditionExpression size() on a number", put(`"pk":{"S":"a"}`, `"ConditionExpression":"size(n) > :z"`, `"ExpressionAttributeValues":{":z":{"N":"0"}}`))
	b.add(op, "ConditionExpression BETWEEN low above high", put(`"pk":{"S":"a"}`, `"ConditionExpression":"n BETWEEN :hi AND :lo"`, `"ExpressionAttributeValues":{":hi":{"N":"5"},":lo":{"N":"1"}}`))
	b.add(op, "ConditionExpression attribute_type with an invalid type", put(`"pk":{"S":"a"}`, `"ConditionExpression":"attribute_type(n, :t)"`, `"ExpressionAttributeValues":{":t":{"S":"XX"}}`))
	b.add(op, "ConditionExpression comparing two values only", put(`"pk":{"S":"a"}`, `"ConditionExpression":":a = :b"`, `"ExpressionAttributeValues":{":a":{"S":"x"},":b":{"S":"x"}}`))
	b.add(op, "ConditionExpression with a bare path", put(`"pk":{"S":"a"}`, `"ConditionExpression":"pk"`))
	b.add(op, "ConditionExpression with an IN list of 101 values", put(`"pk":{"S":"a"}`, `"ConditionExpression":"n IN (`+strings.TrimSuffix(strings.Repeat(":v,", 101), ",")+`)"`, `"ExpressionAttributeValues":{":v":{"N":"1"}}`))
	b.add(op, "ExpressionAttributeValues key without a colon", put(`"pk":{"S":"a"}`, `"ConditionExpression":"attribute_exists(pk)"`, `"ExpressionAttributeValues":{"v":{"S":"x"}}`))
	b.add(op, "ExpressionAttributeNames key without a hash", put(`"pk":{"S":"a"}`, `"ConditionExpression":"attribute_exists(pk)"`, `"ExpressionAttributeNames":{"n":"n"}`))
	b.add(op, "ExpressionAttributeNames value empty", put(`"pk":{"S":"a"}`, `"ConditionExpression":"attribute_exists(#n)"`, `"ExpressionAttributeNames":{"#n":""}`))
	b.add(op, "ConditionExpression contains on a string set passes", itemPutA[:len(itemPutA)-1]+`,"ConditionExpression":"contains(ss, :v) AND size(l) = :one","ExpressionAttributeValues":{":v":{"S":"p"},":one":{"N":"1"}}}`)
	b.add(op, "ExpressionAttributeValues empty", put(`"pk":{"S":"a"}`, `"ConditionExpression":"attribute_exists(pk)"`, `"ExpressionAttributeValues":{}`))
	b.add(op, "ExpressionAttributeValues with an invalid number", put(`"pk":{"S":"a"}`, `"ConditionExpression":"n = :v"`, `"ExpressionAttributeValues":{":v":{"N":"abc"}}`))
}

func getItem(b *corpusBuilder) {
	const op = "GetItem"
	b.add(op, "existing item", obj(tableH, keyA))
	b.add(op, "item with every type", obj(tableH, `"Key":{"pk":{"S":"types"}}`))
	b.add(op, "item with empty strings", obj(tableH, `"Key":{"pk":{"S":"empty"}}`))
	for _, n := range numbers {
		if n.valid {
			b.add(op, "number "+n.name, obj(tableH, `"Key":{"pk":{"S":"num-`+n.name+`"}}`))
		}
	}
	b.add(op, "item does not exist", obj(tableH, `"Key":{"pk":{"S":"nope"}}`))
	b.add(op, "ConsistentRead true", obj(tableH, keyA, `"ConsistentRead":true`))
	b.add(op, "ConsistentRead is a number", obj(tableH, keyA, `"ConsistentRead":1`))
	b.add(op, "ConsistentRead is a string", obj(tableH, keyA, `"ConsistentRead":"maybe"`))
	b.add(op, "missing Key", obj(tableH))
	b.add(op, "empty Key", obj(tableH, `"Key":{}`))
	b.add(op, "Key missing the hash attribute", obj(tableH, `"Key":{"other":{"S":"a"}}`))
	b.add(op, "Key with an extra attribute", obj(tableH, `"Key":{"pk":{"S":"a"},"n":{"N":"1"}}`))
	b.add(op, "Key has the wrong type", obj(tableH, `"Key":{"pk":{"N":"1"}}`))
	b.add(op, "Key with an empty string", obj(tableH, `"Key":{"pk":{"S":""}}`))
	b.add(op, "Key missing the range attribute", obj(tableHR, `"Key":{"pk":{"S":"q"}}`))
	b.add(op, "table does not exist", `{"TableName":"compat_nope","Key":{"pk":{"S":"a"}}}`)
	b.add(op, "ProjectionExpression", obj(tableH, keyA, `"ProjectionExpression":"s, n, m.x, l[0]"`))
	b.add(op, "ProjectionExpression with a reserved word", obj(tableH, keyA, `"ProjectionExpression":"status"`))
	b.add(op, "ProjectionExpression with a name placeholder", obj(tableH, keyA, `"ProjectionExpression":"#st"`, `"ExpressionAttributeNames":{"#st":"status"}`))
	b.add(op, "ProjectionExpression overlapping paths", obj(tableH, keyA, `"ProjectionExpression":"m, m.x"`))
	b.add(op, "ProjectionExpression list index on a map", obj(tableH, keyA, `"ProjectionExpression":"m[0]"`))
	b.add(op, "ProjectionExpression syntax error", obj(tableH, keyA, `"ProjectionExpression":"s,,n"`))
	b.add(op, "ProjectionExpression empty", obj(tableH, keyA, `"ProjectionExpression":""`))
	b.add(op, "ExpressionAttributeValues with only a projection", obj(tableH, keyA, `"ProjectionExpression":"s"`, `"ExpressionAttributeValues":{":v":{"S":"x"}}`))
	b.add(op, "unused ExpressionAttributeNames", obj(tableH, keyA, `"ProjectionExpression":"s"`, `"ExpressionAttributeNames":{"#n":"n"}`))
	b.add(op, "legacy AttributesToGet", obj(tableH, keyA, `"AttributesToGet":["s","n"]`))
	b.add(op, "AttributesToGet duplicate names", obj(tableH, keyA, `"AttributesToGet":["s","s"]`))
	b.add(op, "AttributesToGet empty", obj(tableH, keyA, `"AttributesToGet":[]`))
	b.add(op, "AttributesToGet mixed with ProjectionExpression", obj(tableH, keyA, `"AttributesToGet":["s"]`, `"ProjectionExpression":"n"`))
}

func updateItem(b *corpusBuilder) {
	const op = "UpdateItem"
	b.add(op, "SET creates the item, UPDATED_NEW", upd(`"UpdateExpression":"SET n = :one, s = :s, m = :m, l = :l"`,
		`"ExpressionAttributeValues":{":one":{"N":"1"},":s":{"S":"x"},":m":{"M":{"a":{"N":"1"}}},":l":{"L":[{"N":"1"}]}}`, `"ReturnValues":"UPDATED_NEW"`), asSetup())
	b.add(op, "SET arithmetic, ALL_NEW", upd(`"UpdateExpression":"SET n = n + :one"`, `"ExpressionAttributeValues":{":one":{"N":"1"}}`, `"ReturnValues":"ALL_NEW"`))
	b.add(op, "SET nested map member, UPDATED_OLD", upd(`"UpdateExpression":"SET m.a = :two"`, `"ExpressionAttributeValues":{":two":{"N":"2"}}`, `"ReturnValues":"UPDATED_OLD"`))
	b.add(op, "ALL_OLD", upd(`"UpdateExpression":"SET t = :t"`, `"ExpressionAttributeValues":{":t":{"BOOL":true}}`, `"ReturnValues":"ALL_OLD"`))
	b.add(op, "if_not_exists and list_append", upd(`"UpdateExpression":"SET c = if_not_exists(c, :zero), l = list_append(l, :l)"`,
		`"ExpressionAttributeValues":{":zero":{"N":"0"},":l":{"L":[{"N":"2"}]}}`, `"ReturnValues":"UPDATED_NEW"`))
	b.add(op, "ADD to a number and a set, REMOVE, DELETE", upd(`"UpdateExpression":"ADD n :one, ss :ss REMOVE t DELETE ss :d"`,
		`"ExpressionAttributeValues":{":one":{"N":"1"},":ss":{"SS":["a","b"]},":d":{"SS":["a"]}}`, `"ReturnValues":"ALL_NEW"`))
	b.add(op, "SET a list index past the end appends", upd(`"UpdateExpression":"SET l[10] = :v"`, `"ExpressionAttributeValues":{":v":{"S":"end"}}`, `"ReturnValues":"UPDATED_NEW"`))
	b.add(op, "REMOVE a list element", upd(`"UpdateExpression":"REMOVE l[2]"`, `"ReturnValues":"UPDATED_OLD"`))
	b.add(op, "DELETE every member of a set", upd(`"UpdateExpression":"ADD ss2 :s DELETE ss :all"`, `"ExpressionAttributeValues":{":s":{"SS":["z"]},":all":{"SS":["b"]}}`, `"ReturnValues":"ALL_NEW"`))
	b.add(op, "no UpdateExpression on a new key", `{"TableName":"compat_h","Key":{"pk":{"S":"bare"}},"ReturnValues":"ALL_NEW"}`)
	b.add(op, "ReturnValues invalid value", upd(`"UpdateExpression":"SET n = :one"`, `"ExpressionAttributeValues":{":one":{"N":"1"}}`, `"ReturnValues":"SOME"`))
	b.add(op, "reserved word as a name", upd(`"UpdateExpression":"SET status = :v"`, `"ExpressionAttributeValues":{":v":{"S":"x"}}`))
	b.add(op, "reserved word through a placeholder", upd(`"UpdateExpression":"SET #st = :v"`, `"ExpressionAttributeNames":{"#st":"status"}`, `"ExpressionAttributeValues":{":v":{"S":"x"}}`))
	b.add(op, "overlapping paths", upd(`"UpdateExpression":"SET m = :v, m.a = :v"`, `"ExpressionAttributeValues":{":v":{"N":"1"}}`))
	b.add(op, "same path twice", upd(`"UpdateExpression":"SET s = :v REMOVE s"`, `"ExpressionAttributeValues":{":v":{"S":"y"}}`))
	b.add(op, "SET clause twice", upd(`"UpdateExpression":"SET s = :v SET n = :v"`, `"ExpressionAttributeValues":{":v":{"S":"y"}}`))
	b.add(op, "ADD on a string attribute", upd(`"UpdateExpression":"ADD s :one"`, `"ExpressionAttributeValues":{":one":{"N":"1"}}`))
	b.add(op, "ADD a string value", upd(`"UpdateExpression":"ADD n :s"`, `"ExpressionAttributeValues":{":s":{"S":"x"}}`))
	b.add(op, "ADD a map value", upd(`"UpdateExpression":"ADD n :m"`, `"ExpressionAttributeValues":{":m":{"M":{}}}`))
	b.add(op, "DELETE a number from a set", upd(`"UpdateExpression":"DELETE ss :one"`, `"ExpressionAttributeValues":{":one":{"N":"1"}}`))
	b.add(op, "list index on a map", upd(`"UpdateExpression":"SET m[0] = :v"`, `"ExpressionAttributeValues":{":v":{"N":"1"}}`))
	b.add(op, "map member of a missing attribute", upd(`"UpdateExpression":"SET nope.x = :v"`, `"ExpressionAttributeValues":{":v":{"N":"1"}}`))
	b.add(op, "arithmetic on a missing attribute", upd(`"UpdateExpression":"SET z = nope + :v"`, `"ExpressionAttributeValues":{":v":{"N":"1"}}`))
	b.add(op, "arithmetic with a string", upd(`"UpdateExpression":"SET n = n + :s"`, `"ExpressionAttributeValues":{":s":{"S":"x"}}`))
	b.add(op, "arithmetic overflow", `{"TableName":"compat_h","Key":{"pk":{"S":"u-ovf"}},"UpdateExpression":"SET z = :big + :big","ExpressionAttributeValues":{":big":{"N":"9.9e125"}}}`)
	b.add(op, "list_append with a non-list", upd(`"UpdateExpression":"SET l = list_append(l, :s)"`, `"ExpressionAttributeValues":{":s":{"S":"x"}}`))
	b.add(op, "unknown function", upd(`"UpdateExpression":"SET n = foo(:v)"`, `"ExpressionAttributeValues":{":v":{"N":"1"}}`))
	b.add(op, "condition function in an update", upd(`"UpdateExpression":"SET n = attribute_exists(s)"`))
	b.add(op, "syntax error", upd(`"UpdateExpression":"SET"`))
	b.add(op, "empty UpdateExpression", upd(`"UpdateExpression":""`))
	b.add(op, "unused ExpressionAttributeValues", upd(`"UpdateExpression":"REMOVE q"`, `"ExpressionAttributeValues":{":v":{"N":"1"}}`))
	b.add(op, "undefined expression attribute value", upd(`"UpdateExpression":"SET n = :nope"`))
	b.add(op, "REMOVE the hash key", upd(`"UpdateExpression":"REMOVE pk"`))
	b.add(op, "SET the hash key", upd(`"UpdateExpression":"SET pk = :v"`, `"ExpressionAttributeValues":{":v":{"S":"other"}}`))
	b.add(op, "ConditionExpression fails", upd(`"UpdateExpression":"SET n = :v"`, `"ConditionExpression":"n = :v"`, `"ExpressionAttributeValues":{":v":{"N":"100"}}`))
	b.add(op, "ConditionExpression fails on a missing item", `{"TableName":"compat_h","Key":{"pk":{"S":"missing"}},"UpdateExpression":"SET n = :v","ConditionExpression":"attribute_exists(pk)","ExpressionAttributeValues":{":v":{"N":"1"}}}`)
	b.add(op, "legacy AttributeUpdates PUT", upd(`"AttributeUpdates":{"lu":{"Action":"PUT","Value":{"S":"v"}}}`, `"ReturnValues":"UPDATED_NEW"`))
	b.add(op, "legacy AttributeUpdates ADD a string", upd(`"AttributeUpdates":{"lu":{"Action":"ADD","Value":{"S":"v"}}}`))
	b.add(op, "legacy AttributeUpdates PUT without Value", upd(`"AttributeUpdates":{"lu":{"Action":"PUT"}}`))
	b.add(op, "AttributeUpdates mixed with UpdateExpression", upd(`"AttributeUpdates":{"lu":{"Action":"PUT","Value":{"S":"v"}}}`, `"UpdateExpression":"REMOVE q"`))
	b.add(op, "Expected mixed with UpdateExpression", upd(`"Expected":{"n":{"Exists":true,"Value":{"N":"1"}}}`, `"UpdateExpression":"REMOVE q"`))
	b.add(op, "Key with an empty string", `{"TableName":"compat_h","Key":{"pk":{"S":""}},"UpdateExpression":"REMOVE q"}`)
	b.add(op, "missing Key", `{"TableName":"compat_h","UpdateExpression":"REMOVE q"}`)
	b.add(op, "Key with an extra attribute", `{"TableName":"compat_h","Key":{"pk":{"S":"u"},"n":{"N":"1"}},"UpdateExpression":"REMOVE q"}`)
	b.add(op, "table does not exist", `{"TableName":"compat_nope","Key":{"pk":{"S":"u"}},"UpdateExpression":"REMOVE q"}`)
	b.add(op, "final state", obj(tableH, `"Key":{"pk":{"S":"u"}}`), withTarget("DynamoDB_20120810.GetItem"))
	b.add(op, "final state of the bare key", obj(tableH, `"Key":{"pk":{"S":"bare"}}`), withTarget("DynamoDB_20120810.GetItem"))
}

func deleteItem(b *corpusBuilder) {
	const op = "DeleteItem"
	b.add(op, "setup item", put(`"pk":{"S":"d"},"n":{"N":"5"}`), withTarget("DynamoDB_20120810.PutItem"), asSetup())
	b.add(op, "ConditionExpression fails", obj(tableH, `"Key":{"pk":{"S":"d"}}`, `"ConditionExpression":"n = :v"`, `"ExpressionAttributeValues":{":v":{"N":"1"}}`))
	b.add(op, "legacy Expected value mismatch", obj(tableH, `"Key":{"pk":{"S":"d"}}`, `"Expected":{"n":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"10"}]}}`))
	b.add(op, "legacy Expected wrong argument count", obj(tableH, `"Key":{"pk":{"S":"d"}}`, `"Expected":{"n":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"N":"10"}]}}`))
	b.add(op, "ReturnValues ALL_NEW", obj(tableH, `"Key":{"pk":{"S":"d-new"}}`, `"ReturnValues":"ALL_NEW"`))
	b.add(op, "ReturnValues UPDATED_OLD", obj(tableH, `"Key":{"pk":{"S":"d-new"}}`, `"ReturnValues":"UPDATED_OLD"`))
	b.add(op, "ReturnValues invalid value", obj(tableH, `"Key":{"pk":{"S":"d-new"}}`, `"ReturnValues":"BOGUS"`))
	b.add(op, "ReturnValues ALL_OLD", obj(tableH, `"Key":{"pk":{"S":"d"}}`, `"ReturnValues":"ALL_OLD"`))
	b.add(op, "item does not exist, ALL_OLD", obj(tableH, `"Key":{"pk":{"S":"d"}}`, `"ReturnValues":"ALL_OLD"`))
	b.add(op, "Key has the wrong type", obj(tableH, `"Key":{"pk":{"B":"AQ=="}}`))
	b.add(op, "Key with an empty string", obj(tableH, `"Key":{"pk":{"S":""}}`))
	b.add(op, "table does not exist", `{"TableName":"compat_nope","Key":{"pk":{"S":"d"}}}`)
	b.add(op, "missing TableName", `{"Key":{"pk":{"S":"d"}}}`)
}

func query(b *corpusBuilder) {
	const op = "Query"
	for i := 1; i <= 5; i++ {
		b.add(op, fmt.Sprintf("setup item sk=%d", i), fmt.Sprintf(`{"TableName":"compat_hr","Item":{"pk":{"S":"q"},"sk":{"N":"%d"},"v":{"N":"%d"},"s":{"S":"s%d"}}}`, i, i*10, i),
			withTarget("DynamoDB_20120810.PutItem"), asSetup())
	}
	b.add(op, "setup S range item", `{"TableName":"compat_hs","Item":{"pk":{"S":"q"},"sk":{"S":"apple"}}}`, withTarget("DynamoDB_20120810.PutItem"), asSetup())
	b.add(op, "setup S range item 2", `{"TableName":"compat_hs","Item":{"pk":{"S":"q"},"sk":{"S":"banana"}}}`, withTarget("DynamoDB_20120810.PutItem"), asSetup())
	b.add(op, "setup GSI item", `{"TableName":"compat_gsi","Item":{"pk":{"S":"g1"},"g":{"S":"red"},"v":{"N":"1"}}}`, withTarget("DynamoDB_20120810.PutItem"), asSetup())

	b.add(op, "hash key only", q(`"KeyConditionExpression":"pk = :p"`, valP))
	b.add(op, "BETWEEN on the sort key", q(`"KeyConditionExpression":"pk = :p AND sk BETWEEN :a AND :b"`, `"ExpressionAttributeValues":{":p":{"S":"q"},":a":{"N":"2"},":b":{"N":"4"}}`))
	b.add(op, "ScanIndexForward false", q(`"KeyConditionExpression":"pk = :p"`, valP, `"ScanIndexForward":false`))
	b.add(op, "Limit 2", q(`"KeyConditionExpression":"pk = :p"`, valP, `"Limit":2`))
	b.add(op, "ExclusiveStartKey", q(`"KeyConditionExpression":"pk = :p"`, valP, `"ExclusiveStartKey":{"pk":{"S":"q"},"sk":{"N":"2"}}`))
	b.add(op, "Select COUNT", q(`"KeyConditionExpression":"pk = :p"`, valP, `"Select":"COUNT"`))
	b.add(op, "FilterExpression", q(`"KeyConditionExpression":"pk = :p"`, `"FilterExpression":"v > :v"`, `"ExpressionAttributeValues":{":p":{"S":"q"},":v":{"N":"25"}}`))
	b.add(op, "ProjectionExpression", q(`"KeyConditionExpression":"pk = :p"`, valP, `"ProjectionExpression":"s"`))
	b.add(op, "begins_with on a string sort key", `{"TableName":"compat_hs","KeyConditionExpression":"pk = :p AND begins_with(sk, :b)","ExpressionAttributeValues":{":p":{"S":"q"},":b":{"S":"ban"}}}`)
	b.add(op, "legacy KeyConditions", q(`"KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"q"}]},"sk":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"3"}]}}`))
	b.add(op, "legacy QueryFilter", q(`"KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"q"}]}}`, `"QueryFilter":{"v":{"ComparisonOperator":"LT","AttributeValueList":[{"N":"30"}]}}`))
	b.add(op, "query a GSI", `{"TableName":"compat_gsi","IndexName":"by_g","KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":"red"}}}`)

	b.add(op, "Limit 0", q(`"KeyConditionExpression":"pk = :p"`, valP, `"Limit":0`))
	b.add(op, "Limit -1", q(`"KeyConditionExpression":"pk = :p"`, valP, `"Limit":-1`))
	b.add(op, "Select invalid value", q(`"KeyConditionExpression":"pk = :p"`, valP, `"Select":"SOME"`))
	b.add(op, "Select SPECIFIC_ATTRIBUTES without a projection", q(`"KeyConditionExpression":"pk = :p"`, valP, `"Select":"SPECIFIC_ATTRIBUTES"`))
	b.add(op, "Select ALL_ATTRIBUTES with a projection", q(`"KeyConditionExpression":"pk = :p"`, valP, `"Select":"ALL_ATTRIBUTES"`, `"ProjectionExpression":"s"`))
	b.add(op, "Select ALL_PROJECTED_ATTRIBUTES without an index", q(`"KeyConditionExpression":"pk = :p"`, valP, `"Select":"ALL_PROJECTED_ATTRIBUTES"`))
	b.add(op, "Select COUNT with a projection", q(`"KeyConditionExpression":"pk = :p"`, valP, `"Select":"COUNT"`, `"ProjectionExpression":"s"`))
	b.add(op, "ScanIndexForward is a string", q(`"KeyConditionExpression":"pk = :p"`, valP, `"ScanIndexForward":"backwards"`))
	b.add(op, "missing key condition", q(`"Limit":1`))
	b.add(op, "Limit with a FilterExpression", q(`"KeyConditionExpression":"pk = :p"`, `"FilterExpression":"v > :v"`, `"ExpressionAttributeValues":{":p":{"S":"q"},":v":{"N":"15"}}`, `"Limit":2`))
	b.add(op, "condition on a non-key attribute", q(`"KeyConditionExpression":"pk = :p AND v = :v"`, `"ExpressionAttributeValues":{":p":{"S":"q"},":v":{"N":"10"}}`))
	b.add(op, "condition on the sort key only", q(`"KeyConditionExpression":"sk = :s"`, `"ExpressionAttributeValues":{":s":{"N":"1"}}`))
	b.add(op, "OR in the key condition", q(`"KeyConditionExpression":"pk = :p OR sk = :s"`, `"ExpressionAttributeValues":{":p":{"S":"q"},":s":{"N":"1"}}`))
	b.add(op, "<> in the key condition", q(`"KeyConditionExpression":"pk <> :p"`, valP))
	b.add(op, "NOT in the key condition", q(`"KeyConditionExpression":"NOT pk = :p"`, valP))
	b.add(op, "IN in the key condition", q(`"KeyConditionExpression":"pk IN (:p)"`, valP))
	b.add(op, "two conditions on the hash key", q(`"KeyConditionExpression":"pk = :p AND pk = :p"`, valP))
	b.add(op, "hash key compared with a range operator", q(`"KeyConditionExpression":"pk > :p"`, valP))
	b.add(op, "BETWEEN low above high", q(`"KeyConditionExpression":"pk = :p AND sk BETWEEN :b AND :a"`, `"ExpressionAttributeValues":{":p":{"S":"q"},":a":{"N":"2"},":b":{"N":"4"}}`))
	b.add(op, "BETWEEN low above high on strings", `{"TableName":"compat_hs","KeyConditionExpression":"pk = :p AND sk BETWEEN :b AND :a","ExpressionAttributeValues":{":p":{"S":"q"},":a":{"S":"a"},":b":{"S":"b"}}}`)
	b.add(op, "begins_with on a number sort key", q(`"KeyConditionExpression":"pk = :p AND begins_with(sk, :s)"`, `"ExpressionAttributeValues":{":p":{"S":"q"},":s":{"N":"1"}}`))
	b.add(op, "begins_with with a number operand on a string key", `{"TableName":"compat_hs","KeyConditionExpression":"pk = :p AND begins_with(sk, :s)","ExpressionAttributeValues":{":p":{"S":"q"},":s":{"N":"1"}}}`)
	b.add(op, "hash key value has the wrong type", q(`"KeyConditionExpression":"pk = :p"`, `"ExpressionAttributeValues":{":p":{"N":"1"}}`))
	b.add(op, "sort key value has the wrong type", q(`"KeyConditionExpression":"pk = :p AND sk = :s"`, `"ExpressionAttributeValues":{":p":{"S":"q"},":s":{"S":"1"}}`))
	b.add(op, "nested attribute in the key condition", q(`"KeyConditionExpression":"pk.x = :p"`, valP))
	b.add(op, "attribute compared with an attribute", q(`"KeyConditionExpression":"pk = sk"`))
	b.add(op, "size() in the key condition", q(`"KeyConditionExpression":"size(pk) = :n"`, `"ExpressionAttributeValues":{":n":{"N":"1"}}`))
	b.add(op, "reserved word in the key condition", `{"TableName":"compat_hr","KeyConditionExpression":"pk = :p AND size = :s","ExpressionAttributeValues":{":p":{"S":"q"},":s":{"N":"1"}}}`)
	b.add(op, "KeyConditions mixed with KeyConditionExpression", q(`"KeyConditionExpression":"pk = :p"`, valP, `"KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"q"}]}}`))
	b.add(op, "QueryFilter mixed with FilterExpression", q(`"KeyConditionExpression":"pk = :p"`, `"FilterExpression":"v > :p"`, valP, `"QueryFilter":{"v":{"ComparisonOperator":"NOT_NULL"}}`))
	b.add(op, "legacy KeyConditions without the hash key", q(`"KeyConditions":{"sk":{"ComparisonOperator":"EQ","AttributeValueList":[{"N":"1"}]}}`))
	b.add(op, "legacy KeyConditions with an invalid operator for keys", q(`"KeyConditions":{"pk":{"ComparisonOperator":"NE","AttributeValueList":[{"S":"q"}]}}`))
	b.add(op, "FilterExpression on a key attribute", q(`"KeyConditionExpression":"pk = :p"`, `"FilterExpression":"sk > :s"`, `"ExpressionAttributeValues":{":p":{"S":"q"},":s":{"N":"1"}}`))
	b.add(op, "ExclusiveStartKey missing the range key", q(`"KeyConditionExpression":"pk = :p"`, valP, `"ExclusiveStartKey":{"pk":{"S":"q"}}`))
	b.add(op, "ExclusiveStartKey with the wrong type", q(`"KeyConditionExpression":"pk = :p"`, valP, `"ExclusiveStartKey":{"pk":{"S":"q"},"sk":{"S":"2"}}`))
	b.add(op, "ExclusiveStartKey outside the key condition", q(`"KeyConditionExpression":"pk = :p"`, valP, `"ExclusiveStartKey":{"pk":{"S":"other"},"sk":{"N":"2"}}`))
	b.add(op, "ExclusiveStartKey with an invalid number", q(`"KeyConditionExpression":"pk = :p"`, valP, `"ExclusiveStartKey":{"pk":{"S":"q"},"sk":{"N":"x"}}`))
	b.add(op, "IndexName does not exist", q(`"IndexName":"nope_idx"`, `"KeyConditionExpression":"pk = :p"`, valP))
	b.add(op, "ConsistentRead on a GSI", `{"TableName":"compat_gsi","IndexName":"by_g","ConsistentRead":true,"KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":"red"}}}`)
	b.add(op, "GSI query on the table's key", `{"TableName":"compat_gsi","IndexName":"by_g","KeyConditionExpression":"pk = :g","ExpressionAttributeValues":{":g":{"S":"g1"}}}`)
	b.add(op, "table does not exist", `{"TableName":"compat_nope","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"q"}}}`)
	b.add(op, "unused ExpressionAttributeValues", q(`"KeyConditionExpression":"pk = :p"`, `"ExpressionAttributeValues":{":p":{"S":"q"},":x":{"S":"q"}}`))
}

func scan(b *corpusBuilder) {
	const op = "Scan"
	b.add(op, "whole table", obj(tableHR))
	b.add(op, "Select COUNT", obj(tableHR, `"Select":"COUNT"`))
	b.add(op, "Limit 2", obj(tableHR, `"Limit":2`))
	b.add(op, "FilterExpression", obj(tableHR, `"FilterExpression":"v >= :v"`, `"ExpressionAttributeValues":{":v":{"N":"30"}}`))
	b.add(op, "FilterExpression size() on a number", obj(tableHR, `"FilterExpression":"size(v) > :z"`, `"ExpressionAttributeValues":{":z":{"N":"0"}}`))
	b.add(op, "FilterExpression on key attributes", obj(tableHR, `"FilterExpression":"sk > :s"`, `"ExpressionAttributeValues":{":s":{"N":"3"}}`))
	b.add(op, "legacy ScanFilter", obj(tableHR, `"ScanFilter":{"v":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"N":"20"},{"N":"40"}]}}`))
	b.add(op, "legacy ScanFilter with the wrong argument count", obj(tableHR, `"ScanFilter":{"v":{"ComparisonOperator":"EQ","AttributeValueList":[]}}`))
	b.add(op, "legacy ScanFilter BEGINS_WITH a number", obj(tableHR, `"ScanFilter":{"v":{"ComparisonOperator":"BEGINS_WITH","AttributeValueList":[{"N":"1"}]}}`))
	b.add(op, "ScanFilter mixed with FilterExpression", obj(tableHR, `"ScanFilter":{"v":{"ComparisonOperator":"NOT_NULL"}}`, `"FilterExpression":"attribute_exists(v)"`))
	b.add(op, "AttributesToGet mixed with ProjectionExpression", obj(tableHR, `"AttributesToGet":["v"]`, `"ProjectionExpression":"v"`))
	b.add(op, "Segment 0 of 2", obj(tableHS, `"Segment":0`, `"TotalSegments":2`))
	b.add(op, "Segment without TotalSegments", obj(tableHR, `"Segment":1`))
	b.add(op, "TotalSegments without Segment", obj(tableHR, `"TotalSegments":2`))
	b.add(op, "Segment equal to TotalSegments", obj(tableHR, `"Segment":2`, `"TotalSegments":2`))
	b.add(op, "TotalSegments 0", obj(tableHR, `"Segment":0`, `"TotalSegments":0`))
	b.add(op, "TotalSegments 1000001", obj(tableHR, `"Segment":0`, `"TotalSegments":1000001`))
	b.add(op, "Limit 0", obj(tableHR, `"Limit":0`))
	b.add(op, "Select invalid value", obj(tableHR, `"Select":"EVERYTHING"`))
	b.add(op, "FilterExpression syntax error", obj(tableHR, `"FilterExpression":"v >"`))
	b.add(op, "FilterExpression with an unknown function", obj(tableHR, `"FilterExpression":"startswith(s, :v)"`, `"ExpressionAttributeValues":{":v":{"S":"s"}}`))
	b.add(op, "ExclusiveStartKey wrong shape", obj(tableHR, `"ExclusiveStartKey":{"pk":{"S":"q"}}`))
	b.add(op, "ExclusiveStartKey empty string", obj(tableH, `"ExclusiveStartKey":{"pk":{"S":""}}`))
	b.add(op, "scan a GSI", `{"TableName":"compat_gsi","IndexName":"by_g"}`)
	b.add(op, "ConsistentRead on a GSI", `{"TableName":"compat_gsi","IndexName":"by_g","ConsistentRead":true}`)
	b.add(op, "table does not exist", `{"TableName":"compat_nope"}`)
	b.add(op, "missing TableName", `{}`)
}

func batch(b *corpusBuilder) {
	const gop = "BatchGetItem"
	b.add(gop, "two tables", `{"RequestItems":{"compat_h":{"Keys":[{"pk":{"S":"a"}},{"pk":{"S":"nope"}}]},"compat_hr":{"Keys":[{"pk":{"S":"q"},"sk":{"N":"1"}},{"pk":{"S":"q"},"sk":{"N":"2"}}],"ProjectionExpression":"v"}}}`)
	b.add(gop, "legacy AttributesToGet", `{"RequestItems":{"compat_hr":{"Keys":[{"pk":{"S":"q"},"sk":{"N":"1"}}],"AttributesToGet":["s"]}}}`)
	b.add(gop, "missing RequestItems", `{}`)
	b.add(gop, "empty RequestItems", `{"RequestItems":{}}`)
	b.add(gop, "empty Keys", `{"RequestItems":{"compat_h":{"Keys":[]}}}`)
	b.add(gop, "101 keys", `{"RequestItems":{"compat_h":{"Keys":[`+keys(101, "%s")+`]}}}`)
	b.add(gop, "100 keys", `{"RequestItems":{"compat_h":{"Keys":[`+keys(100, "%s")+`]}}}`)
	b.add(gop, "duplicate keys", `{"RequestItems":{"compat_h":{"Keys":[{"pk":{"S":"a"}},{"pk":{"S":"a"}}]}}}`)
	b.add(gop, "table does not exist", `{"RequestItems":{"compat_nope":{"Keys":[{"pk":{"S":"a"}}]}}}`)
	b.add(gop, "key with the wrong schema", `{"RequestItems":{"compat_h":{"Keys":[{"id":{"S":"a"}}]}}}`)
	b.add(gop, "key with an empty string", `{"RequestItems":{"compat_h":{"Keys":[{"pk":{"S":""}}]}}}`)
	b.add(gop, "AttributesToGet mixed with ProjectionExpression", `{"RequestItems":{"compat_h":{"Keys":[{"pk":{"S":"a"}}],"AttributesToGet":["s"],"ProjectionExpression":"s"}}}`)
	b.add(gop, "ProjectionExpression with a reserved word", `{"RequestItems":{"compat_h":{"Keys":[{"pk":{"S":"a"}}],"ProjectionExpression":"status"}}}`)
	b.add(gop, "table name too short", `{"RequestItems":{"ab":{"Keys":[{"pk":{"S":"a"}}]}}}`)

	const wop = "BatchWriteItem"
	b.add(wop, "puts and a delete", `{"RequestItems":{"compat_h":[{"PutRequest":{"Item":{"pk":{"S":"bw1"},"v":{"N":"1"}}}},{"PutRequest":{"Item":{"pk":{"S":"bw2"}}}},{"DeleteRequest":{"Key":{"pk":{"S":"bare"}}}}]}}`)
	b.add(wop, "result of the batch", `{"RequestItems":{"compat_h":{"Keys":[{"pk":{"S":"bw1"}},{"pk":{"S":"bw2"}},{"pk":{"S":"bare"}}]}}}`, withTarget("DynamoDB_20120810.BatchGetItem"))
	b.add(wop, "missing RequestItems", `{}`)
	b.add(wop, "empty RequestItems", `{"RequestItems":{}}`)
	b.add(wop, "empty list of requests", `{"RequestItems":{"compat_h":[]}}`)
	b.add(wop, "26 requests", `{"RequestItems":{"compat_h":[`+keys(26, `{"PutRequest":{"Item":%s}}`)+`]}}`)
	b.add(wop, "25 requests", `{"RequestItems":{"compat_h":[`+keys(25, `{"PutRequest":{"Item":%s}}`)+`]}}`)
	b.add(wop, "duplicate put keys", `{"RequestItems":{"compat_h":[{"PutRequest":{"Item":{"pk":{"S":"dup"}}}},{"PutRequest":{"Item":{"pk":{"S":"dup"},"v":{"N":"1"}}}}]}}`)
	b.add(wop, "put and delete of the same key", `{"RequestItems":{"compat_h":[{"PutRequest":{"Item":{"pk":{"S":"dup"}}}},{"DeleteRequest":{"Key":{"pk":{"S":"dup"}}}}]}}`)
	b.add(wop, "request with both Put and Delete", `{"RequestItems":{"compat_h":[{"PutRequest":{"Item":{"pk":{"S":"x1"}}},"DeleteRequest":{"Key":{"pk":{"S":"x2"}}}}]}}`)
	b.add(wop, "empty request", `{"RequestItems":{"compat_h":[{}]}}`)
	b.add(wop, "put missing the key", `{"RequestItems":{"compat_h":[{"PutRequest":{"Item":{"v":{"N":"1"}}}}]}}`)
	b.add(wop, "delete with an extra key attribute", `{"RequestItems":{"compat_h":[{"DeleteRequest":{"Key":{"pk":{"S":"a"},"v":{"N":"1"}}}}]}}`)
	b.add(wop, "put with an empty string key", `{"RequestItems":{"compat_h":[{"PutRequest":{"Item":{"pk":{"S":""}}}}]}}`)
	b.add(wop, "put with an invalid number", `{"RequestItems":{"compat_h":[{"PutRequest":{"Item":{"pk":{"S":"bw3"},"n":{"N":"1e126"}}}}]}}`)
	b.add(wop, "put over 400 KB", `{"RequestItems":{"compat_h":[{"PutRequest":{"Item":{"pk":{"S":"bw4"},"d":{"S":"`+strings.Repeat("x", maxItem)+`"}}}}]}}`)
	b.add(wop, "table does not exist", `{"RequestItems":{"compat_nope":[{"PutRequest":{"Item":{"pk":{"S":"a"}}}}]}}`)
}

func transactions(b *corpusBuilder) {
	const op = "TransactWriteItems"
	b.add(op, "put, update and condition check", `{"TransactItems":[`+
		`{"Put":{"TableName":"compat_tx","Item":{"pk":{"S":"t1"},"n":{"N":"1"}}}},`+
		`{"Update":{"TableName":"compat_tx","Key":{"pk":{"S":"t2"}},"UpdateExpression":"SET n = :v","ExpressionAttributeValues":{":v":{"N":"2"}}}},`+
		`{"ConditionCheck":{"TableName":"compat_h","Key":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(pk)"}}]}`,
		documented(200, "", ""))
	b.add(op, "condition check fails", `{"TransactItems":[`+
		`{"Put":{"TableName":"compat_tx","Item":{"pk":{"S":"t3"}}}},`+
		`{"ConditionCheck":{"TableName":"compat_tx","Key":{"pk":{"S":"t1"}},"ConditionExpression":"n = :v","ExpressionAttributeValues":{":v":{"N":"9"}}}}]}`,
		documented(400, "TransactionCanceledException", "[None, ConditionalCheckFailed]"))
	b.add(op, "two operations on one item", `{"TransactItems":[`+
		`{"Put":{"TableName":"compat_tx","Item":{"pk":{"S":"t1"}}}},`+
		`{"Delete":{"TableName":"compat_tx","Key":{"pk":{"S":"t1"}}}}]}`,
		documented(400, "ValidationException", "multiple operations on one item"))
	b.add(op, "empty TransactItems", `{"TransactItems":[]}`, documented(400, "ValidationException", ""))
	b.add(op, "missing TransactItems", `{}`, documented(400, "ValidationException", ""))
	b.add(op, "101 actions", `{"TransactItems":[`+keys(101, `{"Put":{"TableName":"compat_tx","Item":%s}}`)+`]}`, documented(400, "ValidationException", ""))
	b.add(op, "action with both Put and Delete", `{"TransactItems":[{"Put":{"TableName":"compat_tx","Item":{"pk":{"S":"t4"}}},"Delete":{"TableName":"compat_tx","Key":{"pk":{"S":"t5"}}}}]}`,
		documented(400, "ValidationException", ""))
	b.add(op, "empty action", `{"TransactItems":[{}]}`, documented(400, "ValidationException", ""))
	b.add(op, "table does not exist", `{"TransactItems":[{"Put":{"TableName":"compat_nope","Item":{"pk":{"S":"t1"}}}}]}`, documented(400, "ResourceNotFoundException", ""))
	b.add(op, "put missing the key", `{"TransactItems":[{"Put":{"TableName":"compat_tx","Item":{"n":{"N":"1"}}}}]}`, documented(400, "ValidationException", ""))
	b.add(op, "invalid UpdateExpression", `{"TransactItems":[{"Update":{"TableName":"compat_tx","Key":{"pk":{"S":"t1"}},"UpdateExpression":"SET"}}]}`, documented(400, "ValidationException", ""))
	b.add(op, "ReturnValuesOnConditionCheckFailure invalid", `{"TransactItems":[{"Put":{"TableName":"compat_tx","Item":{"pk":{"S":"t6"}},"ReturnValuesOnConditionCheckFailure":"ALL_NEW"}}]}`,
		documented(400, "ValidationException", ""))
	b.add(op, "ClientRequestToken over 36 characters", `{"ClientRequestToken":"`+strings.Repeat("c", 37)+`","TransactItems":[{"Put":{"TableName":"compat_tx","Item":{"pk":{"S":"t7"}}}}]}`,
		documented(400, "ValidationException", ""))

	const gop = "TransactGetItems"
	b.add(gop, "two items", `{"TransactItems":[{"Get":{"TableName":"compat_tx","Key":{"pk":{"S":"t1"}}}},{"Get":{"TableName":"compat_tx","Key":{"pk":{"S":"t2"}},"ProjectionExpression":"n"}}]}`,
		documented(200, "", ""))
	b.add(gop, "empty TransactItems", `{"TransactItems":[]}`, documented(400, "ValidationException", ""))
	// A Get whose key does not fit the schema cancels the transaction, as
	// real DynamoDB does for Key {} (paritysuite transactGetItems.test.ts).
	b.add(gop, "key with the wrong schema", `{"TransactItems":[{"Get":{"TableName":"compat_tx","Key":{"id":{"S":"t1"}}}}]}`,
		documented(400, "TransactionCanceledException", "[ValidationError]"))
	b.add(gop, "table does not exist", `{"TransactItems":[{"Get":{"TableName":"compat_nope","Key":{"pk":{"S":"t1"}}}}]}`, documented(400, "ResourceNotFoundException", ""))
	b.add(gop, "101 gets", `{"TransactItems":[`+keys(101, `{"Get":{"TableName":"compat_tx","Key":%s}}`)+`]}`, documented(400, "ValidationException", ""))
}

func tagsAndTTL(b *corpusBuilder) {
	const op = "TagResource"
	b.add(op, "two tags", `{"ResourceArn":"{{ARN:compat_h}}","Tags":[{"Key":"env","Value":"test"},{"Key":"team","Value":"db"}]}`)
	b.add(op, "missing Tags", `{"ResourceArn":"{{ARN:compat_h}}"}`)
	b.add(op, "empty Tags", `{"ResourceArn":"{{ARN:compat_h}}","Tags":[]}`)
	b.add(op, "missing ResourceArn", `{"Tags":[{"Key":"env","Value":"test"}]}`)
	b.add(op, "ResourceArn not an ARN", `{"ResourceArn":"compat_h","Tags":[{"Key":"env","Value":"test"}]}`)
	b.add(op, "ResourceArn of a table that does not exist", `{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/compat_nope","Tags":[{"Key":"env","Value":"test"}]}`)
	const lop = "ListTagsOfResource"
	b.add(lop, "tagged table", `{"ResourceArn":"{{ARN:compat_h}}"}`)
	b.add(lop, "untagged table", `{"ResourceArn":"{{ARN:compat_hr}}"}`)
	b.add(lop, "missing ResourceArn", `{}`)
	b.add(lop, "ResourceArn not an ARN", `{"ResourceArn":"compat_h"}`)
	b.add(lop, "ResourceArn of a table that does not exist", `{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/compat_nope"}`)
	const uop = "UntagResource"
	b.add(uop, "one tag", `{"ResourceArn":"{{ARN:compat_h}}","TagKeys":["team"]}`)
	b.add(uop, "missing TagKeys", `{"ResourceArn":"{{ARN:compat_h}}"}`)
	b.add(uop, "tags after untagging", `{"ResourceArn":"{{ARN:compat_h}}"}`, withTarget("DynamoDB_20120810.ListTagsOfResource"))

	const dop = "DescribeTimeToLive"
	b.add(dop, "TTL never set", `{"TableName":"compat_h"}`)
	b.add(dop, "table does not exist", `{"TableName":"compat_nope"}`)
	b.add(dop, "missing TableName", `{}`)
	b.add(dop, "TableName too short", `{"TableName":"ab"}`)

	const top = "UpdateTimeToLive"
	b.add(top, "enable", `{"TableName":"compat_ttl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}`,
		documented(200, "", ""))
	b.add(top, "describe after enabling", `{"TableName":"compat_ttl"}`, withTarget("DynamoDB_20120810.DescribeTimeToLive"),
		documented(200, "", ""))
	b.add(top, "enable again", `{"TableName":"compat_ttl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}`,
		documented(400, "ValidationException", "TimeToLive is already enabled"))
	b.add(top, "missing TimeToLiveSpecification", `{"TableName":"compat_ttl"}`, documented(400, "ValidationException", ""))
	b.add(top, "empty AttributeName", `{"TableName":"compat_ttl","TimeToLiveSpecification":{"Enabled":false,"AttributeName":""}}`, documented(400, "ValidationException", ""))
	b.add(top, "table does not exist", `{"TableName":"compat_nope","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}`,
		documented(400, "ResourceNotFoundException", ""))
}

func tableLifecycle(b *corpusBuilder) {
	const op = "UpdateTable"
	b.add(op, "raise ProvisionedThroughput", `{"TableName":"compat_upd","ProvisionedThroughput":{"ReadCapacityUnits":10,"WriteCapacityUnits":10}}`, settleOn(tUPD))
	b.add(op, "describe after raising", `{"TableName":"compat_upd"}`, withTarget("DynamoDB_20120810.DescribeTable"))
	b.add(op, "same ProvisionedThroughput", `{"TableName":"compat_upd","ProvisionedThroughput":{"ReadCapacityUnits":10,"WriteCapacityUnits":10}}`, settleOn(tUPD))
	b.add(op, "nothing to update", `{"TableName":"compat_upd"}`)
	b.add(op, "ReadCapacityUnits 0", `{"TableName":"compat_upd","ProvisionedThroughput":{"ReadCapacityUnits":0,"WriteCapacityUnits":10}}`)
	b.add(op, "BillingMode PROVISIONED without throughput", `{"TableName":"compat_gsi","BillingMode":"PROVISIONED"}`)
	b.add(op, "invalid BillingMode", `{"TableName":"compat_upd","BillingMode":"FREE"}`)
	b.add(op, "delete an index that does not exist", `{"TableName":"compat_upd","GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"nope_idx"}}]}`)
	b.add(op, "empty GlobalSecondaryIndexUpdate", `{"TableName":"compat_upd","GlobalSecondaryIndexUpdates":[{}]}`)
	b.add(op, "table does not exist", `{"TableName":"compat_nope","ProvisionedThroughput":{"ReadCapacityUnits":10,"WriteCapacityUnits":10}}`)
	b.add(op, "missing TableName", `{"ProvisionedThroughput":{"ReadCapacityUnits":10,"WriteCapacityUnits":10}}`)
	b.add(op, "switch to PAY_PER_REQUEST", `{"TableName":"compat_upd","BillingMode":"PAY_PER_REQUEST"}`, settleOn(tUPD))
	b.add(op, "describe after switching", `{"TableName":"compat_upd"}`, withTarget("DynamoDB_20120810.DescribeTable"))

	const dop = "DeleteTable"
	b.add(dop, "create a table to delete", hashTable(tDEL), withTarget("DynamoDB_20120810.CreateTable"), settleOn(tDEL), asSetup())
	b.add(dop, "existing table", `{"TableName":"compat_del"}`, settleOn(tDEL))
	b.add(dop, "describe the deleted table", `{"TableName":"compat_del"}`, withTarget("DynamoDB_20120810.DescribeTable"))
	b.add(dop, "table does not exist", `{"TableName":"compat_del"}`)
	b.add(dop, "missing TableName", `{}`)
	b.add(dop, "TableName too short", `{"TableName":"ab"}`)
	b.add(dop, "TableName with invalid characters", `{"TableName":"bad name!"}`)
	b.add(dop, "tables left", `{}`, withTarget("DynamoDB_20120810.ListTables"))
}
