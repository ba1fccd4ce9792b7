package test

import (
	"errors"
	"reflect"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestItemsPutGetDeleteConditions(t *testing.T) {
	t.Parallel()
	c := sharedNode(t).client()
	ctx := testCtx(t)
	tbl := tableName(t)
	createTable(t, c, tbl, keyDef{"id", types.ScalarAttributeTypeS}, nil)
	key := item{"id": s("k1")}

	// attribute_not_exists on a new item succeeds; on an existing one fails.
	cond := &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item{"id": s("k1"), "v": n("1")},
		ConditionExpression: aws.String("attribute_not_exists(id)")}
	if _, err := c.PutItem(ctx, cond); err != nil {
		t.Fatalf("conditional create: %v", err)
	}
	_, err := c.PutItem(ctx, cond)
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		t.Fatalf("second conditional create: %v, want ConditionalCheckFailedException", err)
	}
	if ccf.Item != nil {
		t.Errorf("ConditionalCheckFailedException.Item = %v without ReturnValuesOnConditionCheckFailure", ccf.Item)
	}
	// ReturnValuesOnConditionCheckFailure ALL_OLD returns the current item.
	_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item{"id": s("k1"), "v": n("2")},
		ConditionExpression:                 aws.String("v = :x"),
		ExpressionAttributeValues:           item{":x": n("99")},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld})
	if !errors.As(err, &ccf) {
		t.Fatalf("failed condition: %v", err)
	}
	if ccf.Item == nil || numOf(t, ccf.Item["v"]) != "1" || strOf(t, ccf.Item["id"]) != "k1" {
		t.Errorf("ConditionalCheckFailedException.Item = %v, want the old item", ccf.Item)
	}
	// PutItem ReturnValues ALL_OLD.
	out, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item{"id": s("k1"), "v": n("2")},
		ConditionExpression: aws.String("v = :one"), ExpressionAttributeValues: item{":one": n("1")},
		ReturnValues: types.ReturnValueAllOld})
	if err != nil {
		t.Fatal(err)
	}
	if numOf(t, out.Attributes["v"]) != "1" {
		t.Errorf("ALL_OLD = %v", out.Attributes)
	}
	// PutItem allows only NONE and ALL_OLD.
	_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item{"id": s("k1")}, ReturnValues: types.ReturnValueAllNew})
	wantAPIError(t, err, "ValidationException", "ReturnValues")
	// GetItem with projection.
	put(t, c, tbl, item{"id": s("k2"), "a": s("A"), "b": s("B"), "m": mapv(item{"x": n("1"), "y": n("2")})})
	g, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: item{"id": s("k2")},
		ProjectionExpression: aws.String("a, #m.y"), ExpressionAttributeNames: map[string]string{"#m": "m"}})
	if err != nil {
		t.Fatal(err)
	}
	want := item{"a": s("A"), "m": mapv(item{"y": n("2")})}
	if !reflect.DeepEqual(g.Item, want) {
		t.Errorf("projected GetItem = %#v, want %#v", g.Item, want)
	}
	// Missing item: no Item.
	if got := get(t, c, tbl, item{"id": s("nope")}); got != nil {
		t.Errorf("missing item = %v", got)
	}
	// DeleteItem with a failing then passing condition, ReturnValues ALL_OLD.
	_, err = c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(tbl), Key: key,
		ConditionExpression: aws.String("v > :v"), ExpressionAttributeValues: item{":v": n("5")}})
	if !errors.As(err, &ccf) {
		t.Fatalf("DeleteItem failing condition: %v", err)
	}
	d, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(tbl), Key: key,
		ConditionExpression: aws.String("v < :v"), ExpressionAttributeValues: item{":v": n("5")}, ReturnValues: types.ReturnValueAllOld})
	if err != nil {
		t.Fatal(err)
	}
	if numOf(t, d.Attributes["v"]) != "2" {
		t.Errorf("DeleteItem ALL_OLD = %v", d.Attributes)
	}
	if got := get(t, c, tbl, key); got != nil {
		t.Errorf("deleted item still readable: %v", got)
	}
	// Deleting a missing item succeeds with no attributes.
	d, err = c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(tbl), Key: key, ReturnValues: types.ReturnValueAllOld})
	if err != nil || d.Attributes != nil {
		t.Errorf("delete missing: %v %v", d, err)
	}
	// Key errors through the SDK.
	_, err = c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: item{"id": n("1")}})
	wantAPIError(t, err, "ValidationException")
	_, err = c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: item{"id": s("a"), "extra": s("b")}})
	wantAPIError(t, err, "ValidationException")
	_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item{"other": s("a")}})
	wantAPIError(t, err, "ValidationException", "id")
	_, err = c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("no-such-table-xyz"), Key: key})
	wantAPIError(t, err, "ResourceNotFoundException")
}

