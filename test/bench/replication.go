package main

// -mode replication: three linked regions on this machine, writes into one
// of them, and two figures:
//
//  1. Replication lag at a steady rate (-rate for -duration). Method: the
//     writers pace PutItem calls into the source region; every
//     -sample-every, the next acknowledged write is sampled: for each other
//     region a probe polls GetItem (ConsistentRead) on that write's key
//     every -poll until the item is there. The lag of the sample is the
//     midpoint of the successful GetItem (≈ when the destination served
//     it) minus the instant the PutItem returned. It is therefore
//     acknowledgement → visible to a client of the other region, with a
//     resolution of about -poll plus half a GetItem round trip, and an
//     upward bias of at most that much. Probes are few (one sample per
//     -sample-every, a bounded number in flight per destination) so they
//     do not load the destinations much. Beside it the destinations' own
//     figure (/admin/status replication[].lagMillis, now minus the HLC
//     wall time of the newest applied change) is sampled every 250ms.
//
//  2. The sustained replicated write rate: the rate is ramped (-ramp);
//     each step runs for -step, then the destinations' counters for the
//     source (applied+discarded+skipped in /admin/status) are compared
//     with the writes the source acknowledged. Replication kept up in a
//     step if the backlog at the end of the step (acknowledged minus
//     consumed) was at most max(500, half a second of writes) in every
//     destination and drained within -drain; the source kept up if it
//     acknowledged at least 95% of the target rate without errors. The
//     sustained replicated rate is the highest acknowledged rate of a step
//     in which replication kept up without write errors; the ramp stops at
//     the first step in which either side fell behind. Beside it: the
//     single-region PutItem rate (closed loop, -writers clients) of an
//     unlinked fourth region in the same run.

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/concorddb/concord/test/internal/launch"
)

// replicationMode reports whether args select -mode replication.
func replicationMode(args []string) bool {
	for i, a := range args {
		a = strings.TrimLeft(a, "-")
		if a == "mode=replication" || a == "mode" && i+1 < len(args) && args[i+1] == "replication" {
			return true
		}
	}
	return false
}

type replConfig struct {
	rate        int
	duration    time.Duration
	writers     int
	itemSize    int
	ramp        []int
	step        time.Duration
	drain       time.Duration
	sampleEvery time.Duration
	poll        time.Duration
	concordArgs []string
}

func parseReplFlags(args []string) (*replConfig, error) {
	fs := flag.NewFlagSet("bench -mode replication", flag.ContinueOnError)
	cfg := &replConfig{}
	mode := fs.String("mode", "replication", "replication")
	fs.IntVar(&cfg.rate, "rate", 2000, "steady write rate (writes/s) for the lag measurement")
	fs.DurationVar(&cfg.duration, "duration", 10*time.Second, "duration of the lag measurement")
	fs.IntVar(&cfg.writers, "writers", 64, "concurrent SDK writers into the source region")
	fs.IntVar(&cfg.itemSize, "item-size", 1024, "approximate item size in bytes")
	ramp := fs.String("ramp", "500,1000,1500,2000,3000,4000,6000,8000,12000,16000", "write rates (writes/s) of the ramp; empty to skip it")
	fs.DurationVar(&cfg.step, "step", 5*time.Second, "duration of each ramp step")
	fs.DurationVar(&cfg.drain, "drain", 15*time.Second, "how long a step's replication backlog may take to drain")
	fs.DurationVar(&cfg.sampleEvery, "sample-every", 50*time.Millisecond, "sample one acknowledged write per interval for the lag")
	fs.DurationVar(&cfg.poll, "poll", 2*time.Millisecond, "GetItem poll interval of a lag probe")
	cargs := fs.String("concord-args", "", "extra flags for every `concord serve`, space-separated")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if *mode != "replication" {
		return nil, fmt.Errorf("-mode %q: want replication", *mode)
	}
	for _, f := range strings.Split(*ramp, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad -ramp %q", *ramp)
		}
		cfg.ramp = append(cfg.ramp, n)
	}
	if cfg.rate < 1 || cfg.writers < 1 || cfg.poll <= 0 || cfg.sampleEvery <= 0 {
		return nil, fmt.Errorf("-rate, -writers, -poll and -sample-every must be positive")
	}
	cfg.concordArgs = strings.Fields(*cargs)
	return cfg, nil
}

