package test

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// deployDir is the repository's deploy/ folder, seen from test/.
const deployDir = "../deploy"

// metricContract is every metric name Concord promises on /metrics (all
// with label region). Dashboards and rules may use only these.
var metricContract = map[string]bool{
	"concord_api_requests_total":           true,
	"concord_api_request_duration_seconds": true,
	"concord_api_errors_total":             true,
	"concord_api_throttled_total":          true,
	"concord_replication_lag_seconds":      true,
	"concord_replication_pending":          true,
	"concord_replication_applied_total":    true,
	"concord_replication_discarded_total":  true,
	"concord_replication_skewed_total":     true,
	"concord_replication_connected":        true,
	"concord_replication_stuck":            true,
	"concord_publisher_backlog":            true,
	"concord_publisher_published_seq":      true,
	"concord_publisher_failing":            true,
	"concord_publisher_errors_total":       true,
	"concord_table_items":                  true,
	"concord_table_size_bytes":             true,
	"concord_table_digest":                 true,
	"concord_ttl_deleted_total":            true,
	"concord_pebble_compaction_debt_bytes": true,
	"concord_pebble_l0_files":              true,
	"concord_pebble_cache_hit_ratio":       true,
}

// eventOnlyMetrics count events the scrape test does not provoke
// (throttling, TTL expiry, clock skew, lost LWW races); a node may export
// them only once one happened, so they are checked against the contract
// but not required in the scrape.
var eventOnlyMetrics = map[string]bool{
	"concord_api_throttled_total":         true,
	"concord_ttl_deleted_total":           true,
	"concord_replication_skewed_total":    true,
	"concord_replication_discarded_total": true,
}

// deployFiles returns deploy/'s files whose names end in one of exts.
func deployFiles(t testing.TB, exts ...string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(deployDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && slices.Contains(exts, filepath.Ext(p)) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", deployDir, err)
	}
	return out
}

// TestDeployFiles checks that every JSON and YAML file under deploy/
// parses, that Prometheus accepts its config and rules and the
// dashboards' PromQL (when promtool is installed), and that the
// Kubernetes overlays build (when kubectl is installed).
func TestDeployFiles(t *testing.T) {
	t.Parallel()
	jsonFiles := deployFiles(t, ".json")
	if len(jsonFiles) == 0 {
		t.Fatal("no JSON files under deploy/")
	}
	for _, p := range jsonFiles {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}

	yamlFiles := deployFiles(t, ".yml", ".yaml")
	if len(yamlFiles) < 5 {
		t.Fatalf("only %d YAML files under deploy/: %v", len(yamlFiles), yamlFiles)
	}
	if hasPyYAML() {
		const script = `import sys, yaml
bad = 0
for p in sys.argv[1:]:
    try:
        docs = [d for d in yaml.safe_load_all(open(p)) if d is not None]
        if not docs:
            raise ValueError("no documents")
    except Exception as e:
        bad += 1
        print(p + ": " + str(e).replace("\n", " "))
sys.exit(1 if bad else 0)`
		out, err := exec.Command("python3", append([]string{"-c", script}, yamlFiles...)...).CombinedOutput()
		if err != nil {
			t.Errorf("YAML does not parse: %v\n%s", err, out)
		}
	} else {
		t.Log("python3 with PyYAML not found: minimal YAML checks only")
		for _, p := range yamlFiles {
			checkYAMLShape(t, p)
		}
	}

	if promtool, err := exec.LookPath("promtool"); err == nil {
		cfg := filepath.Join(deployDir, "prometheus", "prometheus.yml")
		if out, err := exec.Command(promtool, "check", "config", cfg).CombinedOutput(); err != nil {
			t.Errorf("promtool check config %s: %v\n%s", cfg, err, out)
		}
		checkDashboardPromQL(t, promtool)
	} else {
		t.Log("promtool not on PATH: Prometheus config and PromQL not checked")
	}

	if kubectl, err := exec.LookPath("kubectl"); err == nil {
		overlays, _ := filepath.Glob(filepath.Join(deployDir, "k8s", "overlays", "*"))
		if len(overlays) == 0 {
			t.Error("no Kubernetes overlays under deploy/k8s/overlays")
		}
		for _, o := range overlays {
			out, err := exec.Command(kubectl, "kustomize", o).CombinedOutput()
			if err != nil {
				t.Errorf("kubectl kustomize %s: %v\n%s", o, err, out)
				continue
			}
			region := filepath.Base(o)
			for _, want := range []string{"CONCORD_REGION: " + region, "namespace: concord-" + region, "kind: StatefulSet"} {
				if !bytes.Contains(out, []byte(want)) {
					t.Errorf("kubectl kustomize %s: no %q in the output", o, want)
				}
			}
		}
	} else {
		t.Log("kubectl not on PATH: Kubernetes overlays not built")
	}
}

