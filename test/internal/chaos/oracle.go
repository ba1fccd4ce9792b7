package chaos

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// outcome is what a client learned of one write.
type outcome int

const (
	inFlight   outcome = iota
	acked              // the region acknowledged it
	notApplied         // the region refused it (4xx, connection refused): nothing was written
	unknown            // no answer (the process died, a 5xx, a timeout): written or not
)

// write is one item write a client attempted on the main table.
type write struct {
	key     string
	value   string // the unique value of attribute v; "" for a delete
	op      string
	region  string
	epoch   int // the region's process that took it
	client  int
	start   time.Time // before the request was sent (monotonic)
	end     time.Time // when its answer (or error) came back
	outcome outcome
	ver     version // for PutItem, UpdateItem and DeleteItem: the x-concord-version
	hasVer  bool
}

func (w *write) String() string {
	val := fmt.Sprintf("v=%q", w.value)
	if w.value == "" {
		val = "delete"
	}
	ver := "version unknown"
	if w.hasVer {
		ver = "version " + w.ver.String()
	}
	o := map[outcome]string{inFlight: "in flight", acked: "acknowledged", notApplied: "refused", unknown: "outcome unknown"}[w.outcome]
	return fmt.Sprintf("%s %s in %s#%d by client %d, %s, %s", w.op, val, w.region, w.epoch, w.client, o, ver)
}

// writeLog records every write attempted on the main table.
type writeLog struct {
	mu sync.Mutex // protects ws
	ws []*write
}

// begin records ws as attempted now and returns them.
func (l *writeLog) begin(ws ...*write) []*write {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, w := range ws {
		w.start = now
		l.ws = append(l.ws, w)
	}
	return ws
}

// finish records w's outcome.
func (l *writeLog) finish(w *write, o outcome, ver *version) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	w.end, w.outcome = now, o
	if ver != nil {
		w.ver, w.hasVer = *ver, true
	}
}

// oracleResult is what the check found.
type oracleResult struct {
	keys, exact, ambiguous int
	acked, withVersion     int
	unknown, refused       int
	unknownWins            int // region-keys holding a write of unknown outcome
	problems               []string
}

// keyVerdict is what a key may hold after convergence: the value of one
// of cands (a delete: absent), or nothing at all if absentOK.
type keyVerdict struct {
	cands    []*write
	absentOK bool
}

// allows reports whether the key may hold value ("" absent), and the
// write that made it.
func (kv keyVerdict) allows(value string, present bool) (*write, bool) {
	if !present && kv.absentOK {
		return nil, true
	}
	for _, w := range kv.cands {
		if present && w.value == value || !present && w.value == "" {
			return w, true
		}
	}
	return nil, false
}

func (kv keyVerdict) String() string {
	var parts []string
	if kv.absentOK {
		parts = append(parts, "absent (no acknowledged write)")
	}
	for _, w := range kv.cands {
		parts = append(parts, w.String())
	}
	return strings.Join(parts, " | ")
}

