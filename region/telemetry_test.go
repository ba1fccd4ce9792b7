package region

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// startTelNode is startNode with Open options.
func startTelNode(t *testing.T, region string, opts ...Option) *Node {
	t.Helper()
	n, err := Open(Config{
		Region:  region,
		DataDir: t.TempDir(),
		Listen:  "127.0.0.1:0",
		Logger:  slog.New(slog.DiscardHandler),
		NATS:    NATSConfig{Listen: "127.0.0.1:0"},
	}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	n.Start()
	t.Cleanup(func() {
		if err := n.Close(); err != nil {
			t.Errorf("close %s: %v", region, err)
		}
	})
	return n
}

// sample is one Prometheus sample: name, labels, value.
type sample struct {
	name   string
	labels map[string]string
	value  float64
}

// scrape reads GET /metrics and parses the text format's samples.
func scrape(t *testing.T, n *Node) []sample {
	t.Helper()
	resp, err := http.Get(n.URL() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET /metrics: %d %s", resp.StatusCode, b)
	}
	var out []sample
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		sp := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[sp+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		s := sample{labels: map[string]string{}, value: v}
		head := line[:sp]
		name, rest, hasLabels := strings.Cut(head, "{")
		s.name = name
		if hasLabels {
			rest = strings.TrimSuffix(rest, "}")
			for rest != "" {
				k, r, _ := strings.Cut(rest, `="`)
				val, r2, _ := strings.Cut(r, `"`)
				s.labels[k] = val
				rest = strings.TrimPrefix(r2, ",")
			}
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// find returns the value of the sample named name whose labels include
// want ("k", "v" pairs), and whether there is one.
func find(samples []sample, name string, want ...string) (float64, bool) {
next:
	for _, s := range samples {
		if s.name != name {
			continue
		}
		for i := 0; i+1 < len(want); i += 2 {
			if s.labels[want[i]] != want[i+1] {
				continue next
			}
		}
		return s.value, true
	}
	return 0, false
}

// rawDDB sends a DynamoDB request and returns the status and error type,
// whatever they are.
func rawDDB(t *testing.T, n *Node, op, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, n.URL()+"/", strings.NewReader(body))
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("x-amzn-ErrorType")
}

func TestTelemetryMetrics(t *testing.T) {
	t.Parallel()
	a, b := startTelNode(t, "us-east-1"), startTelNode(t, "eu-west-1")
	link(t, b, a)
	ddb(t, a, "CreateTable", createT)
	const items = 5
	for i := range items {
		put(t, a, fmt.Sprintf("k%d", i), "v")
	}
	ddb(t, a, "GetItem", `{"TableName":"tbl","Key":{"pk":{"S":"k0"}}}`)
	if code, typ := rawDDB(t, a, "GetItem", `{"TableName":"tbl","Key":{"nope":{"S":"k0"}}}`); code != http.StatusBadRequest || !strings.Contains(typ, "ValidationException") {
		t.Fatalf("bad GetItem: %d %q, want 400 ValidationException", code, typ)
	}
	if code, typ := rawDDB(t, a, "GetItem", `{"TableName":"no-such-table","Key":{"pk":{"S":"k0"}}}`); code != http.StatusBadRequest || !strings.Contains(typ, "ResourceNotFoundException") {
		t.Fatalf("GetItem on a missing table: %d %q", code, typ)
	}
	eventually(t, 15*time.Second, converged(t, items, a, b))

	// The destination's figures arrive after the apply: poll.
	var sb []sample
	eventually(t, 15*time.Second, func() error {
		sb = scrape(t, b)
		src := []string{"region", "eu-west-1", "source_region", "us-east-1"}
		if v, _ := find(sb, "concord_replication_lag_seconds_count", src...); v < items {
			return fmt.Errorf("lag histogram count %v, want >= %d", v, items)
		}
		if v, _ := find(sb, "concord_replication_applied_total", src...); v < items+1 {
			return fmt.Errorf("applied %v, want >= %d", v, items+1)
		}
		if v, _ := find(sb, "concord_replication_connected", src...); v != 1 {
			return fmt.Errorf("connected %v", v)
		}
		return nil
	})
	sa := scrape(t, a)

	ra := []string{"region", "us-east-1"}
	rb := []string{"region", "eu-west-1"}
	type check struct {
		samples []sample
		name    string
		labels  []string
		ok      func(float64) bool
		want    string
	}
	eq := func(w float64) func(float64) bool { return func(v float64) bool { return v == w } }
	ge := func(w float64) func(float64) bool { return func(v float64) bool { return v >= w } }
	lbl := func(base []string, kv ...string) []string { return append(append([]string(nil), base...), kv...) }
	checks := []check{
		{sa, "concord_api_requests_total", lbl(ra, "operation", "PutItem", "table", "tbl"), eq(items), "5"},
		{sa, "concord_api_requests_total", lbl(ra, "operation", "GetItem", "table", "tbl"), eq(2), "2"},
		{sa, "concord_api_requests_total", lbl(ra, "operation", "GetItem", "table", ""), eq(1), "1 (unknown table name dropped)"},
		{sa, "concord_api_request_duration_seconds_count", lbl(ra, "operation", "PutItem"), eq(items), "5"},
		{sa, "concord_api_request_duration_seconds_sum", lbl(ra, "operation", "PutItem"), func(v float64) bool { return v > 0 && v < 60 }, "in (0, 60)"},
		{sa, "concord_api_request_duration_seconds_bucket", lbl(ra, "operation", "PutItem", "le", "+Inf"), eq(items), "5"},
		{sa, "concord_api_errors_total", lbl(ra, "operation", "GetItem", "error_type", "ValidationException"), eq(1), "1"},
		{sa, "concord_api_errors_total", lbl(ra, "operation", "GetItem", "error_type", "ResourceNotFoundException"), eq(1), "1"},
		{sa, "concord_api_throttled_total", lbl(ra, "operation", "PutItem"), eq(0), "0"},
		{sa, "concord_publisher_backlog", ra, ge(0), ">= 0"},
		{sa, "concord_publisher_published_seq", ra, ge(items + 1), ">= 6"},
		{sa, "concord_table_items", lbl(ra, "table", "tbl"), eq(items), "5"},
		{sa, "concord_table_size_bytes", lbl(ra, "table", "tbl"), ge(1), "> 0"},
		{sa, "concord_table_digest", lbl(ra, "table", "tbl"), ge(1), "> 0"},
		{sa, "concord_ttl_deleted_total", lbl(ra, "table", "tbl"), eq(0), "0"},
		{sa, "concord_pebble_compaction_debt_bytes", ra, ge(0), ">= 0"},
		{sa, "concord_pebble_l0_files", ra, ge(0), ">= 0"},
		{sa, "concord_pebble_cache_hit_ratio", ra, func(v float64) bool { return v >= 0 && v <= 1 }, "in [0, 1]"},
		{sb, "concord_table_items", lbl(rb, "table", "tbl"), eq(items), "5"},
		{sb, "concord_replication_lag_seconds_bucket", lbl(rb, "source_region", "us-east-1", "le", "+Inf"), ge(items), ">= 5"},
		{sb, "concord_replication_pending", lbl(rb, "source_region", "us-east-1"), ge(0), ">= 0"},
		{sb, "concord_replication_discarded_total", lbl(rb, "source_region", "us-east-1"), ge(0), ">= 0"},
		{sb, "concord_replication_skewed_total", lbl(rb, "source_region", "us-east-1"), eq(0), "0"},
		{sb, "concord_replication_stuck", lbl(rb, "source_region", "us-east-1"), eq(0), "0"},
	}
	for _, c := range checks {
		v, ok := find(c.samples, c.name, c.labels...)
		switch {
		case !ok:
			t.Errorf("%s%v: missing", c.name, c.labels)
		case !c.ok(v):
			t.Errorf("%s%v = %v, want %s", c.name, c.labels, v, c.want)
		}
	}
	da, _ := find(sa, "concord_table_digest", "table", "tbl")
	db, _ := find(sb, "concord_table_digest", "table", "tbl")
	if da != db {
		t.Errorf("digest gauges differ between converged regions: %v != %v", da, db)
	}
	if v, ok := find(sa, "concord_api_requests_total", "operation", "PutItem"); !ok || v != items {
		t.Errorf("request counter %v", v)
	}
}

func TestTelemetryTraceFollowsWriteAcrossRegions(t *testing.T) {
	t.Parallel()
	ea, eb := tracetest.NewInMemoryExporter(), tracetest.NewInMemoryExporter()
	a := startTelNode(t, "us-east-1", WithSpanExporter(ea))
	b := startTelNode(t, "eu-west-1", WithSpanExporter(eb))
	link(t, b, a)
	ddb(t, a, "CreateTable", createT)
	eventually(t, 15*time.Second, converged(t, 0, a, b))
	put(t, a, "traced", "v")

	var put tracetest.SpanStub
	for _, s := range ea.GetSpans() {
		if s.Name == "dynamodb.PutItem" {
			put = s
		}
	}
	if !put.SpanContext.IsValid() {
		t.Fatalf("no dynamodb.PutItem span in %s", a.Region())
	}
	attrs := map[attribute.Key]string{}
	for _, kv := range put.Attributes {
		attrs[kv.Key] = kv.Value.Emit()
	}
	if attrs["operation"] != "PutItem" || attrs["table"] != "tbl" || attrs["region"] != "us-east-1" {
		t.Errorf("PutItem span attributes %v", attrs)
	}
	eventually(t, 15*time.Second, func() error {
		for _, s := range eb.GetSpans() {
			if s.Name != "concord.replicate.apply" {
				continue
			}
			if s.Parent.TraceID() != put.SpanContext.TraceID() {
				return fmt.Errorf("apply span's parent trace %s, want %s", s.Parent.TraceID(), put.SpanContext.TraceID())
			}
			if s.Parent.SpanID() != put.SpanContext.SpanID() || !s.Parent.IsRemote() {
				return fmt.Errorf("apply span's parent %s (remote %v), want %s", s.Parent.SpanID(), s.Parent.IsRemote(), put.SpanContext.SpanID())
			}
			return nil
		}
		return fmt.Errorf("no concord.replicate.apply span in %s yet", b.Region())
	})
}

// TestTelemetryOTLP runs without t.Parallel: it sets the OTel environment.
func TestTelemetryOTLP(t *testing.T) {
	var mu sync.Mutex
	got := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		mu.Lock()
		got[r.Method+" "+r.URL.Path]++
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", srv.URL)
	t.Setenv("OTEL_METRIC_EXPORT_INTERVAL", "100")
	t.Setenv("OTEL_SERVICE_NAME", "concord-test")
	n := startTelNode(t, "us-east-1")
	ddb(t, n, "CreateTable", createT)
	put(t, n, "k", "v")
	eventually(t, 15*time.Second, func() error {
		mu.Lock()
		defer mu.Unlock()
		if got["POST /v1/metrics"] == 0 {
			return fmt.Errorf("no OTLP metrics export yet: %v", got)
		}
		return nil
	})
	if err := n.Close(); err != nil { // flushes the batched spans
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if got["POST /v1/traces"] == 0 {
		t.Errorf("no OTLP trace export after Close: %v", got)
	}
}

// BenchmarkTelemetryMiddleware measures what the middleware adds to one
// request (the handler behind it does nothing).
func BenchmarkTelemetryMiddleware(b *testing.B) {
	tel, err := newTelemetry("us-east-1", openOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer tel.shutdown(context.Background())
	h := tel.middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), func(string) bool { return true })
	for _, op := range []string{"GetItem", "PutItem"} {
		b.Run(op, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				req := httptest.NewRequest(http.MethodPost, "/", nil)
				req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
				w := httptest.NewRecorder()
				for pb.Next() {
					h.ServeHTTP(w, req)
				}
			})
		})
	}
}
