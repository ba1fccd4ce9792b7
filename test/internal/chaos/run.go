package chaos

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Defaults of Config.
const (
	DefaultDuration        = 60 * time.Second
	DefaultRegions         = 3
	DefaultClients         = 4
	DefaultRate            = 200
	DefaultMaxFaults       = 2
	DefaultConvergeTimeout = 2 * time.Minute
)

// Config says what a run does. The zero value, but for Bin and Dir,
// works.
type Config struct {
	// Bin is the concord binary (launch.Build makes one). Required.
	Bin string
	// Dir holds the regions' data directories and logs. Required.
	Dir string
	// Seed draws the schedule of faults and every client's operations.
	Seed uint64
	// Duration is how long clients write while faults strike. Default
	// DefaultDuration.
	Duration time.Duration
	// Regions is how many regions run (2 to 8). Default DefaultRegions.
	Regions int
	// Clients is how many clients write to the main table in each
	// region. Default DefaultClients.
	Clients int
	// Rate is the main table's operations per second, all clients
	// together. Default DefaultRate.
	Rate float64
	// Faults are the fault kinds to schedule (FaultKinds). Default, nil:
	// all; empty but not nil: none.
	Faults []string
	// MaxFaults bounds the faults in force at once. Default
	// DefaultMaxFaults.
	MaxFaults int
	// OneCreator sends every CreateTable of a DDL table to one region,
	// so that no two regions ever create one name concurrently (by
	// default some steps create a table in two regions at once, and a
	// CreateTable in a region cut off from another that created the name
	// is concurrent too).
	OneCreator bool
	// ConvergeTimeout bounds the wait for convergence after the last
	// heal. Default DefaultConvergeTimeout.
	ConvergeTimeout time.Duration
	// Logf, if set, gets progress lines (faults, heals, convergence) and
	// every anomaly as it is found.
	Logf func(format string, args ...any)
}

func (c *Config) ensureDefaults() {
	if c.Duration <= 0 {
		c.Duration = DefaultDuration
	}
	if c.Regions == 0 {
		c.Regions = DefaultRegions
	}
	if c.Clients <= 0 {
		c.Clients = DefaultClients
	}
	if c.Rate <= 0 {
		c.Rate = DefaultRate
	}
	if c.Faults == nil {
		c.Faults = FaultKinds
	}
	if c.MaxFaults <= 0 {
		c.MaxFaults = DefaultMaxFaults
	}
	if c.ConvergeTimeout <= 0 {
		c.ConvergeTimeout = DefaultConvergeTimeout
	}
	if c.Logf == nil {
		c.Logf = func(string, ...any) {}
	}
}

func (c *Config) validate() error {
	var errs []error
	if c.Bin == "" {
		errs = append(errs, errors.New("chaos: Config.Bin is required"))
	}
	if c.Dir == "" {
		errs = append(errs, errors.New("chaos: Config.Dir is required"))
	}
	for _, k := range c.Faults {
		if !slices.Contains(FaultKinds, k) {
			errs = append(errs, fmt.Errorf("chaos: unknown fault kind %q (want some of %v)", k, FaultKinds))
		}
	}
	return errors.Join(errs...)
}

// Run starts cfg.Regions linked `concord serve` processes, creates the
// main table, drives clients and DDL in every region for cfg.Duration
// while the faults of Schedule strike, heals everything, waits for
// convergence and checks the result. It returns an error only when the
// run could not be made (a region that does not start, ctx cancelled);
// what the run found, anomalies included, is in the Report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	cfg.ensureDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, err
	}
	an := &anomalies{logf: cfg.Logf}
	c, err := newCluster(cfg.Bin, cfg.Dir, cfg.Regions, an, cfg.Logf)
	if err != nil {
		return nil, err
	}
	closed := false
	defer func() {
		if !closed {
			c.close()
		}
	}()
	rep := &Report{Seed: cfg.Seed, Regions: c.names, Duration: cfg.Duration, Clients: cfg.Clients, Rate: cfg.Rate, Dir: cfg.Dir}
	t0 := time.Now()
	if err := c.start(ctx); err != nil {
		return nil, err
	}
	if err := createMain(ctx, c); err != nil {
		return nil, err
	}
	cfg.Logf("%d regions started and the main table created in %v", len(c.names), time.Since(t0).Round(time.Millisecond))
	rep.Schedule = Schedule(cfg.Seed, c.names, cfg.Duration, cfg.Faults, cfg.MaxFaults)

	// Traffic and faults.
	start := time.Now()
	stop := make(chan struct{})
	var traffic, faulting sync.WaitGroup
	log := &writeLog{}
	stats := newOpStats()
	wl := &workload{c: c, log: log, stats: stats, seed: cfg.Seed,
		interval: time.Duration(float64(time.Second) * float64(cfg.Clients*len(c.names)) / cfg.Rate)}
	wl.run(ctx, stop, cfg.Clients, &traffic)
	(&ddl{c: c, stats: stats, seed: cfg.Seed, oneCreator: cfg.OneCreator}).run(ctx, stop, &traffic)
	fr := newFaultRunner(c, start)
	fr.run(ctx, rep.Schedule, &faulting)
	traffic.Add(1)
	go func() {
		defer traffic.Done()
		c.watchLinks(ctx, stop)
	}()
	sleepUntil(ctx, nil, start.Add(cfg.Duration))
	close(stop)
	fr.stop()
	traffic.Wait()
	faulting.Wait()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	cfg.Logf("%6.1fs traffic stopped; healing", time.Since(start).Seconds())

	// Heal, converge, check.
	if err := fr.healAll(ctx); err != nil {
		return nil, err
	}
	healed := time.Now()
	rep.Healed = healed.Sub(start)
	at, err := c.waitConverged(ctx, healed.Add(cfg.ConvergeTimeout))
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var parked *parkedError
	switch {
	case errors.As(err, &parked):
		an.add("%v", err)
		rep.Converged = at.Sub(healed)
		rep.Statuses = c.dumpStatuses(ctx)
	case err != nil:
		an.add("not converged %v after the last heal:\n  %v", cfg.ConvergeTimeout, err)
		rep.Statuses = c.dumpStatuses(ctx)
		rep.Converged = -1
	default:
		rep.Converged = at.Sub(healed)
		cfg.Logf("converged %v after the last heal", rep.Converged.Round(time.Millisecond))
	}
	rep.Ops, rep.Errors = stats.snapshot()
	rep.Faults = fr.counts()
	checkItems(ctx, c, log, rep, an)
	rep.Links = linkTotals(ctx, c)
	closed = true
	c.close() // an unclean stop is an anomaly
	rep.Anomalies = an.all()
	return rep, nil
}

