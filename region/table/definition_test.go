package table

import (
	"encoding/json"
	"maps"
	"testing"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

func ver(wall int64, region string) []byte {
	v := conflict.Version{Region: region}
	v.TS.Wall = wall
	return v.Encode()
}

func gsi(name, attr string) storage.IndexDef {
	return storage.IndexDef{Name: name, Kind: storage.IndexGlobal, PartitionKey: storage.KeyAttr{Name: attr, Type: item.TypeS}, Projection: storage.ProjectAll}
}

func defWith(t *testing.T, m Meta, replicas []string, idx ...storage.IndexDef) storage.TableDef {
	t.Helper()
	b, err := json.Marshal(&m)
	if err != nil {
		t.Fatal(err)
	}
	return storage.TableDef{Name: "t", PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeS},
		Indexes: idx, Replicas: replicas, Meta: b}
}

// TestTableMergeDefinitionCommutes: merging two regions' definitions field
// by field gives the same global definition whichever side merges into
// which, keeps both sides' concurrent changes, and lets a later removal
// win over an earlier add.
func TestTableMergeDefinitionCommutes(t *testing.T) {
	a := defWith(t, Meta{TableID: "A", TTLAttribute: "exp",
		Versions: map[string][]byte{fieldIndex + "g1": ver(10, "a"), fieldTTL: ver(12, "a"), fieldReplica + "c": ver(30, "a")}},
		[]string{"a", "b"}, gsi("g1", "x"))
	b := defWith(t, Meta{TableID: "B",
		Versions: map[string][]byte{fieldIndex + "g2": ver(11, "b"), fieldTTL: ver(5, "b"), fieldReplica + "c": ver(20, "b")}},
		[]string{"a", "b", "c"}, gsi("g2", "y"))
	ab, ba := a, b
	if err := MergeDefinition(&ab, b); err != nil {
		t.Fatal(err)
	}
	if err := MergeDefinition(&ba, a); err != nil {
		t.Fatal(err)
	}
	mab, _ := LoadMeta(ab)
	mba, _ := LoadMeta(ba)
	fab, fba := globalFields(ab, mab), globalFields(ba, mba)
	if !maps.Equal(fab, fba) {
		t.Fatalf("merge does not commute:\n a<-b %v\n b<-a %v", fab, fba)
	}
	want := map[string]string{fieldTTL: "exp", fieldReplica + "a": "member", fieldReplica + "b": "member"}
	for k, v := range want {
		if fab[k] != v {
			t.Errorf("field %s = %q, want %q", k, fab[k], v)
		}
	}
	if _, ok := fab[fieldIndex+"g1"]; !ok {
		t.Error("a's index g1 lost")
	}
	if _, ok := fab[fieldIndex+"g2"]; !ok {
		t.Error("b's index g2 lost")
	}
	if _, ok := fab[fieldReplica+"c"]; ok {
		t.Error("a's later removal of replica c lost to b's earlier add")
	}
	if mab.TableID != "A" || mba.TableID != "B" {
		t.Errorf("a replica's own settings crossed over: %s, %s", mab.TableID, mba.TableID)
	}
	// Merging again changes nothing.
	again := ab
	if err := MergeDefinition(&again, b); err != nil {
		t.Fatal(err)
	}
	if m, _ := LoadMeta(again); !maps.Equal(globalFields(again, m), fab) {
		t.Fatal("merge is not idempotent")
	}
}