// regionNode is one `concord serve` process started by the benchmark.
type regionNode struct {
	name     string
	endpoint string // http://host:port
	nats     string // nats://host:port
	proc     *launch.Process
}

func startRegionNode(ctx context.Context, bin, tmp, region string, extra []string) (*regionNode, error) {
	p, err := launch.Start(ctx, bin, launch.Options{Region: region, DataDir: filepath.Join(tmp, region),
		LogPath: filepath.Join(tmp, region+".log"), Args: extra})
	if err != nil {
		return nil, err
	}
	return &regionNode{name: region, endpoint: p.URL(), nats: p.NATSURL(), proc: p}, nil
}

// Just the /admin/status fields the benchmark reads.
type benchStatus struct {
	Replication []struct {
		Source    string  `json:"source"`
		LagMillis float64 `json:"lagMillis"`
		Pending   uint64  `json:"pending"`
		Applied   uint64  `json:"applied"`
		Discarded uint64  `json:"discarded"`
		Skipped   uint64  `json:"skipped"`
		Errors    uint64  `json:"errors"`
	} `json:"replication"`
	Publisher struct {
		Published uint64 `json:"published"`
		Backlog   uint64 `json:"backlog"`
	} `json:"publisher"`
}

var statusClient = &http.Client{Timeout: 5 * time.Second}

func (n *regionNode) status(ctx context.Context) (*benchStatus, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, n.endpoint+"/admin/status", nil)
	resp, err := statusClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s /admin/status = %d: %s", n.name, resp.StatusCode, body)
	}
	var st benchStatus
	if err := json.Unmarshal(body, &st); err != nil {
		return nil, fmt.Errorf("%s /admin/status: %v", n.name, err)
	}
	return &st, nil
}

// consumed is how many of source's changes n has processed (applied,
// discarded as older, or skipped), and n's pending count and lag for it.
func (n *regionNode) consumed(ctx context.Context, source string) (done, pending uint64, lagMillis float64, err error) {
	st, err := n.status(ctx)
	if err != nil {
		return 0, 0, 0, err
	}
	for _, r := range st.Replication {
		if r.Source == source {
			return r.Applied + r.Discarded + r.Skipped, r.Pending, r.LagMillis, nil
		}
	}
	return 0, 0, 0, fmt.Errorf("%s does not replicate from %s", n.name, source)
}

func (n *regionNode) addPeer(ctx context.Context, peer *regionNode) error {
	body, _ := json.Marshal(map[string]string{"region": peer.name, "url": peer.nats})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, n.endpoint+"/admin/peers", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := statusClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s POST /admin/peers %s = %d: %s", n.name, body, resp.StatusCode, b)
	}
	return nil
}

