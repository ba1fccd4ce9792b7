package api

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// DynamoDB's limits on secondary indexes.
const (
	maxGSIs                 = 20
	maxLSIs                 = 5
	maxProjectedAttributes  = 100
	msgBackfillingIndexRead = "Cannot read from backfilling global secondary index: %s"
)

// indexSpec is DynamoDB's GlobalSecondaryIndex / LocalSecondaryIndex (and
// the Create member of a GlobalSecondaryIndexUpdate).
type indexSpec struct {
	IndexName             *string                `json:"IndexName"`
	KeySchema             []keySchemaElement     `json:"KeySchema"`
	Projection            *projectionSpec        `json:"Projection"`
	ProvisionedThroughput *provisionedThroughput `json:"ProvisionedThroughput"`
}

// projectionSpec is DynamoDB's Projection.
type projectionSpec struct {
	ProjectionType   *string  `json:"ProjectionType,omitempty"`
	NonKeyAttributes []string `json:"NonKeyAttributes,omitempty"`
}

// gsiUpdate is DynamoDB's GlobalSecondaryIndexUpdate.
type gsiUpdate struct {
	Create *indexSpec `json:"Create"`
	Delete *struct {
		IndexName *string `json:"IndexName"`
	} `json:"Delete"`
	Update *struct {
		IndexName             *string                `json:"IndexName"`
		ProvisionedThroughput *provisionedThroughput `json:"ProvisionedThroughput"`
	} `json:"Update"`
}

// indexDescription is DynamoDB's GlobalSecondaryIndexDescription and
// LocalSecondaryIndexDescription.
type indexDescription struct {
	IndexName             string                 `json:"IndexName"`
	KeySchema             []keySchemaElement     `json:"KeySchema"`
	Projection            projectionSpec         `json:"Projection"`
	IndexStatus           string                 `json:"IndexStatus,omitempty"`
	Backfilling           *bool                  `json:"Backfilling,omitempty"`
	ProvisionedThroughput *throughputDescription `json:"ProvisionedThroughput,omitempty"`
	IndexSizeBytes        int64                  `json:"IndexSizeBytes"`
	ItemCount             int64                  `json:"ItemCount"`
	IndexArn              string                 `json:"IndexArn"`
}

// indexBuilder validates index specifications against a table's key
// schema and attribute definitions.
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

func newIndexBuilder(pk storage.KeyAttr, sk *storage.KeyAttr, defs []table.AttributeDefinition, billing string) *indexBuilder {
	b := &indexBuilder{pk: pk, sk: sk, types: map[string]string{}, billing: billing,
		names: map[string]bool{}, throughput: map[string][2]int64{}}
	for _, d := range defs {
		b.types[d.AttributeName] = d.AttributeType
	}
	return b
}

