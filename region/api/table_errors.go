package api

import (
	"errors"
	"strings"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// tableError words the table engine's errors as DynamoDB does, for
// toAPIError; nil for any other error. The engine's errors carry no
// DynamoDB wording: this file is the one place that gives it (table
// definitions here, the write path in engineError).
func tableError(err error) *Error {
	if e := engineError(err); e != nil {
		return e
	}
	var (
		ie  *table.IndexError
		ae  *table.AttributeError
		uke *table.UndefinedKeyError
		ude *table.UnusedDefinitionError
		tue *table.ThroughputUnchangedError
		tae *table.TTLAttributeError
		re  *table.ReplicaError
	)
	errors.As(err, &ie)
	errors.As(err, &ae)
	errors.As(err, &re)
	switch {
	// Billing and throughput.
	case errors.Is(err, table.ErrThroughputRequired):
		return errInvalidParam("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
	case errors.Is(err, table.ErrThroughputOnDemand):
		return errInvalidParam("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
	case errors.Is(err, table.ErrSwitchNeedsThroughput):
		return errInvalidParam("ProvisionedThroughput must be specified when BillingMode is PROVISIONED")
	case errors.As(err, &tue):
		return errValidation("The provisioned throughput for the table will not change. The requested value equals the current value. "+
			"Current ReadCapacityUnits provisioned for the table: %d. Requested ReadCapacityUnits: %d. "+
			"Current WriteCapacityUnits provisioned for the table: %d. Requested WriteCapacityUnits: %d. "+
			"Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
			tue.Current.Read, tue.Requested.Read, tue.Current.Write, tue.Requested.Write)

	// Key schemas and attribute definitions, of the table or an index.
	case errors.Is(err, table.ErrKeySchemaUndefined):
		return errValidation("Invalid KeySchema: Some index key attribute have no definition")
	case errors.Is(err, table.ErrFirstKeyNotHash):
		return errValidation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
	case errors.Is(err, table.ErrSecondKeyNotRange):
		return errValidation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
	case errors.Is(err, table.ErrSameKeyNames):
		return errValidation("Both the Hash Key and the Range Key element in the KeySchema have the same name")
	case errors.Is(err, table.ErrDuplicateDefinition) && ae != nil:
		return errInvalidParam("Duplicate AttributeName in AttributeDefinitions: %s", ae.Attr)
	case errors.As(err, &uke):
		return errInvalidParam("Some index key attributes are not defined in AttributeDefinitions. Keys: [%s], AttributeDefinitions: [%s]",
			joinNames(uke.Keys), joinNames(uke.Defined))
	case errors.As(err, &ude):
		return errInvalidParam("Some AttributeDefinitions are not used. AttributeDefinitions: [%s], keys used: [%s]",
			joinNames(ude.Defined), joinNames(ude.Used))
	case errors.Is(err, table.ErrDefinitionTypeChange) && ae != nil:
		return errInvalidParam("Cannot change the type of attribute %s from %s to %s", ae.Attr, ae.From, ae.To)
	case errors.Is(err, table.ErrNoDefinitions):
		return errValidation("One or more parameter values were invalid: AttributeDefinitions must be provided when creating a global secondary index")

	// Index counts.
	case errors.Is(err, table.ErrTooManyGlobalIndexes):
		return errInvalidParam("GlobalSecondaryIndex count exceeds the per-table limit of %d", table.MaxGlobalIndexes)
	case errors.Is(err, table.ErrTooManyLocalIndexes):
		return errInvalidParam("LocalSecondaryIndex count exceeds the per-table limit of %d", table.MaxLocalIndexes)
	case errors.Is(err, table.ErrGlobalIndexLimit):
		return errLimitExceeded("Subscriber limit exceeded: GlobalSecondaryIndex count exceeds the per-table limit of %d", table.MaxGlobalIndexes)
	case errors.Is(err, table.ErrOneIndexChange):
		return errLimitExceeded("Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table")
	}
	if ie != nil {
		if e := indexError(ie); e != nil {
			return e
		}
	}
	switch {
	case errors.Is(err, table.ErrDeletionProtected):
		return errValidation("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.")
	case errors.Is(err, table.ErrTTLEnabled):
		return errValidation("TimeToLive is already enabled")
	case errors.Is(err, table.ErrTTLDisabled):
		return errValidation("TimeToLive is already disabled")
	case errors.As(err, &tae):
		return errValidation("TimeToLive is enabled on attribute %s; disable it with that AttributeName", tae.Attr)
	case errors.Is(err, table.ErrTooManyTags):
		return errValidation("The number of tags exceeds the limit of %d", table.MaxTags)
	}
	if re != nil {
		switch {
		case errors.Is(err, table.ErrUnknownRegion):
			return errInvalidParam("region %s is not part of this Concord deployment (known regions: %v)", re.Region, re.Known)
		case errors.Is(err, table.ErrRemoveOwnReplica):
			return errInvalidParam("cannot delete the replica in %s from %s itself; call UpdateTable in another replica's region", re.Region, re.Region)
		case errors.Is(err, table.ErrReplicaExists):
			return errValidation("Failed to create a the new replica of table with name: '%s' because one or more replicas already existed as tables.", re.Table)
		case errors.Is(err, table.ErrReplicaNotFound):
			return errValidation("Failed to remove replica in %s of table with name: '%s' because the replica does not exist.", re.Region, re.Table)
		}
	}
	return nil
}

// indexError words the rules of one index (the key schema rules, which
// an index shares with its table, are tableError's).
func indexError(ie *table.IndexError) *Error {
	name := ie.Index
	switch ie.Err {
	case table.ErrDuplicateIndex:
		return errInvalidParam("Duplicate index name: %s", name)
	case table.ErrIndexExists:
		return errInvalidParam("Index with name: %s already exists", name)
	case table.ErrIndexNotFound:
		return errResourceNotFound("Requested resource not found: Index: " + name + " not found")
	case table.ErrLocalIndexNeedsSortKey:
		return errInvalidParam("Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex")
	case table.ErrLocalIndexPartitionKey:
		return errInvalidParam("Index KeySchema does not have the same leading hash key as table KeySchema for index: %s. index hash key: %s, table hash key: %s",
			name, ie.Attr, ie.TableKey)
	case table.ErrLocalIndexNoSortKey:
		return errInvalidParam("Index KeySchema does not have a range key for index: %s", name)
	case table.ErrLocalIndexThroughput:
		return errSerialization("Unexpected field ProvisionedThroughput in LocalSecondaryIndex %s", name)
	case table.ErrIncludeWithoutAttributes:
		return errInvalidParam("ProjectionType is INCLUDE, but NonKeyAttributes is not specified")
	case table.ErrAttributesWithoutInclude:
		return errInvalidParam("ProjectionType is %s, but NonKeyAttributes is specified", ie.Projection)
	case table.ErrInvalidNonKeyAttribute:
		return errInvalidParam("Invalid NonKeyAttributes name: %q", ie.Attr)
	case table.ErrDuplicateNonKeyAttribute:
		return errInvalidParam("Duplicate NonKeyAttributes: %s", ie.Attr)
	case table.ErrTooManyProjectedAttributes:
		return errInvalidParam("The number of attributes in key schema and NonKeyAttributes of all indexes exceeds the limit of %d", table.MaxProjectedAttributes)
	case table.ErrIndexThroughputRequired:
		return errInvalidParam("ProvisionedThroughput must be specified for index: %s", name)
	case table.ErrIndexThroughputOnDemand:
		return errInvalidParam("ProvisionedThroughput should not be specified for index: %s when BillingMode is PAY_PER_REQUEST", name)
	case table.ErrIndexThroughputNotProvisioned:
		return errInvalidParam("ProvisionedThroughput can be updated only for indexes of tables with BillingMode PROVISIONED")
	}
	return nil
}

// joinNames lists names as DynamoDB's messages do: "a, b".
func joinNames(names []string) string { return strings.Join(names, ", ") }

// engineError words the write path's errors (region/table write.go),
// nil for another error.
func engineError(err error) *Error {
	if cf, ok := errors.AsType[*table.ConditionFailedError](err); ok {
		return errConditionalCheckFailed(cf.Item)
	}
	if errors.Is(err, table.ErrItemTooLarge) {
		return errItemTooLarge()
	}
	if errors.Is(err, table.ErrUpdatedItemTooLarge) {
		return errUpdateTooLarge()
	}
	if ku, ok := errors.AsType[*table.KeyUpdateError](err); ok {
		return errKeyAttrUpdate(ku.Attr)
	}
	if an, ok := errors.AsType[*table.AttrNameError](err); ok {
		if an.Name == "" {
			return errValidation("One or more parameter values were invalid: An attribute name cannot be empty")
		}
		return errValidation("One or more parameter values were invalid: Attribute name is too large, must be less than %d bytes: %s...", item.MaxAttributeNameSize+1, an.Name[:16])
	}
	if ik, ok := errors.AsType[*table.IndexKeyError](err); ok {
		switch ik.Problem {
		case storage.KeyType:
			return errValidation("One or more parameter values were invalid: Type mismatch for Index Key %s Expected: %s Actual: %s IndexName: %s",
				ik.Attr, ik.Want, ik.Got, ik.Index)
		case storage.KeyEmpty:
			kind := "string"
			if ik.Got == item.TypeB {
				kind = "binary"
			}
			return errValidation("One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty %s value. IndexName: %s, IndexKey: %s",
				kind, ik.Index, ik.Attr)
		default:
			return errValidation("One or more parameter values were invalid: Size of an index key attribute has exceeded the maximum size limit of %d bytes. IndexName: %s, IndexKey: %s",
				ik.Limit, ik.Index, ik.Attr)
		}
	}
	return nil
}
