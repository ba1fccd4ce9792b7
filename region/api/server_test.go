package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"hash/crc32"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
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

// newTableServer returns a Server built with New over an empty in-memory
// store and a deterministic clock.
func newTableServer(t *testing.T) *Server {
	t.Helper()
	st, err := storage.Open("/data", storage.Options{FS: vfs.NewMem(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	var now atomic.Int64
	now.Store(1_700_000_000_123_000_000)
	clk := hlc.NewClock(func() int64 { return now.Add(1000) }, 0)
	wall := func() time.Time { return time.Unix(0, now.Load()) }
	return New(Options{Engine: table.New(table.Options{Store: st, Clock: clk, Wall: wall, Region: "us-east-1"}), Logger: slog.New(slog.DiscardHandler)})
}

// post sends one request through ServeHTTP.
func post(t *testing.T, s *Server, target string, body []byte, hdr map[string]string) *http.Response {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	if target != "" {
		r.Header.Set("X-Amz-Target", target)
	}
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w.Result()
}

// checkResponse checks DynamoDB's response headers and returns the body,
// decoded.
func checkResponse(t *testing.T, resp *http.Response, wantStatus int) map[string]any {
	t.Helper()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != wantStatus {
		t.Fatalf("status %d, want %d; body %s", resp.StatusCode, wantStatus, body)
	}
	h := resp.Header
	if got := h.Get("Content-Type"); got != "application/x-amz-json-1.0" {
		t.Errorf("Content-Type %q", got)
	}
	if got, want := h.Get("X-Amz-Crc32"), strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10); got != want {
		t.Errorf("x-amz-crc32 %q, want %q", got, want)
	}
	if got := h.Get("Content-Length"); got != strconv.Itoa(len(body)) {
		t.Errorf("Content-Length %q, body is %d bytes", got, len(body))
	}
	id := h.Get("X-Amzn-Requestid")
	if len(id) != 52 || strings.ToUpper(id) != id {
		t.Errorf("request id %q: want 52 uppercase alphanumerics", id)
	}
	if h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Access-Control-Expose-Headers") == "" {
		t.Errorf("CORS headers missing: %v", h)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, body)
	}
	return m
}

// wantErrType checks an error response's __type and optionally a message
// substring.
func wantErrType(t *testing.T, resp *http.Response, status int, typ, msg string) {
	t.Helper()
	m := checkResponse(t, resp, status)
	if got := m["__type"]; got != typePrefix+typ {
		t.Errorf("__type %v, want %s", got, typePrefix+typ)
	}
	if got, _ := m["message"].(string); !strings.Contains(got, msg) {
		t.Errorf("message %q, want it to contain %q", got, msg)
	}
}

func TestServerHeadersAndDispatch(t *testing.T) {
	s := newTableServer(t)
	resp := post(t, s, "DynamoDB_20120810.ListTables", []byte(`{}`), nil)
	m := checkResponse(t, resp, 200)
	if names, ok := m["TableNames"].([]any); !ok || len(names) != 0 {
		t.Errorf("TableNames %v", m["TableNames"])
	}
	if resp.Header.Get("Server") != "Server" {
		t.Errorf("Server header %q", resp.Header.Get("Server"))
	}
	// Request ids differ.
	r2 := post(t, s, "DynamoDB_20120810.ListTables", []byte(`{}`), nil)
	if resp.Header.Get("X-Amzn-Requestid") == r2.Header.Get("X-Amzn-Requestid") {
		t.Error("request ids repeat")
	}
}

