package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/concorddb/concord/test/internal/chaos"
	"github.com/concorddb/concord/test/internal/launch"
)

func main() {
	// SIGINT and SIGTERM cancel ctx and stop the regions at once; every
	// exit path stops them too.
	ctx, cancel := launch.SignalContext(context.Background())
	defer cancel()
	defer launch.StopAll()
	code, err := run(ctx, os.Args[1:])
	if err != nil {
		msg := err.Error()
		if !strings.HasPrefix(msg, "chaos: ") {
			msg = "chaos: " + msg
		}
		fmt.Fprintln(os.Stderr, msg)
	}
	launch.Exit(code)
}

// run parses args, runs the chaos run and prints its report; it returns
// the exit code: 0 for a good run, 1 for anomalies or a run that could
// not be made, 2 for a bad command line.
func run(ctx context.Context, args []string) (int, error) {
	fs := flag.NewFlagSet("chaos", flag.ContinueOnError)
	seed := fs.Uint64("seed", 0, "seed of the schedule of faults and operations (default: drawn, and printed)")
	cfg := chaos.Config{}
	fs.DurationVar(&cfg.Duration, "duration", chaos.DefaultDuration, "how long clients write while faults strike")
	fs.IntVar(&cfg.Regions, "regions", chaos.DefaultRegions, "number of regions (2 to 8)")
	fs.IntVar(&cfg.Clients, "clients", chaos.DefaultClients, "clients writing to the main table in each region")
	fs.Float64Var(&cfg.Rate, "rate", chaos.DefaultRate, "operations per second on the main table, all clients together")
	faults := fs.String("faults", strings.Join(chaos.FaultKinds, ","), "fault kinds to schedule, comma-separated (\"\" for none)")
	fs.IntVar(&cfg.MaxFaults, "max-faults", chaos.DefaultMaxFaults, "faults in force at once, at most")
	fs.DurationVar(&cfg.ConvergeTimeout, "converge-timeout", chaos.DefaultConvergeTimeout, "how long to wait for convergence after the last heal")
	oneCreator := fs.Bool("one-creator", false, "create each DDL table in one region only, never in two concurrently")
	dir := fs.String("dir", "", "directory for the regions' data and logs, kept (default: a temporary one, kept only after anomalies)")
	bin := fs.String("bin", "", "concord binary to run (default: go build ./cmd/concord)")
	verbose := fs.Bool("v", false, "print progress (faults, heals, anomalies) on stderr as it happens")
	if err := fs.Parse(args); err != nil {
		return 2, nil
	}
	if fs.NArg() > 0 {
		return 2, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	cfg.Seed = *seed
	cfg.OneCreator = *oneCreator
	if cfg.Seed == 0 {
		cfg.Seed = uint64(time.Now().UnixNano())
	}
	cfg.Faults = []string{}
	for _, k := range strings.Split(*faults, ",") {
		if k = strings.TrimSpace(k); k != "" {
			cfg.Faults = append(cfg.Faults, k)
		}
	}
	start := time.Now()
	if *verbose {
		cfg.Logf = func(format string, args ...any) {
			fmt.Fprintf(os.Stderr, "%8.1fs "+format+"\n", append([]any{time.Since(start).Seconds()}, args...)...)
		}
	}
	keep := *dir != ""
	if !keep {
		tmp, err := os.MkdirTemp("", "concord-chaos-")
		if err != nil {
			return 1, err
		}
		*dir = tmp
	}
	cfg.Dir = *dir
	cfg.Bin = *bin
	if cfg.Bin == "" {
		fmt.Fprintln(os.Stderr, "chaos: building ./cmd/concord")
		b, err := launch.Build(ctx, cfg.Dir)
		if err != nil {
			return 1, err
		}
		cfg.Bin = b
	}
	fmt.Fprintf(os.Stderr, "chaos: seed %d, %d regions, %v; data and logs in %s\n", cfg.Seed, cfg.Regions, cfg.Duration, cfg.Dir)
	rep, err := chaos.Run(ctx, cfg)
	if err != nil {
		return 1, fmt.Errorf("%v (seed %d; logs in %s)", err, cfg.Seed, cfg.Dir)
	}
	rep.Write(os.Stdout)
	if !rep.OK() {
		fmt.Printf("FAIL: %d anomalies; replay the schedule with -seed %d\n", len(rep.Anomalies), cfg.Seed)
		return 1, nil
	}
	fmt.Printf("OK (%v in all)\n", time.Since(start).Round(time.Second))
	if !keep {
		os.RemoveAll(cfg.Dir)
	}
	return 0, nil
}