func hasPyYAML() bool {
	return exec.Command("python3", "-c", "import yaml").Run() == nil
}

// checkYAMLShape is the fallback when no YAML parser is available: the
// file is non-empty and indents with spaces only.
func checkYAMLShape(t *testing.T, p string) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		t.Errorf("%s: empty", p)
	}
	for i, line := range strings.Split(string(b), "\n") {
		indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		if strings.Contains(indent, "\t") {
			t.Errorf("%s:%d: tab in indentation", p, i+1)
		}
	}
}

// dashboardExprs returns every PromQL expression of every Grafana
// dashboard under deploy/grafana/dashboards, by file.
func dashboardExprs(t testing.TB) map[string][]string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(deployDir, "grafana", "dashboards", "*.json"))
	if len(files) == 0 {
		t.Fatal("no dashboards under deploy/grafana/dashboards")
	}
	out := map[string][]string{}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		var walk func(any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				for k, e := range v {
					if s, ok := e.(string); ok && (k == "expr" || k == "definition") {
						out[p] = append(out[p], s)
					}
					walk(e)
				}
			case []any:
				for _, e := range v {
					walk(e)
				}
			}
		}
		walk(v)
		if len(out[p]) == 0 {
			t.Errorf("%s: no PromQL expressions", p)
		}
	}
	return out
}

