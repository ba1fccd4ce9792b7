package main

import (
	"fmt"
	"strings"
)

// The conformance corpus: real DynamoDB answers pinned by two public
// conformance suites that run against the real service,
// paritysuite/dynamodb-conformance (tests/tier1, tests/tier3) and
// nubo-db/dynamodb-conformance (captures/*.json and tests/), translated into
// cases. Like cases_reported.go, every case checks Concord's answer against
// the real answer (documented(...): dynalite is not asked), and its comment
// cites the file and the test name. Where a suite accepts either of two
// regional answers, the case checks only what both share. Case names start
// with "conformance: " (go run ./test/compat -run conformance: runs only
// these, with the setup cases). PartiQL and vector search are left out:
// Concord does not implement them.
const (
	tCH  = "compat_conf_h"  // HASH pk S (the suites' hashTableDef)
	tCB  = "compat_conf_hb" // HASH pk B (hashBTableDef)
	tCN  = "compat_conf_n"  // HASH pk N (hashNTableDef)
	tCSS = "compat_conf_ss" // HASH pk S, RANGE sk S (compositeTableDef)
	tCSN = "compat_conf_sn" // HASH pk S, RANGE sk N (compositeNTableDef)
	tCI  = "compat_conf_ix" // HASH pk S, RANGE sk S, LSI lsi1 and GSI gsi1 on lsi1sk (compositeIndexedTableDef)
	// tCX is a table no case creates (the suites' absentTableName).
	tCX = "compat_conf_absent"
)

// confPrefix starts every conformance case name.
const confPrefix = "conformance: "

// confOne is the envelope real DynamoDB puts around a single validation
// error on the operations that run its newer validation layer.
const confOne = "1 validation error detected: "

// confBuilder adds conformance cases: the names get confPrefix.
type confBuilder struct{ b *corpusBuilder }

func (c confBuilder) add(op, name, body string, opts ...opt) {
	c.b.add(op, confPrefix+name, body, opts...)
}

// seed puts item into table on both servers (a setup case, grouped under op).
func (c confBuilder) seed(op, name, table, item string) {
	c.add(op, "seed "+name, on(table, `"Item":`+item), withTarget("DynamoDB_20120810.PutItem"), asSetup(),
		func(tc *testCase) { tc.bodyIgnored = true })
}

// confDeep is a string leaf wrapped in depth single-key maps.
func confDeep(depth int) string {
	v := `{"S":"leaf"}`
	for range depth {
		v = `{"M":{"n":` + v + `}}`
	}
	return v
}

// confTx is a TransactWriteItems or TransactGetItems body.
func confTx(items ...string) string { return `{"TransactItems":[` + strings.Join(items, ",") + `]}` }

// confCanceled is a TransactionCanceledException with these reasons.
func confCanceled(reasons string) opt {
	return realAnswer(400, tce, "Transaction cancelled, please refer cancellation reasons for specific reasons ["+reasons+"]")
}

func conformance(b *corpusBuilder) {
	c := confBuilder{b}
	confTables(c)
	confBatchGet(c)
	confBatchWrite(c)
	confDeleteItem(c)
	confPutItem(c)
	confUpdateItemErrors(c)
	confGetItemAndQuery(c)
	confTransactions(c)
	confValueLayers(c)
	confOrdering(c)
	confLimits(c)
	confUpdateSemantics(c)
	confConditionalChecks(c)
}

