package chaos

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// stableFor is how long the converged state must hold, unchanged, before
// a run calls it converged: a change still between two regions would
// change a digest meanwhile.
const stableFor = time.Second

// parkedGrace is how long changes may stay parked once every region
// holds the same data and definitions, with nothing in flight: the
// creation or deletion that decides them has arrived by then.
const parkedGrace = 20 * time.Second

// look is what one look at the regions found.
type look struct {
	// fp is a fingerprint of every table's digests and every DDL
	// table's definitions.
	fp string
	// problems say why the regions do not hold the same data and
	// definitions yet, or what is still in flight.
	problems []string
	// parked are the regions' parked changes.
	parked []string
}

// lookOnce checks, once, that every region is up, has published
// everything (backlog 0), has every link to every other region connected
// with nothing pending, holds the same tables with the same digests as
// every other region, and the same definition of every DDL table,
// ACTIVE; and it lists parked changes. An error is a region it could not
// read. Stuck links are anomalies, reported once each.
func (c *cluster) lookOnce(ctx context.Context) (look, error) {
	var fp strings.Builder
	digests := map[string]map[string]string{} // table -> region -> digest/count
	sts := map[string]*status{}
	for _, name := range c.names {
		s, up := c.regions[name].current()
		if !up {
			return look{}, fmt.Errorf("%s is down", name)
		}
		st, err := getStatus(ctx, s.url)
		if err != nil {
			return look{}, fmt.Errorf("%s: %w", name, err)
		}
		sts[name] = st
		c.noteStuck(name, st)
		for _, ts := range st.Tables {
			if digests[ts.Name] == nil {
				digests[ts.Name] = map[string]string{}
			}
			digests[ts.Name][name] = fmt.Sprintf("%s/%d", ts.Digest, ts.ItemCount)
		}
	}
	var lk look
	var problems []string
	for _, name := range c.names {
		st := sts[name]
		if st.Publisher.Backlog != 0 || !st.Publisher.Connected {
			problems = append(problems, fmt.Sprintf("%s: publisher backlog %d, connected %v", name, st.Publisher.Backlog, st.Publisher.Connected))
		}
		for _, src := range c.names {
			if src == name {
				continue
			}
			i := slices.IndexFunc(st.Replication, func(rs replStatus) bool { return rs.Source == src })
			if i < 0 {
				problems = append(problems, fmt.Sprintf("%s has no link from %s", name, src))
				continue
			}
			rs := st.Replication[i]
			state := rs.State
			if state == "" && rs.Connected {
				state = "connected"
			}
			if state != "connected" || rs.Pending != 0 {
				problems = append(problems, fmt.Sprintf("%s <- %s: %s, %d pending", name, src, state, rs.Pending))
			}
		}
		if len(st.Parked) > 0 {
			lk.parked = append(lk.parked, fmt.Sprintf("%s holds parked changes %v", name, st.Parked))
		}
	}
	tables := make([]string, 0, len(digests))
	for t := range digests {
		tables = append(tables, t)
	}
	slices.Sort(tables)
	for _, t := range tables {
		var ds []string
		for _, name := range c.names {
			d, ok := digests[t][name]
			if !ok {
				d = "absent"
			}
			ds = append(ds, name+"="+d)
		}
		fmt.Fprintf(&fp, "table %s %v\n", t, ds)
		if len(digests[t]) != len(c.names) || !allEqual(digests[t]) {
			problems = append(problems, fmt.Sprintf("table %s: digest/items %v", t, ds))
		}
	}
	for _, t := range ddlTables {
		defs := map[string]string{}
		var ds []string
		for _, name := range c.names {
			s, _ := c.regions[name].current()
			def, ready, err := describeDefinition(ctx, s.reader, t)
			if err != nil {
				return look{}, fmt.Errorf("%s: describe %s: %w", name, t, err)
			}
			if !ready {
				problems = append(problems, fmt.Sprintf("%s: %s not ACTIVE: %s", name, t, def))
			}
			defs[name] = def
			ds = append(ds, name+": "+def)
		}
		fmt.Fprintf(&fp, "definition %s %v\n", t, ds)
		if !allEqual(defs) {
			problems = append(problems, fmt.Sprintf("definitions of %s differ:\n    %s", t, strings.Join(ds, "\n    ")))
		}
	}
	lk.fp, lk.problems = fp.String(), problems
	return lk, nil
}

