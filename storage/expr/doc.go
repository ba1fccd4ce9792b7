// Package expr owns DynamoDB's expression languages: condition and filter
// expressions, update expressions, projection expressions and key condition
// expressions, with ExpressionAttributeNames and ExpressionAttributeValues,
// and the legacy parameters (Expected, AttributeUpdates, KeyConditions,
// QueryFilter, ScanFilter, AttributesToGet) translated into the same trees.
//
// It parses and evaluates against item.Item values; it never touches
// storage. It imports only storage/item and the standard library.
//
// Errors are *item.ValidationError carrying DynamoDB's message, for
// example "Invalid ConditionExpression: Syntax error; token: \"=\", near:
// \"a = = b\"".
package expr
