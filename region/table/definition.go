package table

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/storage"
)

// Versioned definitions. The parts of a table's definition that belong to
// the global table — each global secondary index (with its throughput),
// the Time to Live setting, and each region's membership of the replica
// set — are fields, each with the version of the change that last set it
// (Meta.Versions). A field removed (an index deleted, a region taken out)
// keeps its version, as a tombstone, so an older concurrent change cannot
// bring it back. Another region's definition merges into this one field
// by field by last-writer-wins on the versions (MergeDefinition), so
// concurrent changes to different fields both survive, and concurrent
// changes to one field converge on the greater version, whatever the
// order of delivery (issue 13, case 4). Everything else in Meta (billing,
// throughput, tags, class, encryption, deletion protection) is this
// replica's own.
//
// A field without a version is as the table's creation left it: older
// than any change.

// Field keys of Meta.Versions.
const (
	fieldTTL     = "ttl"
	fieldIndex   = "index/"
	fieldReplica = "replica/"
)

// globalFields returns the value of every global field def has, by key;
// a field it lacks (an index not there, a region not in an explicit
// replica set) is absent.
func globalFields(def storage.TableDef, m *Meta) map[string]string {
	out := map[string]string{}
	if m.TTLAttribute != "" {
		out[fieldTTL] = m.TTLAttribute
	}
	for _, x := range def.Indexes {
		if x.Kind != storage.IndexGlobal {
			continue
		}
		x.ID, x.Status = 0, ""
		v, _ := json.Marshal(struct {
			Index      storage.IndexDef
			Throughput [2]int64 `json:",omitzero"`
		}{x, m.IndexThroughput[x.Name]})
		out[fieldIndex+x.Name] = string(v)
	}
	for _, r := range def.Replicas {
		out[fieldReplica+r] = "member"
	}
	return out
}

// stampChanges gives every global field that differs between before and
// after (added, changed or removed) a new version from this region,
// greater than the field's current one, in am (after's Meta). An implicit
// replica set (every region) counts as the regions it means.
func (e *Engine) stampChanges(before storage.TableDef, bm *Meta, after storage.TableDef, am *Meta) error {
	before.Replicas = e.Replicas(before)
	if after.Replicas == nil {
		after.Replicas = e.Replicas(after)
	}
	fb, fa := globalFields(before, bm), globalFields(after, am)
	keys := maps.Clone(fb)
	maps.Copy(keys, fa)
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		if fb[k] == fa[k] {
			continue
		}
		v, err := conflict.NextLocal(e.opts.Clock, e.opts.Region, am.Versions[k])
		if err != nil {
			return err
		}
		if am.Versions == nil {
			am.Versions = map[string][]byte{}
		}
		am.Versions[k] = v.Encode()
	}
	return nil
}

// updateDefinition runs fn on the named table's definition, as
// storage.Store.UpdateTableFrom does (the change replicates), and stamps
// the global fields fn changed.
func (e *Engine) updateDefinition(ctx context.Context, name string, fn func(cur *storage.TableDef) error) (storage.TableDef, error) {
	return e.opts.Store.UpdateTableFrom(ctx, name, e.opts.Region, func(cur *storage.TableDef) error {
		before := *cur
		before.Indexes = slices.Clone(cur.Indexes)
		before.Replicas = slices.Clone(cur.Replicas)
		bm, err := LoadMeta(before)
		if err != nil {
			return err
		}
		if err := fn(cur); err != nil {
			return err
		}
		am, err := LoadMeta(*cur)
		if err != nil {
			return err
		}
		if err := e.stampChanges(before, bm, *cur, am); err != nil {
			return err
		}
		cur.Meta, err = am.Encode()
		return err
	})
}

