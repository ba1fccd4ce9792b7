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
	if n, err := s.eng.PurgeDroppedTables(ctx, time.Now().Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("purge an hour after the deletion forgot %d, %v", n, err)
	}
	if n, err := s.eng.PurgeDroppedTables(ctx, time.Now().Add(25*time.Hour)); err != nil || n != 1 {
		t.Fatalf("purge a day after the deletion forgot %d, %v; want 1", n, err)
	}
	if n := count(); n != 0 {
		t.Fatalf("ListStreams lists %d streams after the purge", n)
	}
}

// TestStreamLabelsAreUnique: a table created again under a deleted one's
// name within the same millisecond still gets a stream ARN of its own.
func TestStreamLabelsAreUnique(t *testing.T) {
	s := newTableServer(t) // its clock moves a microsecond per reading
	create := `{"TableName":"again","BillingMode":"PAY_PER_REQUEST",
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}}`
	tblOK(t, s, createTable, create)
	tblOK(t, s, deleteTable, `{"TableName":"again"}`)
	tblOK(t, s, createTable, create)
	out := tblOK(t, s, listStreams, `{"TableName":"again"}`)
	sts := out["Streams"].([]any)
	if len(sts) != 2 {
		t.Fatalf("ListStreams = %v, want the deleted table's stream and the new one's", sts)
	}
	a, b := sts[0].(map[string]any)["StreamArn"], sts[1].(map[string]any)["StreamArn"]
	if a == b {
		t.Fatalf("both streams have the ARN %v", a)
	}
}