func confTables(c confBuilder) {
	const op = "CreateTable"
	create := func(name, body string) {
		c.add(op, "table "+name, body, asSetup(), settleOn(name), func(tc *testCase) { tc.bodyIgnored = true })
	}
	create(tCH, hashTable(tCH))
	create(tCB, `{"TableName":"`+tCB+`","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"B"}],`+keyPK+`,`+pt+`}`)
	create(tCN, `{"TableName":"`+tCN+`","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"N"}],`+keyPK+`,`+pt+`}`)
	for _, t := range []struct{ name, typ string }{{tCSS, "S"}, {tCSN, "N"}} {
		create(t.name, `{"TableName":"`+t.name+`","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"`+t.typ+`"}],`+
			`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],`+pt+`}`)
	}
	create(tCI, `{"TableName":"`+tCI+`","BillingMode":"PAY_PER_REQUEST",`+
		`"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},{"AttributeName":"lsi1sk","AttributeType":"S"}],`+
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],`+
		`"LocalSecondaryIndexes":[{"IndexName":"lsi1","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"lsi1sk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}],`+
		`"GlobalSecondaryIndexes":[{"IndexName":"gsi1","KeySchema":[{"AttributeName":"lsi1sk","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}`)
}

const (
	confSchema   = "The provided key element does not match the schema"
	confEmptyS   = "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"
	confEmptyB   = "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: pk"
	confInvalid  = "One or more parameter values were invalid: "
	confNotFound = "Requested resource not found"
	confBadName  = "failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 255, " +
		"Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]"
	confOverlap = "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; "
	confRCC     = "Value 'BOGUS' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"
	confRICM    = "Value 'BOGUS2' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]"
	confNest    = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
	confSize    = "Expression size has exceeded the maximum allowed size"
)

func confBatchGet(c confBuilder) {
	const op = "BatchGetItem"
	bg := func(entries ...string) string { return `{"RequestItems":{` + strings.Join(entries, ",") + `}}` }
	keysOf := func(n int) string {
		ks := make([]string, n)
		for i := range ks {
			ks[i] = fmt.Sprintf(`{"pk":{"S":"bg-%d"}}`, i)
		}
		return strings.Join(ks, ",")
	}
	// paritysuite batchGetItem.test.ts, "> 100 keys across all tables:
	// interpolated full error". https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/error-messages/batchGetItem.test.ts
	c.add(op, "101 keys: the member path", bg(`"`+tCH+`":{"Keys":[`+keysOf(101)+`]}`),
		realAnswer(400, vex, confOne+"Value at 'RequestItems."+tCH+".member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100"))
	// "empty-binary lookup key: full empty-value message"
	c.add(op, "empty-binary key", bg(`"`+tCB+`":{"Keys":[{"pk":{"B":""}}]}`), realAnswer(400, vex, confEmptyB))
	// "mixing ProjectionExpression on one table and AttributesToGet on
	// another is rejected" (no message pinned)
	c.add(op, "ProjectionExpression on one table, AttributesToGet on another",
		bg(`"`+tCH+`":{"Keys":[{"pk":{"S":"bg-mix-a"}}],"ProjectionExpression":"pk"}`, `"`+tCSS+`":{"Keys":[{"pk":{"S":"bg-mix-b"},"sk":{"S":"z"}}],"AttributesToGet":["pk"]}`),
		realAnswer(400, vex, ""))
	// "malformed table name: full map-keys constraint message" (us-east-1
	// and eu-west-2, 2026-10-09)
	c.add(op, "malformed table name", bg(`"bad!name":{"Keys":[{"pk":{"S":"a"}}]}`),
		realAnswer(400, vex, confOne+`Value '{"bad!name":{"Keys":[{"pk":{"S":"a"}}]}}' at 'requestItems' `+confBadName))
	// "empty Keys list: full minimum-length message"
	c.add(op, "empty Keys: the member path", bg(`"`+tCH+`":{"Keys":[]}`),
		realAnswer(400, vex, confOne+"Value at 'RequestItems."+tCH+".member.Keys' failed to satisfy constraint: Member must have length greater than or equal to 1"))
	// "BatchGetItem — ProjectionExpression rejection messages"
	proj := func(expr, extra string) string {
		return bg(`"` + tCH + `":{"Keys":[{"pk":{"S":"em-bg-proj"}}],"ProjectionExpression":` + jstr(expr) + extra + `}`)
	}
	c.add(op, "ProjectionExpression a, a", proj("a, a", ""), realAnswer(400, vex, confOverlap+"path one: [a], path two: [a]"))
	c.add(op, "ProjectionExpression #a, #b naming one attribute", proj("#a, #b", `,"ExpressionAttributeNames":{"#a":"a","#b":"a"}`),
		realAnswer(400, vex, confOverlap+"path one: [a], path two: [a]"))
	c.add(op, "ProjectionExpression a, a.b", proj("a, a.b", ""), realAnswer(400, vex, confOverlap+"path one: [a], path two: [a, b]"))
	c.add(op, "a bad projection on one table beside a clean one",
		bg(`"`+tCH+`":{"Keys":[{"pk":{"S":"em-bg-proj-bad"}}],"ProjectionExpression":"a, a"}`, `"`+tCSS+`":{"Keys":[{"pk":{"S":"em-bg-proj-clean"},"sk":{"S":"z"}}],"ProjectionExpression":"a"}`),
		realAnswer(400, vex, confOverlap+"path one: [a], path two: [a]"))
}

func confBatchWrite(c confBuilder) {
	const op = "BatchWriteItem"
	bw := func(table string, reqs ...string) string {
		return `{"RequestItems":{"` + table + `":[` + strings.Join(reqs, ",") + `]}}`
	}
	putReq := func(item string) string { return `{"PutRequest":{"Item":` + item + `}}` }
	delReq := func(key string) string { return `{"DeleteRequest":{"Key":` + key + `}}` }
	// paritysuite batchWriteItem.test.ts (four regions, 2026-06-23; the
	// key-less ones us-east-1 and eu-west-2, 2026-10-09). https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/error-messages/batchWriteItem.test.ts
	c.add(op, "non-scalar table key", bw(tCH, putReq(`{"pk":{"L":[{"S":"x"}]}}`)), realAnswer(400, vex, confSchema))
	c.add(op, "empty-string table key", bw(tCH, putReq(`{"pk":{"S":""}}`)), realAnswer(400, vex, confEmptyS))
	c.add(op, "empty-binary put-request key", bw(tCB, putReq(`{"pk":{"B":""}}`)), realAnswer(400, vex, confEmptyB))
	c.add(op, "empty-binary delete-request key", bw(tCB, delReq(`{"pk":{"B":""}}`)), realAnswer(400, vex, confEmptyB))
	c.add(op, "delete key without the partition key", bw(tCH, delReq(`{"other":{"S":"x"}}`)), realAnswer(400, vex, confSchema))
	// "empty request list for a table: full map-value constraint message"
	c.add(op, "empty request list: the echo", `{"RequestItems":{"`+tCH+`":[]}}`,
		realAnswer(400, vex, confOne+"Value '{"+tCH+"=[]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "+
			"[Member must have length less than or equal to 25, Member must have length greater than or equal to 1]"))
	// "malformed table name: anchored regex on the map-keys constraint"
	// (the echo of the request varies by region; the constraint is exact)
	c.add(op, "malformed table name", bw("bad!name", putReq(`{"pk":{"S":"x"}}`)),
		realAnswer(400, vex, "' at 'requestItems' "+confBadName))
}

func confDeleteItem(c confBuilder) {
	const op = "DeleteItem"
	// paritysuite deleteItem.test.ts, "DeleteItem — exact error messages".
	// https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/error-messages/deleteItem.test.ts
	c.add(op, "missing range key on a composite table", on(tCSS, pkey("test")), realAnswer(400, vex, confSchema))
	c.add(op, "Expected with ConditionExpression", on(tCH, pkey("em-del-mix"), `"Expected":{"pk":{"Exists":false}}`, `"ConditionExpression":"attribute_not_exists(pk)"`),
		realAnswer(400, vex, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"))
	c.add(op, "empty-binary key", on(tCB, `"Key":{"pk":{"B":""}}`), realAnswer(400, vex, confEmptyB))

	// "DeleteItem - request validation envelope" (eu-west-2 and us-east-1,
	// 2026-10-09): each inside the envelope.
	k := pkey("em-del-envelope")
	env := func(name string, body string, m string) {
		c.add(op, name+" (envelope)", body, realAnswer(400, vex, confOne+m))
	}
	env("ExpressionAttributeValues without an expression", on(tCH, k, vals(`{":v":{"S":"x"}}`)), "ExpressionAttributeValues can only be specified when using expressions")
	env("ExpressionAttributeNames without an expression", on(tCH, k, names(`{"#a":"a"}`)), "ExpressionAttributeNames can only be specified when using expressions")
	env("Expected with ExpressionAttributeNames", on(tCH, k, `"Expected":{"a":{"Exists":false}}`, names(`{"#a":"a"}`)),
		"ExpressionAttributeNames can only be specified when using expressions")
	cond := `"ConditionExpression":"attribute_exists(a)"`
	env("empty ExpressionAttributeValues", on(tCH, k, cond, vals(`{}`)), "ExpressionAttributeValues must not be empty")
	env("empty ExpressionAttributeNames", on(tCH, k, cond, names(`{}`)), "ExpressionAttributeNames must not be empty")
	env("empty ConditionExpression", on(tCH, k, `"ConditionExpression":""`), "Invalid ConditionExpression: The expression can not be empty;")
	env("ReturnValues ALL_NEW", on(tCH, k, rv("ALL_NEW")), "ReturnValues can only be ALL_OLD or NONE")
	env("ReturnValues UPDATED_NEW", on(tCH, k, rv("UPDATED_NEW")), "ReturnValues can only be ALL_OLD or NONE")
	// "every malformed Expected condition"
	env("Expected Exists true without Value", on(tCH, k, `"Expected":{"a":{"Exists":true}}`), confInvalid+"Value must be provided when Exists is true for Attribute: a")
	env("Expected Exists false with Value", on(tCH, k, `"Expected":{"a":{"Exists":false,"Value":{"S":"x"}}}`), confInvalid+"Value cannot be used when Exists is false for Attribute: a")
	env("Expected Value with AttributeValueList", on(tCH, k, `"Expected":{"a":{"Value":{"S":"x"},"ComparisonOperator":"EQ","AttributeValueList":[{"S":"x"}]}}`),
		confInvalid+"Value and AttributeValueList cannot be used together for Attribute: a")
	env("Expected EQ without a value", on(tCH, k, `"Expected":{"a":{"ComparisonOperator":"EQ"}}`),
		confInvalid+"Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a")
	env("Expected BETWEEN with one value", on(tCH, k, `"Expected":{"a":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"S":"x"}]}}`),
		confInvalid+"Invalid number of argument(s) for the BETWEEN ComparisonOperator")
}

func confPutItem(c confBuilder) {
	const op = "PutItem"
	item := `"Item":{"pk":{"S":"test"}}`
	// paritysuite putItem.test.ts, "PutItem — exact error messages".
	// https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/error-messages/putItem.test.ts
	c.add(op, "empty table name", `{"TableName":"",`+item+`}`,
		realAnswer(400, vex, "failed to satisfy constraint: Member must have length greater than or equal to 1"))
	long := strings.Repeat("a", 256)
	c.add(op, "table name of 256 characters", `{"TableName":"`+long+`",`+item+`}`,
		realAnswer(400, vex, confOne+"Value '"+long+"' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255"))
	c.add(op, "table name with invalid characters", `{"TableName":"bad table!@#",`+item+`}`,
		realAnswer(400, vex, confOne+"Value 'bad table!@#' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"))
	c.add(op, "empty string member in NS", on(tCH, `"Item":{"pk":{"S":"test"},"bad":{"NS":[""]}}`),
		realAnswer(400, vex, "The parameter cannot be converted to a numeric value"))
	c.add(op, "duplicate empty strings in SS", on(tCH, `"Item":{"pk":{"S":"test"},"bad":{"SS":["",""]}}`),
		realAnswer(400, vex, "contains duplicates"))
	c.add(op, "duplicate empty binaries in BS", on(tCH, `"Item":{"pk":{"S":"test"},"bad":{"BS":["",""]}}`),
		realAnswer(400, vex, "of type BS contains duplicates"))
	c.add(op, "empty-binary key", on(tCB, `"Item":{"pk":{"B":""}}`), realAnswer(400, vex, confEmptyB))

	// "PutItem - request validation envelope" (eu-west-2 and us-east-1,
	// 2026-10-09): inside the envelope, and no ": ConditionExpression is
	// null" suffix.
	it := `"Item":{"pk":{"S":"em-put-envelope"}}`
	env := func(name, body, m string) { c.add(op, name+" (envelope)", body, realAnswer(400, vex, confOne+m)) }
	env("ExpressionAttributeValues without an expression", on(tCH, it, vals(`{":v":{"S":"x"}}`)), "ExpressionAttributeValues can only be specified when using expressions")
	env("ExpressionAttributeNames without an expression", on(tCH, it, names(`{"#a":"a"}`)), "ExpressionAttributeNames can only be specified when using expressions")
	env("empty ConditionExpression", on(tCH, it, `"ConditionExpression":""`), "Invalid ConditionExpression: The expression can not be empty;")
	env("Expected Exists true without Value", on(tCH, it, `"Expected":{"a":{"Exists":true}}`), confInvalid+"Value must be provided when Exists is true for Attribute: a")
	env("Expected EQ without a value", on(tCH, it, `"Expected":{"a":{"ComparisonOperator":"EQ"}}`),
		confInvalid+"Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a")
}

func confUpdateItemErrors(c confBuilder) {
	const op = "UpdateItem"
	k := pkey("em-upd-key-mod")
	// paritysuite updateItem.test.ts, "UpdateItem — exact error messages".
	// https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/error-messages/updateItem.test.ts
	c.add(op, "unused ExpressionAttributeNames", on(tCH, k, `"UpdateExpression":"SET attr1 = :v"`, vals(`{":v":{"S":"val"}}`), names(`{"#unused":"someattr"}`)),
		realAnswer(400, vex, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}"))
	c.add(op, "undefined value in the ConditionExpression (envelope)", on(tCH, k, `"UpdateExpression":"SET b = :w"`, `"ConditionExpression":"a = :v"`, vals(`{":w":{"S":"x"}}`)),
		realAnswer(400, vex, confOne+"Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v"))
	c.add(op, "SET the range key", on(tCSS, `"Key":{"pk":{"S":"em-upd-range-mod"},"sk":{"S":"sk1"}}`, `"UpdateExpression":"SET sk = :v"`, vals(`{":v":{"S":"new-sk"}}`)),
		realAnswer(400, vex, confInvalid+"Cannot update attribute sk. This attribute is part of the key"))
	c.add(op, "empty-binary key", on(tCB, `"Key":{"pk":{"B":""}}`, `"UpdateExpression":"SET attr1 = :v"`, vals(`{":v":{"S":"x"}}`)),
		realAnswer(400, vex, confEmptyB))
	// nubo-db captures/2026-06-09-validation-rewording.json (eu-west-2,
	// u_upd_missing_eav): the undefined value inside the envelope.
	c.add(op, "undefined value in the UpdateExpression", on(tCH, k, `"UpdateExpression":"SET attr1 = :v"`),
		realAnswer(400, vex, "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v"))

	// nubo-db tests/tier1/updateItem/expressionHygiene.test.ts (rejected;
	// no message pinned). https://github.com/nubo-db/dynamodb-conformance/blob/main/tests/tier1/updateItem/expressionHygiene.test.ts
	hk := pkey("expr-hygiene")
	c.add(op, "ExpressionAttributeNames key without #", on(tCH, hk, `"UpdateExpression":"SET #s = :v"`, names(`{"s":"status"}`), vals(`{":v":{"S":"x"}}`)),
		realAnswer(400, vex, ""))
	c.add(op, "ExpressionAttributeValues key without :", on(tCH, hk, `"UpdateExpression":"SET #s = :v"`, names(`{"#s":"status"}`), vals(`{"v":{"S":"x"}}`)),
		realAnswer(400, vex, ""))
	c.add(op, "ExpressionAttributeNames with no expression", on(tCH, hk, names(`{"#s":"status"}`)), realAnswer(400, vex, ""))
	c.add(op, "an unused ExpressionAttributeNames entry beside a used one", on(tCH, hk, `"UpdateExpression":"SET #s = :v"`, names(`{"#s":"status","#unused":"other"}`), vals(`{":v":{"S":"x"}}`)),
		realAnswer(400, vex, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}"))

	// paritysuite tests/tier1/updateItem/paths.test.ts, "SET fails when
	// intermediate map path does not exist" (ValidationException).
	c.seed(op, "path-missing-intermediate", tCH, `{"pk":{"S":"path-missing-intermediate"},"topLevel":{"S":"val"}}`)
	c.add(op, "SET under a missing intermediate map", on(tCH, pkey("path-missing-intermediate"), `"UpdateExpression":"SET #a.#b.#c = :v"`,
		names(`{"#a":"missing","#b":"nested","#c":"deep"}`), vals(`{":v":{"S":"test"}}`)), realAnswer(400, vex, ""))
}

func confGetItemAndQuery(c confBuilder) {
	// nubo-db getItem.test.ts. https://github.com/nubo-db/dynamodb-conformance/blob/main/tests/tier3/error-messages/getItem.test.ts
	c.add("GetItem", "ProjectionExpression !!! INVALID !!!", on(tCH, pkey("test"), `"ProjectionExpression":"!!! INVALID !!!"`),
		realAnswer(400, vex, `Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"`))
	c.add("GetItem", "empty-binary key", on(tCB, `"Key":{"pk":{"B":""}}`), realAnswer(400, vex, confEmptyB))

	const op = "Query"
	// nubo-db query.test.ts. https://github.com/nubo-db/dynamodb-conformance/blob/main/tests/tier3/error-messages/query.test.ts
	c.add(op, "condition on the sort key only", on(tCSS, `"KeyConditionExpression":"sk = :v"`, vals(`{":v":{"S":"val"}}`)),
		realAnswer(400, vex, "Query condition missed key schema element: pk"))
	c.add(op, "condition on a non-key attribute", on(tCSS, `"KeyConditionExpression":"attr1 = :v"`, vals(`{":v":{"S":"val"}}`)),
		realAnswer(400, vex, "Query condition missed key schema element: pk"))
	c.add(op, "unused ExpressionAttributeNames", on(tCSS, `"KeyConditionExpression":"pk = :v"`, vals(`{":v":{"S":"val"}}`), names(`{"#unused":"someattr"}`)),
		realAnswer(400, vex, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}"))
	c.add(op, "Select INVALID_VALUE", on(tCSS, `"KeyConditionExpression":"pk = :v"`, vals(`{":v":{"S":"val"}}`), `"Select":"INVALID_VALUE"`),
		realAnswer(400, vex, confOne+"Value 'INVALID_VALUE' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"))
	c.add(op, "empty KeyConditionExpression", on(tCSS, `"KeyConditionExpression":""`, vals(`{":v":{"S":"val"}}`)),
		realAnswer(400, vex, "Invalid KeyConditionExpression: The expression can not be empty;"))
	c.add(op, "FilterExpression with an undefined name", on(tCSS, `"KeyConditionExpression":"pk = :pk"`, `"FilterExpression":"#missing = :fv"`, vals(`{":pk":{"S":"val"},":fv":{"S":"x"}}`)),
		realAnswer(400, vex, "Invalid FilterExpression: An expression attribute name used in the document path is not defined; attribute name: #missing"))
	// paritysuite indexReads.test.ts, "ConsistentRead on GSI" (and nubo-db
	// query.test.ts). https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/error-messages/indexReads.test.ts
	c.add(op, "ConsistentRead on a GSI", on(tCI, `"IndexName":"gsi1"`, `"KeyConditionExpression":"#hk = :v"`, names(`{"#hk":"lsi1sk"}`), vals(`{":v":{"S":"val"}}`), `"ConsistentRead":true`),
		realAnswer(400, vex, "Consistent reads are not supported on global secondary indexes"))
	// paritysuite queryKeyConditionOperands.test.ts, "begins_with on a number
	// sort key with a number operand - exact message" (eu-west-2, October
	// 2026). https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/error-messages/queryKeyConditionOperands.test.ts
	c.add(op, "begins_with a number on a number sort key", on(tCSN, `"KeyConditionExpression":"pk = :p AND begins_with(sk, :v)"`, vals(`{":p":{"S":"q"},":v":{"N":"1"}}`)),
		realAnswer(400, vex, "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"))
	// nubo-db tests/tier1/query/keyConditionSemantics.test.ts.
	// https://github.com/nubo-db/dynamodb-conformance/blob/main/tests/tier1/query/keyConditionSemantics.test.ts
	c.add(op, "value on the left of the sort key comparison", on(tCSS, `"KeyConditionExpression":"#pk = :pk AND :lo <= #sk"`, names(`{"#pk":"pk","#sk":"sk"}`),
		vals(`{":pk":{"S":"kce-sem"},":lo":{"S":"a"}}`)), realOK())
	c.add(op, "nested path on a key attribute", on(tCSS, `"KeyConditionExpression":"#pk = :pk AND #sk.foo = :v"`, names(`{"#pk":"pk","#sk":"sk"}`),
		vals(`{":pk":{"S":"kce-sem"},":v":{"S":"x"}}`)), realAnswer(400, vex, "KeyConditionExpressions cannot have conditions on nested attributes"))
}

func confTransactions(c confBuilder) {
	const op, gop = "TransactWriteItems", "TransactGetItems"
	// paritysuite transactGetItems.test.ts. https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/error-messages/transactGetItems.test.ts
	gets := make([]string, 101)
	for i := range gets {
		gets[i] = fmt.Sprintf(`{"Get":{"TableName":"%s","Key":{"pk":{"S":"tgi-%d"}}}}`, tCH, i)
	}
	c.add(gop, "101 gets: the constraint", confTx(gets...),
		realAnswer(400, vex, "failed to satisfy constraint: Member must have length less than or equal to 100"))
	c.add(gop, "invalid ProjectionExpression", confTx(`{"Get":{"TableName":"`+tCH+`","Key":{"pk":{"S":"tgi-pe"}},"ProjectionExpression":"!!!"}}`),
		realAnswer(400, vex, `Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"`))
	c.add(gop, "empty Key", confTx(`{"Get":{"TableName":"`+tCH+`","Key":{}}}`), confCanceled("ValidationError"))

	// paritysuite transactWriteItems.test.ts. https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/error-messages/transactWriteItems.test.ts
	puts := make([]string, 101)
	for i := range puts {
		puts[i] = fmt.Sprintf(`{"Put":{"TableName":"%s","Item":{"pk":{"S":"twi-%d"}}}}`, tCH, i)
	}
	c.add(op, "101 actions: the constraint", confTx(puts...),
		realAnswer(400, vex, "failed to satisfy constraint: Member must have length less than or equal to 100"))
	c.seed(op, "em-twi-multi-1", tCH, `{"pk":{"S":"em-twi-multi-1"},"attr1":{"S":"exists"}}`)
	c.seed(op, "em-twi-multi-2", tCH, `{"pk":{"S":"em-twi-multi-2"},"attr1":{"S":"exists"}}`)
	c.add(op, "two failing actions", confTx(
		`{"Put":{"TableName":"`+tCH+`","Item":{"pk":{"S":"em-twi-multi-1"},"attr1":{"S":"over"}},"ConditionExpression":"attribute_not_exists(pk)"}}`,
		`{"Put":{"TableName":"`+tCH+`","Item":{"pk":{"S":"em-twi-multi-2"},"attr1":{"S":"over"}},"ConditionExpression":"attribute_not_exists(pk)"}}`),
		confCanceled("ConditionalCheckFailed, ConditionalCheckFailed"))
	updKey := func(t, key string) string {
		return `{"Update":{"TableName":"` + t + `","Key":{"pk":` + key + `},"UpdateExpression":"SET attr1 = :v","ExpressionAttributeValues":{":v":{"S":"x"}}}}`
	}
	delKey := func(t, key string) string { return `{"Delete":{"TableName":"` + t + `","Key":{"pk":` + key + `}}}` }
	ccKey := func(t, key string) string {
		return `{"ConditionCheck":{"TableName":"` + t + `","Key":{"pk":` + key + `},"ConditionExpression":"attribute_not_exists(pk)"}}`
	}
	list := `{"L":[{"S":"x"}]}`
	c.add(op, "Update with a non-scalar key", confTx(updKey(tCH, list)), confCanceled("ValidationError"))
	c.add(op, "Delete with a non-scalar key", confTx(delKey(tCH, list)), confCanceled("ValidationError"))
	c.add(op, "ConditionCheck with a non-scalar key", confTx(ccKey(tCH, list)), confCanceled("ValidationError"))
	emptyB := `{"B":""}`
	c.add(op, "Put with an empty-binary key", confTx(`{"Put":{"TableName":"`+tCB+`","Item":{"pk":`+emptyB+`}}}`), realAnswer(400, vex, confEmptyB))
	c.add(op, "Update with an empty-binary key", confTx(updKey(tCB, emptyB)), realAnswer(400, vex, confEmptyB))
	c.add(op, "Delete with an empty-binary key", confTx(delKey(tCB, emptyB)), realAnswer(400, vex, confEmptyB))
	c.add(op, "ConditionCheck with an empty-binary key", confTx(ccKey(tCB, emptyB)), realAnswer(400, vex, confEmptyB))
}

// confValueLayers: paritysuite tests/tier3/error-messages/valueLayers.test.ts
// (eu-west-2, us-east-1, eu-west-1 and us-west-2, 2026-10-09). PutItem,
// UpdateItem and DeleteItem answer inside the envelope wherever the value
// sits; GetItem, BatchGetItem and Query bare; BatchWriteItem bare in the
// older wording; the transactions in either layer (by region).
// https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/error-messages/valueLayers.test.ts
func confValueLayers(c confBuilder) {
	const (
		overflow   = "Number overflow. Attempting to store a number with magnitude larger than supported range"
		underflow  = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
		notNumeric = "The parameter cannot be converted to a numeric value"
	)
	// "PutItem refuses every malformed number in an item inside the
	// validation envelope"
	for _, n := range []struct{ lit, msg string }{
		{"1e99999999999", overflow}, {"-1e99999999999", overflow}, {"1e-99999999999", underflow},
		{"1e2147483648", overflow}, {"1e2147483647", overflow}, {"1e-2147483648", underflow},
		{"1e126", overflow}, {"1e-131", underflow},
		{"abc", notNumeric + ": abc"}, {"1.2.3", notNumeric + ": 1.2.3"}, {"", notNumeric + ": "},
		{" 1", notNumeric + ":  1"}, {"1 ", notNumeric + ": 1 "}, {"0x10", notNumeric + ": 0x10"},
		{"1e", notNumeric + ": 1e"}, {"NaN", notNumeric + ": NaN"}, {"Infinity", notNumeric + ": Infinity"},
		{"1234567890123456789012345678901234567890", "Attempting to store more than 38 significant digits in a Number"},
	} {
		c.add("PutItem", fmt.Sprintf("number %q in an item (envelope)", n.lit), on(tCH, `"Item":{"pk":{"S":"vl-n"},"n":{"N":`+jstr(n.lit)+`}}`),
			realAnswer(400, vex, confOne+n.msg))
	}

	// The four shapes sent to every surface: the current layer's answer
	// and the older layer's.
	shapes := []struct{ lit, current, older string }{
		{"abc", notNumeric + ": abc", notNumeric + ": abc"},
		{"", notNumeric + ": ", notNumeric},
		{"1e126", overflow, overflow},
		{"1e2147483647", overflow, underflow},
	}
	for _, sh := range shapes {
		v := `{"N":` + jstr(sh.lit) + `}`
		q := fmt.Sprintf("%q", sh.lit)
		env := realAnswer(400, vex, confOne+sh.current)
		bare := realAnswer(400, vex, sh.current)
		c.add("PutItem", "number "+q+" in a set member (envelope)", on(tCH, `"Item":{"pk":{"S":"vl-n"},"n":{"NS":["1",`+jstr(sh.lit)+`]}}`), env)
		c.add("PutItem", "number "+q+" nested in a map and a list (envelope)", on(tCH, `"Item":{"pk":{"S":"vl-n"},"n":{"M":{"x":{"L":[`+v+`]}}}}`), env)
		c.add("PutItem", "number "+q+" in a condition value (envelope)", on(tCH, `"Item":{"pk":{"S":"vl-n"}}`,
			`"ConditionExpression":"attribute_not_exists(pk) OR n = :v"`, vals(`{":v":`+v+`}`)), env)
		c.add("PutItem", "number "+q+" in an Expected value (envelope)", on(tCH, `"Item":{"pk":{"S":"vl-n-expected"}}`, `"Expected":{"n":{"Value":`+v+`}}`), env)
		c.add("UpdateItem", "number "+q+" in an update value (envelope)", on(tCH, pkey("vl-n"), `"UpdateExpression":"SET n = :v"`, vals(`{":v":`+v+`}`)), env)
		c.add("UpdateItem", "number "+q+" in AttributeUpdates (envelope)", on(tCH, pkey("vl-n"), `"AttributeUpdates":{"n":{"Action":"PUT","Value":`+v+`}}`), env)
		c.add("UpdateItem", "number "+q+" in the key (envelope)", on(tCH, `"Key":{"pk":`+v+`}`, `"UpdateExpression":"SET n = :o"`, vals(`{":o":{"N":"1"}}`)), env)
		c.add("DeleteItem", "number "+q+" in a condition value (envelope)", on(tCH, pkey("vl-n"), `"ConditionExpression":"n = :v"`, vals(`{":v":`+v+`}`)), env)
		c.add("DeleteItem", "number "+q+" in the key (envelope)", on(tCH, `"Key":{"pk":`+v+`}`), env)
		c.add("GetItem", "number "+q+" in the key (bare)", on(tCH, `"Key":{"pk":`+v+`}`), bare)
		c.add("BatchGetItem", "number "+q+" in a key (bare)", `{"RequestItems":{"`+tCH+`":{"Keys":[{"pk":`+v+`}]}}}`, bare)
		c.add("Query", "number "+q+" in a filter value (bare)", on(tCH, `"KeyConditionExpression":"pk = :p"`, `"FilterExpression":"n = :v"`,
			vals(`{":p":{"S":"vl-n"},":v":`+v+`}`)), bare)
		c.add("BatchWriteItem", "number "+q+" in an item (older wording)", `{"RequestItems":{"`+tCH+`":[{"PutRequest":{"Item":{"pk":{"S":"vl-n"},"n":`+v+`}}}]}}`,
			realAnswer(400, vex, sh.older))
		// Transactions: the older layer in us-east-1, eu-west-1 and
		// us-west-2, the current (bare) one in eu-west-2. The shapes whose
		// two answers share a message are checked with it.
		if sh.lit == "abc" || sh.lit == "1e126" || sh.lit == "" {
			either := realAnswer(400, vex, sh.older)
			c.add("TransactWriteItems", "number "+q+" in a Put item", confTx(`{"Put":{"TableName":"`+tCH+`","Item":{"pk":{"S":"vl-n"},"n":`+v+`}}}`), either)
			c.add("TransactWriteItems", "number "+q+" in an Update value", confTx(`{"Update":{"TableName":"`+tCH+`","Key":{"pk":{"S":"vl-n"}},"UpdateExpression":"SET n = :v","ExpressionAttributeValues":{":v":`+v+`}}}`), either)
			c.add("TransactGetItems", "number "+q+" in a key", confTx(`{"Get":{"TableName":"`+tCH+`","Key":{"pk":`+v+`}}}`), either)
		}
	}

	// Duplicate set members: SS b, a, b; BS /w==, AA==, AA==; NS 2, 1, 2.
	dupes := []struct{ typ, val, current, older string }{
		{"SS", `{"SS":["b","a","b"]}`, confInvalid + `Input collection ["a", "b", "b"] contains duplicates.`, confInvalid + "Input collection [b, a, b] contains duplicates."},
		{"BS", `{"BS":["/w==","AA==","AA=="]}`, confInvalid + `Input collection ["AA==","/w==","AA=="]of type BS contains duplicates.`, confInvalid + "Input collection [/w==, AA==, AA==]of type BS contains duplicates."},
		{"NS", `{"NS":["2","1","2"]}`, confInvalid + "Input collection contains duplicates.", "Input collection contains duplicates"},
	}
	for _, d := range dupes {
		env := realAnswer(400, vex, confOne+d.current)
		bare := realAnswer(400, vex, d.current)
		older := realAnswer(400, vex, d.older)
		t := "duplicate " + d.typ + " member"
		c.add("PutItem", t+" in an item (envelope)", on(tCH, `"Item":{"pk":{"S":"vl-d"},"s":`+d.val+`}`), env)
		c.add("PutItem", t+" in a condition value (envelope)", on(tCH, `"Item":{"pk":{"S":"vl-d"}}`, `"ConditionExpression":"attribute_not_exists(pk) OR s = :t"`, vals(`{":t":`+d.val+`}`)), env)
		c.add("PutItem", t+" in an Expected value (envelope)", on(tCH, `"Item":{"pk":{"S":"vl-d"}}`, `"Expected":{"s":{"Value":`+d.val+`}}`), env)
		c.add("UpdateItem", t+" in a condition value (envelope)", on(tCH, pkey("vl-d"), `"UpdateExpression":"SET o = :o"`,
			`"ConditionExpression":"attribute_not_exists(pk) OR s = :t"`, vals(`{":o":{"N":"1"},":t":`+d.val+`}`)), env)
		c.add("UpdateItem", t+" in AttributeUpdates (envelope)", on(tCH, pkey("vl-d"), `"AttributeUpdates":{"s":{"Action":"PUT","Value":`+d.val+`}}`), env)
		c.add("UpdateItem", t+" in the key (envelope)", on(tCH, `"Key":{"pk":`+d.val+`}`, `"UpdateExpression":"SET o = :o"`, vals(`{":o":{"N":"1"}}`)), env)
		c.add("DeleteItem", t+" in the key (envelope)", on(tCH, `"Key":{"pk":`+d.val+`}`), env)
		c.add("GetItem", t+" in the key (bare)", on(tCH, `"Key":{"pk":`+d.val+`}`), bare)
		c.add("BatchGetItem", t+" in a key (bare)", `{"RequestItems":{"`+tCH+`":{"Keys":[{"pk":`+d.val+`}]}}}`, bare)
		c.add("Query", t+" in the key value (bare)", on(tCH, `"KeyConditionExpression":"pk = :t"`, vals(`{":t":`+d.val+`}`)), bare)
		c.add("Query", t+" in a filter value (bare)", on(tCH, `"KeyConditionExpression":"pk = :p"`, `"FilterExpression":"s = :t"`, vals(`{":p":{"S":"vl-d"},":t":`+d.val+`}`)), bare)
		c.add("Query", t+" in ExclusiveStartKey (bare)", on(tCH, `"KeyConditionExpression":"pk = :p"`, vals(`{":p":{"S":"vl-d"}}`), `"ExclusiveStartKey":{"pk":`+d.val+`}`), bare)
		c.add("Query", t+" in QueryFilter (bare)", on(tCH, `"KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"vl-d"}]}}`,
			`"QueryFilter":{"s":{"ComparisonOperator":"EQ","AttributeValueList":[`+d.val+`]}}`), bare)
		c.add("BatchWriteItem", t+" in an item (older wording)", `{"RequestItems":{"`+tCH+`":[{"PutRequest":{"Item":{"pk":{"S":"vl-d"},"s":`+d.val+`}}}]}}`, older)
		c.add("BatchWriteItem", t+" in a delete key (older wording)", `{"RequestItems":{"`+tCH+`":[{"DeleteRequest":{"Key":{"pk":`+d.val+`}}}]}}`, older)
		// Transactions: a top-level ValidationException in either layer;
		// the two answers share no message, so only the type is checked.
		either := realAnswer(400, vex, "contains duplicates")
		c.add("TransactWriteItems", t+" in a Put item", confTx(`{"Put":{"TableName":"`+tCH+`","Item":{"pk":{"S":"vl-d"},"s":`+d.val+`}}}`), either)
		c.add("TransactWriteItems", t+" in a Delete key", confTx(`{"Delete":{"TableName":"`+tCH+`","Key":{"pk":`+d.val+`}}}`), either)
		cond := `"ConditionExpression":"attribute_not_exists(pk) OR s = :t","ExpressionAttributeValues":{":t":` + d.val + `}`
		c.add("TransactWriteItems", t+" in a Put condition value", confTx(`{"Put":{"TableName":"`+tCH+`","Item":{"pk":{"S":"vl-d"}},`+cond+`}}`), either)
		c.add("TransactWriteItems", t+" in an Update value", confTx(`{"Update":{"TableName":"`+tCH+`","Key":{"pk":{"S":"vl-d"}},"UpdateExpression":"SET s = :t","ExpressionAttributeValues":{":t":`+d.val+`}}}`), either)
		c.add("TransactWriteItems", t+" in a Delete condition value", confTx(`{"Delete":{"TableName":"`+tCH+`","Key":{"pk":{"S":"vl-d"}},`+cond+`}}`), either)
		c.add("TransactWriteItems", t+" in a ConditionCheck value", confTx(`{"ConditionCheck":{"TableName":"`+tCH+`","Key":{"pk":{"S":"vl-d"}},`+cond+`}}`), either)
		c.add("TransactGetItems", t+" in a key", confTx(`{"Get":{"TableName":"`+tCH+`","Key":{"pk":`+d.val+`}}}`), either)
	}
}

// confOrdering: which error real DynamoDB reports when a request has more
// than one thing wrong (paritysuite tests/tier3/validation-ordering/*).
func confOrdering(c confBuilder) {
	// updateItem.test.ts. https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/validation-ordering/updateItem.test.ts
	const uop = "UpdateItem"
	c.add(uop, "empty TableName reports only the table name", `{"TableName":"","Key":{}}`, realAnswer(400, vex, confOne))
	c.add(uop, "invalid table name pattern", `{"TableName":"x!","Key":{}}`, realAnswer(400, vex, "tableName"))
	const emptyName = "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1"
	const noKey = "Value null at 'key' failed to satisfy constraint: Member must not be null"
	set := `"UpdateExpression":"SET a = :a","ExpressionAttributeValues":{":a":{"S":"x"}}`
	c.add(uop, "empty table name and a missing key", `{"TableName":"",`+set+`}`,
		realAnswer(400, vex, "2 validation errors detected: "+emptyName+"; "+noKey))
	c.add(uop, "two enums, an empty table name and a missing key", `{"TableName":"",`+set+`,"ReturnConsumedCapacity":"INVALID","ReturnValues":"INVALID"}`,
		realAnswer(400, vex, "4 validation errors detected: "+
			"Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "+emptyName+"; "+
			"Value 'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; "+noKey))
	c.add(uop, "XOR with two Expected conditions and a missing key", on(tCX, `"AttributeUpdates":{"x":{"Action":"PUT","Value":{"S":"1"}}}`,
		`"Expected":{"a":{"Exists":false},"b":{"Exists":false}}`, `"ConditionalOperator":"XOR"`),
		realAnswer(400, vex, "2 validation errors detected: Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]; "+noKey))

	// query.test.ts. https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/validation-ordering/query.test.ts
	const qop = "Query"
	kce := `"KeyConditionExpression":"#pk = :pk","ExpressionAttributeNames":{"#pk":"pk"},"ExpressionAttributeValues":{":pk":{"S":"test"}}`
	c.add(qop, "invalid table name pattern and Select", `{"TableName":"abc!",`+kce+`,"Select":"INVALID"}`, realAnswer(400, vex, "validation error"))
	c.add(qop, "ReturnConsumedCapacity and Select invalid", on(tCH, kce, `"ReturnConsumedCapacity":"INVALID"`, `"Select":"INVALID"`), realAnswer(400, vex, "returnConsumedCapacity"))
	c.add(qop, "XOR with two QueryFilter conditions before an unknown Select", on(tCX, `"KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]}}`,
		`"QueryFilter":{"b":{"ComparisonOperator":"NULL"},"c":{"ComparisonOperator":"NULL"}}`, `"ConditionalOperator":"XOR"`, `"Select":"BOGUS"`),
		realAnswer(400, vex, "Failed to satisfy constraint: Member must satisfy enum value set: [ALL, OR]"))

	// queryKeyCondition.test.ts (eu-west-2, October 2026). https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/validation-ordering/queryKeyCondition.test.ts
	const operand = "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"
	const undefinedV = "An expression attribute value used in expression is not defined; attribute value: :missing"
	kc := func(table, cond, values string) string {
		return on(table, `"KeyConditionExpression":`+jstr(cond), vals(values))
	}
	c.add(qop, "an undefined value before a bad operand", kc(tCSS, "pk = :missing AND begins_with(sk, :n)", `{":n":{"N":"1"}}`), realAnswer(400, vex, undefinedV))
	c.add(qop, "a bad operand before an undefined value", kc(tCSS, "begins_with(sk, :n) AND pk = :missing", `{":n":{"N":"1"}}`), realAnswer(400, vex, operand))
	c.add(qop, "a bad operand in the middle before a later undefined value", kc(tCSS, "pk = :p AND begins_with(sk, :n) AND sk = :missing", `{":p":{"S":"q"},":n":{"N":"1"}}`),
		realAnswer(400, vex, operand))
	c.add(qop, "a bad operand before a third condition", kc(tCSS, "pk = :p AND begins_with(sk, :n) AND sk > :s", `{":p":{"S":"q"},":n":{"N":"1"},":s":{"S":"a"}}`),
		realAnswer(400, vex, operand))
	c.add(qop, "a bad operand before a missing table", kc(tCX, "pk = :p AND begins_with(sk, :n)", `{":p":{"S":"q"},":n":{"N":"1"}}`), realAnswer(400, vex, operand))
	c.add(qop, "a well-formed condition on a missing table", kc(tCX, "pk = :p AND begins_with(sk, :s)", `{":p":{"S":"q"},":s":{"S":"a"}}`),
		realAnswer(400, "ResourceNotFoundException", ""))

	// transactions.test.ts (us-east-1 and eu-west-2, 2026-10-09). https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/validation-ordering/transactions.test.ts
	const op, gop = "TransactWriteItems", "TransactGetItems"
	txo := func(extra string, items ...string) string {
		return `{"TransactItems":[` + strings.Join(items, ",") + `]` + extra + `}`
	}
	putK := func(t, pk string) string { return `{"Put":{"TableName":"` + t + `","Item":{"pk":{"S":"` + pk + `"}}}}` }
	rcc, ricm := `,"ReturnConsumedCapacity":"BOGUS"`, `,"ReturnItemCollectionMetrics":"BOGUS2"`
	c.add(op, "unknown ReturnConsumedCapacity", txo(rcc, putK(tCH, "vo-tx-rcc")), realAnswer(400, vex, confOne+confRCC))
	c.add(op, "unknown ReturnItemCollectionMetrics", txo(ricm, putK(tCH, "vo-tx-ricm")), realAnswer(400, vex, confOne+confRICM))
	c.add(op, "both unknown enums", txo(rcc+ricm, putK(tCH, "vo-tx-both")), realAnswer(400, vex, "2 validation errors detected: "+confRCC+"; "+confRICM))
	c.add(op, "unknown ReturnConsumedCapacity before a missing table", txo(rcc, putK(tCX, "a")), realAnswer(400, vex, confOne+confRCC))
	c.add(op, "unknown ReturnConsumedCapacity before a duplicate target", txo(rcc, putK(tCH, "vo-tx-dup"), `{"Delete":{"TableName":"`+tCH+`","Key":{"pk":{"S":"vo-tx-dup"}}}}`),
		realAnswer(400, vex, confOne+confRCC))
	token := `,"ClientRequestToken":"` + strings.Repeat("x", 37) + `"`
	c.add(op, "ClientRequestToken over 36 characters before an unknown ReturnConsumedCapacity", txo(token+rcc, putK(tCH, "vo-tx-token")),
		realAnswer(400, vex, "lientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36"))
	syntax := `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("`
	badCC := `{"ConditionCheck":{"TableName":"` + tCH + `","Key":{"pk":{"S":"vo-tx-cc"}},"ConditionExpression":"attribute_not_exists("}}`
	deepPut := `{"Put":{"TableName":"` + tCH + `","Item":{"pk":{"S":"vo-tx-deep"},"data":` + confDeep(32) + `}}}`
	c.add(op, "a malformed condition on a later action before a missing table", txo("", putK(tCX, "a"), badCC), realAnswer(400, vex, syntax))
	c.add(op, "a malformed condition before a too deep item", txo("", badCC, deepPut), realAnswer(400, vex, syntax))
	c.add(op, "a too deep item before a malformed condition", txo("", deepPut, badCC), realAnswer(400, vex, confNest))
	unused := `{"ConditionCheck":{"TableName":"` + tCH + `","Key":{"pk":{"S":"vo-tx-cc"}},"ConditionExpression":"attribute_not_exists(pk)","ExpressionAttributeValues":{":v":{"S":"x"}}}}`
	const unusedMsg = "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}"
	c.add(op, "an unused value after a missing table", txo("", putK(tCX, "a"), unused), realAnswer(400, vex, unusedMsg))
	c.add(op, "an unused value before a missing table", txo("", unused, putK(tCX, "a")), realAnswer(400, vex, unusedMsg))
	c.add(op, "an unused value beside a duplicate target", txo("", putK(tCH, "vo-tx-cc"), unused), realAnswer(400, vex, unusedMsg))
	getK := func(t, pk string) string { return `{"Get":{"TableName":"` + t + `","Key":{"pk":{"S":"` + pk + `"}}}}` }
	c.add(gop, "unknown ReturnConsumedCapacity", txo(rcc, getK(tCH, "vo-tg-item")), realAnswer(400, vex, confOne+confRCC))
	c.add(gop, "unknown ReturnConsumedCapacity before a missing table", txo(rcc, getK(tCX, "a")), realAnswer(400, vex, confOne+confRCC))
	c.add(gop, "unknown ReturnConsumedCapacity before a duplicate target", txo(rcc, getK(tCH, "vo-tg-item"), getK(tCH, "vo-tg-item")), realAnswer(400, vex, confOne+confRCC))

	// batchOperations.test.ts (us-east-1 and eu-west-2, 2026-10-09). https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/validation-ordering/batchOperations.test.ts
	const wop, bop = "BatchWriteItem", "BatchGetItem"
	bwo := func(table, pk, extra string) string {
		return `{"RequestItems":{"` + table + `":[{"PutRequest":{"Item":{"pk":{"S":"` + pk + `"}}}}]}` + extra + `}`
	}
	c.add(wop, "unknown ReturnConsumedCapacity", bwo(tCH, "vo-bw-rcc", rcc), realAnswer(400, vex, confOne+confRCC))
	c.add(wop, "unknown ReturnItemCollectionMetrics", bwo(tCH, "vo-bw-ricm", ricm), realAnswer(400, vex, confOne+confRICM))
	c.add(wop, "both unknown enums", bwo(tCH, "vo-bw-both", rcc+ricm), realAnswer(400, vex, "2 validation errors detected: "+confRCC+"; "+confRICM))
	c.add(wop, "unknown ReturnConsumedCapacity before a missing table", bwo(tCX, "a", rcc), realAnswer(400, vex, confOne+confRCC))
	c.add(wop, "unknown ReturnConsumedCapacity alone over a malformed table name", bwo("bad!name", "vo-bw-badname", rcc), realAnswer(400, vex, confOne+confRCC))
	bgo := func(table, extra string) string {
		return `{"RequestItems":{"` + table + `":{"Keys":[{"pk":{"S":"a"}}]}}` + extra + `}`
	}
	c.add(bop, "unknown ReturnConsumedCapacity", bgo(tCH, rcc), realAnswer(400, vex, confOne+confRCC))
	c.add(bop, "unknown ReturnConsumedCapacity before a missing table", bgo(tCX, rcc), realAnswer(400, vex, confOne+confRCC))
	c.add(bop, "a malformed table name and an unknown ReturnConsumedCapacity together", bgo("bad!name", rcc),
		realAnswer(400, vex, `2 validation errors detected: Value '{"bad!name":{"Keys":[{"pk":{"S":"a"}}]}}' at 'requestItems' `+confBadName+"; "+confRCC))

	// createTable.test.ts. https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/validation-ordering/createTable.test.ts
	const cop = "CreateTable"
	c.add(cop, "empty TableName", `{"TableName":"","KeySchema":[],"AttributeDefinitions":[]}`, realAnswer(400, vex, "tableName"))
	c.add(cop, "invalid table name pattern", `{"TableName":"x!","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[]}`, realAnswer(400, vex, "tableName"))
	c.add(cop, "a duplicate attribute in KeySchema", `{"TableName":"compat_conf_dupkey","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],`+
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"pk","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST"}`, realAnswer(400, vex, "Invalid KeySchema"))
	c.add(cop, "three KeySchema elements", `{"TableName":"compat_conf_threekey","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},{"AttributeName":"tk","AttributeType":"S"}],`+
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"},{"AttributeName":"tk","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST"}`,
		realAnswer(400, vex, "Member must have length less than or equal to 2"))
	c.add(cop, "an invalid BillingMode", `{"TableName":"compat_conf_badbilling","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],`+keyPK+`,"BillingMode":"INVALID_MODE"}`,
		realAnswer(400, vex, "[PROVISIONED, PAY_PER_REQUEST]"))
	tooShort := func(name, member string) string {
		return "Value '" + name + "' at '" + member + ".1.member.indexName' failed to satisfy constraint: Member must have length greater than or equal to 3"
	}
	idx := func(lsi, gsi string) string {
		return `{"TableName":"compat_conf_index_names","BillingMode":"PAY_PER_REQUEST",` +
			`"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}],` +
			`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],` +
			`"LocalSecondaryIndexes":[{"IndexName":"` + lsi + `","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"lr","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}],` +
			`"GlobalSecondaryIndexes":[{"IndexName":"` + gsi + `","KeySchema":[{"AttributeName":"gh","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}`
	}
	c.add(cop, "two-character GSI and LSI names, the LSI listed first", idx("l1", "g1"),
		realAnswer(400, vex, "2 validation errors detected: "+tooShort("g1", "globalSecondaryIndexes")+"; "+tooShort("l1", "localSecondaryIndexes")))
	c.add(cop, "two-character GSI and LSI names, the LSI's sorting first", idx("aa", "zz"),
		realAnswer(400, vex, "2 validation errors detected: "+tooShort("zz", "globalSecondaryIndexes")+"; "+tooShort("aa", "localSecondaryIndexes")))

	// deepRequests.test.ts (eu-west-2 and us-east-1, 2026-10-09; the
	// transaction cases in ten regions). Every table is absent. https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/validation-ordering/deepRequests.test.ts
	key := func(pk string) string { return `{"pk":` + pk + `,"sk":{"S":"1"}}` }
	a, b := key(`{"S":"a"}`), key(`{"S":"b"}`)
	withAttr := func(k, attr string) string { return strings.TrimSuffix(k, "}") + "," + attr + "}" }
	const xorOlder = confOne + "Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]"
	const rvOlder = confOne + "Value 'BOGUS' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"
	const ddSyntax = `Invalid ConditionExpression: Syntax error; token: "=", near: "= = b"`
	expected100 := `"Expected":{"a":{"Value":` + confDeep(100) + `},"b":{"Exists":false}},"ConditionalOperator":"XOR"`
	c.add("PutItem", "XOR in the older wording before an Expected value nested 100 levels", on(tCX, `"Item":`+a, expected100), realAnswer(400, vex, xorOlder))
	c.add("UpdateItem", "XOR in the older wording before an Expected value nested 100 levels", on(tCX, `"Key":`+a,
		`"AttributeUpdates":{"x":{"Action":"PUT","Value":{"S":"1"}}}`, expected100), realAnswer(400, vex, xorOlder))
	tx := func(items ...string) string { return confTx(items...) }
	putI := func(item string) string { return `{"Put":{"TableName":"` + tCX + `","Item":` + item + `}}` }
	c.add(op, "a Put nested 40 levels before a later empty attribute name", tx(putI(withAttr(b, `"d":`+confDeep(40))), putI(withAttr(a, `"":{"S":"x"}`))),
		realAnswer(400, vex, confNest))
	c.add(op, "an empty attribute name before a later Put nested 100 levels", tx(putI(withAttr(a, `"":{"S":"x"}`)), putI(withAttr(b, `"d":`+confDeep(100)))),
		realAnswer(400, vex, "Empty attribute name"))
	c.add(op, "an empty attribute name before a value nested 100 levels in the same item", tx(putI(withAttr(a, `"":{"S":"x"},"d":`+confDeep(100)))),
		realAnswer(400, vex, "Empty attribute name"))
	c.add(op, "an empty attribute name after a value nested 100 levels in the same item", tx(putI(withAttr(a, `"d":`+confDeep(100)+`,"":{"S":"x"}`))),
		realAnswer(400, vex, "Empty attribute name"))
	c.add(op, "a value nested 40 levels before an empty map key in the same item", tx(putI(withAttr(a, `"m":{"M":{"":{"S":"x"}}},"d":`+confDeep(40)))),
		realAnswer(400, vex, confNest))
	c.add(op, "an empty attribute name before a later ConditionCheck value nested 100 levels", tx(putI(withAttr(a, `"":{"S":"x"}`)),
		`{"ConditionCheck":{"TableName":"`+tCX+`","Key":`+b+`,"ConditionExpression":"d = :deep","ExpressionAttributeValues":{":deep":`+confDeep(100)+`}}}`),
		realAnswer(400, vex, "Empty attribute name"))
	c.add(op, "an earlier ConditionCheck value nested 40 levels before an empty attribute name", tx(
		`{"ConditionCheck":{"TableName":"`+tCX+`","Key":`+b+`,"ConditionExpression":"d = :deep","ExpressionAttributeValues":{":deep":`+confDeep(40)+`}}}`,
		putI(withAttr(a, `"":{"S":"x"}`))), realAnswer(400, vex, confNest))
	c.add(op, "an earlier Update value nested 40 levels before an empty attribute name", tx(
		`{"Update":{"TableName":"`+tCX+`","Key":`+a+`,"UpdateExpression":"SET d = :deep","ExpressionAttributeValues":{":deep":`+confDeep(40)+`}}}`,
		putI(withAttr(b, `"":{"S":"x"}`))), realAnswer(400, vex, confNest))
	c.add(op, "a Delete key nested 40 levels before a later condition syntax error", tx(
		`{"Delete":{"TableName":"`+tCX+`","Key":`+key(confDeep(40))+`}}`,
		`{"Put":{"TableName":"`+tCX+`","Item":`+a+`,"ConditionExpression":"a = = b"}}`), realAnswer(400, vex, confNest))
	c.add(op, "a ConditionCheck key nested 40 levels before a later unused value", tx(
		`{"ConditionCheck":{"TableName":"`+tCX+`","Key":`+key(confDeep(40))+`,"ConditionExpression":"attribute_exists(a)"}}`,
		`{"Update":{"TableName":"`+tCX+`","Key":`+a+`,"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"S":"x"},":u":{"S":"y"}}}}`),
		realAnswer(400, vex, confNest))
	c.add(op, "a condition syntax error before a later Delete key nested 100 levels", tx(
		`{"Put":{"TableName":"`+tCX+`","Item":`+a+`,"ConditionExpression":"a = = b"}}`,
		`{"Delete":{"TableName":"`+tCX+`","Key":`+key(confDeep(100))+`}}`), realAnswer(400, vex, ddSyntax))
	c.add(op, "a condition syntax error before the same Delete's key nested 100 levels", tx(
		`{"Delete":{"TableName":"`+tCX+`","Key":`+key(confDeep(100))+`,"ConditionExpression":"a = = b"}}`), realAnswer(400, vex, ddSyntax))
	c.add(op, "an oversized condition before the same Delete's key nested 100 levels", tx(
		`{"Delete":{"TableName":"`+tCX+`","Key":`+key(confDeep(100))+`,"ConditionExpression":"a = :v`+strings.Repeat(" AND a = :v", 373)+`","ExpressionAttributeValues":{":v":{"S":"x"}}}}`),
		realAnswer(400, vex, "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4109"))
	sets := make([]string, 500)
	for i := range sets {
		sets[i] = fmt.Sprintf("a%d = :v", i)
	}
	c.add(op, "an oversized UpdateExpression before a later ConditionCheck key nested 100 levels", tx(
		`{"Update":{"TableName":"`+tCX+`","Key":`+a+`,"UpdateExpression":"SET `+strings.Join(sets, ", ")+`","ExpressionAttributeValues":{":v":{"S":"x"}}}}`,
		`{"ConditionCheck":{"TableName":"`+tCX+`","Key":`+key(confDeep(100))+`,"ConditionExpression":"attribute_exists(a)"}}`),
		realAnswer(400, vex, "Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;"))
	c.add(op, "an unused value before a later ConditionCheck key nested 100 levels", tx(
		`{"Update":{"TableName":"`+tCX+`","Key":`+a+`,"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"S":"x"},":u":{"S":"y"}}}}`,
		`{"ConditionCheck":{"TableName":"`+tCX+`","Key":`+key(confDeep(100))+`,"ConditionExpression":"attribute_exists(a)"}}`),
		realAnswer(400, vex, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:u}"))
	cond := func(depth int) string {
		return `"ConditionExpression":"#d = :deep","ExpressionAttributeNames":{"#d":"d"},"ExpressionAttributeValues":{":deep":` + confDeep(depth) + `}`
	}
	c.add("DeleteItem", "unknown ReturnValues, older wording, condition value nested 63 levels", on(tCX, `"Key":`+a, cond(63), rv("BOGUS")), realAnswer(400, vex, rvOlder))
	c.add("DeleteItem", "unknown ReturnValues, older wording, Expected value nested 63 levels", on(tCX, `"Key":`+a, `"Expected":{"d":{"Value":`+confDeep(63)+`}}`, rv("BOGUS")),
		realAnswer(400, vex, rvOlder))
	c.add("DeleteItem", "unknown ReturnValues, older wording, key nested 100 levels", on(tCX, `"Key":`+key(confDeep(100)), rv("BOGUS")), realAnswer(400, vex, rvOlder))
	c.add("DeleteItem", "UPDATED_NEW before a condition value nested 100 levels", on(tCX, `"Key":`+a, cond(100), rv("UPDATED_NEW")),
		realAnswer(400, vex, "ReturnValues can only be ALL_OLD or NONE"))
}

// confPad is a name of n ASCII bytes, unique by i (expressionSize.test.ts's
// padName).
func confPad(i, n int) string {
	suffix := fmt.Sprintf("x%d", i)
	return strings.Repeat("a", n-len(suffix)) + suffix
}

// confExpr joins clauses to exactly target bytes, stretching the last
// clause's name to land on the byte (expressionSize.test.ts's buildToBytes).
// It returns the expression and the number of clauses.
func confExpr(target int, prefix, joiner string, clause func(i, n int) string) (string, int) {
	var parts []string
	total := len(prefix)
	for i := 0; ; i++ {
		add := len(clause(i, 50))
		if len(parts) > 0 {
			add += len(joiner)
		}
		if total+add > target {
			break
		}
		parts = append(parts, clause(i, 50))
		total += add
	}
	if short := target - total; short > 0 {
		parts[len(parts)-1] = clause(len(parts)-1, 50+short)
	}
	return prefix + strings.Join(parts, joiner), len(parts)
}

// confValues is ExpressionAttributeValues :v0..:v(n-1), each "x", plus extra.
func confValues(n int, extra string) string {
	vs := make([]string, n)
	for i := range vs {
		vs[i] = fmt.Sprintf(`":v%d":{"S":"x"}`, i)
	}
	if extra != "" {
		vs = append(vs, extra)
	}
	return vals("{" + strings.Join(vs, ",") + "}")
}

func confLimits(c confBuilder) {
	// expressionSize.test.ts (eu-west-2, us-east-1, eu-central-1 and
	// ap-southeast-2, 2026-07-12; transactions 2026-09-12): 4096 bytes
	// accepted, 4097 rejected. https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/limits/expressionSize.test.ts
	const limit = 4096
	setExpr := func(target int) (string, int) {
		return confExpr(target, "SET ", ", ", func(i, n int) string { return fmt.Sprintf("%s = :v%d", confPad(i, n), i) })
	}
	condExpr := func(target int) string {
		e, _ := confExpr(target, "", " AND ", func(i, n int) string { return "attribute_not_exists(" + confPad(i, n) + ")" })
		return e
	}
	filterExpr := func(target int) (string, int) {
		return confExpr(target, "", " OR ", func(i, n int) string { return fmt.Sprintf("%s = :v%d", confPad(i, n), i) })
	}
	projExpr := func(target int) string {
		e, _ := confExpr(target, "", ", ", confPad)
		return e
	}
	at, n := setExpr(limit)
	c.add("UpdateItem", "UpdateExpression of 4096 bytes", on(tCH, pkey("lim-es-upd-at"), `"UpdateExpression":`+jstr(at), confValues(n, "")), realOK())
	want := []string{`"pk":{"S":"lim-es-upd-at"}`}
	for _, cl := range strings.Split(strings.TrimPrefix(at, "SET "), ", ") {
		name, _, _ := strings.Cut(cl, " = ")
		want = append(want, jstr(name)+`:{"S":"x"}`)
	}
	c.add("UpdateItem", "UpdateExpression of 4096 bytes, the item", on(tCH, pkey("lim-es-upd-at")), get(), realOK(), wantItem("{"+strings.Join(want, ",")+"}"))
	over, n := setExpr(limit + 1)
	c.add("UpdateItem", "UpdateExpression of 4097 bytes", on(tCH, pkey("lim-es-upd-over"), `"UpdateExpression":`+jstr(over), confValues(n, "")), realAnswer(400, vex, confSize))
	c.add("PutItem", "ConditionExpression of 4096 bytes", on(tCH, `"Item":{"pk":{"S":"lim-es-cond-at"}}`, `"ConditionExpression":`+jstr(condExpr(limit))), realOK())
	c.add("PutItem", "ConditionExpression of 4097 bytes", on(tCH, `"Item":{"pk":{"S":"lim-es-cond-over"}}`, `"ConditionExpression":`+jstr(condExpr(limit+1))),
		realAnswer(400, vex, confSize))
	fat, n := filterExpr(limit)
	c.add("Query", "FilterExpression of 4096 bytes", on(tCH, `"KeyConditionExpression":"pk = :pk"`, `"FilterExpression":`+jstr(fat), confValues(n, `":pk":{"S":"lim-es-qfilter-at"}`)), realOK())
	fover, n := filterExpr(limit + 1)
	c.add("Query", "FilterExpression of 4097 bytes", on(tCH, `"KeyConditionExpression":"pk = :pk"`, `"FilterExpression":`+jstr(fover), confValues(n, `":pk":{"S":"lim-es-qfilter-over"}`)),
		realAnswer(400, vex, confSize))
	fat, n = filterExpr(limit)
	c.add("Scan", "FilterExpression of 4096 bytes", on(tCH, `"FilterExpression":`+jstr(fat), confValues(n, "")), realOK())
	fover, n = filterExpr(limit + 1)
	c.add("Scan", "FilterExpression of 4097 bytes", on(tCH, `"FilterExpression":`+jstr(fover), confValues(n, "")), realAnswer(400, vex, confSize))
	c.seed("GetItem", "lim-es-proj-at", tCH, `{"pk":{"S":"lim-es-proj-at"},`+jstr(confPad(0, 50))+`:{"S":"present"}}`)
	c.add("GetItem", "ProjectionExpression of 4096 bytes", on(tCH, pkey("lim-es-proj-at"), `"ProjectionExpression":`+jstr(projExpr(limit))), realOK(),
		wantItem(`{`+jstr(confPad(0, 50))+`:{"S":"present"}}`))
	c.add("GetItem", "ProjectionExpression of 4097 bytes", on(tCH, pkey("lim-es-proj-over"), `"ProjectionExpression":`+jstr(projExpr(limit+1))), realAnswer(400, vex, confSize))
	aliases, nm := make([]string, 30), make([]string, 30)
	for i := range aliases {
		aliases[i] = fmt.Sprintf("#a%d", i)
		nm[i] = fmt.Sprintf(`"#a%d":"%sq%d"`, i, strings.Repeat("n", 246), i)
	}
	c.add("GetItem", "ProjectionExpression measured before the aliases are substituted", on(tCH, pkey("lim-es-proj-alias"),
		`"ProjectionExpression":`+jstr(strings.Join(aliases, ", ")), names("{"+strings.Join(nm, ",")+"}")), realOK())
	twPut := func(pk, extra string) string {
		return `{"Put":{"TableName":"` + tCH + `","Item":{"pk":{"S":"` + pk + `"}}` + extra + `}}`
	}
	c.add("TransactWriteItems", "Put ConditionExpression of 4096 bytes", confTx(`{"Put":{"TableName":"`+tCH+`","Item":{"pk":{"S":"lim-es-twi-cond-at"},"real":{"S":"y"}},"ConditionExpression":`+jstr(condExpr(limit))+`}}`), realOK())
	c.add("TransactWriteItems", "Put ConditionExpression of 4096 bytes, the item", on(tCH, pkey("lim-es-twi-cond-at")), get(), realOK(),
		wantItem(`{"pk":{"S":"lim-es-twi-cond-at"},"real":{"S":"y"}}`))
	c.add("TransactWriteItems", "Put ConditionExpression of 4097 bytes", confTx(twPut("lim-es-twi-cond-over", `,"ConditionExpression":`+jstr(condExpr(limit+1)))), realAnswer(400, vex, confSize))
	over, n = setExpr(limit + 1)
	c.add("TransactWriteItems", "Update UpdateExpression of 4097 bytes", confTx(`{"Update":{"TableName":"`+tCH+`","Key":{"pk":{"S":"lim-es-twi-upd-over"}},"UpdateExpression":`+jstr(over)+`,`+confValues(n, "")+`}}`),
		realAnswer(400, vex, confSize))
	c.add("TransactWriteItems", "only the second member oversized", confTx(twPut("lim-es-twi-second-first", ""), twPut("lim-es-twi-second-over", `,"ConditionExpression":`+jstr(condExpr(limit+1)))),
		realAnswer(400, vex, confSize))

	// nestingDepth.test.ts (eu-west-2, 2026-06; batch and transactions
	// eu-west-2 and us-east-1, 2026-09-12): 31 levels accepted, 32 refused.
	// https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/limits/nestingDepth.test.ts
	c.add("PutItem", "an attribute nested 31 levels", on(tCH, `"Item":{"pk":{"S":"nest-stored-31"},"data":`+confDeep(31)+`}`), realOK())
	c.add("PutItem", "an attribute nested 31 levels, the item", on(tCH, pkey("nest-stored-31")), get(), realOK(), wantItem(`{"pk":{"S":"nest-stored-31"},"data":`+confDeep(31)+`}`))
	c.add("PutItem", "an attribute nested 32 levels", on(tCH, `"Item":{"pk":{"S":"nest-stored-32"},"data":`+confDeep(32)+`}`), realAnswer(400, vex, confNest))
	c.seed("UpdateItem", "nest-cond-eav", tCH, `{"pk":{"S":"nest-cond-eav"},"marker":{"S":"x"}}`)
	c.add("UpdateItem", "a condition value nested 31 levels is evaluated", on(tCH, pkey("nest-cond-eav"), `"UpdateExpression":"SET touched = :t"`, `"ConditionExpression":"#d = :deep"`,
		names(`{"#d":"data"}`), vals(`{":t":{"S":"y"},":deep":`+confDeep(31)+`}`)), realAnswer(400, "ConditionalCheckFailedException", "The conditional request failed"))
	c.add("BatchWriteItem", "a Put item nested 31 levels", `{"RequestItems":{"`+tCH+`":[{"PutRequest":{"Item":{"pk":{"S":"nest-bw-31"},"data":`+confDeep(31)+`}}}]}}`, realOK())
	c.add("BatchWriteItem", "a Put item nested 31 levels, the item", on(tCH, pkey("nest-bw-31")), get(), realOK(), wantItem(`{"pk":{"S":"nest-bw-31"},"data":`+confDeep(31)+`}`))
	c.add("BatchWriteItem", "a Put item nested 32 levels", `{"RequestItems":{"`+tCH+`":[{"PutRequest":{"Item":{"pk":{"S":"nest-bw-32"},"data":`+confDeep(32)+`}}}]}}`,
		realAnswer(400, vex, confNest))
	c.add("TransactWriteItems", "a Put item nested 31 levels", confTx(`{"Put":{"TableName":"`+tCH+`","Item":{"pk":{"S":"nest-twi-31"},"data":`+confDeep(31)+`}}}`), realOK())
	c.add("TransactWriteItems", "a Put item nested 31 levels, the item", on(tCH, pkey("nest-twi-31")), get(), realOK(), wantItem(`{"pk":{"S":"nest-twi-31"},"data":`+confDeep(31)+`}`))
	c.add("TransactWriteItems", "a Put item nested 32 levels", confTx(`{"Put":{"TableName":"`+tCH+`","Item":{"pk":{"S":"nest-twi-32"},"data":`+confDeep(32)+`}}}`),
		realAnswer(400, vex, confNest))

	// numberExponent.test.ts (eu-west-2, October 2026; substrings, as
	// some regions add the envelope). https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/limits/numberExponent.test.ts
	const (
		overflow      = "Number overflow. Attempting to store a number with magnitude larger than supported range"
		underflow     = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
		unconvertible = "The parameter cannot be converted to a numeric value"
	)
	numPut := func(pk, lit string) string { return on(tCH, `"Item":{"pk":{"S":"`+pk+`"},"val":{"N":"`+lit+`"}}`) }
	c.add("PutItem", "an exponent past a 64-bit integer", numPut("nx-rejected", "1e9223372036854775808"), realAnswer(400, vex, unconvertible))
	c.add("PutItem", "zero with an exponent above the range", numPut("nx-rejected", "0e126"), realAnswer(400, vex, overflow))
	c.add("PutItem", "zero with an exponent below the range", numPut("nx-rejected", "0e-131"), realAnswer(400, vex, underflow))
	c.add("PutItem", "zero with an exponent inside the range", numPut("nx-zero", "0e125"), realOK())
	c.add("PutItem", "zero with an exponent inside the range, the item", on(tCH, pkey("nx-zero")), get(), realOK(), wantItem(`{"pk":{"S":"nx-zero"},"val":{"N":"0"}}`))
	c.add("PutItem", "the smallest magnitude with an exponent", numPut("nx-small", "1e-130"), realOK())
	big := `{"N":"1e99999999999"}`
	c.add("UpdateItem", "an update value with an exponent past a 32-bit integer", on(tCH, pkey("nx-update"), `"UpdateExpression":"SET m = :v"`, vals(`{":v":`+big+`}`)), realAnswer(400, vex, overflow))
	c.add("GetItem", "a number key with an exponent past a 32-bit integer", on(tCN, `"Key":{"pk":`+big+`}`), realAnswer(400, vex, overflow))
	c.add("DeleteItem", "a number key with an exponent past a 32-bit integer", on(tCN, `"Key":{"pk":`+big+`}`), realAnswer(400, vex, overflow))
	c.add("UpdateItem", "a number key with an exponent past a 32-bit integer", on(tCN, `"Key":{"pk":`+big+`}`, `"UpdateExpression":"SET a = :a"`, vals(`{":a":{"S":"x"}}`)),
		realAnswer(400, vex, overflow))
	c.add("Query", "a sort-key value with an exponent past a 32-bit integer", on(tCSN, `"KeyConditionExpression":"pk = :p AND sk = :v"`, vals(`{":p":{"S":"nx-query"},":v":`+big+`}`)),
		realAnswer(400, vex, overflow))
	c.add("BatchGetItem", "a number key with an exponent past a 32-bit integer", `{"RequestItems":{"`+tCN+`":{"Keys":[{"pk":`+big+`}]}}}`, realAnswer(400, vex, overflow))

	// numberByteSize.test.ts (eu-west-2, 2026-08-18): a number costs
	// 1 + ceil(integer digits/2) + ceil(fraction digits/2) (+1 if negative)
	// bytes of the 409,600; an item built to exactly the limit on that cost
	// is accepted and one a byte over refused. https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/limits/numberByteSize.test.ts
	const maxItem = 409600
	sized := func(id, lit string, cost, total int) string {
		pk := "lim-nbs-" + id
		pad := total - (len("pk") + len(pk)) - len("n") - cost - len("p")
		return on(tCH, `"Item":{"pk":{"S":"`+pk+`"},"n":{"N":"`+lit+`"},"p":{"S":"`+strings.Repeat("p", pad)+`"}}`)
	}
	for _, nb := range []struct {
		lit  string
		cost int
	}{{"3.14159", 5}, {"123456", 4}, {"1E125", 2}} {
		c.add("PutItem", fmt.Sprintf("%s costs %d bytes: an item of exactly 400 KB", nb.lit, nb.cost), sized("at-"+nb.lit, nb.lit, nb.cost, maxItem), realOK())
		c.add("PutItem", fmt.Sprintf("%s costs %d bytes: an item a byte over 400 KB", nb.lit, nb.cost), sized("over-"+nb.lit, nb.lit, nb.cost, maxItem+1),
			realAnswer(400, vex, "Item size has exceeded the maximum allowed size"))
	}
	c.add("PutItem", "0042.1200 is stored trimmed", on(tCH, `"Item":{"pk":{"S":"lim-nbs-rt-trim"},"n":{"N":"0042.1200"}}`), realOK())
	c.add("PutItem", "0042.1200 is stored trimmed, the item", on(tCH, pkey("lim-nbs-rt-trim")), get(), realOK(), wantItem(`{"pk":{"S":"lim-nbs-rt-trim"},"n":{"N":"42.12"}}`))
	c.add("PutItem", "1E125 is stored expanded", on(tCH, `"Item":{"pk":{"S":"lim-nbs-rt-exp"},"n":{"N":"1E125"}}`), realOK())
	c.add("PutItem", "1E125 is stored expanded, the item", on(tCH, pkey("lim-nbs-rt-exp")), get(), realOK(),
		wantItem(`{"pk":{"S":"lim-nbs-rt-exp"},"n":{"N":"1`+strings.Repeat("0", 125)+`"}}`))
}

// confUpdateSemantics: paritysuite tests/tier1/updateItem/basic.test.ts and
// paths.test.ts (eu-west-2 where a date is given), each update followed by a
// GetItem of the item.
// https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier1/updateItem/basic.test.ts
// https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier1/updateItem/paths.test.ts
func confUpdateSemantics(c confBuilder) {
	const op = "UpdateItem"
	step := func(name, pk, seed, body, want string) {
		if seed != "" {
			c.seed(op, pk, tCH, seed)
		}
		c.add(op, name, on(tCH, pkey(pk), body), realOK())
		c.add(op, name+", the item", on(tCH, pkey(pk)), get(), realOK(), wantItem(want))
	}
	ex := func(expr string, more ...string) string {
		return strings.Join(append([]string{`"UpdateExpression":` + jstr(expr)}, more...), ",")
	}
	// basic.test.ts, "UpdateItem — SET"
	step("SET creates a missing item", "upd-set-create", "", ex("SET #d = :v", names(`{"#d":"data"}`), vals(`{":v":{"S":"created-via-update"}}`)),
		`{"pk":{"S":"upd-set-create"},"data":{"S":"created-via-update"}}`)
	step("SET x = x + :val", "upd-set-arith", `{"pk":{"S":"upd-set-arith"},"counter":{"N":"10"}}`,
		ex("SET #c = #c + :inc", names(`{"#c":"counter"}`), vals(`{":inc":{"N":"5"}}`)), `{"pk":{"S":"upd-set-arith"},"counter":{"N":"15"}}`)
	step("if_not_exists on a present and a missing attribute", "upd-set-ine", `{"pk":{"S":"upd-set-ine"},"existing":{"S":"keep-me"}}`,
		ex("SET existing = if_not_exists(existing, :def), newone = if_not_exists(newone, :def2)", vals(`{":def":{"S":"default"},":def2":{"S":"created"}}`)),
		`{"pk":{"S":"upd-set-ine"},"existing":{"S":"keep-me"},"newone":{"S":"created"}}`)
	step("if_not_exists with another attribute as the default", "upd-set-ine2", `{"pk":{"S":"upd-set-ine2"},"myval":{"S":"original"}}`,
		ex("SET #bk = if_not_exists(#bk, #mv)", names(`{"#bk":"backup","#mv":"myval"}`)), `{"pk":{"S":"upd-set-ine2"},"myval":{"S":"original"},"backup":{"S":"original"}}`)
	step("SET a string set of the empty string", "upd-set-ss", "", ex("SET tags = :v", vals(`{":v":{"SS":[""]}}`)), `{"pk":{"S":"upd-set-ss"},"tags":{"SS":[""]}}`)
	step("SET a nested string set of the empty string", "upd-set-nss", `{"pk":{"S":"upd-set-nss"},"wrapper":{"M":{}}}`,
		ex("SET wrapper.tags = :v", vals(`{":v":{"SS":[""]}}`)), `{"pk":{"S":"upd-set-nss"},"wrapper":{"M":{"tags":{"SS":[""]}}}}`)
	// "UpdateItem — REMOVE"
	step("REMOVE an attribute", "upd-rem", `{"pk":{"S":"upd-rem"},"keep":{"S":"yes"},"drop":{"S":"no"}}`,
		ex("REMOVE #d", names(`{"#d":"drop"}`)), `{"pk":{"S":"upd-rem"},"keep":{"S":"yes"}}`)
	step("REMOVE a missing attribute", "upd-rem-ghost", `{"pk":{"S":"upd-rem-ghost"},"existing":{"S":"hello"}}`,
		ex("REMOVE #g", names(`{"#g":"ghostAttr"}`)), `{"pk":{"S":"upd-rem-ghost"},"existing":{"S":"hello"}}`)
	step("REMOVE a missing nested path", "upd-rem-nested", `{"pk":{"S":"upd-rem-nested"},"mapAttr":{"M":{"realKey":{"S":"value"}}}}`,
		ex("REMOVE #m.#n", names(`{"#m":"mapAttr","#n":"nonexistent"}`)), `{"pk":{"S":"upd-rem-nested"},"mapAttr":{"M":{"realKey":{"S":"value"}}}}`)
	// "UpdateItem — ADD"
	step("ADD a number", "upd-add", `{"pk":{"S":"upd-add"},"count":{"N":"10"}}`, ex("ADD #c :v", names(`{"#c":"count"}`), vals(`{":v":{"N":"3"}}`)),
		`{"pk":{"S":"upd-add"},"count":{"N":"13"}}`)
	step("ADD a number to a missing attribute", "upd-add-new", `{"pk":{"S":"upd-add-new"}}`, ex("ADD #c :v", names(`{"#c":"counter"}`), vals(`{":v":{"N":"10"}}`)),
		`{"pk":{"S":"upd-add-new"},"counter":{"N":"10"}}`)
	step("ADD to a string set", "upd-add-ss", `{"pk":{"S":"upd-add-ss"},"tags":{"SS":["a","b"]}}`, ex("ADD tags :v", vals(`{":v":{"SS":["c","d"]}}`)),
		`{"pk":{"S":"upd-add-ss"},"tags":{"SS":["a","b","c","d"]}}`)
	step("ADD the empty string to a set", "upd-add-ss-empty", `{"pk":{"S":"upd-add-ss-empty"},"tags":{"SS":["a"]}}`, ex("ADD tags :v", vals(`{":v":{"SS":[""]}}`)),
		`{"pk":{"S":"upd-add-ss-empty"},"tags":{"SS":["","a"]}}`)
	step("ADD the empty string to a missing set", "upd-add-ss-empty-new", `{"pk":{"S":"upd-add-ss-empty-new"}}`, ex("ADD tags :v", vals(`{":v":{"SS":[""]}}`)),
		`{"pk":{"S":"upd-add-ss-empty-new"},"tags":{"SS":[""]}}`)
	step("ADD the empty string already in the set", "upd-add-ss-empty-dup", `{"pk":{"S":"upd-add-ss-empty-dup"},"tags":{"SS":[""]}}`, ex("ADD tags :v", vals(`{":v":{"SS":[""]}}`)),
		`{"pk":{"S":"upd-add-ss-empty-dup"},"tags":{"SS":[""]}}`)
	step("ADD the empty binary to a binary set", "upd-add-bs-empty", `{"pk":{"S":"upd-add-bs-empty"},"bins":{"BS":["AQ=="]}}`, ex("ADD bins :v", vals(`{":v":{"BS":[""]}}`)),
		`{"pk":{"S":"upd-add-bs-empty"},"bins":{"BS":["","AQ=="]}}`)
	// "UpdateItem — DELETE"
	step("DELETE every member", "upd-del-all", `{"pk":{"S":"upd-del-all"},"tags":{"SS":["a","b"]}}`, ex("DELETE #t :v", names(`{"#t":"tags"}`), vals(`{":v":{"SS":["a","b"]}}`)),
		`{"pk":{"S":"upd-del-all"}}`)
	step("DELETE some members", "upd-del-partial", `{"pk":{"S":"upd-del-partial"},"tags":{"SS":["a","b","c"]}}`, ex("DELETE #t :v", names(`{"#t":"tags"}`), vals(`{":v":{"SS":["b"]}}`)),
		`{"pk":{"S":"upd-del-partial"},"tags":{"SS":["a","c"]}}`)
	step("DELETE the empty member", "upd-del-ss-empty", `{"pk":{"S":"upd-del-ss-empty"},"tags":{"SS":["","a"]}}`, ex("DELETE tags :v", vals(`{":v":{"SS":[""]}}`)),
		`{"pk":{"S":"upd-del-ss-empty"},"tags":{"SS":["a"]}}`)
	step("DELETE the last (empty) member", "upd-del-ss-empty-last", `{"pk":{"S":"upd-del-ss-empty-last"},"tags":{"SS":[""]}}`, ex("DELETE tags :v", vals(`{":v":{"SS":[""]}}`)),
		`{"pk":{"S":"upd-del-ss-empty-last"}}`)
	step("DELETE leaving only the empty member", "upd-del-ss-to-empty", `{"pk":{"S":"upd-del-ss-to-empty"},"tags":{"SS":["","a"]}}`, ex("DELETE tags :v", vals(`{":v":{"SS":["a"]}}`)),
		`{"pk":{"S":"upd-del-ss-to-empty"},"tags":{"SS":[""]}}`)
	// "UpdateItem — SET evaluation semantics"
	step("arithmetic around if_not_exists", "upd-ifnot-arith", `{"pk":{"S":"upd-ifnot-arith"},"v":{"N":"10"}}`,
		ex("SET v = if_not_exists(v, :d) - :amt", vals(`{":d":{"N":"0"},":amt":{"N":"3"}}`)), `{"pk":{"S":"upd-ifnot-arith"},"v":{"N":"7"}}`)
	step("list_append of if_not_exists on a missing list", "upd-nested-fn", `{"pk":{"S":"upd-nested-fn"}}`,
		ex("SET mylist = list_append(if_not_exists(mylist, :empty), :more)", vals(`{":empty":{"L":[]},":more":{"L":[{"S":"x"}]}}`)),
		`{"pk":{"S":"upd-nested-fn"},"mylist":{"L":[{"S":"x"}]}}`)
	step("list_append with the new list first prepends", "upd-prepend", `{"pk":{"S":"upd-prepend"},"vals":{"L":[{"S":"b"},{"S":"c"}]}}`,
		ex("SET vals = list_append(:new, vals)", vals(`{":new":{"L":[{"S":"a"}]}}`)), `{"pk":{"S":"upd-prepend"},"vals":{"L":[{"S":"a"},{"S":"b"},{"S":"c"}]}}`)
	// "UpdateItem — no-op upsert": only a Key creates the item.
	c.add(op, "only a Key creates the item", on(tCH, pkey("upd-noop")), realOK())
	c.add(op, "only a Key creates the item, the item", on(tCH, pkey("upd-noop")), get(), realOK(), wantItem(`{"pk":{"S":"upd-noop"}}`))

	// paths.test.ts, "UpdateItem — nested path semantics"
	step("SET an existing nested map member", "path-existing-nested", `{"pk":{"S":"path-existing-nested"},"mymap":{"M":{"nested":{"S":"old"}}}}`,
		ex("SET #m.#n = :v", names(`{"#m":"mymap","#n":"nested"}`), vals(`{":v":{"S":"updated"}}`)), `{"pk":{"S":"path-existing-nested"},"mymap":{"M":{"nested":{"S":"updated"}}}}`)
	step("SET a.b.c with every intermediate present", "path-deep-nested", `{"pk":{"S":"path-deep-nested"},"a":{"M":{"b":{"M":{"c":{"S":"old"}}}}}}`,
		ex("SET #a.#b.#c = :v", names(`{"#a":"a","#b":"b","#c":"c"}`), vals(`{":v":{"S":"new"}}`)), `{"pk":{"S":"path-deep-nested"},"a":{"M":{"b":{"M":{"c":{"S":"new"}}}}}}`)
	step("arithmetic on a nested path", "path-nested-arith", `{"pk":{"S":"path-nested-arith"},"mymap":{"M":{"counter":{"N":"10"}}}}`,
		ex("SET #m.#c = #m.#c + :inc", names(`{"#m":"mymap","#c":"counter"}`), vals(`{":inc":{"N":"5"}}`)), `{"pk":{"S":"path-nested-arith"},"mymap":{"M":{"counter":{"N":"15"}}}}`)
	step("REMOVE a nested map key", "path-remove-nested-key", `{"pk":{"S":"path-remove-nested-key"},"mymap":{"M":{"nested":{"S":"gone"},"keep":{"S":"stay"}}}}`,
		ex("REMOVE #m.#n", names(`{"#m":"mymap","#n":"nested"}`)), `{"pk":{"S":"path-remove-nested-key"},"mymap":{"M":{"keep":{"S":"stay"}}}}`)
	step("REMOVE a list element shifts the rest", "path-remove-list-idx", `{"pk":{"S":"path-remove-list-idx"},"mylist":{"L":[{"S":"a"},{"S":"b"},{"S":"c"},{"S":"d"}]}}`,
		ex("REMOVE #l[1]", names(`{"#l":"mylist"}`)), `{"pk":{"S":"path-remove-list-idx"},"mylist":{"L":[{"S":"a"},{"S":"c"},{"S":"d"}]}}`)
	step("REMOVE the last list element", "path-remove-last-elem", `{"pk":{"S":"path-remove-last-elem"},"mylist":{"L":[{"S":"x"},{"S":"y"}]}}`,
		ex("REMOVE #l[1]", names(`{"#l":"mylist"}`)), `{"pk":{"S":"path-remove-last-elem"},"mylist":{"L":[{"S":"x"}]}}`)
	step("SET index 0 of an empty list", "path-list-empty", `{"pk":{"S":"path-list-empty"},"mylist":{"L":[]}}`,
		ex("SET #l[0] = :v", names(`{"#l":"mylist"}`), vals(`{":v":{"S":"first"}}`)), `{"pk":{"S":"path-list-empty"},"mylist":{"L":[{"S":"first"}]}}`)
	step("SET parent.child nests under the map", "path-map-nest", `{"pk":{"S":"path-map-nest"},"parent":{"M":{"keep":{"S":"k"}}}}`,
		ex("SET parent.child = :v", vals(`{":v":{"S":"nested"}}`)), `{"pk":{"S":"path-map-nest"},"parent":{"M":{"keep":{"S":"k"},"child":{"S":"nested"}}}}`)
}

// confConditionalChecks: nubo-db tests/tier3/error-messages/conditionalCheck.test.ts.
// https://github.com/nubo-db/dynamodb-conformance/blob/main/tests/tier3/error-messages/conditionalCheck.test.ts
func confConditionalChecks(c confBuilder) {
	const ccf = "ConditionalCheckFailedException"
	const failed = "The conditional request failed"
	c.seed("PutItem", "em-ccf-put", tCH, `{"pk":{"S":"em-ccf-put"},"attr1":{"S":"exists"}}`)
	c.add("PutItem", "attribute_not_exists fails", on(tCH, `"Item":{"pk":{"S":"em-ccf-put"},"attr1":{"S":"overwrite"}}`, `"ConditionExpression":"attribute_not_exists(pk)"`),
		realAnswer(400, ccf, failed))
	c.seed("DeleteItem", "em-ccf-del", tCH, `{"pk":{"S":"em-ccf-del"},"attr1":{"S":"keep"}}`)
	c.add("DeleteItem", "condition on a value fails", on(tCH, pkey("em-ccf-del"), `"ConditionExpression":"attr1 = :v"`, vals(`{":v":{"S":"wrong-value"}}`)),
		realAnswer(400, ccf, failed))
	c.seed("UpdateItem", "em-ccf-upd", tCH, `{"pk":{"S":"em-ccf-upd"},"attr1":{"S":"original"}}`)
	c.add("UpdateItem", "condition on a value fails", on(tCH, pkey("em-ccf-upd"), `"UpdateExpression":"SET attr1 = :newval"`, `"ConditionExpression":"attr1 = :expected"`,
		vals(`{":newval":{"S":"updated"},":expected":{"S":"wrong"}}`)), realAnswer(400, ccf, failed))
	c.seed("TransactWriteItems", "em-ccf-txn", tCH, `{"pk":{"S":"em-ccf-txn"},"attr1":{"S":"exists"}}`)
	c.add("TransactWriteItems", "one failing condition", confTx(`{"Put":{"TableName":"`+tCH+`","Item":{"pk":{"S":"em-ccf-txn"},"attr1":{"S":"overwrite"}},"ConditionExpression":"attribute_not_exists(pk)"}}`),
		confCanceled("ConditionalCheckFailed"))
	c.seed("PutItem", "em-ccf-rvocf", tCH, `{"pk":{"S":"em-ccf-rvocf"},"attr1":{"S":"original-value"}}`)
	c.add("PutItem", "ReturnValuesOnConditionCheckFailure ALL_OLD returns the item", on(tCH, `"Item":{"pk":{"S":"em-ccf-rvocf"},"attr1":{"S":"overwrite"}}`,
		`"ConditionExpression":"attribute_not_exists(pk)"`, `"ReturnValuesOnConditionCheckFailure":"ALL_OLD"`),
		realAnswer(400, ccf, failed), wantItem(`{"pk":{"S":"em-ccf-rvocf"},"attr1":{"S":"original-value"}}`))
}
