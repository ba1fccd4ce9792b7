package storage

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/concorddb/concord/storage/item"
)

// TestBlockCacheHoldsBlocks guards against the block cache being taken up
// by the memtables Pebble charges to it: after a flush, reading the same
// items twice must serve the second pass from the cache.
func TestBlockCacheHoldsBlocks(t *testing.T) {
	s, err := Open("db", Options{FS: vfs.NewMem(), Logger: quietLogger, CacheSize: 2 << 20, MemTableSize: 2 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	def := mustCreate(t, s, "t", item.TypeS, 0)
	pad := item.Str(strings.Repeat("x", 1000))
	var keys [][]byte
	for i := range 8000 { // 8 MB: the memtables grow to full size
		pk := item.Str(fmt.Sprintf("k%05d", i))
		put(t, s, "t", item.Item{"pk": pk, "v": pad})
		k, err := itemKey(def, item.Item{"pk": pk})
		if err != nil {
			t.Fatal(err)
		}
		if i < 200 { // a few blocks, well within the cache
			keys = append(keys, k)
		}
	}
	// Settle the LSM so the two passes read the same sstables.
	if err := s.db.Compact(context.Background(), []byte{0}, []byte{0xff}, false); err != nil {
		t.Fatal(err)
	}
	readAll := func() {
		for _, k := range keys {
			if cur, err := s.readCurrent(k); err != nil || !cur.found {
				t.Fatalf("readCurrent(%x) = %v, %v", k, cur.found, err)
			}
		}
	}
	readAll()
	before := s.db.Metrics().BlockCache
	readAll()
	after := s.db.Metrics().BlockCache
	if after.Size == 0 || after.Hits-before.Hits < int64(len(keys)) || after.Misses != before.Misses {
		t.Fatalf("second pass: %d hits, %d misses, cache holds %d bytes; want every block from the cache",
			after.Hits-before.Hits, after.Misses-before.Misses, after.Size)
	}
}
