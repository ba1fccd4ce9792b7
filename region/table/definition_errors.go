package table

import (
	"errors"
	"fmt"
	"strings"
)

// Errors of the table definition operations: CreateTable, UpdateTable,
// DeleteTable, SetTTL, TagTable and the replica updates. Test for them
// with errors.Is; where a message needs more than the rule, the error is
// one of the types below (errors.As), which unwrap to the sentinel.
// Storage's own errors (storage.ErrTableNotFound, storage.ErrTableExists)
// come through unchanged.
var (
	// ErrThroughputRequired: a provisioned table created without its
	// read and write capacity.
	ErrThroughputRequired = errors.New("table: a provisioned table needs a read and write capacity")
	// ErrThroughputOnDemand: a read and write capacity given for an
	// on-demand (PAY_PER_REQUEST) table.
	ErrThroughputOnDemand = errors.New("table: an on-demand table has no provisioned capacity")
	// ErrSwitchNeedsThroughput: a table switched to provisioned billing
	// without its read and write capacity.
	ErrSwitchNeedsThroughput = errors.New("table: switching to provisioned billing needs a read and write capacity")
	// ErrThroughputUnchanged: an update that asks for nothing but the
	// current throughput (*ThroughputUnchangedError).
	ErrThroughputUnchanged = errors.New("table: the update asks for the current throughput and nothing else")

	// ErrKeySchemaUndefined: a key schema with more elements than there
	// are attribute definitions.
	ErrKeySchemaUndefined = errors.New("table: the key schema has more elements than attribute definitions")
	// ErrFirstKeyNotHash: a key schema (of a table or an index) whose
	// first element is not its HASH key.
	ErrFirstKeyNotHash = errors.New("table: the first key schema element is not a HASH key")
	// ErrSecondKeyNotRange: a key schema whose second element is not its
	// RANGE key.
	ErrSecondKeyNotRange = errors.New("table: the second key schema element is not a RANGE key")
	// ErrSameKeyNames: a partition and sort key on one attribute.
	ErrSameKeyNames = errors.New("table: the partition and sort key have the same name")
	// ErrDuplicateDefinition: an attribute defined twice (*AttributeError).
	ErrDuplicateDefinition = errors.New("table: an attribute is defined twice")
	// ErrUndefinedKey: a key attribute without an attribute definition
	// (*UndefinedKeyError).
	ErrUndefinedKey = errors.New("table: a key attribute has no attribute definition")
	// ErrUnusedDefinition: an attribute definition no key uses
	// (*UnusedDefinitionError).
	ErrUnusedDefinition = errors.New("table: an attribute definition is used by no key")
	// ErrDefinitionTypeChange: an attribute definition that changes the
	// type of an attribute the table defines (*AttributeError).
	ErrDefinitionTypeChange = errors.New("table: an attribute definition changes an attribute's type")
	// ErrNoDefinitions: a global secondary index added without attribute
	// definitions.
	ErrNoDefinitions = errors.New("table: adding a global secondary index needs attribute definitions")

	// ErrTooManyGlobalIndexes: a new table with more than
	// MaxGlobalIndexes global secondary indexes.
	ErrTooManyGlobalIndexes = errors.New("table: too many global secondary indexes")
	// ErrTooManyLocalIndexes: a new table with more than MaxLocalIndexes
	// local secondary indexes.
	ErrTooManyLocalIndexes = errors.New("table: too many local secondary indexes")
	// ErrGlobalIndexLimit: a global secondary index added to a table that
	// has MaxGlobalIndexes of them.
	ErrGlobalIndexLimit = errors.New("table: the table has as many global secondary indexes as it may")
	// ErrOneIndexChange: an update that creates or deletes more than one
	// index (one online index change at a time).
	ErrOneIndexChange = errors.New("table: only one index can be created or deleted at a time")

	// The errors below are about one index: they come as an *IndexError.

	// ErrDuplicateIndex: two indexes of one name in a new table.
	ErrDuplicateIndex = errors.New("table: duplicate index name")
	// ErrIndexExists: an index added under the name of an existing one.
	ErrIndexExists = errors.New("table: the index already exists")
	// ErrIndexNotFound: an update or delete of a global secondary index
	// the table does not have.
	ErrIndexNotFound = errors.New("table: no such global secondary index")
	// ErrLocalIndexNeedsSortKey: a local secondary index on a table
	// without a sort key.
	ErrLocalIndexNeedsSortKey = errors.New("table: a local secondary index needs a table with a sort key")
	// ErrLocalIndexPartitionKey: a local secondary index whose partition
	// key is not the table's (IndexError.Attr and TableKey name both).
	ErrLocalIndexPartitionKey = errors.New("table: a local secondary index must have the table's partition key")
	// ErrLocalIndexNoSortKey: a local secondary index without a sort key.
	ErrLocalIndexNoSortKey = errors.New("table: a local secondary index needs a sort key")
	// ErrLocalIndexThroughput: a local secondary index given a
	// throughput of its own.
	ErrLocalIndexThroughput = errors.New("table: a local secondary index has no throughput of its own")
	// ErrIncludeWithoutAttributes: an INCLUDE projection without
	// NonKeyAttributes.
	ErrIncludeWithoutAttributes = errors.New("table: an INCLUDE projection needs NonKeyAttributes")
	// ErrAttributesWithoutInclude: NonKeyAttributes given to a projection
	// other than INCLUDE (IndexError.Projection names it).
	ErrAttributesWithoutInclude = errors.New("table: NonKeyAttributes need an INCLUDE projection")
	// ErrInvalidNonKeyAttribute: a NonKeyAttributes name that is empty
	// or too long (IndexError.Attr).
	ErrInvalidNonKeyAttribute = errors.New("table: invalid NonKeyAttributes name")
	// ErrDuplicateNonKeyAttribute: a NonKeyAttributes name given twice
	// (IndexError.Attr).
	ErrDuplicateNonKeyAttribute = errors.New("table: duplicate NonKeyAttributes name")
	// ErrTooManyProjectedAttributes: more than MaxProjectedAttributes
	// NonKeyAttributes over all the table's indexes.
	ErrTooManyProjectedAttributes = errors.New("table: too many projected attributes")
	// ErrIndexThroughputRequired: a global secondary index of a
	// provisioned table without its read and write capacity.
	ErrIndexThroughputRequired = errors.New("table: a global secondary index of a provisioned table needs a read and write capacity")
	// ErrIndexThroughputOnDemand: a read and write capacity given for a
	// global secondary index of an on-demand table.
	ErrIndexThroughputOnDemand = errors.New("table: a global secondary index of an on-demand table has no provisioned capacity")
	// ErrIndexThroughputNotProvisioned: an index throughput update
	// without a read and write capacity, or on an on-demand table.
	ErrIndexThroughputNotProvisioned = errors.New("table: only a provisioned table's index throughput can be updated")

	// ErrDeletionProtected: DeleteTable of a table with deletion
	// protection enabled.
	ErrDeletionProtected = errors.New("table: the table is protected against deletion")
	// ErrTTLEnabled: enabling Time to Live on a table that has it on.
	ErrTTLEnabled = errors.New("table: Time to Live is already enabled")
	// ErrTTLDisabled: disabling Time to Live on a table that has it off.
	ErrTTLDisabled = errors.New("table: Time to Live is already disabled")
	// ErrTTLOtherAttribute: disabling Time to Live with another attribute
	// than the one it is enabled on (*TTLAttributeError).
	ErrTTLOtherAttribute = errors.New("table: Time to Live is enabled on another attribute")
	// ErrTooManyTags: a table given more than MaxTags tags.
	ErrTooManyTags = errors.New("table: too many tags")

	// The errors below are about a replica: they come as a *ReplicaError.

	// ErrUnknownRegion: a replica in a region the deployment does not
	// have (ReplicaError.Known lists those it has).
	ErrUnknownRegion = errors.New("table: the region is not part of the deployment")
	// ErrRemoveOwnReplica: removing this region's own replica; another
	// replica's region must do it.
	ErrRemoveOwnReplica = errors.New("table: a region cannot remove its own replica")
	// ErrReplicaExists: adding a replica the table has.
	ErrReplicaExists = errors.New("table: the replica already exists")
	// ErrReplicaNotFound: removing a replica the table does not have.
	ErrReplicaNotFound = errors.New("table: the replica does not exist")
)

