package item

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestJSONDecodeTypes(t *testing.T) {
	cases := []struct {
		in   string
		want Value
		out  string // re-encoded form; "" means same as in
	}{
		{`{"S":"hello"}`, Str("hello"), ""},
		{`{"S":""}`, Str(""), ""},
		{`{"S":"a\"b\\c\n\t\r\u0001/é😀"}`, Str("a\"b\\c\n\t\r\x01/é😀"), `{"S":"a\"b\\c\n\t\r\u0001/é😀"}`},
		{`{"S":"\ud83d\ude00\u00e9\/"}`, Str("😀é/"), `{"S":"😀é/"}`},
		{`{"S":"\ud83d"}`, Str("\uFFFD"), `{"S":"` + "\uFFFD" + `"}`},
		{`{"S":"\u2028"}`, Str("\u2028"), ""},
		{`{"N":"1.50"}`, Num("1.5"), `{"N":"1.5"}`},
		{`{"N":"-0"}`, Num("0"), `{"N":"0"}`},
		{`{"B":"aGVsbG8="}`, Bin([]byte("hello")), ""},
		{`{"B":""}`, Bin(nil), ""},
		{`{"B":"AAEC/w=="}`, Bin([]byte{0, 1, 2, 255}), ""},
		{`{"BOOL":true}`, BoolValue(true), ""},
		{`{"BOOL":false}`, BoolValue(false), ""},
		{`{"NULL":true}`, Null(), ""},
		{`{"L":[]}`, Value{Type: TypeL, L: []Value{}}, ""},
		{`{"L":[{"S":"a"},{"N":"1"}]}`, Value{Type: TypeL, L: []Value{Str("a"), Num("1")}}, ""},
		{`{"M":{}}`, Value{Type: TypeM, M: map[string]Value{}}, ""},
		{`{"M":{"b":{"S":"x"},"a":{"NULL":true}}}`, Value{Type: TypeM, M: map[string]Value{"a": Null(), "b": Str("x")}},
			`{"M":{"a":{"NULL":true},"b":{"S":"x"}}}`},
		{`{"SS":["b","a"]}`, Value{Type: TypeSS, Set: []string{"b", "a"}}, ""},
		{`{"NS":["1.0","2e1"]}`, Value{Type: TypeNS, Set: []string{"1", "20"}}, `{"NS":["1","20"]}`},
		{`{"BS":["AA==","AQ=="]}`, Value{Type: TypeBS, Set: []string{"\x00", "\x01"}}, ""},
		{` { "S" : "x" , "N" : null } `, Str("x"), `{"S":"x"}`},
		{`{"N":null,"S":"x"}`, Str("x"), `{"S":"x"}`},
	}
	for _, c := range cases {
		var v Value
		if err := v.UnmarshalJSON([]byte(c.in)); err != nil {
			t.Errorf("decode %s: %v", c.in, err)
			continue
		}
		if !reflect.DeepEqual(v, c.want) {
			t.Errorf("decode %s = %#v, want %#v", c.in, v, c.want)
		}
		want := c.out
		if want == "" {
			want = c.in
		}
		if got := string(v.AppendJSON(nil)); got != want {
			t.Errorf("encode %s = %s, want %s", c.in, got, want)
		}
	}
}

