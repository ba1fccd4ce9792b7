package expr

import (
	"strings"
	"testing"
)

// The item every evaluation case runs against.
const evalItem = `{
	"s": {"S": "hello"}, "s2": {"S": "hello"}, "n": {"N": "10"}, "n2": {"N": "2"},
	"b": {"B": "AQID"}, "t": {"BOOL": true}, "nul": {"NULL": true},
	"l": {"L": [{"S": "x"}, {"N": "1"}, {"M": {"k": {"S": "v"}}}]},
	"m": {"M": {"a": {"M": {"b": {"L": [{"N": "5"}, {"N": "6"}]}}}, "s": {"S": "in"}}},
	"ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2.5"]}, "bs": {"BS": ["AQ==", "Ag=="]},
	"dash-name": {"S": "d"}, "status": {"S": "active"}, "u": {"S": "é😀x"}, "e": {"S": ""}
}`

const evalValues = `{
	":s": {"S": "hello"}, ":he": {"S": "he"}, ":ll": {"S": "ll"}, ":z": {"S": "z"},
	":n10": {"N": "10"}, ":n1": {"N": "1"}, ":n5": {"N": "5"}, ":n20": {"N": "20"}, ":n2": {"N": "2"}, ":n3": {"N": "3"},
	":n25": {"N": "2.50"}, ":b": {"B": "AQID"}, ":b1": {"B": "AQ=="}, ":b2": {"B": "Ag=="}, ":b3": {"B": "Aw=="},
	":t": {"BOOL": true}, ":f": {"BOOL": false}, ":nul": {"NULL": true},
	":l": {"L": [{"S": "x"}, {"N": "1"}, {"M": {"k": {"S": "v"}}}]},
	":ss": {"SS": ["b", "a"]}, ":a": {"S": "a"}, ":x": {"S": "x"}, ":m": {"M": {"k": {"S": "v"}}},
	":tS": {"S": "S"}, ":tN": {"S": "N"}, ":tSS": {"S": "SS"}, ":tM": {"S": "M"}, ":tL": {"S": "L"},
	":tNULL": {"S": "NULL"}, ":tBOOL": {"S": "BOOL"}, ":tB": {"S": "B"}, ":tNS": {"S": "NS"}, ":tBS": {"S": "BS"}
}`

