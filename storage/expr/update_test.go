package expr

import (
	"reflect"
	"testing"

	"github.com/concorddb/concord/storage/item"
)

const updValues = `{
	":n1": {"N": "1"}, ":n5": {"N": "5"}, ":neg": {"N": "-2.5"}, ":s": {"S": "x"}, ":t": {"BOOL": true},
	":l1": {"L": [{"N": "1"}]}, ":l23": {"L": [{"N": "2"}, {"N": "3"}]}, ":empty": {"L": []},
	":ss": {"SS": ["b", "c"]}, ":ssa": {"SS": ["a"]}, ":ssab": {"SS": ["a", "b"]}, ":ns": {"NS": ["1", "7"]},
	":bs": {"BS": ["AQ=="]}, ":m": {"M": {"k": {"S": "v"}}},
	":big": {"N": "9.9999999999999999999999999999999999999E+125"}
}`

func TestExprUpdateApply(t *testing.T) {
	names := mustNames(t, `{"#c": "count", "#dash": "a-b"}`)
	vals := mustValues(t, updValues)
	cases := []struct{ name, before, expr, after string }{
		{"set new", `{"pk":{"S":"k"}}`, "SET a = :s", `{"pk":{"S":"k"},"a":{"S":"x"}}`},
		{"set nil item", ``, "SET a = :s, b = :n1", `{"a":{"S":"x"},"b":{"N":"1"}}`},
		{"set replace", `{"a":{"N":"3"}}`, "SET a = :s", `{"a":{"S":"x"}}`},
		{"set copy path", `{"a":{"N":"3"}}`, "SET b = a", `{"a":{"N":"3"},"b":{"N":"3"}}`},
		{"set plus", `{"a":{"N":"3"}}`, "SET a = a + :n5", `{"a":{"N":"8"}}`},
		{"set minus", `{"a":{"N":"3"}}`, "SET a = a - :neg", `{"a":{"N":"5.5"}}`},
		{"set minus values", ``, "SET a = :n1 - :n5", `{"a":{"N":"-4"}}`},
		{"set in parentheses", `{"a":{"N":"3"}}`, "SET a = (a - :neg), b = ((:n1))", `{"a":{"N":"5.5"},"b":{"N":"1"}}`},
		{"if_not_exists minus in parentheses", ``, "SET a = (if_not_exists(a, :n5) - :n1)", `{"a":{"N":"4"}}`},
		{"set placeholder", `{"count":{"N":"1"}}`, "SET #c = #c + :n1, #dash = :s", `{"count":{"N":"2"},"a-b":{"S":"x"}}`},
		{"if_not_exists missing", ``, "SET a = if_not_exists(a, :n5)", `{"a":{"N":"5"}}`},
		{"if_not_exists present", `{"a":{"N":"3"}}`, "SET a = if_not_exists(a, :n5)", `{"a":{"N":"3"}}`},
		{"if_not_exists plus", ``, "SET a = if_not_exists(a, :n1) + :n5", `{"a":{"N":"6"}}`},
		{"list_append", `{"l":{"L":[{"N":"1"}]}}`, "SET l = list_append(l, :l23)", `{"l":{"L":[{"N":"1"},{"N":"2"},{"N":"3"}]}}`},
		{"list_prepend", `{"l":{"L":[{"N":"1"}]}}`, "SET l = list_append(:l23, l)", `{"l":{"L":[{"N":"2"},{"N":"3"},{"N":"1"}]}}`},
		{"list_append if_not_exists", ``, "SET l = list_append(if_not_exists(l, :empty), :l1)", `{"l":{"L":[{"N":"1"}]}}`},
		{"set nested map", `{"m":{"M":{"x":{"N":"1"}}}}`, "SET m.y = :s, m.x = :t", `{"m":{"M":{"x":{"BOOL":true},"y":{"S":"x"}}}}`},
		{"set list index", `{"l":{"L":[{"N":"1"},{"N":"2"}]}}`, "SET l[1] = :s", `{"l":{"L":[{"N":"1"},{"S":"x"}]}}`},
		{"set list past end appends", `{"l":{"L":[{"N":"1"}]}}`, "SET l[10] = :s", `{"l":{"L":[{"N":"1"},{"S":"x"}]}}`},
		{"set deep", `{"m":{"M":{"l":{"L":[{"M":{}}]}}}}`, "SET m.l[0].k = :m", `{"m":{"M":{"l":{"L":[{"M":{"k":{"M":{"k":{"S":"v"}}}}}]}}}}`},
		{"swap uses old values", `{"a":{"N":"1"},"b":{"N":"2"}}`, "SET a = b, b = a", `{"a":{"N":"2"},"b":{"N":"1"}}`},
		{"remove", `{"a":{"N":"1"},"b":{"N":"2"}}`, "REMOVE a", `{"b":{"N":"2"}}`},
		{"remove missing", `{"b":{"N":"2"}}`, "REMOVE a, c.d", `{"b":{"N":"2"}}`},
		{"remove nested", `{"m":{"M":{"x":{"N":"1"},"y":{"N":"2"}}}}`, "REMOVE m.x", `{"m":{"M":{"y":{"N":"2"}}}}`},
		{"remove list indexes", `{"l":{"L":[{"N":"0"},{"N":"1"},{"N":"2"},{"N":"3"}]}}`, "REMOVE l[1], l[3], l[9]", `{"l":{"L":[{"N":"0"},{"N":"2"}]}}`},
		{"remove list indexes reversed", `{"l":{"L":[{"N":"0"},{"N":"1"},{"N":"2"},{"N":"3"}]}}`, "REMOVE l[0], l[2]", `{"l":{"L":[{"N":"1"},{"N":"3"}]}}`},
		{"remove index and inside later", `{"l":{"L":[{"N":"0"},{"M":{"a":{"N":"1"},"b":{"N":"2"}}}]}}`, "REMOVE l[0], l[1].a", `{"l":{"L":[{"M":{"b":{"N":"2"}}}]}}`},
		{"set index and remove earlier", `{"l":{"L":[{"N":"0"},{"N":"1"}]}}`, "REMOVE l[0] SET l[1] = :s", `{"l":{"L":[{"S":"x"}]}}`},
		{"remove in several lists", `{"a":{"L":[{"N":"0"},{"N":"1"},{"N":"2"}]},"b":{"L":[{"N":"0"},{"N":"1"}]},"m":{"M":{"k":{"N":"1"},"j":{"N":"2"}}}}`,
			"REMOVE a[0], m.k, b[1], a[2], b[0]", `{"a":{"L":[{"N":"1"}]},"b":{"L":[]},"m":{"M":{"j":{"N":"2"}}}}`},
		{"add number", `{"n":{"N":"1"}}`, "ADD n :n5", `{"n":{"N":"6"}}`},
		{"add number missing", ``, "ADD n :neg", `{"n":{"N":"-2.5"}}`},
		{"add set", `{"s":{"SS":["a","b"]}}`, "ADD s :ss", `{"s":{"SS":["a","b","c"]}}`},
		{"add set missing", ``, "ADD s :ns", `{"s":{"NS":["1","7"]}}`},
		{"add nested", `{"m":{"M":{}}}`, "ADD m.n :n1", `{"m":{"M":{"n":{"N":"1"}}}}`},
		{"delete set", `{"s":{"SS":["a","b","c"]}}`, "DELETE s :ssab", `{"s":{"SS":["c"]}}`},
		{"delete set to empty", `{"s":{"SS":["a"]},"x":{"N":"1"}}`, "DELETE s :ssa", `{"x":{"N":"1"}}`},
		{"delete set missing", `{"x":{"N":"1"}}`, "DELETE s :ssa", `{"x":{"N":"1"}}`},
		{"all clauses", `{"a":{"N":"1"},"r":{"S":"x"},"s":{"SS":["a","b"]}}`, "remove r add a :n1 delete s :ssa set b = :s",
			`{"a":{"N":"2"},"s":{"SS":["b"]},"b":{"S":"x"}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u, err := ParseUpdate(c.expr, NewParams(names, vals))
			if err != nil {
				t.Fatal(err)
			}
			before := mustItem(t, c.before)
			beforeJSON := itemJSON(before)
			got, err := u.Apply(before)
			if err != nil {
				t.Fatal(err)
			}
			want := mustItem(t, c.after)
			if !item.Equal(item.Value{Type: item.TypeM, M: got}, item.Value{Type: item.TypeM, M: want}) {
				t.Fatalf("got  %s\nwant %s", itemJSON(got), itemJSON(want))
			}
			if itemJSON(before) != beforeJSON {
				t.Fatalf("Apply changed its input: %s, was %s", itemJSON(before), beforeJSON)
			}
		})
	}
}

func TestExprUpdateApplyErrors(t *testing.T) {
	vals := mustValues(t, updValues)
	const (
		badType = "An operand in the update expression has an incorrect data type"
		badPath = "The document path provided in the update expression is invalid for update"
		missing = "The provided expression refers to an attribute that does not exist in the item"
	)
	cases := []struct{ name, before, expr, want string }{
		{"plus on string", `{"a":{"S":"x"}}`, "SET a = a + :n1", badType},
		{"plus missing", ``, "SET a = a + :n1", missing},
		{"copy missing", ``, "SET a = b", missing},
		{"list_append non list", `{"a":{"S":"x"}}`, "SET a = list_append(a, :l1)", badType},
		{"missing parent", ``, "SET m.x = :s", badPath},
		{"parent not a map", `{"m":{"S":"x"}}`, "SET m.x = :s", badPath},
		{"index into map", `{"m":{"M":{}}}`, "SET m[0] = :s", badPath},
		{"key into list", `{"l":{"L":[]}}`, "SET l.x = :s", badPath},
		{"remove through scalar", `{"m":{"S":"x"}}`, "REMOVE m.x", badPath},
		{"add to string", `{"a":{"S":"x"}}`, "ADD a :n1", badType},
		{"add wrong set type", `{"a":{"SS":["x"]}}`, "ADD a :ns", badType},
		{"add missing parent", ``, "ADD m.n :n1", badPath},
		{"delete wrong set type", `{"a":{"NS":["1"]}}`, "DELETE a :ssa", badType},
		{"overflow", `{"a":{"N":"9.9999999999999999999999999999999999999E+125"}}`, "SET a = a + :big",
			"Number overflow. Attempting to store a number with magnitude larger than supported range"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u, err := ParseUpdate(c.expr, NewParams(nil, vals))
			if err != nil {
				t.Fatal(err)
			}
			_, err = u.Apply(mustItem(t, c.before))
			wantValidation(t, err, c.want)
		})
	}
}

func TestExprUpdateParseErrors(t *testing.T) {
	names := mustNames(t, `{"#a": "a"}`)
	vals := mustValues(t, updValues)
	const p = "Invalid UpdateExpression: "
	cases := []struct{ expr, want string }{
		{"SET a = :s SET b = :s", p + `The "SET" section can only be used once in an update expression;`},
		{"REMOVE a remove b", p + `The "REMOVE" section can only be used once in an update expression;`},
		{"SET a = :s, a = :n1", p + "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
		{"SET a = :s REMOVE a.b", p + "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"},
		{"SET #a[1] = :s ADD a[1].b :n1", p + "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, [1]], path two: [a, [1], b]"},
		{"SET a.b = :s REMOVE a[0]", p + "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]"},
		{"SET a = :s + :n1", p + "Incorrect operand type for operator or function; operator or function: +, operand type: S"},
		{"SET a = list_append(a, :s)", p + "Incorrect operand type for operator or function; operator or function: list_append, operand type: S"},
		{"SET a = if_not_exists(:s, :s)", p + "Operator or function requires a document path; operator or function: if_not_exists"},
		{"SET a = size(b)", p + "The function is not allowed to be used this way in an expression; function: size"},
		{"ADD a :s", p + "Incorrect operand type for operator or function; operator: ADD, operand type: STRING"},
		{"ADD a :l1", p + "Incorrect operand type for operator or function; operator: ADD, operand type: LIST"},
		{"DELETE a :n1", p + "Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER"},
		{"ADD a b", p + `Syntax error; token: "b", near: "a b"`},
		{"SET a :s", p + `Syntax error; token: ":s", near: "a :s"`},
		{"SET a = (a - :n1", p + `Syntax error; token: "<EOF>", near: ":n1"`},
		{"SET a = (a) - :n1", p + `Syntax error; token: "-", near: ") - :n1"`},
		{"SET a = :s,", p + `Syntax error; token: "<EOF>", near: ","`},
		{"UPSERT a = :s", p + `Syntax error; token: "UPSERT", near: "UPSERT a"`},
		{"SET a = :n1 + :n1 + :n1", p + `Syntax error; token: "+", near: ":n1 + :n1"`},
		{"SET status = :s", p + "Attribute name is a reserved keyword; reserved keyword: status"},
		{"SET a = :nope", p + "An expression attribute value used in expression is not defined; attribute value: :nope"},
		{"REMOVE #b", p + "An expression attribute name used in the document path is not defined; attribute name: #b"},
		{"", p + "The expression can not be empty;"},
		{"ADD hits : incr", p + `Syntax error; token: ":", near: "hits : incr"`},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			_, err := ParseUpdate(c.expr, NewParams(names, vals))
			wantValidation(t, err, c.want)
		})
	}
}

func TestExprUpdatePaths(t *testing.T) {
	u, err := ParseUpdate("SET a.b = :s REMOVE c[2] ADD d :n1", NewParams(nil, mustValues(t, updValues)))
	if err != nil {
		t.Fatal(err)
	}
	want := []Path{
		{{Name: "a"}, {Name: "b"}},
		{{Name: "c"}, {Index: 2, IsIndex: true}},
		{{Name: "d"}},
	}
	if got := u.Paths(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Paths = %v, want %v", got, want)
	}
	if s := want[1].String(); s != "c[2]" {
		t.Errorf("String = %q", s)
	}
	if s := want[0].String(); s != "a.b" {
		t.Errorf("String = %q", s)
	}
}
