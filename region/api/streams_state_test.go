package api

import (
	"context"
	"testing"
	"time"
)

// TestPurgeDroppedTables: a deleted table's stream is listed until a day
// after the deletion, then forgotten with the table.
func TestPurgeDroppedTables(t *testing.T) {
	s := newTableServer(t)
	tblOK(t, s, createTable, `{"TableName":"gone","BillingMode":"PAY_PER_REQUEST",
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}}`)
	tblOK(t, s, deleteTable, `{"TableName":"gone"}`)
	count := func() int {
		out := tblOK(t, s, listStreams, `{}`)
		return len(out["Streams"].([]any))
	}
	if n := count(); n != 1 {
		t.Fatalf("ListStreams after DeleteTable lists %d streams, want the deleted table's", n)
	}
	ctx := context.Background()
	if n, err := s.PurgeDroppedTables(ctx, time.Now().Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("purge an hour after the deletion forgot %d, %v", n, err)
	}
	if n, err := s.PurgeDroppedTables(ctx, time.Now().Add(25*time.Hour)); err != nil || n != 1 {
		t.Fatalf("purge a day after the deletion forgot %d, %v; want 1", n, err)
	}
	if n := count(); n != 0 {
		t.Fatalf("ListStreams lists %d streams after the purge", n)
	}
}
