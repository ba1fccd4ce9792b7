package expr

import (
	"reflect"
	"testing"

	"github.com/concorddb/concord/storage/item"
)

func ptr[T any](v T) *T { return &v }

func TestExprLegacyFilter(t *testing.T) {
	it := mustItem(t, `{"s": {"S": "hello"}, "n": {"N": "10"}, "ss": {"SS": ["a", "b"]}, "l": {"L": [{"S": "x"}]}}`)
	S, N := item.Str, item.Num
	cases := []struct {
		name string
		attr string
		op   string
		list []item.Value
		want bool
	}{
		{"EQ", "s", "EQ", []item.Value{S("hello")}, true},
		{"EQ miss", "s", "EQ", []item.Value{S("x")}, false},
		{"NE", "s", "NE", []item.Value{S("x")}, true},
		{"NE missing attr", "zz", "NE", []item.Value{S("x")}, true},
		{"LE", "n", "LE", []item.Value{N("10")}, true},
		{"LT", "n", "LT", []item.Value{N("10")}, false},
		{"GE", "n", "GE", []item.Value{N("10")}, true},
		{"GT", "n", "GT", []item.Value{N("9")}, true},
		{"GT type mismatch", "n", "GT", []item.Value{S("9")}, false},
		{"NOT_NULL", "s", "NOT_NULL", nil, true},
		{"NULL", "s", "NULL", nil, false},
		{"NULL missing", "zz", "NULL", nil, true},
		{"CONTAINS string", "s", "CONTAINS", []item.Value{S("ell")}, true},
		{"CONTAINS set", "ss", "CONTAINS", []item.Value{S("a")}, true},
		{"CONTAINS list", "l", "CONTAINS", []item.Value{S("x")}, true},
		{"NOT_CONTAINS", "ss", "NOT_CONTAINS", []item.Value{S("z")}, true},
		{"NOT_CONTAINS present", "ss", "NOT_CONTAINS", []item.Value{S("a")}, false},
		{"NOT_CONTAINS missing attr", "zz", "NOT_CONTAINS", []item.Value{S("a")}, false},
		{"BEGINS_WITH", "s", "BEGINS_WITH", []item.Value{S("he")}, true},
		{"IN", "n", "IN", []item.Value{N("1"), N("10")}, true},
		{"IN no", "n", "IN", []item.Value{N("1")}, false},
		{"BETWEEN", "n", "BETWEEN", []item.Value{N("1"), N("10")}, true},
		{"BETWEEN no", "n", "BETWEEN", []item.Value{N("11"), N("12")}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cond, err := ConditionFromFilter("ScanFilter", map[string]ExpectedAttr{
				c.attr: {ComparisonOperator: c.op, AttributeValueList: c.list},
			}, "")
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := cond.Eval(it); got != c.want {
				t.Fatalf("got %v want %v", got, c.want)
			}
		})
	}
}

func TestExprLegacyExpected(t *testing.T) {
	it := mustItem(t, `{"a": {"S": "x"}, "n": {"N": "1"}}`)
	x := item.Str("x")
	cases := []struct {
		name string
		exp  map[string]ExpectedAttr
		op   string
		want bool
	}{
		{"value", map[string]ExpectedAttr{"a": {Value: &x}}, "", true},
		{"value exists true", map[string]ExpectedAttr{"a": {Value: &x, Exists: ptr(true)}}, "", true},
		{"not exists", map[string]ExpectedAttr{"b": {Exists: ptr(false)}}, "", true},
		{"not exists fails", map[string]ExpectedAttr{"a": {Exists: ptr(false)}}, "", false},
		{"and", map[string]ExpectedAttr{"a": {Value: &x}, "b": {Exists: ptr(false)}}, "AND", true},
		{"and fails", map[string]ExpectedAttr{"a": {Value: &x}, "n": {Exists: ptr(false)}}, "AND", false},
		{"or", map[string]ExpectedAttr{"a": {Exists: ptr(false)}, "n": {ComparisonOperator: "EQ", AttributeValueList: []item.Value{item.Num("1")}}}, "OR", true},
		{"empty", nil, "", true},
		// With a ComparisonOperator, Value is the operand as AttributeValueList would be.
		{"operator with Value", map[string]ExpectedAttr{"n": {ComparisonOperator: "GT", Value: ptr(item.Num("0"))}}, "", true},
		{"operator with Value fails", map[string]ExpectedAttr{"n": {ComparisonOperator: "GT", Value: ptr(item.Num("1"))}}, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cond, err := ConditionFromExpected(c.exp, c.op)
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := cond.Eval(it); got != c.want {
				t.Fatalf("got %v want %v", got, c.want)
			}
		})
	}
}

