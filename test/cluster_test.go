package test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/concorddb/concord/test/internal/launch"
)

// The regions of a test cluster.
var threeRegions = []string{"us-east-1", "eu-west-1", "ap-southeast-2"}

// regionProc is one `concord serve` process of a multi-region cluster.
type regionProc struct {
	*node
	region string
	nats   string // host:port of its embedded NATS
}

// adminClient is the HTTP client for /admin endpoints.
var adminClient = &http.Client{Timeout: 10 * time.Second}

// startRegionProc starts `concord serve` for region on dataDir with an
// embedded NATS on a free port, reads both stdout lines, and waits until
// GET /admin/status answers 200 for region.
func startRegionProc(region, dataDir, logPath string, extra ...string) (*regionProc, error) {
	p, err := launch.Start(context.Background(), concordBin, launch.Options{Region: region, DataDir: dataDir,
		LogPath: logPath, Args: extra, Ready: regionReady(region)})
	if err != nil {
		return nil, err
	}
	return newRegionProc(p, region), nil
}

// regionReady is satisfied once a node that serves plain HTTP with an
// embedded NATS answers GET /admin/status for region.
func regionReady(region string) launch.ReadyFunc {
	return func(_ context.Context, p *launch.Process) error {
		if !strings.HasPrefix(p.URL(), "http://") || !strings.HasPrefix(p.NATSURL(), "nats://") {
			return launch.Permanent(fmt.Errorf("URLs %q, %q; want http://HOST:PORT, nats://HOST:PORT", p.URL(), p.NATSURL()))
		}
		st, err := getStatus(p.URL())
		if err != nil {
			return err
		}
		if st.Region != region {
			return launch.Permanent(fmt.Errorf("/admin/status region = %q, want %q", st.Region, region))
		}
		return nil
	}
}

// newRegionProc wraps a node regionReady accepted.
func newRegionProc(p *launch.Process, region string) *regionProc {
	return &regionProc{node: &node{Process: p, addr: p.Addr(), url: p.URL()}, region: region,
		nats: strings.TrimPrefix(p.NATSURL(), "nats://")}
}

// Status as served by GET /admin/status.
type regionStatus struct {
	Region      string            `json:"region"`
	NATS        string            `json:"nats"`
	Tables      []tableStatus     `json:"tables"`
	Replication []replStatus      `json:"replication"`
	Publisher   publisherStatus   `json:"publisher"`
	raw         []byte            // the body as served
	tables      map[string]string // name -> digest
}

type tableStatus struct {
	Name      string `json:"name"`
	ItemCount int64  `json:"itemCount"`
	SizeBytes int64  `json:"sizeBytes"`
	Digest    string `json:"digest"`
}

type replStatus struct {
	Source    string  `json:"source"`
	URL       string  `json:"url"`
	Connected bool    `json:"connected"`
	LagMillis float64 `json:"lagMillis"`
	Pending   uint64  `json:"pending"`
	Applied   uint64  `json:"applied"`
	Discarded uint64  `json:"discarded"`
	Skipped   uint64  `json:"skipped"`
	Skewed    uint64  `json:"skewed"`
	Errors    uint64  `json:"errors"`
}

type publisherStatus struct {
	Published uint64 `json:"published"`
	Backlog   uint64 `json:"backlog"`
	Connected bool   `json:"connected"`
}

// source returns the replication entry for source, or nil.
func (st *regionStatus) source(source string) *replStatus {
	for i := range st.Replication {
		if st.Replication[i].Source == source {
			return &st.Replication[i]
		}
	}
	return nil
}

// getStatus reads and decodes GET url/admin/status.
func getStatus(url string) (*regionStatus, error) {
	resp, err := adminClient.Get(url + "/admin/status")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s/admin/status = %d: %s", url, resp.StatusCode, body)
	}
	st := &regionStatus{raw: body, tables: map[string]string{}}
	if err := json.Unmarshal(body, st); err != nil {
		return nil, fmt.Errorf("decode %s/admin/status: %v: %s", url, err, body)
	}
	for _, ts := range st.Tables {
		st.tables[ts.Name] = ts.Digest
	}
	return st, nil
}

func (r *regionProc) status() (*regionStatus, error) { return getStatus(r.url) }

// addPeer makes r consume source's change stream from url.
func (r *regionProc) addPeer(source, url string) error {
	body, _ := json.Marshal(map[string]string{"region": source, "url": url})
	resp, err := adminClient.Post(r.url+"/admin/peers", "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s: POST /admin/peers %s = %d: %s", r.region, body, resp.StatusCode, b)
	}
	return nil
}

// deletePeer makes r stop consuming source.
func (r *regionProc) deletePeer(source string) error {
	req, _ := http.NewRequest(http.MethodDelete, r.url+"/admin/peers/"+source, nil)
	resp, err := adminClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s: DELETE /admin/peers/%s = %d: %s", r.region, source, resp.StatusCode, b)
	}
	return nil
}

