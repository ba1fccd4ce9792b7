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

type createTableRequest struct {
	TableName                 *string                     `json:"TableName"`
	KeySchema                 []keySchemaElement          `json:"KeySchema"`
	AttributeDefinitions      []table.AttributeDefinition `json:"AttributeDefinitions"`
	BillingMode               *string                     `json:"BillingMode"`
	ProvisionedThroughput     *provisionedThroughput      `json:"ProvisionedThroughput"`
	Tags                      []table.Tag                 `json:"Tags"`
	SSESpecification          *sseSpecification           `json:"SSESpecification"`
	StreamSpecification       *streamSpecification        `json:"StreamSpecification"`
	GlobalSecondaryIndexes    []json.RawMessage           `json:"GlobalSecondaryIndexes"`
	LocalSecondaryIndexes     []json.RawMessage           `json:"LocalSecondaryIndexes"`
	TableClass                *string                     `json:"TableClass"`
	DeletionProtectionEnabled *bool                       `json:"DeletionProtectionEnabled"`
	// OnDemandThroughput, WarmThroughput and ResourcePolicy are accepted
	// and ignored: they change nothing Concord does.
}

type provisionedThroughput struct {
	ReadCapacityUnits  *int64 `json:"ReadCapacityUnits"`
	WriteCapacityUnits *int64 `json:"WriteCapacityUnits"`
}

type sseSpecification struct {
	Enabled        *bool  `json:"Enabled"`
	SSEType        string `json:"SSEType"`
	KMSMasterKeyId string `json:"KMSMasterKeyId"`
}

type streamSpecification struct {
	StreamEnabled  *bool  `json:"StreamEnabled"`
	StreamViewType string `json:"StreamViewType"`
}

type tableDescriptionResponse struct {
	TableDescription tableDescription `json:"TableDescription"`
}

// Table name limits.
const (
	minTableName = 3
	maxTableName = 255
)

// tableNameProblem returns the constraints name breaks, joined as
// DynamoDB would list them, or "" if it is valid.
func tableNameProblem(name string) string {
	var p []string
	if len(name) < minTableName {
		p = append(p, "Member must have length greater than or equal to 3")
	}
	if len(name) > maxTableName {
		p = append(p, "Member must have length less than or equal to 255")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			p = append(p, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
			break
		}
	}
	return strings.Join(p, ", ")
}

// checkTableName records the problems of a table name at path; a nil name
// is recorded as missing when required.
func checkTableName(v *validationErrors, path string, name *string, required bool) {
	if name == nil {
		if required {
			v.null(path)
		}
		return
	}
	if p := tableNameProblem(*name); p != "" {
		v.add(quote(*name), path, p)
	}
}

// checkThroughput records out-of-range capacity units.
func checkThroughput(v *validationErrors, pt *provisionedThroughput) {
	if pt == nil {
		return
	}
	check := func(n *int64, path string) {
		switch {
		case n == nil:
			v.null(path)
		case *n < 1:
			v.add(quote(strconv.FormatInt(*n, 10)), path, "Member must have value greater than or equal to 1")
		}
	}
	check(pt.ReadCapacityUnits, "provisionedThroughput.readCapacityUnits")
	check(pt.WriteCapacityUnits, "provisionedThroughput.writeCapacityUnits")
}

// checkBillingMode records an unknown billing mode.
func checkBillingMode(v *validationErrors, mode *string) {
	if mode != nil && *mode != table.BillingProvisioned && *mode != table.BillingPayPerRequest {
		v.add(quote(*mode), "billingMode", "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]")
	}
}

// checkTableClass records an unknown table class.
func checkTableClass(v *validationErrors, class *string) {
	if class != nil && *class != "STANDARD" && *class != "STANDARD_INFREQUENT_ACCESS" {
		v.add(quote(*class), "tableClass", "Member must satisfy enum value set: [STANDARD, STANDARD_INFREQUENT_ACCESS]")
	}
}

// formatKeySchema prints a key schema as DynamoDB does in messages.
func formatKeySchema(ks []keySchemaElement) string {
	parts := make([]string, len(ks))
	for i, k := range ks {
		parts[i] = "KeySchemaElement(attributeName=" + k.AttributeName + ", keyType=" + k.KeyType + ")"
	}
	return "'[" + strings.Join(parts, ", ") + "]'"
}

