package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/concorddb/concord/region"
)

func TestLoadFlags(t *testing.T) {
	cases := []struct {
		args []string
		errs string
	}{
		{nil, "give --endpoints or --dev"},
		{[]string{"--endpoints", "http://a:1", "--dev", "http://b:2"}, "not both"},
		{[]string{"--endpoints", "a:1"}, `invalid endpoint "a:1"`},
		{[]string{"--endpoints", "http://a:1", "--rate", "0"}, "invalid --rate"},
		{[]string{"--endpoints", "http://a:1", "--keys", "0"}, "invalid --keys"},
		{[]string{"--endpoints", "http://a:1", "--table", ""}, "--table is empty"},
		{[]string{"--endpoints", "http://a:1", "--duration", "-1s"}, "invalid --duration"},
		{[]string{"--endpoints", "http://a:1", "extra"}, "unexpected arguments"},
	}
	for _, c := range cases {
		var errs bytes.Buffer
		if code := Run(context.Background(), append([]string{"load"}, c.args...), &bytes.Buffer{}, &errs); code != ExitUsage || !strings.Contains(errs.String(), c.errs) {
			t.Errorf("load %q: code %d stderr %q, want %d and %q", c.args, code, errs.String(), ExitUsage, c.errs)
		}
	}
	o, err := parseLoad([]string{"--endpoints", " http://a:1/, http://b:2 ", "--rate", "7", "--keys", "3", "--duration", "2s"}, &bytes.Buffer{})
	if err != nil || strings.Join(o.endpoints, ",") != "http://a:1,http://b:2" || o.rate != 7 || o.keys != 3 ||
		o.duration != 2*time.Second || o.table != DefaultLoadTable {
		t.Errorf("parsed %+v, %v", o, err)
	}
	d, err := parseDev([]string{"--load", "--load-rate", "20"}, &bytes.Buffer{})
	if err != nil || !d.load || d.loadRate != 20 {
		t.Errorf("dev --load: %+v, %v", d, err)
	}
	if _, err := parseDev([]string{"--load-rate", "-1"}, &bytes.Buffer{}); err == nil {
		t.Error("dev --load-rate -1 accepted")
	}
}

// startLoadNode starts an in-process region node on ephemeral ports.
func startLoadNode(t *testing.T, name string) *region.Node {
	t.Helper()
	n, err := region.Open(region.Config{Region: name, DataDir: t.TempDir(), Listen: "127.0.0.1:0",
		Logger: slog.New(slog.DiscardHandler), NATS: region.NATSConfig{Listen: "127.0.0.1:0"}})
	if err != nil {
		t.Fatal(err)
	}
	n.Start()
	t.Cleanup(func() { _ = n.Close() })
	return n
}

// TestLoadWritesEveryRegion runs concord load --dev against a fake
// launcher listing two real, replicating nodes: both take writes, the
// table is created, and the regions converge afterwards.
func TestLoadWritesEveryRegion(t *testing.T) {
	t.Parallel()
	a, b := startLoadNode(t, "us-east-1"), startLoadNode(t, "eu-west-1")
	if err := a.AddPeer(region.Peer{Region: b.Region(), URL: b.NATSURL()}); err != nil {
		t.Fatal(err)
	}
	if err := b.AddPeer(region.Peer{Region: a.Region(), URL: a.NATSURL()}); err != nil {
		t.Fatal(err)
	}
	launcher := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(devEndpointsReply{Regions: []devEndpoint{
			{Region: a.Region(), Endpoint: a.URL()}, {Region: b.Region(), Endpoint: b.URL()}}})
	}))
	defer launcher.Close()

	var out, errs syncBuffer
	code := Run(context.Background(), []string{"load", "--dev", launcher.URL, "--rate", "200", "--keys", "20",
		"--table", "load-t", "--duration", "2s"}, &out, &errs)
	if code != ExitOK || !strings.Contains(out.String(), "load: done: ") {
		t.Fatalf("load: code %d stdout %q stderr %q", code, out.String(), errs.String())
	}
	t.Logf("concord load said:\n%s", out.String())
	var published [2]uint64
	deadline := time.Now().Add(20 * time.Second)
	for {
		var digests, counts []string
		for i, n := range []*region.Node{a, b} {
			st, err := n.Status()
			if err != nil {
				t.Fatal(err)
			}
			published[i] = st.Publisher.Published
			for _, ts := range st.Tables {
				if ts.Name == "load-t" {
					digests = append(digests, ts.Digest)
					counts = append(counts, fmt.Sprint(ts.ItemCount))
				}
			}
		}
		if len(digests) == 2 && digests[0] == digests[1] {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("regions did not converge on table load-t: digests %v counts %v; load said %q", digests, counts, out.String())
		}
		time.Sleep(50 * time.Millisecond) // polling interval, not synchronisation
	}
	// ~400 writes split between the two regions (plus the table in one).
	if published[0] < 50 || published[1] < 50 {
		t.Errorf("published %v changes, want both regions written to; load said %q", published, out.String())
	}
}