// cluster is a set of regions, each consuming every other region's
// stream through its own proxy.
type cluster struct {
	t     testing.TB
	names []string

	mu      sync.Mutex
	regions map[string]*regionProc
	proxies map[[2]string]*proxy // {consumer, source}
}

// startCluster starts one process per name (in parallel), a proxy per
// ordered pair, and links every region to every other through the
// proxies. extra gives per-region extra flags.
func startCluster(t testing.TB, names []string, extra map[string][]string) *cluster {
	t.Helper()
	c := &cluster{t: t, names: names, regions: map[string]*regionProc{}, proxies: map[[2]string]*proxy{}}
	root := t.TempDir()
	var wg sync.WaitGroup
	errs := make([]error, len(names))
	procs := make([]*regionProc, len(names))
	start := time.Now()
	for i, name := range names {
		dir, log := filepath.Join(root, name), filepath.Join(root, name+".log")
		wg.Add(1)
		go func() {
			defer wg.Done()
			procs[i], errs[i] = startRegionProc(name, dir, log, extra[name]...)
		}()
	}
	wg.Wait()
	for i, name := range names {
		if procs[i] != nil {
			c.regions[name] = procs[i]
		}
	}
	t.Cleanup(c.stop)
	for _, err := range errs {
		if err != nil {
			t.Fatalf("start cluster: %v", err)
		}
	}
	for _, a := range names {
		for _, b := range names {
			if a != b {
				c.proxies[[2]string{a, b}] = newProxy(t, c.regions[b].nats)
			}
		}
	}
	for _, a := range names {
		for _, b := range names {
			if a != b {
				if err := c.regions[a].addPeer(b, c.proxies[[2]string{a, b}].url()); err != nil {
					t.Fatalf("link %s <- %s: %v", a, b, err)
				}
			}
		}
	}
	t.Logf("cluster %v started and linked in %v", names, time.Since(start).Round(time.Millisecond))
	return c
}

// stop stops every region with SIGTERM, reporting unclean exits, and
// prints log tails if the test failed.
func (c *cluster) stop() {
	c.mu.Lock()
	regions := make([]*regionProc, 0, len(c.regions))
	for _, name := range c.names {
		if r := c.regions[name]; r != nil {
			regions = append(regions, r)
		}
	}
	c.mu.Unlock()
	var wg sync.WaitGroup
	for _, r := range regions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := r.Stop(); err != nil {
				c.t.Errorf("stop %s: %v", r.region, err)
			}
		}()
	}
	wg.Wait()
	if c.t.Failed() {
		for _, r := range regions {
			c.t.Logf("%s log tail (%s):\n%s", r.region, r.LogPath(), r.LogTail())
		}
	}
}

// region returns the running process of name.
func (c *cluster) region(name string) *regionProc {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.regions[name]
}

// client returns an SDK client for region name (3 attempts).
func (c *cluster) client(name string) *dynamodb.Client {
	return c.region(name).client()
}

// writerClient returns an SDK client that never retries, so an error is
// never an acknowledgement and a success reports its own write's version.
func (c *cluster) writerClient(name string) *dynamodb.Client {
	return newClient(c.region(name).url, 1)
}

// cut closes every link into and out of region name.
func (c *cluster) cut(name string) {
	for k, p := range c.proxies {
		if k[0] == name || k[1] == name {
			p.cut()
		}
	}
}

// heal restores every link of region name.
func (c *cluster) heal(name string) {
	for k, p := range c.proxies {
		if k[0] == name || k[1] == name {
			p.heal()
		}
	}
}

// kill SIGKILLs region name.
func (c *cluster) kill(name string) {
	c.region(name).Kill()
}

// restart starts region name again on its data directory (with its
// original extra flags), points the proxies that lead to it at its new
// NATS address and re-links it in both directions.
func (c *cluster) restart(t testing.TB, name string) *regionProc {
	t.Helper()
	p, err := c.region(name).Restart(context.Background()) // kills it if it still runs
	if err != nil {
		t.Fatalf("restart %s: %v", name, err)
	}
	r := newRegionProc(p, name)
	c.mu.Lock()
	c.regions[name] = r
	c.mu.Unlock()
	for _, o := range c.names {
		if o == name {
			continue
		}
		c.proxies[[2]string{o, name}].setTarget(r.nats)
		if err := r.addPeer(o, c.proxies[[2]string{name, o}].url()); err != nil {
			t.Fatalf("re-link %s <- %s: %v", name, o, err)
		}
		if err := c.region(o).addPeer(name, c.proxies[[2]string{o, name}].url()); err != nil {
			t.Fatalf("re-link %s <- %s: %v", o, name, err)
		}
	}
	return r
}

// statuses reads every region's status.
func (c *cluster) statuses() (map[string]*regionStatus, error) {
	out := map[string]*regionStatus{}
	for _, name := range c.names {
		st, err := c.region(name).status()
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		out[name] = st
	}
	return out, nil
}