func runReplication(ctx context.Context, args []string) error {
	cfg, err := parseReplFlags(args)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "concord-bench-repl-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fmt.Fprintln(os.Stderr, "bench: building concord")
	bin, err := launch.Build(ctx, tmp)
	if err != nil {
		return err
	}

	names := []string{"us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"} // the last one stays unlinked
	var nodes []*regionNode
	defer func() {
		for _, n := range nodes {
			if err := n.proc.Stop(); err != nil {
				fmt.Fprintf(os.Stderr, "bench: stop %s: %v\n", n.name, err)
			}
		}
	}()
	for _, name := range names {
		n, err := startRegionNode(ctx, bin, tmp, name, cfg.concordArgs)
		if err != nil {
			return err
		}
		nodes = append(nodes, n)
	}
	src, dests, single := nodes[0], nodes[1:3], nodes[3]
	linked := nodes[:3]
	for _, a := range linked {
		for _, b := range linked {
			if a != b {
				if err := a.addPeer(ctx, b); err != nil {
					return err
				}
			}
		}
	}
	fmt.Fprintf(os.Stderr, "bench: %s, %s, %s linked; %s alone\n", src.name, dests[0].name, dests[1].name, single.name)

	table := fmt.Sprintf("repl-%d", time.Now().UnixNano())
	small := &config{items: 10, itemSize: cfg.itemSize}
	srcClient := newClient(src.endpoint, cfg.writers)
	if err := setup(ctx, srcClient, table, small); err != nil {
		return fmt.Errorf("%s setup: %w", src.name, err)
	}
	var destClients []*dynamodb.Client
	for _, d := range dests {
		c := newClient(d.endpoint, 16)
		destClients = append(destClients, c)
		if err := waitTable(ctx, c, table, 60*time.Second); err != nil {
			return fmt.Errorf("table %s created in %s never appeared in %s: %w", table, src.name, d.name, err)
		}
	}

	// Single-region PutItem rate, closed loop, on the unlinked region.
	singleClient := newClient(single.endpoint, cfg.writers)
	if err := setup(ctx, singleClient, table, small); err != nil {
		return fmt.Errorf("%s setup: %w", single.name, err)
	}
	fmt.Fprintf(os.Stderr, "bench: single-region PutItem, %d clients, %v\n", cfg.writers, cfg.step)
	singleRes := measure(ctx, makeOp(singleClient, table, "PutItem", small), cfg.writers, cfg.step)
	fmt.Fprintf(os.Stderr, "bench: single region %.0f PutItem/s p50 %s p99 %s errors %d\n",
		singleRes.opsPerSec(), fmtDur(singleRes.p50), fmtDur(singleRes.p99), singleRes.errors)
	if err := single.proc.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "bench: stop %s: %v\n", single.name, err)
	}
	nodes = nodes[:3]

	// 1. Lag at a steady rate.
	fmt.Fprintf(os.Stderr, "bench: lag at %d writes/s for %v\n", cfg.rate, cfg.duration)
	lag, err := measureLag(ctx, cfg, srcClient, table, src, dests, destClients)
	if err != nil {
		return err
	}
	if _, err := waitDrained(ctx, src.name, dests, lag.baseline, lag.drive.acked, cfg.drain); err != nil {
		fmt.Fprintf(os.Stderr, "bench: after the lag run: %v\n", err)
	}

	// 2. Ramp.
	var steps []stepResult
	for i, rate := range cfg.ramp {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		st, err := rampStep(ctx, cfg, srcClient, table, src, dests, rate, 100+i)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "bench: ramp %6d/s: acked %8.0f/s errors %d behind %d; backlog %v drained in %v; source kept up %v, replication kept up %v\n",
			rate, st.drive.ackRate(), st.drive.errors, st.drive.behind, st.endBacklog, st.drainedIn, st.sourceKept, st.replKept)
		steps = append(steps, st)
		if !st.sourceKept || !st.replKept {
			break
		}
	}
	printReplReport(os.Stdout, cfg, src, dests, singleRes, lag, steps)
	return nil
}

// waitTable waits until table is ACTIVE through c.
func waitTable(ctx context.Context, c *dynamodb.Client, table string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		out, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
		if err == nil && out.Table.TableStatus == types.TableStatusActive {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ACTIVE within %v: %v", timeout, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// driveResult is the outcome of one paced write run.
type driveResult struct {
	target   int
	elapsed  time.Duration
	acked    int64
	errors   int64
	behind   int64 // writes not issued because every writer was busy
	firstErr error
	p50, p99 time.Duration
}

func (d driveResult) ackRate() float64 {
	if d.elapsed <= 0 {
		return 0
	}
	return float64(d.acked) / d.elapsed.Seconds()
}

// drive issues PutItem at rate for dur from cfg.writers workers (open
// loop: a write due while every worker is busy is counted as behind, not
// queued). onAck is called after each acknowledged write.
func drive(ctx context.Context, cfg *replConfig, c *dynamodb.Client, table string, rate int, dur time.Duration, part int, onAck func(it map[string]types.AttributeValue, ack time.Time)) driveResult {
	jobs := make(chan int64, cfg.writers)
	lats := make([][]time.Duration, cfg.writers)
	var acked, errs atomic.Int64
	var firstErr error
	var errOnce sync.Once
	var wg sync.WaitGroup
	for w := range cfg.writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := range jobs {
				// Spread writes over 16 partitions of this run.
				it := makeItem(part*16+int(seq%16), seq, cfg.itemSize)
				t0 := time.Now()
				_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: it})
				t1 := time.Now()
				if err != nil {
					errs.Add(1)
					errOnce.Do(func() { firstErr = err })
					continue
				}
				acked.Add(1)
				lats[w] = append(lats[w], t1.Sub(t0))
				if onAck != nil {
					onAck(it, t1)
				}
			}
		}()
	}
	start := time.Now()
	var sent, behind int64
	tick := time.NewTicker(time.Millisecond)
	for now := start; now.Sub(start) < dur && ctx.Err() == nil; now = <-tick.C {
		due := int64(now.Sub(start).Seconds()*float64(rate)) - sent - behind
		for range due {
			select {
			case jobs <- sent:
				sent++
			default:
				behind++
			}
		}
	}
	tick.Stop()
	close(jobs)
	wg.Wait()
	r := driveResult{target: rate, elapsed: time.Since(start), acked: acked.Load(), errors: errs.Load(), behind: behind, firstErr: firstErr}
	var all []time.Duration
	for _, l := range lats {
		all = append(all, l...)
	}
	if len(all) > 0 {
		slices.Sort(all)
		r.p50 = all[len(all)*50/100]
		r.p99 = all[min(len(all)-1, len(all)*99/100)]
	}
	return r
}

