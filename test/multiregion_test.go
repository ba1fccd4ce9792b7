package test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"
)

// testSeed returns CONCORD_SEED or a fresh seed, and logs it so a failure
// can be replayed.
func testSeed(t testing.TB) uint64 {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("CONCORD_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("CONCORD_SEED=%q: %v", s, err)
		}
		seed = v
	}
	t.Logf("seed %d (replay with CONCORD_SEED=%d)", seed, seed)
	return seed
}

// createKeyTable creates a table with S hash key "pk" through c and waits
// until every region of cl has it ACTIVE.
func createKeyTable(t testing.TB, cl *cluster, in string) string {
	t.Helper()
	tbl := tableName(t)
	createTable(t, cl.client(in), tbl, keyDef{"pk", types.ScalarAttributeTypeS}, nil)
	for _, name := range cl.names {
		waitActive(t, cl.client(name), tbl)
	}
	return tbl
}

// scanValues reads every item of tbl in one region (consistent scan) as
// pk -> v.
func scanValues(t testing.TB, c *dynamodb.Client, tbl string) map[string]string {
	t.Helper()
	out := map[string]string{}
	p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String(tbl), ConsistentRead: aws.Bool(true)})
	for p.HasMorePages() {
		page, err := p.NextPage(testCtx(t))
		if err != nil {
			t.Fatalf("Scan %s: %v", tbl, err)
		}
		for _, it := range page.Items {
			v := ""
			if av, ok := it["v"]; ok {
				v = strOf(t, av)
			}
			out[strOf(t, it["pk"])] = v
		}
	}
	return out
}

// wantValues fails unless every region holds exactly want (pk -> v) in tbl.
func wantValues(t testing.TB, cl *cluster, tbl string, want map[string]string) {
	t.Helper()
	for _, name := range cl.names {
		got := scanValues(t, cl.client(name), tbl)
		var bad []string
		for k, v := range want {
			if g, ok := got[k]; !ok || g != v {
				bad = append(bad, fmt.Sprintf("%s: got %q (present %v), want %q", k, g, ok, v))
			}
		}
		for k, v := range got {
			if _, ok := want[k]; !ok {
				bad = append(bad, fmt.Sprintf("%s: unexpected item v=%q", k, v))
			}
		}
		if len(bad) > 0 {
			sort.Strings(bad)
			t.Errorf("%s holds %d items, want %d; %d differences, e.g.:\n%v", name, len(got), len(want), len(bad), bad[:min(10, len(bad))])
		}
	}
}

// --- write log and the last-writer-wins checker ---

// op kinds for writers.
const (
	opPut = iota
	opUpdate
	opDelete
)

// writeRec is one attempted write. value "" means a delete.
type writeRec struct {
	key, value string
	region     string
	writer     int
	acked      bool
	ver        version
}

// writeLog records every attempted write and its outcome.
type writeLog struct {
	mu      sync.Mutex
	recs    []writeRec
	errs    map[string]int // region -> failed writes
	firstEr map[string]error
}

func newWriteLog() *writeLog {
	return &writeLog{errs: map[string]int{}, firstEr: map[string]error{}}
}

func (l *writeLog) acked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, r := range l.recs {
		if r.acked {
			n++
		}
	}
	return n
}

func (l *writeLog) ackedIn(region string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, r := range l.recs {
		if r.acked && r.region == region {
			n++
		}
	}
	return n
}

