package storage

import (
	"hash/maphash"
	"slices"
	"sync"
)

// numStripes is the number of per-key write lock stripes. Two keys that
// share a stripe serialize their writes, which is correct but slower; 4096
// stripes keep that rare for the concurrency a node sees.
const numStripes = 4096

// lockTable is a fixed set of mutexes indexed by a hash of (table ID, key).
type lockTable struct {
	seed    maphash.Seed
	stripes [numStripes]sync.Mutex
	once    sync.Once
}

// stripe returns the stripe index of an item key (which embeds the table ID).
func (lt *lockTable) stripe(itemKey []byte) int {
	lt.once.Do(func() { lt.seed = maphash.MakeSeed() })
	var h maphash.Hash
	h.SetSeed(lt.seed)
	h.Write(itemKey)
	return int(h.Sum64() % numStripes)
}

// lock locks the given stripes in ascending order, skipping duplicates, so
// that any two callers acquire common stripes in the same order and cannot
// deadlock. It returns the sorted, deduplicated stripes for unlock.
func (lt *lockTable) lock(stripes []int) []int {
	slices.Sort(stripes)
	stripes = slices.Compact(stripes)
	for _, i := range stripes {
		lt.stripes[i].Lock()
	}
	return stripes
}

func (lt *lockTable) unlock(stripes []int) {
	for _, i := range stripes {
		lt.stripes[i].Unlock()
	}
}
