package storage

import (
	"github.com/concorddb/concord/storage/item"
)

// DynamoDB's messages for key problems.
const (
	msgKeySchema      = "The provided key element does not match the schema"
	msgEmptyKeyString = "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: %s"
	msgEmptyKeyBinary = "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: %s"
	msgHashKeySize    = "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"
	msgRangeKeySize   = "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes"
	msgMissingKey     = "One or more parameter values were invalid: Missing the key %s in the item"
	msgKeyTypeMatch   = "One or more parameter values were invalid: Type mismatch for key %s expected: %s actual: %s"
	msgCondType       = "One or more parameter values were invalid: Condition parameter type does not match schema type"
	msgKeyCondition   = "Query key condition not supported"
)

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
		if v.Type == item.TypeB {
			return item.Invalidf(msgEmptyKeyBinary, a.Name)
		}
		return item.Invalidf(msgEmptyKeyString, a.Name)
	}
	if partition && v.Size() > item.MaxPartitionKeySize {
		return &item.ValidationError{Message: msgHashKeySize}
	}
	if !partition && v.Size() > item.MaxSortKeySize {
		return &item.ValidationError{Message: msgRangeKeySize}
	}
	return nil
}

// ValidateKey checks that key holds exactly the table's key attributes with
// the right types, non-empty and within DynamoDB's size limits, returning
// an *item.ValidationError with DynamoDB's message otherwise ("The provided
// key element does not match the schema", ...).
func ValidateKey(def TableDef, key item.Item) error {
	attrs := keyAttrs(def)
	if len(key) != len(attrs) {
		return &item.ValidationError{Message: msgKeySchema}
	}
	for _, a := range attrs {
		if v, ok := key[a.Name]; !ok || v.Type != a.Type {
			return &item.ValidationError{Message: msgKeySchema}
		}
	}
	for i, a := range attrs {
		if err := checkKeyValue(a, key[a.Name], i == 0); err != nil {
			return err
		}
	}
	return nil
}

// KeyOf returns the key attributes of it, validated like ValidateKey
// ("One or more parameter values were invalid: Missing the key id in the item").
func KeyOf(def TableDef, it item.Item) (item.Item, error) {
	attrs := keyAttrs(def)
	key := make(item.Item, len(attrs))
	for _, a := range attrs {
		v, ok := it[a.Name]
		if !ok {
			return nil, item.Invalidf(msgMissingKey, a.Name)
		}
		if v.Type != a.Type {
			return nil, item.Invalidf(msgKeyTypeMatch, a.Name, a.Type, v.Type)
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