// write performs one write (recorded as attempted before it is sent) and
// records its acknowledgement and version.
func (l *writeLog) write(ctx context.Context, c *dynamodb.Client, tbl, region string, writer, kind int, key, value string) error {
	if kind == opDelete {
		value = ""
	}
	l.mu.Lock()
	i := len(l.recs)
	l.recs = append(l.recs, writeRec{key: key, value: value, region: region, writer: writer})
	l.mu.Unlock()
	var md middleware.Metadata
	var err error
	k := item{"pk": s(key)}
	switch kind {
	case opPut:
		var out *dynamodb.PutItemOutput
		out, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item{"pk": s(key), "v": s(value)}})
		if err == nil {
			md = out.ResultMetadata
		}
	case opUpdate:
		var out *dynamodb.UpdateItemOutput
		out, err = c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: k,
			UpdateExpression:          aws.String("SET v = :v"),
			ExpressionAttributeValues: item{":v": s(value)}})
		if err == nil {
			md = out.ResultMetadata
		}
	case opDelete:
		var out *dynamodb.DeleteItemOutput
		out, err = c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(tbl), Key: k})
		if err == nil {
			md = out.ResultMetadata
		}
	}
	var ver version
	if err == nil {
		// Every acknowledged write carries its version, a DeleteItem of
		// an item absent here included: it writes a tombstone, so that an
		// older put still on its way cannot undo it.
		ver, err = versionOf(md)
		if err != nil {
			err = fmt.Errorf("acknowledged write without a usable version: %w", err)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		if ctx.Err() != nil {
			return err // cancelled by the test: outcome unknown, not a failure
		}
		l.errs[region]++
		if l.firstEr[region] == nil {
			l.firstEr[region] = err
		}
		return err
	}
	l.recs[i].acked, l.recs[i].ver = true, ver
	return nil
}

// wantNoErrors fails if any write in one of regions failed.
func (l *writeLog) wantNoErrors(t testing.TB, regions ...string) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range regions {
		if l.errs[r] > 0 {
			t.Errorf("%d writes failed in %s, first: %v", l.errs[r], r, l.firstEr[r])
		}
	}
}

// checkWinners checks, in every region, that each key written holds the
// value of the highest acknowledged (hlc, region) version, or - if
// allowUnacked - the value of a write whose outcome is unknown (attempted,
// not acknowledged: in flight when a region was killed). It also checks
// the versions themselves: distinct, stamped with the region that took the
// write, increasing along each writer's sequence in one region.
//
// The unknown-outcome allowance is the one blind spot: a region holding an
// unacknowledged write's value where a higher acknowledged version was lost
// looks the same as that unacknowledged write having won.
func checkWinners(t testing.TB, cl *cluster, tbl string, l *writeLog, allowUnacked bool) {
	t.Helper()
	l.mu.Lock()
	recs := append([]writeRec(nil), l.recs...)
	l.mu.Unlock()
	type keyState struct {
		win     *writeRec
		unacked map[string]bool
	}
	keys := map[string]*keyState{}
	seen := map[version]writeRec{}
	lastByWriter := map[[2]string]version{}
	nAcked := 0
	for i := range recs {
		r := &recs[i]
		ks := keys[r.key]
		if ks == nil {
			ks = &keyState{unacked: map[string]bool{}}
			keys[r.key] = ks
		}
		if !r.acked {
			ks.unacked[r.value] = true
			continue
		}
		nAcked++
		if o, dup := seen[r.ver]; dup {
			t.Errorf("version %v acknowledged twice: %+v and %+v", r.ver, o, *r)
		}
		seen[r.ver] = *r
		if r.ver.region != r.region {
			t.Errorf("write to %s acknowledged with version %v", r.region, r.ver)
		}
		wk := [2]string{r.region, strconv.Itoa(r.writer)}
		if last, ok := lastByWriter[wk]; ok && !last.less(r.ver) {
			t.Errorf("writer %d in %s: version %v after %v (not increasing)", r.writer, r.region, r.ver, last)
		}
		lastByWriter[wk] = r.ver
		if ks.win == nil || ks.win.ver.less(r.ver) {
			ks.win = r
		}
	}
	unknownWins := 0
	for _, name := range cl.names {
		got := scanValues(t, cl.client(name), tbl)
		var bad []string
		for k, ks := range keys {
			g := got[k] // "" if absent: a delete's value
			want := ""
			if ks.win != nil {
				want = ks.win.value
			}
			if g == want {
				continue
			}
			if allowUnacked && ks.unacked[g] {
				unknownWins++
				continue
			}
			w := "absent (no acknowledged write)"
			if ks.win != nil {
				w = fmt.Sprintf("%q from %v", want, ks.win.ver)
			}
			bad = append(bad, fmt.Sprintf("%s: holds %q, want %s", k, g, w))
		}
		for k := range got {
			if keys[k] == nil {
				bad = append(bad, fmt.Sprintf("%s: never written, but present", k))
			}
		}
		if len(bad) > 0 {
			sort.Strings(bad)
			t.Errorf("%s: %d of %d keys hold the wrong value, e.g.:\n%v", name, len(bad), len(keys), bad[:min(10, len(bad))])
		}
	}
	t.Logf("checked %d keys in %d regions: %d acknowledged writes with versions, %d unacknowledged; %d key-regions hold an unacknowledged write's value",
		len(keys), len(cl.names), nAcked, len(recs)-nAcked, unknownWins)
}

