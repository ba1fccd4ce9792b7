package region

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// startNode opens and starts a node on ephemeral ports; the test closes it.
func startNode(t *testing.T, region string, tweak ...func(*Config)) *Node {
	t.Helper()
	cfg := Config{
		Region:  region,
		DataDir: t.TempDir(),
		Listen:  "127.0.0.1:0",
		Logger:  slog.New(slog.DiscardHandler),
		NATS:    NATSConfig{Listen: "127.0.0.1:0"},
	}
	for _, f := range tweak {
		f(&cfg)
	}
	n, err := Open(cfg)
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

// linkedPair starts us-east-1 and eu-west-1, each replicating from the
// other.
func linkedPair(t *testing.T) (a, b *Node) {
	t.Helper()
	a, b = startNode(t, "us-east-1"), startNode(t, "eu-west-1")
	link(t, a, b)
	link(t, b, a)
	return a, b
}

// link makes dst replicate from src through POST /admin/peers.
func link(t *testing.T, dst, src *Node) {
	t.Helper()
	body := fmt.Sprintf(`{"region":%q,"url":%q}`, src.Region(), src.NATSURL())
	resp, err := http.Post(dst.URL()+"/admin/peers", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("add peer %s to %s: %d %s", src.Region(), dst.Region(), resp.StatusCode, b)
	}
}

// unlink stops dst replicating from src through DELETE /admin/peers/<src>.
func unlink(t *testing.T, dst, src *Node) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, dst.URL()+"/admin/peers/"+src.Region(), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete peer %s from %s: %d", src.Region(), dst.Region(), resp.StatusCode)
	}
}

// ddb calls a DynamoDB operation over HTTP and returns the response.
func ddb(t *testing.T, n *Node, op, body string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, n.URL()+"/", strings.NewReader(body))
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s on %s: %d %s", op, n.Region(), resp.StatusCode, b)
	}
	return resp, b
}

func put(t *testing.T, n *Node, pk, v string) conflict.Version {
	t.Helper()
	resp, _ := ddb(t, n, "PutItem", fmt.Sprintf(`{"TableName":"tbl","Item":{"pk":{"S":%q},"v":{"S":%q}}}`, pk, v))
	return versionHeader(t, resp)
}

func versionHeader(t *testing.T, resp *http.Response) conflict.Version {
	t.Helper()
	h := resp.Header.Get("x-concord-version")
	var v conflict.Version
	var wall int64
	var logical uint32
	at := strings.LastIndexByte(h, '@')
	if at < 0 {
		t.Fatalf("x-concord-version %q", h)
	}
	if _, err := fmt.Sscanf(h[:at], "%d.%d", &wall, &logical); err != nil {
		t.Fatalf("x-concord-version %q: %v", h, err)
	}
	v.TS.Wall, v.TS.Logical, v.Region = wall, logical, h[at+1:]
	if v.String() != h || wall <= 0 {
		t.Fatalf("x-concord-version %q does not round-trip (%s)", h, v)
	}
	return v
}

// getStatus reads GET /admin/status.
func getStatus(t *testing.T, n *Node) Status {
	t.Helper()
	resp, err := http.Get(n.URL() + "/admin/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st Status
	dec := json.NewDecoder(resp.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

func eventually(t *testing.T, d time.Duration, f func() error) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not met after %v: %v", d, err)
		}
		time.Sleep(20 * time.Millisecond) // polling interval, not synchronisation
	}
}

