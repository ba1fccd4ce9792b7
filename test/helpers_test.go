package test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
)

// keyDef names one key attribute and its scalar type.
type keyDef struct {
	name string
	typ  types.ScalarAttributeType
}

// createTable creates a PAY_PER_REQUEST table with hash (and optional
// range) key and waits until it is ACTIVE.
func createTable(t testing.TB, c *dynamodb.Client, name string, hash keyDef, rng *keyDef) *types.TableDescription {
	t.Helper()
	in := &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String(hash.name), AttributeType: hash.typ},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(hash.name), KeyType: types.KeyTypeHash},
		},
	}
	if rng != nil {
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{AttributeName: aws.String(rng.name), AttributeType: rng.typ})
		in.KeySchema = append(in.KeySchema, types.KeySchemaElement{AttributeName: aws.String(rng.name), KeyType: types.KeyTypeRange})
	}
	ctx := testCtx(t)
	if _, err := c.CreateTable(ctx, in); err != nil {
		t.Fatalf("CreateTable %s: %v", name, err)
	}
	return waitActive(t, c, name)
}

// createPKSK creates a table with S partition key "pk" and the given sort
// key "sk" type.
func createPKSK(t testing.TB, c *dynamodb.Client, skType types.ScalarAttributeType) string {
	t.Helper()
	name := tableName(t)
	createTable(t, c, name, keyDef{"pk", types.ScalarAttributeTypeS}, &keyDef{"sk", skType})
	return name
}

// waitActive polls DescribeTable until the table is ACTIVE.
func waitActive(t testing.TB, c *dynamodb.Client, name string) *types.TableDescription {
	t.Helper()
	var desc *types.TableDescription
	eventually(t, 30*time.Second, func() error {
		out, err := c.DescribeTable(context.Background(), &dynamodb.DescribeTableInput{TableName: aws.String(name)})
		if err != nil {
			return err
		}
		if out.Table.TableStatus != types.TableStatusActive {
			return fmt.Errorf("table %s status %s", name, out.Table.TableStatus)
		}
		desc = out.Table
		return nil
	})
	return desc
}

// apiErrorCode returns the error code of an SDK error ("" if none).
func apiErrorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// wantAPIError fails unless err is an API error with the given code whose
// message contains each of parts.
func wantAPIError(t testing.TB, err error, code string, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got %v (%T), want API error %s", err, err, code)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("error code = %s (%v), want %s", ae.ErrorCode(), err, code)
	}
	for _, p := range parts {
		if !containsFold(ae.ErrorMessage(), p) {
			t.Fatalf("error message %q does not contain %q", ae.ErrorMessage(), p)
		}
	}
}

func containsFold(s, sub string) bool {
	return len(sub) == 0 || indexFold(s, sub) >= 0
}

func indexFold(s, sub string) int {
	ls, lsub := []rune(s), []rune(sub)
	lower := func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 32
		}
		return r
	}
outer:
	for i := 0; i+len(lsub) <= len(ls); i++ {
		for j := range lsub {
			if lower(ls[i+j]) != lower(lsub[j]) {
				continue outer
			}
		}
		return i
	}
	return -1
}

// Attribute value shorthands.
func s(v string) types.AttributeValue     { return &types.AttributeValueMemberS{Value: v} }
func n(v string) types.AttributeValue     { return &types.AttributeValueMemberN{Value: v} }
func b(v []byte) types.AttributeValue     { return &types.AttributeValueMemberB{Value: v} }
func boolean(v bool) types.AttributeValue { return &types.AttributeValueMemberBOOL{Value: v} }
func ss(v ...string) types.AttributeValue { return &types.AttributeValueMemberSS{Value: v} }
func ns(v ...string) types.AttributeValue { return &types.AttributeValueMemberNS{Value: v} }
func list(v ...types.AttributeValue) types.AttributeValue {
	return &types.AttributeValueMemberL{Value: v}
}
func mapv(v map[string]types.AttributeValue) types.AttributeValue {
	return &types.AttributeValueMemberM{Value: v}
}

// item is a shorthand for an attribute map.
type item = map[string]types.AttributeValue

// put writes it, failing the test on error.
func put(t testing.TB, c *dynamodb.Client, table string, it item) {
	t.Helper()
	if _, err := c.PutItem(testCtx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: it}); err != nil {
		t.Fatalf("PutItem: %v", err)
	}
}

// get reads key with a consistent read; nil if absent.
func get(t testing.TB, c *dynamodb.Client, table string, key item) item {
	t.Helper()
	out, err := c.GetItem(testCtx(t), &dynamodb.GetItemInput{TableName: aws.String(table), Key: key, ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatalf("GetItem: %v", err)
	}
	return out.Item
}

// strOf returns the S value of av, failing if av is not S.
func strOf(t testing.TB, av types.AttributeValue) string {
	t.Helper()
	v, ok := av.(*types.AttributeValueMemberS)
	if !ok {
		t.Fatalf("attribute %#v is not S", av)
	}
	return v.Value
}

// numOf returns the N value of av, failing if av is not N.
func numOf(t testing.TB, av types.AttributeValue) string {
	t.Helper()
	v, ok := av.(*types.AttributeValueMemberN)
	if !ok {
		t.Fatalf("attribute %#v is not N", av)
	}
	return v.Value
}