// verdict decides what a key written by ws may hold once every region
// has every change. A write W may be the winner unless an acknowledged
// write Y is known to have a greater version:
//
//   - both have versions (x-concord-version) and Y's is greater;
//   - Y was taken by the same region after W was acknowledged there (a
//     local write is versioned above the item's current version, and W,
//     acknowledged, is durable there, or something above it is);
//   - W's outcome is unknown and Y was taken by a later process of W's
//     region (W, if it was written at all, was written before its process
//     ended).
//
// BatchWriteItem and TransactWriteItems answer without versions, and
// writes of unknown outcome have none, so a key may have several
// candidates; a key whose writes all carry versions has one.
func verdict(ws []*write) (keyVerdict, []string) {
	var problems []string
	var maxKnown *write
	lastStart := map[string]time.Time{}
	lastEpoch := map[string]int{}
	nAcked := 0
	for _, w := range ws {
		if w.outcome != acked {
			continue
		}
		nAcked++
		if w.hasVer && (maxKnown == nil || maxKnown.ver.less(w.ver)) {
			maxKnown = w
		}
		if w.start.After(lastStart[w.region]) {
			lastStart[w.region] = w.start
		}
		lastEpoch[w.region] = max(lastEpoch[w.region], w.epoch)
	}
	kv := keyVerdict{absentOK: nAcked == 0}
	for _, w := range ws {
		switch w.outcome {
		case acked:
			if w.hasVer && w != maxKnown && w.ver.less(maxKnown.ver) {
				continue
			}
			if w.end.Before(lastStart[w.region]) {
				continue
			}
		case unknown:
			if lastEpoch[w.region] > w.epoch {
				continue
			}
		default:
			continue
		}
		kv.cands = append(kv.cands, w)
	}
	// In one region, a write acknowledged before another began has the
	// smaller version.
	byRegion := map[string][]*write{}
	for _, w := range ws {
		if w.outcome == acked && w.hasVer {
			byRegion[w.region] = append(byRegion[w.region], w)
		}
	}
	for _, rs := range byRegion {
		for _, x := range rs {
			for _, y := range rs {
				if x.end.Before(y.start) && !x.ver.less(y.ver) {
					problems = append(problems, fmt.Sprintf("key %s: %s was acknowledged before %s began, in the same region, but its version is not smaller",
						x.key, x, y))
				}
			}
		}
	}
	return kv, problems
}

// regionItems is one region's main table after convergence: pk -> value
// of v (present keys only).
type regionItems map[string]string

// check judges every region's items against the write log.
func (l *writeLog) check(regions []string, items map[string]regionItems) oracleResult {
	l.mu.Lock()
	ws := slices.Clone(l.ws)
	l.mu.Unlock()
	var res oracleResult
	byKey := map[string][]*write{}
	// Versions are unique per item, not per region: a write over an item
	// whose version is ahead of the local clock takes the timestamp just
	// after that version, and the items of one batch share theirs.
	type keyVersion struct {
		key string
		ver version
	}
	seen := map[keyVersion]*write{}
	for _, w := range ws {
		byKey[w.key] = append(byKey[w.key], w)
		switch w.outcome {
		case acked:
			res.acked++
			if w.hasVer {
				res.withVersion++
				kv := keyVersion{w.key, w.ver}
				if o := seen[kv]; o != nil {
					res.problems = append(res.problems, fmt.Sprintf("key %s: version %v acknowledged twice: %s, and %s", w.key, w.ver, o, w))
				}
				seen[kv] = w
			}
		case unknown:
			res.unknown++
		case notApplied:
			res.refused++
		case inFlight:
			res.problems = append(res.problems, fmt.Sprintf("key %s: %s never finished (a bug of the run)", w.key, w))
		}
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	res.keys = len(keys)
	verdicts := map[string]keyVerdict{}
	for _, k := range keys {
		kv, problems := verdict(byKey[k])
		res.problems = append(res.problems, problems...)
		verdicts[k] = kv
		values := map[string]bool{}
		for _, w := range kv.cands {
			values[w.value] = true
		}
		if kv.absentOK {
			values[""] = true
		}
		if len(values) == 1 {
			res.exact++
		} else {
			res.ambiguous++
		}
	}
	byValue := map[string]*write{}
	for _, w := range ws {
		if w.value != "" {
			byValue[w.value] = w
		}
	}
	for _, region := range regions {
		got := items[region]
		var bad []string
		for _, k := range keys {
			v, present := got[k]
			w, ok := verdicts[k].allows(v, present)
			if ok {
				if w != nil && w.outcome == unknown {
					res.unknownWins++
				}
				continue
			}
			holds := "nothing"
			if present {
				holds = fmt.Sprintf("v=%q", v)
				if mk := byValue[v]; mk != nil {
					holds += " (" + mk.String() + ")"
				} else {
					holds += " (no write made it)"
				}
			}
			bad = append(bad, fmt.Sprintf("%s: key %s holds %s; want %s", region, k, holds, verdicts[k]))
		}
		for k, v := range got {
			if _, ok := byKey[k]; !ok {
				bad = append(bad, fmt.Sprintf("%s: key %s holds v=%q but was never written", region, k, v))
			}
		}
		sort.Strings(bad)
		res.problems = append(res.problems, bad...)
	}
	return res
}