// converged reports whether every node holds table "tbl" with the same
// digest and wantItems items (wantItems < 0: any count).
func converged(t *testing.T, wantItems int64, ns ...*Node) func() error {
	return func() error {
		var first *TableStatus
		for _, n := range ns {
			st := getStatus(t, n)
			var ts *TableStatus
			for i := range st.Tables {
				if st.Tables[i].Name == "tbl" {
					ts = &st.Tables[i]
				}
			}
			if ts == nil {
				return fmt.Errorf("%s has no table tbl", n.Region())
			}
			if wantItems >= 0 && ts.ItemCount != wantItems {
				return fmt.Errorf("%s holds %d items, want %d", n.Region(), ts.ItemCount, wantItems)
			}
			if first == nil {
				first = ts
			} else if ts.Digest != first.Digest || ts.ItemCount != first.ItemCount {
				return fmt.Errorf("%s %+v != %s %+v", ns[0].Region(), *first, n.Region(), *ts)
			}
		}
		return nil
	}
}

const createT = `{"TableName":"tbl","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
	"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`

func TestRegionReplicationThreeRegionsConverge(t *testing.T) {
	t.Parallel()
	a, b, c := startNode(t, "us-east-1"), startNode(t, "eu-west-1"), startNode(t, "ap-southeast-2")
	ns := []*Node{a, b, c}
	for _, dst := range ns {
		for _, src := range ns {
			if dst != src {
				link(t, dst, src)
			}
		}
	}
	ddb(t, a, "CreateTable", createT)
	eventually(t, 15*time.Second, converged(t, 0, ns...))

	v := put(t, a, "k1", "from-a")
	if v.Region != "us-east-1" {
		t.Errorf("version %s: region", v)
	}
	put(t, b, "k2", "from-b")
	put(t, c, "k3", "from-c")
	// A write after a replicated read wins over it.
	eventually(t, 15*time.Second, converged(t, 3, ns...))
	v2 := put(t, c, "k1", "from-c")
	if v2.Compare(v) <= 0 {
		t.Errorf("overwrite %s not after %s", v2, v)
	}
	resp, _ := ddb(t, b, "DeleteItem", `{"TableName":"tbl","Key":{"pk":{"S":"k2"}}}`)
	versionHeader(t, resp)
	// A delete of an absent item still writes a tombstone, with a
	// version: the item may be on its way from another region.
	resp, _ = ddb(t, b, "DeleteItem", `{"TableName":"tbl","Key":{"pk":{"S":"absent"}}}`)
	versionHeader(t, resp)
	resp, _ = ddb(t, a, "UpdateItem", `{"TableName":"tbl","Key":{"pk":{"S":"k3"}},
		"UpdateExpression":"SET n = :one","ExpressionAttributeValues":{":one":{"N":"1"}}}`)
	versionHeader(t, resp)
	resp, _ = ddb(t, a, "BatchWriteItem", `{"RequestItems":{"tbl":[{"PutRequest":{"Item":{"pk":{"S":"k4"}}}}]}}`)
	if h := resp.Header.Get("x-concord-version"); h != "" {
		t.Errorf("BatchWriteItem has version %q", h)
	}
	eventually(t, 15*time.Second, converged(t, 3, ns...))
	_, body := ddb(t, b, "GetItem", `{"TableName":"tbl","Key":{"pk":{"S":"k1"}},"ConsistentRead":true}`)
	if !bytes.Contains(body, []byte("from-c")) {
		t.Errorf("k1 in eu-west-1: %s", body)
	}

	st := getStatus(t, a)
	if st.Region != "us-east-1" || st.NATS != a.NATSURL() || !strings.HasPrefix(st.NATS, "nats://127.0.0.1:") {
		t.Errorf("status %+v", st)
	}
	if len(st.Replication) != 2 || st.Replication[0].Source != "ap-southeast-2" || st.Replication[1].Source != "eu-west-1" {
		t.Fatalf("replication %+v", st.Replication)
	}
	for _, r := range st.Replication {
		if !r.Connected || r.Applied == 0 || r.URL == "" {
			t.Errorf("replication %+v", r)
		}
	}
	if !st.Publisher.Connected || st.Publisher.Published == 0 {
		t.Errorf("publisher %+v", st.Publisher)
	}
	if len(st.Tables) != 1 || len(st.Tables[0].Digest) != 32 {
		t.Errorf("tables %+v", st.Tables)
	}
}