func TestExprLegacyErrors(t *testing.T) {
	x := item.Str("x")
	const p = "One or more parameter values were invalid: "
	cases := []struct {
		name string
		exp  map[string]ExpectedAttr
		op   string
		want string
	}{
		{"EQ count", map[string]ExpectedAttr{"a": {ComparisonOperator: "EQ"}}, "", p + "Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a"},
		{"EQ two values", map[string]ExpectedAttr{"a": {ComparisonOperator: "EQ", AttributeValueList: []item.Value{x, x}}}, "", p + "Invalid number of argument(s) for the EQ ComparisonOperator"},
		{"Value and AttributeValueList", map[string]ExpectedAttr{"a": {ComparisonOperator: "EQ", Value: &x, AttributeValueList: []item.Value{x}}}, "", p + "Value and AttributeValueList cannot be used together for Attribute: a"},
		{"NULL count", map[string]ExpectedAttr{"a": {ComparisonOperator: "NULL", AttributeValueList: []item.Value{x}}}, "", p + "Invalid number of argument(s) for the NULL ComparisonOperator"},
		{"BETWEEN count", map[string]ExpectedAttr{"a": {ComparisonOperator: "BETWEEN", AttributeValueList: []item.Value{x}}}, "", p + "Invalid number of argument(s) for the BETWEEN ComparisonOperator"},
		{"IN count", map[string]ExpectedAttr{"a": {ComparisonOperator: "IN"}}, "", p + "Value or AttributeValueList must be used with ComparisonOperator: IN for Attribute: a"},
		{"IN mixed types", map[string]ExpectedAttr{"a": {ComparisonOperator: "IN", AttributeValueList: []item.Value{item.Num("1"), item.Num("2"), x}}}, "", p + "AttributeValues inside AttributeValueList must be of same type"},
		{"BETWEEN mixed types", map[string]ExpectedAttr{"a": {ComparisonOperator: "BETWEEN", AttributeValueList: []item.Value{item.Num("1"), x}}}, "", p + "AttributeValues inside AttributeValueList must be of same type"},
		{"GT bool", map[string]ExpectedAttr{"a": {ComparisonOperator: "GT", AttributeValueList: []item.Value{item.BoolValue(true)}}}, "", p + "ComparisonOperator GT is not valid for BOOL AttributeValue type"},
		{"BEGINS_WITH N", map[string]ExpectedAttr{"a": {ComparisonOperator: "BEGINS_WITH", AttributeValueList: []item.Value{item.Num("1")}}}, "", p + "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"},
		{"BETWEEN reversed", map[string]ExpectedAttr{"a": {ComparisonOperator: "BETWEEN", AttributeValueList: []item.Value{item.Num("2"), item.Num("1")}}}, "", p + "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"},
		{"exists true no value", map[string]ExpectedAttr{"a": {Exists: ptr(true)}}, "", p + "Value must be provided when Exists is true for Attribute: a"},
		{"exists false value", map[string]ExpectedAttr{"a": {Exists: ptr(false), Value: &x}}, "", p + "Value cannot be used when Exists is false for Attribute: a"},
		{"bad conditional operator", map[string]ExpectedAttr{"a": {Value: &x}}, "XOR", "1 validation error detected: Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ConditionFromExpected(c.exp, c.op)
			wantValidation(t, err, c.want)
		})
	}
}

