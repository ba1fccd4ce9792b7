package test

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestTypesRoundTrip(t *testing.T) {
	t.Parallel()
	c := sharedNode(t).client()
	ctx := testCtx(t)
	tbl := tableName(t)
	createTable(t, c, tbl, keyDef{"id", types.ScalarAttributeTypeS}, nil)
	numbers := map[string]string{
		"n38":     "12345678901234567890123456789012345678",
		"nneg38":  "-0.12345678901234567890123456789012345678",
		"nmax":    "9.9999999999999999999999999999999999999E+125",
		"nmin":    "1E-130",
		"nnegmax": "-9.9999999999999999999999999999999999999E+125",
		"nnegmin": "-1E-130",
		"nbig":    "1e125",
		"nzero":   "0",
		"nint":    "42",
		"ndec":    "-3.14",
	}
	it := item{
		"id":    s("all"),
		"s":     s("héllo\x00wörld \u2603 \"quoted\" \\ / \n\t"),
		"b":     b([]byte{0, 1, 2, 253, 254, 255}),
		"t":     boolean(true),
		"f":     boolean(false),
		"null":  &types.AttributeValueMemberNULL{Value: true},
		"l":     list(s("a"), n("1"), list(), mapv(item{}), &types.AttributeValueMemberNULL{Value: true}),
		"m":     mapv(item{"nested": mapv(item{"deeper": list(n("1"), ss("x"))}), "other": s("o")}),
		"ss":    ss("a", "b", "c"),
		"ns":    ns("1", "-1.5", "1e10"),
		"bs":    &types.AttributeValueMemberBS{Value: [][]byte{{1}, {2, 3}, {0}}},
		"empty": s(""),
		"ebin":  b([]byte{}),
	}
	for k, v := range numbers {
		it[k] = n(v)
	}
	put(t, c, tbl, it)
	got := get(t, c, tbl, item{"id": s("all")})
	for k, want := range it {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s missing after round trip", k)
			continue
		}
		if !avEqual(g, want) {
			t.Errorf("%s = %s, want %s", k, avString(g), avString(want))
		}
	}
	if len(got) != len(it) {
		t.Errorf("round trip has %d attributes, want %d", len(got), len(it))
	}
	// Numbers out of range or too precise are rejected.
	for _, bad := range []struct{ v, msg string }{
		{"1E+126", "overflow"},
		{"-1E+126", "overflow"},
		{"1E-131", "underflow"},
		{"123456789012345678901234567890123456789", "38"},
		{"abc", ""},
		{"1..2", ""},
		{"", ""},
	} {
		_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item{"id": s("bad"), "n": n(bad.v)}})
		wantAPIError(t, err, "ValidationException", bad.msg)
	}
	// Sets: duplicates and empty sets are rejected.
	for name, v := range map[string]types.AttributeValue{
		"SS duplicates": ss("a", "a"),
		"NS duplicates": ns("1", "1.0"),
		"BS duplicates": &types.AttributeValueMemberBS{Value: [][]byte{{1}, {1}}},
		"empty SS":      ss(),
		"empty NS":      ns(),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item{"id": s("bad"), "v": v}})
			wantAPIError(t, err, "ValidationException")
		})
	}
	// Item size: just under 400 KB works, over is rejected.
	okItem := item{"id": s("size"), "d": s(strings.Repeat("x", 400*1024-10))}
	put(t, c, tbl, okItem)
	_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item{"id": s("size"), "d": s(strings.Repeat("x", 400*1024))}})
	wantAPIError(t, err, "ValidationException", "size")
}

// record exercises the attributevalue marshaller.
type record struct {
	ID       string            `dynamodbav:"id"`
	Count    int64             `dynamodbav:"count"`
	Price    float64           `dynamodbav:"price"`
	Big      string            `dynamodbav:"big,omitempty"`
	Tags     []string          `dynamodbav:"tags,stringset"`
	Nums     []int             `dynamodbav:"nums,numberset"`
	Blobs    [][]byte          `dynamodbav:"blobs"`
	Raw      []byte            `dynamodbav:"raw"`
	Flag     bool              `dynamodbav:"flag"`
	Nothing  *string           `dynamodbav:"nothing,nullempty"`
	Props    map[string]any    `dynamodbav:"props"`
	Children []child           `dynamodbav:"children"`
	Labels   map[string]string `dynamodbav:"labels"`
}

type child struct {
	Name string `dynamodbav:"name"`
	Age  int    `dynamodbav:"age"`
}