// checkDashboardPromQL has promtool parse every dashboard expression, with
// Grafana's variables replaced by values, as recording rules.
func checkDashboardPromQL(t *testing.T, promtool string) {
	t.Helper()
	repl := strings.NewReplacer("$__rate_interval", "1m", "$__interval", "1m", "$__range", "1h", "$region", ".*")
	var rules strings.Builder
	rules.WriteString("groups:\n  - name: dashboards\n    rules:\n")
	n := 0
	for _, exprs := range dashboardExprs(t) {
		for _, e := range exprs {
			if strings.HasPrefix(e, "label_values(") {
				continue // a Grafana function, not PromQL
			}
			n++
			q, _ := json.Marshal(repl.Replace(e))
			fmt.Fprintf(&rules, "      - record: dashboard_expr_%d\n        expr: %s\n", n, q)
		}
	}
	p := filepath.Join(t.TempDir(), "dashboards.rules.yml")
	if err := os.WriteFile(p, []byte(rules.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(promtool, "check", "rules", p).CombinedOutput(); err != nil {
		t.Errorf("dashboard PromQL does not parse: %v\n%s\n%s", err, out, rules.String())
	}
}

var metricNameRE = regexp.MustCompile(`\bconcord_[a-zA-Z0-9_]+`)

// baseMetric strips the histogram series suffixes.
func baseMetric(name string) string {
	for _, s := range []string{"_bucket", "_sum", "_count"} {
		if b, ok := strings.CutSuffix(name, s); ok && metricContract[b] {
			return b
		}
	}
	return name
}

// usedMetrics returns every concord_* metric the dashboards and the
// Prometheus rules use, with where each is used.
func usedMetrics(t testing.TB) map[string][]string {
	t.Helper()
	used := map[string][]string{}
	for p, exprs := range dashboardExprs(t) {
		for _, e := range exprs {
			for _, m := range metricNameRE.FindAllString(e, -1) {
				used[baseMetric(m)] = append(used[baseMetric(m)], p)
			}
		}
	}
	rules, _ := filepath.Glob(filepath.Join(deployDir, "prometheus", "rules", "*.yml"))
	rules = append(rules, filepath.Join(deployDir, "prometheus", "prometheus.yml"))
	for _, p := range rules {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range metricNameRE.FindAllString(string(b), -1) {
			used[baseMetric(m)] = append(used[baseMetric(m)], p)
		}
	}
	return used
}

// TestDeployMetricsContract checks, without a node, that dashboards and
// rules use only metric names of the contract (catches typos).
func TestDeployMetricsContract(t *testing.T) {
	t.Parallel()
	used := usedMetrics(t)
	if len(used) < 10 {
		t.Fatalf("dashboards and rules use only %d concord metrics", len(used))
	}
	for m, where := range used {
		if !metricContract[m] {
			t.Errorf("%s (used in %v) is not a Concord metric", m, slices.Compact(where))
		}
	}
}

// TestDeployDashboardMetrics runs two linked regions, writes, replicates
// and provokes an error, then checks every concord_* metric used by the
// dashboards and rules appears on the regions' /metrics.
func TestDeployDashboardMetrics(t *testing.T) {
	t.Parallel()
	cl := startCluster(t, []string{"us-east-1", "eu-west-1"}, nil)
	tbl := createKeyTable(t, cl, "us-east-1")
	ctx := testCtx(t)
	for i := range 5 {
		_, err := cl.client("us-east-1").PutItem(ctx, &dynamodb.PutItemInput{
			TableName: aws.String(tbl),
			Item: map[string]types.AttributeValue{
				"pk": &types.AttributeValueMemberS{Value: fmt.Sprintf("k%d", i)},
				"v":  &types.AttributeValueMemberS{Value: "x"},
			},
		})
		if err != nil {
			t.Fatalf("PutItem: %v", err)
		}
	}
	// One error, so error counters have a series.
	_, err := cl.client("eu-west-1").GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String("no-such-table-" + tbl),
		Key:       map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "k"}},
	})
	if err == nil {
		t.Fatal("GetItem on a missing table succeeded")
	}
	waitConverged(t, cl, []string{tbl}, 60*time.Second)

	used := usedMetrics(t)
	var missing []string
	err = poll(30*time.Second, func() error {
		have := map[string]bool{}
		for _, name := range cl.names {
			names, err := scrapeMetricNames(cl.region(name).url + "/metrics")
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			for n := range names {
				have[baseMetric(n)] = true
			}
		}
		missing = missing[:0]
		for m := range used {
			if !have[m] && !eventOnlyMetrics[m] {
				missing = append(missing, m)
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			return fmt.Errorf("not exported by any region: %v", missing)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("dashboards use metrics the nodes do not export: %v", err)
	}
}

// scrapeMetricNames returns the metric names in a Prometheus text scrape.
func scrapeMetricNames(url string) (map[string]bool, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s = %d", url, resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") && !strings.Contains(ct, "openmetrics") {
		return nil, fmt.Errorf("GET %s: Content-Type %q, not the Prometheus text format", url, ct)
	}
	names := map[string]bool{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if i := strings.IndexAny(line, "{ "); i > 0 {
			names[line[:i]] = true
		}
	}
	return names, sc.Err()
}

// TestDeployNATSConfig parses deploy/nats's configurations with the
// nats-server library (TLS files generated here), checks the Kubernetes
// ConfigMap embeds them verbatim, and runs two regions on NATS servers
// started from nats-dev.conf (one with nats-region.conf's client TLS),
// each node reading the other's stream as its peer-<region> user, as
// deploy/compose and deploy/k8s do. Not parallel: the configs read
// passwords from the environment (t.Setenv).
func TestDeployNATSConfig(t *testing.T) {
	passwords := map[string]string{
		"NATS_SYS_PASSWORD":                 "sys-secret",
		"NATS_CONCORD_PASSWORD":             "concord-secret",
		"NATS_PEER_US_EAST_1_PASSWORD":      "peer-use1-secret",
		"NATS_PEER_EU_WEST_1_PASSWORD":      "peer-euw1-secret",
		"NATS_PEER_AP_SOUTHEAST_1_PASSWORD": "peer-apse1-secret",
	}
	for k, v := range passwords {
		t.Setenv(k, v)
	}
	t.Setenv("SERVER_NAME", "nats-0")
	t.Setenv("CLUSTER_NAME", "us-east-1")

	dir := t.TempDir()
	tlsDir := filepath.Join(dir, "tls")
	writeTestPKI(t, tlsDir)
	srcs, _ := filepath.Glob(filepath.Join(deployDir, "nats", "*.conf"))
	if len(srcs) < 3 {
		t.Fatalf("deploy/nats has %d .conf files, want nats-region.conf, nats-dev.conf, accounts.conf", len(srcs))
	}
	for _, src := range srcs {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		b = bytes.ReplaceAll(b, []byte("/etc/nats/tls/"), []byte(tlsDir+"/"))
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(src)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	load := func(name string) *server.Options {
		t.Helper()
		opts, err := server.ProcessConfigFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return opts
	}
	prod := load("nats-region.conf")
	if !prod.JetStream || prod.StoreDir == "" || prod.JetStreamMaxStore <= 0 || prod.JetStreamMaxMemory <= 0 {
		t.Errorf("nats-region.conf: JetStream=%v store_dir=%q max_file=%d max_mem=%d", prod.JetStream, prod.StoreDir, prod.JetStreamMaxStore, prod.JetStreamMaxMemory)
	}
	if prod.Cluster.Name != "us-east-1" || len(prod.Routes) != 3 || prod.Cluster.TLSConfig == nil {
		t.Errorf("nats-region.conf: cluster %q, %d routes, route TLS %v; want a 3-node TLS cluster", prod.Cluster.Name, len(prod.Routes), prod.Cluster.TLSConfig != nil)
	}
	if prod.TLSConfig == nil {
		t.Error("nats-region.conf: no TLS on the client port")
	}
	if prod.SystemAccount != "SYS" || len(prod.Users) < 5 {
		t.Errorf("nats-region.conf: system account %q, %d users", prod.SystemAccount, len(prod.Users))
	}
	prod.StoreDir = filepath.Join(dir, "js")
	if _, err := server.NewServer(prod); err != nil {
		t.Errorf("nats-region.conf does not make a server: %v", err)
	}

	// The Kubernetes ConfigMap carries the same files.
	k8s, err := os.ReadFile(filepath.Join(deployDir, "k8s", "base", "nats.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"nats-region.conf", "accounts.conf"} {
		b, err := os.ReadFile(filepath.Join(deployDir, "nats", f))
		if err != nil {
			t.Fatal(err)
		}
		var ind strings.Builder
		for _, line := range strings.SplitAfter(string(b), "\n") {
			if strings.TrimSpace(line) != "" {
				ind.WriteString("    ")
			}
			ind.WriteString(line)
		}
		if !strings.Contains(string(k8s), ind.String()) {
			t.Errorf("deploy/k8s/base/nats.yaml does not embed deploy/nats/%s verbatim (regenerate the ConfigMap)", f)
		}
	}

	// Two regions on dev-config NATS servers, linked as in compose.
	// us-east-1's server also takes nats-region.conf's client TLS; its
	// clients verify it against --nats-tls-ca, as in deploy/k8s.
	startNATS := func(region string, withTLS bool) string {
		t.Helper()
		opts := load("nats-dev.conf")
		if withTLS {
			p := load("nats-region.conf")
			opts.TLS, opts.TLSVerify, opts.TLSConfig, opts.TLSTimeout = p.TLS, p.TLSVerify, p.TLSConfig, p.TLSTimeout
		}
		opts.ServerName = "nats-" + region
		opts.Host, opts.Port = "127.0.0.1", server.RANDOM_PORT
		opts.HTTPPort = 0
		opts.StoreDir = filepath.Join(dir, "js-"+region)
		opts.NoSigs, opts.NoLog = true, true
		ns, err := server.NewServer(opts)
		if err != nil {
			t.Fatalf("nats-dev.conf: %v", err)
		}
		ns.Start()
		t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
		if !ns.ReadyForConnections(30 * time.Second) {
			t.Fatalf("nats for %s not ready", region)
		}
		return ns.Addr().(*net.TCPAddr).String()
	}
	natsA, natsB := startNATS("us-east-1", true), startNATS("eu-west-1", false)
	ca := filepath.Join(tlsDir, "ca.crt")
	pw := passwords["NATS_CONCORD_PASSWORD"]
	a := startNode(t, "", "--region", "us-east-1", "--nats-tls-ca", ca,
		"--nats-url", "tls://concord:"+pw+"@"+natsA,
		"--peer", "eu-west-1=nats://peer-us-east-1:"+passwords["NATS_PEER_US_EAST_1_PASSWORD"]+"@"+natsB)
	b := startNode(t, "", "--region", "eu-west-1", "--nats-tls-ca", ca,
		"--nats-url", "nats://concord:"+pw+"@"+natsB,
		"--peer", "us-east-1=tls://peer-eu-west-1:"+passwords["NATS_PEER_EU_WEST_1_PASSWORD"]+"@"+natsA)

	tbl := tableName(t)
	createTable(t, a.client(), tbl, keyDef{"pk", types.ScalarAttributeTypeS}, nil)
	waitActive(t, b.client(), tbl)
	ctx := testCtx(t)
	if _, err := a.client().PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "from-a"}}}); err != nil {
		t.Fatalf("PutItem in us-east-1: %v", err)
	}
	if _, err := b.client().PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "from-b"}}}); err != nil {
		t.Fatalf("PutItem in eu-west-1: %v", err)
	}
	for _, c := range []struct {
		n   *node
		key string
	}{{b, "from-a"}, {a, "from-b"}} {
		eventually(t, 60*time.Second, func() error {
			out, err := c.n.client().GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), ConsistentRead: aws.Bool(true),
				Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: c.key}}})
			if err != nil {
				return err
			}
			if out.Item == nil {
				return fmt.Errorf("%s not replicated yet", c.key)
			}
			return nil
		})
	}

	// A peer user may read the stream but not change it.
	errs := make(chan error, 4)
	nc, err := nats.Connect("nats://"+natsB, nats.UserInfo("peer-us-east-1", passwords["NATS_PEER_US_EAST_1_PASSWORD"]),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			select {
			case errs <- err:
			default:
			}
		}))
	if err != nil {
		t.Fatalf("connect as peer-us-east-1: %v", err)
	}
	defer nc.Close()
	for _, subj := range []string{"$JS.API.STREAM.DELETE.CONCORD_EU-WEST-1", "concord.chg.eu-west-1"} {
		if err := nc.Publish(subj, []byte("{}")); err != nil {
			t.Fatal(err)
		}
		if err := nc.Flush(); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-errs:
			if !strings.Contains(err.Error(), "Permissions Violation") {
				t.Errorf("peer user publishing on %s: %v, want a permissions violation", subj, err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("peer user may publish on %s", subj)
		}
	}
}