// checkKeySchemaShape records the member constraints of a KeySchema.
func checkKeySchemaShape(v *validationErrors, ks []keySchemaElement) {
	switch {
	case ks == nil:
		v.null("keySchema")
		return
	case len(ks) < 1:
		v.add("'[]'", "keySchema", "Member must have length greater than or equal to 1")
	case len(ks) > 2:
		v.add(formatKeySchema(ks), "keySchema", "Member must have length less than or equal to 2")
	}
	for i, k := range ks {
		p := "keySchema." + strconv.Itoa(i+1) + ".member."
		checkAttributeName(v, p+"attributeName", k.AttributeName)
		switch k.KeyType {
		case "HASH", "RANGE":
		case "":
			v.null(p + "keyType")
		default:
			v.add(quote(k.KeyType), p+"keyType", "Member must satisfy enum value set: [HASH, RANGE]")
		}
	}
}

// checkAttributeName records a key attribute name outside 1-255 bytes.
func checkAttributeName(v *validationErrors, path, name string) {
	switch {
	case name == "":
		v.add("''", path, "Member must have length greater than or equal to 1")
	case len(name) > item.MaxKeyAttributeNameSize:
		v.add(quote(name), path, "Member must have length less than or equal to 255")
	}
}

// checkAttributeDefinitionsShape records the member constraints of
// AttributeDefinitions.
func checkAttributeDefinitionsShape(v *validationErrors, defs []table.AttributeDefinition) {
	if defs == nil {
		v.null("attributeDefinitions")
		return
	}
	for i, d := range defs {
		p := "attributeDefinitions." + strconv.Itoa(i+1) + ".member."
		checkAttributeName(v, p+"attributeName", d.AttributeName)
		switch d.AttributeType {
		case "S", "N", "B":
		case "":
			v.null(p + "attributeType")
		default:
			v.add(quote(d.AttributeType), p+"attributeType", "Member must satisfy enum value set: [B, N, S]")
		}
	}
}

// keyAttrs checks the semantics of a table's KeySchema against its
// AttributeDefinitions and returns the partition and sort key.
// With indexes, the check that every attribute definition is used is
// left to the caller (checkDefinitionsUsed).
func keyAttrs(ks []keySchemaElement, defs []table.AttributeDefinition, indexes bool) (pk storage.KeyAttr, sk *storage.KeyAttr, err error) {
	// More key elements than definitions is DynamoDB's first check, and
	// the answer to a HASH and a RANGE key on the one attribute defined
	// (paritysuite/dynamodb-conformance
	// validation-ordering/createTable.test.ts pins "Invalid KeySchema";
	// the full sentence is dynalite's, whose check this is).
	if len(ks) > len(defs) {
		return pk, nil, errValidation("Invalid KeySchema: Some index key attribute have no definition")
	}
	if ks[0].KeyType != "HASH" {
		return pk, nil, errValidation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
	}
	if len(ks) == 2 {
		if ks[1].KeyType != "RANGE" {
			return pk, nil, errValidation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
		}
		if ks[0].AttributeName == ks[1].AttributeName {
			return pk, nil, errValidation("Both the Hash Key and the Range Key element in the KeySchema have the same name")
		}
	}
	types := make(map[string]string, len(defs))
	names := make([]string, 0, len(defs))
	for _, d := range defs {
		if _, dup := types[d.AttributeName]; dup {
			return pk, nil, errInvalidParam("Duplicate AttributeName in AttributeDefinitions: %s", d.AttributeName)
		}
		types[d.AttributeName] = d.AttributeType
		names = append(names, d.AttributeName)
	}
	keys := make([]string, len(ks))
	missing := false
	for i, k := range ks {
		keys[i] = k.AttributeName
		if _, ok := types[k.AttributeName]; !ok {
			missing = true
		}
	}
	if missing {
		return pk, nil, errInvalidParam("Some index key attributes are not defined in AttributeDefinitions. Keys: [%s], AttributeDefinitions: [%s]",
			strings.Join(keys, ", "), strings.Join(names, ", "))
	}
	if len(defs) != len(ks) && !indexes {
		return pk, nil, errInvalidParam("Some AttributeDefinitions are not used. AttributeDefinitions: [%s], keys used: [%s]",
			strings.Join(names, ", "), strings.Join(keys, ", "))
	}
	t, _ := keyType(types[ks[0].AttributeName])
	pk = storage.KeyAttr{Name: ks[0].AttributeName, Type: t}
	if len(ks) == 2 {
		t, _ := keyType(types[ks[1].AttributeName])
		sk = &storage.KeyAttr{Name: ks[1].AttributeName, Type: t}
	}
	return pk, sk, nil
}

