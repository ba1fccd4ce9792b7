package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/concorddb/concord/test/internal/launch"
)

func main() {
	if os.Getenv(bareEnv) != "" { // the bare target's child process (targets.go)
		if err := serveBare(); err != nil {
			fmt.Fprintln(os.Stderr, "bench: bare server:", err)
			os.Exit(1)
		}
		return
	}
	// SIGINT and SIGTERM cancel ctx and stop the servers at once; every
	// exit path below stops them too (launch.StopAll, launch.Exit).
	ctx, stop := launch.SignalContext(context.Background())
	defer stop()
	defer launch.StopAll()
	// BENCH_CPUPROFILE=FILE profiles this program (the clients), to see
	// what the load generator itself costs on a shared machine.
	if path := os.Getenv("BENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	// The clients share the machine with the servers they measure: collect
	// garbage less often than Go's default (GOGC=100) so the load
	// generator takes less of the CPU. An explicit GOGC wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	run := run
	if replicationMode(os.Args[1:]) {
		run = runReplication // -mode replication: see replication.go
	}
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		pprof.StopCPUProfile()
		launch.Exit(1)
	}
}

// config is the parsed command line.
type config struct {
	duration        time.Duration
	concurrency     []int
	targets         []string
	ops             []string
	concordEndpoint string
	concordArgs     []string
	items           int
	itemSize        int
}

func parseFlags(args []string) (*config, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	cfg := &config{}
	fs.String("mode", "latency", "latency (this program's default) or replication (see replication.go)")
	dur := fs.Duration("duration", 5*time.Second, "duration of each operation/concurrency/target case")
	conc := fs.String("concurrency", "1,32", "comma-separated concurrency levels")
	targets := fs.String("targets", "concord,dynalite,bare", "comma-separated targets: concord, dynalite, bare")
	ops := fs.String("ops", strings.Join(operations, ","), "comma-separated operations to measure")
	fs.StringVar(&cfg.concordEndpoint, "concord-endpoint", "", "use a running Concord node at this URL instead of starting one")
	cargs := fs.String("concord-args", "", "extra flags for `concord serve`, space-separated (e.g. \"--pprof\")")
	fs.IntVar(&cfg.items, "items", 1000, "items preloaded for GetItem/Query/UpdateItem")
	fs.IntVar(&cfg.itemSize, "item-size", 1024, "approximate item size in bytes")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	cfg.duration = *dur
	for _, f := range strings.Split(*conc, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad -concurrency %q", *conc)
		}
		cfg.concurrency = append(cfg.concurrency, n)
	}
	for _, t := range strings.Split(*targets, ",") {
		t = strings.TrimSpace(t)
		switch t {
		case "concord", "dynalite", "bare":
			cfg.targets = append(cfg.targets, t)
		case "":
		default:
			return nil, fmt.Errorf("unknown target %q", t)
		}
	}
	for _, op := range strings.Split(*ops, ",") {
		op = strings.TrimSpace(op)
		if op == "" {
			continue
		}
		if !contains(operations, op) {
			return nil, fmt.Errorf("unknown operation %q (want some of %s)", op, strings.Join(operations, ","))
		}
		cfg.ops = append(cfg.ops, op)
	}
	cfg.concordArgs = strings.Fields(*cargs)
	if cfg.items < 10 {
		cfg.items = 10
	}
	return cfg, nil
}
