package api

import (
	"maps"
	"slices"
	"strings"

	"github.com/concorddb/concord/storage/expr"
	"github.com/concorddb/concord/storage/item"
)

// param names one request parameter and whether the request set it, for
// the checks that compare expression and legacy (non-expression)
// parameters.
type param struct {
	name string
	set  bool
}

// checkExprParams applies DynamoDB's rules on mixing parameters: legacy and
// expression parameters cannot be combined, ExpressionAttributeNames and
// ExpressionAttributeValues need an expression that can use them, and
// neither may be an empty map. exprs lists the request's expression
// parameters in DynamoDB's order; a ProjectionExpression cannot use values.
func checkExprParams(exprs, legacy []param, names map[string]string, values map[string]item.Value) error {
	var used []string
	valueExprs, valueUsed := []string(nil), false
	for _, p := range exprs {
		if p.set {
			used = append(used, p.name)
		}
		if p.name != "ProjectionExpression" {
			valueExprs = append(valueExprs, p.name)
			valueUsed = valueUsed || p.set
		}
	}
	if len(used) > 0 {
		var old []string
		for _, p := range legacy {
			if p.set {
				old = append(old, p.name)
			}
		}
		if len(old) > 0 {
			return errValidation("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {%s} Expression parameters: {%s}",
				strings.Join(old, ", "), strings.Join(used, ", "))
		}
	}
	if names != nil && len(used) == 0 {
		const m = "ExpressionAttributeNames can only be specified when using expressions"
		return errEnvelopedValidation(m, m)
	}
	if values != nil && len(valueExprs) > 0 && !valueUsed {
		verb := "is"
		if len(valueExprs) > 1 {
			verb = "are"
		}
		// The newer layer (envelope.go) drops the ": ... is null" suffix.
		const m = "ExpressionAttributeValues can only be specified when using expressions"
		return errEnvelopedValidation(m+": "+strings.Join(valueExprs, " and ")+" "+verb+" null", m)
	}
	if names != nil && len(names) == 0 {
		const m = "ExpressionAttributeNames must not be empty"
		return errEnvelopedValidation(m, m)
	}
	if values != nil && len(values) == 0 {
		const m = "ExpressionAttributeValues must not be empty"
		return errEnvelopedValidation(m, m)
	}
	for _, k := range slices.Sorted(maps.Keys(names)) {
		if !placeholder(k, '#') {
			return errValidation("ExpressionAttributeNames contains invalid key: Syntax error; key: %q", k)
		}
		if names[k] == "" {
			return errValidation("ExpressionAttributeNames contains invalid value: Empty attribute name for key %s", k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(values)) {
		if !placeholder(k, ':') {
			return errValidation("ExpressionAttributeValues contains invalid key: Syntax error; key: %q", k)
		}
	}
	return nil
}

// placeholder reports whether k is a valid ExpressionAttributeNames
// (sigil '#') or ExpressionAttributeValues (':') key: the sigil and one or
// more ASCII letters, digits or underscores.
func placeholder(k string, sigil byte) bool {
	if len(k) < 2 || k[0] != sigil {
		return false
	}
	for i := 1; i < len(k); i++ {
		if c := k[i]; c != '_' && (c < '0' || c > '9') && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// checkConditionalOperator validates the legacy ConditionalOperator.
func checkConditionalOperator(op string) error {
	var v validationErrors
	v.conditionalOperator(op)
	return v.err()
}

// conditionalOperator records a ConditionalOperator out of its set.
func (v *validationErrors) conditionalOperator(op string) {
	switch op {
	case "", "AND", "OR":
		return
	}
	v.enum("conditionalOperator", op, "OR, AND")
}

// nonEmpty rejects an empty expression with DynamoDB's message.
func nonEmpty(which, s string) error {
	if strings.TrimSpace(s) == "" {
		return errValidation("Invalid %s: The expression can not be empty;", which)
	}
	return nil
}

// parseCondition parses an optional condition or filter expression.
func parseCondition(which string, s *string, p *expr.Params) (*expr.Condition, error) {
	if s == nil {
		return nil, nil
	}
	if err := nonEmpty(which, *s); err != nil {
		if which == "ConditionExpression" {
			err = envelopeAs(err) // envelope.go
		}
		return nil, err
	}
	c, err := expr.ParseCondition(which, *s, p)
	return c, envelopeUndefinedValue(err)
}

// writeCondition returns a write's condition from ConditionExpression or
// the legacy Expected and ConditionalOperator; nil means unconditional.
func writeCondition(condExpr *string, expected map[string]expr.ExpectedAttr, condOp string, p *expr.Params) (*expr.Condition, error) {
	if condExpr != nil {
		return parseCondition("ConditionExpression", condExpr, p)
	}
	if len(expected) > 0 {
		c, err := expr.ConditionFromExpected(expected, condOp)
		return c, envelopeAs(err) // a malformed Expected condition (envelope.go)
	}
	return nil, nil
}

// projection returns the paths of a ProjectionExpression or the legacy
// AttributesToGet; nil means every attribute.
func projection(projExpr *string, attrs []string, p *expr.Params) ([]expr.Path, error) {
	if projExpr != nil {
		if err := nonEmpty("ProjectionExpression", *projExpr); err != nil {
			return nil, err
		}
		return expr.ParseProjection(*projExpr, p)
	}
	if attrs == nil {
		return nil, nil
	}
	if len(attrs) == 0 {
		return nil, errMinLength("attributesToGet", "[]", 1)
	}
	seen := make(map[string]bool, len(attrs))
	for _, a := range attrs {
		if seen[a] {
			return nil, errValidation("One or more parameter values were invalid: Duplicate value in attribute name: %s", a)
		}
		seen[a] = true
	}
	return expr.ProjectionFromAttributesToGet(attrs), nil
}

// exprParams returns Params over the request's names and values (either may
// be nil).
func exprParams(names map[string]string, values map[string]item.Value) *expr.Params {
	return expr.NewParams(names, values)
}

// checkUnused reports names or values no expression used.
func checkUnused(p *expr.Params) error {
	if p == nil || (p.Names == nil && p.Values == nil) {
		return nil
	}
	return p.CheckUnused()
}