// ThroughputUnchangedError is ErrThroughputUnchanged with the throughput
// the table has and the one asked for (the same).
type ThroughputUnchangedError struct {
	Current, Requested Throughput
}

func (e *ThroughputUnchangedError) Error() string {
	return fmt.Sprintf("%v: read=%d write=%d", ErrThroughputUnchanged, e.Current.Read, e.Current.Write)
}

func (e *ThroughputUnchangedError) Unwrap() error { return ErrThroughputUnchanged }

// AttributeError is an error about one attribute definition: Err is
// ErrDuplicateDefinition or ErrDefinitionTypeChange.
type AttributeError struct {
	Attr string
	// From and To are the attribute's defined type and the new one
	// (ErrDefinitionTypeChange).
	From, To string
	Err      error
}

func (e *AttributeError) Error() string {
	if e.From != "" {
		return fmt.Sprintf("%v: attr=%q from %s to %s", e.Err, e.Attr, e.From, e.To)
	}
	return fmt.Sprintf("%v: attr=%q", e.Err, e.Attr)
}

func (e *AttributeError) Unwrap() error { return e.Err }

// UndefinedKeyError is ErrUndefinedKey with the key schema's attributes
// and the attribute definitions' names, in the order a message lists
// them (a table's definitions in the order given, an index's sorted).
type UndefinedKeyError struct {
	Keys, Defined []string
}

