package main

// wording lists the message differences judged to be wording only, by case
// id: same status and type, and both messages say the same thing. Each note
// holds a substring of each side's message, so a message that changes is
// reported as a difference again.
var wording = map[string]wordingNote{}

func init() {
	w := func(id, concord, dynalite, why string) {
		wording[id] = wordingNote{concord: concord, dynalite: dynalite, why: why}
	}
	const serial = "type mismatch, described in Concord's words rather than Jackson's"
	for _, id := range []string{
		"Protocol/Limit is a string", "Protocol/TableName is a number", "Protocol/TableName is a list",
		"Protocol/TableName is an object", "Protocol/Item is a list", "Protocol/AttributeValue is a string",
		"CreateTable/ProvisionedThroughput is a string", "GetItem/ConsistentRead is a number",
		"GetItem/ConsistentRead is a string", "Query/ScanIndexForward is a string",
	} {
		w(id, "", "", serial)
	}
	const noMsg = "dynalite (like DynamoDB) sends no message; Concord says what is wrong"
	w("Protocol/malformed JSON", "Malformed JSON", "", noMsg)
	w("Protocol/empty body", "JSON object", "", noMsg)
	w("Protocol/trailing garbage after JSON", "Malformed JSON", "", noMsg)
	w("Protocol/B is not base64", "Base64", "Base64", "invalid base64, different detail")
	w("CreateTable/table already exists", "Table already exists: compat_h", "", "dynalite sends an empty message")

	const required = "missing parameter: constraint form vs 'is required' form"
	for _, op := range []string{"CreateTable", "DescribeTable", "DeleteTable", "UpdateTable", "DescribeTimeToLive"} {
		w(op+"/missing TableName", "Value null at 'tableName' failed to satisfy constraint: Member must not be null",
			"The parameter 'TableName' is required", required)
	}
	for _, op := range []string{"TagResource", "ListTagsOfResource"} {
		w(op+"/missing ResourceArn", "Value null at 'resourceArn'", "Invalid TableArn", required)
	}
	const length = "table name length: constraint form vs dynalite's sentence"
	for _, op := range []string{"CreateTable", "DescribeTable", "DeleteTable", "DescribeTimeToLive"} {
		w(op+"/TableName too short", "Member must have length greater than or equal to 3", "at least 3 characters", length)
	}
	w("CreateTable/TableName 256 characters", "Member must have length less than or equal to 255", "at most 255 characters", length)
	w("CreateTable/three KeySchema elements", "Member must have length less than or equal to 2",
		"Member must have length less than or equal to 2", "same constraint; the rejected value is printed differently")
	w("CreateTable/unused attribute definition", "Some AttributeDefinitions are not used",
		"does not exactly match number of attributes defined in AttributeDefinitions",
		"both say AttributeDefinitions has an attribute the key schema does not use")

	w("PutItem/ExpressionAttributeValues with an invalid number", "The parameter cannot be converted to a numeric value",
		"ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value",
		"not a number; dynalite, like DynamoDB's older validation layer, also names the placeholder (the current layer does not: paritysuite valueLayers.test.ts)")
	w("PutItem/duplicate NS members", "contains duplicates", "contains duplicates", "duplicate set members")
	w("PutItem/NS members equal as numbers", "contains duplicates", "contains duplicates", "duplicate set members")
	w("PutItem/duplicate BS members", "contains duplicates", "contains duplicates", "duplicate set members")
	w("UpdateItem/data: NS value with members equal as numbers", "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: Input collection [1, 1] contains duplicates. for key :ns",
		"ExpressionAttributeValues contains invalid value: Input collection contains duplicates for key :ns", "duplicate set members in a placeholder; Concord also lists the members")

	const syntax = "syntax error, reported by different parsers"
	for _, id := range []string{
		"PutItem/ConditionExpression syntax error", "PutItem/ConditionExpression with a bare path",
		"GetItem/ProjectionExpression syntax error", "UpdateItem/syntax error", "Scan/FilterExpression syntax error",
	} {
		w(id, "Syntax error; token:", "Syntax error;", syntax)
	}
	w("PutItem/ConditionExpression attribute_type with an invalid type", "Invalid attribute type name found", "Invalid attribute type name found",
		"same error; Concord says 'found in type:' where dynalite says 'found; type:'")

	const emptyKey = "empty key value: 'are not valid.' vs 'were invalid:'"
	for _, id := range []string{
		"GetItem/Key with an empty string", "UpdateItem/Key with an empty string", "DeleteItem/Key with an empty string",
		"BatchGetItem/key with an empty string", "Scan/ExclusiveStartKey empty string",
	} {
		w(id, "cannot contain an empty string value. Key: pk", "cannot contain an empty string value. Key: pk", emptyKey)
	}
	const operand = "operand type as a type code (S, M, N) rather than a word (STRING, MAP, NUMBER)"
	w("UpdateItem/ADD a string value", "operator: ADD, operand type: S", "operator: ADD, operand type: STRING", operand)
	w("UpdateItem/ADD a map value", "operator: ADD, operand type: M", "operator: ADD, operand type: MAP", operand)
	w("UpdateItem/DELETE a number from a set", "operator: DELETE, operand type: N", "operator: DELETE, operand type: NUMBER", operand)
	w("Query/ExclusiveStartKey missing the range key", "The provided starting key is invalid", "The provided starting key is invalid",
		"Concord adds why the key is invalid")
	w("Query/ExclusiveStartKey with the wrong type", "does not match the schema", "does not match the schema",
		"Concord adds 'The provided starting key is invalid:'")
	const batchLen = "same constraint; Concord leaves the rejected value out"
	w("BatchWriteItem/empty list of requests", "Map value must satisfy constraint", "Map value must satisfy constraint", batchLen)
	w("BatchWriteItem/26 requests", "Map value must satisfy constraint", "Map value must satisfy constraint", batchLen)
}
