package region

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// TestRegionTTLSweepDeletesAndReplicates: an expired item is deleted by
// the sweeper with a tombstone marked as a TTL deletion, and the deletion
// replicates to the other region.
func TestRegionTTLSweepDeletesAndReplicates(t *testing.T) {
	t.Parallel()
	a, b := linkedPair(t)
	if resp, body := ddb(t, a, "CreateTable", `{"TableName":"ttl","BillingMode":"PAY_PER_REQUEST",
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`); resp.StatusCode != http.StatusOK {
		t.Fatalf("CreateTable: %s", body)
	}
	if resp, body := ddb(t, a, "UpdateTimeToLive", `{"TableName":"ttl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}`); resp.StatusCode != http.StatusOK {
		t.Fatalf("UpdateTimeToLive: %s", body)
	}
	past := time.Now().Add(-time.Minute).Unix()
	for _, pk := range []string{"old1", "old2"} {
		if resp, body := ddb(t, a, "PutItem", fmt.Sprintf(`{"TableName":"ttl","Item":{"pk":{"S":%q},"exp":{"N":"%d"}}}`, pk, past)); resp.StatusCode != http.StatusOK {
			t.Fatalf("PutItem: %s", body)
		}
	}
	if resp, body := ddb(t, a, "PutItem", `{"TableName":"ttl","Item":{"pk":{"S":"keep"}}}`); resp.StatusCode != http.StatusOK {
		t.Fatalf("PutItem: %s", body)
	}
	gone := func(n *Node) func() error {
		return func() error {
			st, err := n.store.Stats("ttl")
			if err != nil {
				return err
			}
			if st.ItemCount != 1 {
				return fmt.Errorf("%s holds %d items, want 1", n.cfg.Region, st.ItemCount)
			}
			return nil
		}
	}
	eventually(t, 15*time.Second, gone(a))
	eventually(t, 15*time.Second, gone(b))
	cs, err := a.store.Changes(context.Background(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	ttlDeletes := 0
	for _, c := range cs {
		if c.Kind == storage.ChangeItem && c.New == nil && c.Cause == storage.CauseTTL {
			ttlDeletes++
		}
	}
	if ttlDeletes < 2 {
		t.Fatalf("a's change log has %d TTL deletions, want 2", ttlDeletes)
	}
	if it, _ := b.store.Get(context.Background(), "ttl", item.Item{"pk": item.Str("keep")}); it == nil {
		t.Fatal("the item without a TTL attribute was deleted")
	}
}

// TestRegionTTLSweepSkipsExhaustedVersion: an expired item whose version
// carries the maximal timestamp cannot be deleted (no version supersedes
// it: conflict.ErrVersionExhausted); the sweeper skips it and still
// deletes the table's other expired items.
func TestRegionTTLSweepSkipsExhaustedVersion(t *testing.T) {
	t.Parallel()
	a := startNode(t, "us-east-1")
	if resp, body := ddb(t, a, "CreateTable", `{"TableName":"ttl","BillingMode":"PAY_PER_REQUEST",
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`); resp.StatusCode != http.StatusOK {
		t.Fatalf("CreateTable: %s", body)
	}
	if resp, body := ddb(t, a, "UpdateTimeToLive", `{"TableName":"ttl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}`); resp.StatusCode != http.StatusOK {
		t.Fatalf("UpdateTimeToLive: %s", body)
	}
	past := item.Num(fmt.Sprint(time.Now().Add(-time.Minute).Unix()))
	maxV := conflict.Version{TS: hlc.MaxTimestamp, Region: "eu-west-1"}
	if _, err := a.store.Update(context.Background(), "ttl", item.Item{"pk": item.Str("max")}, func(item.Item, storage.Meta) (storage.Mutation, error) {
		return storage.Mutation{Put: item.Item{"pk": item.Str("max"), "exp": past}, Version: maxV.Encode(), Origin: "eu-west-1"}, nil
	}); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if resp, body := ddb(t, a, "PutItem", fmt.Sprintf(`{"TableName":"ttl","Item":{"pk":{"S":"old%d"},"exp":{"N":%q}}}`, i, past.S)); resp.StatusCode != http.StatusOK {
			t.Fatalf("PutItem: %s", body)
		}
	}
	eventually(t, 15*time.Second, func() error {
		st, err := a.store.Stats("ttl")
		if err != nil {
			return err
		}
		if st.ItemCount != 1 {
			return fmt.Errorf("holds %d items, want 1 (the undeletable one)", st.ItemCount)
		}
		return nil
	})
}
