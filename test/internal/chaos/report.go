package chaos

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// Report is what a run did and found.
type Report struct {
	Seed     uint64
	Regions  []string
	Duration time.Duration
	Clients  int
	Rate     float64
	Dir      string
	// Schedule is the faults drawn from the seed.
	Schedule []Fault
	// Ops counts operations by kind; Errors counts the rejected and
	// failed ones by "<kind> <error>".
	Ops    map[string]OpCount
	Errors map[string]int
	// Faults counts the faults applied, by kind.
	Faults map[string]int
	// Healed is when, after the traffic started, every link was healed
	// and every region running again.
	Healed time.Duration
	// Converged is how long after Healed every region had the same data
	// and definitions with nothing in flight; -1 if it never did.
	Converged time.Duration
	// Oracle sums up the check of the main table's items.
	Oracle OracleSummary
	// Links are each region's replication counters at the end (since its
	// last start).
	Links map[string]LinkTotals
	// Anomalies are everything that must not happen; a run is good
	// when there are none.
	Anomalies []string
	// Statuses are every region's /admin/status, when the run did not
	// converge.
	Statuses string
}

// OracleSummary sums up the check of the main table.
type OracleSummary struct {
	// Keys were written; Exact of them had one possible final value,
	// Ambiguous several (writes without versions or of unknown outcome
	// that nothing orders).
	Keys, Exact, Ambiguous int
	// Acked writes were acknowledged, WithVersion of them with a version
	// (PutItem, UpdateItem, DeleteItem); Unknown got no answer; Refused
	// were refused.
	Acked, WithVersion, Unknown, Refused int
	// UnknownWins are the (region, key) pairs holding a write of unknown
	// outcome, as they may.
	UnknownWins int
}

// LinkTotals are one region's replication counters, summed over its
// links.
type LinkTotals struct {
	Applied, Discarded, Skipped, Skewed, Errors uint64
}

// snapshot copies the tallies.
func (s *opStats) snapshot() (map[string]OpCount, map[string]int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ops := map[string]OpCount{}
	for k, c := range s.counts {
		ops[k] = *c
	}
	return ops, maps.Clone(s.errors)
}

// OK reports whether the run found no anomaly.
func (r *Report) OK() bool { return len(r.Anomalies) == 0 }

// Write prints the report.
func (r *Report) Write(w io.Writer) {
	fmt.Fprintf(w, "chaos run: seed %d, regions %s, %v of traffic (%d clients per region, %.0f ops/s on %s) under faults\n",
		r.Seed, strings.Join(r.Regions, ","), r.Duration, r.Clients, r.Rate, mainTable)
	fmt.Fprintf(w, "(the seed fixes the schedule of faults and each client's operations; their timing, and so their interleaving, varies run to run)\n")
	fmt.Fprintf(w, "\noperations           ok  rejected    failed\n")
	var total OpCount
	for _, k := range slices.Sorted(maps.Keys(r.Ops)) {
		c := r.Ops[k]
		fmt.Fprintf(w, "  %-18s %6d %9d %9d\n", k, c.OK, c.Rejected, c.Failed)
		total.OK += c.OK
		total.Rejected += c.Rejected
		total.Failed += c.Failed
	}
	fmt.Fprintf(w, "  %-18s %6d %9d %9d\n", "total", total.OK, total.Rejected, total.Failed)
	if len(r.Errors) > 0 {
		fmt.Fprintf(w, "errors (rejected: nothing written; failed: outcome unknown):\n")
		for _, k := range slices.Sorted(maps.Keys(r.Errors)) {
			fmt.Fprintf(w, "  %-50s %6d\n", k, r.Errors[k])
		}
	}
	var fs []string
	for _, k := range sortedKinds(r.Faults) {
		fs = append(fs, fmt.Sprintf("%s %d", k, r.Faults[k]))
	}
	if len(fs) == 0 {
		fs = []string{"none"}
	}
	fmt.Fprintf(w, "\nfaults: %s\n", strings.Join(fs, ", "))
	for _, f := range r.Schedule {
		fmt.Fprintf(w, "  %s\n", f)
	}
	fmt.Fprintf(w, "\nhealed %.1fs after the traffic started; ", r.Healed.Seconds())
	if r.Converged < 0 {
		fmt.Fprintf(w, "NOT converged\n")
	} else {
		fmt.Fprintf(w, "converged %v after the last heal\n", r.Converged.Round(time.Millisecond))
	}
	o := r.Oracle
	fmt.Fprintf(w, "main table: %d keys checked in every region (%d with one possible value, %d with several); %d writes acknowledged (%d with versions), %d of unknown outcome, %d refused; %d region-keys hold a write of unknown outcome\n",
		o.Keys, o.Exact, o.Ambiguous, o.Acked, o.WithVersion, o.Unknown, o.Refused, o.UnknownWins)
	if len(r.Links) > 0 {
		fmt.Fprintf(w, "replication since each region's last start (applied/discarded/skipped/skewed/errors):")
		for _, name := range r.Regions {
			t := r.Links[name]
			fmt.Fprintf(w, " %s %d/%d/%d/%d/%d", name, t.Applied, t.Discarded, t.Skipped, t.Skewed, t.Errors)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\nanomalies: %d\n", len(r.Anomalies))
	for _, a := range r.Anomalies {
		fmt.Fprintf(w, "  - %s\n", a)
	}
	if r.Statuses != "" {
		fmt.Fprintf(w, "\nstatuses:\n%s", r.Statuses)
	}
	if !r.OK() {
		fmt.Fprintf(w, "\nregion logs and data: %s\n", r.Dir)
	}
}