// writers runs perRegion goroutines in each of regions writing a random
// mix of Put/Update/Delete (deletes with probability pDelete) over keys
// "k0".."k<nkeys-1>" (and, if unique, a unique key every other write)
// until ctx ends or the region fails a write (stopOnError).
type writers struct {
	wg      sync.WaitGroup
	stopped atomic.Bool
}

// stop makes every writer finish its current write and return, and waits:
// no write is left in flight, so every write's outcome is known.
func (ws *writers) stop() {
	ws.stopped.Store(true)
	ws.wg.Wait()
}

func startWriters(ctx context.Context, cl *cluster, tbl string, l *writeLog, seed uint64, regions []string, perRegion, nkeys int, pDelete float64, unique, stopOnError bool, writerBase int) *writers {
	ws := &writers{}
	for ri, region := range regions {
		for w := range perRegion {
			id := writerBase + ri*perRegion + w
			c := cl.writerClient(region)
			ws.wg.Add(1)
			go func() {
				defer ws.wg.Done()
				rng := rand.New(rand.NewPCG(seed, uint64(id)))
				for i := 0; ctx.Err() == nil && !ws.stopped.Load(); i++ {
					key := "k" + strconv.Itoa(rng.IntN(nkeys))
					if unique && i%2 == 1 {
						key = fmt.Sprintf("u-%d-%d", id, i)
					}
					kind := opPut
					switch x := rng.Float64(); {
					case x < pDelete:
						kind = opDelete
					case x < pDelete+0.3:
						kind = opUpdate
					}
					value := fmt.Sprintf("%s/w%d/%d", region, id, i)
					if err := l.write(ctx, c, tbl, region, id, kind, key, value); err != nil && (stopOnError || ctx.Err() != nil) {
						return
					}
				}
			}()
		}
	}
	return ws
}

// waitAcked polls until at least n writes were acknowledged in region ("" for
// any region).
func waitAcked(t testing.TB, l *writeLog, region string, n int, timeout time.Duration) {
	t.Helper()
	eventually(t, timeout, func() error {
		got := l.acked()
		if region != "" {
			got = l.ackedIn(region)
		}
		if got < n {
			return fmt.Errorf("%d writes acknowledged in %q, waiting for %d", got, region, n)
		}
		return nil
	})
}

// --- tests ---

// TestMultiRegion runs the non-destructive checks on one shared
// three-region cluster.
func TestMultiRegion(t *testing.T) {
	t.Parallel()
	cl := startCluster(t, threeRegions, nil)
	t.Run("Replication", func(t *testing.T) {
		t.Parallel()
		testReplication(t, cl)
	})
	t.Run("DeleteTable", func(t *testing.T) {
		t.Parallel()
		testDeleteTableReplicates(t, cl)
	})
	t.Run("Conflicts", func(t *testing.T) {
		t.Parallel()
		testConflicts(t, cl)
	})
}

