package main

import "strings"

// The reported corpus: behaviours of real DynamoDB that other emulator and
// compatibility projects measured against the real service (or captured
// from it) and recorded in an issue, a pull request or a conformance test.
// Every case checks Concord's answer against what was reported (so each is
// documented(...): dynalite is not asked), and its comment cites where the
// real answer was recorded. Case names start with "reported: " (go run
// ./test/compat -run reported: runs only these, with the setup cases).
const (
	tRH  = "compat_rep_h"  // HASH pk S
	tRHN = "compat_rep_hn" // HASH pk S, RANGE sk N
	tRHS = "compat_rep_hs" // HASH pk S, RANGE sk S
)

// repPrefix starts every reported case name.
const repPrefix = "reported: "

// repBuilder adds reported cases: the names get repPrefix.
type repBuilder struct{ b *corpusBuilder }

func (r repBuilder) add(op, name, body string, opts ...opt) {
	r.b.add(op, repPrefix+name, body, opts...)
}

// realAnswer is documented(...) for an answer real DynamoDB was reported to give.
func realAnswer(status int, typ, msg string) opt { return documented(status, typ, msg) }

// realOK is a 200 from real DynamoDB.
func realOK() opt { return documented(200, "", "") }

// wantItem makes a documented GetItem case also check the Item it returns.
func wantItem(it string) opt { return func(c *testCase) { c.want.item = it } }

// get is a GetItem target override.
func get() opt { return withTarget("DynamoDB_20120810.GetItem") }

const (
	vex = "ValidationException"
	tce = "TransactionCanceledException"
)

func reported(b *corpusBuilder) {
	r := repBuilder{b}
	reportedTables(r)
	reportedUpdateExpressions(r)
	reportedConditions(r)
	reportedValidation(r)
	reportedKeyConditions(r)
	reportedTransactions(r)
}

func reportedTables(r repBuilder) {
	const op = "CreateTable"
	create := func(name, body string) {
		r.add(op, "table "+name, body, asSetup(), settleOn(name), func(c *testCase) { c.bodyIgnored = true })
	}
	create(tRH, hashTable(tRH))
	for _, t := range []struct{ name, typ string }{{tRHN, "N"}, {tRHS, "S"}} {
		create(t.name, `{"TableName":"`+t.name+`","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"`+t.typ+`"}],`+
			`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],`+pt+`}`)
	}
}

// seedRep puts item into compat_rep_h on both servers (a setup case).
func seedRep(r repBuilder, op, name, item string) {
	r.add(op, "seed "+name, on(tRH, `"Item":`+item), withTarget("DynamoDB_20120810.PutItem"), asSetup(),
		func(c *testCase) { c.bodyIgnored = true })
}

