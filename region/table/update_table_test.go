package table

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/concorddb/concord/storage"
)

// provisioned creates a provisioned table tbl (keys pk, sk; 5 read and
// write units) with a global index byG (on g, 1 and 1 units) and a local
// index local (pk, g).
func provisioned(t *testing.T, e *Engine) {
	t.Helper()
	s := onDemand("tbl")
	s.BillingMode, s.Throughput = BillingProvisioned, &Throughput{Read: 5, Write: 5}
	s.GlobalIndexes[0].Throughput = &Throughput{Read: 1, Write: 1}
	s.LocalIndexes = []IndexSpec{{Name: "local", KeySchema: ksOf("pk", "g")}}
	if _, _, err := e.CreateTable(context.Background(), s); err != nil {
		t.Fatal(err)
	}
}

func TestTableUpdateSettings(t *testing.T) {
	ctx := context.Background()
	e := newDefsEngine(t)
	provisioned(t, e)

	same := UpdateSpec{Throughput: &Throughput{Read: 5, Write: 5}, ThroughputOnly: true}
	var tue *ThroughputUnchangedError
	if _, _, err := e.UpdateTable(ctx, "tbl", same); !errors.As(err, &tue) || !errors.Is(err, ErrThroughputUnchanged) ||
		tue.Current != (Throughput{Read: 5, Write: 5}) || tue.Requested != tue.Current {
		t.Fatalf("the current throughput alone: %v, want a *ThroughputUnchangedError", err)
	}
	same.ThroughputOnly = false
	if _, _, err := e.UpdateTable(ctx, "tbl", same); err != nil {
		t.Fatalf("the current throughput beside another change: %v", err)
	}

	_, m, err := e.UpdateTable(ctx, "tbl", UpdateSpec{Throughput: &Throughput{Read: 10, Write: 2}, ThroughputOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if m.ReadCapacity != 10 || m.WriteCapacity != 2 || m.LastIncrease == 0 || m.LastDecrease == 0 || m.DecreasesToday != 1 {
		t.Errorf("after an increase and a decrease: %+v", m)
	}
	if _, _, err := e.UpdateTable(ctx, "tbl", UpdateSpec{BillingMode: BillingPayPerRequest, Throughput: &Throughput{Read: 1, Write: 1}}); !errors.Is(err, ErrThroughputOnDemand) {
		t.Errorf("on demand with a throughput: %v", err)
	}
	_, m, err = e.UpdateTable(ctx, "tbl", UpdateSpec{BillingMode: BillingPayPerRequest})
	if err != nil || m.BillingMode != BillingPayPerRequest || !m.BillingModeSet || m.ReadCapacity != 0 || m.LastPayPerRequest == 0 {
		t.Fatalf("to on demand: %+v, %v", m, err)
	}
	if _, _, err := e.UpdateTable(ctx, "tbl", UpdateSpec{BillingMode: BillingProvisioned}); !errors.Is(err, ErrSwitchNeedsThroughput) {
		t.Errorf("to provisioned without a throughput: %v", err)
	}
	on := true
	_, m, err = e.UpdateTable(ctx, "tbl", UpdateSpec{DeletionProtection: &on, TableClass: "STANDARD_INFREQUENT_ACCESS",
		SSE: &SSESpec{Enabled: true, KMSMasterKeyID: "k"}})
	if err != nil || !m.DeletionProtectionEnabled || m.TableClass != "STANDARD_INFREQUENT_ACCESS" || !m.SSEEnabled || m.KMSMasterKeyID != "k" {
		t.Fatalf("settings: %+v, %v", m, err)
	}
	_, m, err = e.UpdateTable(ctx, "tbl", UpdateSpec{TableClass: "STANDARD", SSE: &SSESpec{}})
	if err != nil || m.TableClass != "" || m.SSEEnabled || m.SSEType != "" || !m.DeletionProtectionEnabled {
		t.Fatalf("settings back: %+v, %v", m, err)
	}
	// The changes are stored.
	def, err := e.Store().Table("tbl")
	if err != nil {
		t.Fatal(err)
	}
	if sm, _ := LoadMeta(def); sm.BillingMode != BillingPayPerRequest || !sm.DeletionProtectionEnabled {
		t.Errorf("stored meta %+v", sm)
	}
	if _, _, err := e.UpdateTable(ctx, "nope", UpdateSpec{BillingMode: BillingPayPerRequest}); !errors.Is(err, storage.ErrTableNotFound) {
		t.Errorf("an unknown table: %v", err)
	}
}

func TestTableUpdateIndexes(t *testing.T) {
	ctx := context.Background()
	e := newDefsEngine(t)
	provisioned(t, e)
	pt := &Throughput{Read: 2, Write: 3}
	create := func(name, key string) IndexUpdate {
		return IndexUpdate{Create: &IndexSpec{Name: name, KeySchema: ksOf(key), Throughput: pt}}
	}
	var ie *IndexError
	for _, c := range []struct {
		name string
		u    UpdateSpec
		want error
	}{
		{"two changes", UpdateSpec{IndexUpdates: []IndexUpdate{create("byY", "y"), {Index: "byG", Delete: true}}, AttributeDefinitions: defsOf("y", "S")}, ErrOneIndexChange},
		{"type change", UpdateSpec{IndexUpdates: []IndexUpdate{create("byY", "g")}, AttributeDefinitions: defsOf("g", "S")}, ErrDefinitionTypeChange},
		{"existing name", UpdateSpec{IndexUpdates: []IndexUpdate{create("local", "y")}, AttributeDefinitions: defsOf("y", "S")}, ErrIndexExists},
		{"no definitions", UpdateSpec{IndexUpdates: []IndexUpdate{create("byY", "y")}}, ErrNoDefinitions},
		{"undefined key", UpdateSpec{IndexUpdates: []IndexUpdate{create("byY", "y")}, AttributeDefinitions: []AttributeDefinition{}}, ErrUndefinedKey},
		{"no throughput", UpdateSpec{IndexUpdates: []IndexUpdate{{Create: &IndexSpec{Name: "byY", KeySchema: ksOf("y")}}}, AttributeDefinitions: defsOf("y", "S")}, ErrIndexThroughputRequired},
		{"delete a local index", UpdateSpec{IndexUpdates: []IndexUpdate{{Index: "local", Delete: true}}}, ErrIndexNotFound},
		{"update an unknown index", UpdateSpec{IndexUpdates: []IndexUpdate{{Index: "nope", Throughput: pt}}}, ErrIndexNotFound},
		{"update without throughput", UpdateSpec{IndexUpdates: []IndexUpdate{{Index: "byG"}}}, ErrIndexThroughputNotProvisioned},
	} {
		if _, _, err := e.UpdateTable(ctx, "tbl", c.u); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	_, _, err := e.UpdateTable(ctx, "tbl", UpdateSpec{IndexUpdates: []IndexUpdate{{Index: "local", Delete: true}}})
	if !errors.As(err, &ie) || ie.Index != "local" {
		t.Errorf("IndexError %+v", ie)
	}
	var ae *AttributeError
	_, _, err = e.UpdateTable(ctx, "tbl", UpdateSpec{IndexUpdates: []IndexUpdate{create("byY", "g")}, AttributeDefinitions: defsOf("g", "S")})
	if !errors.As(err, &ae) || ae.Attr != "g" || ae.From != "N" || ae.To != "S" {
		t.Errorf("AttributeError %+v", ae)
	}

	// A failed update changes nothing; a good one replicates (the table's
	// definition changes under this region's name).
	def, m, err := e.UpdateTable(ctx, "tbl", UpdateSpec{IndexUpdates: []IndexUpdate{create("byY", "y")}, AttributeDefinitions: defsOf("y", "S")})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := def.Index("byY"); !ok || len(def.Indexes) != 3 || m.IndexThroughput["byY"] != [2]int64{2, 3} || len(m.AttributeDefinitions) != 4 {
		t.Fatalf("after creating byY: %+v %+v", def.Indexes, m)
	}
	_, m, err = e.UpdateTable(ctx, "tbl", UpdateSpec{IndexUpdates: []IndexUpdate{{Index: "byG", Throughput: &Throughput{Read: 7, Write: 8}}}})
	if err != nil || m.IndexThroughput["byG"] != [2]int64{7, 8} {
		t.Fatalf("updating byG's throughput: %+v, %v", m.IndexThroughput, err)
	}
	def, m, err = e.UpdateTable(ctx, "tbl", UpdateSpec{IndexUpdates: []IndexUpdate{{Index: "byY", Delete: true}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := def.Index("byY"); ok || len(m.AttributeDefinitions) != 3 || slices.ContainsFunc(m.AttributeDefinitions, func(a AttributeDefinition) bool { return a.AttributeName == "y" }) {
		t.Fatalf("after deleting byY: %+v %+v; want y's definition gone", def.Indexes, m.AttributeDefinitions)
	}
	if _, ok := m.IndexThroughput["byY"]; ok {
		t.Error("a deleted index keeps its throughput")
	}
}

func TestTableUpdateIndexLimit(t *testing.T) {
	ctx := context.Background()
	e := newDefsEngine(t)
	s := onDemand("tbl")
	s.GlobalIndexes = nil
	for i := range MaxGlobalIndexes {
		s.GlobalIndexes = append(s.GlobalIndexes, IndexSpec{Name: fmt.Sprintf("g%02d", i), KeySchema: ksOf("g")})
	}
	if _, _, err := e.CreateTable(ctx, s); err != nil {
		t.Fatal(err)
	}
	_, _, err := e.UpdateTable(ctx, "tbl", UpdateSpec{AttributeDefinitions: defsOf("y", "S"),
		IndexUpdates: []IndexUpdate{{Create: &IndexSpec{Name: "one-more", KeySchema: ksOf("y")}}}})
	if !errors.Is(err, ErrGlobalIndexLimit) {
		t.Errorf("a global index beyond the limit: %v, want ErrGlobalIndexLimit", err)
	}
}
