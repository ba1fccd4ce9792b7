package api

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// Billing modes.
const (
	billingProvisioned   = "PROVISIONED"
	billingPayPerRequest = "PAY_PER_REQUEST"
)

// Table statuses.
const (
	statusActive   = "ACTIVE"
	statusDeleting = "DELETING"
)

// tableMeta is region/api's description of a table, kept as JSON in
// storage.TableDef.Meta. The store persists it verbatim; only this package
// reads it. Add fields with omitempty so old metas keep decoding.
type tableMeta struct {
	TableID              string                `json:"tableId"`
	AttributeDefinitions []attributeDefinition `json:"attributeDefinitions"`
	BillingMode          string                `json:"billingMode"`
	// BillingModeSet reports that the client named a billing mode (on
	// CreateTable or UpdateTable), which makes DescribeTable show
	// BillingModeSummary as DynamoDB does.
	BillingModeSet bool  `json:"billingModeSet,omitempty"`
	ReadCapacity   int64 `json:"rcu,omitempty"`
	WriteCapacity  int64 `json:"wcu,omitempty"`
	// Unix nanoseconds; zero means never.
	LastIncrease      int64 `json:"lastIncrease,omitempty"`
	LastDecrease      int64 `json:"lastDecrease,omitempty"`
	DecreasesToday    int64 `json:"decreasesToday,omitempty"`
	LastPayPerRequest int64 `json:"lastPayPerRequest,omitempty"`

	TableClass                string `json:"tableClass,omitempty"`
	DeletionProtectionEnabled bool   `json:"deletionProtection,omitempty"`
	SSEEnabled                bool   `json:"sseEnabled,omitempty"`
	SSEType                   string `json:"sseType,omitempty"`
	KMSMasterKeyID            string `json:"kmsKeyId,omitempty"`
	Tags                      []tag  `json:"tags,omitempty"`
	// TTLAttribute is the Time to Live attribute ("" when TTL is off).
	TTLAttribute string `json:"ttlAttribute,omitempty"`
	// IndexThroughput is each GSI's provisioned read and write capacity
	// (provisioned tables only).
	IndexThroughput map[string][2]int64 `json:"indexThroughput,omitempty"`
}

// attributeDefinition is DynamoDB's AttributeDefinition.
type attributeDefinition struct {
	AttributeName string `json:"AttributeName"`
	AttributeType string `json:"AttributeType"`
}

// keySchemaElement is DynamoDB's KeySchemaElement.
type keySchemaElement struct {
	AttributeName string `json:"AttributeName"`
	KeyType       string `json:"KeyType"`
}

// tag is DynamoDB's Tag.
type tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// loadMeta decodes def.Meta. A table created without a meta (by a test or
// a tool talking to storage directly) gets one derived from its key schema,
// billed on demand.
func loadMeta(def storage.TableDef) (*tableMeta, error) {
	m := &tableMeta{}
	if len(def.Meta) > 0 {
		if err := json.Unmarshal(def.Meta, m); err != nil {
			return nil, fmt.Errorf("api: decode meta of table=%q: %w", def.Name, err)
		}
	}
	if m.BillingMode == "" {
		m.BillingMode = billingPayPerRequest
	}
	if len(m.AttributeDefinitions) == 0 {
		m.AttributeDefinitions = append(m.AttributeDefinitions,
			attributeDefinition{def.PartitionKey.Name, def.PartitionKey.Type.String()})
		if def.SortKey != nil {
			m.AttributeDefinitions = append(m.AttributeDefinitions,
				attributeDefinition{def.SortKey.Name, def.SortKey.Type.String()})
		}
	}
	return m, nil
}

// encodeMeta encodes m for storage.TableDef.Meta.
func encodeMeta(m *tableMeta) ([]byte, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("api: encode table meta: %w", err)
	}
	return b, nil
}