// dumpStatuses renders every region's last status for a failure message.
func (c *cluster) dumpStatuses() string {
	var b strings.Builder
	for _, name := range c.names {
		st, err := c.region(name).status()
		if err != nil {
			fmt.Fprintf(&b, "%s: %v\n", name, err)
			continue
		}
		var pretty bytes.Buffer
		if json.Indent(&pretty, st.raw, "  ", "  ") != nil {
			pretty.Write(st.raw)
		}
		fmt.Fprintf(&b, "%s: %s\n", name, pretty.String())
	}
	return b.String()
}

// converged reports nil when every table in tables has one digest in
// every region.
func (c *cluster) converged(tables []string) error {
	sts, err := c.statuses()
	if err != nil {
		return err
	}
	for _, tbl := range tables {
		var want string
		for i, name := range c.names {
			d, ok := sts[name].tables[tbl]
			if !ok {
				return fmt.Errorf("table %s missing in %s", tbl, name)
			}
			if i == 0 {
				want = d
			} else if d != want {
				return fmt.Errorf("table %s: digest %s in %s, %s in %s", tbl, want, c.names[0], d, name)
			}
		}
	}
	return nil
}

// waitConverged polls every region's /admin/status until every table's
// digest matches everywhere, and returns how long it took. On timeout it
// fails the test with every region's status.
func waitConverged(t testing.TB, c *cluster, tables []string, timeout time.Duration) time.Duration {
	t.Helper()
	took, err := waitConvergedErr(c, tables, timeout)
	if err != nil {
		t.Fatal(err)
	}
	return took
}

// waitConvergedErr is waitConverged returning the failure (with every
// region's status) instead, for tests that go on to explain it.
func waitConvergedErr(c *cluster, tables []string, timeout time.Duration) (time.Duration, error) {
	start := time.Now()
	if err := poll(timeout, func() error { return c.converged(tables) }); err != nil {
		return 0, fmt.Errorf("regions did not converge within %v: %v\nstatuses:\n%s", timeout, err, c.dumpStatuses())
	}
	return time.Since(start), nil
}

// version is a parsed x-concord-version: <wallnanos>.<logical>@<region>.
type version struct {
	wall    int64
	logical uint64
	region  string
}

func (v version) String() string { return fmt.Sprintf("%d.%d@%s", v.wall, v.logical, v.region) }

// less orders versions by (wall, logical, region bytewise).
func (v version) less(o version) bool {
	if v.wall != o.wall {
		return v.wall < o.wall
	}
	if v.logical != o.logical {
		return v.logical < o.logical
	}
	return v.region < o.region
}

func parseVersion(s string) (version, error) {
	ts, region, ok := strings.Cut(s, "@")
	if !ok || region == "" {
		return version{}, fmt.Errorf("version %q: want <wallnanos>.<logical>@<region>", s)
	}
	w, l, ok := strings.Cut(ts, ".")
	if !ok {
		return version{}, fmt.Errorf("version %q: want <wallnanos>.<logical>@<region>", s)
	}
	wall, err1 := strconv.ParseInt(w, 10, 64)
	logical, err2 := strconv.ParseUint(l, 10, 64)
	if err1 != nil || err2 != nil || wall <= 0 {
		return version{}, fmt.Errorf("version %q: want <wallnanos>.<logical>@<region>", s)
	}
	return version{wall: wall, logical: logical, region: region}, nil
}

// errNoVersion: a write response without x-concord-version.
var errNoVersion = errors.New("response has no x-concord-version header")

// versionOf returns the x-concord-version of a successful write response.
func versionOf(md middleware.Metadata) (version, error) {
	raw, ok := awsmiddleware.GetRawResponse(md).(*smithyhttp.Response)
	if !ok || raw == nil {
		return version{}, fmt.Errorf("no raw HTTP response in result metadata")
	}
	h := raw.Header.Get("x-concord-version")
	if h == "" {
		return version{}, errNoVersion
	}
	return parseVersion(h)
}

func TestParseVersion(t *testing.T) {
	t.Parallel()
	v, err := parseVersion("1700000000000000000.3@eu-west-1")
	if err != nil || v.wall != 1700000000000000000 || v.logical != 3 || v.region != "eu-west-1" {
		t.Fatalf("parseVersion = %+v, %v", v, err)
	}
	for _, bad := range []string{"", "1.2", "x.1@r", "1@r", "1.2@"} {
		if _, err := parseVersion(bad); err == nil {
			t.Errorf("parseVersion(%q) succeeded", bad)
		}
	}
	a := version{10, 0, "b"}
	for _, later := range []version{{11, 0, "a"}, {10, 1, "a"}, {10, 0, "c"}} {
		if !a.less(later) || later.less(a) {
			t.Errorf("%v < %v should hold, and not the reverse", a, later)
		}
	}
}