func TestJSONDecodeErrors(t *testing.T) {
	deep := func(n int) string {
		return strings.Repeat(`{"L":[`, n) + `{"S":"x"}` + strings.Repeat(`]}`, n)
	}
	deepM := func(n int) string {
		return strings.Repeat(`{"M":{"a":`, n) + `{"S":"x"}` + strings.Repeat(`}}`, n)
	}
	type kind int
	const (
		validation kind = iota
		serialization
	)
	cases := []struct {
		in   string
		kind kind
		msg  string // exact message; "" checks the kind only
	}{
		{`{}`, validation, msgEmpty},
		{`null`, validation, msgEmpty},
		{`{"S":null}`, validation, msgEmpty},
		{`{"S":"a","N":"1"}`, validation, msgMultiple},
		{`{"S":"a","S":"b"}`, validation, msgMultiple},
		{`{"X":"a"}`, validation, ""},
		{`{"s":"a"}`, validation, ""},
		{`{"SS":[]}`, validation, msgEmptySS},
		{`{"NS":[]}`, validation, msgEmptyNS},
		{`{"BS":[]}`, validation, msgEmptyBS},
		{`{"SS":["a","a"]}`, validation, `One or more parameter values were invalid: Input collection ["a", "a"] contains duplicates.`},
		{`{"SS":["b","a","b"]}`, validation, `One or more parameter values were invalid: Input collection ["a", "b", "b"] contains duplicates.`},
		{`{"SS":["c","q\"","c","a","c"]}`, validation, `One or more parameter values were invalid: Input collection ["a", "c", "q\"", "c", "c"] contains duplicates.`},
		{`{"NS":["1","1.0"]}`, validation, "One or more parameter values were invalid: Input collection contains duplicates."},
		{`{"BS":["AA==","AA=="]}`, validation, `One or more parameter values were invalid: Input collection ["AA==","AA=="]of type BS contains duplicates.`},
		{`{"BS":["/w==","AA==","AA=="]}`, validation, `One or more parameter values were invalid: Input collection ["AA==","/w==","AA=="]of type BS contains duplicates.`},
		{`{"SS":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q","a"]}`, validation, ""},
		{`{"NULL":false}`, validation, msgNullFalse},
		{`{"N":"abc"}`, validation, msgNumberInvalid + ": abc"},
		{`{"N":""}`, validation, msgNumberInvalid + ": "},
		{`{"N":"1e200"}`, validation, msgNumberOverflow},
		{`{"N":"1e-200"}`, validation, msgNumberUnderflow},
		{`{"N":"1234567890123456789012345678901234567890"}`, validation, msgNumberPrecision},
		{`{"NS":["1","x"]}`, validation, msgNumberInvalid + ": x"},
		{deep(MaxDepth + 1), validation, msgNesting},
		{deepM(MaxDepth + 1), validation, msgNesting},
		{`{"S":5}`, serialization, "NUMBER_VALUE cannot be converted to String"},
		{`{"S":true}`, serialization, "TRUE_VALUE cannot be converted to String"},
		{`{"N":5}`, serialization, "NUMBER_VALUE cannot be converted to String"},
		{`{"S":{}}`, serialization, msgUnexpectedOb},
		{`{"S":[]}`, serialization, msgUnexpectedLs},
		{`{"B":"!!!"}`, serialization, ""},
		{`{"B":"aGVsbG8"}`, serialization, ""},
		{`{"BS":["AA==","%"]}`, serialization, ""},
		{`{"BOOL":"true"}`, serialization, "STRING_VALUE cannot be converted to Boolean"},
		{`{"BOOL":1}`, serialization, "NUMBER_VALUE cannot be converted to Boolean"},
		{`{"NULL":"true"}`, serialization, "STRING_VALUE cannot be converted to Boolean"},
		{`{"L":{}}`, serialization, msgUnexpectedOb},
		{`{"L":"x"}`, serialization, ""},
		{`{"M":[]}`, serialization, msgUnexpectedLs},
		{`{"M":5}`, serialization, ""},
		{`{"SS":"a"}`, serialization, ""},
		{`{"SS":[1]}`, serialization, "NUMBER_VALUE cannot be converted to String"},
		{`{"SS":[null]}`, serialization, ""},
		{`{"L":[[]]}`, serialization, msgUnexpectedLs},
		{`{"L":["x"]}`, serialization, ""},
		{`"x"`, serialization, ""},
		{`[]`, serialization, msgUnexpectedLs},
		{``, serialization, ""},
		{`{`, serialization, ""},
		{`{"S"`, serialization, ""},
		{`{"S":`, serialization, ""},
		{`{"S":"x"`, serialization, ""},
		{`{"S":"x"]`, serialization, ""},
		{`{"S":"x"}}`, serialization, ""},
		{`{"S":"x"} x`, serialization, ""},
		{`{"S":"x` + "\n" + `"}`, serialization, ""},
		{`{"S":"\x"}`, serialization, ""},
		{`{"S":"\u12"}`, serialization, ""},
		{`{S:"x"}`, serialization, ""},
		{`{"BOOL":tru}`, serialization, ""},
		{`{"L":[{"S":"x"},]}`, serialization, ""},
		{`{"L":[{"S":"x"} {"S":"y"}]}`, serialization, ""},
		{`{"M":{"a":{"S":"x"},}}`, serialization, ""},
		{strings.Repeat("[", 100000), serialization, ""},
		{strings.Repeat("{", 100000), serialization, ""},
		{strings.Repeat(`{"L":[`, 100000), validation, msgNesting},
		{strings.Repeat(`{"M":{"a":`, 100000), validation, msgNesting},
	}
	for _, c := range cases {
		var v Value
		err := v.UnmarshalJSON([]byte(c.in))
		name := c.in
		if len(name) > 60 {
			name = name[:60] + "..."
		}
		var ve *ValidationError
		var se *SerializationError
		switch {
		case err == nil:
			t.Errorf("decode %s: no error, got %#v", name, v)
		case c.kind == validation && !errors.As(err, &ve):
			t.Errorf("decode %s: %T %v, want *ValidationError", name, err, err)
		case c.kind == serialization && !errors.As(err, &se):
			t.Errorf("decode %s: %T %v, want *SerializationError", name, err, err)
		case c.msg != "" && err.Error() != c.msg:
			t.Errorf("decode %s: %q, want %q", name, err.Error(), c.msg)
		}
		if err != nil && !reflect.DeepEqual(v, Value{}) {
			t.Errorf("decode %s: failed decode left %#v", name, v)
		}
	}
}

