package table

import "github.com/concorddb/concord/storage"

// Replica sets. Every table is a global table: a new table's replica set
// is every region the deployment knows (NewReplicas), and its definition
// replicates to them. An empty replica set means every region of the
// deployment, including peers linked later.

// IsReplica reports whether region holds def's table. An empty replica
// set, or an empty region, means every region.
func IsReplica(def storage.TableDef, region string) bool {
	if len(def.Replicas) == 0 || region == "" {
		return true
	}
	for _, r := range def.Replicas {
		if r == region {
			return true
		}
	}
	return false
}

// NewReplicas is the replica set of a new table: every known region, or
// nil (meaning every region, including peers linked later) when this
// region knows no peers yet.
func (e *Engine) NewReplicas() []string {
	if r := e.Regions(); len(r) > 1 {
		return r
	}
	return nil
}

// Replicas returns the regions holding def's table; an empty replica set
// means every region of the deployment.
func (e *Engine) Replicas(def storage.TableDef) []string {
	if len(def.Replicas) > 0 {
		return def.Replicas
	}
	return e.Regions()
}