// writeTestPKI writes a CA and the certificates nats-region.conf names
// (server.crt/key, route.crt/key, ca.crt) into dir.
func writeTestPKI(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "concord test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	writePEM(t, filepath.Join(dir, "ca.crt"), "CERTIFICATE", caDER)
	for i, name := range []string{"server", "route"} {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(int64(i + 2)), Subject: pkix.Name{CommonName: name},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
			DNSNames:    []string{"nats", "localhost", "*.nats-headless"},
			IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
			KeyUsage:    x509.KeyUsageDigitalSignature,
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		keyDER, err := x509.MarshalECPrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		writePEM(t, filepath.Join(dir, name+".crt"), "CERTIFICATE", der)
		writePEM(t, filepath.Join(dir, name+".key"), "EC PRIVATE KEY", keyDER)
	}
}

func writePEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestDeployServeFlags: every --flag the Kubernetes manifests and the
// compose file pass to `concord serve` is one serve defines, so a renamed
// or mistyped flag fails here rather than in a cluster.
func TestDeployServeFlags(t *testing.T) {
	t.Parallel()
	help, _ := exec.Command(concordBin, "serve", "-h").CombinedOutput()
	known := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s+-([a-z][a-z0-9-]*)`).FindAllStringSubmatch(string(help), -1) {
		known[m[1]] = true
	}
	if !known["listen"] || !known["tls-cert"] || !known["auth-file"] {
		t.Fatalf("cannot read serve's flags from its -h output:\n%s", help)
	}
	flagRE := regexp.MustCompile(`^\s*- --([a-z][a-z0-9-]*)(=|$)`)
	checked := 0
	for _, f := range []string{"k8s/base/concord.yaml", "compose/docker-compose.yml"} {
		b, err := os.ReadFile(filepath.Join(deployDir, f))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			m := flagRE.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			checked++
			if !known[m[1]] {
				t.Errorf("%s:%d passes --%s, which `concord serve` does not define", f, i+1, m[1])
			}
		}
	}
	if checked < 10 {
		t.Errorf("found only %d serve flags in the deploy files", checked)
	}
}
