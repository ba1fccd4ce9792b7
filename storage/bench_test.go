package storage

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/concorddb/concord/storage/item"
)

// BenchmarkStoreUpdateParallel measures synced, group-committed puts of
// distinct keys from 32*GOMAXPROCS goroutines on the real disk.
func BenchmarkStoreUpdateParallel(b *testing.B) {
	s, err := Open(b.TempDir(), Options{Logger: quietLogger})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	mustCreate(b, s, "t", item.TypeS, 0)
	var n atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			k := item.Str(fmt.Sprintf("k%d", n.Add(1)))
			it := item.Item{"pk": k, "v": item.Str("some value of moderate length")}
			if _, err := s.Update(context.Background(), "t", item.Item{"pk": k}, putFn(it)); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkStoreGet measures point reads of existing items.
func BenchmarkStoreGet(b *testing.B) {
	s, err := Open(b.TempDir(), Options{Logger: quietLogger})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	mustCreate(b, s, "t", item.TypeS, 0)
	const n = 1000
	writes := make([]Write, 0, 100)
	for i := range n {
		k := item.Str(fmt.Sprintf("k%d", i))
		writes = append(writes, Write{Table: "t", Key: item.Item{"pk": k}, Fn: putFn(item.Item{"pk": k, "v": item.Str("value")})})
		if len(writes) == cap(writes) {
			if _, err := s.UpdateMany(context.Background(), writes); err != nil {
				b.Fatal(err)
			}
			writes = writes[:0]
		}
	}
	for i := 0; b.Loop(); i++ {
		it, err := s.Get(context.Background(), "t", item.Item{"pk": item.Str(fmt.Sprintf("k%d", i%n))})
		if err != nil || it == nil {
			b.Fatal(it, err)
		}
	}
}
