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

func TestLegacyParameters(t *testing.T) {
	t.Parallel()
	c := sharedNode(t).client()
	ctx := testCtx(t)
	tbl := createPKSK(t, c, types.ScalarAttributeTypeN)
	var ccf *types.ConditionalCheckFailedException

	// Expected: Exists false, then Value equality, then ComparisonOperator.
	in := &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item{"pk": s("p"), "sk": n("1"), "v": n("1"), "s": s("abc")},
		Expected: map[string]types.ExpectedAttributeValue{"pk": {Exists: aws.Bool(false)}}}
	if _, err := c.PutItem(ctx, in); err != nil {
		t.Fatalf("Expected Exists=false on new item: %v", err)
	}
	if _, err := c.PutItem(ctx, in); !errors.As(err, &ccf) {
		t.Fatalf("Expected Exists=false on existing item: %v", err)
	}
	_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item{"pk": s("p"), "sk": n("1"), "v": n("2"), "s": s("abc")},
		Expected: map[string]types.ExpectedAttributeValue{"v": {Value: n("1")}}})
	if err != nil {
		t.Fatalf("Expected Value: %v", err)
	}
	_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item{"pk": s("p"), "sk": n("1"), "v": n("3"), "s": s("abc")},
		Expected: map[string]types.ExpectedAttributeValue{
			"v": {ComparisonOperator: types.ComparisonOperatorGt, AttributeValueList: []types.AttributeValue{n("5")}},
			"s": {ComparisonOperator: types.ComparisonOperatorBeginsWith, AttributeValueList: []types.AttributeValue{s("ab")}},
		}, ConditionalOperator: types.ConditionalOperatorOr})
	if err != nil {
		t.Fatalf("Expected with ConditionalOperator OR: %v", err)
	}
	_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item{"pk": s("p"), "sk": n("1")},
		Expected: map[string]types.ExpectedAttributeValue{
			"v": {ComparisonOperator: types.ComparisonOperatorGt, AttributeValueList: []types.AttributeValue{n("5")}},
			"s": {ComparisonOperator: types.ComparisonOperatorBeginsWith, AttributeValueList: []types.AttributeValue{s("ab")}},
		}, ConditionalOperator: types.ConditionalOperatorAnd})
	if !errors.As(err, &ccf) {
		t.Fatalf("Expected with AND that fails: %v", err)
	}

	// AttributeUpdates: PUT, ADD number, ADD set, DELETE attribute, DELETE from set.
	put(t, c, tbl, item{"pk": s("p"), "sk": n("2"), "n": n("1"), "tags": ss("a", "b"), "gone": s("x")})
	out, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item{"pk": s("p"), "sk": n("2")},
		AttributeUpdates: map[string]types.AttributeValueUpdate{
			"put":  {Action: types.AttributeActionPut, Value: s("P")},
			"n":    {Action: types.AttributeActionAdd, Value: n("4")},
			"tags": {Action: types.AttributeActionDelete, Value: ss("a")},
			"more": {Action: types.AttributeActionAdd, Value: ss("z")},
			"gone": {Action: types.AttributeActionDelete},
		}, ReturnValues: types.ReturnValueAllNew})
	if err != nil {
		t.Fatalf("AttributeUpdates: %v", err)
	}
	want := item{"pk": s("p"), "sk": n("2"), "n": n("5"), "tags": ss("b"), "more": ss("z"), "put": s("P")}
	if !reflect.DeepEqual(out.Attributes, want) {
		t.Errorf("AttributeUpdates result = %#v, want %#v", out.Attributes, want)
	}

	// AttributesToGet.
	g, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: item{"pk": s("p"), "sk": n("2")},
		AttributesToGet: []string{"n", "put", "absent"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := (item{"n": n("5"), "put": s("P")}); !reflect.DeepEqual(g.Item, want) {
		t.Errorf("AttributesToGet = %#v", g.Item)
	}

	// KeyConditions + QueryFilter; ScanFilter.
	for i := 3; i <= 6; i++ {
		put(t, c, tbl, item{"pk": s("q"), "sk": n(string(rune('0' + i))), "odd": boolean(i%2 == 1)})
	}
	q, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl),
		KeyConditions: map[string]types.Condition{
			"pk": {ComparisonOperator: types.ComparisonOperatorEq, AttributeValueList: []types.AttributeValue{s("q")}},
			"sk": {ComparisonOperator: types.ComparisonOperatorGe, AttributeValueList: []types.AttributeValue{n("4")}},
		},
		QueryFilter: map[string]types.Condition{"odd": {ComparisonOperator: types.ComparisonOperatorEq, AttributeValueList: []types.AttributeValue{boolean(true)}}},
	})
	if err != nil {
		t.Fatalf("Query KeyConditions: %v", err)
	}
	if q.Count != 1 || q.ScannedCount != 3 || numOf(t, q.Items[0]["sk"]) != "5" {
		t.Errorf("Query KeyConditions+QueryFilter: Count %d ScannedCount %d Items %v", q.Count, q.ScannedCount, q.Items)
	}
	sc, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl),
		ScanFilter: map[string]types.Condition{"odd": {ComparisonOperator: types.ComparisonOperatorNotNull}}})
	if err != nil {
		t.Fatalf("ScanFilter: %v", err)
	}
	var sks []string
	for _, it := range sc.Items {
		sks = append(sks, numOf(t, it["sk"]))
	}
	sort.Strings(sks)
	if !reflect.DeepEqual(sks, []string{"3", "4", "5", "6"}) {
		t.Errorf("ScanFilter NOT_NULL sks = %v", sks)
	}

	// Mixing legacy and expression parameters is rejected.
	mixed := []struct {
		name string
		call func() error
	}{
		{"PutItem Expected+ConditionExpression", func() error {
			_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item{"pk": s("p"), "sk": n("9")},
				Expected:            map[string]types.ExpectedAttributeValue{"pk": {Exists: aws.Bool(false)}},
				ConditionExpression: aws.String("attribute_not_exists(pk)")})
			return err
		}},
		{"UpdateItem AttributeUpdates+UpdateExpression", func() error {
			_, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item{"pk": s("p"), "sk": n("9")},
				AttributeUpdates: map[string]types.AttributeValueUpdate{"a": {Action: types.AttributeActionPut, Value: s("x")}},
				UpdateExpression: aws.String("SET b = :b"), ExpressionAttributeValues: item{":b": s("y")}})
			return err
		}},
		{"GetItem AttributesToGet+ProjectionExpression", func() error {
			_, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: item{"pk": s("p"), "sk": n("9")},
				AttributesToGet: []string{"a"}, ProjectionExpression: aws.String("b")})
			return err
		}},
		{"Query KeyConditions+FilterExpression", func() error {
			_, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl),
				KeyConditions:    map[string]types.Condition{"pk": {ComparisonOperator: types.ComparisonOperatorEq, AttributeValueList: []types.AttributeValue{s("q")}}},
				FilterExpression: aws.String("odd = :t"), ExpressionAttributeValues: item{":t": boolean(true)}})
			return err
		}},
		{"Scan ScanFilter+FilterExpression", func() error {
			_, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl),
				ScanFilter:       map[string]types.Condition{"odd": {ComparisonOperator: types.ComparisonOperatorNotNull}},
				FilterExpression: aws.String("attribute_exists(odd)")})
			return err
		}},
	}
	for _, tc := range mixed {
		t.Run(tc.name, func(t *testing.T) {
			wantAPIError(t, tc.call(), "ValidationException", "Can not use both expression and non-expression parameters")
		})
	}
}
