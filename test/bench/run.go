package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"
)

func run(ctx context.Context, args []string) error {
	cfg, err := parseFlags(args)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "concord-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	var targets []*target
	defer func() {
		for _, t := range targets {
			if t.stop != nil {
				if err := t.stop(); err != nil {
					fmt.Fprintf(os.Stderr, "bench: stop %s: %v\n", t.name, err)
				}
			}
		}
	}()
	for _, name := range cfg.targets {
		var t *target
		var err error
		switch name {
		case "concord":
			if cfg.concordEndpoint != "" {
				t = &target{name: "concord", endpoint: strings.TrimSuffix(cfg.concordEndpoint, "/")}
			} else {
				fmt.Fprintln(os.Stderr, "bench: building and starting concord")
				t, err = startConcord(ctx, tmp, cfg.concordArgs)
			}
		case "dynalite":
			fmt.Fprintln(os.Stderr, "bench: starting dynalite (npx --yes dynalite; the first run downloads it)")
			t, err = startDynalite(ctx, tmp)
		case "bare":
			t, err = startBare(ctx, tmp)
		}
		if err != nil {
			return fmt.Errorf("start %s: %w", name, err)
		}
		targets = append(targets, t)
	}

	maxConc := 1
	for _, c := range cfg.concurrency {
		maxConc = max(maxConc, c)
	}
	table := fmt.Sprintf("bench-%d", time.Now().UnixNano())
	ops := map[string]map[string]opFunc{}
	for _, t := range targets {
		c := newClient(t.endpoint, maxConc)
		if !t.bare {
			fmt.Fprintf(os.Stderr, "bench: %s: creating %s and preloading %d items\n", t.name, table, cfg.items)
			if err := setup(ctx, c, table, cfg); err != nil {
				return fmt.Errorf("%s setup: %w", t.name, err)
			}
		}
		ops[t.name] = map[string]opFunc{}
		for _, op := range operations {
			ops[t.name][op] = makeOp(c, table, op, cfg)
		}
	}
	var results []result
	for _, op := range cfg.ops {
		for _, conc := range cfg.concurrency {
			for _, t := range targets { // targets side by side, case by case
				if ctx.Err() != nil {
					return ctx.Err()
				}
				cpu0 := groupCPU(t.pgid)
				r := measure(ctx, ops[t.name][op], conc, cfg.duration)
				r.serverCPU = groupCPU(t.pgid) - cpu0
				r.target, r.op = t.name, op
				fmt.Fprintf(os.Stderr, "bench: %-8s %-10s c=%-3d %8.0f ops/s  p50 %-9s p99 %-9s server CPU %-7s/op errors %d\n",
					t.name, op, conc, r.opsPerSec(), fmtDur(r.p50), fmtDur(r.p99), fmtDur(r.cpuPerOp()), r.errors)
				results = append(results, r)
			}
		}
	}
	printReport(os.Stdout, results, cfg.targets, cfg.concurrency, cfg.duration)
	return nil
}
