package chaos

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/concorddb/concord/test/internal/launch"
)

// regionNames are the regions of a run, in order; a run of n regions
// takes the first n.
var regionNames = []string{"us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2",
	"eu-central-1", "ap-northeast-1", "sa-east-1", "ca-central-1"}

// link names a replication link: consumer reads source's stream.
type link struct{ consumer, source string }

// cluster is the run's regions, one `concord serve` process each, and a
// proxy per link. Every region is started with --peer flags that point
// at its proxies, so that a restart relinks by itself; a proxy follows
// its source region's NATS address across restarts.
type cluster struct {
	bin     string
	names   []string
	regions map[string]*regionNode
	proxies map[link]*proxy
	an      *anomalies
	logf    func(format string, args ...any)

	stuck struct {
		sync.Mutex                 // protects seen
		seen       map[string]bool // stuck links reported: "region<-source@seq"
	}
}

// regionNode is one region: its data directory and log, which every
// process of the region shares, and the process that runs now.
type regionNode struct {
	name    string
	dataDir string
	logPath string

	mu struct {
		sync.Mutex // protects the fields below
		proc       *launch.Process
		client     *dynamodb.Client // for the traffic: no retries
		reader     *dynamodb.Client // for the checks' reads: retries
		transport  *http.Transport
		url        string
		epoch      int           // processes started so far; the current one's number
		up         chan struct{} // closed while the region is up
		isUp       bool
		expected   bool // the current process is being stopped by the run
	}
}

// newCluster makes the proxies and the regions' directories; start
// starts the processes.
func newCluster(bin, dir string, n int, an *anomalies, logf func(string, ...any)) (*cluster, error) {
	if n < 2 || n > len(regionNames) {
		return nil, fmt.Errorf("chaos: %d regions: want 2 to %d", n, len(regionNames))
	}
	c := &cluster{bin: bin, names: regionNames[:n], regions: map[string]*regionNode{},
		proxies: map[link]*proxy{}, an: an, logf: logf}
	c.stuck.seen = map[string]bool{}
	for _, name := range c.names {
		r := &regionNode{name: name, dataDir: filepath.Join(dir, name), logPath: filepath.Join(dir, name+".log")}
		r.mu.up = make(chan struct{})
		c.regions[name] = r
		for _, src := range c.names {
			if src == name {
				continue
			}
			p, err := newProxy()
			if err != nil {
				c.close()
				return nil, fmt.Errorf("chaos: proxy: %w", err)
			}
			c.proxies[link{name, src}] = p
		}
	}
	return c, nil
}

// start starts every region, in parallel.
func (c *cluster) start(ctx context.Context) error {
	errs := make([]error, len(c.names))
	var wg sync.WaitGroup
	for i, name := range c.names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = c.startRegion(ctx, c.regions[name], 0)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// startRegion starts a process of r on its data directory with
// --clock-offset offset, points the proxies of the links that read r at
// its NATS, and marks r up. A start that fails is tried twice more.
func (c *cluster) startRegion(ctx context.Context, r *regionNode, offset time.Duration) error {
	args := []string{}
	for _, src := range c.names {
		if src != r.name {
			args = append(args, "--peer", src+"="+c.proxies[link{r.name, src}].url())
		}
	}
	if offset != 0 {
		args = append(args, "--clock-offset", offset.String())
	}
	lopts := launch.Options{Region: r.name, DataDir: r.dataDir, LogPath: r.logPath, Args: args, Ready: regionReady(r.name)}
	var p *launch.Process
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if p, err = launch.Start(ctx, c.bin, lopts); err == nil || ctx.Err() != nil {
			break
		}
		c.logf("start %s failed (attempt %d): %v", r.name, attempt+1, err)
	}
	if err != nil {
		return fmt.Errorf("chaos: start %s: %w", r.name, err)
	}
	nats := strings.TrimPrefix(p.NATSURL(), "nats://")
	for _, o := range c.names {
		if o != r.name {
			c.proxies[link{o, r.name}].setTarget(nats)
		}
	}
	tr := &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: 30 * time.Second}
	opts := dynamodb.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(p.URL()),
		Credentials:  credentials.NewStaticCredentialsProvider("chaos", "chaos", ""),
		HTTPClient:   &http.Client{Transport: tr, Timeout: opTimeout},
	}
	reader := dynamodb.New(opts, func(o *dynamodb.Options) { o.RetryMaxAttempts = 5 })
	// No retries: an error is never an acknowledgement, and a success
	// reports its own write's version.
	client := dynamodb.New(opts, func(o *dynamodb.Options) { o.Retryer = aws.NopRetryer{} })
	r.mu.Lock()
	r.mu.proc, r.mu.client, r.mu.reader, r.mu.transport, r.mu.url = p, client, reader, tr, p.URL()
	r.mu.epoch++
	r.mu.expected = false
	if !r.mu.isUp {
		r.mu.isUp = true
		close(r.mu.up)
	}
	epoch := r.mu.epoch
	r.mu.Unlock()
	go c.watch(r, p, epoch) // ends when p exits
	return nil
}

