package expr

import "testing"

func TestExprKeyCondition(t *testing.T) {
	names := mustNames(t, `{"#p": "pk", "#s": "sk"}`)
	vals := mustValues(t, `{":p": {"S": "P"}, ":a": {"N": "1"}, ":b": {"N": "2"}, ":pre": {"S": "ab"}}`)
	cases := []struct {
		expr     string
		pk, sk   string
		op       SortOp
		nvals    int
		sortVal0 string
	}{
		{"pk = :p", "pk", "", SortNone, 0, ""},
		{"#p = :p", "pk", "", SortNone, 0, ""},
		{"pk = :p AND sk = :a", "pk", "sk", SortEQ, 1, "1"},
		{"pk = :p AND sk < :a", "pk", "sk", SortLT, 1, "1"},
		{"pk = :p AND sk <= :a", "pk", "sk", SortLE, 1, "1"},
		{"pk = :p AND sk > :a", "pk", "sk", SortGT, 1, "1"},
		{"pk = :p AND sk >= :a", "pk", "sk", SortGE, 1, "1"},
		{":a > sk AND pk = :p", "pk", "sk", SortLT, 1, "1"},
		{"sk BETWEEN :a AND :b AND pk = :p", "pk", "sk", SortBetween, 2, "1"},
		{"(#p = :p) AND (begins_with(#s, :pre))", "pk", "sk", SortBeginsWith, 1, "ab"},
		{"pk = :p and sk between :a and :b", "pk", "sk", SortBetween, 2, "1"},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			k, err := ParseKeyCondition(c.expr, NewParams(names, vals))
			if err != nil {
				t.Fatal(err)
			}
			if k.PartitionName != c.pk || k.SortName != c.sk || k.SortOp != c.op || k.PartitionValue.S != "P" {
				t.Fatalf("got %+v", k)
			}
			if c.nvals > 0 && k.SortValues[0].S != c.sortVal0 {
				t.Fatalf("sort value = %+v", k.SortValues[0])
			}
			if c.nvals == 2 && k.SortValues[1].S != "2" {
				t.Fatalf("upper = %+v", k.SortValues[1])
			}
			if err := k.Check("pk", "sk"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestExprKeyConditionCheck(t *testing.T) {
	vals := mustValues(t, `{":p": {"S": "P"}, ":s": {"S": "S"}}`)
	k, err := ParseKeyCondition("sk = :s AND pk = :p", NewParams(nil, vals))
	if err != nil {
		t.Fatal(err)
	}
	if err := k.Check("pk", "sk"); err != nil {
		t.Fatal(err)
	}
	if k.PartitionName != "pk" || k.PartitionValue.S != "P" || k.SortName != "sk" || k.SortValues[0].S != "S" {
		t.Fatalf("not swapped: %+v", k)
	}
	k, _ = ParseKeyCondition("pk = :p AND x1 = :s", NewParams(nil, vals))
	wantValidation(t, k.Check("pk", "sk"), "Query condition missed key schema element: sk")
	k, _ = ParseKeyCondition("x1 = :p", NewParams(nil, vals))
	wantValidation(t, k.Check("pk", "sk"), "Query condition missed key schema element: pk")
	k, _ = ParseKeyCondition("pk = :p AND sk = :s", NewParams(nil, vals))
	wantValidation(t, k.Check("pk", ""), "Query key condition not supported")
}

func TestExprKeyConditionErrors(t *testing.T) {
	vals := mustValues(t, `{":p": {"S": "P"}, ":a": {"N": "1"}, ":n": {"N": "5"}}`)
	cases := []struct{ expr, want string }{
		{"pk = :p OR sk = :a", "Invalid operator used in KeyConditionExpression: OR"},
		{"pk = :p AND NOT sk = :a", "Invalid operator used in KeyConditionExpression: NOT"},
		{"pk = :p AND sk <> :a", "Invalid operator used in KeyConditionExpression: <>"},
		{"pk IN (:p)", "Invalid operator used in KeyConditionExpression: IN"},
		{"pk = :p AND attribute_exists(sk)", "Invalid operator used in KeyConditionExpression: attribute_exists"},
		{"pk = :p AND contains(sk, :a)", "Invalid operator used in KeyConditionExpression: contains"},
		{"pk = :p AND size(sk) = :a", "KeyConditionExpressions cannot contain nested operations"},
		{"pk < :p", "Query key condition not supported"},
		{"pk < :p AND sk < :a", "Query key condition not supported"},
		{"pk = :p AND pk = :p", "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key"},
		{"pk = :p AND sk > :a AND sk < :a", "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key"},
		{"pk = :p AND sk = x1", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
		{"pk.x = :p", "KeyConditionExpressions cannot have conditions on nested attributes"},
		{"pk = :p AND sk BETWEEN :n AND :a", "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}"},
		{"pk = :p AND begins_with(sk, :a)", "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
		{"pk = = :p", `Invalid KeyConditionExpression: Syntax error; token: "=", near: "= = :p"`},
		{"", "Invalid KeyConditionExpression: The expression can not be empty;"},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			_, err := ParseKeyCondition(c.expr, NewParams(nil, vals))
			wantValidation(t, err, c.want)
		})
	}
}