// lagResult is the steady-rate lag measurement.
type lagResult struct {
	drive    driveResult
	baseline []uint64          // destinations' consumed counters before the run
	lags     [][]time.Duration // per destination
	timeouts []int             // probes that never saw their item
	skipped  int64             // samples not taken: too many probes in flight
	statLag  [][]float64       // per destination, sampled /admin/status lagMillis
}

const maxProbes = 16 // in flight per destination

func measureLag(ctx context.Context, cfg *replConfig, c *dynamodb.Client, table string, src *regionNode, dests []*regionNode, destClients []*dynamodb.Client) (*lagResult, error) {
	res := &lagResult{lags: make([][]time.Duration, len(dests)), timeouts: make([]int, len(dests)), statLag: make([][]float64, len(dests))}
	for _, d := range dests {
		done, _, _, err := d.consumed(ctx, src.name)
		if err != nil {
			return nil, err
		}
		res.baseline = append(res.baseline, done)
	}
	var mu sync.Mutex
	var probes sync.WaitGroup
	inflight := make([]atomic.Int32, len(dests))
	var nextSample atomic.Int64
	onAck := func(it map[string]types.AttributeValue, ack time.Time) {
		next := nextSample.Load()
		if ack.UnixNano() < next || !nextSample.CompareAndSwap(next, ack.Add(cfg.sampleEvery).UnixNano()) {
			return
		}
		key := map[string]types.AttributeValue{"pk": it["pk"], "sk": it["sk"]}
		for i := range dests {
			if inflight[i].Add(1) > maxProbes {
				inflight[i].Add(-1)
				mu.Lock()
				res.skipped++
				mu.Unlock()
				continue
			}
			probes.Add(1)
			go func() {
				defer probes.Done()
				defer inflight[i].Add(-1)
				lag, ok := probe(ctx, destClients[i], table, key, ack, cfg.poll, 30*time.Second)
				mu.Lock()
				if ok {
					res.lags[i] = append(res.lags[i], lag)
				} else {
					res.timeouts[i]++
				}
				mu.Unlock()
			}()
		}
	}
	// The destinations' own lag figure, every 250ms.
	stopStat := make(chan struct{})
	var statWG sync.WaitGroup
	statWG.Add(1)
	go func() {
		defer statWG.Done()
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stopStat:
				return
			case <-tick.C:
			}
			for i, d := range dests {
				if _, _, l, err := d.consumed(ctx, src.name); err == nil {
					mu.Lock()
					res.statLag[i] = append(res.statLag[i], l)
					mu.Unlock()
				}
			}
		}
	}()
	res.drive = drive(ctx, cfg, c, table, cfg.rate, cfg.duration, 1, onAck)
	probes.Wait()
	close(stopStat)
	statWG.Wait()
	for i := range dests {
		slices.Sort(res.lags[i])
		slices.Sort(res.statLag[i])
	}
	return res, nil
}

