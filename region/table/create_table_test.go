package table

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// newDefsEngine returns an engine of region us-east-1 over an in-memory
// store, with a manual clock.
func newDefsEngine(t *testing.T) *Engine {
	t.Helper()
	return newMemEngine(t, 1_700_000_000_123_000_000)
}

// ksOf returns a key schema: a HASH key and, if given, a RANGE key.
func ksOf(names ...string) []KeySchemaElement {
	ks := []KeySchemaElement{{AttributeName: names[0], KeyType: KeyHash}}
	if len(names) > 1 {
		ks = append(ks, KeySchemaElement{AttributeName: names[1], KeyType: KeyRange})
	}
	return ks
}

// defsOf returns attribute definitions from name, type pairs.
func defsOf(pairs ...string) []AttributeDefinition {
	var out []AttributeDefinition
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, AttributeDefinition{AttributeName: pairs[i], AttributeType: pairs[i+1]})
	}
	return out
}

// onDemand is a valid spec of an on-demand table with keys pk and sk and
// a third definition g for indexes.
func onDemand(name string) CreateSpec {
	return CreateSpec{
		Name:                 name,
		KeySchema:            ksOf("pk", "sk"),
		AttributeDefinitions: defsOf("pk", "S", "sk", "S", "g", "N"),
		BillingMode:          BillingPayPerRequest,
		GlobalIndexes:        []IndexSpec{{Name: "byG", KeySchema: ksOf("g")}},
	}
}