// newTableID returns a random (version 4) UUID.
func newTableID() string {
	var u [16]byte
	_, _ = rand.Read(u[:]) // crypto/rand.Read never fails
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// tableARN returns the table's ARN in this region and account.
func (s *Server) tableARN(name string) string {
	return "arn:aws:dynamodb:" + s.opts.Region + ":" + s.account() + ":table/" + name
}

// account returns the account ID ARNs carry (tests may build a Server
// without New, so the default is applied here too).
func (s *Server) account() string {
	if s.opts.AccountID == "" {
		return DefaultAccountID
	}
	return s.opts.AccountID
}

// tableFromARN returns the table name an ARN of this region and account
// names, or a ValidationException for a malformed ARN and
// ResourceNotFoundException for one naming another region or account.
func (s *Server) tableFromARN(arn string) (string, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "dynamodb" || !strings.HasPrefix(parts[5], "table/") {
		return "", errValidation("Invalid TableArn: Invalid ResourceArn provided as input %s", arn)
	}
	name := strings.TrimPrefix(parts[5], "table/")
	if name == "" || strings.Contains(name, "/") || tableNameProblem(name) != "" {
		return "", errValidation("Invalid TableArn: Invalid ResourceArn provided as input %s", arn)
	}
	if parts[3] != s.opts.Region || parts[4] != s.account() {
		return "", errResourceNotFound("Requested resource not found: ResourcArn: " + arn + " not found")
	}
	return name, nil
}

// epochSeconds converts Unix nanoseconds to DynamoDB's timestamp form:
// seconds since the epoch as a JSON number with a fraction.
func epochSeconds(ns int64) float64 {
	return float64(ns/int64(time.Millisecond)) / 1000
}

// tableDescription is DynamoDB's TableDescription, as far as Concord fills it.
type tableDescription struct {
	AttributeDefinitions      []attributeDefinition `json:"AttributeDefinitions"`
	TableName                 string                `json:"TableName"`
	KeySchema                 []keySchemaElement    `json:"KeySchema"`
	TableStatus               string                `json:"TableStatus"`
	CreationDateTime          float64               `json:"CreationDateTime"`
	ProvisionedThroughput     throughputDescription `json:"ProvisionedThroughput"`
	TableSizeBytes            int64                 `json:"TableSizeBytes"`
	ItemCount                 int64                 `json:"ItemCount"`
	TableArn                  string                `json:"TableArn"`
	TableId                   string                `json:"TableId"`
	BillingModeSummary        *billingModeSummary   `json:"BillingModeSummary,omitempty"`
	TableClassSummary         *tableClassSummary    `json:"TableClassSummary,omitempty"`
	SSEDescription            *sseDescription       `json:"SSEDescription,omitempty"`
	DeletionProtectionEnabled bool                  `json:"DeletionProtectionEnabled"`
	StreamSpecification       *streamSpecification  `json:"StreamSpecification,omitempty"`
	LatestStreamArn           string                `json:"LatestStreamArn,omitempty"`
	LatestStreamLabel         string                `json:"LatestStreamLabel,omitempty"`
	GlobalTableVersion        string                `json:"GlobalTableVersion,omitempty"`
	Replicas                  []replicaDescription  `json:"Replicas,omitempty"`
	GlobalSecondaryIndexes    []indexDescription    `json:"GlobalSecondaryIndexes,omitempty"`
	LocalSecondaryIndexes     []indexDescription    `json:"LocalSecondaryIndexes,omitempty"`
}

type throughputDescription struct {
	LastIncreaseDateTime   float64 `json:"LastIncreaseDateTime,omitempty"`
	LastDecreaseDateTime   float64 `json:"LastDecreaseDateTime,omitempty"`
	NumberOfDecreasesToday int64   `json:"NumberOfDecreasesToday"`
	ReadCapacityUnits      int64   `json:"ReadCapacityUnits"`
	WriteCapacityUnits     int64   `json:"WriteCapacityUnits"`
}

type billingModeSummary struct {
	BillingMode                       string  `json:"BillingMode"`
	LastUpdateToPayPerRequestDateTime float64 `json:"LastUpdateToPayPerRequestDateTime,omitempty"`
}

type tableClassSummary struct {
	TableClass string `json:"TableClass"`
}

type sseDescription struct {
	Status          string `json:"Status"`
	SSEType         string `json:"SSEType"`
	KMSMasterKeyArn string `json:"KMSMasterKeyArn,omitempty"`
}

// describe builds the TableDescription of def with the given status and
// live figures. now (Unix nanoseconds) decides whether decreases were
// "today" (UTC).
func (s *Server) describe(def storage.TableDef, m *tableMeta, status string, stats storage.TableStats, now int64) tableDescription {
	d := tableDescription{
		AttributeDefinitions:      m.AttributeDefinitions,
		TableName:                 def.Name,
		KeySchema:                 keySchemaOf(def),
		TableStatus:               status,
		CreationDateTime:          epochSeconds(def.CreatedAt),
		TableSizeBytes:            stats.SizeBytes,
		ItemCount:                 stats.ItemCount,
		TableArn:                  s.tableARN(def.Name),
		TableId:                   m.TableID,
		DeletionProtectionEnabled: m.DeletionProtectionEnabled,
		TableClassSummary:         &tableClassSummary{TableClass: m.tableClass()},
	}
	if m.BillingMode == billingProvisioned {
		d.ProvisionedThroughput.ReadCapacityUnits = m.ReadCapacity
		d.ProvisionedThroughput.WriteCapacityUnits = m.WriteCapacity
	}
	if m.LastIncrease != 0 {
		d.ProvisionedThroughput.LastIncreaseDateTime = epochSeconds(m.LastIncrease)
	}
	if m.LastDecrease != 0 {
		d.ProvisionedThroughput.LastDecreaseDateTime = epochSeconds(m.LastDecrease)
		if sameUTCDay(m.LastDecrease, now) {
			d.ProvisionedThroughput.NumberOfDecreasesToday = m.DecreasesToday
		}
	}
	if m.BillingMode == billingPayPerRequest || m.BillingModeSet {
		d.BillingModeSummary = &billingModeSummary{BillingMode: m.BillingMode}
		if m.LastPayPerRequest != 0 {
			d.BillingModeSummary.LastUpdateToPayPerRequestDateTime = epochSeconds(m.LastPayPerRequest)
		}
	}
	s.describeReplicas(&d, def)
	sf := s.describeStreamFields(def)
	d.StreamSpecification, d.LatestStreamArn, d.LatestStreamLabel = sf.StreamSpecification, sf.LatestStreamArn, sf.LatestStreamLabel
	s.describeIndexes(&d, def, m) // indexes.go
	if d.TableStatus == statusActive {
		// As in DynamoDB, a table whose global secondary index is being
		// built is UPDATING until the index is ACTIVE.
		for _, x := range d.GlobalSecondaryIndexes {
			if x.IndexStatus != statusActive {
				d.TableStatus = "UPDATING"
				break
			}
		}
	}
	if m.SSEEnabled {
		d.SSEDescription = &sseDescription{Status: "ENABLED", SSEType: "KMS",
			KMSMasterKeyArn: m.kmsKeyARN(s.opts.Region, s.account())}
	}
	return d
}

// tableClass returns the table class, STANDARD by default.
func (m *tableMeta) tableClass() string {
	if m.TableClass == "" {
		return "STANDARD"
	}
	return m.TableClass
}

// kmsKeyARN returns the ARN of the table's KMS key: the one the client
// named, or the AWS managed key's.
func (m *tableMeta) kmsKeyARN(region, account string) string {
	id := m.KMSMasterKeyID
	if id == "" {
		id = "alias/aws/dynamodb"
	}
	if strings.HasPrefix(id, "arn:") {
		return id
	}
	return "arn:aws:kms:" + region + ":" + account + ":key/" + id
}

// keySchemaOf returns the KeySchema of def.
func keySchemaOf(def storage.TableDef) []keySchemaElement {
	ks := []keySchemaElement{{AttributeName: def.PartitionKey.Name, KeyType: "HASH"}}
	if def.SortKey != nil {
		ks = append(ks, keySchemaElement{AttributeName: def.SortKey.Name, KeyType: "RANGE"})
	}
	return ks
}

// sameUTCDay reports whether two Unix-nanosecond times fall on the same UTC day.
func sameUTCDay(a, b int64) bool {
	const day = int64(24 * time.Hour)
	return a/day == b/day
}

// now returns the current time in Unix nanoseconds from the server's
// clock, so tests control it through Options.Clock.
func (s *Server) now() int64 { return s.opts.Clock.Now().Wall }

// describeTableDef loads def's meta and stats and describes it.
func (s *Server) describeTableDef(def storage.TableDef, status string) (tableDescription, error) {
	m, err := loadMeta(def)
	if err != nil {
		return tableDescription{}, err
	}
	stats, err := s.opts.Store.Stats(def.Name)
	if err != nil {
		return tableDescription{}, err
	}
	return s.describe(def, m, status, stats, s.now()), nil
}

// keyType maps an attribute definition type to the item type.
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
