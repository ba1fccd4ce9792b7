package test

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestBatchWriteAndGet(t *testing.T) {
	t.Parallel()
	c := sharedNode(t).client()
	ctx := testCtx(t)
	tbl := tableName(t)
	tbl2 := tableName(t)
	createTable(t, c, tbl, keyDef{"id", types.ScalarAttributeTypeN}, nil)
	createTable(t, c, tbl2, keyDef{"k", types.ScalarAttributeTypeS}, nil)

	writeAll := func(reqs map[string][]types.WriteRequest) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for len(reqs) > 0 {
			out, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: reqs})
			if err != nil {
				t.Fatalf("BatchWriteItem: %v", err)
			}
			reqs = out.UnprocessedItems
			if time.Now().After(deadline) {
				t.Fatalf("UnprocessedItems never drained: %d tables left", len(reqs))
			}
		}
	}
	// 100 items in 4 batches of 25, the first mixing two tables.
	for batch := range 4 {
		var reqs []types.WriteRequest
		for i := batch * 25; i < (batch+1)*25; i++ {
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item{"id": n(fmt.Sprint(i)), "v": s(fmt.Sprint("val", i))}}})
		}
		m := map[string][]types.WriteRequest{tbl: reqs}
		if batch == 0 {
			m = map[string][]types.WriteRequest{tbl: reqs[:20], tbl2: {
				{PutRequest: &types.PutRequest{Item: item{"k": s("a")}}},
				{PutRequest: &types.PutRequest{Item: item{"k": s("b")}}},
			}}
			writeAll(map[string][]types.WriteRequest{tbl: reqs[20:]})
		}
		writeAll(m)
	}
	// BatchGetItem with 100 keys.
	var keys []item
	for i := range 100 {
		keys = append(keys, item{"id": n(fmt.Sprint(i))})
	}
	got := map[string]string{}
	req := map[string]types.KeysAndAttributes{tbl: {Keys: keys, ConsistentRead: aws.Bool(true)}}
	deadline := time.Now().Add(30 * time.Second)
	for len(req) > 0 {
		out, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
		if err != nil {
			t.Fatalf("BatchGetItem 100 keys: %v", err)
		}
		for _, it := range out.Responses[tbl] {
			got[numOf(t, it["id"])] = strOf(t, it["v"])
		}
		req = out.UnprocessedKeys
		if time.Now().After(deadline) {
			t.Fatal("UnprocessedKeys never drained")
		}
	}
	if len(got) != 100 || got["42"] != "val42" {
		t.Errorf("BatchGetItem returned %d items (42 -> %q)", len(got), got["42"])
	}
	// Two tables, projection, a missing key.
	out, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
		tbl:  {Keys: []item{{"id": n("1")}, {"id": n("1000")}}, ProjectionExpression: aws.String("v")},
		tbl2: {Keys: []item{{"k": s("a")}, {"k": s("b")}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Responses[tbl]) != 1 || len(out.Responses[tbl][0]) != 1 || len(out.Responses[tbl2]) != 2 {
		t.Errorf("two-table BatchGetItem = %v", out.Responses)
	}
	// Deletes in a batch.
	writeAll(map[string][]types.WriteRequest{tbl: {
		{DeleteRequest: &types.DeleteRequest{Key: item{"id": n("0")}}},
		{DeleteRequest: &types.DeleteRequest{Key: item{"id": n("1")}}},
		{PutRequest: &types.PutRequest{Item: item{"id": n("500")}}},
	}})
	if get(t, c, tbl, item{"id": n("0")}) != nil || get(t, c, tbl, item{"id": n("500")}) == nil {
		t.Error("batch delete/put not applied")
	}

	put25 := func(k int) []types.WriteRequest {
		var r []types.WriteRequest
		for i := range k {
			r = append(r, types.WriteRequest{PutRequest: &types.PutRequest{Item: item{"id": n(fmt.Sprint(1000 + i))}}})
		}
		return r
	}
	errCases := []struct {
		name string
		call func() error
		msg  string
	}{
		{"write 26 requests", func() error {
			_, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{tbl: put25(26)}})
			return err
		}, "25"},
		{"write duplicate keys", func() error {
			_, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{tbl: {
				{PutRequest: &types.PutRequest{Item: item{"id": n("7"), "v": s("a")}}},
				{DeleteRequest: &types.DeleteRequest{Key: item{"id": n("7")}}},
			}}})
			return err
		}, "duplicates"},
		{"write empty request", func() error {
			_, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{tbl: {{}}}})
			return err
		}, ""},
		{"get 101 keys", func() error {
			k := append(append([]item(nil), keys...), item{"id": n("100")})
			_, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{tbl: {Keys: k}}})
			return err
		}, "member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100"},
		{"get duplicate keys", func() error {
			_, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{tbl: {Keys: []item{{"id": n("1")}, {"id": n("1.0")}}}}})
			return err
		}, "duplicates"},
		{"get wrong key", func() error {
			_, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{tbl: {Keys: []item{{"id": s("1")}}}}})
			return err
		}, ""},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			wantAPIError(t, tc.call(), "ValidationException", tc.msg)
		})
	}
	// Nothing from the rejected batches was written.
	if get(t, c, tbl, item{"id": n("1000")}) != nil {
		t.Error("rejected 26-request batch was partly applied")
	}
	if it := get(t, c, tbl, item{"id": n("7")}); it == nil || strOf(t, it["v"]) != "val7" {
		t.Errorf("rejected duplicate batch changed item 7: %v", it)
	}
	_, err = c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{"no-such-table-xyz": {Keys: []item{{"id": n("1")}}}}})
	wantAPIError(t, err, "ResourceNotFoundException")
}