// testReplication: a table created in one region appears in the others;
// Put/Update/Delete and BatchWriteItem in every region converge, and every
// region reads every other region's writes.
func testReplication(t *testing.T, cl *cluster) {
	tbl := createKeyTable(t, cl, "eu-west-1")
	want := map[string]string{}
	ctx := testCtx(t)
	for _, r := range cl.names {
		c := cl.client(r)
		for i := range 10 {
			k := fmt.Sprintf("%s-%d", r, i)
			out, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item{"pk": s(k), "v": s("put-" + k)}})
			if err != nil {
				t.Fatalf("PutItem in %s: %v", r, err)
			}
			if _, err := versionOf(out.ResultMetadata); err != nil {
				t.Errorf("PutItem in %s: %v", r, err)
			}
			want[k] = "put-" + k
		}
		for i := range 3 {
			k := fmt.Sprintf("%s-%d", r, i)
			out, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item{"pk": s(k)},
				UpdateExpression: aws.String("SET v = :v"), ExpressionAttributeValues: item{":v": s("upd-" + k)}})
			if err != nil {
				t.Fatalf("UpdateItem in %s: %v", r, err)
			}
			if _, err := versionOf(out.ResultMetadata); err != nil {
				t.Errorf("UpdateItem in %s: %v", r, err)
			}
			want[k] = "upd-" + k
		}
		for i := 8; i < 10; i++ {
			k := fmt.Sprintf("%s-%d", r, i)
			out, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(tbl), Key: item{"pk": s(k)}})
			if err != nil {
				t.Fatalf("DeleteItem in %s: %v", r, err)
			}
			if _, err := versionOf(out.ResultMetadata); err != nil {
				t.Errorf("DeleteItem in %s: %v", r, err)
			}
			delete(want, k)
		}
		var reqs []types.WriteRequest
		for i := range 25 {
			k := fmt.Sprintf("%s-batch-%d", r, i)
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item{"pk": s(k), "v": s("batch-" + k)}}})
			want[k] = "batch-" + k
		}
		batchWrite(t, c, tbl, reqs)
		batchWrite(t, c, tbl, []types.WriteRequest{
			{DeleteRequest: &types.DeleteRequest{Key: item{"pk": s(r + "-batch-0")}}},
			{PutRequest: &types.PutRequest{Item: item{"pk": s(r + "-batch-1"), "v": s("batch2")}}},
		})
		delete(want, r+"-batch-0")
		want[r+"-batch-1"] = "batch2"
	}
	took := waitConverged(t, cl, []string{tbl}, 30*time.Second)
	t.Logf("converged %d items %v after the last write", len(want), took.Round(time.Millisecond))
	// GetItem in every other region returns the written value.
	for i, r := range cl.names {
		other := cl.names[(i+1)%len(cl.names)]
		for _, k := range []string{r + "-1", r + "-5", r + "-batch-1", r + "-batch-7"} {
			got := get(t, cl.client(other), tbl, item{"pk": s(k)})
			if got == nil || strOf(t, got["v"]) != want[k] {
				t.Errorf("GetItem %s in %s (written in %s) = %v, want v=%q", k, other, r, got, want[k])
			}
		}
		if got := get(t, cl.client(other), tbl, item{"pk": s(r + "-9")}); got != nil {
			t.Errorf("GetItem %s-9 in %s = %v, want deleted", r, other, got)
		}
	}
	wantValues(t, cl, tbl, want)
	sts, err := cl.statuses()
	if err != nil {
		t.Fatal(err)
	}
	for name, st := range sts {
		for _, ts := range st.Tables {
			if ts.Name == tbl && ts.ItemCount != int64(len(want)) {
				t.Errorf("%s /admin/status itemCount for %s = %d, want %d", name, tbl, ts.ItemCount, len(want))
			}
		}
	}

	// Each region updates an item written in the next region: a write that
	// follows a read of a remote value wins everywhere.
	for i, r := range cl.names {
		k := cl.names[(i+1)%len(cl.names)] + "-4"
		if _, err := cl.client(r).UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item{"pk": s(k)},
			UpdateExpression: aws.String("SET v = :v"), ExpressionAttributeValues: item{":v": s("cross-" + r)}}); err != nil {
			t.Fatalf("UpdateItem %s in %s: %v", k, r, err)
		}
		want[k] = "cross-" + r
	}
	waitConverged(t, cl, []string{tbl}, 30*time.Second)
	wantValues(t, cl, tbl, want)
}

func batchWrite(t testing.TB, c *dynamodb.Client, tbl string, reqs []types.WriteRequest) {
	t.Helper()
	m := map[string][]types.WriteRequest{tbl: reqs}
	for len(m) > 0 {
		out, err := c.BatchWriteItem(testCtx(t), &dynamodb.BatchWriteItemInput{RequestItems: m})
		if err != nil {
			t.Fatalf("BatchWriteItem: %v", err)
		}
		m = out.UnprocessedItems
	}
}

