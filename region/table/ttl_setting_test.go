package table

import (
	"context"
	"errors"
	"testing"

	"github.com/concorddb/concord/storage"
)

func TestTableSetTTL(t *testing.T) {
	ctx := context.Background()
	e := newDefsEngine(t)
	if _, _, err := e.CreateTable(ctx, onDemand("tbl")); err != nil {
		t.Fatal(err)
	}
	attr := func() string {
		def, err := e.Store().Table("tbl")
		if err != nil {
			t.Fatal(err)
		}
		return TTLAttribute(def)
	}
	if err := e.SetTTL(ctx, "tbl", false, "exp"); !errors.Is(err, ErrTTLDisabled) {
		t.Errorf("disabling TTL that is off: %v", err)
	}
	if err := e.SetTTL(ctx, "tbl", true, "exp"); err != nil || attr() != "exp" {
		t.Fatalf("enabling: %v; attribute %q", err, attr())
	}
	if err := e.SetTTL(ctx, "tbl", true, "other"); !errors.Is(err, ErrTTLEnabled) {
		t.Errorf("enabling it again: %v", err)
	}
	var tae *TTLAttributeError
	if err := e.SetTTL(ctx, "tbl", false, "other"); !errors.As(err, &tae) || !errors.Is(err, ErrTTLOtherAttribute) || tae.Attr != "exp" {
		t.Errorf("disabling under another attribute: %v", err)
	}
	if err := e.SetTTL(ctx, "tbl", false, "exp"); err != nil || attr() != "" {
		t.Fatalf("disabling: %v; attribute %q", err, attr())
	}
	if err := e.SetTTL(ctx, "nope", true, "exp"); !errors.Is(err, storage.ErrTableNotFound) {
		t.Errorf("an unknown table: %v", err)
	}
}
