package api

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
)

type updateTableRequest struct {
	TableName                   *string                     `json:"TableName"`
	BillingMode                 *string                     `json:"BillingMode"`
	ProvisionedThroughput       *provisionedThroughput      `json:"ProvisionedThroughput"`
	DeletionProtectionEnabled   *bool                       `json:"DeletionProtectionEnabled"`
	TableClass                  *string                     `json:"TableClass"`
	SSESpecification            *sseSpecification           `json:"SSESpecification"`
	StreamSpecification         *streamSpecification        `json:"StreamSpecification"`
	GlobalSecondaryIndexUpdates []json.RawMessage           `json:"GlobalSecondaryIndexUpdates"`
	ReplicaUpdates              []json.RawMessage           `json:"ReplicaUpdates"`
	AttributeDefinitions        []table.AttributeDefinition `json:"AttributeDefinitions"`
	// Accepted and ignored: Concord does not meter capacity.
	OnDemandThroughput json.RawMessage `json:"OnDemandThroughput"`
	WarmThroughput     json.RawMessage `json:"WarmThroughput"`
}

// changesOtherThanThroughput reports whether the request asks for anything
// besides a throughput change.
func (r *updateTableRequest) changesOtherThanThroughput() bool {
	return r.BillingMode != nil || r.DeletionProtectionEnabled != nil || r.TableClass != nil ||
		r.SSESpecification != nil || r.StreamSpecification != nil || r.GlobalSecondaryIndexUpdates != nil ||
		r.ReplicaUpdates != nil || r.OnDemandThroughput != nil || r.WarmThroughput != nil
}

func updateTable(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req updateTableRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	var v validationErrors
	checkTableRef(&v, "tableName", req.TableName)
	checkThroughput(&v, req.ProvisionedThroughput)
	checkBillingMode(&v, req.BillingMode)
	checkTableClass(&v, req.TableClass)
	if err := v.err(); err != nil {
		return nil, err
	}
	if req.ProvisionedThroughput == nil && !req.changesOtherThanThroughput() {
		return nil, errValidation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required")
	}
	if len(req.ReplicaUpdates) > 0 && (req.ProvisionedThroughput != nil || req.BillingMode != nil ||
		req.DeletionProtectionEnabled != nil || req.TableClass != nil || req.SSESpecification != nil || req.StreamSpecification != nil) {
		return nil, errValidation("One or more parameter values were invalid: ReplicaUpdates cannot be combined with other table updates in one UpdateTable request")
	}
	if err := checkStreamSpec(req.StreamSpecification); err != nil {
		return nil, err
	}
	def, err := s.lookupTable(req.TableName)
	if err != nil {
		return nil, err
	}
	if req.StreamSpecification != nil {
		// Streams are local to each replica (streams_state.go).
		if err := s.applyStreamSpec(ctx, def, req.StreamSpecification); err != nil {
			return nil, err
		}
		streamOnly := req
		streamOnly.StreamSpecification = nil
		if streamOnly.ProvisionedThroughput == nil && !streamOnly.changesOtherThanThroughput() {
			return s.describeTableResponse(def, statusActive)
		}
		req.StreamSpecification = nil
	}
	if len(req.ReplicaUpdates) > 0 {
		if def, err = s.updateReplicas(ctx, def, req.ReplicaUpdates); err != nil {
			return nil, err
		}
		return s.describeTableResponse(def, statusActive)
	}
	spec := table.UpdateSpec{
		Throughput:           req.ProvisionedThroughput.spec(),
		ThroughputOnly:       !req.changesOtherThanThroughput(),
		DeletionProtection:   req.DeletionProtectionEnabled,
		AttributeDefinitions: req.AttributeDefinitions,
	}
	if req.BillingMode != nil {
		spec.BillingMode = *req.BillingMode
	}
	if req.TableClass != nil {
		spec.TableClass = *req.TableClass
	}
	if sse := req.SSESpecification; sse != nil && sse.Enabled != nil {
		spec.SSE = &table.SSESpec{Enabled: *sse.Enabled, KMSMasterKeyID: sse.KMSMasterKeyId}
	}
	if len(req.GlobalSecondaryIndexUpdates) > 0 {
		// Index changes are part of the table's definition and replicate.
		if spec.IndexUpdates, err = decodeIndexUpdates(req.GlobalSecondaryIndexUpdates); err != nil { // indexes.go
			return nil, err
		}
	}
	def, m, err := s.eng.UpdateTable(ctx, def.Name, spec)
	if errors.Is(err, storage.ErrTableNotFound) {
		return nil, errTableNotFound(*req.TableName)
	}
	if err != nil {
		return nil, err
	}
	stats, err := s.store.Stats(def.Name)
	if err != nil && !errors.Is(err, storage.ErrTableNotFound) {
		return nil, err
	}
	d := s.describe(def, m, statusActive, stats, s.now())
	return encode(tableDescriptionResponse{TableDescription: d})
}

// describeTableResponse encodes def's description with status.
func (s *Server) describeTableResponse(def storage.TableDef, status string) ([]byte, error) {
	d, err := s.describeTableDef(def, status)
	if err != nil {
		return nil, err
	}
	return encode(tableDescriptionResponse{TableDescription: d})
}