func reportedUpdateExpressions(r repBuilder) {
	const op = "UpdateItem"

	// floci-io/floci#3073 (measured on real DynamoDB, us-east-1,
	// 2026-09-05): with l = [a, b], SET l[10] = :v appends: [a, b, c], no
	// NULL padding. https://github.com/floci-io/floci/issues/3073
	seedRep(r, op, "list [a, b]", `{"pk":{"S":"rep-list"},"l":{"L":[{"S":"a"},{"S":"b"}]}}`)
	r.add(op, "SET l[10] past the end appends", on(tRH, pkey("rep-list"), `"UpdateExpression":"SET l[10] = :v"`, vals(`{":v":{"S":"c"}}`)), realOK())
	r.add(op, "SET l[10] past the end appends, the item", on(tRH, pkey("rep-list")), get(), realOK(),
		wantItem(`{"pk":{"S":"rep-list"},"l":{"L":[{"S":"a"},{"S":"b"},{"S":"c"}]}}`))

	// ExtendDB/extenddb#158 ("Verified both behaviors against real
	// DynamoDB first"), also floci-io/floci#802: parenthesised arithmetic
	// in SET is valid and applies like the unparenthesised form.
	// https://github.com/ExtendDB/extenddb/pull/158
	// https://github.com/floci-io/floci/issues/802
	seedRep(r, op, "counter 5", `{"pk":{"S":"rep-paren"},"c":{"N":"5"}}`)
	r.add(op, "SET c = (c - :v) with parentheses", on(tRH, pkey("rep-paren"), `"UpdateExpression":"SET #c = (#c - :v)"`,
		names(`{"#c":"c"}`), vals(`{":v":{"N":"1"}}`)), realOK())
	r.add(op, "SET c = (c - :v) with parentheses, the item", on(tRH, pkey("rep-paren")), get(), realOK(),
		wantItem(`{"pk":{"S":"rep-paren"},"c":{"N":"4"}}`))

	// ExtendDB/extenddb#158 and floci-io/floci#798: SET a = :v, b = a
	// gives b the value a had before the update.
	// https://github.com/floci-io/floci/issues/798
	seedRep(r, op, "a and b", `{"pk":{"S":"rep-snap"},"a":{"S":"original_a"},"b":{"S":"original_b"}}`)
	r.add(op, "SET a = :v, b = a reads the old a", on(tRH, pkey("rep-snap"), `"UpdateExpression":"SET #a = :new_a, #b = #a"`,
		names(`{"#a":"a","#b":"b"}`), vals(`{":new_a":{"S":"new_a_value"}}`)), realOK())
	r.add(op, "SET a = :v, b = a reads the old a, the item", on(tRH, pkey("rep-snap")), get(), realOK(),
		wantItem(`{"pk":{"S":"rep-snap"},"a":{"S":"new_a_value"},"b":{"S":"original_a"}}`))

	// floci-io/floci#2510 (#2509): whitespace between list_append and its
	// parenthesis works against real AWS (replayed through the AWS CLI).
	// https://github.com/floci-io/floci/pull/2510
	seedRep(r, op, "list [a]", `{"pk":{"S":"rep-space"},"x":{"L":[{"S":"a"}]}}`)
	r.add(op, "list_append with a space before the parenthesis", on(tRH, pkey("rep-space"), `"UpdateExpression":"SET x = list_append (x, :y)"`,
		vals(`{":y":{"L":[{"S":"b"}]}}`)), realOK())
	r.add(op, "list_append with a space before the parenthesis, the item", on(tRH, pkey("rep-space")), get(), realOK(),
		wantItem(`{"pk":{"S":"rep-space"},"x":{"L":[{"S":"a"},{"S":"b"}]}}`))

	// getmoto/moto#5429 ("occurred in DynamoDB on AWS"): the same path set
	// twice. https://github.com/getmoto/moto/issues/5429
	r.add(op, "SET the same path twice", on(tRH, pkey("rep-ov"), `"UpdateExpression":"SET c = :a, c = :a"`, vals(`{":a":{"S":"x"}}`)),
		realAnswer(400, vex, "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [c], path two: [c]"))
	// getmoto/moto#8582 ("Fails with real operations"): SET of a path and
	// REMOVE of a path inside it; the error lists the path's parts.
	// https://github.com/getmoto/moto/issues/8582
	r.add(op, "SET a path and REMOVE a path inside it", on(tRH, pkey("rep-ov"), `"UpdateExpression":"SET e = :a REMOVE e.nested.hello"`, vals(`{":a":{"S":"x"}}`)),
		realAnswer(400, vex, "path one: [e], path two: [e, nested, hello]"))

	// getmoto/moto#3972 (the real service's answer quoted; moto#4398 "The
	// test has been validated against AWS").
	// https://github.com/getmoto/moto/issues/3972
	r.add(op, "two ADD sections", on(tRH, pkey("rep-ov"), `"UpdateExpression":"ADD x :one SET a = :a ADD y :one"`, vals(`{":one":{"N":"1"},":a":{"S":"l"}}`)),
		realAnswer(400, vex, `Invalid UpdateExpression: The "ADD" section can only be used once in an update expression;`))

	// baseprime/dynamodb#51 and serverless/serverless#7184 (errors from the
	// real service in Lambda): ADD with a list operand names the type LIST.
	// https://github.com/baseprime/dynamodb/issues/51
	// https://github.com/serverless/serverless/issues/7184
	r.add(op, "ADD with a list operand", on(tRH, pkey("rep-ov"), `"UpdateExpression":"ADD l :v"`, vals(`{":v":{"L":[{"S":"a"}]}}`)),
		realAnswer(400, vex, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST"))

	// ministackorg/ministack#1067 ("All behaviors verified against real AWS
	// DynamoDB (eu-central-1)"): SET on an unresolvable path such as
	// list_append of a missing attribute is rejected.
	// https://github.com/ministackorg/ministack/pull/1067
	r.add(op, "list_append of a missing attribute", on(tRH, pkey("rep-ov"), `"UpdateExpression":"SET x = list_append(nope, :v)"`, vals(`{":v":{"L":[{"S":"a"}]}}`)),
		realAnswer(400, vex, "The provided expression refers to an attribute that does not exist in the item"))

	// ministackorg/ministack#1038 (run against real AWS): an empty string
	// set as an update value.
	// https://github.com/ministackorg/ministack/issues/1038
	r.add(op, "SET an empty string set", on(tRH, pkey("rep-ov"), `"UpdateExpression":"SET #A = :a"`, names(`{"#A":"A"}`), vals(`{":a":{"SS":[]}}`)),
		realAnswer(400, vex, "One or more parameter values were invalid: An string set  may not be empty"))

	// nubo-db/dynamodb-conformance captures of real DynamoDB (2026-06-09,
	// four regions; us-east-1 wording). https://github.com/nubo-db/dynamodb-conformance/blob/main/captures/2026-06-09-validation-rewording.json
	r.add(op, "SET the hash key", on(tRH, pkey("rep-ov"), `"UpdateExpression":"SET pk = :v"`, vals(`{":v":{"S":"new"}}`)),
		realAnswer(400, vex, "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"))
	r.add(op, "empty UpdateExpression", on(tRH, pkey("rep-ov"), `"UpdateExpression":""`),
		realAnswer(400, vex, "Invalid UpdateExpression: The expression can not be empty;"))
	r.add(op, "UpdateExpression syntax error", on(tRH, pkey("rep-ov"), `"UpdateExpression":"INVALID SYNTAX HERE"`, vals(`{":v":{"S":"val"}}`)),
		realAnswer(400, vex, `Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"`))
	// paritysuite/dynamodb-conformance tier 3 (eu-west-2 and us-east-1,
	// 2026-10-09): an undefined value in the condition beside a defined one
	// in the update. https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/error-messages/updateItem.test.ts
	r.add(op, "undefined value in the ConditionExpression", on(tRH, pkey("rep-ov"), `"UpdateExpression":"SET b = :w"`, `"ConditionExpression":"a = :v"`,
		vals(`{":w":{"S":"x"}}`)),
		realAnswer(400, vex, "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v"))
	// nubo-db/dynamodb-conformance capture of real DynamoDB (2026-08-12,
	// us-east-1): a 32-level value. https://github.com/nubo-db/dynamodb-conformance/blob/main/captures/2026-08-12-batch-empty-and-nesting.json
	nested := `{"S":"x"}`
	for range 32 {
		nested = `{"M":{"a":` + nested + `}}`
	}
	r.add(op, "32-level nested value", on(tRH, pkey("rep-nest"), `"UpdateExpression":"SET a = :v"`, vals(`{":v":`+nested+`}`)),
		realAnswer(400, vex, "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"))
}

func reportedConditions(r repBuilder) {
	const op = "PutItem"
	// floci-io/floci#1512 ("Confirmed against real AWS", ap-northeast-1):
	// a lexically invalid expression is a 400 naming the expression kind.
	// https://github.com/floci-io/floci/issues/1512
	r.add(op, "ConditionExpression a-b", on(tRH, `"Item":{"pk":{"S":"rep-x"}}`, `"ConditionExpression":"a-b"`),
		realAnswer(400, vex, `Invalid ConditionExpression: Syntax error; token: "-", near: "a-b"`))
	r.add("DeleteItem", "ConditionExpression a-b", on(tRH, pkey("rep-x"), `"ConditionExpression":"a-b"`),
		realAnswer(400, vex, `Invalid ConditionExpression: Syntax error; token: "-", near: "a-b"`))
	r.add("Scan", "FilterExpression a-b", on(tRH, `"FilterExpression":"a-b"`),
		realAnswer(400, vex, `Invalid FilterExpression: Syntax error; token: "-", near: "a-b"`))
	r.add("Query", "KeyConditionExpression a-b", on(tRH, `"KeyConditionExpression":"a-b"`),
		realAnswer(400, vex, `Invalid KeyConditionExpression: Syntax error; token: "-", near: "a-b"`))

	// floci-io/floci#3690 ("Real DynamoDB and DynamoDB Local reject this
	// expression") and the nubo-db capture (b_put_redundant_parens).
	// https://github.com/floci-io/floci/issues/3690
	r.add(op, "redundant parentheses", on(tRH, `"Item":{"pk":{"S":"rep-x"}}`, `"ConditionExpression":"((attribute_not_exists(pk)))"`),
		realAnswer(400, vex, "Invalid ConditionExpression: The expression has redundant parentheses;"))
	r.add("TransactWriteItems", "redundant parentheses in a Put", `{"TransactItems":[{"Put":{"TableName":"`+tRH+`","Item":{"pk":{"S":"rep-x"}},"ConditionExpression":"((attribute_not_exists(pk)))"}}]}`,
		realAnswer(400, vex, "Invalid ConditionExpression: The expression has redundant parentheses;"))

	// nubo-db capture (b_put_contains_dup) and floci-io/floci#1442.
	// https://github.com/nubo-db/dynamodb-conformance/blob/main/captures/2026-06-09-validation-rewording.json
	r.add(op, "contains with the same path twice", on(tRH, `"Item":{"pk":{"S":"rep-x"}}`, `"ConditionExpression":"contains(#a, #a)"`, names(`{"#a":"data"}`)),
		realAnswer(400, vex, "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [data]"))

	// scylladb/scylladb#14592 (DynamoDB's answers, found running the
	// Alternator tests against it): size() also takes a value; a value of
	// a type size() cannot measure, or size(size(x)), is an error in the
	// request. https://github.com/scylladb/scylladb/issues/14592
	r.add(op, "size of a string value", on(tRH, `"Item":{"pk":{"S":"rep-size"}}`, `"ConditionExpression":"size(:v) = :three"`,
		vals(`{":v":{"S":"abc"},":three":{"N":"3"}}`)), realOK())
	r.add(op, "size of a number value", on(tRH, `"Item":{"pk":{"S":"rep-size"}}`, `"ConditionExpression":"size(:v) = :three"`,
		vals(`{":v":{"N":"123"},":three":{"N":"3"}}`)),
		realAnswer(400, vex, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N"))
	r.add(op, "size of size", on(tRH, `"Item":{"pk":{"S":"rep-size"}}`, `"ConditionExpression":"size(size(s)) = :three"`,
		vals(`{":three":{"N":"3"}}`)),
		realAnswer(400, vex, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N"))
}

func reportedValidation(r repBuilder) {
	const op = "PutItem"
	// nubo-db/dynamodb-conformance capture of real DynamoDB, 2026-06-09,
	// us-east-1 (old wording).
	// https://github.com/nubo-db/dynamodb-conformance/blob/main/captures/2026-06-09-validation-rewording.json
	item := `"Item":{"pk":{"S":"rep-v"}}`
	// The capture is older than paritysuite's (us-east-1 and eu-west-2,
	// 2026-10-09, putItem.test.ts "PutItem - request validation envelope"),
	// whose current answer this case checks: inside the envelope, without
	// the June capture's ": ConditionExpression is null" suffix.
	r.add(op, "ExpressionAttributeValues without an expression", on(tRH, item, vals(`{":v":{"S":"x"}}`)),
		realAnswer(400, vex, "1 validation error detected: ExpressionAttributeValues can only be specified when using expressions"))
	r.add(op, "Expected and ConditionExpression", on(tRH, item, `"ConditionExpression":"attribute_not_exists(pk)"`, `"Expected":{"a":{"Exists":false}}`),
		realAnswer(400, vex, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"))
	// The June capture listed the members as [a, a]; the October captures
	// of paritysuite's valueLayers.test.ts (several regions) quote them
	// (["a", "a"]) and put the message in the envelope, which this checks.
	r.add(op, "duplicate string set members", on(tRH, `"Item":{"pk":{"S":"rep-v"},"A":{"SS":["a","a"]}}`),
		realAnswer(400, vex, `1 validation error detected: One or more parameter values were invalid: Input collection ["a", "a"] contains duplicates.`))
	r.add(op, "empty string set", on(tRH, `"Item":{"pk":{"S":"rep-v"},"A":{"SS":[]}}`),
		realAnswer(400, vex, "One or more parameter values were invalid: An string set  may not be empty"))
	r.add(op, "three invalid enums", on(tRH, item, `"ReturnValues":"INVALID"`, `"ReturnConsumedCapacity":"INVALID"`, `"ReturnItemCollectionMetrics":"INVALID"`),
		realAnswer(400, vex, "3 validation errors detected: Value 'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; "+
			"Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "+
			"Value 'INVALID' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]"))

	// ministackorg/ministack#1039 (commands run against real AWS): an
	// empty string is a valid member of a string set.
	// https://github.com/ministackorg/ministack/issues/1039
	r.add(op, "string set with an empty string", on(tRH, `"Item":{"pk":{"S":"rep-ss"},"A":{"SS":[""]}}`), realOK())
	r.add(op, "string set with an empty string, the item", on(tRH, pkey("rep-ss")), get(), realOK(),
		wantItem(`{"pk":{"S":"rep-ss"},"A":{"SS":[""]}}`))

	// ministackorg/ministack#1067 (verified against real AWS, eu-central-1):
	// GetItem, DeleteItem and BatchGetItem reject an empty-string key.
	// https://github.com/ministackorg/ministack/pull/1067
	const emptyKey = "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"
	r.add("GetItem", "empty-string key", on(tRH, pkey("")), realAnswer(400, vex, emptyKey))
	r.add("DeleteItem", "empty-string key", on(tRH, pkey("")), realAnswer(400, vex, emptyKey))
	r.add("BatchGetItem", "empty-string key", `{"RequestItems":{"`+tRH+`":{"Keys":[{"pk":{"S":""}}]}}}`, realAnswer(400, vex, emptyKey))

	// nubo-db capture, 2026-08-12: BatchGetItem with RequestItems {} in
	// us-east-1 (and most regions; eu-central-1 and ap-southeast-1 name
	// the member instead).
	// https://github.com/nubo-db/dynamodb-conformance/blob/main/captures/2026-08-12-batch-empty-and-nesting.json
	r.add("BatchGetItem", "empty RequestItems", `{"RequestItems":{}}`,
		realAnswer(400, vex, "The requestItems parameter is required for BatchGetItem"))

	// ExtendDB/extenddb#8 ("align error messages with real DynamoDB
	// responses"). https://github.com/ExtendDB/extenddb/pull/8
	r.add("GetItem", "table does not exist", `{"TableName":"compat_rep_nope","Key":{"pk":{"S":"a"}}}`,
		realAnswer(400, "ResourceNotFoundException", "Requested resource not found"))
	r.add("GetItem", "key missing the range attribute", on(tRHN, pkey("a")),
		realAnswer(400, vex, "The provided key element does not match the schema"))

	// paritysuite/dynamodb-conformance#60 (captured against real AWS in four
	// regions): BatchWriteItem with a wrong-typed table key.
	// https://github.com/paritysuite/dynamodb-conformance/pull/60
	r.add("BatchWriteItem", "wrong-typed key", `{"RequestItems":{"`+tRH+`":[{"PutRequest":{"Item":{"pk":{"N":"1"}}}}]}}`,
		realAnswer(400, vex, "The provided key element does not match the schema"))

	// scylladb/scylladb#9270 (review by the Alternator maintainer: "Real
	// DynamoDB (not DynamoDB Local) prints ..."): an ExclusiveStartKey
	// outside the requested segment.
	// https://github.com/scylladb/scylladb/pull/9270
	seedRep(r, "Scan", "an item for the segment case", `{"pk":{"S":"rep-seg"}}`)
	r.add("Scan", "ExclusiveStartKey outside the segment", on(tRH, `"Segment":0`, `"TotalSegments":1000000`, `"ExclusiveStartKey":{"pk":{"S":"rep-seg"}}`),
		realAnswer(400, vex, "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: 1000000 Segment: 0"))
}

func reportedKeyConditions(r repBuilder) {
	const op = "Query"
	// paritysuite/dynamodb-conformance tier 3, "pinned against real AWS
	// (eu-west-2, October 2026)".
	// https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/error-messages/queryKeyConditionOperands.test.ts
	const schema = "One or more parameter values were invalid: Condition parameter type does not match schema type"
	operand := func(fn, typ string) string {
		return "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: " + fn + ", operand type: " + typ
	}
	kc := func(table, cond, values string) string {
		return on(table, `"KeyConditionExpression":`+jstr(cond), vals(values))
	}
	r.add(op, "begins_with a number on a string sort key", kc(tRHS, "pk = :p AND begins_with(sk, :v)", `{":p":{"S":"q"},":v":{"N":"1"}}`),
		realAnswer(400, vex, operand("begins_with", "N")))
	r.add(op, "begins_with a boolean on a string sort key", kc(tRHS, "pk = :p AND begins_with(sk, :v)", `{":p":{"S":"q"},":v":{"BOOL":true}}`),
		realAnswer(400, vex, operand("begins_with", "BOOL")))
	r.add(op, "begins_with a string on a number sort key", kc(tRHN, "pk = :p AND begins_with(sk, :v)", `{":p":{"S":"q"},":v":{"S":"a"}}`),
		realAnswer(400, vex, schema))
	r.add(op, "< with a boolean", kc(tRHN, "pk = :p AND sk < :v", `{":p":{"S":"q"},":v":{"BOOL":true}}`),
		realAnswer(400, vex, operand("<", "BOOL")))
	r.add(op, ">= with a boolean written first", kc(tRHN, "pk = :p AND :v >= sk", `{":p":{"S":"q"},":v":{"BOOL":true}}`),
		realAnswer(400, vex, operand(">=", "BOOL")))
	r.add(op, "BETWEEN booleans", kc(tRHN, "pk = :p AND sk BETWEEN :a AND :b", `{":p":{"S":"q"},":a":{"BOOL":false},":b":{"BOOL":true}}`),
		realAnswer(400, vex, operand("BETWEEN", "BOOL")))
	r.add(op, "= with a boolean", kc(tRHN, "pk = :p AND sk = :v", `{":p":{"S":"q"},":v":{"BOOL":true}}`),
		realAnswer(400, vex, schema))
	r.add(op, "two conditions on the sort key", kc(tRHN, "pk = :p AND sk > :a AND sk < :b", `{":p":{"S":"q"},":a":{"N":"1"},":b":{"N":"5"}}`),
		realAnswer(400, vex, "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key"))
	r.add(op, "three conditions on a two-attribute key", kc(tRHN, "pk = :p AND sk > :a AND extra = :b", `{":p":{"S":"q"},":a":{"N":"1"},":b":{"N":"5"}}`),
		realAnswer(400, vex, "The number of query conditions (3) exceeds the number of key attributes defined in the schema (2)"))

	// architect/dynalite#55 (run against DynamoDB and dynalite side by
	// side): BETWEEN with the bounds reversed is an error, not an empty
	// result. https://github.com/architect/dynalite/issues/55
	r.add(op, "BETWEEN with the bounds reversed", kc(tRHN, "pk = :p AND sk BETWEEN :a AND :b", `{":p":{"S":"q"},":a":{"N":"2"},":b":{"N":"1"}}`),
		realAnswer(400, vex, "The BETWEEN operator requires upper bound to be greater than or equal to lower bound"))
	// ministackorg/ministack#1067 (verified against real AWS): an
	// empty-string key operand. https://github.com/ministackorg/ministack/pull/1067
	r.add(op, "empty-string hash key value", kc(tRH, "pk = :p", `{":p":{"S":""}}`),
		realAnswer(400, vex, "The AttributeValue for a key attribute cannot contain an empty string value"))
}

func reportedTransactions(r repBuilder) {
	const op = "TransactWriteItems"
	tx := func(items ...string) string { return `{"TransactItems":[` + strings.Join(items, ",") + `]}` }
	put := func(item string, extra ...string) string {
		return `{"Put":` + obj(append([]string{`"TableName":"` + tRH + `"`, `"Item":` + item}, extra...)...) + `}`
	}
	canceled := func(reasons string) opt {
		return realAnswer(400, tce, "Transaction cancelled, please refer cancellation reasons for specific reasons ["+reasons+"]")
	}

	// paritysuite/dynamodb-conformance tier 3 and #46/#60 (captured against
	// real AWS; eu-west-2, us-east-1, ap-southeast-2, eu-central-1): a
	// wrong-typed key is caught while the transaction runs
	// (TransactionCanceledException, reason ValidationError), an
	// empty-string key by input validation (a top-level
	// ValidationException).
	// https://github.com/paritysuite/dynamodb-conformance/blob/main/tests/tier3/error-messages/transactWriteItems.test.ts
	// https://github.com/paritysuite/dynamodb-conformance/pull/46
	// https://github.com/paritysuite/dynamodb-conformance/pull/60
	const emptyKey = "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"
	upd := func(key string) string {
		return `{"Update":{"TableName":"` + tRH + `","Key":{"pk":` + key + `},"UpdateExpression":"SET attr1 = :v","ExpressionAttributeValues":{":v":{"S":"x"}}}}`
	}
	del := func(key string) string { return `{"Delete":{"TableName":"` + tRH + `","Key":{"pk":` + key + `}}}` }
	cc := func(key string) string {
		return `{"ConditionCheck":{"TableName":"` + tRH + `","Key":{"pk":` + key + `},"ConditionExpression":"attribute_not_exists(pk)"}}`
	}
	r.add(op, "Put with a wrong-typed key", tx(put(`{"pk":{"N":"5"}}`)), canceled("ValidationError"))
	r.add(op, "Put with a list key", tx(put(`{"pk":{"L":[{"S":"x"}]}}`)), canceled("ValidationError"))
	r.add(op, "Put with an empty-string key", tx(put(`{"pk":{"S":""}}`)), realAnswer(400, vex, emptyKey))
	r.add(op, "Update with a wrong-typed key", tx(upd(`{"N":"5"}`)), canceled("ValidationError"))
	r.add(op, "Delete with a wrong-typed key", tx(del(`{"N":"5"}`)), canceled("ValidationError"))
	r.add(op, "ConditionCheck with a wrong-typed key", tx(cc(`{"N":"5"}`)), canceled("ValidationError"))
	r.add(op, "Update with an empty-string key", tx(upd(`{"S":""}`)), realAnswer(400, vex, emptyKey))
	r.add(op, "Delete with an empty-string key", tx(del(`{"S":""}`)), realAnswer(400, vex, emptyKey))
	r.add(op, "ConditionCheck with an empty-string key", tx(cc(`{"S":""}`)), realAnswer(400, vex, emptyKey))
	r.add(op, "two Puts of one item", tx(put(`{"pk":{"S":"rep-tx-dup"}}`), put(`{"pk":{"S":"rep-tx-dup"}}`)),
		realAnswer(400, vex, "Transaction request cannot include multiple operations on one item"))
	r.add(op, "empty TransactItems", `{"TransactItems":[]}`,
		realAnswer(400, vex, "Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1"))
	seedRep(r, op, "an item for the cancellation cases", `{"pk":{"S":"rep-tx"},"attr1":{"S":"exists"}}`)
	r.add(op, "one passing and one failing condition", tx(put(`{"pk":{"S":"rep-tx-new"}}`, `"ConditionExpression":"attribute_not_exists(pk)"`),
		put(`{"pk":{"S":"rep-tx"}}`, `"ConditionExpression":"attribute_not_exists(pk)"`)), canceled("None, ConditionalCheckFailed"))

	// aws/aws-sdk-net#1292 (the service's response body, as returned to
	// the SDK): an update reading a missing attribute cancels with a
	// ValidationError reason. https://github.com/aws/aws-sdk-net/issues/1292
	r.add(op, "Update reading a missing attribute", tx(put(`{"pk":{"S":"rep-tx-new2"}}`),
		`{"Update":{"TableName":"`+tRH+`","Key":{"pk":{"S":"rep-tx"}},"UpdateExpression":"SET b = nope + :one","ExpressionAttributeValues":{":one":{"N":"1"}}}}`),
		canceled("None, ValidationError"))
}
