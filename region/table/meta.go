package table

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/concorddb/concord/storage"
)

// Billing modes.
const (
	BillingProvisioned   = "PROVISIONED"
	BillingPayPerRequest = "PAY_PER_REQUEST"
)

// Meta is the engine's description of a table beyond its keys and
// indexes, kept as JSON in storage.TableDef.Meta. The store persists it
// verbatim; only this package gives it meaning. Add fields with omitempty
// so old metas keep decoding.
type Meta struct {
	TableID              string                `json:"tableId"`
	AttributeDefinitions []AttributeDefinition `json:"attributeDefinitions"`
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
	Tags                      []Tag  `json:"tags,omitempty"`
	// TTLAttribute is the Time to Live attribute ("" when TTL is off).
	TTLAttribute string `json:"ttlAttribute,omitempty"`
	// IndexThroughput is each GSI's provisioned read and write capacity
	// (provisioned tables only).
	IndexThroughput map[string][2]int64 `json:"indexThroughput,omitempty"`
	// Versions are the versions of the global table's fields: which
	// change last set each, removals included (definition.go).
	Versions map[string][]byte `json:"versions,omitempty"`
}

// AttributeDefinition is DynamoDB's AttributeDefinition (its JSON form is
// the wire's).
type AttributeDefinition struct {
	AttributeName string `json:"AttributeName"`
	AttributeType string `json:"AttributeType"`
}

// Tag is DynamoDB's Tag (its JSON form is the wire's).
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// LoadMeta decodes def.Meta. A table created without a meta (by a test or
// a tool talking to storage directly) gets one derived from its key schema,
// billed on demand.
func LoadMeta(def storage.TableDef) (*Meta, error) {
	m := &Meta{}
	if len(def.Meta) > 0 {
		if err := json.Unmarshal(def.Meta, m); err != nil {
			return nil, fmt.Errorf("table: decode meta of table=%q: %w", def.Name, err)
		}
	}
	if m.BillingMode == "" {
		m.BillingMode = BillingPayPerRequest
	}
	if len(m.AttributeDefinitions) == 0 {
		m.AttributeDefinitions = append(m.AttributeDefinitions,
			AttributeDefinition{def.PartitionKey.Name, def.PartitionKey.Type.String()})
		if def.SortKey != nil {
			m.AttributeDefinitions = append(m.AttributeDefinitions,
				AttributeDefinition{def.SortKey.Name, def.SortKey.Type.String()})
		}
	}
	return m, nil
}

// Encode encodes m for storage.TableDef.Meta.
func (m *Meta) Encode() ([]byte, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("table: encode meta: %w", err)
	}
	return b, nil
}

// Class returns the table class, STANDARD by default.
func (m *Meta) Class() string {
	if m.TableClass == "" {
		return "STANDARD"
	}
	return m.TableClass
}

// KMSKeyARN returns the ARN of the table's KMS key: the one the client
// named, or the AWS managed key's.
func (m *Meta) KMSKeyARN(region, account string) string {
	id := m.KMSMasterKeyID
	if id == "" {
		id = "alias/aws/dynamodb"
	}
	if strings.HasPrefix(id, "arn:") {
		return id
	}
	return "arn:aws:kms:" + region + ":" + account + ":key/" + id
}

// NewTableID returns a random (version 4) UUID.
func NewTableID() string {
	var u [16]byte
	_, _ = rand.Read(u[:]) // crypto/rand.Read never fails
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}
