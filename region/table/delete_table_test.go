package table

import (
	"context"
	"errors"
	"testing"

	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

func TestTableDelete(t *testing.T) {
	ctx := context.Background()
	e := newDefsEngine(t)
	s := onDemand("tbl")
	s.DeletionProtection = true
	if _, _, err := e.CreateTable(ctx, s); err != nil {
		t.Fatal(err)
	}
	put := func(key string) {
		t.Helper()
		k := item.Item{"pk": item.Str(key), "sk": item.Str("1")}
		if _, err := e.Store().Update(ctx, "tbl", k, func(_ item.Item, meta storage.Meta) (storage.Mutation, error) {
			return e.Stamp(ctx, storage.Mutation{Put: k}, meta)
		}); err != nil {
			t.Fatal(err)
		}
	}
	put("a")
	put("b")
	if _, _, err := e.DeleteTable(ctx, "tbl"); !errors.Is(err, ErrDeletionProtected) {
		t.Fatalf("a protected table: %v, want ErrDeletionProtected", err)
	}
	off := false
	if _, _, err := e.UpdateTable(ctx, "tbl", UpdateSpec{DeletionProtection: &off}); err != nil {
		t.Fatal(err)
	}
	def, stats, err := e.DeleteTable(ctx, "tbl")
	if err != nil {
		t.Fatal(err)
	}
	if def.Name != "tbl" || stats.ItemCount != 2 {
		t.Errorf("deleted %+v with %+v, want tbl and its 2 items", def, stats)
	}
	if _, err := e.Store().Table("tbl"); !errors.Is(err, storage.ErrTableNotFound) {
		t.Errorf("the table after DeleteTable: %v", err)
	}
	if _, _, err := e.DeleteTable(ctx, "tbl"); !errors.Is(err, storage.ErrTableNotFound) {
		t.Errorf("deleting it again: %v, want storage.ErrTableNotFound", err)
	}
}