func TestServerProtocolErrors(t *testing.T) {
	s := newTableServer(t)
	deep := strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000)
	cases := []struct {
		name, target, body string
		status             int
		typ, msg           string
	}{
		{"no target", "", `{}`, 400, typeUnknownOperation, ""},
		{"unknown op", "DynamoDB_20120810.Frobnicate", `{}`, 400, typeUnknownOperation, ""},
		{"wrong prefix", "DynamoDB_20111205.ListTables", `{}`, 400, typeUnknownOperation, ""},
		{"unknown streams op", "DynamoDBStreams_20120810.DeleteStream", `{}`, 400, typeUnknownOperation, ""},
		{"empty body", "DynamoDB_20120810.ListTables", ``, 400, typeSerialization, ""},
		{"null", "DynamoDB_20120810.ListTables", `null`, 400, typeSerialization, ""},
		{"array", "DynamoDB_20120810.ListTables", `[]`, 400, typeSerialization, ""},
		{"string", "DynamoDB_20120810.ListTables", `"x"`, 400, typeSerialization, ""},
		{"malformed", "DynamoDB_20120810.ListTables", `{"Limit":`, 400, typeSerialization, ""},
		{"trailing", "DynamoDB_20120810.ListTables", `{} x`, 400, typeSerialization, ""},
		{"wrong type", "DynamoDB_20120810.ListTables", `{"Limit":"x"}`, 400, typeSerialization, ""},
		{"deep", "DynamoDB_20120810.DescribeLimits", deep, 400, typeSerialization, ""},
		{"unknown table", "DynamoDB_20120810.DescribeTable", `{"TableName":"nope"}`, 400, typeResourceNotFound,
			"Requested resource not found: Table: nope not found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantErrType(t, post(t, s, c.target, []byte(c.body), nil), c.status, c.typ, c.msg)
		})
	}
}

func TestServerGzipBody(t *testing.T) {
	s := newTableServer(t)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write([]byte(`{"Limit":5}`))
	_ = zw.Close()
	resp := post(t, s, "DynamoDB_20120810.ListTables", buf.Bytes(), map[string]string{"Content-Encoding": "gzip"})
	checkResponse(t, resp, 200)

	resp = post(t, s, "DynamoDB_20120810.ListTables", []byte(`{}`), map[string]string{"Content-Encoding": "gzip"})
	wantErrType(t, resp, 400, typeSerialization, "gzip")
	resp = post(t, s, "DynamoDB_20120810.ListTables", []byte(`{}`), map[string]string{"Content-Encoding": "br"})
	wantErrType(t, resp, 400, typeSerialization, "Content-Encoding")
}

func TestServerBodyTooLarge(t *testing.T) {
	s := newTableServer(t)
	s.opts.MaxBodyBytes = 1024
	big := []byte(`{"TableName":"` + strings.Repeat("a", 2000) + `"}`)
	wantErrType(t, post(t, s, "DynamoDB_20120810.DescribeTable", big, nil), 413, typeRequestTooLarge, "1024")

	// The limit applies after decompression: a small gzip of a big body.
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(big)
	_ = zw.Close()
	if buf.Len() >= 1024 {
		t.Fatalf("compressed body is %d bytes", buf.Len())
	}
	wantErrType(t, post(t, s, "DynamoDB_20120810.DescribeTable", buf.Bytes(), map[string]string{"Content-Encoding": "gzip"}),
		413, typeRequestTooLarge, "")

	// Without a Content-Length (chunked), the reader still stops at the limit.
	r := httptest.NewRequest(http.MethodPost, "/", io.MultiReader(bytes.NewReader(big)))
	r.ContentLength = -1
	r.Header.Set("X-Amz-Target", "DynamoDB_20120810.DescribeTable")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	wantErrType(t, w.Result(), 413, typeRequestTooLarge, "")
}

func TestServerPanicRecovered(t *testing.T) {
	s := newTableServer(t)
	operations["TestPanic"] = func(context.Context, *Server, []byte) ([]byte, error) { panic("boom") }
	t.Cleanup(func() { delete(operations, "TestPanic") })
	wantErrType(t, post(t, s, "DynamoDB_20120810.TestPanic", []byte(`{}`), nil), 500, typeInternal, "")
	// The server still answers.
	checkResponse(t, post(t, s, "DynamoDB_20120810.ListTables", []byte(`{}`), nil), 200)
}

