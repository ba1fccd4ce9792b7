package api

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// msgBackfillingIndexRead is DynamoDB's message for a read of a global
// secondary index that is being backfilled.
const msgBackfillingIndexRead = "Cannot read from backfilling global secondary index: %s"

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

// spec returns the engine's form of an index spec whose members are
// checked (checkIndexShape).
func (x indexSpec) spec() table.IndexSpec {
	out := table.IndexSpec{
		Name:             *x.IndexName,
		KeySchema:        x.KeySchema,
		NonKeyAttributes: x.Projection.NonKeyAttributes,
		Throughput:       x.ProvisionedThroughput.spec(),
	}
	if x.Projection.ProjectionType != nil {
		out.Projection = *x.Projection.ProjectionType
	}
	return out
}

// createIndexSpecs decodes and checks the members of CreateTable's index
// lists and returns them for the engine, which checks the rest. A list
// the request gives is non-nil, even when this fails: the engine's checks
// of the key schema depend on it (table.CreateSpec.CheckTable).
func createIndexSpecs(req *createTableRequest) (gsis, lsis []table.IndexSpec, err error) {
	if req.GlobalSecondaryIndexes != nil {
		gsis = make([]table.IndexSpec, 0, len(req.GlobalSecondaryIndexes))
	}
	if req.LocalSecondaryIndexes != nil {
		lsis = make([]table.IndexSpec, 0, len(req.LocalSecondaryIndexes))
	}
	if gsis == nil && lsis == nil {
		return nil, nil, nil
	}
	g, err := decodeIndexSpecs(req.GlobalSecondaryIndexes)
	if err != nil {
		return gsis, lsis, err
	}
	l, err := decodeIndexSpecs(req.LocalSecondaryIndexes)
	if err != nil {
		return gsis, lsis, err
	}
	var v validationErrors
	for i, x := range g {
		checkIndexShape(&v, "globalSecondaryIndexes."+strconv.Itoa(i+1)+".member.", x)
	}
	for i, x := range l {
		checkIndexShape(&v, "localSecondaryIndexes."+strconv.Itoa(i+1)+".member.", x)
	}
	if err := v.err(); err != nil {
		return gsis, lsis, err
	}
	switch {
	case req.GlobalSecondaryIndexes != nil && len(g) == 0:
		return gsis, lsis, errInvalidParam("List of GlobalSecondaryIndexes is empty")
	case req.LocalSecondaryIndexes != nil && len(l) == 0:
		return gsis, lsis, errInvalidParam("List of LocalSecondaryIndexes is empty")
	}
	for _, x := range g {
		gsis = append(gsis, x.spec())
	}
	for _, x := range l {
		lsis = append(lsis, x.spec())
	}
	return gsis, lsis, nil
}

// decodeIndexUpdates decodes and checks the members of UpdateTable's
// GlobalSecondaryIndexUpdates and returns them for the engine, which
// checks them against the table.
func decodeIndexUpdates(raw []json.RawMessage) ([]table.IndexUpdate, error) {
	ups := make([]gsiUpdate, len(raw))
	for i, r := range raw {
		if err := decode(r, &ups[i]); err != nil {
			return nil, err
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
		return nil, err
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
			return nil, errInvalidParam("One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null")
		}
		if name != nil && named[*name] {
			return nil, errInvalidParam("Only one global secondary index update per index is allowed simultaneously. Index: %s", *name)
		}
		if name != nil {
			named[*name] = true
		}
	}
	// An update that names more than one change is its Create, else its
	// Delete, else its Update.
	out := make([]table.IndexUpdate, len(ups))
	for i, u := range ups {
		switch {
		case u.Create != nil:
			x := u.Create.spec()
			out[i].Create = &x
		case u.Delete != nil:
			out[i] = table.IndexUpdate{Index: *u.Delete.IndexName, Delete: true}
		default:
			out[i] = table.IndexUpdate{Index: *u.Update.IndexName, Throughput: u.Update.ProvisionedThroughput.spec()}
		}
	}
	return out, nil
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
