package test

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
)

// TestAuthSigV4: with --auth-file, requests signed with a listed key pass
// (the SDK, the streams client and the AWS CLI), and others get DynamoDB's
// errors: a wrong secret InvalidSignatureException, an unknown key
// UnrecognizedClientException, no signature MissingAuthenticationToken.
func TestAuthSigV4(t *testing.T) {
	t.Parallel()
	const key, secret = "AKIDCONCORDTEST", "s3cr3t/with+signs"
	authFile := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(authFile, []byte("# access keys\n"+key+" "+secret+"\n\nAKIDOTHER other-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	nd := startNode(t, "", "--auth-file", authFile)
	client := func(k, s string) *dynamodb.Client {
		return dynamodb.New(dynamodb.Options{Region: "eu-west-1", BaseEndpoint: aws.String(nd.url),
			Credentials: credentials.NewStaticCredentialsProvider(k, s, ""), RetryMaxAttempts: 1})
	}
	good := client(key, secret)
	tbl := tableName(t)
	createTable(t, good, tbl, keyDef{"pk", types.ScalarAttributeTypeS}, nil)
	put(t, good, tbl, item{"pk": s("a"), "v": s(strings.Repeat("x", 5000))})
	if got := get(t, client("AKIDOTHER", "other-secret"), tbl, item{"pk": s("a")}); got == nil {
		t.Fatal("the second key of the file cannot read")
	}

	_, err := client(key, "wrong").GetItem(testCtx(t), &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: item{"pk": s("a")}})
	wantAPIError(t, err, "InvalidSignatureException", "signature we calculated does not match")
	_, err = client("AKIDUNKNOWN", secret).ListTables(testCtx(t), &dynamodb.ListTablesInput{})
	wantAPIError(t, err, "UnrecognizedClientException", "security token included in the request is invalid")

	req, _ := http.NewRequest(http.MethodPost, nd.url, strings.NewReader(`{}`))
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "MissingAuthenticationTokenException") {
		t.Errorf("an unsigned request got HTTP %d %s, want 400 MissingAuthenticationTokenException", resp.StatusCode, body)
	}

	sc := dynamodbstreams.New(dynamodbstreams.Options{Region: "eu-west-1", BaseEndpoint: aws.String(nd.url),
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, ""), RetryMaxAttempts: 1})
	if _, err := sc.ListStreams(testCtx(t), &dynamodbstreams.ListStreamsInput{}); err != nil {
		t.Errorf("the streams client with a listed key: %v", err)
	}

	if _, err := exec.LookPath("aws"); err != nil {
		t.Fatal("the AWS CLI (`aws`) is not on PATH; install it (CI has it)")
	}
	cli := func(k, s string) (string, error) {
		cmd := exec.Command("aws", "dynamodb", "list-tables", "--endpoint-url", nd.url, "--output", "text")
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID="+k, "AWS_SECRET_ACCESS_KEY="+s, "AWS_DEFAULT_REGION=ap-southeast-2",
			"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=", "AWS_MAX_ATTEMPTS=1")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := cli(key, secret); err != nil || !strings.Contains(out, tbl) {
		t.Errorf("aws dynamodb list-tables with a listed key: %v\n%s", err, out)
	}
	if out, err := cli(key, "wrong"); err == nil || !strings.Contains(out, "InvalidSignatureException") {
		t.Errorf("aws dynamodb list-tables with a wrong secret: %v\n%s", err, out)
	}
}

// TestAuthAdminEndpoints: with --auth-file the node's own endpoints need
// HTTP Basic authentication with a listed key; the health answer of GET /
// does not.
func TestAuthAdminEndpoints(t *testing.T) {
	t.Parallel()
	const key, secret = "AKIDADMIN", "admin-secret"
	authFile := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(authFile, []byte(key+" "+secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	nd := startNode(t, "", "--auth-file", authFile, "--pprof")
	do := func(method, path, user, pass string) (int, http.Header) {
		t.Helper()
		req, _ := http.NewRequestWithContext(testCtx(t), method, nd.url+path, strings.NewReader(`{"region":"eu-west-1","url":"nats://127.0.0.1:1"}`))
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, resp.Header
	}
	for _, c := range []struct{ method, path string }{
		{"GET", "/admin/status"}, {"GET", "/admin/peers"}, {"POST", "/admin/peers"}, {"DELETE", "/admin/peers/eu-west-1"},
		{"GET", "/metrics"}, {"GET", "/dashboard"}, {"GET", "/debug/pprof/cmdline"},
	} {
		if code, h := do(c.method, c.path, "", ""); code != http.StatusUnauthorized || !strings.HasPrefix(h.Get("WWW-Authenticate"), "Basic ") {
			t.Errorf("%s %s without credentials: %d %q, want 401 with a Basic challenge", c.method, c.path, code, h.Get("WWW-Authenticate"))
		}
		if code, _ := do(c.method, c.path, key, "wrong"); code != http.StatusUnauthorized {
			t.Errorf("%s %s with a wrong secret: %d, want 401", c.method, c.path, code)
		}
		if code, _ := do(c.method, c.path, "AKIDUNKNOWN", secret); code != http.StatusUnauthorized {
			t.Errorf("%s %s with an unknown key: %d, want 401", c.method, c.path, code)
		}
	}
	for _, path := range []string{"/admin/status", "/metrics", "/dashboard", "/debug/pprof/cmdline"} {
		if code, _ := do("GET", path, key, secret); code != http.StatusOK {
			t.Errorf("GET %s with the key: %d, want 200", path, code)
		}
	}
	if code, _ := do("GET", "/", "", ""); code != http.StatusOK {
		t.Errorf("GET / (health) without credentials: %d, want 200", code)
	}
}
