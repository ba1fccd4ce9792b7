package storage

import (
	"errors"
	"fmt"

	"github.com/concorddb/concord/storage/item"
)

// SchemaProblem classifies a SchemaError.
type SchemaProblem uint8

const (
	// KeySchema: a key does not hold exactly the table's (or the index's)
	// key attributes with their types.
	KeySchema SchemaProblem = iota + 1
	// KeyMissing: an item lacks key attribute Attr.
	KeyMissing
	// KeyType: an item's key attribute Attr has type Got; the schema
	// declares Want.
	KeyType
	// KeyEmpty: key attribute Attr holds an empty string or binary (Got).
	KeyEmpty
	// KeyPartitionSize: the partition key is larger than
	// item.MaxPartitionKeySize.
	KeyPartitionSize
	// KeySortSize: the sort key is larger than item.MaxSortKeySize.
	KeySortSize
	// KeyConditionType: a key condition's value has another type than the
	// key attribute it is compared with.
	KeyConditionType
	// KeyConditionUnsupported: a key condition the key cannot answer (a
	// sort key condition on a table without one, begins_with on a number).
	KeyConditionUnsupported
)

// SchemaError is a key that does not fit a table's key schema, or a key
// condition that does not fit it. It carries no message for users: the
// protocol layer words it (region/api). Test for it with errors.As.
type SchemaError struct {
	Problem SchemaProblem
	// Attr is the key attribute concerned, when the problem names one.
	Attr string
	// Want and Got are the declared and the given types (KeyType), Got the
	// empty value's type (KeyEmpty).
	Want, Got item.Type
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("storage: key does not fit the schema (problem %d attr=%q want=%s got=%s)", e.Problem, e.Attr, e.Want, e.Got)
}

// SegmentError is a parallel scan's Segment and TotalSegments out of
// range, or (StartKey) an ExclusiveStart key outside its segment. Test
// for it with errors.As.
type SegmentError struct {
	Segment, TotalSegments int
	StartKey               bool
}

func (e *SegmentError) Error() string {
	if e.StartKey {
		return fmt.Sprintf("storage: exclusive start key outside segment %d of %d", e.Segment, e.TotalSegments)
	}
	return fmt.Sprintf("storage: invalid segment %d of %d", e.Segment, e.TotalSegments)
}

// ErrDuplicateWrite is UpdateMany's (and UpdateManyWith's) error, inside
// a WriteError, for a second write to one item in one commit. Test with
// errors.Is.
var ErrDuplicateWrite = errors.New("storage: two writes to one item in one commit")

// keyAttrs lists the table's key attributes, partition key first.
func keyAttrs(def TableDef) []KeyAttr {
	if def.SortKey == nil {
		return []KeyAttr{def.PartitionKey}
	}
	return []KeyAttr{def.PartitionKey, *def.SortKey}
}

// checkKeyValue checks a key attribute's value for emptiness and size; the
// type is already known to match.
func checkKeyValue(a KeyAttr, v item.Value, partition bool) error {
	if v.S == "" && v.Type != item.TypeN {
		return &SchemaError{Problem: KeyEmpty, Attr: a.Name, Got: v.Type}
	}
	if partition && v.Size() > item.MaxPartitionKeySize {
		return &SchemaError{Problem: KeyPartitionSize, Attr: a.Name}
	}
	if !partition && v.Size() > item.MaxSortKeySize {
		return &SchemaError{Problem: KeySortSize, Attr: a.Name}
	}
	return nil
}

// ValidateKey checks that key holds exactly the table's key attributes with
// the right types, non-empty and within DynamoDB's size limits, returning
// a *SchemaError otherwise.
func ValidateKey(def TableDef, key item.Item) error {
	attrs := keyAttrs(def)
	if len(key) != len(attrs) {
		return &SchemaError{Problem: KeySchema}
	}
	for _, a := range attrs {
		if v, ok := key[a.Name]; !ok || v.Type != a.Type {
			return &SchemaError{Problem: KeySchema}
		}
	}
	for i, a := range attrs {
		if err := checkKeyValue(a, key[a.Name], i == 0); err != nil {
			return err
		}
	}
	return nil
}

// KeyOf returns the key attributes of it, validated like ValidateKey: a
// *SchemaError (KeyMissing, KeyType, KeyEmpty, KeyPartitionSize,
// KeySortSize) when they do not fit.
func KeyOf(def TableDef, it item.Item) (item.Item, error) {
	attrs := keyAttrs(def)
	key := make(item.Item, len(attrs))
	for _, a := range attrs {
		v, ok := it[a.Name]
		if !ok {
			return nil, &SchemaError{Problem: KeyMissing, Attr: a.Name}
		}
		if v.Type != a.Type {
			return nil, &SchemaError{Problem: KeyType, Attr: a.Name, Want: a.Type, Got: v.Type}
		}
		key[a.Name] = v
	}
	for i, a := range attrs {
		if err := checkKeyValue(a, key[a.Name], i == 0); err != nil {
			return nil, err
		}
	}
	return key, nil
}
