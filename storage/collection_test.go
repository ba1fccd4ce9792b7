package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/concorddb/concord/storage/item"
)

// TestStoreItemCollectionSize: the estimate grows with the partition's
// items (and their LSI entries) and does not count other partitions.
func TestStoreItemCollectionSize(t *testing.T) {
	s, _ := openMem(t)
	def, err := s.CreateTable(context.Background(), indexedDef("t"))
	if err != nil {
		t.Fatal(err)
	}
	if !def.HasLocalIndex() || (TableDef{}).HasLocalIndex() {
		t.Fatal("HasLocalIndex is wrong")
	}
	blob := make([]byte, 2000)
	for i := range 300 {
		_, _ = rand.Read(blob) // incompressible
		put(t, s, "t", item.Item{"pk": item.Str("big"), "sk": item.Str(fmt.Sprint(i)), "n": item.Num(fmt.Sprint(i)),
			"x": item.Str(hex.EncodeToString(blob))})
	}
	put(t, s, "t", item.Item{"pk": item.Str("small"), "sk": item.Str("0"), "n": item.Num("0")})
	if err := s.db.Flush(); err != nil {
		t.Fatal(err)
	}
	big, err := s.ItemCollectionSize("t", item.Str("big"))
	if err != nil {
		t.Fatal(err)
	}
	small, err := s.ItemCollectionSize("t", item.Str("small"))
	if err != nil {
		t.Fatal(err)
	}
	// 300 items of 4 KB of hex text, twice (the table and the INCLUDE LSI).
	t.Logf("big %d bytes, small %d bytes", big, small)
	if big < 1<<20 || big > 8<<20 {
		t.Errorf("big collection estimated at %d bytes, want about 2.4 MB", big)
	}
	if small > big/10 {
		t.Errorf("one-item collection estimated at %d bytes (big: %d)", small, big)
	}
	if _, err := s.ItemCollectionSize("nope", item.Str("big")); err == nil {
		t.Error("unknown table accepted")
	}
}
