package test

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// TestHTTPS: `concord serve --tls-cert --tls-key` serves the DynamoDB API
// over HTTPS to aws-sdk-go-v2 and the AWS CLI, which verify its certificate
// against the test CA (and the CLI refuses it without that CA).
func TestHTTPS(t *testing.T) {
	t.Parallel()
	pki := filepath.Join(t.TempDir(), "pki")
	writeTestPKI(t, pki)
	nd := startNode(t, "", "--tls-cert", filepath.Join(pki, "server.crt"), "--tls-key", filepath.Join(pki, "server.key"))
	if !strings.HasPrefix(nd.url, "https://") {
		t.Fatalf("node URL %q, want https://", nd.url)
	}
	caPEM, err := os.ReadFile(filepath.Join(pki, "ca.crt"))
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		t.Fatal("bad test CA")
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}
	defer tr.CloseIdleConnections()
	c := dynamodb.New(dynamodb.Options{Region: "eu-west-1", BaseEndpoint: aws.String(nd.url),
		Credentials: credentials.NewStaticCredentialsProvider("k", "s", ""), RetryMaxAttempts: 1,
		HTTPClient: &http.Client{Transport: tr, Timeout: 30 * time.Second}})
	tbl := tableName(t)
	createTable(t, c, tbl, keyDef{"pk", types.ScalarAttributeTypeS}, nil)
	put(t, c, tbl, item{"pk": s("a"), "v": s("over TLS")})
	if got, ok := get(t, c, tbl, item{"pk": s("a")})["v"].(*types.AttributeValueMemberS); !ok || got.Value != "over TLS" {
		t.Fatalf("GetItem over HTTPS = %v", got)
	}

	if _, err := exec.LookPath("aws"); err != nil {
		t.Fatal("the AWS CLI (`aws`) is not on PATH; install it (CI has it)")
	}
	cli := func(env ...string) (string, error) {
		cmd := exec.Command("aws", "dynamodb", "list-tables", "--endpoint-url", nd.url, "--output", "text")
		cmd.Env = append(os.Environ(), append([]string{"AWS_ACCESS_KEY_ID=k", "AWS_SECRET_ACCESS_KEY=s", "AWS_DEFAULT_REGION=eu-west-1",
			"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=", "AWS_MAX_ATTEMPTS=1"}, env...)...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := cli("AWS_CA_BUNDLE=" + filepath.Join(pki, "ca.crt")); err != nil || !strings.Contains(out, tbl) {
		t.Errorf("aws dynamodb list-tables with the CA bundle: %v\n%s", err, out)
	}
	if out, err := cli(); err == nil || !strings.Contains(strings.ToLower(out), "certificate") {
		t.Errorf("aws dynamodb list-tables without the CA bundle: err %v, want a certificate error\n%s", err, out)
	}
}
