package api

import (
	"strings"
	"time"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
)

// Table statuses.
const (
	statusActive   = "ACTIVE"
	statusDeleting = "DELETING"
)

// keySchemaElement is DynamoDB's KeySchemaElement (the table engine's
// type, whose JSON form is the wire's).
type keySchemaElement = table.KeySchemaElement

// tableARN returns the table's ARN in this region and account.
func (s *Server) tableARN(name string) string {
	return "arn:aws:dynamodb:" + s.region + ":" + s.account() + ":table/" + name
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
	if parts[3] != s.region || parts[4] != s.account() {
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
	AttributeDefinitions      []table.AttributeDefinition `json:"AttributeDefinitions"`
	TableName                 string                      `json:"TableName"`
	KeySchema                 []keySchemaElement          `json:"KeySchema"`
	TableStatus               string                      `json:"TableStatus"`
	CreationDateTime          float64                     `json:"CreationDateTime"`
	ProvisionedThroughput     throughputDescription       `json:"ProvisionedThroughput"`
	TableSizeBytes            int64                       `json:"TableSizeBytes"`
	ItemCount                 int64                       `json:"ItemCount"`
	TableArn                  string                      `json:"TableArn"`
	TableId                   string                      `json:"TableId"`
	BillingModeSummary        *billingModeSummary         `json:"BillingModeSummary,omitempty"`
	TableClassSummary         *tableClassSummary          `json:"TableClassSummary,omitempty"`
	SSEDescription            *sseDescription             `json:"SSEDescription,omitempty"`
	DeletionProtectionEnabled bool                        `json:"DeletionProtectionEnabled"`
	StreamSpecification       *streamSpecification        `json:"StreamSpecification,omitempty"`
	LatestStreamArn           string                      `json:"LatestStreamArn,omitempty"`
	LatestStreamLabel         string                      `json:"LatestStreamLabel,omitempty"`
	GlobalTableVersion        string                      `json:"GlobalTableVersion,omitempty"`
	Replicas                  []replicaDescription        `json:"Replicas,omitempty"`
	GlobalSecondaryIndexes    []indexDescription          `json:"GlobalSecondaryIndexes,omitempty"`
	LocalSecondaryIndexes     []indexDescription          `json:"LocalSecondaryIndexes,omitempty"`
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
func (s *Server) describe(def storage.TableDef, m *table.Meta, status string, stats storage.TableStats, now int64) tableDescription {
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
		TableClassSummary:         &tableClassSummary{TableClass: m.Class()},
	}
	if m.BillingMode == table.BillingProvisioned {
		d.ProvisionedThroughput.ReadCapacityUnits = m.ReadCapacity
		d.ProvisionedThroughput.WriteCapacityUnits = m.WriteCapacity
	}
	if m.LastIncrease != 0 {
		d.ProvisionedThroughput.LastIncreaseDateTime = epochSeconds(m.LastIncrease)
	}
	if m.LastDecrease != 0 {
		d.ProvisionedThroughput.LastDecreaseDateTime = epochSeconds(m.LastDecrease)
		if table.SameUTCDay(m.LastDecrease, now) {
			d.ProvisionedThroughput.NumberOfDecreasesToday = m.DecreasesToday
		}
	}
	if m.BillingMode == table.BillingPayPerRequest || m.BillingModeSet {
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
			KMSMasterKeyArn: m.KMSKeyARN(s.region, s.account())}
	}
	return d
}

// keySchemaOf returns the KeySchema of def.
func keySchemaOf(def storage.TableDef) []keySchemaElement {
	ks := []keySchemaElement{{AttributeName: def.PartitionKey.Name, KeyType: "HASH"}}
	if def.SortKey != nil {
		ks = append(ks, keySchemaElement{AttributeName: def.SortKey.Name, KeyType: "RANGE"})
	}
	return ks
}

// now returns the wall-clock time in Unix nanoseconds (the engine's
// table.Options.Wall, which tests control): DynamoDB's timestamps are
// wall-clock times, not versions.
func (s *Server) now() int64 { return s.eng.Now() }

// describeTableDef loads def's meta and stats and describes it.
func (s *Server) describeTableDef(def storage.TableDef, status string) (tableDescription, error) {
	m, err := table.LoadMeta(def)
	if err != nil {
		return tableDescription{}, err
	}
	stats, err := s.store.Stats(def.Name)
	if err != nil {
		return tableDescription{}, err
	}
	return s.describe(def, m, status, stats, s.now()), nil
}