func TestJSONNestingLimit(t *testing.T) {
	// DynamoDB accepts a leaf under 31 wrappers (level 32) and rejects
	// one under 32.
	ok := strings.Repeat(`{"L":[`, MaxDepth-1) + `{"S":"x"}` + strings.Repeat(`]}`, MaxDepth-1)
	var v Value
	if err := v.UnmarshalJSON([]byte(ok)); err != nil {
		t.Fatalf("%d levels: %v", MaxDepth, err)
	}
	emptyInner := strings.Repeat(`{"M":{"a":`, MaxDepth-1) + `{"M":{}}` + strings.Repeat(`}}`, MaxDepth-1)
	if err := v.UnmarshalJSON([]byte(emptyInner)); err != nil {
		t.Fatalf("%d levels ending in an empty map: %v", MaxDepth, err)
	}
	tooDeepValue := strings.Repeat(`{"L":[`, MaxDepth) + `{"S":"x"}` + strings.Repeat(`]}`, MaxDepth)
	if err := v.UnmarshalJSON([]byte(tooDeepValue)); err == nil || err.Error() != msgNesting {
		t.Fatalf("%d levels: %v, want nesting error", MaxDepth+1, err)
	}
	// Within an item, the attribute value is the first level.
	item := `{"a":` + ok + `}`
	var it Item
	if err := it.UnmarshalJSON([]byte(item)); err != nil {
		t.Fatalf("item with %d levels: %v", MaxDepth, err)
	}
	tooDeep := `{"a":{"M":{"b":` + ok + `}}}`
	if err := it.UnmarshalJSON([]byte(tooDeep)); err == nil || err.Error() != msgNesting {
		t.Fatalf("item with %d levels: %v, want nesting error", MaxDepth+1, err)
	}
	if !strings.HasPrefix(msgNesting, "Nesting Levels have exceeded supported limits") {
		t.Fatal(msgNesting)
	}
}

func TestJSONItem(t *testing.T) {
	in := `{"pk":{"S":"k1"},"n":{"N":"10.0"},"b":{"B":"AQID"},"m":{"M":{"z":{"BOOL":true},"a":{"L":[{"NULL":true}]}}},"ss":{"SS":["x","y"]}}`
	var it Item
	if err := it.UnmarshalJSON([]byte(in)); err != nil {
		t.Fatal(err)
	}
	want := Item{
		"pk": Str("k1"),
		"n":  Num("10"),
		"b":  Bin([]byte{1, 2, 3}),
		"m": {Type: TypeM, M: map[string]Value{
			"z": BoolValue(true),
			"a": {Type: TypeL, L: []Value{Null()}},
		}},
		"ss": {Type: TypeSS, Set: []string{"x", "y"}},
	}
	if !reflect.DeepEqual(it, want) {
		t.Fatalf("decoded %#v\nwant %#v", it, want)
	}
	got := string(it.AppendJSON(nil))
	wantJSON := `{"b":{"B":"AQID"},"m":{"M":{"a":{"L":[{"NULL":true}]},"z":{"BOOL":true}}},"n":{"N":"10"},"pk":{"S":"k1"},"ss":{"SS":["x","y"]}}`
	if got != wantJSON {
		t.Fatalf("encoded %s\nwant %s", got, wantJSON)
	}
	if !json.Valid([]byte(got)) {
		t.Fatal("encoding is not valid JSON")
	}

	var empty Item
	if err := empty.UnmarshalJSON([]byte(`{}`)); err != nil || empty == nil || len(empty) != 0 {
		t.Fatalf("{} = %#v, %v", empty, err)
	}
	if s := string(Item(nil).AppendJSON(nil)); s != "{}" {
		t.Fatalf("nil item = %s", s)
	}
	it = Item{"x": Str("y")}
	if err := it.UnmarshalJSON([]byte(` null `)); err != nil || it != nil {
		t.Fatalf("null = %#v, %v", it, err)
	}
	for _, bad := range []string{`[]`, `{"a":{}}`, `{"a":null}`, `{"a":{"S":"x"}`, `{"a":{"S":"x"},}`, `{"a" {"S":"x"}}`, `"a"`, `5`} {
		if err := it.UnmarshalJSON([]byte(bad)); err == nil {
			t.Errorf("item %s: no error", bad)
		}
	}
}

