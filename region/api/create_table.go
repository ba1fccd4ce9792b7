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

// errNotSupported is the ValidationException for features a later
// release adds.
func errNotSupported(feature string) *Error {
	return errValidation("%s are not supported yet by Concord; create the table without them", feature)
}

// createSpec is the table engine's spec of a CreateTable request whose
// members are checked, without its indexes (createIndexSpecs) and stream.
func createSpec(req *createTableRequest) table.CreateSpec {
	spec := table.CreateSpec{
		Name:                 *req.TableName,
		KeySchema:            req.KeySchema,
		AttributeDefinitions: req.AttributeDefinitions,
		Tags:                 req.Tags,
	}
	if req.BillingMode != nil {
		spec.BillingMode = *req.BillingMode
	}
	spec.Throughput = req.ProvisionedThroughput.spec()
	if req.TableClass != nil {
		spec.TableClass = *req.TableClass
	}
	if req.DeletionProtectionEnabled != nil {
		spec.DeletionProtection = *req.DeletionProtectionEnabled
	}
	if sse := req.SSESpecification; sse != nil && sse.Enabled != nil && *sse.Enabled {
		spec.SSE, spec.KMSMasterKeyID = true, sse.KMSMasterKeyId
	}
	return spec
}

// spec returns the engine's form of a ProvisionedThroughput: nil for
// none, or for one that lacks either member.
func (pt *provisionedThroughput) spec() *table.Throughput {
	if pt == nil || pt.ReadCapacityUnits == nil || pt.WriteCapacityUnits == nil {
		return nil
	}
	return &table.Throughput{Read: *pt.ReadCapacityUnits, Write: *pt.WriteCapacityUnits}
}

// afterTable returns err, an error of the request's members that DynamoDB
// reports only when the table's own rules hold, or the error of those
// rules (check) if they do not.
func afterTable(check func() error, err error) error {
	if terr := check(); terr != nil {
		return terr
	}
	return err
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

	spec := createSpec(&req)
	var err error
	if spec.GlobalIndexes, spec.LocalIndexes, err = createIndexSpecs(&req); err != nil { // indexes.go
		// DynamoDB judges the table's billing and key schema before the
		// members of its indexes...
		return nil, afterTable(spec.CheckTable, err)
	}
	// ... and the whole definition before its stream and tags.
	if err := checkStreamSpec(req.StreamSpecification); err != nil {
		return nil, afterTable(spec.Check, err)
	}
	if err := uniqueTagKeys(req.Tags); err != nil {
		return nil, afterTable(spec.Check, err)
	}
	if ss := req.StreamSpecification; ss != nil && *ss.StreamEnabled {
		spec.StreamViewType = ss.StreamViewType
	}
	def, m, err := s.eng.CreateTable(ctx, spec)
	if errors.Is(err, storage.ErrTableExists) {
		return nil, errResourceInUse("Table already exists: " + *req.TableName)
	}
	if err != nil {
		return nil, err
	}
	// A new table is empty: no need to ask the store for its figures.
	d := s.describe(def, m, statusActive, storage.TableStats{}, def.CreatedAt)
	return encode(tableDescriptionResponse{TableDescription: d})
}