func TestExprConditionEval(t *testing.T) {
	names := mustNames(t, `{"#d": "dash-name", "#st": "status", "#m": "m", "#a": "a"}`)
	vals := mustValues(t, evalValues)
	it := mustItem(t, evalItem)
	cases := []struct {
		expr string
		want bool
	}{
		// = and <> on every type.
		{"s = :s", true}, {"s = s2", true}, {"s = :z", false}, {"n = :n10", true}, {"n = :s", false},
		{"b = :b", true}, {"t = :t", true}, {"t = :f", false}, {"nul = :nul", true}, {"l = :l", true},
		{"ss = :ss", true}, {"m.a.b[0] = :n5", true}, {"l[2] = :m", true}, {"ns = :ss", false},
		{"s <> :z", true}, {"s <> :s", false}, {"nope <> :s", true}, {"nope = :s", false},
		{"n = :n10 AND n2 = :n2", true},
		// ordering on S, N, B; mismatched types and nope are false.
		{"n > :n5", true}, {"n >= :n10", true}, {"n < :n20", true}, {"n <= :n5", false},
		{"n2 < n", true}, {"n > :s", false}, {"nope < :n5", false}, {":n1 < n2", true},
		{"s > :he", true}, {"s < :z", true}, {"b > :b1", true}, {"b < :b2", true}, {"b < :n1", false},
		// BETWEEN, IN.
		{"n BETWEEN :n5 AND :n20", true}, {"n BETWEEN :n10 AND :n10", true}, {"n BETWEEN :n1 AND :n5", false},
		{"s BETWEEN :he AND :z", true}, {"b BETWEEN :b1 AND :b3", true}, {"nope BETWEEN :n1 AND :n5", false},
		{"n IN (:n1, :n10)", true}, {"n IN (:n1)", false}, {"s IN (:z, :s, :n1)", true}, {"nope IN (:n1)", false},
		{"l IN (:l)", true},
		// functions.
		{"attribute_exists(s)", true}, {"attribute_exists(nope)", false}, {"attribute_exists(m.a.b[1])", true},
		{"attribute_exists(m.a.b[2])", false}, {"attribute_not_exists(nope)", true}, {"attribute_not_exists(l[0])", false},
		{"attribute_exists(#d)", true}, {"#st = :s", false},
		{"attribute_type(s, :tS)", true}, {"attribute_type(s, :tN)", false}, {"attribute_type(n, :tN)", true},
		{"attribute_type(ss, :tSS)", true}, {"attribute_type(m, :tM)", true}, {"attribute_type(l, :tL)", true},
		{"attribute_type(nul, :tNULL)", true}, {"attribute_type(t, :tBOOL)", true}, {"attribute_type(b, :tB)", true},
		{"attribute_type(ns, :tNS)", true}, {"attribute_type(bs, :tBS)", true}, {"attribute_type(nope, :tS)", false},
		{"begins_with(s, :he)", true}, {"begins_with(s, :ll)", false}, {"begins_with(b, :b1)", true},
		{"begins_with(b, :b2)", false}, {"begins_with(n, :he)", false}, {"begins_with(nope, :he)", false},
		{"contains(s, :ll)", true}, {"contains(s, :z)", false}, {"contains(b, :b2)", true}, {"contains(b, :b3)", true},
		{"contains(ss, :a)", true}, {"contains(ss, :z)", false}, {"contains(ns, :n25)", true}, {"contains(ns, :n3)", false},
		{"contains(bs, :b1)", true}, {"contains(bs, :b3)", false}, {"contains(l, :x)", true}, {"contains(l, :m)", true},
		{"contains(l, :z)", false}, {"contains(ss, :n1)", false}, {"contains(m.#st, :x)", false}, {"contains(s, s2)", true},
		{"contains(n, :n1)", false},
		// size.
		{"size(s) = :n5", true}, {"size(b) = :n3", true}, {"size(l) = :n3", true}, {"size(m) = :n2", true},
		{"size(ss) = :n2", true}, {"size(n) = :n2", false}, {"size(nope) = :n1", false}, {"size(s) > size(l)", true},
		{"size(#m.#a.b) BETWEEN :n1 AND :n2", true}, {"size(s) IN (:n5)", true},
		{"size(:s) = :n5", true}, {"size(:ss) = :n2", true}, {"size(:l) = size(l)", true}, {"size(:b) < :n3", false},
		// size of S counts UTF-16 code units, as real DynamoDB does: é is
		// 1, 😀 is 2 (a surrogate pair); not UTF-8's 7 bytes.
		{"size(u) = :n2", false}, {"size(u) > :n3", true}, {"size(u) < :n5", true}, {"size(e) < :n1", true},
		{"l[4294967294] = :x", false},
		// logic and precedence: comparators > NOT > AND > OR.
		{"NOT s = :z", true}, {"NOT NOT s = :z", false}, {"s = :z OR n = :n10", true}, {"s = :z AND n = :n10", false},
		{"s = :s OR s = :z AND n = :n1", true}, {"(s = :s OR s = :z) AND n = :n1", false},
		{"NOT s = :s OR n = :n10", true}, {"NOT (s = :s OR n = :n10)", false}, {"not s = :z and N = :n10 Or s = :z", false},
		{"n = :n10 aNd NOT attribute_exists(nope)", true},
		{"  s=:s  ", true}, {"m.a.b[1]>:n5", true},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			cond, err := ParseCondition("ConditionExpression", c.expr, NewParams(names, vals))
			if err != nil {
				t.Fatal(err)
			}
			got, err := cond.Eval(it)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Fatalf("Eval = %v, want %v", got, c.want)
			}
		})
	}
}

func TestExprConditionNilItem(t *testing.T) {
	vals := mustValues(t, `{":v": {"S": "x"}}`)
	for expr, want := range map[string]bool{
		"attribute_not_exists(pk)": true, "attribute_exists(pk)": false, "a = :v": false, "a <> :v": true,
	} {
		c, err := ParseCondition("ConditionExpression", expr, NewParams(nil, vals))
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := c.Eval(nil); got != want {
			t.Errorf("%s on nil item = %v, want %v", expr, got, want)
		}
	}
	var nilCond *Condition
	if ok, err := nilCond.Eval(nil); !ok || err != nil {
		t.Errorf("nil condition = %v, %v", ok, err)
	}
}

