package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/concorddb/concord/region/table"
)

// TestTableErrorsWording: every error of the table engine's definition
// operations reaches the client as DynamoDB words it, wrapped or not.
func TestTableErrorsWording(t *testing.T) {
	const inv = "One or more parameter values were invalid: "
	idx := func(err error) error { return &table.IndexError{Index: "byG", Err: err} }
	replica := func(err error) error {
		return &table.ReplicaError{Table: "tbl", Region: "eu-west-1", Known: []string{"a", "b"}, Err: err}
	}
	cases := []struct {
		err       error
		typ, want string
	}{
		{table.ErrThroughputRequired, typeValidation, inv + "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"},
		{table.ErrThroughputOnDemand, typeValidation, inv + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"},
		{table.ErrSwitchNeedsThroughput, typeValidation, inv + "ProvisionedThroughput must be specified when BillingMode is PROVISIONED"},
		{&table.ThroughputUnchangedError{Current: table.Throughput{Read: 1, Write: 2}, Requested: table.Throughput{Read: 1, Write: 2}}, typeValidation,
			"The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 1. Requested ReadCapacityUnits: 1. Current WriteCapacityUnits provisioned for the table: 2. Requested WriteCapacityUnits: 2. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits."},
		{table.ErrKeySchemaUndefined, typeValidation, "Invalid KeySchema: Some index key attribute have no definition"},
		{table.ErrFirstKeyNotHash, typeValidation, "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"},
		{idx(table.ErrFirstKeyNotHash), typeValidation, "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"},
		{table.ErrSecondKeyNotRange, typeValidation, "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"},
		{table.ErrSameKeyNames, typeValidation, "Both the Hash Key and the Range Key element in the KeySchema have the same name"},
		{&table.AttributeError{Attr: "pk", Err: table.ErrDuplicateDefinition}, typeValidation, inv + "Duplicate AttributeName in AttributeDefinitions: pk"},
		{&table.UndefinedKeyError{Keys: []string{"a", "b"}, Defined: []string{"c", "d"}}, typeValidation,
			inv + "Some index key attributes are not defined in AttributeDefinitions. Keys: [a, b], AttributeDefinitions: [c, d]"},
		{idx(&table.UndefinedKeyError{Keys: []string{"a"}, Defined: []string{"c"}}), typeValidation,
			inv + "Some index key attributes are not defined in AttributeDefinitions. Keys: [a], AttributeDefinitions: [c]"},
		{&table.UnusedDefinitionError{Defined: []string{"a", "b"}, Used: []string{"a"}}, typeValidation,
			inv + "Some AttributeDefinitions are not used. AttributeDefinitions: [a, b], keys used: [a]"},
		{&table.AttributeError{Attr: "g", From: "N", To: "S", Err: table.ErrDefinitionTypeChange}, typeValidation, inv + "Cannot change the type of attribute g from N to S"},
		{table.ErrNoDefinitions, typeValidation, inv + "AttributeDefinitions must be provided when creating a global secondary index"},
		{table.ErrTooManyGlobalIndexes, typeValidation, inv + "GlobalSecondaryIndex count exceeds the per-table limit of 20"},
		{table.ErrTooManyLocalIndexes, typeValidation, inv + "LocalSecondaryIndex count exceeds the per-table limit of 5"},
		{table.ErrGlobalIndexLimit, typeLimitExceeded, "Subscriber limit exceeded: GlobalSecondaryIndex count exceeds the per-table limit of 20"},
		{table.ErrOneIndexChange, typeLimitExceeded, "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"},
		{idx(table.ErrDuplicateIndex), typeValidation, inv + "Duplicate index name: byG"},
		{idx(table.ErrIndexExists), typeValidation, inv + "Index with name: byG already exists"},
		{idx(table.ErrIndexNotFound), typeResourceNotFound, "Requested resource not found: Index: byG not found"},
		{idx(table.ErrLocalIndexNeedsSortKey), typeValidation, inv + "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex"},
		{&table.IndexError{Index: "loc", Attr: "g", TableKey: "pk", Err: table.ErrLocalIndexPartitionKey}, typeValidation,
			inv + "Index KeySchema does not have the same leading hash key as table KeySchema for index: loc. index hash key: g, table hash key: pk"},
		{idx(table.ErrLocalIndexNoSortKey), typeValidation, inv + "Index KeySchema does not have a range key for index: byG"},
		{idx(table.ErrLocalIndexThroughput), typeSerialization, "Unexpected field ProvisionedThroughput in LocalSecondaryIndex byG"},
		{idx(table.ErrIncludeWithoutAttributes), typeValidation, inv + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified"},
		{&table.IndexError{Index: "byG", Projection: "ALL", Err: table.ErrAttributesWithoutInclude}, typeValidation, inv + "ProjectionType is ALL, but NonKeyAttributes is specified"},
		{&table.IndexError{Index: "byG", Attr: `a"b`, Err: table.ErrInvalidNonKeyAttribute}, typeValidation, inv + `Invalid NonKeyAttributes name: "a\"b"`},
		{&table.IndexError{Index: "byG", Attr: "a", Err: table.ErrDuplicateNonKeyAttribute}, typeValidation, inv + "Duplicate NonKeyAttributes: a"},
		{idx(table.ErrTooManyProjectedAttributes), typeValidation, inv + "The number of attributes in key schema and NonKeyAttributes of all indexes exceeds the limit of 100"},
		{idx(table.ErrIndexThroughputRequired), typeValidation, inv + "ProvisionedThroughput must be specified for index: byG"},
		{idx(table.ErrIndexThroughputOnDemand), typeValidation, inv + "ProvisionedThroughput should not be specified for index: byG when BillingMode is PAY_PER_REQUEST"},
		{idx(table.ErrIndexThroughputNotProvisioned), typeValidation, inv + "ProvisionedThroughput can be updated only for indexes of tables with BillingMode PROVISIONED"},
		{table.ErrDeletionProtected, typeValidation, "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first."},
		{table.ErrTTLEnabled, typeValidation, "TimeToLive is already enabled"},
		{table.ErrTTLDisabled, typeValidation, "TimeToLive is already disabled"},
		{&table.TTLAttributeError{Attr: "exp"}, typeValidation, "TimeToLive is enabled on attribute exp; disable it with that AttributeName"},
		{table.ErrTooManyTags, typeValidation, "The number of tags exceeds the limit of 50"},
		{replica(table.ErrUnknownRegion), typeValidation, inv + "region eu-west-1 is not part of this Concord deployment (known regions: [a b])"},
		{replica(table.ErrRemoveOwnReplica), typeValidation, inv + "cannot delete the replica in eu-west-1 from eu-west-1 itself; call UpdateTable in another replica's region"},
		{replica(table.ErrReplicaExists), typeValidation, "Failed to create a the new replica of table with name: 'tbl' because one or more replicas already existed as tables."},
		{replica(table.ErrReplicaNotFound), typeValidation, "Failed to remove replica in eu-west-1 of table with name: 'tbl' because the replica does not exist."},
	}
	for _, c := range cases {
		for _, err := range []error{c.err, fmt.Errorf("wrapped: %w", c.err)} {
			e := toAPIError(err)
			if e.Type != c.typ || e.Status != http.StatusBadRequest || e.Message != c.want {
				t.Errorf("%v:\n got %d %s: %s\nwant %s: %s", err, e.Status, e.Type, e.Message, c.typ, c.want)
			}
		}
	}
}

// TestTableCreateErrorOrder: CreateTable reports DynamoDB's first error
// when a request has several, across the protocol layer's checks of the
// members and the engine's of the table.
func TestTableCreateErrorOrder(t *testing.T) {
	s := newTableServer(t)
	badKeys := `"KeySchema":[{"AttributeName":"pk","KeyType":"RANGE"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]`
	unused := `"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}]`
	ok := `"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]`
	for _, c := range []struct{ name, body, typ, msg string }{
		{"billing before index members", `{"TableName":"tbl",` + ok + `,"GlobalSecondaryIndexes":[{"IndexName":"gix"}]}`,
			typeValidation, "ReadCapacityUnits and WriteCapacityUnits must both be specified"},
		{"key schema before index members", `{"TableName":"tbl",` + badKeys + ppr + `,"GlobalSecondaryIndexes":[{"IndexName":"gix"}]}`,
			typeValidation, "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"},
		{"key schema before an index's JSON", `{"TableName":"tbl",` + badKeys + ppr + `,"GlobalSecondaryIndexes":[{"IndexName":5}]}`,
			typeValidation, "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"},
		{"index members before index rules", `{"TableName":"tbl",` + ok + ppr + `,"GlobalSecondaryIndexes":[{"IndexName":"gix"}]}`,
			typeValidation, "Value null at 'globalSecondaryIndexes.1.member.keySchema'"},
		{"an empty index list after the key schema", `{"TableName":"tbl",` + unused + ppr + `,"GlobalSecondaryIndexes":[]}`,
			typeValidation, "List of GlobalSecondaryIndexes is empty"},
		{"key schema before the stream", `{"TableName":"tbl",` + badKeys + ppr + `,"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"X"}}`,
			typeValidation, "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"},
		{"definitions before the stream", `{"TableName":"tbl",` + unused + ppr + `,"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"X"}}`,
			typeValidation, "Some AttributeDefinitions are not used"},
		{"definitions before the tags", `{"TableName":"tbl",` + unused + ppr + `,"Tags":[{"Key":"a","Value":"1"},{"Key":"a","Value":"2"}]}`,
			typeValidation, "Some AttributeDefinitions are not used"},
		{"stream before the tags", `{"TableName":"tbl",` + ok + ppr + `,"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"X"},"Tags":[{"Key":"aws:a","Value":"1"}]}`,
			typeValidation, "streamViewType"},
		{"duplicate tag key before the tag count", `{"TableName":"tbl",` + ok + ppr + `,"Tags":[` + strings.Repeat(`{"Key":"k","Value":"v"},`, table.MaxTags) + `{"Key":"l","Value":"v"}]}`,
			typeValidation, "Duplicate tag key: k"},
	} {
		t.Run(c.name, func(t *testing.T) { tblErr(t, s, createTable, c.body, c.typ, c.msg) })
	}
}
