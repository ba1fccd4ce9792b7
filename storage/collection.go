package storage

import (
	"github.com/concorddb/concord/storage/internal/keycodec"
	"github.com/concorddb/concord/storage/item"
)

// HasLocalIndex reports whether def has a local secondary index: only such
// tables have item collections to report (DynamoDB's ItemCollectionMetrics).
func (def TableDef) HasLocalIndex() bool {
	for _, x := range def.Indexes {
		if x.Kind == IndexLocal {
			return true
		}
	}
	return false
}

// ItemCollectionSize estimates the bytes of the item collection of
// partition key pk in table: its items and their entries in the table's
// local secondary indexes, what DynamoDB's ItemCollectionMetrics estimate.
// It is Pebble's estimate of the disk space of those key ranges, which
// counts flushed, compressed data: a rough figure, as DynamoDB's own (a
// range in gigabytes) is.
func (s *Store) ItemCollectionSize(table string, pk item.Value) (uint64, error) {
	if err := s.enter(); err != nil {
		return 0, err
	}
	defer s.lifeMu.RUnlock()
	def, err := s.table(table)
	if err != nil {
		return 0, err
	}
	prefix, err := appendPartitionPrefix(nil, def.ID, pk)
	if err != nil {
		return 0, err
	}
	total, err := s.db.EstimateDiskUsage(prefix, keycodec.PrefixEnd(prefix))
	if err != nil {
		return 0, err
	}
	for _, x := range def.Indexes {
		if x.Kind != IndexLocal {
			continue
		}
		p, err := appendIndexPartition(nil, x.ID, pk)
		if err != nil {
			return 0, err
		}
		n, err := s.db.EstimateDiskUsage(p, keycodec.PrefixEnd(p))
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}
