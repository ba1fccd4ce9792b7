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
// \"= = b\"" (the window is the token with its neighbours, as DynamoDB
// prints it).
//
// # Usage
//
// One Params per request, shared by all of the request's expressions, so
// that unused names and values can be reported at the end:
//
//	p := expr.NewParams(req.ExpressionAttributeNames, req.ExpressionAttributeValues)
//	cond, err := expr.ParseCondition("ConditionExpression", req.ConditionExpression, p)
//	upd, err := expr.ParseUpdate(req.UpdateExpression, p)
//	err = p.CheckUnused()
//	ok, err := cond.Eval(current)   // current may be nil
//	next, err := upd.Apply(current) // current is not modified
//
// Queries parse the key condition, then match it to the key schema with
// KeyCondition.Check.
//
// # Invariants
//
// Parsed expressions are immutable and safe to share between goroutines.
// Apply and Project never modify their input; their results share
// unchanged sub-values with it, so callers must treat item.Values as
// immutable (as package item requires). Parsing is bounded: expressions
// are at most MaxExpressionLength bytes, nesting of parentheses, NOT and
// function calls at most 100 levels, paths at most MaxPathDepth elements,
// at most 300 operators and 100 IN operands.
package expr