// decodeIndexSpecs decodes a list of raw index specifications.
func decodeIndexSpecs(raw []json.RawMessage) ([]indexSpec, error) {
	out := make([]indexSpec, len(raw))
	for i, r := range raw {
		if err := decode(r, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkIndexShape records the member constraints of one index spec.
func checkIndexShape(v *validationErrors, path string, x indexSpec) {
	if x.IndexName == nil {
		v.null(path + "indexName")
	} else if p := tableNameProblem(*x.IndexName); p != "" {
		v.add(quote(*x.IndexName), path+"indexName", p)
	}
	switch {
	case x.KeySchema == nil:
		v.null(path + "keySchema")
	case len(x.KeySchema) < 1:
		v.add("'[]'", path+"keySchema", "Member must have length greater than or equal to 1")
	case len(x.KeySchema) > 2:
		v.add(formatKeySchema(x.KeySchema), path+"keySchema", "Member must have length less than or equal to 2")
	}
	for i, k := range x.KeySchema {
		p := path + "keySchema." + strconv.Itoa(i+1) + ".member."
		checkAttributeName(v, p+"attributeName", k.AttributeName)
		switch k.KeyType {
		case "HASH", "RANGE":
		case "":
			v.null(p + "keyType")
		default:
			v.add(quote(k.KeyType), p+"keyType", "Member must satisfy enum value set: [HASH, RANGE]")
		}
	}
	switch {
	case x.Projection == nil:
		v.null(path + "projection")
	case x.Projection.ProjectionType != nil:
		switch t := *x.Projection.ProjectionType; t {
		case "ALL", "KEYS_ONLY", "INCLUDE":
		default:
			v.add(quote(t), path+"projection.projectionType", "Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]")
		}
	}
	if x.ProvisionedThroughput != nil {
		pt := x.ProvisionedThroughput
		for _, c := range []struct {
			n    *int64
			name string
		}{{pt.ReadCapacityUnits, "readCapacityUnits"}, {pt.WriteCapacityUnits, "writeCapacityUnits"}} {
			switch {
			case c.n == nil:
				v.null(path + "provisionedThroughput." + c.name)
			case *c.n < 1:
				v.add(quote(strconv.FormatInt(*c.n, 10)), path+"provisionedThroughput."+c.name, "Member must have value greater than or equal to 1")
			}
		}
	}
}

// keyAttr resolves an index key attribute against the attribute definitions.
func (b *indexBuilder) keyAttr(name string) (storage.KeyAttr, bool) {
	t, ok := keyType(b.types[name])
	return storage.KeyAttr{Name: name, Type: t}, ok
}

// build validates one index spec (shape already checked) and returns its
// definition.
func (b *indexBuilder) build(x indexSpec, kind storage.IndexKind) (storage.IndexDef, error) {
	name := *x.IndexName
	if b.names[name] {
		return storage.IndexDef{}, errInvalidParam("Duplicate index name: %s", name)
	}
	b.names[name] = true
	ks := x.KeySchema
	if ks[0].KeyType != "HASH" {
		return storage.IndexDef{}, errValidation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
	}
	if len(ks) == 2 {
		if ks[1].KeyType != "RANGE" {
			return storage.IndexDef{}, errValidation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
		}
		if ks[0].AttributeName == ks[1].AttributeName {
			return storage.IndexDef{}, errValidation("Both the Hash Key and the Range Key element in the KeySchema have the same name")
		}
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
		sortStrings(names)
		return storage.IndexDef{}, errInvalidParam("Some index key attributes are not defined in AttributeDefinitions. Keys: [%s], AttributeDefinitions: [%s]",
			strings.Join(keys, ", "), strings.Join(names, ", "))
	}
	b.used = append(b.used, keys...)
	def := storage.IndexDef{Name: name, Kind: kind}
	def.PartitionKey, _ = b.keyAttr(ks[0].AttributeName)
	if len(ks) == 2 {
		sk, _ := b.keyAttr(ks[1].AttributeName)
		def.SortKey = &sk
	}
	if kind == storage.IndexLocal {
		if b.sk == nil {
			return storage.IndexDef{}, errInvalidParam("Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex")
		}
		if def.PartitionKey.Name != b.pk.Name {
			return storage.IndexDef{}, errInvalidParam("Index KeySchema does not have the same leading hash key as table KeySchema for index: %s. index hash key: %s, table hash key: %s",
				name, def.PartitionKey.Name, b.pk.Name)
		}
		if def.SortKey == nil {
			return storage.IndexDef{}, errInvalidParam("Index KeySchema does not have a range key for index: %s", name)
		}
	}
	pt := "ALL"
	if x.Projection.ProjectionType != nil {
		pt = *x.Projection.ProjectionType
	}
	def.Projection = storage.ProjectionType(pt)
	nk := x.Projection.NonKeyAttributes
	switch {
	case pt == "INCLUDE" && len(nk) == 0:
		return storage.IndexDef{}, errInvalidParam("ProjectionType is INCLUDE, but NonKeyAttributes is not specified")
	case pt != "INCLUDE" && nk != nil:
		return storage.IndexDef{}, errInvalidParam("ProjectionType is %s, but NonKeyAttributes is specified", pt)
	}
	seen := map[string]bool{}
	for _, a := range nk {
		if a == "" || len(a) > item.MaxKeyAttributeNameSize {
			return storage.IndexDef{}, errInvalidParam("Invalid NonKeyAttributes name: %q", a)
		}
		if seen[a] {
			return storage.IndexDef{}, errInvalidParam("Duplicate NonKeyAttributes: %s", a)
		}
		seen[a] = true
	}
	b.included += len(nk)
	if b.included > maxProjectedAttributes {
		return storage.IndexDef{}, errInvalidParam("The number of attributes in key schema and NonKeyAttributes of all indexes exceeds the limit of %d", maxProjectedAttributes)
	}
	def.NonKeyAttributes = append([]string(nil), nk...)
	if kind == storage.IndexGlobal {
		switch {
		case b.billing == table.BillingProvisioned && x.ProvisionedThroughput == nil:
			return storage.IndexDef{}, errInvalidParam("ProvisionedThroughput must be specified for index: %s", name)
		case b.billing == table.BillingPayPerRequest && x.ProvisionedThroughput != nil:
			return storage.IndexDef{}, errInvalidParam("ProvisionedThroughput should not be specified for index: %s when BillingMode is PAY_PER_REQUEST", name)
		case x.ProvisionedThroughput != nil:
			b.throughput[name] = [2]int64{*x.ProvisionedThroughput.ReadCapacityUnits, *x.ProvisionedThroughput.WriteCapacityUnits}
		}
	} else if x.ProvisionedThroughput != nil {
		return storage.IndexDef{}, errSerialization("Unexpected field ProvisionedThroughput in LocalSecondaryIndex %s", name)
	}
	return def, nil
}

// sortStrings sorts names in place (insertion sort: lists are short).
func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// createIndexes validates CreateTable's index lists and returns the index
// definitions, every key attribute name they use, and the GSIs' throughput.
func createIndexes(req *createTableRequest, pk storage.KeyAttr, sk *storage.KeyAttr, billing string) ([]storage.IndexDef, []string, map[string][2]int64, error) {
	if req.GlobalSecondaryIndexes == nil && req.LocalSecondaryIndexes == nil {
		return nil, nil, nil, nil
	}
	gsis, err := decodeIndexSpecs(req.GlobalSecondaryIndexes)
	if err != nil {
		return nil, nil, nil, err
	}
	lsis, err := decodeIndexSpecs(req.LocalSecondaryIndexes)
	if err != nil {
		return nil, nil, nil, err
	}
	var v validationErrors
	for i, x := range gsis {
		checkIndexShape(&v, "globalSecondaryIndexes."+strconv.Itoa(i+1)+".member.", x)
	}
	for i, x := range lsis {
		checkIndexShape(&v, "localSecondaryIndexes."+strconv.Itoa(i+1)+".member.", x)
	}
	if err := v.err(); err != nil {
		return nil, nil, nil, err
	}
	switch {
	case req.GlobalSecondaryIndexes != nil && len(gsis) == 0:
		return nil, nil, nil, errInvalidParam("List of GlobalSecondaryIndexes is empty")
	case req.LocalSecondaryIndexes != nil && len(lsis) == 0:
		return nil, nil, nil, errInvalidParam("List of LocalSecondaryIndexes is empty")
	case len(gsis) > maxGSIs:
		return nil, nil, nil, errInvalidParam("GlobalSecondaryIndex count exceeds the per-table limit of %d", maxGSIs)
	case len(lsis) > maxLSIs:
		return nil, nil, nil, errInvalidParam("LocalSecondaryIndex count exceeds the per-table limit of %d", maxLSIs)
	}
	b := newIndexBuilder(pk, sk, req.AttributeDefinitions, billing)
	var out []storage.IndexDef
	for _, x := range lsis {
		def, err := b.build(x, storage.IndexLocal)
		if err != nil {
			return nil, nil, nil, err
		}
		out = append(out, def)
	}
	for _, x := range gsis {
		def, err := b.build(x, storage.IndexGlobal)
		if err != nil {
			return nil, nil, nil, err
		}
		out = append(out, def)
	}
	return out, b.used, b.throughput, nil
}

// updateIndexes applies UpdateTable's GlobalSecondaryIndexUpdates to the
// table's definition and meta (run by UpdateTableFrom, under the catalog
// lock).
func updateIndexes(def *storage.TableDef, m *table.Meta, raw []json.RawMessage, defs []table.AttributeDefinition) error {
	ups := make([]gsiUpdate, len(raw))
	for i, r := range raw {
		if err := decode(r, &ups[i]); err != nil {
			return err
		}
	}
	var v validationErrors
	for i, u := range ups {
		p := "globalSecondaryIndexUpdates." + strconv.Itoa(i+1) + ".member."
		if u.Create != nil {
			checkIndexShape(&v, p+"create.", *u.Create)
		}
		if u.Delete != nil && u.Delete.IndexName == nil {
			v.null(p + "delete.indexName")
		}
		if u.Update != nil && u.Update.IndexName == nil {
			v.null(p + "update.indexName")
		}
	}
	if err := v.err(); err != nil {
		return err
	}
	named := map[string]bool{}
	for _, u := range ups {
		var name *string
		switch {
		case u.Update != nil:
			name = u.Update.IndexName
		case u.Create != nil:
			name = u.Create.IndexName
		case u.Delete != nil:
			name = u.Delete.IndexName
		default:
			return errInvalidParam("One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null")
		}
		if name != nil && named[*name] {
			return errInvalidParam("Only one global secondary index update per index is allowed simultaneously. Index: %s", *name)
		}
		if name != nil {
			named[*name] = true
		}
	}
	changes := 0
	for _, u := range ups {
		if u.Create != nil || u.Delete != nil {
			changes++
		}
	}
	if changes > 1 {
		return errLimitExceeded("Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table")
	}
	// Attribute definitions: the table's, plus those the request adds.
	attrs := append([]table.AttributeDefinition(nil), m.AttributeDefinitions...)
	for _, d := range defs {
		found := false
		for i, a := range attrs {
			if a.AttributeName == d.AttributeName {
				if a.AttributeType != d.AttributeType {
					return errInvalidParam("Cannot change the type of attribute %s from %s to %s", a.AttributeName, a.AttributeType, d.AttributeType)
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
			if _, ok := def.Index(*x.IndexName); ok {
				return errInvalidParam("Index with name: %s already exists", *x.IndexName)
			}
			if defs == nil {
				return errValidation("One or more parameter values were invalid: AttributeDefinitions must be provided when creating a global secondary index")
			}
			gsis := 0
			for _, y := range def.Indexes {
				if y.Kind == storage.IndexGlobal {
					gsis++
				}
			}
			if gsis >= maxGSIs {
				return errLimitExceeded("Subscriber limit exceeded: GlobalSecondaryIndex count exceeds the per-table limit of %d", maxGSIs)
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
		case u.Delete != nil:
			name := *u.Delete.IndexName
			x, ok := def.Index(name)
			if !ok || x.Kind != storage.IndexGlobal {
				return errResourceNotFound("Requested resource not found: Index: " + name + " not found")
			}
			for i, y := range def.Indexes {
				if y.Name == name {
					def.Indexes = append(def.Indexes[:i:i], def.Indexes[i+1:]...)
					break
				}
			}
			delete(m.IndexThroughput, name)
		case u.Update != nil:
			name := *u.Update.IndexName
			if x, ok := def.Index(name); !ok || x.Kind != storage.IndexGlobal {
				return errResourceNotFound("Requested resource not found: Index: " + name + " not found")
			}
			pt := u.Update.ProvisionedThroughput
			if m.BillingMode != table.BillingProvisioned || pt == nil || pt.ReadCapacityUnits == nil || pt.WriteCapacityUnits == nil {
				return errInvalidParam("ProvisionedThroughput can be updated only for indexes of tables with BillingMode PROVISIONED")
			}
			if m.IndexThroughput == nil {
				m.IndexThroughput = map[string][2]int64{}
			}
			m.IndexThroughput[name] = [2]int64{*pt.ReadCapacityUnits, *pt.WriteCapacityUnits}
		}
	}
	// Keep exactly the attribute definitions the table and its indexes use.
	used := map[string]bool{def.PartitionKey.Name: true}
	if def.SortKey != nil {
		used[def.SortKey.Name] = true
	}
	for _, x := range def.Indexes {
		used[x.PartitionKey.Name] = true
		if x.SortKey != nil {
			used[x.SortKey.Name] = true
		}
	}
	m.AttributeDefinitions = m.AttributeDefinitions[:0]
	for _, a := range attrs {
		if used[a.AttributeName] {
			m.AttributeDefinitions = append(m.AttributeDefinitions, a)
		}
	}
	return nil
}

// describeIndexes fills the table description's index lists.
func (s *Server) describeIndexes(d *tableDescription, def storage.TableDef, m *table.Meta) {
	for _, x := range def.Indexes {
		st, _ := s.store.IndexStats(def.Name, x.Name)
		xd := indexDescription{
			IndexName:      x.Name,
			KeySchema:      indexKeySchema(x),
			Projection:     projectionSpec{NonKeyAttributes: x.NonKeyAttributes},
			IndexSizeBytes: st.SizeBytes,
			ItemCount:      st.ItemCount,
			IndexArn:       s.tableARN(def.Name) + "/index/" + x.Name,
		}
		pt := string(x.Projection)
		xd.Projection.ProjectionType = &pt
		if x.Kind == storage.IndexLocal {
			d.LocalSecondaryIndexes = append(d.LocalSecondaryIndexes, xd)
			continue
		}
		xd.IndexStatus = statusActive
		if x.Status == storage.IndexCreating {
			xd.IndexStatus = "CREATING"
			backfilling := true
			xd.Backfilling = &backfilling
		}
		xd.ProvisionedThroughput = &throughputDescription{}
		if t, ok := m.IndexThroughput[x.Name]; ok && m.BillingMode == table.BillingProvisioned {
			xd.ProvisionedThroughput.ReadCapacityUnits, xd.ProvisionedThroughput.WriteCapacityUnits = t[0], t[1]
		}
		d.GlobalSecondaryIndexes = append(d.GlobalSecondaryIndexes, xd)
	}
}

// indexKeySchema returns the KeySchema of an index.
func indexKeySchema(x storage.IndexDef) []keySchemaElement {
	ks := []keySchemaElement{{AttributeName: x.PartitionKey.Name, KeyType: "HASH"}}
	if x.SortKey != nil {
		ks = append(ks, keySchemaElement{AttributeName: x.SortKey.Name, KeyType: "RANGE"})
	}
	return ks
}

// indexRead is a Query or Scan of an index, resolved and checked.
type indexRead struct {
	x storage.IndexDef
	// keys is a table definition whose key schema is the index's, for the
	// key condition and filter checks.
	keys storage.TableDef
}

// resolveIndexRead finds the index a Query or Scan names and checks what
// DynamoDB checks: that it exists, is not being backfilled, is read
// eventually consistently if global, and that Select fits its projection.
// It adjusts opts for the index (fetching items from the table for
// ALL_ATTRIBUTES on a local index that projects less).
func (s *Server) resolveIndexRead(ctx context.Context, def storage.TableDef, name, sel string, consistent bool, opts *readOptions) (*indexRead, error) {
	x, ok := def.Index(name)
	if !ok {
		return nil, errValidation("The table does not have the specified index: %s", name)
	}
	if x.Kind == storage.IndexGlobal {
		if consistent {
			return nil, errValidation("Consistent reads are not supported on global secondary indexes")
		}
		if x.Status == storage.IndexCreating {
			return nil, errValidation(msgBackfillingIndexRead, name)
		}
	}
	if sel == "ALL_ATTRIBUTES" && x.Projection != storage.ProjectAll {
		if x.Kind == storage.IndexGlobal {
			return nil, errValidation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index %s because its projection type is not ALL", name)
		}
		opts.fetch = func(it item.Item) (item.Item, error) {
			full, err := s.store.Get(ctx, def.Name, table.KeyOf(def, it))
			if err != nil || full == nil {
				// Deleted since the index entry was read: the entry is
				// all there is.
				return it, err
			}
			return full, nil
		}
	}
	keys := storage.TableDef{Name: def.Name, PartitionKey: x.PartitionKey, SortKey: x.SortKey}
	opts.index = &x
	return &indexRead{x: x, keys: keys}, nil
}

// indexSelect maps an index read's Select for parseSelect, which knows
// tables only: ALL_PROJECTED_ATTRIBUTES is an index's default.
func indexSelect(index *string, sel string) string {
	if index != nil && sel == "ALL_PROJECTED_ATTRIBUTES" {
		return ""
	}
	return sel
}

// lastEvaluatedKey returns the key a page ends at: the table's key
// attributes, plus the index's when reading an index.
func (p *pager) lastEvaluatedKey() item.Item {
	k := table.KeyOf(p.def, p.last)
	if x := p.opts.index; x != nil {
		k[x.PartitionKey.Name] = p.last[x.PartitionKey.Name]
		if x.SortKey != nil {
			k[x.SortKey.Name] = p.last[x.SortKey.Name]
		}
	}
	return k
}

// checkIndexStartKey validates an index read's ExclusiveStartKey.
func checkIndexStartKey(def storage.TableDef, x storage.IndexDef, key item.Item) error {
	if err := storage.ValidateIndexKey(def, x, key); err != nil {
		return errStartKey(err)
	}
	return nil
}

// isIndexNotFound reports a store error for an index dropped meanwhile.
func isIndexNotFound(err error) bool { return errors.Is(err, storage.ErrIndexNotFound) }

// checkDefinitionsUsed rejects attribute definitions that neither the
// table's key schema nor an index key uses.
func checkDefinitionsUsed(ks []keySchemaElement, defs []table.AttributeDefinition, indexKeys []string) error {
	used := map[string]bool{}
	var keys []string
	for _, k := range ks {
		if !used[k.AttributeName] {
			used[k.AttributeName] = true
			keys = append(keys, k.AttributeName)
		}
	}
	for _, k := range indexKeys {
		if !used[k] {
			used[k] = true
			keys = append(keys, k)
		}
	}
	names := make([]string, len(defs))
	unused := false
	for i, d := range defs {
		names[i] = d.AttributeName
		if !used[d.AttributeName] {
			unused = true
		}
	}
	if unused {
		return errInvalidParam("Some AttributeDefinitions are not used. AttributeDefinitions: [%s], keys used: [%s]",
			strings.Join(names, ", "), strings.Join(keys, ", "))
	}
	return nil
}