// probe polls GetItem on key until the item is there and returns the
// midpoint of that GetItem minus ack.
func probe(ctx context.Context, c *dynamodb.Client, table string, key map[string]types.AttributeValue, ack time.Time, every, timeout time.Duration) (time.Duration, bool) {
	deadline := ack.Add(timeout)
	for ctx.Err() == nil && time.Now().Before(deadline) {
		t0 := time.Now()
		out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: key, ConsistentRead: aws.Bool(true)})
		t1 := time.Now()
		if err == nil && out.Item != nil {
			return t0.Add(t1.Sub(t0) / 2).Sub(ack), true
		}
		if d := every - t1.Sub(t0); d > 0 {
			time.Sleep(d) // pacing of the probe, not synchronisation
		}
	}
	return 0, false
}

// waitDrained waits until every destination has consumed acked changes
// since baseline, and returns how long it took.
func waitDrained(ctx context.Context, source string, dests []*regionNode, baseline []uint64, acked int64, timeout time.Duration) (time.Duration, error) {
	start := time.Now()
	for {
		behind := false
		var last string
		for i, d := range dests {
			done, pending, _, err := d.consumed(ctx, source)
			if err != nil {
				return 0, err
			}
			if int64(done-baseline[i]) < acked {
				behind = true
				last = fmt.Sprintf("%s consumed %d of %d (pending %d)", d.name, done-baseline[i], acked, pending)
			}
		}
		if !behind {
			return time.Since(start), nil
		}
		if time.Since(start) > timeout {
			return 0, fmt.Errorf("not drained within %v: %s", timeout, last)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// stepResult is one ramp step.
type stepResult struct {
	drive      driveResult
	applyRate  []float64 // per destination, changes consumed per second during the step
	endBacklog []int64   // per destination, acknowledged minus consumed at the step's end
	drainedIn  time.Duration
	drainErr   error
	sourceKept bool // acknowledged ≥ 95% of the target rate, no errors
	replKept   bool // backlog at the end bounded, and drained
}

func rampStep(ctx context.Context, cfg *replConfig, c *dynamodb.Client, table string, src *regionNode, dests []*regionNode, rate, part int) (stepResult, error) {
	var st stepResult
	baseline := make([]uint64, len(dests))
	for i, d := range dests {
		done, _, _, err := d.consumed(ctx, src.name)
		if err != nil {
			return st, err
		}
		baseline[i] = done
	}
	st.drive = drive(ctx, cfg, c, table, rate, cfg.step, part, nil)
	for i, d := range dests {
		done, _, _, err := d.consumed(ctx, src.name)
		if err != nil {
			return st, err
		}
		consumed := int64(done - baseline[i])
		st.applyRate = append(st.applyRate, float64(consumed)/st.drive.elapsed.Seconds())
		st.endBacklog = append(st.endBacklog, st.drive.acked-consumed)
	}
	st.drainedIn, st.drainErr = waitDrained(ctx, src.name, dests, baseline, st.drive.acked, cfg.drain)
	st.sourceKept = st.drive.errors == 0 && st.drive.ackRate() >= 0.95*float64(rate)
	st.replKept = st.drainErr == nil
	for _, b := range st.endBacklog {
		if float64(b) > math.Max(500, 0.5*float64(rate)) {
			st.replKept = false
		}
	}
	return st, nil
}

func pct[T any](xs []T, p int) (T, bool) {
	var zero T
	if len(xs) == 0 {
		return zero, false
	}
	return xs[min(len(xs)-1, len(xs)*p/100)], true
}

func fmtPct(xs []time.Duration, p int) string {
	v, ok := pct(xs, p)
	if !ok {
		return "-"
	}
	return fmtDur(v)
}

func printReplReport(w io.Writer, cfg *replConfig, src *regionNode, dests []*regionNode, single result, lag *lagResult, steps []stepResult) {
	fmt.Fprintf(w, "\n### Replication lag: %d PutItem/s into %s for %v (%d clients, %d B items)\n\n",
		cfg.rate, src.name, cfg.duration, cfg.writers, cfg.itemSize)
	fmt.Fprintf(w, "Source: %.0f writes/s acknowledged, write p50 %s p99 %s, errors %d, behind %d.\n",
		lag.drive.ackRate(), fmtDur(lag.drive.p50), fmtDur(lag.drive.p99), lag.drive.errors, lag.drive.behind)
	fmt.Fprintf(w, "Lag = acknowledgement in %s → first GetItem in the destination that returns the item (polled every %v; one sample per %v).\n\n",
		src.name, cfg.poll, cfg.sampleEvery)
	fmt.Fprintln(w, "| destination | samples | p50 | p90 | p99 | max | not seen | /admin/status lagMillis p50 / max |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for i, d := range dests {
		sl := "-"
		if p50, ok := pct(lag.statLag[i], 50); ok {
			sl = fmt.Sprintf("%.1f / %.1f ms", p50, lag.statLag[i][len(lag.statLag[i])-1])
		}
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %d | %s |\n", d.name, len(lag.lags[i]),
			fmtPct(lag.lags[i], 50), fmtPct(lag.lags[i], 90), fmtPct(lag.lags[i], 99), fmtPct(lag.lags[i], 100), lag.timeouts[i], sl)
	}
	if lag.skipped > 0 {
		fmt.Fprintf(w, "\n%d probes skipped (more than %d in flight per destination).\n", lag.skipped, maxProbes)
	}

	fmt.Fprintf(w, "\n### Replicated write rate ramp (%v per step, %d clients into %s)\n\n", cfg.step, cfg.writers, src.name)
	hdr := "| target/s | acked/s | write p50 | write p99 | errors | behind |"
	sep := "| ---: | ---: | ---: | ---: | ---: | ---: |"
	for _, d := range dests {
		hdr += fmt.Sprintf(" %s applied/s | %s backlog at end |", d.name, d.name)
		sep += " ---: | ---: |"
	}
	fmt.Fprintln(w, hdr+" drained in | source kept up | replication kept up |")
	fmt.Fprintln(w, sep+" ---: | --- | --- |")
	best := 0.0
	for _, s := range steps {
		fmt.Fprintf(w, "| %d | %.0f | %s | %s | %d | %d |", s.drive.target, s.drive.ackRate(), fmtDur(s.drive.p50), fmtDur(s.drive.p99), s.drive.errors, s.drive.behind)
		for i := range dests {
			fmt.Fprintf(w, " %.0f | %d |", s.applyRate[i], s.endBacklog[i])
		}
		drained := fmtDur(s.drainedIn)
		if s.drainErr != nil {
			drained = "> " + cfg.drain.String()
		}
		if s.replKept && s.drive.errors == 0 {
			best = max(best, s.drive.ackRate())
		}
		fmt.Fprintf(w, " %s | %s | %s |\n", drained, yesNo(s.sourceKept), yesNo(s.replKept))
	}
	for _, s := range steps {
		if s.drive.firstErr != nil {
			fmt.Fprintf(w, "\nfirst write error at %d/s: %v\n", s.drive.target, s.drive.firstErr)
		}
		if s.drainErr != nil {
			fmt.Fprintf(w, "\nat %d/s: %v\n", s.drive.target, s.drainErr)
		}
	}

	fmt.Fprintf(w, "\n### Write throughput, single region vs replicated (same run, %d clients)\n\n", cfg.writers)
	fmt.Fprintln(w, "| | writes/s |")
	fmt.Fprintln(w, "| --- | ---: |")
	fmt.Fprintf(w, "| single region, PutItem closed loop (p50 %s, p99 %s, %d errors) | %.0f |\n", fmtDur(single.p50), fmtDur(single.p99), single.errors, single.opsPerSec())
	if best > 0 {
		fmt.Fprintf(w, "| replicated into 2 other regions, sustained (ramp, open loop) | %.0f |\n", best)
	} else {
		fmt.Fprintln(w, "| replicated into 2 other regions, sustained | replication kept up at no ramp step |")
	}
	if n := len(steps); n > 0 {
		switch last := steps[n-1]; {
		case last.sourceKept && last.replKept:
			fmt.Fprintln(w, "\nEvery ramp step was sustained: the ceiling is above the last step; extend -ramp.")
		case !last.replKept:
			fmt.Fprintf(w, "\nThe ramp stopped at %d/s because replication fell behind.\n", last.drive.target)
		default:
			fmt.Fprintf(w, "\nThe ramp stopped at %d/s because the source region could not take the writes (%.0f/s acknowledged); replication kept up with what it took.\n", last.drive.target, last.drive.ackRate())
		}
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