func TestExprLegacyKeyConditions(t *testing.T) {
	eq := func(v item.Value) ExpectedAttr {
		return ExpectedAttr{ComparisonOperator: "EQ", AttributeValueList: []item.Value{v}}
	}
	k, err := KeyConditionFromLegacy(map[string]ExpectedAttr{
		"pk": eq(item.Str("p")),
		"sk": {ComparisonOperator: "BETWEEN", AttributeValueList: []item.Value{item.Num("1"), item.Num("2")}},
	}, "pk", "sk")
	if err != nil {
		t.Fatal(err)
	}
	if k.PartitionName != "pk" || k.SortName != "sk" || k.SortOp != SortBetween || k.SortValues[1].S != "2" {
		t.Fatalf("got %+v", k)
	}
	cases := []struct {
		name  string
		conds map[string]ExpectedAttr
		want  string
	}{
		{"no partition", map[string]ExpectedAttr{"sk": eq(item.Str("s"))}, "Query condition missed key schema element: pk"},
		{"non key", map[string]ExpectedAttr{"pk": eq(item.Str("p")), "x": eq(item.Str("s"))}, "Query condition missed key schema element: sk"},
		{"NE", map[string]ExpectedAttr{"pk": {ComparisonOperator: "NE", AttributeValueList: []item.Value{item.Str("p")}}}, "Attempted conditional constraint is not an indexable operation"},
		{"partition range", map[string]ExpectedAttr{"pk": {ComparisonOperator: "GT", AttributeValueList: []item.Value{item.Str("p")}}}, "Query key condition not supported"},
		{"empty", nil, "One or more parameter values were invalid: Conditions can be of length 1 or 2 only"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := KeyConditionFromLegacy(c.conds, "pk", "sk")
			wantValidation(t, err, c.want)
		})
	}
}

func TestExprLegacyAttributeUpdates(t *testing.T) {
	before := mustItem(t, `{"pk": {"S": "k"}, "n": {"N": "1"}, "ss": {"SS": ["a", "b"]}, "gone": {"S": "x"}, "l": {"L": [{"N": "1"}]}}`)
	u, err := UpdateFromAttributeUpdates(map[string]AttributeUpdate{
		"new":  {Value: ptr(item.Str("v"))},
		"n":    {Action: "ADD", Value: ptr(item.Num("2"))},
		"ss":   {Action: "DELETE", Value: &item.Value{Type: item.TypeSS, Set: []string{"a"}}},
		"gone": {Action: "DELETE"},
		"l":    {Action: "ADD", Value: &item.Value{Type: item.TypeL, L: []item.Value{item.Num("2")}}},
		"l2":   {Action: "ADD", Value: &item.Value{Type: item.TypeL, L: []item.Value{item.Num("3")}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := u.Apply(before)
	if err != nil {
		t.Fatal(err)
	}
	want := mustItem(t, `{"pk": {"S": "k"}, "n": {"N": "3"}, "ss": {"SS": ["b"]}, "new": {"S": "v"},
		"l": {"L": [{"N": "1"}, {"N": "2"}]}, "l2": {"L": [{"N": "3"}]}}`)
	if !item.Equal(item.Value{Type: item.TypeM, M: got}, item.Value{Type: item.TypeM, M: want}) {
		t.Fatalf("got  %s\nwant %s", itemJSON(got), itemJSON(want))
	}
	for _, c := range []struct {
		name string
		au   AttributeUpdate
		want string
	}{
		{"put no value", AttributeUpdate{Action: "PUT"}, "One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified"},
		{"delete scalar", AttributeUpdate{Action: "DELETE", Value: ptr(item.Str("x"))}, "One or more parameter values were invalid: DELETE action with value is not supported for the type S"},
		{"add string", AttributeUpdate{Action: "ADD", Value: ptr(item.Str("x"))}, "One or more parameter values were invalid: ADD action is not supported for the type S"},
		{"bad action", AttributeUpdate{Action: "MERGE", Value: ptr(item.Str("x"))}, "1 validation error detected: Value 'MERGE' at 'attributeUpdates.a.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := UpdateFromAttributeUpdates(map[string]AttributeUpdate{"a": c.au})
			wantValidation(t, err, c.want)
		})
	}
}

func TestExprLegacyAttributesToGet(t *testing.T) {
	got := ProjectionFromAttributesToGet([]string{"a", "b.c", "a"})
	want := []Path{namePath("a"), namePath("b.c")}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v", got)
	}
	if ProjectionFromAttributesToGet(nil) != nil {
		t.Fatal("nil names should give nil paths")
	}
}
