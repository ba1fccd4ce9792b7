package table

import (
	"context"
	"fmt"
	"time"

	"github.com/concorddb/concord/storage"
)

// UpdateSpec is a change of a table's settings and global secondary
// indexes (UpdateTable). Zero fields keep the table's setting.
type UpdateSpec struct {
	// BillingMode, when set, is the new billing mode.
	BillingMode string
	// Throughput is the table's new provisioned capacity.
	Throughput *Throughput
	// ThroughputOnly reports that the update asks for nothing but
	// Throughput (the caller knows what else its request asked for):
	// the current throughput is then ErrThroughputUnchanged.
	ThroughputOnly     bool
	DeletionProtection *bool
	// TableClass, when set, is the new table class.
	TableClass string
	// SSE, when set, turns encryption on (with SSE.KMSMasterKeyID) or off.
	SSE *SSESpec
	// IndexUpdates change the global secondary indexes; with any, the
	// update is a change of the table's definition, which replicates.
	IndexUpdates []IndexUpdate
	// AttributeDefinitions define the attributes a created index uses
	// (nil: none given).
	AttributeDefinitions []AttributeDefinition
}

// SSESpec turns a table's encryption on or off.
type SSESpec struct {
	Enabled bool
	// KMSMasterKeyID is the KMS key; "" is the AWS managed key.
	KMSMasterKeyID string
}

// UpdateTable applies u to the named table and returns its new
// definition and Meta. Index updates change the table's definition under
// this region's name (storage.Store.UpdateTableFrom), so they replicate;
// other settings are this replica's own (storage.Store.UpdateTableMeta).
// An unknown table is storage.ErrTableNotFound.
func (e *Engine) UpdateTable(ctx context.Context, name string, u UpdateSpec) (storage.TableDef, *Meta, error) {
	now := e.Now()
	var m *Meta
	if len(u.IndexUpdates) > 0 {
		def, err := e.updateDefinition(ctx, name, func(cur *storage.TableDef) error {
			var err error
			if m, err = LoadMeta(*cur); err != nil {
				return err
			}
			if err := updateIndexes(cur, m, u.IndexUpdates, u.AttributeDefinitions); err != nil { // index_specs.go
				return err
			}
			if err := applyUpdate(m, &u, now); err != nil {
				return err
			}
			cur.Meta, err = m.Encode()
			return err
		})
		return def, m, err
	}
	// UpdateTableMeta hands over the meta alone; LoadMeta needs the key
	// schema for a table made without a meta.
	keys, err := e.opts.Store.Table(name)
	if err != nil {
		return storage.TableDef{}, nil, err
	}
	def, err := e.opts.Store.UpdateTableMeta(ctx, name, func(meta []byte) ([]byte, error) {
		cur := keys
		cur.Meta = meta
		var err error
		if m, err = LoadMeta(cur); err != nil {
			return nil, err
		}
		if err := applyUpdate(m, &u, now); err != nil {
			return nil, err
		}
		return m.Encode()
	})
	return def, m, err
}

// applyUpdate changes m as u asks, at time now (Unix nanoseconds). It is
// pure so that the store can run it on the current meta.
func applyUpdate(m *Meta, u *UpdateSpec, now int64) error {
	mode := m.BillingMode
	if u.BillingMode != "" {
		mode = u.BillingMode
		m.BillingModeSet = true
	}
	pt := u.Throughput
	switch mode {
	case BillingPayPerRequest:
		if pt != nil {
			return ErrThroughputOnDemand
		}
		if m.BillingMode != BillingPayPerRequest {
			m.LastPayPerRequest = now
			m.ReadCapacity, m.WriteCapacity = 0, 0
		}
	case BillingProvisioned:
		switching := m.BillingMode != BillingProvisioned
		if pt == nil {
			if switching {
				return ErrSwitchNeedsThroughput
			}
			break
		}
		rcu, wcu := pt.Read, pt.Write
		if !switching && rcu == m.ReadCapacity && wcu == m.WriteCapacity && u.ThroughputOnly {
			return &ThroughputUnchangedError{
				Current:   Throughput{Read: m.ReadCapacity, Write: m.WriteCapacity},
				Requested: *pt,
			}
		}
		if !switching {
			if rcu > m.ReadCapacity || wcu > m.WriteCapacity {
				m.LastIncrease = now
			}
			if rcu < m.ReadCapacity || wcu < m.WriteCapacity {
				if !SameUTCDay(m.LastDecrease, now) {
					m.DecreasesToday = 0
				}
				m.LastDecrease = now
				m.DecreasesToday++
			}
		}
		m.ReadCapacity, m.WriteCapacity = rcu, wcu
	default:
		return fmt.Errorf("table: meta has unknown billing mode %q", mode)
	}
	m.BillingMode = mode
	if u.DeletionProtection != nil {
		m.DeletionProtectionEnabled = *u.DeletionProtection
	}
	if u.TableClass != "" {
		m.TableClass = u.TableClass
		if m.TableClass == "STANDARD" {
			m.TableClass = ""
		}
	}
	if sse := u.SSE; sse != nil {
		m.SSEEnabled = sse.Enabled
		m.SSEType, m.KMSMasterKeyID = "", ""
		if m.SSEEnabled {
			m.SSEType, m.KMSMasterKeyID = "KMS", sse.KMSMasterKeyID
		}
	}
	return nil
}

// SameUTCDay reports whether two Unix-nanosecond times fall on the same
// UTC day: Meta.DecreasesToday counts the decreases of LastDecrease's day.
func SameUTCDay(a, b int64) bool {
	const day = int64(24 * time.Hour)
	return a/day == b/day
}