// errNotSupported is the ValidationException for features a later
// release adds.
func errNotSupported(feature string) *Error {
	return errValidation("%s are not supported yet by Concord; create the table without them", feature)
}

func createTable(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req createTableRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	var v validationErrors
	checkTableName(&v, "tableName", req.TableName, true)
	checkKeySchemaShape(&v, req.KeySchema)
	checkAttributeDefinitionsShape(&v, req.AttributeDefinitions)
	checkThroughput(&v, req.ProvisionedThroughput)
	checkBillingMode(&v, req.BillingMode)
	checkTableClass(&v, req.TableClass)
	checkTags(&v, req.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}

	m := &table.Meta{
		TableID:              table.NewTableID(),
		AttributeDefinitions: req.AttributeDefinitions,
		BillingMode:          table.BillingProvisioned,
		Tags:                 req.Tags,
	}
	if req.BillingMode != nil {
		m.BillingMode = *req.BillingMode
		m.BillingModeSet = true
	}
	switch pt := req.ProvisionedThroughput; m.BillingMode {
	case table.BillingProvisioned:
		if pt == nil {
			return nil, errInvalidParam("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
		}
		m.ReadCapacity, m.WriteCapacity = *pt.ReadCapacityUnits, *pt.WriteCapacityUnits
	case table.BillingPayPerRequest:
		if pt != nil {
			return nil, errInvalidParam("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
		}
	}
	hasIndexes := req.GlobalSecondaryIndexes != nil || req.LocalSecondaryIndexes != nil
	pk, sk, err := keyAttrs(req.KeySchema, req.AttributeDefinitions, hasIndexes)
	if err != nil {
		return nil, err
	}
	indexes, used, indexThroughput, err := createIndexes(&req, pk, sk, m.BillingMode) // indexes.go
	if err != nil {
		return nil, err
	}
	if hasIndexes {
		if err := checkDefinitionsUsed(req.KeySchema, req.AttributeDefinitions, used); err != nil {
			return nil, err
		}
	}
	if len(indexThroughput) > 0 {
		m.IndexThroughput = indexThroughput
	}
	if err := checkStreamSpec(req.StreamSpecification); err != nil {
		return nil, err
	}
	if err := uniqueTagKeys(req.Tags); err != nil {
		return nil, err
	}
	if req.TableClass != nil && *req.TableClass != "STANDARD" {
		m.TableClass = *req.TableClass
	}
	if req.DeletionProtectionEnabled != nil {
		m.DeletionProtectionEnabled = *req.DeletionProtectionEnabled
	}
	if sse := req.SSESpecification; sse != nil && sse.Enabled != nil && *sse.Enabled {
		m.SSEEnabled, m.SSEType, m.KMSMasterKeyID = true, "KMS", sse.KMSMasterKeyId
	}
	meta, err := m.Encode()
	if err != nil {
		return nil, err
	}
	def, err := s.store.CreateTable(ctx, storage.TableDef{
		Name:         *req.TableName,
		PartitionKey: pk,
		SortKey:      sk,
		Indexes:      indexes,
		CreatedAt:    s.now(),
		Meta:         meta,
		Origin:       s.region,
		Replicas:     s.eng.NewReplicas(),
	})
	if errors.Is(err, storage.ErrTableExists) {
		return nil, errResourceInUse("Table already exists: " + *req.TableName)
	}
	if err != nil {
		return nil, err
	}
	if ss := req.StreamSpecification; ss != nil && *ss.StreamEnabled {
		if err := s.applyStreamSpec(ctx, def, ss); err != nil {
			return nil, err
		}
	}
	// A new table is empty: no need to ask the store for its figures.
	d := s.describe(def, m, statusActive, storage.TableStats{}, def.CreatedAt)
	return encode(tableDescriptionResponse{TableDescription: d})
}