func TestItemsUpdateReturnValues(t *testing.T) {
	t.Parallel()
	c := sharedNode(t).client()
	ctx := testCtx(t)
	tbl := tableName(t)
	createTable(t, c, tbl, keyDef{"id", types.ScalarAttributeTypeS}, nil)
	base := item{"id": s("r"), "a": n("1"), "b": s("x")}
	cases := []struct {
		rv   types.ReturnValue
		want item
	}{
		{types.ReturnValueNone, nil},
		{types.ReturnValueAllOld, base},
		{types.ReturnValueUpdatedOld, item{"a": n("1")}},
		{types.ReturnValueAllNew, item{"id": s("r"), "a": n("2"), "b": s("x"), "c": s("new")}},
		{types.ReturnValueUpdatedNew, item{"a": n("2"), "c": s("new")}},
	}
	for _, tc := range cases {
		t.Run(string(tc.rv), func(t *testing.T) {
			put(t, c, tbl, base)
			out, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item{"id": s("r")},
				UpdateExpression:          aws.String("SET a = a + :one, c = :c"),
				ExpressionAttributeValues: item{":one": n("1"), ":c": s("new")},
				ReturnValues:              tc.rv})
			if err != nil {
				t.Fatal(err)
			}
			if len(tc.want) == 0 && len(out.Attributes) == 0 {
				return
			}
			if !reflect.DeepEqual(out.Attributes, tc.want) {
				t.Errorf("Attributes = %#v, want %#v", out.Attributes, tc.want)
			}
		})
	}
	// UpdateItem on a missing item creates it (upsert).
	out, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item{"id": s("fresh")},
		UpdateExpression: aws.String("SET v = :v"), ExpressionAttributeValues: item{":v": s("1")}, ReturnValues: types.ReturnValueAllNew})
	if err != nil {
		t.Fatal(err)
	}
	if want := (item{"id": s("fresh"), "v": s("1")}); !reflect.DeepEqual(out.Attributes, want) {
		t.Errorf("upsert ALL_NEW = %#v", out.Attributes)
	}
	// Updating a key attribute is rejected.
	_, err = c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item{"id": s("fresh")},
		UpdateExpression: aws.String("SET id = :v"), ExpressionAttributeValues: item{":v": s("2")}})
	wantAPIError(t, err, "ValidationException", "key")
	// Condition failure with ALL_OLD on UpdateItem.
	_, err = c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item{"id": s("fresh")},
		UpdateExpression: aws.String("SET v = :v"), ConditionExpression: aws.String("attribute_not_exists(v)"),
		ExpressionAttributeValues:           item{":v": s("2")},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld})
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		t.Fatalf("UpdateItem failing condition: %v", err)
	}
	if ccf.Item == nil || strOf(t, ccf.Item["v"]) != "1" {
		t.Errorf("ConditionalCheckFailedException.Item = %v", ccf.Item)
	}
}