func (e *UndefinedKeyError) Error() string {
	return fmt.Sprintf("%v: keys [%s], defined [%s]", ErrUndefinedKey, strings.Join(e.Keys, ", "), strings.Join(e.Defined, ", "))
}

func (e *UndefinedKeyError) Unwrap() error { return ErrUndefinedKey }

// UnusedDefinitionError is ErrUnusedDefinition with the attribute
// definitions' names and the key attributes the table and its indexes use.
type UnusedDefinitionError struct {
	Defined, Used []string
}

func (e *UnusedDefinitionError) Error() string {
	return fmt.Sprintf("%v: defined [%s], used [%s]", ErrUnusedDefinition, strings.Join(e.Defined, ", "), strings.Join(e.Used, ", "))
}

func (e *UnusedDefinitionError) Unwrap() error { return ErrUnusedDefinition }

// IndexError is an error about one secondary index: Err is the rule it
// breaks (ErrDuplicateIndex, ErrIndexNotFound, ..., or a key schema rule
// such as ErrFirstKeyNotHash or *UndefinedKeyError).
type IndexError struct {
	Index string
	// Attr is the attribute the error is about: the NonKeyAttributes
	// name (ErrInvalidNonKeyAttribute, ErrDuplicateNonKeyAttribute) or
	// the index's partition key (ErrLocalIndexPartitionKey).
	Attr string
	// TableKey is the table's partition key (ErrLocalIndexPartitionKey).
	TableKey string
	// Projection is the index's projection type
	// (ErrAttributesWithoutInclude).
	Projection string
	Err        error
}

func (e *IndexError) Error() string {
	s := fmt.Sprintf("%v: index=%q", e.Err, e.Index)
	if e.Attr != "" {
		s += fmt.Sprintf(" attr=%q", e.Attr)
	}
	return s
}

func (e *IndexError) Unwrap() error { return e.Err }

// TTLAttributeError is ErrTTLOtherAttribute with the attribute Time to
// Live is enabled on.
type TTLAttributeError struct {
	Attr string
}

func (e *TTLAttributeError) Error() string {
	return fmt.Sprintf("%v: attr=%q", ErrTTLOtherAttribute, e.Attr)
}

func (e *TTLAttributeError) Unwrap() error { return ErrTTLOtherAttribute }

// ReplicaError is an error about a replica update: Err is
// ErrUnknownRegion, ErrRemoveOwnReplica, ErrReplicaExists or
// ErrReplicaNotFound.
type ReplicaError struct {
	Table, Region string
	// Known lists the deployment's regions, sorted (ErrUnknownRegion).
	Known []string
	Err   error
}

func (e *ReplicaError) Error() string {
	return fmt.Sprintf("%v: table=%q region=%q", e.Err, e.Table, e.Region)
}

func (e *ReplicaError) Unwrap() error { return e.Err }
