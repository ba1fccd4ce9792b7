package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// Test tables: "hash" has key id (S); "range" has key pk (S), sk (N).

// newItemsServer returns a Server over an in-memory store holding the test
// tables, with a deterministic clock.
func newItemsServer(t testing.TB) *Server {
	t.Helper()
	st, err := storage.Open("/data", storage.Options{FS: vfs.NewMem(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	ctx := context.Background()
	for _, def := range []storage.TableDef{
		{Name: "hash", PartitionKey: storage.KeyAttr{Name: "id", Type: item.TypeS}},
		{Name: "range", PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeS},
			SortKey: &storage.KeyAttr{Name: "sk", Type: item.TypeN}},
	} {
		if _, err := st.CreateTable(ctx, def); err != nil {
			t.Fatal(err)
		}
	}
	var now atomic.Int64
	now.Store(1_700_000_000_000_000_000)
	clk := hlc.NewClock(func() int64 { return now.Add(1000) }, 0)
	wall := func() time.Time { return time.Unix(0, now.Load()) }
	return New(Options{Engine: table.New(table.Options{Store: st, Clock: clk, Wall: wall, Region: "us-east-1"}), Logger: slog.New(slog.DiscardHandler)})
}

// do calls a handler and returns the decoded response, or the error as the
// client would see it.
func do(t testing.TB, s *Server, h handler, body string) (map[string]any, *Error) {
	t.Helper()
	out, err := h(context.Background(), s, []byte(body))
	if err != nil {
		return nil, toAPIError(err)
	}
	if out == nil {
		out = []byte("{}")
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, out)
	}
	return m, nil
}

// must calls a handler that must succeed.
func must(t testing.TB, s *Server, h handler, body string) map[string]any {
	t.Helper()
	m, err := do(t, s, h, body)
	if err != nil {
		t.Fatalf("request %s\nfailed: %v", body, err)
	}
	return m
}

// wantErr calls a handler that must fail with the given __type and a
// message containing msg.
func wantErr(t *testing.T, s *Server, h handler, body, typ, msg string) *Error {
	t.Helper()
	_, err := do(t, s, h, body)
	if err == nil {
		t.Fatalf("request %s\nsucceeded, want %s %q", body, typ, msg)
	}
	if err.Type != typ || !strings.Contains(err.Message, msg) {
		t.Fatalf("request %s\ngot %s: %s\nwant %s containing %q", body, err.Type, err.Message, typ, msg)
	}
	return err
}

// canon renders JSON canonically (sorted keys) for comparison.
func canon(t *testing.T, v any) string {
	t.Helper()
	if s, ok := v.(string); ok {
		var x any
		if err := json.Unmarshal([]byte(s), &x); err != nil {
			t.Fatalf("bad JSON %q: %v", s, err)
		}
		v = x
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// wantJSON checks that got (a decoded value) equals the JSON text want;
// want "" means got must be absent.
func wantJSON(t *testing.T, what string, got any, want string) {
	t.Helper()
	if want == "" {
		if got != nil {
			t.Fatalf("%s = %s, want absent", what, canon(t, got))
		}
		return
	}
	if got == nil {
		t.Fatalf("%s absent, want %s", what, want)
	}
	if g, w := canon(t, got), canon(t, want); g != w {
		t.Fatalf("%s = %s\nwant %s", what, g, w)
	}
}

// getItemJSON reads an item back through GetItem ("" when absent).
func getItemJSON(t *testing.T, s *Server, table, key string) string {
	t.Helper()
	m := must(t, s, getItem, `{"TableName":"`+table+`","Key":`+key+`}`)
	if m["Item"] == nil {
		return ""
	}
	return canon(t, m["Item"])
}

func TestItemsErrorMapping(t *testing.T) {
	// An error carrying the old item survives toAPIError.
	e := errConditionalCheckFailed(item.Item{"id": item.Str("a")})
	var ae *Error
	if !errors.As(error(e), &ae) || ae.Item == nil {
		t.Fatal("Error.Item lost")
	}
}

func BenchmarkItemsPutItem(b *testing.B) {
	s := newItemsServer(b)
	ctx := context.Background()
	body := []byte(`{"TableName":"hash","Item":{"id":{"S":"bench"},"name":{"S":"some value"},"n":{"N":"42"},"tags":{"SS":["a","b"]}}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := putItem(ctx, s, body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkItemsGetItem(b *testing.B) {
	s := newItemsServer(b)
	ctx := context.Background()
	must(b, s, putItem, `{"TableName":"hash","Item":{"id":{"S":"bench"},"name":{"S":"some value"},"n":{"N":"42"},"tags":{"SS":["a","b"]}}}`)
	body := []byte(`{"TableName":"hash","Key":{"id":{"S":"bench"}}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := getItem(ctx, s, body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkItemsQuery(b *testing.B) {
	s := newItemsServer(b)
	ctx := context.Background()
	for i := 0; i < 20; i++ {
		must(b, s, putItem, `{"TableName":"range","Item":{"pk":{"S":"p"},"sk":{"N":"`+strconv.Itoa(i)+`"},"v":{"S":"value"}}}`)
	}
	body := []byte(`{"TableName":"range","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"p"}}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := query(ctx, s, body); err != nil {
			b.Fatal(err)
		}
	}
}