func TestItemsUpdateExpressions(t *testing.T) {
	t.Parallel()
	c := sharedNode(t).client()
	ctx := testCtx(t)
	tbl := tableName(t)
	createTable(t, c, tbl, keyDef{"id", types.ScalarAttributeTypeS}, nil)
	start := item{
		"id":    s("e"),
		"n":     n("10"),
		"l":     list(s("a"), s("b"), s("c"), s("d")),
		"m":     mapv(item{"inr": mapv(item{"deep": s("old")}), "arr": list(n("1"), mapv(item{"z": s("z")}))}),
		"tags":  ss("red", "green"),
		"nums":  ns("1", "2"),
		"gone":  s("x"),
		"str":   s("hello world"),
		"dash-": s("name needing placeholder"),
	}
	cases := []struct {
		name   string
		update string
		names  map[string]string
		values item
		check  func(t *testing.T, got item)
	}{
		{"nested map path", "SET m.inr.deep = :v, m.arr[1].z = :w", nil, item{":v": s("new"), ":w": s("zz")}, func(t *testing.T, got item) {
			m := got["m"].(*types.AttributeValueMemberM).Value
			if strOf(t, m["inr"].(*types.AttributeValueMemberM).Value["deep"]) != "new" {
				t.Errorf("m.inr.deep = %v", m["inr"])
			}
			if strOf(t, m["arr"].(*types.AttributeValueMemberL).Value[1].(*types.AttributeValueMemberM).Value["z"]) != "zz" {
				t.Errorf("m.arr[1].z = %v", m["arr"])
			}
		}},
		{"list_append both ends", "SET l = list_append(:front, l), l2 = list_append(if_not_exists(l2, :empty), :back)", nil,
			item{":front": list(s("0")), ":back": list(s("x")), ":empty": list()}, func(t *testing.T, got item) {
				wantList(t, got["l"], "0", "a", "b", "c", "d")
				wantList(t, got["l2"], "x")
			}},
		{"if_not_exists keeps existing", "SET n = if_not_exists(n, :z), fresh = if_not_exists(fresh, :z)", nil, item{":z": n("0")}, func(t *testing.T, got item) {
			if numOf(t, got["n"]) != "10" || numOf(t, got["fresh"]) != "0" {
				t.Errorf("n=%v fresh=%v", got["n"], got["fresh"])
			}
		}},
		{"arithmetic", "SET n = n - :d, n2 = :a + :b", nil, item{":d": n("2.5"), ":a": n("1"), ":b": n("-3")}, func(t *testing.T, got item) {
			if numOf(t, got["n"]) != "7.5" || numOf(t, got["n2"]) != "-2" {
				t.Errorf("n=%v n2=%v", got["n"], got["n2"])
			}
		}},
		{"ADD number and sets", "ADD n :five, tags :t, nums :ns, newset :t, cnt :five", nil, item{":five": n("5"), ":t": ss("blue", "red"), ":ns": ns("3")}, func(t *testing.T, got item) {
			if numOf(t, got["n"]) != "15" || numOf(t, got["cnt"]) != "5" {
				t.Errorf("n=%v cnt=%v", got["n"], got["cnt"])
			}
			wantSet(t, got["tags"], "blue", "green", "red")
			wantSet(t, got["newset"], "blue", "red")
			wantNumSet(t, got["nums"], "1", "2", "3")
		}},
		{"DELETE from sets", "DELETE tags :t, nums :all", nil, item{":t": ss("red", "absent"), ":all": ns("1", "2")}, func(t *testing.T, got item) {
			wantSet(t, got["tags"], "green")
			if _, ok := got["nums"]; ok {
				t.Errorf("emptied set still present: %v", got["nums"])
			}
		}},
		{"REMOVE attributes and list elements", "REMOVE gone, l[1], l[2], m.inr", nil, nil, func(t *testing.T, got item) {
			if _, ok := got["gone"]; ok {
				t.Error("gone not removed")
			}
			wantList(t, got["l"], "a", "d")
			if _, ok := got["m"].(*types.AttributeValueMemberM).Value["inr"]; ok {
				t.Error("m.inr not removed")
			}
		}},
		{"SET list index past end appends", "SET l[10] = :v", nil, item{":v": s("e")}, func(t *testing.T, got item) {
			wantList(t, got["l"], "a", "b", "c", "d", "e")
		}},
		{"placeholders", "SET #d = :v, #n = #n + :one", map[string]string{"#d": "dash-", "#n": "n"}, item{":v": s("set"), ":one": n("1")}, func(t *testing.T, got item) {
			if strOf(t, got["dash-"]) != "set" || numOf(t, got["n"]) != "11" {
				t.Errorf("dash-=%v n=%v", got["dash-"], got["n"])
			}
		}},
		{"all clauses", "SET a = :v REMOVE gone ADD n :one DELETE tags :red", nil, item{":v": s("A"), ":one": n("1"), ":red": ss("red")}, func(t *testing.T, got item) {
			if strOf(t, got["a"]) != "A" || numOf(t, got["n"]) != "11" {
				t.Errorf("a=%v n=%v", got["a"], got["n"])
			}
			wantSet(t, got["tags"], "green")
		}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := s(string(rune('A' + i)))
			it := item{}
			for k, v := range start {
				it[k] = v
			}
			it["id"] = id
			put(t, c, tbl, it)
			out, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item{"id": id},
				UpdateExpression: aws.String(tc.update), ExpressionAttributeNames: tc.names, ExpressionAttributeValues: tc.values,
				ReturnValues: types.ReturnValueAllNew})
			if err != nil {
				t.Fatalf("UpdateItem %q: %v", tc.update, err)
			}
			tc.check(t, out.Attributes)
			tc.check(t, get(t, c, tbl, item{"id": id}))
		})
	}
	// Expression errors.
	put(t, c, tbl, start)
	errCases := []struct {
		name, update, cond string
		names              map[string]string
		values             item
		msg                string
	}{
		{"syntax", "SET = :v", "", nil, item{":v": s("1")}, "Syntax error"},
		{"unused value", "SET a = :v", "", nil, item{":v": s("1"), ":unused": s("2")}, "unused"},
		{"missing value", "SET a = :missing", "", nil, nil, ":missing"},
		{"unused name", "SET a = :v", "", map[string]string{"#x": "x"}, item{":v": s("1")}, "unused"},
		{"missing name", "SET #x = :v", "", nil, item{":v": s("1")}, "#x"},
		{"overlapping paths", "SET a = :v, a = :v", "", nil, item{":v": s("1")}, "overlap"},
		{"ADD to a string", "ADD str :one", "", nil, item{":one": n("1")}, "operand"},
		{"arithmetic on string", "SET a = str + :one", "", nil, item{":one": n("1")}, "operand"},
		{"list_append non-list", "SET a = list_append(str, :l)", "", nil, item{":l": list(s("x"))}, "operand"},
		{"unknown function", "SET a = nosuch(:v)", "", nil, item{":v": s("1")}, "function"},
		{"condition syntax", "SET a = :v", "a = = :v", nil, item{":v": s("1")}, "Syntax error"},
		{"reserved word", "SET size = :v", "", nil, item{":v": s("1")}, "reserved keyword"},
	}
	for _, tc := range errCases {
		t.Run("error/"+tc.name, func(t *testing.T) {
			in := &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item{"id": s("e")},
				UpdateExpression: aws.String(tc.update), ExpressionAttributeNames: tc.names, ExpressionAttributeValues: tc.values}
			if tc.cond != "" {
				in.ConditionExpression = aws.String(tc.cond)
			}
			_, err := c.UpdateItem(ctx, in)
			wantAPIError(t, err, "ValidationException", tc.msg)
		})
	}
}