func TestTableCreateSpecErrors(t *testing.T) {
	pt := &Throughput{Read: 1, Write: 1}
	cases := []struct {
		name   string
		change func(s *CreateSpec)
		want   error
	}{
		{"provisioned without throughput", func(s *CreateSpec) { s.BillingMode = "" }, ErrThroughputRequired},
		{"on demand with throughput", func(s *CreateSpec) { s.Throughput = pt }, ErrThroughputOnDemand},
		{"more keys than definitions", func(s *CreateSpec) { s.AttributeDefinitions = defsOf("pk", "S") }, ErrKeySchemaUndefined},
		{"range first", func(s *CreateSpec) { s.KeySchema[0].KeyType = KeyRange }, ErrFirstKeyNotHash},
		{"two hash keys", func(s *CreateSpec) { s.KeySchema[1].KeyType = KeyHash }, ErrSecondKeyNotRange},
		{"same key twice", func(s *CreateSpec) { s.KeySchema = ksOf("pk", "pk") }, ErrSameKeyNames},
		{"duplicate definition", func(s *CreateSpec) { s.AttributeDefinitions = defsOf("pk", "S", "pk", "N") }, ErrDuplicateDefinition},
		{"undefined key", func(s *CreateSpec) { s.AttributeDefinitions = defsOf("pk", "S", "x", "S") }, ErrUndefinedKey},
		{"unused definition", func(s *CreateSpec) { s.GlobalIndexes = nil }, ErrUnusedDefinition},
		{"unused definition beside indexes", func(s *CreateSpec) {
			s.AttributeDefinitions = append(s.AttributeDefinitions, AttributeDefinition{AttributeName: "z", AttributeType: "S"})
		}, ErrUnusedDefinition},
		{"too many global indexes", func(s *CreateSpec) { s.GlobalIndexes = make([]IndexSpec, MaxGlobalIndexes+1) }, ErrTooManyGlobalIndexes},
		{"too many local indexes", func(s *CreateSpec) { s.LocalIndexes = make([]IndexSpec, MaxLocalIndexes+1) }, ErrTooManyLocalIndexes},
		{"duplicate index", func(s *CreateSpec) { s.GlobalIndexes = append(s.GlobalIndexes, s.GlobalIndexes[0]) }, ErrDuplicateIndex},
		{"index key undefined", func(s *CreateSpec) { s.GlobalIndexes[0].KeySchema = ksOf("nope") }, ErrUndefinedKey},
		{"index range first", func(s *CreateSpec) { s.GlobalIndexes[0].KeySchema[0].KeyType = KeyRange }, ErrFirstKeyNotHash},
		{"local index on a table without sort key", func(s *CreateSpec) {
			s.KeySchema, s.AttributeDefinitions = ksOf("pk"), defsOf("pk", "S", "g", "N")
			s.GlobalIndexes, s.LocalIndexes = nil, []IndexSpec{{Name: "local", KeySchema: ksOf("pk", "g")}}
		}, ErrLocalIndexNeedsSortKey},
		{"local index on another partition key", func(s *CreateSpec) {
			s.LocalIndexes = []IndexSpec{{Name: "local", KeySchema: ksOf("g", "sk")}}
		}, ErrLocalIndexPartitionKey},
		{"local index without sort key", func(s *CreateSpec) {
			s.LocalIndexes = []IndexSpec{{Name: "local", KeySchema: ksOf("pk")}}
		}, ErrLocalIndexNoSortKey},
		{"local index with throughput", func(s *CreateSpec) {
			s.LocalIndexes = []IndexSpec{{Name: "local", KeySchema: ksOf("pk", "g"), Throughput: pt}}
		}, ErrLocalIndexThroughput},
		{"include without attributes", func(s *CreateSpec) { s.GlobalIndexes[0].Projection = "INCLUDE" }, ErrIncludeWithoutAttributes},
		{"attributes without include", func(s *CreateSpec) { s.GlobalIndexes[0].NonKeyAttributes = []string{} }, ErrAttributesWithoutInclude},
		{"empty attribute", func(s *CreateSpec) {
			s.GlobalIndexes[0].Projection, s.GlobalIndexes[0].NonKeyAttributes = "INCLUDE", []string{""}
		}, ErrInvalidNonKeyAttribute},
		{"duplicate attribute", func(s *CreateSpec) {
			s.GlobalIndexes[0].Projection, s.GlobalIndexes[0].NonKeyAttributes = "INCLUDE", []string{"a", "a"}
		}, ErrDuplicateNonKeyAttribute},
		{"too many projected attributes", func(s *CreateSpec) {
			s.GlobalIndexes[0].Projection = "INCLUDE"
			for i := range MaxProjectedAttributes + 1 {
				s.GlobalIndexes[0].NonKeyAttributes = append(s.GlobalIndexes[0].NonKeyAttributes, strings.Repeat("a", i+1))
			}
		}, ErrTooManyProjectedAttributes},
		{"index of a provisioned table without throughput", func(s *CreateSpec) {
			s.BillingMode, s.Throughput = BillingProvisioned, pt
		}, ErrIndexThroughputRequired},
		{"index of an on-demand table with throughput", func(s *CreateSpec) { s.GlobalIndexes[0].Throughput = pt }, ErrIndexThroughputOnDemand},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := onDemand("tbl")
			c.change(&s)
			if err := s.Check(); !errors.Is(err, c.want) {
				t.Fatalf("Check() = %v, want %v", err, c.want)
			}
			if _, _, err := newDefsEngine(t).CreateTable(context.Background(), s); !errors.Is(err, c.want) {
				t.Fatalf("CreateTable = %v, want %v", err, c.want)
			}
		})
	}
}