// TestRegionReplicationShortRetention: with the shortest retention a node
// accepts (shorter than JetStream's default duplicate window), the node
// still publishes and replicates.
func TestRegionReplicationShortRetention(t *testing.T) {
	t.Parallel()
	short := func(c *Config) { c.TombstoneRetention = MinTombstoneRetention }
	a, b := startNode(t, "us-east-1", short), startNode(t, "eu-west-1", short)
	link(t, a, b)
	link(t, b, a)
	ddb(t, a, "CreateTable", createT)
	eventually(t, 15*time.Second, converged(t, 0, a, b))
	put(t, a, "k1", "from-a")
	put(t, b, "k2", "from-b")
	eventually(t, 15*time.Second, converged(t, 2, a, b))
	for _, n := range []*Node{a, b} {
		if st := getStatus(t, n); !st.Publisher.Connected || st.Publisher.Backlog != 0 {
			t.Errorf("%s publisher %+v", n.Region(), st.Publisher)
		}
	}
}

// TestRegionReplicationStuckLink: a message in a peer's stream that this
// node cannot decode stops the link visibly: /admin/status shows it stuck
// at that message with the reason, /metrics says so, and nothing after it
// is applied.
func TestRegionReplicationStuckLink(t *testing.T) {
	t.Parallel()
	a, b := startNode(t, "us-east-1"), startNode(t, "eu-west-1")
	link(t, b, a)
	ddb(t, a, "CreateTable", createT)
	eventually(t, 15*time.Second, converged(t, 0, a, b))
	eventually(t, 15*time.Second, func() error {
		if p := getStatus(t, a).Publisher; p.Backlog != 0 {
			return fmt.Errorf("publisher %+v", p)
		}
		return nil
	})
	nc, err := nats.Connect(a.NATSURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	bad := nats.NewMsg(streams.Subject("us-east-1"))
	bad.Data = []byte{0xff, 0, 0, 0}
	bad.Header.Set(jetstream.MsgIDHeader, "us-east-1:from-a-newer-version")
	bad.Header.Set(streams.HeaderSeq, strconv.FormatUint(a.store.LastSeq(), 10))
	ack, err := js.PublishMsg(context.Background(), bad)
	if err != nil {
		t.Fatal(err)
	}
	put(t, a, "after", "v")
	eventually(t, 15*time.Second, func() error {
		st := getStatus(t, b)
		if len(st.Replication) != 1 {
			return fmt.Errorf("replication %+v", st.Replication)
		}
		r := st.Replication[0]
		if r.State != "stuck" || r.Connected || r.StuckSeq != ack.Sequence || !strings.Contains(r.Reason, "undecodable") {
			return fmt.Errorf("link %+v, want stuck at stream seq %d", r, ack.Sequence)
		}
		return nil
	})
	eventually(t, 15*time.Second, func() error {
		ms := scrape(t, b)
		src := []string{"region", "eu-west-1", "source_region", "us-east-1"}
		if v, ok := find(ms, "concord_replication_stuck", src...); !ok || v != 1 {
			return fmt.Errorf("concord_replication_stuck = %v (%v), want 1", v, ok)
		}
		if v, _ := find(ms, "concord_replication_connected", src...); v != 0 {
			return fmt.Errorf("concord_replication_connected = %v, want 0", v)
		}
		return nil
	})
	if err := converged(t, 0, b)(); err != nil {
		t.Fatalf("eu-west-1 applied a change after the undecodable message: %v", err)
	}
}

func TestRegionReplicationPartitionHeals(t *testing.T) {
	t.Parallel()
	a, b := linkedPair(t)
	ddb(t, a, "CreateTable", createT)
	put(t, a, "shared", "before")
	eventually(t, 15*time.Second, converged(t, 1, a, b))

	unlink(t, a, b)
	unlink(t, b, a)
	if st := getStatus(t, a); len(st.Replication) != 0 {
		t.Fatalf("links after delete: %+v", st.Replication)
	}
	for i := range 10 {
		put(t, a, fmt.Sprint("a", i), "x")
		put(t, b, fmt.Sprint("b", i), "y")
	}
	put(t, a, "shared", "a-side")
	put(t, b, "shared", "b-side") // later, so it wins everywhere
	ddb(t, a, "DeleteItem", `{"TableName":"tbl","Key":{"pk":{"S":"a0"}}}`)
	// Cut off, each side serves its own writes only.
	if err := converged(t, -1, a, b)(); err == nil {
		t.Fatal("regions converged while partitioned")
	}

	link(t, a, b)
	link(t, b, a)
	eventually(t, 15*time.Second, converged(t, 20, a, b))
	_, body := ddb(t, a, "GetItem", `{"TableName":"tbl","Key":{"pk":{"S":"shared"}}}`)
	if !bytes.Contains(body, []byte("b-side")) {
		t.Errorf("shared in us-east-1: %s", body)
	}
}

// TestRegionReplicationSkewedClock runs a region whose clock is 2s behind:
// its peer's writes are still applied, and counted as skewed.
func TestRegionReplicationSkewedClock(t *testing.T) {
	t.Parallel()
	a := startNode(t, "us-east-1")
	b := startNode(t, "eu-west-1", func(c *Config) { c.ClockOffset = -2 * time.Second })
	link(t, b, a)
	ddb(t, a, "CreateTable", createT)
	put(t, a, "k", "v")
	eventually(t, 15*time.Second, converged(t, 1, a, b))
	st := getStatus(t, b)
	if len(st.Replication) != 1 || st.Replication[0].Skewed == 0 {
		t.Errorf("replication %+v", st.Replication)
	}
	// A local write after the replicated one still wins, whatever b's clock says.
	v := put(t, b, "k", "w")
	if v.TS.Time().Before(time.Now().Add(-time.Second)) {
		t.Errorf("version %s ignores the replicated timestamp", v)
	}
}

func TestRegionPeersAPIErrors(t *testing.T) {
	t.Parallel()
	a := startNode(t, "us-east-1")
	for _, body := range []string{`{"region":"us-east-1","url":"nats://127.0.0.1:1"}`, `{"region":"Bad","url":"x"}`,
		`{"region":"eu-west-1"}`, `not json`} {
		resp, err := http.Post(a.URL()+"/admin/peers", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d", body, resp.StatusCode)
		}
	}
	req, _ := http.NewRequest(http.MethodDelete, a.URL()+"/admin/peers/eu-west-1", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("delete unknown peer: %d", resp.StatusCode)
	}
	// A peer that is down is accepted and retried; the region keeps serving.
	resp, err = http.Post(a.URL()+"/admin/peers", "application/json",
		strings.NewReader(`{"region":"eu-west-1","url":"nats://127.0.0.1:1"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("add unreachable peer: %d", resp.StatusCode)
	}
	ddb(t, a, "CreateTable", createT)
	put(t, a, "k", "v")
	st := getStatus(t, a)
	if len(st.Replication) != 1 || st.Replication[0].Connected {
		t.Errorf("replication %+v", st.Replication)
	}
}

// TestRegionNATSPortInUse fails Open at once when the NATS port is taken.
func TestRegionNATSPortInUse(t *testing.T) {
	t.Parallel()
	a := startNode(t, "us-east-1")
	start := time.Now()
	_, err := Open(Config{Region: "eu-west-1", DataDir: t.TempDir(), Listen: "127.0.0.1:0",
		Logger: slog.New(slog.DiscardHandler), NATS: NATSConfig{Listen: strings.TrimPrefix(a.NATSURL(), "nats://")}})
	if err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("open: %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("open took %v", d)
	}
}