// TestJSONWithEncodingJSON checks the methods work where encoding/json
// calls them: on sub-slices of a larger document, inside maps and structs.
func TestJSONWithEncodingJSON(t *testing.T) {
	type request struct {
		TableName string
		Item      Item
		Key       Item
		Values    map[string]Value `json:"ExpressionAttributeValues"`
		Items     []Item
	}
	body := `{"TableName":"t","Item":{"a":{"S":"x"},"n":{"N":"1e2"}},"ExpressionAttributeValues":{":v":{"SS":["p","q"]}},"Items":[{"k":{"BOOL":true}},null]}`
	var req request
	if err := json.Unmarshal([]byte(body), &req); err != nil {
		t.Fatal(err)
	}
	if !Equal(req.Item["n"], Num("100")) || req.Key != nil || !Equal(req.Values[":v"], Value{Type: TypeSS, Set: []string{"q", "p"}}) {
		t.Fatalf("decoded %#v", req)
	}
	if len(req.Items) != 2 || req.Items[1] != nil || !Equal(req.Items[0]["k"], BoolValue(true)) {
		t.Fatalf("decoded items %#v", req.Items)
	}
	out, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"TableName":"t","Item":{"a":{"S":"x"},"n":{"N":"100"}},"Key":{},"ExpressionAttributeValues":{":v":{"SS":["p","q"]}},"Items":[{"k":{"BOOL":true}},{}]}`
	if string(out) != want {
		t.Fatalf("encoded %s\nwant %s", out, want)
	}

	// Errors come through encoding/json unchanged, so errors.As works.
	for _, c := range []struct {
		body string
		want any
	}{
		{`{"Item":{"a":{"S":5}}}`, new(*SerializationError)},
		{`{"Item":{"a":{"NULL":false}}}`, new(*ValidationError)},
		{`{"ExpressionAttributeValues":{":v":{}}}`, new(*ValidationError)},
	} {
		var req request
		err := json.Unmarshal([]byte(c.body), &req)
		if err == nil || !errors.As(err, c.want) {
			t.Errorf("%s: %T %v", c.body, err, err)
		}
	}
}

func TestJSONEncodeEscaping(t *testing.T) {
	s := "\x00\x1f\"\\<>&\u2028\u2029\xff\xfe" + "ok"
	out := Str(s).AppendJSON(nil)
	if !json.Valid(out) {
		t.Fatalf("invalid JSON %q", out)
	}
	var back struct{ S string }
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if want := "\x00\x1f\"\\<>&\u2028\u2029\uFFFD\uFFFDok"; back.S != want {
		t.Fatalf("round trip %q, want %q", back.S, want)
	}
	var v Value
	if err := v.UnmarshalJSON(out); err != nil || v.S != back.S {
		t.Fatalf("own decode %q, %v", v.S, err)
	}
	// Invalid UTF-8 in input becomes U+FFFD, as in encoding/json.
	if err := v.UnmarshalJSON([]byte("{\"S\":\"a\xffb\"}")); err != nil || v.S != "a\uFFFDb" {
		t.Fatalf("invalid UTF-8 decoded as %q, %v", v.S, err)
	}
	if got := string(Value{}.AppendJSON(nil)); got != "{}" {
		t.Fatalf("zero Value encodes as %s", got)
	}
}

func TestJSONBase64(t *testing.T) {
	for n := range 10 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(250 - i*37)
		}
		out := Bin(b).AppendJSON(nil)
		var v Value
		if err := v.UnmarshalJSON(out); err != nil || v.S != string(b) {
			t.Fatalf("len %d: %s -> %q, %v", n, out, v.S, err)
		}
		var std struct{ B []byte }
		if err := json.Unmarshal(out, &std); err != nil || string(std.B) != string(b) {
			t.Fatalf("len %d: encoding/json reads %s as %v, %v", n, out, std.B, err)
		}
	}
}

func TestJSONRoundTripRandom(t *testing.T) {
	r := newTestRand(5)
	for range 500 {
		it := randItem(r, 0)
		enc := it.AppendJSON(nil)
		var back Item
		if err := back.UnmarshalJSON(enc); err != nil {
			t.Fatalf("decode %s: %v", enc, err)
		}
		if !reflect.DeepEqual(it, back) {
			t.Fatalf("round trip changed item\n%#v\n%#v", it, back)
		}
		if again := back.AppendJSON(nil); string(again) != string(enc) {
			t.Fatalf("re-encoding differs\n%s\n%s", enc, again)
		}
	}
}