func allEqual(m map[string]string) bool {
	first, set := "", false
	for _, v := range m {
		if !set {
			first, set = v, true
		} else if v != first {
			return false
		}
	}
	return true
}

// parkedError says that changes stayed parked after everything else
// converged.
type parkedError struct {
	parked []string
	after  time.Duration
}

func (e *parkedError) Error() string {
	return fmt.Sprintf("changes still parked %v after every region held the same data and definitions: %s",
		e.after.Round(time.Second), strings.Join(e.parked, "; "))
}

// waitConverged looks at the regions until they hold the same data and
// definitions with nothing in flight, unchanged for stableFor, and
// nothing parked, and returns when that first held. Changes still parked
// parkedGrace after the rest converged are a *parkedError (with the time
// the rest converged); at the deadline, the error says what was not
// converged.
func (c *cluster) waitConverged(ctx context.Context, deadline time.Time) (time.Time, error) {
	var fp string
	var fpAt time.Time
	for {
		lk, err := c.lookOnce(ctx)
		if err == nil && len(lk.problems) > 0 {
			err = errors.New(strings.Join(lk.problems, "\n  "))
		}
		now := time.Now()
		switch {
		case err != nil:
			fp = ""
		case lk.fp != fp:
			fp, fpAt = lk.fp, now
		case now.Sub(fpAt) >= stableFor && len(lk.parked) == 0:
			return fpAt, nil
		case now.Sub(fpAt) >= parkedGrace || now.After(deadline):
			return fpAt, &parkedError{parked: lk.parked, after: now.Sub(fpAt)}
		}
		if now.After(deadline) {
			if err == nil {
				err = errors.New("the state kept changing")
			}
			return time.Time{}, err
		}
		if !sleepUntil(ctx, nil, now.Add(250*time.Millisecond)) {
			return time.Time{}, ctx.Err()
		}
	}
}

// noteStuck reports, once, each stuck link in a status of region.
func (c *cluster) noteStuck(region string, st *status) {
	for _, rs := range st.Replication {
		if rs.State != "stuck" {
			continue
		}
		k := fmt.Sprintf("%s<-%s@%d", region, rs.Source, rs.StuckSeq)
		c.stuck.Lock()
		seen := c.stuck.seen[k]
		c.stuck.seen[k] = true
		c.stuck.Unlock()
		if !seen {
			c.an.add("link %s <- %s is stuck at message %d of %s's stream: %s", region, rs.Source, rs.StuckSeq, rs.Source, rs.Reason)
		}
	}
}

// watchLinks reads every running region's status every 2 seconds until
// stop, to catch links that are stuck for a while only.
func (c *cluster) watchLinks(ctx context.Context, stop <-chan struct{}) {
	for sleepUntil(ctx, stop, time.Now().Add(2*time.Second)) {
		for _, name := range c.names {
			s, up := c.regions[name].current()
			if !up {
				continue
			}
			if st, err := getStatus(ctx, s.url); err == nil {
				c.noteStuck(name, st)
			}
		}
	}
}

// dumpStatuses renders every region's status for a report.
func (c *cluster) dumpStatuses(ctx context.Context) string {
	var b strings.Builder
	for _, name := range c.names {
		s, up := c.regions[name].current()
		if !up {
			fmt.Fprintf(&b, "%s: down\n", name)
			continue
		}
		st, err := getStatus(ctx, s.url)
		if err != nil {
			fmt.Fprintf(&b, "%s: %v\n", name, err)
			continue
		}
		// All but the conflicts list: the most recent versions lost to
		// last-writer-wins say nothing of convergence, and are long.
		var m map[string]json.RawMessage
		raw := st.raw
		if json.Unmarshal(st.raw, &m) == nil {
			delete(m, "conflicts")
			if r, err := json.Marshal(m); err == nil {
				raw = r
			}
		}
		fmt.Fprintf(&b, "%s: %s\n", name, raw)
	}
	return b.String()
}
