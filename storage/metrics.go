package storage

// Metrics are the store's engine figures, read from Pebble. They are a
// plain struct so that storage stays free of any metrics library: region
// turns them into instruments.
type Metrics struct {
	// CompactionDebtBytes is Pebble's estimate of the bytes compactions
	// must still rewrite to bring the LSM back into shape.
	CompactionDebtBytes uint64
	// L0Files is the number of sstables in level 0, and L0Sublevels its
	// read amplification; both grow when writes outpace compactions.
	L0Files     int64
	L0Sublevels int32
	// BlockCacheHits and BlockCacheMisses count block cache lookups since
	// the store opened; BlockCacheBytes is the cache's current size.
	BlockCacheHits   int64
	BlockCacheMisses int64
	BlockCacheBytes  int64
	// MemTableBytes is the memory held by memtables (and large batches).
	MemTableBytes uint64
	// WALBytes is the live data in the write-ahead log files;
	// WALBytesWritten counts every byte written to the WAL since open.
	WALBytes        uint64
	WALBytesWritten uint64
}

// CacheHitRatio is BlockCacheHits over all lookups, 0 before any lookup.
func (m Metrics) CacheHitRatio() float64 {
	total := m.BlockCacheHits + m.BlockCacheMisses
	if total <= 0 {
		return 0
	}
	return float64(m.BlockCacheHits) / float64(total)
}

// Metrics returns the engine's current figures; zero once the store is
// closed. It is cheap enough for every metrics scrape.
func (s *Store) Metrics() Metrics {
	if err := s.enter(); err != nil {
		return Metrics{}
	}
	defer s.lifeMu.RUnlock()
	pm := s.db.Metrics()
	return Metrics{
		CompactionDebtBytes: pm.Compact.EstimatedDebt,
		L0Files:             pm.Levels[0].TablesCount,
		L0Sublevels:         pm.Levels[0].Sublevels,
		BlockCacheHits:      pm.BlockCache.Hits,
		BlockCacheMisses:    pm.BlockCache.Misses,
		BlockCacheBytes:     pm.BlockCache.Size,
		MemTableBytes:       pm.MemTable.Size,
		WALBytes:            pm.WAL.Size,
		WALBytesWritten:     pm.WAL.BytesWritten,
	}
}
