package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

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
	now := s.now()
	if len(req.ReplicaUpdates) > 0 {
		if def, err = s.updateReplicas(ctx, def, req.ReplicaUpdates); err != nil {
			return nil, err
		}
		return s.describeTableResponse(def, statusActive)
	}
	var m *table.Meta
	if len(req.GlobalSecondaryIndexUpdates) > 0 {
		// Index changes are part of the table's definition and replicate.
		def, err = s.store.UpdateTableFrom(ctx, def.Name, s.region, func(cur *storage.TableDef) error {
			var err error
			if m, err = table.LoadMeta(*cur); err != nil {
				return err
			}
			if err := updateIndexes(cur, m, req.GlobalSecondaryIndexUpdates, req.AttributeDefinitions); err != nil { // indexes.go
				return err
			}
			if err := applyTableUpdate(m, &req, now); err != nil {
				return err
			}
			cur.Meta, err = m.Encode()
			return err
		})
	} else {
		def, err = s.updateTableMeta(ctx, def, &req, now, &m)
	}
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
	d := s.describe(def, m, statusActive, stats, now)
	return encode(tableDescriptionResponse{TableDescription: d})
}

// updateTableMeta applies an UpdateTable that changes only the table's
// meta (not replicated as a definition change).
func (s *Server) updateTableMeta(ctx context.Context, def storage.TableDef, req *updateTableRequest, now int64, mp **table.Meta) (storage.TableDef, error) {
	return s.store.UpdateTableMeta(ctx, def.Name, func(meta []byte) ([]byte, error) {
		cur := def
		cur.Meta = meta
		var err error
		m, err := table.LoadMeta(cur)
		if err != nil {
			return nil, err
		}
		*mp = m
		if err := applyTableUpdate(m, req, now); err != nil {
			return nil, err
		}
		return m.Encode()
	})
}

// applyTableUpdate changes m as req asks, at time now (Unix nanoseconds).
// It is pure so that UpdateTableMeta can run it on the current meta.
func applyTableUpdate(m *table.Meta, req *updateTableRequest, now int64) error {
	mode := m.BillingMode
	if req.BillingMode != nil {
		mode = *req.BillingMode
		m.BillingModeSet = true
	}
	pt := req.ProvisionedThroughput
	switch mode {
	case table.BillingPayPerRequest:
		if pt != nil {
			return errInvalidParam("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
		}
		if m.BillingMode != table.BillingPayPerRequest {
			m.LastPayPerRequest = now
			m.ReadCapacity, m.WriteCapacity = 0, 0
		}
	case table.BillingProvisioned:
		switching := m.BillingMode != table.BillingProvisioned
		if pt == nil {
			if switching {
				return errInvalidParam("ProvisionedThroughput must be specified when BillingMode is PROVISIONED")
			}
			break
		}
		rcu, wcu := *pt.ReadCapacityUnits, *pt.WriteCapacityUnits
		if !switching && rcu == m.ReadCapacity && wcu == m.WriteCapacity && !req.changesOtherThanThroughput() {
			return errValidation("The provisioned throughput for the table will not change. The requested value equals the current value. "+
				"Current ReadCapacityUnits provisioned for the table: %d. Requested ReadCapacityUnits: %d. "+
				"Current WriteCapacityUnits provisioned for the table: %d. Requested WriteCapacityUnits: %d. "+
				"Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
				m.ReadCapacity, rcu, m.WriteCapacity, wcu)
		}
		if !switching {
			if rcu > m.ReadCapacity || wcu > m.WriteCapacity {
				m.LastIncrease = now
			}
			if rcu < m.ReadCapacity || wcu < m.WriteCapacity {
				if !sameUTCDay(m.LastDecrease, now) {
					m.DecreasesToday = 0
				}
				m.LastDecrease = now
				m.DecreasesToday++
			}
		}
		m.ReadCapacity, m.WriteCapacity = rcu, wcu
	default:
		return fmt.Errorf("api: table meta has unknown billing mode %q", mode)
	}
	m.BillingMode = mode
	if req.DeletionProtectionEnabled != nil {
		m.DeletionProtectionEnabled = *req.DeletionProtectionEnabled
	}
	if req.TableClass != nil {
		m.TableClass = *req.TableClass
		if m.TableClass == "STANDARD" {
			m.TableClass = ""
		}
	}
	if sse := req.SSESpecification; sse != nil && sse.Enabled != nil {
		m.SSEEnabled = *sse.Enabled
		m.SSEType, m.KMSMasterKeyID = "", ""
		if m.SSEEnabled {
			m.SSEType, m.KMSMasterKeyID = "KMS", sse.KMSMasterKeyId
		}
	}
	return nil
}

// describeTableResponse encodes def's description with status.
func (s *Server) describeTableResponse(def storage.TableDef, status string) ([]byte, error) {
	d, err := s.describeTableDef(def, status)
	if err != nil {
		return nil, err
	}
	return encode(tableDescriptionResponse{TableDescription: d})
}
