package api

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/concorddb/concord/region/table"
)

// incrBody is a transaction that adds one to counter c: running it twice
// shows.
func incrBody(token string) string {
	return `{"TransactItems":[{"Update":{"TableName":"hash","Key":{"id":{"S":"c"}},
		"UpdateExpression":"ADD n :one","ExpressionAttributeValues":{":one":{"N":"1"}}}}],
		"ClientRequestToken":"` + token + `","ReturnConsumedCapacity":"TOTAL"}`
}

func counter(t *testing.T, s *Server) string {
	t.Helper()
	return getItemJSON(t, s, "hash", `{"id":{"S":"c"}}`)
}

func TestTransactWriteIdempotency(t *testing.T) {
	s := newItemsServer(t)
	var mu sync.Mutex
	now := time.Unix(1_700_000_000, 0)
	s.idempotency().now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	one := canon(t, `{"id":{"S":"c"},"n":{"N":"1"}}`)

	first := must(t, s, transactWriteItems, incrBody("tok-1"))
	if got := counter(t, s); got != one {
		t.Fatalf("after first: %s", got)
	}
	// Same token, same request: same answer, not executed again.
	again := must(t, s, transactWriteItems, incrBody("tok-1"))
	if canon(t, again) != canon(t, first) {
		t.Errorf("replay answered %v, first %v", again, first)
	}
	if got := counter(t, s); got != one {
		t.Fatalf("after replay: %s (executed twice)", got)
	}
	// The same parameters in another order and spacing are the same request.
	must(t, s, transactWriteItems, `{"ReturnConsumedCapacity":"TOTAL","ClientRequestToken":"tok-1","TransactItems":[{"Update":
		{"ExpressionAttributeValues":{":one":{"N":"1"}},"UpdateExpression":"ADD n :one","Key":{"id":{"S":"c"}},"TableName":"hash"}}]}`)
	if got := counter(t, s); got != one {
		t.Fatalf("after reordered replay: %s", got)
	}
	// Same token, other parameters.
	wantErr(t, s, transactWriteItems, `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"id":{"S":"other"}}}}],"ClientRequestToken":"tok-1"}`,
		typeIdempotentMismatch, "")
	// Another token runs.
	must(t, s, transactWriteItems, incrBody("tok-2"))
	if got := counter(t, s); got != canon(t, `{"id":{"S":"c"},"n":{"N":"2"}}`) {
		t.Fatalf("after tok-2: %s", got)
	}
	// Ten minutes after completion the token is forgotten.
	advance(table.IdemWindow - time.Second)
	must(t, s, transactWriteItems, incrBody("tok-1"))
	if got := counter(t, s); got != canon(t, `{"id":{"S":"c"},"n":{"N":"2"}}`) {
		t.Fatalf("replay inside the window executed: %s", got)
	}
	advance(2 * time.Second)
	must(t, s, transactWriteItems, incrBody("tok-1"))
	if got := counter(t, s); got != canon(t, `{"id":{"S":"c"},"n":{"N":"3"}}`) {
		t.Fatalf("after the window: %s, want 3", got)
	}

	// A cancelled transaction is not remembered: its retry runs again.
	guarded := `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"id":{"S":"g"}},"ConditionExpression":"attribute_exists(id)"}}],"ClientRequestToken":"tok-3"}`
	wantErr(t, s, transactWriteItems, guarded, typeTransactionCanceled, "[ConditionalCheckFailed]")
	must(t, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"g"},"old":{"BOOL":true}}}`)
	must(t, s, transactWriteItems, guarded)
	if got := getItemJSON(t, s, "hash", `{"id":{"S":"g"}}`); got != canon(t, `{"id":{"S":"g"}}`) {
		t.Fatalf("g = %s after the retry", got)
	}
}

func TestTransactIdemCacheWaitsAndBounds(t *testing.T) {
	c := newIdemCache()
	ctx := context.Background()
	h1, h2 := sha256.Sum256([]byte("one")), sha256.Sum256([]byte("two"))
	if _, owner, err := c.begin(ctx, "t", h1); !owner || err != nil {
		t.Fatalf("first begin: owner=%v err=%v", owner, err)
	}
	// A mismatch is answered at once, even while the first runs.
	if _, _, err := c.begin(ctx, "t", h2); toAPIError(err).Type != typeIdempotentMismatch {
		t.Fatalf("mismatch while running: %v", err)
	}
	// A second request with the token waits for the first's result.
	type res struct {
		resp  []byte
		owner bool
		err   error
	}
	got := make(chan res, 1)
	go func() {
		r, o, err := c.begin(ctx, "t", h1)
		got <- res{r, o, err}
	}()
	select {
	case r := <-got:
		t.Fatalf("second begin returned %+v while the first runs", r)
	default:
	}
	c.finish("t", []byte(`{"x":1}`), nil)
	select {
	case r := <-got:
		if r.owner || r.err != nil || string(r.resp) != `{"x":1}` {
			t.Fatalf("second begin = %+v", r)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("second begin still waiting after finish")
	}
	// A waiter whose context ends gives up.
	if _, owner, _ := c.begin(ctx, "u", h1); !owner {
		t.Fatal("u not owned")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := c.begin(cctx, "u", h1); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled waiter: %v", err)
	}
	// A failure releases the token to the next request.
	c.finish("u", nil, errors.New("boom"))
	if _, owner, err := c.begin(ctx, "u", h1); !owner || err != nil {
		t.Fatalf("after failure: owner=%v err=%v", owner, err)
	}
	c.finish("u", nil, errors.New("boom"))

	// Past the bound the oldest tokens go first.
	c.max = 2
	for _, tok := range []string{"a", "b", "c"} {
		if _, owner, _ := c.begin(ctx, tok, h1); !owner {
			t.Fatalf("%s not owned", tok)
		}
		c.finish(tok, []byte(tok), nil)
	}
	if _, owner, _ := c.begin(ctx, "a", h1); !owner {
		t.Error("a still remembered past the bound")
	}
	if r, owner, _ := c.begin(ctx, "c", h1); owner || string(r) != "c" {
		t.Errorf("c: owner=%v resp=%q", owner, r)
	}
}

// TestTransactWriteIdempotencySurvivesRestart: a token is stored with its
// transaction, so a server that starts over the same store (its memory
// empty, as after a crash between the commit and the answer) still
// recognises a retry; expired records are purged.
func TestTransactWriteIdempotencySurvivesRestart(t *testing.T) {
	s := newItemsServer(t)
	var mu sync.Mutex
	now := time.Unix(1_700_000_000, 0)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s.idempotency().now = clock
	one := canon(t, `{"id":{"S":"c"},"n":{"N":"1"}}`)
	must(t, s, transactWriteItems, incrBody("tok-r"))
	guarded := `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"id":{"S":"g"}},"ConditionExpression":"attribute_exists(id)"}}],"ClientRequestToken":"tok-x"}`
	wantErr(t, s, transactWriteItems, guarded, typeTransactionCanceled, "[ConditionalCheckFailed]")

	restarted := func() *Server {
		r := New(s.opts)
		r.idempotency().now = clock
		return r
	}
	r := restarted()
	if got := must(t, r, transactWriteItems, incrBody("tok-r")); len(got) != 0 {
		t.Errorf("replay after a restart answered %v, want {}", got)
	}
	if got := counter(t, r); got != one {
		t.Fatalf("after a replay on a restarted server: %s (executed twice)", got)
	}
	wantErr(t, r, transactWriteItems, `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"id":{"S":"other"}}}}],"ClientRequestToken":"tok-r"}`,
		typeIdempotentMismatch, "")
	// The cancelled transaction left no record: its retry runs.
	wantErr(t, r, transactWriteItems, guarded, typeTransactionCanceled, "[ConditionalCheckFailed]")

	// Past the window the stored token is ignored, then purged.
	if n, err := r.eng.PurgeIdempotencyTokens(context.Background(), clock()); err != nil || n != 0 {
		t.Fatalf("purge inside the window deleted %d, %v", n, err)
	}
	mu.Lock()
	now = now.Add(table.IdemWindow + time.Second)
	mu.Unlock()
	r2 := restarted()
	must(t, r2, transactWriteItems, incrBody("tok-r"))
	if got := counter(t, r2); got != canon(t, `{"id":{"S":"c"},"n":{"N":"2"}}`) {
		t.Fatalf("after the window: %s, want 2", got)
	}
	mu.Lock()
	now = now.Add(table.IdemWindow + time.Second)
	mu.Unlock()
	if n, err := r2.eng.PurgeIdempotencyTokens(context.Background(), clock()); err != nil || n != 1 {
		t.Fatalf("purge after the window deleted %d, %v; want the one record", n, err)
	}
	if _, ok, _ := s.eng.Token("tok-r", time.Time{}); ok {
		t.Fatalf("the purged record is still stored")
	}
}