func TestTypesAttributeValueMarshal(t *testing.T) {
	t.Parallel()
	c := sharedNode(t).client()
	tbl := tableName(t)
	createTable(t, c, tbl, keyDef{"id", types.ScalarAttributeTypeS}, nil)
	in := record{
		ID: "rec", Count: -9007199254740993, Price: 3.25, Tags: []string{"x", "y"}, Nums: []int{3, 1, 2},
		Blobs: [][]byte{{1, 2}, {3}}, Raw: []byte("raw\x00bytes"), Flag: true,
		Props:    map[string]any{"a": "b", "n": 1.5, "l": []any{"x", true, nil}},
		Children: []child{{"kid", 7}}, Labels: map[string]string{"k": "v"},
	}
	av, err := attributevalue.MarshalMap(in)
	if err != nil {
		t.Fatal(err)
	}
	put(t, c, tbl, av)
	var out record
	if err := attributevalue.UnmarshalMap(get(t, c, tbl, item{"id": s("rec")}), &out); err != nil {
		t.Fatal(err)
	}
	sort.Strings(out.Tags)
	sort.Ints(out.Nums)
	sort.Ints(in.Nums)
	if !reflect.DeepEqual(out, in) {
		t.Errorf("round trip:\n got %+v\nwant %+v", out, in)
	}
}

// avEqual compares attribute values as DynamoDB does: numbers numerically,
// sets ignoring order, empty and nil collections alike.
func avEqual(a, b types.AttributeValue) bool {
	switch x := a.(type) {
	case *types.AttributeValueMemberS:
		y, ok := b.(*types.AttributeValueMemberS)
		return ok && x.Value == y.Value
	case *types.AttributeValueMemberN:
		y, ok := b.(*types.AttributeValueMemberN)
		return ok && numEqual(x.Value, y.Value)
	case *types.AttributeValueMemberB:
		y, ok := b.(*types.AttributeValueMemberB)
		return ok && string(x.Value) == string(y.Value)
	case *types.AttributeValueMemberBOOL:
		y, ok := b.(*types.AttributeValueMemberBOOL)
		return ok && x.Value == y.Value
	case *types.AttributeValueMemberNULL:
		_, ok := b.(*types.AttributeValueMemberNULL)
		return ok
	case *types.AttributeValueMemberL:
		y, ok := b.(*types.AttributeValueMemberL)
		if !ok || len(x.Value) != len(y.Value) {
			return false
		}
		for i := range x.Value {
			if !avEqual(x.Value[i], y.Value[i]) {
				return false
			}
		}
		return true
	case *types.AttributeValueMemberM:
		y, ok := b.(*types.AttributeValueMemberM)
		if !ok || len(x.Value) != len(y.Value) {
			return false
		}
		for k, v := range x.Value {
			w, ok := y.Value[k]
			if !ok || !avEqual(v, w) {
				return false
			}
		}
		return true
	case *types.AttributeValueMemberSS:
		y, ok := b.(*types.AttributeValueMemberSS)
		return ok && sameSet(x.Value, y.Value, func(p, q string) bool { return p == q })
	case *types.AttributeValueMemberNS:
		y, ok := b.(*types.AttributeValueMemberNS)
		return ok && sameSet(x.Value, y.Value, numEqual)
	case *types.AttributeValueMemberBS:
		y, ok := b.(*types.AttributeValueMemberBS)
		return ok && sameSet(x.Value, y.Value, func(p, q []byte) bool { return string(p) == string(q) })
	}
	return false
}

func sameSet[T any](a, b []T, eq func(T, T) bool) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		found := false
		for _, y := range b {
			found = found || eq(x, y)
		}
		if !found {
			return false
		}
	}
	return true
}

// avString renders an attribute value for failure messages.
func avString(av types.AttributeValue) string {
	switch x := av.(type) {
	case *types.AttributeValueMemberS:
		return strconv.Quote(x.Value)
	case *types.AttributeValueMemberN:
		return "N:" + x.Value
	case *types.AttributeValueMemberB:
		return fmt.Sprintf("B:%x", x.Value)
	case *types.AttributeValueMemberBOOL:
		return fmt.Sprint(x.Value)
	case *types.AttributeValueMemberNULL:
		return "NULL"
	case *types.AttributeValueMemberL:
		var parts []string
		for _, v := range x.Value {
			parts = append(parts, avString(v))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *types.AttributeValueMemberM:
		var parts []string
		for k, v := range x.Value {
			parts = append(parts, k+": "+avString(v))
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ", ") + "}"
	case *types.AttributeValueMemberSS:
		return fmt.Sprintf("SS%q", x.Value)
	case *types.AttributeValueMemberNS:
		return fmt.Sprintf("NS%v", x.Value)
	case *types.AttributeValueMemberBS:
		return fmt.Sprintf("BS%x", x.Value)
	}
	return fmt.Sprintf("%#v", av)
}