// createMain creates the main table in the first region and waits until
// every region has it ACTIVE.
func createMain(ctx context.Context, c *cluster) error {
	s, _ := c.regions[c.names[0]].current()
	if _, err := s.client.CreateTable(ctx, mainTableInput()); err != nil {
		return fmt.Errorf("chaos: create %s: %w", mainTable, err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for _, name := range c.names {
		s, _ := c.regions[name].current()
		for {
			out, err := s.reader.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(mainTable)})
			if err == nil && out.Table.TableStatus == types.TableStatusActive {
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("chaos: %s has no ACTIVE %s 30s after its creation: %v", name, mainTable, err)
			}
			if !sleepUntil(ctx, nil, time.Now().Add(100*time.Millisecond)) {
				return ctx.Err()
			}
		}
	}
	return nil
}

// checkItems scans the main table in every region and judges it: each
// key against the write log, the index against the items, the item
// count of /admin/status against the scan.
func checkItems(ctx context.Context, c *cluster, log *writeLog, rep *Report, an *anomalies) {
	items := map[string]regionItems{}
	var scanned []string // the regions judged
	for _, name := range c.names {
		s, up := c.regions[name].current()
		if !up {
			an.add("%s is down at the final check", name)
			continue
		}
		sc, err := scanMain(ctx, s.reader)
		for attempt := 1; err != nil && attempt < 3 && ctx.Err() == nil; attempt++ {
			sc, err = scanMain(ctx, s.reader)
		}
		if err != nil {
			an.add("%s: final scan (3 attempts): %v", name, err)
			continue
		}
		items[name] = sc.items
		scanned = append(scanned, name)
		for _, p := range sc.indexProblems(name) {
			an.add("%s", p)
		}
		if st, err := getStatus(ctx, s.url); err == nil {
			for _, ts := range st.Tables {
				if ts.Name == mainTable && ts.ItemCount != int64(len(sc.items)) {
					an.add("%s: /admin/status counts %d items in %s, a scan finds %d", name, ts.ItemCount, mainTable, len(sc.items))
				}
			}
		}
	}
	res := log.check(scanned, items)
	rep.Oracle = OracleSummary{Keys: res.keys, Exact: res.exact, Ambiguous: res.ambiguous, Acked: res.acked,
		WithVersion: res.withVersion, Unknown: res.unknown, Refused: res.refused, UnknownWins: res.unknownWins}
	const maxListed = 40
	for i, p := range res.problems {
		if i == maxListed {
			an.add("... and %d more oracle violations", len(res.problems)-maxListed)
			break
		}
		an.add("%s", p)
	}
}

// linkTotals sums, per region, its links' counters from /admin/status.
func linkTotals(ctx context.Context, c *cluster) map[string]LinkTotals {
	out := map[string]LinkTotals{}
	for _, name := range c.names {
		s, up := c.regions[name].current()
		if !up {
			continue
		}
		st, err := getStatus(ctx, s.url)
		if err != nil {
			continue
		}
		var t LinkTotals
		for _, rs := range st.Replication {
			t.Applied += rs.Applied
			t.Discarded += rs.Discarded
			t.Skipped += rs.Skipped
			t.Skewed += rs.Skewed
			t.Errors += rs.Errors
		}
		out[name] = t
	}
	return out
}