// testDeleteTableReplicates: a table created in one region and deleted in
// another disappears everywhere.
func testDeleteTableReplicates(t *testing.T, cl *cluster) {
	tbl := createKeyTable(t, cl, "ap-southeast-2")
	put(t, cl.client("ap-southeast-2"), tbl, item{"pk": s("x"), "v": s("1")})
	waitConverged(t, cl, []string{tbl}, 30*time.Second)
	if _, err := cl.client("us-east-1").DeleteTable(testCtx(t), &dynamodb.DeleteTableInput{TableName: aws.String(tbl)}); err != nil {
		t.Fatalf("DeleteTable in us-east-1: %v", err)
	}
	for _, r := range cl.names {
		c := cl.client(r)
		eventually(t, 30*time.Second, func() error {
			_, err := c.DescribeTable(context.Background(), &dynamodb.DescribeTableInput{TableName: aws.String(tbl)})
			if apiErrorCode(err) == "ResourceNotFoundException" {
				return nil
			}
			return fmt.Errorf("DescribeTable %s in %s after DeleteTable in us-east-1: %v", tbl, r, err)
		})
	}
}

// testConflicts: goroutines in all regions write conflicting values to a
// few keys; afterwards every region holds, for every key, the value of the
// highest acknowledged (hlc, region) version.
func testConflicts(t *testing.T, cl *cluster) {
	seed := testSeed(t)
	tbl := createKeyTable(t, cl, "us-east-1")
	l := newWriteLog()
	ctx, cancel := context.WithCancel(testCtx(t))
	defer cancel()
	ws := startWriters(ctx, cl, tbl, l, seed, cl.names, 4, 6, 0.1, false, false, 0)
	waitAcked(t, l, "", 3000, 60*time.Second)
	ws.stop()
	l.wantNoErrors(t, cl.names...)
	took, err := waitConvergedErr(cl, []string{tbl}, 30*time.Second)
	if err != nil {
		t.Error(err) // and go on: checkWinners says which keys differ
	}
	t.Logf("%d conflicting writes over 6 keys converged %v after the writers stopped", l.acked(), took.Round(time.Millisecond))
	checkWinners(t, cl, tbl, l, false)
}

// TestMultiRegionSIGKILL kills one region mid-traffic, restarts it on the
// same data directory and checks that no acknowledged write is missing
// anywhere.
func TestMultiRegionSIGKILL(t *testing.T) {
	t.Parallel()
	seed := testSeed(t)
	cl := startCluster(t, threeRegions, nil)
	tbl := createKeyTable(t, cl, "us-east-1")
	const victim = "ap-southeast-2"
	l := newWriteLog()
	ctx, cancel := context.WithCancel(testCtx(t))
	defer cancel()
	ws := startWriters(ctx, cl, tbl, l, seed, cl.names, 3, 60, 0.05, true, true, 0)
	waitAcked(t, l, victim, 200, 60*time.Second)
	cl.kill(victim)
	killedAt := l.acked()
	t.Logf("SIGKILLed %s after %d acknowledged writes (%d in %s)", victim, killedAt, l.ackedIn(victim), victim)
	// The survivors keep writing while the victim is down.
	waitAcked(t, l, "", killedAt+300, 60*time.Second)
	restartStart := time.Now()
	cl.restart(t, victim)
	t.Logf("%s restarted and re-linked in %v", victim, time.Since(restartStart).Round(time.Millisecond))
	// New writers in the restarted region.
	before := l.ackedIn(victim)
	ws2 := startWriters(ctx, cl, tbl, l, seed+1, []string{victim}, 3, 60, 0.05, true, true, 100)
	waitAcked(t, l, victim, before+150, 60*time.Second)
	ws.stop()
	ws2.stop()
	took, err := waitConvergedErr(cl, []string{tbl}, 30*time.Second)
	if err != nil {
		t.Error(err) // and go on: checkWinners says which keys differ
	}
	t.Logf("converged %v after the writers stopped; %d writes acknowledged, %d failed or in flight", took.Round(time.Millisecond), l.acked(), len(l.recs)-l.acked())
	l.wantNoErrors(t, "us-east-1", "eu-west-1")
	checkWinners(t, cl, tbl, l, true)
}

