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

// convergedOnce checks, once, that every region is up, has published
// everything (backlog 0), has every link to every other region connected
// with nothing pending and nothing parked, holds the same tables with the
// same digests as every other region, and the same definition of every
// DDL table, ACTIVE. It returns a fingerprint of the state (digests and
// definitions), or why it is not converged. Stuck links are anomalies,
// reported once each.
func (c *cluster) convergedOnce(ctx context.Context, stuck map[string]bool) (string, error) {
	var fp strings.Builder
	digests := map[string]map[string]string{} // table -> region -> digest/count
	sts := map[string]*status{}
	for _, name := range c.names {
		s, up := c.regions[name].current()
		if !up {
			return "", fmt.Errorf("%s is down", name)
		}
		st, err := getStatus(ctx, s.url)
		if err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
		sts[name] = st
		for _, rs := range st.Replication {
			if rs.State == "stuck" {
				k := fmt.Sprintf("%s<-%s@%d", name, rs.Source, rs.StuckSeq)
				if !stuck[k] {
					stuck[k] = true
					c.an.add("link %s <- %s is stuck at message %d of %s's stream: %s", name, rs.Source, rs.StuckSeq, rs.Source, rs.Reason)
				}
			}
		}
		for _, ts := range st.Tables {
			if digests[ts.Name] == nil {
				digests[ts.Name] = map[string]string{}
			}
			digests[ts.Name][name] = fmt.Sprintf("%s/%d", ts.Digest, ts.ItemCount)
		}
	}
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
			problems = append(problems, fmt.Sprintf("%s holds parked changes %v", name, st.Parked))
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
				return "", fmt.Errorf("%s: describe %s: %w", name, t, err)
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
	if len(problems) > 0 {
		return "", errors.New(strings.Join(problems, "\n  "))
	}
	return fp.String(), nil
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

// waitConverged polls convergedOnce until it holds, unchanged, for
// stableFor, and returns when it first held; or, at the deadline, the
// last reason it did not.
func (c *cluster) waitConverged(ctx context.Context, deadline time.Time) (time.Time, error) {
	stuck := map[string]bool{}
	var fp string
	var fpAt time.Time
	for {
		f, err := c.convergedOnce(ctx, stuck)
		now := time.Now()
		switch {
		case err != nil:
			fp = ""
		case f == fp && now.Sub(fpAt) >= stableFor:
			return fpAt, nil
		case f != fp:
			fp, fpAt = f, now
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