// TestTableCreateSpecErrorFields: the typed errors carry what a message
// about them names.
func TestTableCreateSpecErrorFields(t *testing.T) {
	s := onDemand("tbl")
	s.AttributeDefinitions = defsOf("pk", "S", "x", "S")
	var uke *UndefinedKeyError
	if err := s.Check(); !errors.As(err, &uke) || !slices.Equal(uke.Keys, []string{"pk", "sk"}) || !slices.Equal(uke.Defined, []string{"pk", "x"}) {
		t.Errorf("undefined key: %v (%+v)", err, uke)
	}
	s = onDemand("tbl")
	s.GlobalIndexes[0].KeySchema = ksOf("zz", "aa")
	var ie *IndexError
	if err := s.Check(); !errors.As(err, &ie) || ie.Index != "byG" || !errors.As(err, &uke) ||
		!slices.Equal(uke.Defined, []string{"g", "pk", "sk"}) {
		t.Errorf("an index's undefined key: %v; want the index named and the definitions sorted", err)
	}
	s = onDemand("tbl")
	s.AttributeDefinitions = append(s.AttributeDefinitions, AttributeDefinition{AttributeName: "z", AttributeType: "S"})
	var ude *UnusedDefinitionError
	if err := s.Check(); !errors.As(err, &ude) || !slices.Equal(ude.Used, []string{"pk", "sk", "g"}) || len(ude.Defined) != 4 {
		t.Errorf("unused definition: %v (%+v)", err, ude)
	}
	s = onDemand("tbl")
	s.LocalIndexes = []IndexSpec{{Name: "local", KeySchema: ksOf("g", "sk")}}
	if err := s.Check(); !errors.As(err, &ie) || ie.Index != "local" || ie.Attr != "g" || ie.TableKey != "pk" {
		t.Errorf("local index partition key: %v (%+v)", err, ie)
	}
	s = onDemand("tbl")
	s.GlobalIndexes[0].Projection, s.GlobalIndexes[0].NonKeyAttributes = "KEYS_ONLY", []string{"a"}
	if err := s.Check(); !errors.As(err, &ie) || ie.Projection != "KEYS_ONLY" {
		t.Errorf("attributes without include: %v (%+v)", err, ie)
	}
	s = onDemand("tbl")
	s.AttributeDefinitions = defsOf("pk", "S", "pk", "N")
	var ae *AttributeError
	if err := s.Check(); !errors.As(err, &ae) || ae.Attr != "pk" {
		t.Errorf("duplicate definition: %v", err)
	}
}

// TestTableCreateSpecOrder: billing is judged before the key schema, the
// key schema before the indexes, local indexes before global ones; and
// CheckTable ignores the indexes.
func TestTableCreateSpecOrder(t *testing.T) {
	s := onDemand("tbl")
	s.Throughput = &Throughput{Read: 1, Write: 1}
	s.KeySchema[0].KeyType = KeyRange
	if err := s.Check(); !errors.Is(err, ErrThroughputOnDemand) {
		t.Errorf("billing and key schema errors: %v, want the billing one", err)
	}
	s = onDemand("tbl")
	s.KeySchema[0].KeyType = KeyRange
	s.GlobalIndexes = append(s.GlobalIndexes, s.GlobalIndexes[0])
	if err := s.Check(); !errors.Is(err, ErrFirstKeyNotHash) {
		t.Errorf("key schema and index errors: %v, want the key schema one", err)
	}
	s = onDemand("tbl")
	s.GlobalIndexes[0].Throughput = &Throughput{Read: 1, Write: 1}
	s.LocalIndexes = []IndexSpec{{Name: "local", KeySchema: ksOf("pk")}}
	if err := s.Check(); !errors.Is(err, ErrLocalIndexNoSortKey) {
		t.Errorf("global and local index errors: %v, want the local one", err)
	}
	if err := s.CheckTable(); err != nil {
		t.Errorf("CheckTable judged the indexes: %v", err)
	}
	// With an index list given, even empty, the key schema need not use
	// every definition (CheckTable); with none it must.
	s = onDemand("tbl")
	s.GlobalIndexes = []IndexSpec{}
	if err := s.CheckTable(); err != nil {
		t.Errorf("CheckTable with an empty index list: %v", err)
	}
	s.GlobalIndexes = nil
	if err := s.CheckTable(); !errors.Is(err, ErrUnusedDefinition) {
		t.Errorf("CheckTable without indexes: %v, want ErrUnusedDefinition", err)
	}
}

