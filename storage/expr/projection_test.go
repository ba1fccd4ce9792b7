package expr

import (
	"testing"

	"github.com/concorddb/concord/storage/item"
)

func TestExprProject(t *testing.T) {
	names := mustNames(t, `{"#s": "status", "#m": "m"}`)
	src := `{
		"pk": {"S": "k"}, "status": {"S": "on"}, "n": {"N": "1"},
		"m": {"M": {"a": {"N": "1"}, "b": {"M": {"c": {"S": "x"}, "d": {"S": "y"}}}}},
		"l": {"L": [{"N": "0"}, {"M": {"x": {"N": "1"}, "y": {"N": "2"}}}, {"N": "2"}, {"N": "3"}]}
	}`
	cases := []struct{ expr, want string }{
		{"pk", `{"pk":{"S":"k"}}`},
		{"pk, #s, nope", `{"pk":{"S":"k"},"status":{"S":"on"}}`},
		{"m.a", `{"m":{"M":{"a":{"N":"1"}}}}`},
		{"#m.b.c, m.a", `{"m":{"M":{"a":{"N":"1"},"b":{"M":{"c":{"S":"x"}}}}}}`},
		{"m.nope", `{}`},
		{"m.a.deeper", `{}`},
		{"l[3], l[0]", `{"l":{"L":[{"N":"0"},{"N":"3"}]}}`},
		{"l[1].y, l[9]", `{"l":{"L":[{"M":{"y":{"N":"2"}}}]}}`},
		{"l[0].x", `{}`},
		{"n[0]", `{}`},
	}
	it := mustItem(t, src)
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			paths, err := ParseProjection(c.expr, NewParams(names, nil))
			if err != nil {
				t.Fatal(err)
			}
			got := Project(it, paths)
			want := mustItem(t, c.want)
			if !item.Equal(item.Value{Type: item.TypeM, M: got}, item.Value{Type: item.TypeM, M: want}) {
				t.Fatalf("got  %s\nwant %s", itemJSON(got), itemJSON(want))
			}
		})
	}
	if got := Project(it, nil); len(got) != len(it) {
		t.Errorf("nil paths should return the item unchanged")
	}
	if got := Project(nil, []Path{namePath("a")}); len(got) != 0 {
		t.Errorf("projecting nil item = %v", got)
	}
}

func TestExprProjectionErrors(t *testing.T) {
	const p = "Invalid ProjectionExpression: "
	cases := []struct{ expr, want string }{
		{"a, a", p + "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
		{"a.b, a", p + "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]"},
		{"a[0], a.b", p + "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]"},
		{"a,", p + `Syntax error; token: "<EOF>", near: ","`},
		{"a b", p + `Syntax error; token: "b", near: "a b"`},
		{"size(a)", p + `Syntax error; token: "size", near: "size("`},
		{"!!!", p + `Syntax error; token: "!", near: "!!"`},
		{"name", p + "Attribute name is a reserved keyword; reserved keyword: name"},
		{"#x", p + "An expression attribute name used in the document path is not defined; attribute name: #x"},
		{"", p + "The expression can not be empty;"},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			_, err := ParseProjection(c.expr, NewParams(nil, nil))
			wantValidation(t, err, c.want)
		})
	}
}
