package api

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/concorddb/concord/storage"
)

// Global tables. Every table is a global table: CreateTable gives it a
// replica set of every region the deployment knows (this region and its
// peers, from SetRegions), and its definition replicates to them. UpdateTable
// ReplicaUpdates adds a region (which copies the existing items from a
// current replica, then follows the stream) or removes one (which drops its
// copy).

// globalTableVersion is the version of global tables DynamoDB reports for
// tables managed through UpdateTable ReplicaUpdates.
const globalTableVersion = "2019.11.21"

// SetRegions tells the server which regions the deployment has (this
// region included), for the replica set of new tables and the check of
// ReplicaUpdates: the table engine keeps them (table.Engine.SetRegions).
func (s *Server) SetRegions(fn func() []string) { s.eng.SetRegions(fn) }

type replicaDescription struct {
	RegionName    string `json:"RegionName"`
	ReplicaStatus string `json:"ReplicaStatus"`
}

// describeReplicas fills the global-table fields of a TableDescription.
func (s *Server) describeReplicas(d *tableDescription, def storage.TableDef) {
	regions := s.eng.Replicas(def)
	if len(regions) < 2 {
		return
	}
	d.GlobalTableVersion = globalTableVersion
	for _, r := range regions {
		status := statusActive
		if r == s.region && def.BackfillFrom != "" {
			status = "CREATING"
		}
		d.Replicas = append(d.Replicas, replicaDescription{RegionName: r, ReplicaStatus: status})
	}
}

// replicaUpdate is one element of UpdateTable's ReplicaUpdates.
type replicaUpdate struct {
	Create *struct {
		RegionName *string `json:"RegionName"`
	} `json:"Create"`
	Delete *struct {
		RegionName *string `json:"RegionName"`
	} `json:"Delete"`
	Update json.RawMessage `json:"Update"`
}

// updateReplicas decodes and checks UpdateTable's ReplicaUpdates (one
// Create or Delete) and has the table engine add or remove the replica.
func (s *Server) updateReplicas(ctx context.Context, def storage.TableDef, raw []json.RawMessage) (storage.TableDef, error) {
	if len(raw) != 1 {
		return def, errValidation("One or more parameter values were invalid: only one replica can be created or deleted per UpdateTable request")
	}
	var u replicaUpdate
	if err := decode(raw[0], &u); err != nil {
		return def, err
	}
	if u.Update != nil && u.Create == nil && u.Delete == nil {
		return def, errNotSupported("ReplicaUpdates Update (per-replica settings)")
	}
	if (u.Create == nil) == (u.Delete == nil) {
		return def, errValidation("One or more parameter values were invalid: each ReplicaUpdate must specify exactly one of Create, Update or Delete")
	}
	create := u.Create != nil
	var region string
	if create {
		if u.Create.RegionName == nil || *u.Create.RegionName == "" {
			return def, errValidation("1 validation error detected: Value null at 'replicaUpdates.1.member.create.regionName' failed to satisfy constraint: Member must not be null")
		}
		region = *u.Create.RegionName
	} else {
		if u.Delete.RegionName == nil || *u.Delete.RegionName == "" {
			return def, errValidation("1 validation error detected: Value null at 'replicaUpdates.1.member.delete.regionName' failed to satisfy constraint: Member must not be null")
		}
		region = *u.Delete.RegionName
	}
	// Whether the region may hold the table, and does, is the engine's.
	var (
		out storage.TableDef
		err error
	)
	if create {
		out, err = s.eng.AddReplica(ctx, def.Name, region)
	} else {
		out, err = s.eng.RemoveReplica(ctx, def.Name, region)
	}
	if errors.Is(err, storage.ErrTableNotFound) {
		return def, errTableNotFound(def.Name)
	}
	return out, err
}
