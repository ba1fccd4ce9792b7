package test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestDurabilityCleanRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	nd := startNode(t, dir)
	c := nd.client()
	tbl := createPKSK(t, c, types.ScalarAttributeTypeN)
	const total = 200
	for i := range total {
		put(t, c, tbl, item{"pk": s(fmt.Sprint("p", i%7)), "sk": n(fmt.Sprint(i)), "v": s(fmt.Sprint("value-", i))})
	}
	if _, err := c.DeleteItem(testCtx(t), &dynamodb.DeleteItemInput{TableName: aws.String(tbl), Key: item{"pk": s("p0"), "sk": n("0")}}); err != nil {
		t.Fatal(err)
	}
	nd.stop(t)

	nd2 := startNode(t, dir)
	c2 := nd2.client()
	waitActive(t, c2, tbl)
	for i := range total {
		got := get(t, c2, tbl, item{"pk": s(fmt.Sprint("p", i%7)), "sk": n(fmt.Sprint(i))})
		switch {
		case i == 0 && got != nil:
			t.Errorf("deleted item came back: %v", got)
		case i != 0 && (got == nil || strOf(t, got["v"]) != fmt.Sprint("value-", i)):
			t.Fatalf("item %d after restart = %v", i, got)
		}
	}
	out, err := c2.Scan(testCtx(t), &dynamodb.ScanInput{TableName: aws.String(tbl), Select: types.SelectCount})
	if err != nil {
		t.Fatal(err)
	}
	if out.Count != total-1 {
		t.Errorf("scan count after restart = %d, want %d", out.Count, total-1)
	}
	// The node still takes writes after restart.
	put(t, c2, tbl, item{"pk": s("after"), "sk": n("1")})
}

func TestDurabilitySIGKILL(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	nd := startNode(t, dir)
	tbl := tableName(t)
	createTable(t, nd.client(), tbl, keyDef{"id", types.ScalarAttributeTypeS}, nil)

	const writers = 8
	const killAfter = 400
	var mu sync.Mutex
	var acked []string
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newClient(nd.url, 1) // no retries: an error is not an ack
			for i := 0; ; i++ {
				key := fmt.Sprintf("w%d-%06d", w, i)
				_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item{"id": s(key), "v": n(fmt.Sprint(i))}})
				if err != nil {
					return // the node is gone (or the test timed out)
				}
				mu.Lock()
				acked = append(acked, key)
				mu.Unlock()
			}
		}()
	}
	eventually(t, 60*time.Second, func() error {
		mu.Lock()
		defer mu.Unlock()
		if len(acked) < killAfter {
			return fmt.Errorf("%d writes acknowledged", len(acked))
		}
		return nil
	})
	nd.Kill()
	wg.Wait()
	mu.Lock()
	keys := append([]string(nil), acked...)
	mu.Unlock()
	t.Logf("%d writes acknowledged before SIGKILL", len(keys))

	nd2 := startNode(t, dir)
	c2 := nd2.client()
	waitActive(t, c2, tbl)
	var missing []string
	for start := 0; start < len(keys); start += 100 {
		end := min(start+100, len(keys))
		var ks []item
		for _, k := range keys[start:end] {
			ks = append(ks, item{"id": s(k)})
		}
		found := map[string]bool{}
		req := map[string]types.KeysAndAttributes{tbl: {Keys: ks, ConsistentRead: aws.Bool(true)}}
		for len(req) > 0 {
			out, err := c2.BatchGetItem(testCtx(t), &dynamodb.BatchGetItemInput{RequestItems: req})
			if err != nil {
				t.Fatalf("BatchGetItem after restart: %v", err)
			}
			for _, it := range out.Responses[tbl] {
				found[strOf(t, it["id"])] = true
			}
			req = out.UnprocessedKeys
		}
		for _, k := range keys[start:end] {
			if !found[k] {
				missing = append(missing, k)
			}
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d of %d acknowledged writes lost after SIGKILL, e.g. %v", len(missing), len(keys), missing[:min(5, len(missing))])
	}
}

// TestDurabilityIdempotencyTokenSIGKILL: a TransactWriteItems retried with
// its ClientRequestToken after the node was killed with SIGKILL and
// restarted is answered without running again; other parameters under the
// same token are refused.
func TestDurabilityIdempotencyTokenSIGKILL(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	nd := startNode(t, dir)
	tbl := tableName(t)
	createTable(t, nd.client(), tbl, keyDef{"id", types.ScalarAttributeTypeS}, nil)
	incr := &dynamodb.TransactWriteItemsInput{
		ClientRequestToken: aws.String("transfer-42"),
		TransactItems: []types.TransactWriteItem{{Update: &types.Update{TableName: aws.String(tbl),
			Key: item{"id": s("counter")}, UpdateExpression: aws.String("ADD n :one"),
			ExpressionAttributeValues: item{":one": n("1")}}}},
	}
	if _, err := nd.client().TransactWriteItems(testCtx(t), incr); err != nil {
		t.Fatal(err)
	}
	nd.Kill()

	nd2 := startNode(t, dir)
	c2 := nd2.client()
	waitActive(t, c2, tbl)
	if _, err := c2.TransactWriteItems(testCtx(t), incr); err != nil {
		t.Fatalf("retry after SIGKILL: %v", err)
	}
	if got := get(t, c2, tbl, item{"id": s("counter")}); got == nil || numOf(t, got["n"]) != "1" {
		t.Fatalf("counter after the retry = %v, want n=1 (the transaction ran once)", got)
	}
	other := *incr
	other.TransactItems = []types.TransactWriteItem{{Put: &types.Put{TableName: aws.String(tbl), Item: item{"id": s("x")}}}}
	_, err := c2.TransactWriteItems(testCtx(t), &other)
	wantAPIError(t, err, "IdempotentParameterMismatchException", "")
}
