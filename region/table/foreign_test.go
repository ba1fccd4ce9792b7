package table

import (
	"context"
	"errors"
	"testing"

	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// TestTableCreateRefusesForeignName: a region outside a table's replica
// set may not create a table of that name: its new incarnation would end
// the table in every region that holds it.
func TestTableCreateRefusesForeignName(t *testing.T) {
	e := newMemEngine(t, 1_700_000_000_000_000_000)
	ctx := context.Background()
	other := storage.TableDef{Name: "t", PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeS},
		Incarnation: ver(5, "eu-west-1"), Replicas: []string{"eu-west-1"}}
	if err := MarkForeign(ctx, e.Store(), other); err != nil {
		t.Fatal(err)
	}
	spec := CreateSpec{Name: "t", BillingMode: BillingPayPerRequest, KeySchema: ksOf("pk"), AttributeDefinitions: defsOf("pk", "S")}
	if _, _, err := e.CreateTable(ctx, spec); !errors.Is(err, storage.ErrTableExists) {
		t.Fatalf("CreateTable of a foreign name: %v, want storage.ErrTableExists", err)
	}
	if def, ok, err := ForeignDef(e.Store(), "t", other.Incarnation); err != nil || !ok || def.Replicas[0] != "eu-west-1" {
		t.Fatalf("ForeignDef = %+v, %v, %v", def, ok, err)
	}
	// Once that incarnation has ended, the name is free.
	if err := ForgetForeign(ctx, e.Store(), "t", other.Incarnation); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.CreateTable(ctx, spec); err != nil {
		t.Fatalf("CreateTable after the foreign table ended: %v", err)
	}
}