// MergeDefinition merges remote, another region's definition of the same
// incarnation of the table, into cur, this region's: each global field
// takes the value of the side whose version is greater, and this
// replica's own settings stay. The replicator calls it, under
// the catalog lock, when another region changed the table's definition.
// A Meta that cannot be decoded leaves cur as it is.
func MergeDefinition(cur *storage.TableDef, remote storage.TableDef) error {
	lm, err := LoadMeta(*cur)
	if err != nil {
		return err
	}
	rm, err := LoadMeta(remote)
	if err != nil {
		return err
	}
	fl, fr := globalFields(*cur, lm), globalFields(remote, rm)
	keys := map[string]bool{}
	for _, f := range []map[string]string{fl, fr} {
		for k := range f {
			keys[k] = true
		}
	}
	for _, vs := range []map[string][]byte{lm.Versions, rm.Versions} {
		for k := range vs {
			keys[k] = true
		}
	}
	// remoteWins reports whether the remote side sets field k. A tie of
	// versions keeps the greater value, so the result does not depend on
	// which side is which; a field neither side has a version for is
	// taken from the remote side, as definitions from before versions
	// were (they are equal anyway when both come from the creation).
	remoteWins := func(k string) bool {
		if c := compareVersions(rm.Versions[k], lm.Versions[k]); c != 0 {
			return c > 0
		}
		if rm.Versions[k] == nil {
			return true
		}
		return fr[k] > fl[k]
	}
	var indexes []storage.IndexDef
	for _, x := range cur.Indexes {
		if x.Kind != storage.IndexGlobal {
			indexes = append(indexes, x) // local indexes are fixed at creation
		}
	}
	var gsis []storage.IndexDef
	replicas := []string{}
	explicit := cur.Replicas != nil || remote.Replicas != nil
	merged := maps.Clone(lm.Versions)
	if merged == nil {
		merged = map[string][]byte{}
	}
	throughput := map[string][2]int64{}
	lm.TTLAttribute = ""
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		side, sm, f := *cur, lm, fl
		if remoteWins(k) {
			side, sm, f = remote, rm, fr
		}
		if v := sm.Versions[k]; v != nil {
			merged[k] = v
		}
		if _, present := f[k]; !present {
			continue
		}
		switch {
		case k == fieldTTL:
			lm.TTLAttribute = f[k]
		case strings.HasPrefix(k, fieldIndex):
			name := strings.TrimPrefix(k, fieldIndex)
			if x, ok := side.Index(name); ok {
				gsis = append(gsis, x)
				if t, ok := sm.IndexThroughput[name]; ok {
					throughput[name] = t
				}
			}
		case strings.HasPrefix(k, fieldReplica):
			replicas = append(replicas, strings.TrimPrefix(k, fieldReplica))
		}
	}
	cur.Indexes = append(indexes, gsis...)
	if explicit {
		cur.Replicas = replicas
	}
	lm.IndexThroughput = nil
	if len(throughput) > 0 {
		lm.IndexThroughput = throughput
	}
	if len(merged) > 0 {
		lm.Versions = merged
	}
	lm.AttributeDefinitions = mergeAttributeDefinitions(*cur, lm.AttributeDefinitions, rm.AttributeDefinitions)
	cur.Meta, err = lm.Encode()
	return err
}

// mergeAttributeDefinitions returns the attribute definitions the merged
// definition's keys use, from either side, by name.
func mergeAttributeDefinitions(def storage.TableDef, local, remote []AttributeDefinition) []AttributeDefinition {
	used := keyAttributes(def)
	byName := map[string]AttributeDefinition{}
	for _, d := range append(slices.Clone(remote), local...) {
		if used[d.AttributeName] {
			byName[d.AttributeName] = d
		}
	}
	out := make([]AttributeDefinition, 0, len(byName))
	for _, n := range slices.Sorted(maps.Keys(byName)) {
		out = append(out, byName[n])
	}
	return out
}

// keyAttributes returns the names of the attributes def's keys use: the
// table's and its indexes'.
func keyAttributes(def storage.TableDef) map[string]bool {
	used := map[string]bool{def.PartitionKey.Name: true}
	if def.SortKey != nil {
		used[def.SortKey.Name] = true
	}
	for _, x := range def.Indexes {
		used[x.PartitionKey.Name] = true
		if x.SortKey != nil {
			used[x.SortKey.Name] = true
		}
	}
	return used
}

// compareVersions orders two encoded versions; nil is older than any.
func compareVersions(a, b []byte) int { return CompareIncarnations(a, b) }
