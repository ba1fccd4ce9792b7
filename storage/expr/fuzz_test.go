package expr

import (
	"errors"
	"strings"
	"testing"

	"github.com/concorddb/concord/storage/item"
)

const fuzzItem = `{"a": {"N": "1"}, "b": {"S": "xy"}, "l": {"L": [{"N": "1"}, {"M": {"c": {"SS": ["q"]}}}]},
	"m": {"M": {"a": {"NS": ["1", "2"]}, "l": {"L": []}}}, "s": {"SS": ["a", "b"]}}`

const fuzzValues = `{":n": {"N": "2"}, ":s": {"S": "x"}, ":l": {"L": [{"N": "3"}]}, ":ss": {"SS": ["a"]},
	":ns": {"NS": ["5"]}, ":t": {"S": "N"}, ":b": {"BOOL": true}}`

func fuzzParams(t testing.TB) *Params {
	return NewParams(mustNames(t, `{"#a": "a", "#m": "m", "#x": "x.y"}`), mustValues(t, fuzzValues))
}

// checkErr fails unless err is nil or a *item.ValidationError.
func checkErr(t *testing.T, err error) {
	var ve *item.ValidationError
	if err != nil && !errors.As(err, &ve) {
		t.Fatalf("error %v is %T, want *item.ValidationError", err, err)
	}
}

func FuzzParseCondition(f *testing.F) {
	for _, s := range []string{
		"a = :n", "a <> :n AND NOT b = :s", "(a < :n OR b >= :s) AND size(l) > :n",
		"a BETWEEN :n AND :n", "a IN (:n, :s)", "attribute_exists(m.a) AND attribute_not_exists(l[3])",
		"attribute_type(#a, :t)", "begins_with(b, :s)", "contains(s, :s) OR contains(l, :l)",
		"((a = :n))", "NOT NOT NOT a = :n", "#m.l[0].c = :n", "a = = :n", "a[", "#", ":",
		"size(a) = size(b)", "size(:n) = :n", "size(size(a)) > :n", "a = a", "!!!", strings.Repeat("(", 150), "a = :n $",
	} {
		f.Add(s)
	}
	it := mustItem(f, fuzzItem)
	f.Fuzz(func(t *testing.T, s string) {
		for _, which := range []string{"ConditionExpression", "KeyConditionExpression"} {
			var err error
			if which == "KeyConditionExpression" {
				_, err = ParseKeyCondition(s, fuzzParams(t))
				checkErr(t, err)
				continue
			}
			c, err := ParseCondition(which, s, fuzzParams(t))
			checkErr(t, err)
			if err == nil {
				_, err = c.Eval(it)
				checkErr(t, err)
				_, err = c.Eval(nil)
				checkErr(t, err)
			}
		}
		paths, err := ParseProjection(s, fuzzParams(t))
		checkErr(t, err)
		if err == nil {
			Project(it, paths)
		}
	})
}

func FuzzParseUpdate(f *testing.F) {
	for _, s := range []string{
		"SET a = a + :n", "SET l[5] = :s, m.x = :n REMOVE b", "ADD a :n DELETE s :ss",
		"SET l = list_append(if_not_exists(l, :l), :l)", "REMOVE l[0], l[1], m.l[0]",
		"SET #m.a = :ns ADD m.a :ns", "SET a = :n REMOVE a", "SET a.b = :n REMOVE a[0]",
		"SET", "SET a = if_not_exists(", "ADD hits : incr", "SET l[1].c = :ss, l[0] = :n",
		"SET a = (a - :n)", "SET a = ((if_not_exists(a, :n) + :n))", "SET l[4294967294] = :n", "SET a = (",
	} {
		f.Add(s)
	}
	it := mustItem(f, fuzzItem)
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseUpdate(s, fuzzParams(t))
		checkErr(t, err)
		if err != nil {
			return
		}
		before := itemJSON(it)
		for _, in := range []item.Item{it, nil} {
			out, err := u.Apply(in)
			checkErr(t, err)
			if err == nil {
				_ = itemJSON(out) // must be encodable
			}
		}
		if itemJSON(it) != before {
			t.Fatalf("Apply modified its input")
		}
		u.Paths()
	})
}
