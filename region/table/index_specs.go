package table

import (
	"slices"

	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// Secondary indexes of a table's definition: the rules of a new table's
// indexes (CreateSpec) and of UpdateTable's changes to its global
// secondary indexes (IndexUpdate). The store maintains and backfills
// them.

// DynamoDB's limits on secondary indexes.
const (
	// MaxGlobalIndexes is how many global secondary indexes a table may
	// have.
	MaxGlobalIndexes = 20
	// MaxLocalIndexes is how many local secondary indexes a table may
	// have.
	MaxLocalIndexes = 5
	// MaxProjectedAttributes is how many NonKeyAttributes a table's
	// indexes may project together.
	MaxProjectedAttributes = 100
)

// IndexSpec describes a secondary index to create.
type IndexSpec struct {
	Name string
	// KeySchema has one or two elements.
	KeySchema []KeySchemaElement
	// Projection is ALL, KEYS_ONLY or INCLUDE; "" means ALL.
	Projection string
	// NonKeyAttributes are the attributes an INCLUDE projection adds. A
	// list given, even empty, to another projection is an error.
	NonKeyAttributes []string
	// Throughput is a global secondary index's capacity: required when
	// the table is provisioned, refused on demand and for a local index.
	Throughput *Throughput
}

// indexBuilder checks index specifications against a table's key schema
// and attribute definitions.
type indexBuilder struct {
	pk       storage.KeyAttr
	sk       *storage.KeyAttr
	types    map[string]string // attribute definitions
	billing  string
	names    map[string]bool // index names seen (including existing ones)
	used     []string        // key attribute names the indexes use
	included int             // NonKeyAttributes over all indexes
	// throughput is each GSI's provisioned capacity (provisioned tables).
	throughput map[string][2]int64
}

func newIndexBuilder(pk storage.KeyAttr, sk *storage.KeyAttr, defs []AttributeDefinition, billing string) *indexBuilder {
	b := &indexBuilder{pk: pk, sk: sk, types: map[string]string{}, billing: billing,
		names: map[string]bool{}, throughput: map[string][2]int64{}}
	for _, d := range defs {
		b.types[d.AttributeName] = d.AttributeType
	}
	return b
}

// build checks one index spec and returns its definition. Its errors
// are *IndexError.
func (b *indexBuilder) build(x IndexSpec, kind storage.IndexKind) (storage.IndexDef, error) {
	fail := func(err error) (storage.IndexDef, error) {
		return storage.IndexDef{}, &IndexError{Index: x.Name, Err: err}
	}
	name := x.Name
	if b.names[name] {
		return fail(ErrDuplicateIndex)
	}
	b.names[name] = true
	ks := x.KeySchema
	if len(ks) < 1 || len(ks) > 2 {
		return storage.IndexDef{}, &IndexError{Index: name, Err: errKeySchemaSize(len(ks))}
	}
	if err := checkKeyOrder(ks); err != nil {
		return fail(err)
	}
	var keys []string
	missing := false
	for _, k := range ks {
		keys = append(keys, k.AttributeName)
		if _, ok := b.types[k.AttributeName]; !ok {
			missing = true
		}
	}
	if missing {
		names := make([]string, 0, len(b.types))
		for n := range b.types {
			names = append(names, n)
		}
		slices.Sort(names)
		return fail(&UndefinedKeyError{Keys: keys, Defined: names})
	}
	b.used = append(b.used, keys...)
	def := storage.IndexDef{Name: name, Kind: kind}
	var err error
	if def.PartitionKey, err = keyAttr(ks[0].AttributeName, b.types); err != nil {
		return fail(err)
	}
	if len(ks) == 2 {
		sk, err := keyAttr(ks[1].AttributeName, b.types)
		if err != nil {
			return fail(err)
		}
		def.SortKey = &sk
	}
	if kind == storage.IndexLocal {
		if b.sk == nil {
			return fail(ErrLocalIndexNeedsSortKey)
		}
		if def.PartitionKey.Name != b.pk.Name {
			return storage.IndexDef{}, &IndexError{Index: name, Attr: def.PartitionKey.Name, TableKey: b.pk.Name, Err: ErrLocalIndexPartitionKey}
		}
		if def.SortKey == nil {
			return fail(ErrLocalIndexNoSortKey)
		}
	}
	pt := x.Projection
	if pt == "" {
		pt = string(storage.ProjectAll)
	}
	def.Projection = storage.ProjectionType(pt)
	nk := x.NonKeyAttributes
	switch {
	case pt == string(storage.ProjectInclude) && len(nk) == 0:
		return fail(ErrIncludeWithoutAttributes)
	case pt != string(storage.ProjectInclude) && nk != nil:
		return storage.IndexDef{}, &IndexError{Index: name, Projection: pt, Err: ErrAttributesWithoutInclude}
	}
	seen := map[string]bool{}
	for _, a := range nk {
		if a == "" || len(a) > item.MaxKeyAttributeNameSize {
			return storage.IndexDef{}, &IndexError{Index: name, Attr: a, Err: ErrInvalidNonKeyAttribute}
		}
		if seen[a] {
			return storage.IndexDef{}, &IndexError{Index: name, Attr: a, Err: ErrDuplicateNonKeyAttribute}
		}
		seen[a] = true
	}
	b.included += len(nk)
	if b.included > MaxProjectedAttributes {
		return fail(ErrTooManyProjectedAttributes)
	}
	def.NonKeyAttributes = append([]string(nil), nk...)
	if kind == storage.IndexGlobal {
		switch {
		case b.billing == BillingProvisioned && x.Throughput == nil:
			return fail(ErrIndexThroughputRequired)
		case b.billing == BillingPayPerRequest && x.Throughput != nil:
			return fail(ErrIndexThroughputOnDemand)
		case x.Throughput != nil:
			b.throughput[name] = [2]int64{x.Throughput.Read, x.Throughput.Write}
		}
	} else if x.Throughput != nil {
		return fail(ErrLocalIndexThroughput)
	}
	return def, nil
}

// indexes checks a new table's index specs and returns their
// definitions (local ones first), every key attribute name they use,
// and the global ones' throughput.
func (s *CreateSpec) indexes(pk storage.KeyAttr, sk *storage.KeyAttr) ([]storage.IndexDef, []string, map[string][2]int64, error) {
	if !s.hasIndexes() {
		return nil, nil, nil, nil
	}
	switch {
	case len(s.GlobalIndexes) > MaxGlobalIndexes:
		return nil, nil, nil, ErrTooManyGlobalIndexes
	case len(s.LocalIndexes) > MaxLocalIndexes:
		return nil, nil, nil, ErrTooManyLocalIndexes
	}
	b := newIndexBuilder(pk, sk, s.AttributeDefinitions, s.billingMode())
	var out []storage.IndexDef
	for _, x := range s.LocalIndexes {
		def, err := b.build(x, storage.IndexLocal)
		if err != nil {
			return nil, nil, nil, err
		}
		out = append(out, def)
	}
	for _, x := range s.GlobalIndexes {
		def, err := b.build(x, storage.IndexGlobal)
		if err != nil {
			return nil, nil, nil, err
		}
		out = append(out, def)
	}
	return out, b.used, b.throughput, nil
}

// IndexUpdate is one change of a table's global secondary indexes.
type IndexUpdate struct {
	// Create, when set, adds the global secondary index it describes.
	Create *IndexSpec
	// Otherwise Index names an existing global secondary index, which
	// is deleted (Delete) or given Throughput (nil: none given).
	Index      string
	Delete     bool
	Throughput *Throughput
}

// createsOrDeletes reports whether u creates or deletes an index.
func (u IndexUpdate) createsOrDeletes() bool { return u.Create != nil || u.Delete }

// updateIndexes applies ups to the table's definition and meta; defs are
// the attribute definitions the update gives (nil: none). It runs inside
// storage.UpdateTableFrom, under the catalog lock.
func updateIndexes(def *storage.TableDef, m *Meta, ups []IndexUpdate, defs []AttributeDefinition) error {
	changes := 0
	for _, u := range ups {
		if u.createsOrDeletes() {
			changes++
		}
	}
	if changes > 1 {
		return ErrOneIndexChange
	}
	// Attribute definitions: the table's, plus those the update adds.
	attrs := append([]AttributeDefinition(nil), m.AttributeDefinitions...)
	for _, d := range defs {
		found := false
		for i, a := range attrs {
			if a.AttributeName == d.AttributeName {
				if a.AttributeType != d.AttributeType {
					return &AttributeError{Attr: a.AttributeName, From: a.AttributeType, To: d.AttributeType, Err: ErrDefinitionTypeChange}
				}
				attrs[i], found = d, true
			}
		}
		if !found {
			attrs = append(attrs, d)
		}
	}
	for _, u := range ups {
		switch {
		case u.Create != nil:
			x := *u.Create
			if _, ok := def.Index(x.Name); ok {
				return &IndexError{Index: x.Name, Err: ErrIndexExists}
			}
			if defs == nil {
				return ErrNoDefinitions
			}
			gsis := 0
			for _, y := range def.Indexes {
				if y.Kind == storage.IndexGlobal {
					gsis++
				}
			}
			if gsis >= MaxGlobalIndexes {
				return ErrGlobalIndexLimit
			}
			b := newIndexBuilder(def.PartitionKey, def.SortKey, attrs, m.BillingMode)
			for _, y := range def.Indexes {
				b.names[y.Name] = true
				b.included += len(y.NonKeyAttributes)
			}
			nx, err := b.build(x, storage.IndexGlobal)
			if err != nil {
				return err
			}
			def.Indexes = append(def.Indexes, nx)
			if t, ok := b.throughput[nx.Name]; ok {
				if m.IndexThroughput == nil {
					m.IndexThroughput = map[string][2]int64{}
				}
				m.IndexThroughput[nx.Name] = t
			}
		case u.Delete:
			x, ok := def.Index(u.Index)
			if !ok || x.Kind != storage.IndexGlobal {
				return &IndexError{Index: u.Index, Err: ErrIndexNotFound}
			}
			for i, y := range def.Indexes {
				if y.Name == u.Index {
					def.Indexes = append(def.Indexes[:i:i], def.Indexes[i+1:]...)
					break
				}
			}
			delete(m.IndexThroughput, u.Index)
		default:
			if x, ok := def.Index(u.Index); !ok || x.Kind != storage.IndexGlobal {
				return &IndexError{Index: u.Index, Err: ErrIndexNotFound}
			}
			if m.BillingMode != BillingProvisioned || u.Throughput == nil {
				return &IndexError{Index: u.Index, Err: ErrIndexThroughputNotProvisioned}
			}
			if m.IndexThroughput == nil {
				m.IndexThroughput = map[string][2]int64{}
			}
			m.IndexThroughput[u.Index] = [2]int64{u.Throughput.Read, u.Throughput.Write}
		}
	}
	// Keep exactly the attribute definitions the table and its indexes use.
	used := keyAttributes(*def)
	m.AttributeDefinitions = m.AttributeDefinitions[:0]
	for _, a := range attrs {
		if used[a.AttributeName] {
			m.AttributeDefinitions = append(m.AttributeDefinitions, a)
		}
	}
	return nil
}
