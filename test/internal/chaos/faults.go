package chaos

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// Fault kinds.
const (
	// FaultKill SIGKILLs a region and starts it again after For.
	FaultKill = "kill"
	// FaultCut cuts one link, Region reading Source's stream, for For.
	FaultCut = "cut"
	// FaultIsolate cuts every link into and out of Region for For.
	FaultIsolate = "isolate"
	// FaultSkew stops Region (SIGTERM) and starts it with its wall clock
	// shifted by Offset (--clock-offset); after For it restarts it
	// without.
	FaultSkew = "skew"
)

// FaultKinds are every fault kind, in the order reports list them.
var FaultKinds = []string{FaultKill, FaultCut, FaultIsolate, FaultSkew}

// faultWeights are the kinds' relative frequencies.
var faultWeights = map[string]int{FaultKill: 3, FaultCut: 2, FaultIsolate: 2, FaultSkew: 2}

// skewOffsets are the clock offsets FaultSkew picks from; the nodes'
// --max-clock-offset is its default, 500ms.
var skewOffsets = []time.Duration{-3 * time.Second, -1500 * time.Millisecond, -700 * time.Millisecond,
	700 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second}

// Fault is one scheduled fault.
type Fault struct {
	// At is when it starts, after the traffic starts; For how long it
	// lasts (0: until the traffic stops). Every fault in force when the
	// traffic stops is healed then.
	At, For time.Duration
	Kind    string
	// Region is the region it strikes (for a cut, the reading one).
	Region string
	// Source is a cut link's source region.
	Source string
	// Offset is a skew's clock offset.
	Offset time.Duration
}

func (f Fault) String() string {
	at := fmt.Sprintf("%6.1fs  ", f.At.Seconds())
	dur := "for " + f.For.String()
	if f.For == 0 {
		dur = "until the traffic stops"
	}
	switch f.Kind {
	case FaultKill:
		return at + fmt.Sprintf("kill %s, restart after %v", f.Region, f.For)
	case FaultCut:
		return at + fmt.Sprintf("cut %s <- %s %s", f.Region, f.Source, dur)
	case FaultIsolate:
		return at + fmt.Sprintf("isolate %s %s", f.Region, dur)
	case FaultSkew:
		return at + fmt.Sprintf("restart %s with clock offset %v %s", f.Region, f.Offset, dur)
	}
	return at + f.Kind
}

// until is when f ends, after the traffic starts.
func (f Fault) until() time.Duration {
	if f.For == 0 {
		return 24 * time.Hour * 365 // in effect, never
	}
	return f.At + f.For
}

// process reports whether the fault stops a region's process.
func (f Fault) process() bool { return f.Kind == FaultKill || f.Kind == FaultSkew }

// restartMargin is how long a process fault is taken to last beyond For
// (the restart), when faults are kept apart.
const restartMargin = 3 * time.Second

// Schedule returns the faults of a run of duration d over regions, drawn
// from seed: of the given kinds, at most maxFaults at any time, at most
// one stopping a process, each over before d. The same arguments give
// the same schedule.
func Schedule(seed uint64, regions []string, d time.Duration, kinds []string, maxFaults int) []Fault {
	rng := rand.New(rand.NewPCG(seed, 0xfa017))
	total := 0
	for _, k := range kinds {
		total += faultWeights[k]
	}
	if total == 0 || maxFaults < 1 {
		return nil
	}
	out := finalCut(rng, regions, d, kinds)
	t := 3 * time.Second // warm up: the regions take writes first
	for {
		t += time.Second + time.Duration(rng.IntN(3000))*time.Millisecond
		if t >= d-2*time.Second {
			slices.SortStableFunc(out, func(a, b Fault) int { return int(a.At - b.At) })
			return out
		}
		// Draw everything every time, so one fault's draws do not depend
		// on the kind of the one before.
		w := rng.IntN(total)
		var kind string
		for _, k := range kinds {
			if w < faultWeights[k] {
				kind = k
				break
			}
			w -= faultWeights[k]
		}
		i := rng.IntN(len(regions))
		j := (i + 1 + rng.IntN(len(regions)-1)) % len(regions)
		f := Fault{At: t, Kind: kind, Region: regions[i]}
		switch kind {
		case FaultKill:
			f.For = time.Second + time.Duration(rng.IntN(4000))*time.Millisecond
		case FaultCut:
			f.Source = regions[j]
			f.For = 2*time.Second + time.Duration(rng.IntN(8000))*time.Millisecond
		case FaultIsolate:
			f.For = 2*time.Second + time.Duration(rng.IntN(6000))*time.Millisecond
		case FaultSkew:
			f.Offset = skewOffsets[rng.IntN(len(skewOffsets))]
			f.For = 4*time.Second + time.Duration(rng.IntN(8000))*time.Millisecond
		}
		if admissible(f, out, maxFaults) {
			out = append(out, f)
		}
	}
}