func TestItemsConditionFunctions(t *testing.T) {
	t.Parallel()
	c := sharedNode(t).client()
	ctx := testCtx(t)
	tbl := tableName(t)
	createTable(t, c, tbl, keyDef{"id", types.ScalarAttributeTypeS}, nil)
	put(t, c, tbl, item{"id": s("c"), "str": s("hello world"), "num": n("42"), "l": list(n("1"), n("2"), n("3")),
		"tags": ss("a", "b"), "m": mapv(item{"k": s("v")}), "nul": &types.AttributeValueMemberNULL{Value: true}, "flag": boolean(true)})
	cases := []struct {
		cond   string
		values item
		pass   bool
	}{
		{"attribute_exists(str)", nil, true},
		{"attribute_exists(nope)", nil, false},
		{"attribute_not_exists(m.nope)", nil, true},
		{"attribute_type(num, :t)", item{":t": s("N")}, true},
		{"attribute_type(nul, :t)", item{":t": s("NULL")}, true},
		{"attribute_type(str, :t)", item{":t": s("N")}, false},
		{"begins_with(str, :p)", item{":p": s("hell")}, true},
		{"begins_with(str, :p)", item{":p": s("world")}, false},
		{"contains(str, :p)", item{":p": s("o w")}, true},
		{"contains(tags, :p)", item{":p": s("b")}, true},
		{"contains(l, :p)", item{":p": n("2")}, true},
		{"contains(l, :p)", item{":p": n("9")}, false},
		{"size(str) = :n", item{":n": n("11")}, true},
		{"size(l) > :n", item{":n": n("2")}, true},
		{"size(tags) = :n", item{":n": n("2")}, true},
		{"size(m) = :n", item{":n": n("1")}, true},
		{"num BETWEEN :lo AND :hi", item{":lo": n("40"), ":hi": n("42")}, true},
		{"num IN (:a, :b)", item{":a": n("1"), ":b": n("42")}, true},
		{"num IN (:a, :b)", item{":a": n("1"), ":b": n("2")}, false},
		{"num <> :v AND NOT (str < :s) OR flag = :f", item{":v": n("42"), ":s": s("a"), ":f": boolean(true)}, true},
		{"(num > :v OR str = :s) AND l[1] = :two", item{":v": n("1"), ":s": s("x"), ":two": n("2")}, true},
		{"m.k = :v", item{":v": s("v")}, true},
		{"num > :s", item{":s": s("1")}, false}, // different types compare false
		{"num = :v", item{":v": n("42.0")}, true},
	}
	for _, tc := range cases {
		t.Run(tc.cond, func(t *testing.T) {
			_, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item{"id": s("c")},
				UpdateExpression: aws.String("SET touched = :touched"), ConditionExpression: aws.String(tc.cond),
				ExpressionAttributeValues: withValue(tc.values, ":touched", boolean(true))})
			var ccf *types.ConditionalCheckFailedException
			switch {
			case tc.pass && err != nil:
				t.Errorf("condition %q failed: %v", tc.cond, err)
			case !tc.pass && !errors.As(err, &ccf):
				t.Errorf("condition %q: %v, want ConditionalCheckFailedException", tc.cond, err)
			}
		})
	}
}

func withValue(m item, k string, v types.AttributeValue) item {
	out := item{k: v}
	for kk, vv := range m {
		out[kk] = vv
	}
	return out
}

func wantList(t *testing.T, av types.AttributeValue, want ...string) {
	t.Helper()
	l, ok := av.(*types.AttributeValueMemberL)
	if !ok {
		t.Fatalf("%#v is not L", av)
	}
	var got []string
	for _, e := range l.Value {
		got = append(got, strOf(t, e))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("list = %v, want %v", got, want)
	}
}

func wantSet(t *testing.T, av types.AttributeValue, want ...string) {
	t.Helper()
	v, ok := av.(*types.AttributeValueMemberSS)
	if !ok {
		t.Fatalf("%#v is not SS", av)
	}
	got := append([]string(nil), v.Value...)
	sort.Strings(got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SS = %v, want %v", got, want)
	}
}

func wantNumSet(t *testing.T, av types.AttributeValue, want ...string) {
	t.Helper()
	v, ok := av.(*types.AttributeValueMemberNS)
	if !ok {
		t.Fatalf("%#v is not NS", av)
	}
	got := append([]string(nil), v.Value...)
	sort.Strings(got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("NS = %v, want %v", got, want)
	}
}