func TestServerInternalErrorHidden(t *testing.T) {
	s := newTableServer(t)
	operations["TestFail"] = func(context.Context, *Server, []byte) ([]byte, error) {
		return nil, io.ErrUnexpectedEOF
	}
	t.Cleanup(func() { delete(operations, "TestFail") })
	resp := post(t, s, "DynamoDB_20120810.TestFail", []byte(`{}`), nil)
	wantErrType(t, resp, 500, typeInternal, "Internal server error")
}

func TestServerErrorExtras(t *testing.T) {
	e := &Error{Type: "TransactionCanceledException", Message: "m", Extra: map[string]any{"CancellationReasons": []string{"x"}}}
	var m map[string]any
	if err := json.Unmarshal(e.body(), &m); err != nil {
		t.Fatal(err)
	}
	// DynamoDB names this one error's message "Message" (boto3 #2657,
	// aws-sdk-net #1292); every other error says "message".
	if m["__type"] != typePrefix+"TransactionCanceledException" || m["Message"] != "m" || m["message"] != nil || m["CancellationReasons"] == nil {
		t.Errorf("body %v", m)
	}
	for _, e := range []*Error{errTransactionCanceled([]string{reasonNone}, []cancellationReason{{Code: reasonNone}}), errConditionalCheckFailed(item.Item{"id": item.Str("a")}), errValidation("v")} {
		want := `"message":`
		if e.Type == typeTransactionCanceled {
			want = `"Message":`
		}
		if b := string(e.body()); !strings.Contains(b, want) || strings.Count(strings.ToLower(b), `"message":`) != 1 {
			t.Errorf("%s body %s, want one message field, %s", e.Type, b, want)
		}
	}
	if got := string(errUnknownOperation().body()); got != `{"__type":"`+typePrefix+`UnknownOperationException"}` {
		t.Errorf("body %s", got)
	}
}

func TestServerHealthAndCORS(t *testing.T) {
	s := newTableServer(t)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"region":"us-east-1"`) {
		t.Errorf("health: %d %s", w.Code, w.Body)
	}
	if w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Error("health reply lacks CORS header")
	}

	r := httptest.NewRequest(http.MethodOptions, "/", nil)
	r.Header.Set("Origin", "http://localhost:3000")
	r.Header.Set("Access-Control-Request-Method", "POST")
	r.Header.Set("Access-Control-Request-Headers", "content-type,x-amz-target,authorization")
	w = httptest.NewRecorder()
	s.ServeHTTP(w, r)
	h := w.Header()
	if w.Code != 200 || h.Get("Access-Control-Allow-Origin") != "*" ||
		h.Get("Access-Control-Allow-Headers") != "content-type,x-amz-target,authorization" ||
		!strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") ||
		!strings.Contains(h.Get("Access-Control-Expose-Headers"), "x-amzn-RequestId") ||
		h.Get("Access-Control-Max-Age") == "" {
		t.Errorf("preflight: %d %v", w.Code, h)
	}

	w = httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(http.MethodPut, "/", nil))
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("PUT: %d", w.Code)
	}
}

func TestServerRequestID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := newRequestID()
		for _, c := range id {
			if !strings.ContainsRune(requestIDAlphabet, c) {
				t.Fatalf("id %q has %q", id, c)
			}
		}
		if seen[id] {
			t.Fatalf("id %q repeated", id)
		}
		seen[id] = true
	}
}

// BenchmarkServerDescribeLimits measures the protocol overhead of a
// request that does no storage work.
func BenchmarkServerDescribeLimits(b *testing.B) {
	s := New(Options{Engine: table.New(table.Options{Region: "us-east-1"}), Logger: slog.New(slog.DiscardHandler)})
	body := []byte(`{}`)
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		r.Header.Set("X-Amz-Target", "DynamoDB_20120810.DescribeLimits")
		s.ServeHTTP(httptest.NewRecorder(), r)
	}
}
