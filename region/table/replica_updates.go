package table

import (
	"context"
	"slices"

	"github.com/concorddb/concord/storage"
)

// AddReplica adds region to the named table's replica set: the region
// then copies the table's items from a current replica and follows its
// stream. The change is one of the table's definition, made by this
// region, so it replicates. A region the deployment does not have, or
// one that holds the table, is a *ReplicaError (ErrUnknownRegion,
// ErrReplicaExists); an unknown table is storage.ErrTableNotFound.
func (e *Engine) AddReplica(ctx context.Context, name, region string) (storage.TableDef, error) {
	return e.updateReplicas(ctx, name, region, true)
}

// RemoveReplica removes region from the named table's replica set, which
// drops the region's copy. A region cannot remove its own replica
// (ErrRemoveOwnReplica: another replica's region must); the other errors
// are AddReplica's, with ErrReplicaNotFound for a region that does not
// hold the table.
func (e *Engine) RemoveReplica(ctx context.Context, name, region string) (storage.TableDef, error) {
	return e.updateReplicas(ctx, name, region, false)
}

// updateReplicas adds (add) or removes region from the replica set.
func (e *Engine) updateReplicas(ctx context.Context, name, region string, add bool) (storage.TableDef, error) {
	known := e.Regions()
	if !slices.Contains(known, region) {
		return storage.TableDef{}, &ReplicaError{Table: name, Region: region, Known: known, Err: ErrUnknownRegion}
	}
	if !add && region == e.opts.Region {
		return storage.TableDef{}, &ReplicaError{Table: name, Region: region, Err: ErrRemoveOwnReplica}
	}
	return e.updateDefinition(ctx, name, func(d *storage.TableDef) error {
		replicas := slices.Clone(e.Replicas(*d))
		has := slices.Contains(replicas, region)
		switch {
		case add && has:
			return &ReplicaError{Table: d.Name, Region: region, Err: ErrReplicaExists}
		case !add && !has:
			return &ReplicaError{Table: d.Name, Region: region, Err: ErrReplicaNotFound}
		case add:
			replicas = append(replicas, region)
			slices.Sort(replicas)
		default:
			replicas = slices.DeleteFunc(replicas, func(r string) bool { return r == region })
		}
		d.Replicas = replicas
		return nil
	})
}
