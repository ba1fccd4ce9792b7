package api

import (
	"strconv"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// capacityMode is a request's ReturnConsumedCapacity.
type capacityMode uint8

const (
	capNone capacityMode = iota
	capTotal
	capIndexes
)

// parseCapacityMode parses ReturnConsumedCapacity, the only enum of the
// operation (GetItem, BatchGetItem, TransactGetItems, Query, Scan).
func parseCapacityMode(s string) (capacityMode, error) {
	var v validationErrors
	m := v.capacityMode(s)
	return m, v.err()
}

// capacityMode parses ReturnConsumedCapacity, recording a value out of
// its set.
func (v *validationErrors) capacityMode(s string) capacityMode {
	switch s {
	case "", "NONE":
		return capNone
	case "TOTAL":
		return capTotal
	case "INDEXES":
		return capIndexes
	}
	v.enum("returnConsumedCapacity", s, "INDEXES, TOTAL, NONE")
	return capNone
}

// itemCollectionMetrics validates ReturnItemCollectionMetrics (its use:
// wantsCollectionMetrics).
func (v *validationErrors) itemCollectionMetrics(s string) {
	switch s {
	case "", "NONE", "SIZE":
		return
	}
	v.enum("returnItemCollectionMetrics", s, "SIZE, NONE")
}

// appendCapacity appends one ConsumedCapacity object.
func appendCapacity(dst []byte, mode capacityMode, table string, units float64) []byte {
	dst = append(dst, `{"TableName":`...)
	dst = appendString(dst, table)
	dst = append(dst, `,"CapacityUnits":`...)
	dst = strconv.AppendFloat(dst, units, 'f', -1, 64)
	if mode == capIndexes {
		dst = append(dst, `,"Table":{"CapacityUnits":`...)
		dst = strconv.AppendFloat(dst, units, 'f', -1, 64)
		dst = append(dst, '}')
	}
	return append(dst, '}')
}

// capacityList adds the ConsumedCapacity field of a multi-table request
// (BatchGetItem, BatchWriteItem, TransactGetItems, TransactWriteItems)
// when the request asked for it: one object per table, by table name.
func (w *respBody) capacityList(mode capacityMode, c *table.Capacity) {
	if mode == capNone {
		return
	}
	w.key("ConsumedCapacity")
	w.b = append(w.b, '[')
	for i, name := range c.Tables() {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = appendCapacity(w.b, mode, name, c.Units(name))
	}
	w.b = append(w.b, ']')
}

// capacity adds the ConsumedCapacity field when the request asked for it.
func (w *respBody) capacity(mode capacityMode, table string, units float64) {
	if mode == capNone {
		return
	}
	w.key("ConsumedCapacity")
	w.b = appendCapacity(w.b, mode, table, units)
}

// wantsCollectionMetrics reports whether a write answers with
// ItemCollectionMetrics: when asked (SIZE) and the table has a local
// secondary index, the only tables DynamoDB reports item collections for.
func wantsCollectionMetrics(mode string, def storage.TableDef) bool {
	return mode == "SIZE" && def.HasLocalIndex()
}

// appendCollectionMetrics appends the ItemCollectionMetrics of the item
// collection that key (a table key) belongs to: its partition key and the
// range of whole gigabytes its size estimate falls in ([0.0, 1.0] for a
// collection under 1 GB), as DynamoDB reports them.
func (s *Server) appendCollectionMetrics(dst []byte, def storage.TableDef, key item.Item) ([]byte, error) {
	pk := def.PartitionKey.Name
	size, err := s.store.ItemCollectionSize(def.Name, key[pk])
	if err != nil {
		return nil, err
	}
	lo := float64(size >> 30)
	dst = append(dst, `{"ItemCollectionKey":`...)
	dst = item.Item{pk: key[pk]}.AppendJSON(dst)
	dst = append(dst, `,"SizeEstimateRangeGB":[`...)
	dst = strconv.AppendFloat(dst, lo, 'f', 1, 64)
	dst = append(dst, ',')
	dst = strconv.AppendFloat(dst, lo+1, 'f', 1, 64)
	return append(dst, "]}"...), nil
}
