package expr

import "testing"

func TestExprParamsUnused(t *testing.T) {
	names := mustNames(t, `{"#a": "a", "#b": "b", "#c": "c"}`)
	vals := mustValues(t, `{":v": {"S": "x"}, ":w": {"S": "y"}}`)
	p := NewParams(names, vals)
	if _, err := ParseCondition("ConditionExpression", "#a = :v", p); err != nil {
		t.Fatal(err)
	}
	wantValidation(t, p.CheckUnused(), "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b, #c}")
	// Names and values used by another expression of the same request count.
	if _, err := ParseUpdate("SET #b = :w, #c = :v", p); err != nil {
		t.Fatal(err)
	}
	if err := p.CheckUnused(); err != nil {
		t.Fatal(err)
	}

	p = NewParams(nil, vals)
	if _, err := ParseProjection("a", p); err != nil {
		t.Fatal(err)
	}
	wantValidation(t, p.CheckUnused(), "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v, :w}")

	var nilParams *Params
	if err := nilParams.CheckUnused(); err != nil {
		t.Fatal(err)
	}
	if err := NewParams(nil, nil).CheckUnused(); err != nil {
		t.Fatal(err)
	}
	_, err := ParseCondition("ConditionExpression", "#a = :v", nil)
	wantValidation(t, err, "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #a")
}