func TestExprConditionErrors(t *testing.T) {
	names := mustNames(t, `{"#a": "a"}`)
	vals := mustValues(t, `{":v": {"S": "x"}, ":n": {"N": "1"}, ":n2": {"N": "2"}, ":t": {"BOOL": true}, ":l": {"L": []}}`)
	const p = "Invalid ConditionExpression: "
	deep := strings.Repeat("(", 200) + "a = :v" + strings.Repeat(")", 200)
	notDeep := strings.Repeat("NOT ", 200) + "a = :v"
	manyIn := "a IN (" + strings.TrimSuffix(strings.Repeat(":v,", 101), ",") + ")"
	manyOps := strings.TrimSuffix(strings.Repeat("a = :v OR ", 160), " OR ")
	long := "a = :v" + strings.Repeat(" ", MaxExpressionLength)
	deepPath := "a" + strings.Repeat(".a", 32) + " = :v"
	cases := []struct{ expr, want string }{
		{"a = = :v", p + `Syntax error; token: "=", near: "= = :v"`},
		{"a = :v AND", p + `Syntax error; token: "<EOF>", near: "AND"`},
		{"a :v", p + `Syntax error; token: ":v", near: "a :v"`},
		{"(a = :v", p + `Syntax error; token: "<EOF>", near: ":v"`},
		{"a = :v)", p + `Syntax error; token: ")", near: ":v)"`},
		{"a", p + `Syntax error; token: "<EOF>", near: "a"`},
		{"a = :v $", p + `Invalid character encountered; character: "$", near: ":v $"`},
		{"a = #", p + `Syntax error; token: "#", near: "= #"`},
		{"a[x] = :v", p + `Syntax error; token: "x", near: "[x]"`},
		{"", p + "The expression can not be empty;"},
		{"   ", p + "The expression can not be empty;"},
		{long, p + "Expression size has exceeded the maximum allowed size; expression size: 4102"},
		{"status = :v", p + "Attribute name is a reserved keyword; reserved keyword: status"},
		{"a.Size = :v", p + "Attribute name is a reserved keyword; reserved keyword: Size"},
		{"#b = :v", p + "An expression attribute name used in the document path is not defined; attribute name: #b"},
		{"a = :w", p + "An expression attribute value used in expression is not defined; attribute value: :w"},
		{"((a = :v))", p + "The expression has redundant parentheses;"},
		{deep, p + "The expression has too many levels of nesting; maximum: 100"},
		{notDeep, p + "The expression has too many levels of nesting; maximum: 100"},
		{manyIn, p + "The IN operator is provided with too many operands; number of operands: 101"},
		{manyOps, p + "The expression contains too many operators; operator count: 301, maximum: 300"},
		{deepPath, p + "The document path has too many nesting levels; nesting levels: 33"},
		{"a[99999999999999999999] = :v", p + "List index is not within the allowable range; index: [99999999999999999999]"},
		{"a[4294967295] = :v", p + "List index is not within the allowable range; index: [4294967295]"},
		{"a = a", p + "The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]"},
		{"a.b[1] >= #a.b[1]", p + "The first operand must be distinct from the remaining operands for this operator or function; operator: >=, first operand: [a, b, [1]]"},
		{"begins_with(#a, a)", p + "The first operand must be distinct from the remaining operands for this operator or function; operator: begins_with, first operand: [a]"},
		{"contains(a.b, a.b)", p + "The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [a, b]"},
		{"foo(a)", p + "Invalid function name; function: foo"},
		{"size(a)", p + "The function is not allowed to be used this way in an expression; function: size"},
		{"if_not_exists(a, :v) = :v", p + "The function is not allowed to be used this way in an expression; function: if_not_exists"},
		{"attribute_exists(:v)", p + "Operator or function requires a document path; operator or function: attribute_exists"},
		{"a < :t", p + "Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"},
		{"a BETWEEN :n AND :l", p + "Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: L"},
		{"size(:n) = :n", p + "Incorrect operand type for operator or function; operator or function: size, operand type: N"},
		{"size(:t) > :n", p + "Incorrect operand type for operator or function; operator or function: size, operand type: BOOL"},
		{"size(size(a)) = :n", p + "Incorrect operand type for operator or function; operator or function: size, operand type: N"},
		{"size(:v)", p + "The function is not allowed to be used this way in an expression; function: size"},
		{"a BETWEEN :n2 AND :n", p + "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}"},
		{"a BETWEEN :n AND :v", p + "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}"},
		{"begins_with(a, :n)", p + "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
		{"attribute_type(a, :v)", p + "Invalid attribute type name found; type: x, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}"},
		{"a IN ()", p + `Syntax error; token: ")", near: "()"`},
		{"attribute_exists(a", p + `Syntax error; token: "<EOF>", near: "a"`},
		{"#a = :v AND a.b[1 = :v", p + `Syntax error; token: "=", near: "1 = :v"`},
	}
	for _, c := range cases {
		name := c.expr
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			_, err := ParseCondition("ConditionExpression", c.expr, NewParams(names, vals))
			wantValidation(t, err, c.want)
		})
	}
}

func TestExprConditionFilterName(t *testing.T) {
	_, err := ParseCondition("FilterExpression", "a = = b", nil)
	wantValidation(t, err, `Invalid FilterExpression: Syntax error; token: "=", near: "= = b"`)
}