// finalCut returns, if the kinds allow it, a cut or an isolation in
// force when the traffic stops, so that the regions have a backlog to
// converge from after the last heal.
func finalCut(rng *rand.Rand, regions []string, d time.Duration, kinds []string) []Fault {
	i := rng.IntN(len(regions))
	j := (i + 1 + rng.IntN(len(regions)-1)) % len(regions)
	f := Fault{At: d - min(10*time.Second, d/4), Kind: FaultIsolate, Region: regions[i]} // For 0: until the traffic stops
	if rng.IntN(2) == 0 || !slices.Contains(kinds, FaultIsolate) {
		f.Kind, f.Source = FaultCut, regions[j]
	}
	if !slices.Contains(kinds, f.Kind) {
		return nil
	}
	return []Fault{f}
}

// admissible reports whether f can join sched: fewer than maxFaults
// overlap it, and no other process fault does if it is one.
func admissible(f Fault, sched []Fault, maxFaults int) bool {
	end := func(f Fault) time.Duration {
		if f.process() {
			return f.until() + restartMargin
		}
		return f.until()
	}
	n := 0
	for _, g := range sched {
		if g.At >= end(f) || f.At >= end(g) {
			continue
		}
		n++
		if f.process() && g.process() {
			return false
		}
	}
	return n < maxFaults
}

// faultRunner applies a schedule to a cluster. When the traffic stops
// (end), a fault not started yet is dropped and one in force is healed
// at once.
type faultRunner struct {
	c     *cluster
	start time.Time
	end   chan struct{}
	// procMu is held by a process fault from its stop to the end of its
	// restart: one at a time, even when restarts run late.
	procMu sync.Mutex

	mu struct {
		sync.Mutex // protects counts
		counts     map[string]int
	}
}

func newFaultRunner(c *cluster, start time.Time) *faultRunner {
	fr := &faultRunner{c: c, start: start, end: make(chan struct{})}
	fr.mu.counts = map[string]int{}
	return fr
}

// run applies each fault at its time, in its own goroutine, until stop
// is called.
func (fr *faultRunner) run(ctx context.Context, sched []Fault, wg *sync.WaitGroup) {
	for _, f := range sched {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if sleepUntil(ctx, fr.end, fr.start.Add(f.At)) {
				fr.apply(ctx, f)
			}
		}()
	}
}

// stop makes the faults in force heal now and drops those to come.
func (fr *faultRunner) stop() { close(fr.end) }

// counts returns how many faults of each kind were applied.
func (fr *faultRunner) counts() map[string]int {
	fr.mu.Lock()
	defer fr.mu.Unlock()
	return maps.Clone(fr.mu.counts)
}

func (fr *faultRunner) apply(ctx context.Context, f Fault) {
	c := fr.c
	r := c.regions[f.Region]
	fr.mu.Lock()
	fr.mu.counts[f.Kind]++
	fr.mu.Unlock()
	c.logf("%6.1fs fault: %s", time.Since(fr.start).Seconds(), f)
	switch f.Kind {
	case FaultKill:
		fr.procMu.Lock()
		defer fr.procMu.Unlock()
		c.kill(r)
		sleepUntil(ctx, fr.end, fr.start.Add(f.until()))
		fr.restart(ctx, r, 0)
	case FaultSkew:
		fr.procMu.Lock()
		defer fr.procMu.Unlock()
		c.stop(r)
		fr.restart(ctx, r, f.Offset)
		sleepUntil(ctx, fr.end, fr.start.Add(f.until()))
		c.stop(r)
		fr.restart(ctx, r, 0)
	case FaultCut, FaultIsolate:
		var ps []*proxy
		for l, p := range c.proxies {
			if f.Kind == FaultCut && l == (link{f.Region, f.Source}) ||
				f.Kind == FaultIsolate && (l.consumer == f.Region || l.source == f.Region) {
				ps = append(ps, p)
			}
		}
		for _, p := range ps {
			p.cut()
		}
		sleepUntil(ctx, fr.end, fr.start.Add(f.until()))
		for _, p := range ps {
			p.heal()
		}
	}
	c.logf("%6.1fs healed: %s", time.Since(fr.start).Seconds(), f)
}

// restart starts r again; a failure is an anomaly (the final heal tries
// again).
func (fr *faultRunner) restart(ctx context.Context, r *regionNode, offset time.Duration) {
	if err := fr.c.startRegion(ctx, r, offset); err != nil && ctx.Err() == nil {
		fr.c.an.add("restart of %s failed: %v", r.name, err)
	}
}

// healAll heals every link and starts every region that is down.
func (fr *faultRunner) healAll(ctx context.Context) error {
	for _, p := range fr.c.proxies {
		p.healAll()
	}
	var errs []error
	for _, name := range fr.c.names {
		r := fr.c.regions[name]
		if r.isUp() {
			continue
		}
		if err := fr.c.startRegion(ctx, r, 0); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("chaos: heal: %v", errs)
	}
	return nil
}

// sortedKinds returns the keys of m in FaultKinds order.
func sortedKinds(m map[string]int) []string {
	var ks []string
	for _, k := range FaultKinds {
		if m[k] > 0 {
			ks = append(ks, k)
		}
	}
	for k := range m {
		if !slices.Contains(ks, k) && m[k] > 0 {
			ks = append(ks, k)
		}
	}
	return ks
}