func TestTableCreate(t *testing.T) {
	ctx := context.Background()
	e := newDefsEngine(t)
	e.SetRegions(func() []string { return []string{"eu-west-1"} })
	s := onDemand("tbl")
	s.BillingMode, s.Throughput = BillingProvisioned, &Throughput{Read: 5, Write: 7}
	s.GlobalIndexes[0].Throughput = &Throughput{Read: 3, Write: 4}
	s.GlobalIndexes[0].Projection = "KEYS_ONLY"
	s.LocalIndexes = []IndexSpec{{Name: "local", KeySchema: ksOf("pk", "g"), Projection: "INCLUDE", NonKeyAttributes: []string{"x"}}}
	s.TableClass, s.DeletionProtection, s.SSE, s.KMSMasterKeyID = "STANDARD_INFREQUENT_ACCESS", true, true, "k1"
	s.Tags = []Tag{{Key: "team", Value: "core"}}
	s.StreamViewType = "NEW_IMAGE"
	def, m, err := e.CreateTable(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if def.PartitionKey != (storage.KeyAttr{Name: "pk", Type: item.TypeS}) || def.SortKey == nil || def.SortKey.Name != "sk" ||
		def.Origin != "us-east-1" || !slices.Equal(def.Replicas, []string{"eu-west-1", "us-east-1"}) || def.CreatedAt == 0 {
		t.Errorf("definition %+v", def)
	}
	if len(def.Indexes) != 2 || def.Indexes[0].Name != "local" || def.Indexes[0].Kind != storage.IndexLocal ||
		def.Indexes[1].Name != "byG" || def.Indexes[1].Projection != storage.ProjectKeysOnly ||
		def.Indexes[1].PartitionKey != (storage.KeyAttr{Name: "g", Type: item.TypeN}) {
		t.Errorf("indexes %+v", def.Indexes)
	}
	if m.TableID == "" || m.BillingMode != BillingProvisioned || !m.BillingModeSet || m.ReadCapacity != 5 || m.WriteCapacity != 7 ||
		m.IndexThroughput["byG"] != [2]int64{3, 4} || m.TableClass != "STANDARD_INFREQUENT_ACCESS" || !m.DeletionProtectionEnabled ||
		!m.SSEEnabled || m.SSEType != "KMS" || m.KMSMasterKeyID != "k1" || len(m.Tags) != 1 || len(m.AttributeDefinitions) != 3 {
		t.Errorf("meta %+v", m)
	}
	stored, err := e.Store().Table("tbl")
	if err != nil {
		t.Fatal(err)
	}
	if sm, err := LoadMeta(stored); err != nil || sm.TableID != m.TableID {
		t.Errorf("stored meta %+v, %v", sm, err)
	}
	if st, ok, err := e.LatestStream(stored); err != nil || !ok || st.ViewType != "NEW_IMAGE" || st.Disabled {
		t.Errorf("stream %+v %v %v", st, ok, err)
	}
	if _, _, err := e.CreateTable(ctx, onDemand("tbl")); !errors.Is(err, storage.ErrTableExists) {
		t.Errorf("a second table of the name: %v, want storage.ErrTableExists", err)
	}

	// Defaults: provisioned unless named (and then not "set"), the
	// standard class, no stream; a lone region leaves the replica set
	// empty (every region).
	lone := newDefsEngine(t)
	s = CreateSpec{Name: "plain", KeySchema: ksOf("pk"), AttributeDefinitions: defsOf("pk", "B"), Throughput: &Throughput{Read: 1, Write: 2}, TableClass: "STANDARD"}
	def, m, err = lone.CreateTable(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if m.BillingMode != BillingProvisioned || m.BillingModeSet || m.TableClass != "" || m.IndexThroughput != nil || def.Replicas != nil || def.Indexes != nil {
		t.Errorf("defaults: %+v %+v", def, m)
	}
	if _, ok, _ := lone.LatestStream(def); ok {
		t.Error("a stream without StreamViewType")
	}
}
