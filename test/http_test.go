package test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// rawResp is one raw HTTP exchange's result.
type rawResp struct {
	status int
	header http.Header
	body   []byte
	typ    string // __type, "" if none
	msg    string // message or Message
}

// rawHTTP is a plain client that does not ask for compressed responses, so
// x-amz-crc32 can be checked against the bytes received.
var rawHTTP = &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 60 * time.Second}

// rawCall POSTs body to the node with X-Amz-Target DynamoDB_20120810.<op>
// (no header if op is empty), SigV4-signed with the test credentials.
func rawCall(t testing.TB, nd *node, op string, body []byte, hdr map[string]string) rawResp {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, nd.url+"/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	if op != "" {
		req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	sum := sha256.Sum256(body)
	err = v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"},
		req, hex.EncodeToString(sum[:]), "dynamodb", "us-east-1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	resp, err := rawHTTP.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", op, err)
	}
	defer resp.Body.Close()
	rb, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s response: %v", op, err)
	}
	r := rawResp{status: resp.StatusCode, header: resp.Header, body: rb}
	var m map[string]any
	if json.Unmarshal(rb, &m) == nil {
		r.typ, _ = m["__type"].(string)
		if s, ok := m["message"].(string); ok {
			r.msg = s
		} else if s, ok := m["Message"].(string); ok {
			r.msg = s
		}
	}
	return r
}

// wantErr checks status, the __type suffix (any of types) and a message part.
func (r rawResp) wantErr(t testing.TB, status int, msgPart string, typs ...string) {
	t.Helper()
	if r.status != status {
		t.Errorf("status = %d, want %d; body %.300s", r.status, status, r.body)
	}
	ok := false
	for _, typ := range typs {
		ok = ok || r.typ == typ || strings.HasSuffix(r.typ, "#"+typ)
	}
	if !ok {
		t.Errorf("__type = %q, want suffix %v; body %.300s", r.typ, typs, r.body)
	}
	if !containsFold(r.msg, msgPart) {
		t.Errorf("message %q does not contain %q", r.msg, msgPart)
	}
}