// TestMultiRegionPartition cuts every link of one region while all regions
// keep writing, heals, and requires convergence within 15 seconds.
func TestMultiRegionPartition(t *testing.T) {
	t.Parallel()
	seed := testSeed(t)
	cl := startCluster(t, threeRegions, nil)
	tbl := createKeyTable(t, cl, "us-east-1")
	const island = "eu-west-1"
	l := newWriteLog()
	ctx, cancel := context.WithCancel(testCtx(t))
	defer cancel()
	ws := startWriters(ctx, cl, tbl, l, seed, cl.names, 2, 40, 0.05, true, false, 0)
	waitAcked(t, l, "", 150, 60*time.Second)
	cl.cut(island)
	cutAt := map[string]int{}
	for _, r := range cl.names {
		cutAt[r] = l.ackedIn(r)
	}
	// The cut is visible in the replication status on both sides.
	eventually(t, 15*time.Second, func() error {
		sts, err := cl.statuses()
		if err != nil {
			return err
		}
		for _, r := range cl.names {
			for _, rs := range sts[r].Replication {
				if (r == island || rs.Source == island) && rs.Connected {
					return fmt.Errorf("%s still reports its link from %s connected", r, rs.Source)
				}
			}
		}
		return nil
	})
	// Every region keeps taking writes during the partition.
	for _, r := range cl.names {
		waitAcked(t, l, r, cutAt[r]+300, 60*time.Second)
	}
	if err := cl.converged([]string{tbl}); err == nil {
		t.Errorf("regions report equal digests while %s is cut off and every region writes", island)
	}
	cl.heal(island)
	healed := time.Now()
	ws.stop()
	stopped := time.Since(healed)
	took, err := waitConvergedErr(cl, []string{tbl}, 15*time.Second)
	if err != nil {
		t.Error(err) // and go on: checkWinners says which keys differ
	}
	t.Logf("converged %v after heal (writers stopped %v after heal)", (stopped + took).Round(time.Millisecond), stopped.Round(time.Millisecond))
	l.wantNoErrors(t, cl.names...)
	checkWinners(t, cl, tbl, l, false)
}

// TestMultiRegionClockSkew: a region whose clock is five minutes slow
// reads an item written elsewhere and overwrites it; its write wins
// everywhere, and the fast region's timestamps are counted as skewed.
func TestMultiRegionClockSkew(t *testing.T) {
	t.Parallel()
	const fast, slow = "us-east-1", "eu-west-1"
	cl := startCluster(t, []string{fast, slow}, map[string][]string{slow: {"--clock-offset", "-5m"}})
	tbl := createKeyTable(t, cl, fast)
	ctx := testCtx(t)
	out, err := cl.client(fast).PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item{"pk": s("k"), "v": s("from-" + fast)}})
	if err != nil {
		t.Fatal(err)
	}
	vFast, err := versionOf(out.ResultMetadata)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, func() error {
		got, err := cl.client(slow).GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: item{"pk": s("k")}, ConsistentRead: aws.Bool(true)})
		if err != nil {
			return err
		}
		if got.Item == nil {
			return errors.New("item not visible in " + slow)
		}
		return nil
	})
	out, err = cl.client(slow).PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item{"pk": s("k"), "v": s("from-" + slow)}})
	if err != nil {
		t.Fatal(err)
	}
	vSlow, err := versionOf(out.ResultMetadata)
	if err != nil {
		t.Fatal(err)
	}
	if !vFast.less(vSlow) {
		t.Errorf("%s's overwrite after reading got version %v, not above the read version %v", slow, vSlow, vFast)
	}
	waitConverged(t, cl, []string{tbl}, 30*time.Second)
	for _, r := range cl.names {
		got := get(t, cl.client(r), tbl, item{"pk": s("k")})
		if got == nil || strOf(t, got["v"]) != "from-"+slow {
			t.Errorf("%s holds %v, want v=from-%s (the later write)", r, got, slow)
		}
	}
	st, err := cl.region(slow).status()
	if err != nil {
		t.Fatal(err)
	}
	if rs := st.source(fast); rs == nil || rs.Skewed == 0 {
		t.Errorf("%s (clock 5m slow) counts no skewed timestamps from %s: %s", slow, fast, st.raw)
	}
}