// watch reports a process that exits without the run stopping it.
func (c *cluster) watch(r *regionNode, p *launch.Process, epoch int) {
	<-p.Exited()
	r.mu.Lock()
	expected := r.mu.expected || r.mu.epoch != epoch
	r.mu.Unlock()
	if !expected {
		c.an.add("region %s (process %d) exited on its own: %v; log %s", r.name, epoch, p.Err(), r.logPath)
		c.down(r)
	}
}

// down marks r down: clients wait for it to come up again.
func (c *cluster) down(r *regionNode) *launch.Process {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.mu.isUp {
		r.mu.isUp = false
		r.mu.up = make(chan struct{})
	}
	r.mu.expected = true
	if r.mu.transport != nil {
		r.mu.transport.CloseIdleConnections()
	}
	return r.mu.proc
}

// kill SIGKILLs r's process.
func (c *cluster) kill(r *regionNode) {
	if p := c.down(r); p != nil {
		p.Kill()
	}
}

// stop stops r's process with SIGTERM; an unclean exit is an anomaly.
func (c *cluster) stop(r *regionNode) {
	p := c.down(r)
	if p == nil {
		return
	}
	if err := p.Stop(); err != nil {
		c.an.add("region %s: stop with SIGTERM: %v; log %s", r.name, err, r.logPath)
	}
}

// isUp reports whether r runs.
func (r *regionNode) isUp() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.mu.isUp
}

// session is what a client needs of a region's current process.
type session struct {
	client *dynamodb.Client // never retries
	reader *dynamodb.Client // retries; for idempotent reads only
	url    string
	epoch  int
}

// waitUp waits until r is up and returns its current process's session;
// false if ctx ended or stop closed first.
func (r *regionNode) waitUp(ctx context.Context, stop <-chan struct{}) (session, bool) {
	for {
		r.mu.Lock()
		s, up, ch := session{r.mu.client, r.mu.reader, r.mu.url, r.mu.epoch}, r.mu.isUp, r.mu.up
		r.mu.Unlock()
		if up {
			return s, true
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return session{}, false
		case <-stop:
			return session{}, false
		}
	}
}

// current returns r's session and whether r is up.
func (r *regionNode) current() (session, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return session{r.mu.client, r.mu.reader, r.mu.url, r.mu.epoch}, r.mu.isUp
}

// close stops every running region with SIGTERM (an unclean exit is an
// anomaly) and closes the proxies.
func (c *cluster) close() {
	var wg sync.WaitGroup
	for _, r := range c.regions {
		if !r.isUp() {
			if p := c.down(r); p != nil {
				p.Kill() // a no-op unless it exited on its own
			}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.stop(r)
		}()
	}
	wg.Wait()
	for _, p := range c.proxies {
		p.close()
	}
}

// adminClient reads /admin/status.
var adminClient = &http.Client{Timeout: 10 * time.Second}

// regionReady is satisfied once the node answers GET /admin/status for
// its region.
func regionReady(region string) launch.ReadyFunc {
	return func(ctx context.Context, p *launch.Process) error {
		st, err := getStatus(ctx, p.URL())
		if err != nil {
			return err
		}
		if st.Region != region {
			return launch.Permanent(fmt.Errorf("/admin/status region = %q, want %q", st.Region, region))
		}
		return nil
	}
}

// getStatus reads and decodes GET url/admin/status.
func getStatus(ctx context.Context, url string) (*status, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/admin/status", nil)
	if err != nil {
		return nil, err
	}
	resp, err := adminClient.Do(req)
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
	st := &status{raw: body}
	if err := json.Unmarshal(body, st); err != nil {
		return nil, fmt.Errorf("decode %s/admin/status: %v: %s", url, err, body)
	}
	return st, nil
}

// status is the part of GET /admin/status the run reads.
type status struct {
	Region string `json:"region"`
	Tables []struct {
		Name      string `json:"name"`
		ItemCount int64  `json:"itemCount"`
		Digest    string `json:"digest"`
	} `json:"tables"`
	Replication []replStatus `json:"replication"`
	Publisher   struct {
		Published uint64 `json:"published"`
		Backlog   uint64 `json:"backlog"`
		Connected bool   `json:"connected"`
	} `json:"publisher"`
	Parked map[string]int `json:"parked"`
	raw    []byte
}

// replStatus is one link's figures in a status.
type replStatus struct {
	Source    string `json:"source"`
	Connected bool   `json:"connected"`
	Pending   uint64 `json:"pending"`
	Applied   uint64 `json:"applied"`
	Discarded uint64 `json:"discarded"`
	Skipped   uint64 `json:"skipped"`
	Skewed    uint64 `json:"skewed"`
	Errors    uint64 `json:"errors"`
	// State is "connected", "disconnected" or "stuck" (with Reason and
	// StuckSeq).
	State    string `json:"state"`
	Reason   string `json:"reason"`
	StuckSeq uint64 `json:"stuckSeq"`
}

// anomalies collects what must not happen, from any goroutine.
type anomalies struct {
	mu   sync.Mutex // protects list
	list []string
	logf func(format string, args ...any)
}

func (a *anomalies) add(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	a.mu.Lock()
	a.list = append(a.list, msg)
	a.mu.Unlock()
	if a.logf != nil {
		a.logf("ANOMALY: %s", msg)
	}
}

func (a *anomalies) all() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.list...)
}