// checkHealth fails unless GET / answers 200.
func checkHealth(t testing.TB, nd *node) {
	t.Helper()
	resp, err := rawHTTP.Get(nd.url + "/")
	if err != nil {
		t.Fatalf("health after bad input: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("health after bad input: %d", resp.StatusCode)
	}
}

func TestHTTPBadInput(t *testing.T) {
	t.Parallel()
	nd := sharedNode(t)
	c := nd.client()
	tbl := tableName(t)
	createTable(t, c, tbl, keyDef{"id", types.ScalarAttributeTypeS}, nil)
	q := strconv.Quote(tbl)
	big := strings.Repeat("x", 400*1024)
	cases := []struct {
		name   string
		op     string
		body   string
		status int
		msg    string
		types  []string
	}{
		{"malformed JSON", "GetItem", `{"TableName":`, 400, "", []string{"SerializationException"}},
		{"wrong JSON type", "GetItem", `{"TableName": 5, "Key": {"id": {"S": "a"}}}`, 400, "", []string{"SerializationException"}},
		{"empty body", "GetItem", ``, 400, "", []string{"SerializationException", "ValidationException"}},
		{"null body", "GetItem", `null`, 400, "", []string{"SerializationException", "ValidationException"}},
		{"unknown target", "Frobnicate", `{}`, 400, "", []string{"UnknownOperationException"}},
		{"missing target", "", `{}`, 400, "", []string{"UnknownOperationException", "MissingAuthenticationTokenException", "SerializationException"}},
		{"missing TableName", "GetItem", `{"Key": {"id": {"S": "a"}}}`, 400, "tableName", []string{"ValidationException"}},
		{"item over 400 KB", "PutItem", `{"TableName": ` + q + `, "Item": {"id": {"S": "a"}, "d": {"S": "` + big + `"}}}`, 400, "Item size has exceeded", []string{"ValidationException"}},
		{"empty key string", "GetItem", `{"TableName": ` + q + `, "Key": {"id": {"S": ""}}}`, 400, "empty string", []string{"ValidationException"}},
		{"wrong key type", "GetItem", `{"TableName": ` + q + `, "Key": {"id": {"N": "1"}}}`, 400, "does not match the schema", []string{"ValidationException"}},
		{"wrong key type in item", "PutItem", `{"TableName": ` + q + `, "Item": {"id": {"N": "1"}}}`, 400, "Type mismatch", []string{"ValidationException"}},
		{"unknown table", "GetItem", `{"TableName": "no-such-table-raw", "Key": {"id": {"S": "a"}}}`, 400, "not found", []string{"ResourceNotFoundException"}},
		{"attribute value with two types", "PutItem", `{"TableName": ` + q + `, "Item": {"id": {"S": "a"}, "v": {"S": "a", "N": "1"}}}`, 400, "", []string{"ValidationException", "SerializationException"}},
		{"invalid expression syntax", "UpdateItem", `{"TableName": ` + q + `, "Key": {"id": {"S": "a"}}, "UpdateExpression": "SET a = = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}}`, 400, "Syntax error", []string{"ValidationException"}},
		{"unused expression value", "PutItem", `{"TableName": ` + q + `, "Item": {"id": {"S": "a"}}, "ConditionExpression": "attribute_not_exists(id)", "ExpressionAttributeValues": {":v": {"S": "x"}}}`, 400, "unused", []string{"ValidationException"}},
		{"missing expression value", "PutItem", `{"TableName": ` + q + `, "Item": {"id": {"S": "a"}}, "ConditionExpression": "id = :v"}`, 400, ":v", []string{"ValidationException"}},
		{"number overflow", "PutItem", `{"TableName": ` + q + `, "Item": {"id": {"S": "a"}, "n": {"N": "1e126"}}}`, 400, "overflow", []string{"ValidationException"}},
		{"number underflow", "PutItem", `{"TableName": ` + q + `, "Item": {"id": {"S": "a"}, "n": {"N": "1e-131"}}}`, 400, "underflow", []string{"ValidationException"}},
		{"set with duplicates", "PutItem", `{"TableName": ` + q + `, "Item": {"id": {"S": "a"}, "s": {"SS": ["x", "x"]}}}`, 400, "duplicates", []string{"ValidationException"}},
		{"deeply nested JSON", "PutItem", strings.Repeat("[", 100000), 400, "", []string{"SerializationException", "ValidationException"}},
		{"deeply nested attribute", "PutItem", `{"TableName": ` + q + `, "Item": {"id": {"S": "a"}, "v": ` + strings.Repeat(`{"L": [`, 5000) + `{"S": "x"}` + strings.Repeat(`]}`, 5000) + `}}`, 400, "", []string{"ValidationException", "SerializationException"}},
		{"deeply nested expression parentheses", "PutItem", `{"TableName": ` + q + `, "Item": {"id": {"S": "a"}}, "ConditionExpression": "` + strings.Repeat("(", 100000) + "id = :v" + strings.Repeat(")", 100000) + `", "ExpressionAttributeValues": {":v": {"S": "a"}}}`, 400, "", []string{"ValidationException"}},
		{"nested parentheses within size limit", "PutItem", `{"TableName": ` + q + `, "Item": {"id": {"S": "a"}}, "ConditionExpression": "` + strings.Repeat("(", 1500) + "id = :v" + strings.Repeat(")", 1500) + `", "ExpressionAttributeValues": {":v": {"S": "a"}}}`, 400, "", []string{"ValidationException"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := rawCall(t, nd, tc.op, []byte(tc.body), nil)
			r.wantErr(t, tc.status, tc.msg, tc.types...)
			checkResponseHeaders(t, r)
			checkHealth(t, nd)
		})
	}
	// Nothing above wrote item "a".
	if r := rawCall(t, nd, "GetItem", []byte(`{"TableName": `+q+`, "Key": {"id": {"S": "a"}}, "ConsistentRead": true}`), nil); r.status != 200 || string(bytes.TrimSpace(r.body)) != "{}" {
		t.Errorf("GetItem after rejected writes: %d %s", r.status, r.body)
	}
}

func TestHTTPBodyLimitAndGzip(t *testing.T) {
	t.Parallel()
	nd := sharedNode(t)
	c := nd.client()
	tbl := tableName(t)
	createTable(t, c, tbl, keyDef{"id", types.ScalarAttributeTypeS}, nil)
	q := strconv.Quote(tbl)

	t.Run("over 16 MB is 413", func(t *testing.T) {
		body := []byte(`{"TableName": ` + q + `, "Item": {"id": {"S": "a"}, "d": {"S": "` + strings.Repeat("x", 16*1024*1024+10) + `"}}}`)
		r := rawCall(t, nd, "PutItem", body, nil)
		if r.status != http.StatusRequestEntityTooLarge {
			t.Errorf("status = %d, want 413; body %.200s", r.status, r.body)
		}
		checkHealth(t, nd)
	})
	t.Run("gzip body", func(t *testing.T) {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		fmt.Fprintf(zw, `{"TableName": %s, "Item": {"id": {"S": "gz"}, "v": {"S": "%s"}}}`, q, strings.Repeat("z", 10000))
		zw.Close()
		r := rawCall(t, nd, "PutItem", buf.Bytes(), map[string]string{"Content-Encoding": "gzip"})
		if r.status != 200 {
			t.Fatalf("gzip PutItem: %d %s", r.status, r.body)
		}
		checkResponseHeaders(t, r)
		got := get(t, c, tbl, item{"id": s("gz")})
		if got == nil || len(strOf(t, got["v"])) != 10000 {
			t.Errorf("gzip-written item = %.100v", got)
		}
	})
	t.Run("gzip bomb over 16 MB is 413", func(t *testing.T) {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		fmt.Fprintf(zw, `{"TableName": %s, "Item": {"id": {"S": "bomb"}, "v": {"S": "`, q)
		chunk := bytes.Repeat([]byte("y"), 1<<20)
		for range 17 {
			zw.Write(chunk)
		}
		fmt.Fprint(zw, `"}}}`)
		zw.Close()
		r := rawCall(t, nd, "PutItem", buf.Bytes(), map[string]string{"Content-Encoding": "gzip"})
		if r.status != http.StatusRequestEntityTooLarge && r.status != http.StatusBadRequest {
			t.Errorf("status = %d, want 413 (or 400)", r.status)
		}
		checkHealth(t, nd)
	})
}

// checkResponseHeaders checks the headers DynamoDB sends on every response.
func checkResponseHeaders(t testing.TB, r rawResp) {
	t.Helper()
	if r.header.Get("x-amzn-RequestId") == "" {
		t.Error("no x-amzn-RequestId header")
	}
	if got, want := r.header.Get("x-amz-crc32"), strconv.FormatUint(uint64(crc32.ChecksumIEEE(r.body)), 10); got != want {
		t.Errorf("x-amz-crc32 = %q, want %s", got, want)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/x-amz-json-1.0" {
		t.Errorf("Content-Type = %q", ct)
	}
	if d := r.header.Get("Date"); d == "" {
		t.Error("no Date header")
	} else if _, err := http.ParseTime(d); err != nil {
		t.Errorf("Date %q: %v", d, err)
	}
	if r.header.Get("Server") == "" {
		t.Error("no Server header")
	}
}

func TestHTTPHeadersAndEndpoints(t *testing.T) {
	t.Parallel()
	nd := sharedNode(t)
	r := rawCall(t, nd, "ListTables", []byte(`{}`), nil)
	if r.status != 200 {
		t.Fatalf("ListTables: %d %s", r.status, r.body)
	}
	checkResponseHeaders(t, r)
	r2 := rawCall(t, nd, "ListTables", []byte(`{}`), nil)
	if r.header.Get("x-amzn-RequestId") == r2.header.Get("x-amzn-RequestId") {
		t.Error("two requests share an x-amzn-RequestId")
	}
	r = rawCall(t, nd, "DescribeEndpoints", []byte(`{}`), nil)
	if r.status != 200 {
		t.Fatalf("DescribeEndpoints: %d %s", r.status, r.body)
	}
	var ep struct {
		Endpoints []struct {
			Address              string
			CachePeriodInMinutes int64
		}
	}
	if err := json.Unmarshal(r.body, &ep); err != nil {
		t.Fatal(err)
	}
	if len(ep.Endpoints) != 1 || ep.Endpoints[0].Address != nd.addr {
		t.Errorf("DescribeEndpoints = %s, want Address %s", r.body, nd.addr)
	}
	// An unsigned or non-POST request still gets a DynamoDB-shaped error.
	resp, err := rawHTTP.Post(nd.url+"/", "application/x-amz-json-1.0", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 400 || resp.StatusCode >= 500 {
		t.Errorf("POST without X-Amz-Target: %d, want 4xx", resp.StatusCode)
	}
	checkHealth(t, nd)
}
