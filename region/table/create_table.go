package table

import (
	"context"
	"fmt"

	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// Creating a table. The caller (the protocol layer) has checked the
// members of the request one by one (names, lengths, enums, a key schema
// of one or two HASH or RANGE elements, attribute types S, N or B); the
// engine checks what a table is: its billing, its key schema against its
// attribute definitions, its indexes, and that every definition is used.
// The checks run in DynamoDB's order, so the first error is the one
// DynamoDB reports.

// Key types of a KeySchemaElement.
const (
	KeyHash  = "HASH"
	KeyRange = "RANGE"
)

// KeySchemaElement is DynamoDB's KeySchemaElement (its JSON form is the
// wire's).
type KeySchemaElement struct {
	AttributeName string `json:"AttributeName"`
	KeyType       string `json:"KeyType"`
}

// Throughput is a provisioned read and write capacity, in units.
type Throughput struct {
	Read, Write int64
}

// CreateSpec describes a table to create.
type CreateSpec struct {
	Name string
	// KeySchema has one or two elements, HASH first, RANGE second.
	KeySchema            []KeySchemaElement
	AttributeDefinitions []AttributeDefinition
	// BillingMode is BillingProvisioned or BillingPayPerRequest; ""
	// means provisioned, without the client naming it (DescribeTable
	// then shows no BillingModeSummary).
	BillingMode string
	// Throughput is the table's capacity: required when provisioned,
	// refused on demand.
	Throughput *Throughput
	// GlobalIndexes and LocalIndexes are the table's secondary indexes.
	// A nil list is none; a list given, even empty, means the key
	// schema need not use every attribute definition (the indexes may).
	GlobalIndexes, LocalIndexes []IndexSpec
	// TableClass is STANDARD (or "") or STANDARD_INFREQUENT_ACCESS.
	TableClass         string
	DeletionProtection bool
	// SSE enables encryption with a KMS key: KMSMasterKeyID, or the AWS
	// managed key when "".
	SSE            bool
	KMSMasterKeyID string
	Tags           []Tag
	// StreamViewType, when set, enables the table's stream with that
	// view type.
	StreamViewType string
}

// hasIndexes reports whether the spec gives any list of indexes.
func (s *CreateSpec) hasIndexes() bool { return s.GlobalIndexes != nil || s.LocalIndexes != nil }

// CheckTable checks the table's own settings, its billing and its key
// schema, without looking at its indexes: DynamoDB judges those first.
// The protocol layer calls it to report these errors before its own
// checks of the indexes' members; Check and Engine.CreateTable make the
// same checks.
func (s *CreateSpec) CheckTable() error {
	if err := s.checkBilling(); err != nil {
		return err
	}
	_, _, err := s.keys()
	return err
}

// Check checks the whole spec, as Engine.CreateTable does, without
// creating anything.
func (s *CreateSpec) Check() error {
	_, _, err := s.build()
	return err
}

// checkBilling checks the throughput against the billing mode.
func (s *CreateSpec) checkBilling() error {
	switch s.billingMode() {
	case BillingProvisioned:
		if s.Throughput == nil {
			return ErrThroughputRequired
		}
	case BillingPayPerRequest:
		if s.Throughput != nil {
			return ErrThroughputOnDemand
		}
	default:
		return fmt.Errorf("table: unknown billing mode %q", s.BillingMode)
	}
	return nil
}

func (s *CreateSpec) billingMode() string {
	if s.BillingMode == "" {
		return BillingProvisioned
	}
	return s.BillingMode
}

// keys checks the key schema against the attribute definitions and
// returns the partition and sort key.
func (s *CreateSpec) keys() (pk storage.KeyAttr, sk *storage.KeyAttr, err error) {
	ks, defs := s.KeySchema, s.AttributeDefinitions
	if len(ks) < 1 || len(ks) > 2 {
		return pk, nil, fmt.Errorf("%w for table=%q", errKeySchemaSize(len(ks)), s.Name)
	}
	// More key elements than definitions is DynamoDB's first check, and
	// the answer to a HASH and a RANGE key on the one attribute defined
	// (paritysuite/dynamodb-conformance
	// validation-ordering/createTable.test.ts pins "Invalid KeySchema";
	// the full sentence is dynalite's, whose check this is).
	if len(ks) > len(defs) {
		return pk, nil, ErrKeySchemaUndefined
	}
	if err := checkKeyOrder(ks); err != nil {
		return pk, nil, err
	}
	types := make(map[string]string, len(defs))
	names := make([]string, 0, len(defs))
	for _, d := range defs {
		if _, dup := types[d.AttributeName]; dup {
			return pk, nil, &AttributeError{Attr: d.AttributeName, Err: ErrDuplicateDefinition}
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
		return pk, nil, &UndefinedKeyError{Keys: keys, Defined: names}
	}
	// With indexes, whether every definition is used is known once the
	// indexes are (checkDefinitionsUsed).
	if len(defs) != len(ks) && !s.hasIndexes() {
		return pk, nil, &UnusedDefinitionError{Defined: names, Used: keys}
	}
	if pk, err = keyAttr(ks[0].AttributeName, types); err != nil {
		return pk, nil, err
	}
	if len(ks) == 2 {
		a, err := keyAttr(ks[1].AttributeName, types)
		if err != nil {
			return pk, nil, err
		}
		sk = &a
	}
	return pk, sk, nil
}

// errKeySchemaSize is the error of a key schema of n elements, not one or
// two: the caller's member checks let none through.
func errKeySchemaSize(n int) error {
	return fmt.Errorf("table: a key schema of %d elements", n)
}

// checkKeyOrder checks that a key schema of one or two elements is HASH
// then RANGE, on two attributes.
func checkKeyOrder(ks []KeySchemaElement) error {
	if ks[0].KeyType != KeyHash {
		return ErrFirstKeyNotHash
	}
	if len(ks) == 2 {
		if ks[1].KeyType != KeyRange {
			return ErrSecondKeyNotRange
		}
		if ks[0].AttributeName == ks[1].AttributeName {
			return ErrSameKeyNames
		}
	}
	return nil
}

// keyAttr returns the key attribute name with its defined type.
func keyAttr(name string, types map[string]string) (storage.KeyAttr, error) {
	t, ok := keyType(types[name])
	if !ok {
		return storage.KeyAttr{}, fmt.Errorf("table: key attribute %q has type %q, not S, N or B", name, types[name])
	}
	return storage.KeyAttr{Name: name, Type: t}, nil
}

// keyType maps an attribute definition's type to a key attribute's.
func keyType(t string) (item.Type, bool) {
	switch t {
	case "S":
		return item.TypeS, true
	case "N":
		return item.TypeN, true
	case "B":
		return item.TypeB, true
	}
	return 0, false
}

// build checks the spec and returns the table's definition (without the
// fields CreateTable fills: creation time, origin, replicas, meta) and
// its Meta.
func (s *CreateSpec) build() (storage.TableDef, *Meta, error) {
	if err := s.checkBilling(); err != nil {
		return storage.TableDef{}, nil, err
	}
	pk, sk, err := s.keys()
	if err != nil {
		return storage.TableDef{}, nil, err
	}
	indexes, used, throughput, err := s.indexes(pk, sk) // index_specs.go
	if err != nil {
		return storage.TableDef{}, nil, err
	}
	if s.hasIndexes() {
		if err := checkDefinitionsUsed(s.KeySchema, s.AttributeDefinitions, used); err != nil {
			return storage.TableDef{}, nil, err
		}
	}
	m := &Meta{
		TableID:                   NewTableID(),
		AttributeDefinitions:      s.AttributeDefinitions,
		BillingMode:               s.billingMode(),
		BillingModeSet:            s.BillingMode != "",
		Tags:                      s.Tags,
		DeletionProtectionEnabled: s.DeletionProtection,
	}
	if s.Throughput != nil {
		m.ReadCapacity, m.WriteCapacity = s.Throughput.Read, s.Throughput.Write
	}
	if len(throughput) > 0 {
		m.IndexThroughput = throughput
	}
	if s.TableClass != "STANDARD" {
		m.TableClass = s.TableClass
	}
	if s.SSE {
		m.SSEEnabled, m.SSEType, m.KMSMasterKeyID = true, "KMS", s.KMSMasterKeyID
	}
	def := storage.TableDef{Name: s.Name, PartitionKey: pk, SortKey: sk, Indexes: indexes}
	return def, m, nil
}

// checkDefinitionsUsed rejects attribute definitions that neither the
// table's key schema nor an index key uses.
func checkDefinitionsUsed(ks []KeySchemaElement, defs []AttributeDefinition, indexKeys []string) error {
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
		return &UnusedDefinitionError{Defined: names, Used: keys}
	}
	return nil
}

// CreateTable checks spec (see Check) and creates the table: a global
// table whose replica set is every region the deployment knows
// (NewReplicas), created by this region, with its stream enabled if spec
// asks. It returns the table's definition and Meta. A table of that
// name is storage.ErrTableExists.
func (e *Engine) CreateTable(ctx context.Context, spec CreateSpec) (storage.TableDef, *Meta, error) {
	def, m, err := spec.build()
	if err != nil {
		return storage.TableDef{}, nil, err
	}
	if def.Meta, err = m.Encode(); err != nil {
		return storage.TableDef{}, nil, err
	}
	// A name other regions hold a table under is taken here too: a new
	// incarnation would end theirs.
	if taken, err := nameTaken(e.opts.Store, def.Name); err != nil || taken {
		if err == nil {
			err = fmt.Errorf("%w: table=%q is held by other regions", storage.ErrTableExists, def.Name)
		}
		return storage.TableDef{}, nil, err
	}
	def.CreatedAt = e.Now()
	def.Origin = e.opts.Region
	def.Replicas = e.NewReplicas()
	if def.Incarnation, err = e.newIncarnation(def.Name); err != nil {
		return storage.TableDef{}, nil, err
	}
	def, err = e.opts.Store.CreateTable(ctx, def)
	if err != nil {
		return storage.TableDef{}, nil, err
	}
	if spec.StreamViewType != "" {
		if err := e.SetStream(ctx, def, true, spec.StreamViewType); err != nil {
			return def, m, err
		}
	}
	return def, m, nil
}
