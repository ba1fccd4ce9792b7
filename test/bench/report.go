package main

import (
	"fmt"
	"io"
	"time"
)

// printReport writes the results and the ratio tables as markdown.
func printReport(w io.Writer, results []result, targets []string, concs []int, d time.Duration) {
	fmt.Fprintf(w, "\n### Results (%v per case, 1 KB items, aws-sdk-go-v2)\n\n", d)
	fmt.Fprintln(w, "| operation | concurrency | target | ops/s | p50 | p99 | server CPU/op | errors |")
	fmt.Fprintln(w, "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
	by := map[[3]string]result{}
	for _, r := range results {
		fmt.Fprintf(w, "| %s | %d | %s | %.0f | %s | %s | %s | %d |\n", r.op, r.conc, r.target, r.opsPerSec(), fmtDur(r.p50), fmtDur(r.p99), fmtDur(r.cpuPerOp()), r.errors)
		by[[3]string{r.op, fmt.Sprint(r.conc), r.target}] = r
	}
	for _, other := range []string{"dynalite", "bare"} {
		if !contains(targets, "concord") || !contains(targets, other) {
			continue
		}
		fmt.Fprintf(w, "\n### concord / %s\n\n", other)
		fmt.Fprintln(w, "| operation | concurrency | ops/s ratio | p50 ratio | p99 ratio | server CPU/op ratio |")
		fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: |")
		for _, op := range operations {
			for _, c := range concs {
				a, ok1 := by[[3]string{op, fmt.Sprint(c), "concord"}]
				b, ok2 := by[[3]string{op, fmt.Sprint(c), other}]
				if !ok1 || !ok2 {
					continue
				}
				fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s |\n", op, c,
					ratio(a.opsPerSec(), b.opsPerSec()), ratio(float64(a.p50), float64(b.p50)), ratio(float64(a.p99), float64(b.p99)),
					ratio(float64(a.cpuPerOp()), float64(b.cpuPerOp())))
			}
		}
	}
	for _, r := range results {
		if r.firstErr != nil {
			fmt.Fprintf(w, "\nfirst error, %s %s c=%d: %v\n", r.target, r.op, r.conc, r.firstErr)
		}
	}
}

func ratio(a, b float64) string {
	if b == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", a/b)
}

func fmtDur(d time.Duration) string {
	switch {
	case d == 0:
		return "-"
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	default:
		return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}
