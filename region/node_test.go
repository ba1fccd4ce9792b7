package region

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRegionNodeServeAndClose(t *testing.T) {
	cfg := Config{
		Region:  "eu-west-1",
		DataDir: t.TempDir(),
		Listen:  "127.0.0.1:0",
		NATS:    NATSConfig{Listen: "127.0.0.1:0"},
		Logger:  slog.New(slog.DiscardHandler),
		Pprof:   true,
	}
	n, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- n.Serve(ctx) }()

	req, _ := http.NewRequest(http.MethodPost, n.URL(), strings.NewReader(`{"TableName":"tbl",
		"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`))
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.CreateTable")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "arn:aws:dynamodb:eu-west-1:000000000000:table/tbl") {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("x-amzn-RequestId") == "" || resp.Header.Get("Date") == "" {
		t.Errorf("headers %v", resp.Header)
	}
	resp, err = http.Get(n.URL() + "/debug/pprof/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("pprof: %d", resp.StatusCode)
	}

	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
	if err := n.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := http.Get(n.URL()); err == nil {
		t.Error("node still answers after Close")
	}

	// The table survives a restart on the same data dir.
	n, err = Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	n.Start()
	defer n.Close()
	req, _ = http.NewRequest(http.MethodPost, n.URL(), strings.NewReader(`{}`))
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != `{"TableNames":["tbl"]}` {
		t.Errorf("after restart: %s", body)
	}
}

func TestRegionConfig(t *testing.T) {
	var c Config
	c.EnsureDefaults()
	if c.Region != DefaultRegion || c.Listen != DefaultListen || c.DataDir != "concord-data/us-east-1" || c.Logger == nil {
		t.Errorf("defaults %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("defaults invalid: %v", err)
	}
	bad := Config{Region: "US East", Listen: "nohostport"}
	bad.EnsureDefaults()
	err := bad.Validate()
	if err == nil || !strings.Contains(err.Error(), "invalid region") || !strings.Contains(err.Error(), "invalid listen address") {
		t.Errorf("Validate: %v", err)
	}
	if got := listenAddr("127.0.0.1:-1"); got != "127.0.0.1:0" {
		t.Errorf("listenAddr: %q", got)
	}
	if _, err := Open(Config{Region: "bad region"}); err == nil {
		t.Error("Open accepted an invalid config")
	}

	garbage := filepath.Join(t.TempDir(), "seed")
	if err := os.WriteFile(garbage, []byte("not a seed"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		nats NATSConfig
		want string
	}{
		{NATSConfig{StreamReplicas: 3}, "need an external NATS cluster"},
		{NATSConfig{URL: "nats://h:4222", StreamReplicas: 7}, "JetStream allows 1 to 5"},
		{NATSConfig{Client: NATSClient{TLSCert: garbage}}, "needs its key"},
		{NATSConfig{Client: NATSClient{CredsFile: garbage, NKeyFile: garbage}}, "not both"},
		{NATSConfig{Client: NATSClient{TLSCA: "/no/such/ca.pem"}}, "NATS TLS CA file"},
		{NATSConfig{Client: NATSClient{NKeyFile: garbage}}, "nkey seed file"},
	} {
		c := Config{NATS: tc.nats}
		c.EnsureDefaults()
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v, want an error about %q", tc.nats, err, tc.want)
		}
	}
}

// TestRegionConfigTombstoneRetention: a retention below the minimum (or
// negative) is refused at start with a clear error; the minimum itself is
// accepted, and 0 means the default.
func TestRegionConfigTombstoneRetention(t *testing.T) {
	for _, tc := range []struct {
		retention time.Duration
		ok        bool
	}{
		{0, true}, {MinTombstoneRetention, true}, {2 * time.Minute, true},
		{MinTombstoneRetention - time.Second, false}, {time.Second, false}, {-time.Hour, false},
	} {
		c := Config{TombstoneRetention: tc.retention}
		c.EnsureDefaults()
		err := c.Validate()
		if tc.ok && err != nil {
			t.Errorf("retention %v: %v", tc.retention, err)
		}
		if !tc.ok && (err == nil || !strings.Contains(err.Error(), "tombstone retention") || !strings.Contains(err.Error(), "below the minimum 1m0s")) {
			t.Errorf("retention %v: Validate = %v, want an error naming the minimum", tc.retention, err)
		}
	}
	if _, err := Open(Config{DataDir: t.TempDir(), TombstoneRetention: 30 * time.Second}); err == nil {
		t.Error("Open accepted a 30s tombstone retention")
	}
}

func TestRegionRedactURL(t *testing.T) {
	if got := redactURL("nats://concord:s3cret@h:4222"); strings.Contains(got, "s3cret") || !strings.Contains(got, "h:4222") {
		t.Errorf("redactURL kept the password: %s", got)
	}
	if got := redactURL("nats://h:4222"); got != "nats://h:4222" {
		t.Errorf("redactURL changed a URL without credentials: %s", got)
	}
}

func TestRegionLoadCredentials(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	creds, err := LoadCredentials(write("ok", "# keys\nAKID1 secret1\n\n  AKID2   secret2  \n"))
	if err != nil || len(creds) != 2 || creds["AKID1"] != "secret1" || creds["AKID2"] != "secret2" {
		t.Fatalf("LoadCredentials = %v, %v", creds, err)
	}
	for name, text := range map[string]string{"three": "A B C\n", "one": "A\n", "empty": "# none\n"} {
		if _, err := LoadCredentials(write(name, text)); err == nil {
			t.Errorf("LoadCredentials accepted %q", text)
		}
	}
	if _, err := LoadCredentials(filepath.Join(dir, "missing")); err == nil {
		t.Error("LoadCredentials accepted a missing file")
	}
}
