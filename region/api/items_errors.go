package api

import (
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// Error constructors used by the item operations. They build on errValidation
// (errors.go) and reproduce DynamoDB's messages.

// errEnum is DynamoDB's message for a parameter outside its enum.
func errEnum(field, value, set string) *Error {
	return errValidation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]", value, field, set)
}

// errNotNull is DynamoDB's message for a missing required member.
func errNotNull(field string) *Error {
	return errValidation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", field)
}

// errMinValue and errMaxValue are DynamoDB's messages for integers out of range.
func errMinValue(field string, v, min int) *Error {
	return errValidation("1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to %d", v, field, min)
}

func errMaxValue(field string, v, max int) *Error {
	return errValidation("1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value less than or equal to %d", v, field, max)
}

// errMinLength is DynamoDB's message for a list or map that is too short.
func errMinLength(field, shown string, min int) *Error {
	return errValidation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length greater than or equal to %d", shown, field, min)
}

func errItemTooLarge() *Error {
	return errValidation("Item size has exceeded the maximum allowed size")
}

func errUpdateTooLarge() *Error {
	return errValidation("Item size to update has exceeded the maximum allowed size")
}

func errKeyAttrUpdate(name string) *Error {
	return errValidation("One or more parameter values were invalid: Cannot update attribute %s. This attribute is part of the key", name)
}

func errDuplicateKeys() *Error {
	return errValidation("Provided list of item keys contains duplicates")
}

// errStartKey wraps a key validation problem of ExclusiveStartKey.
func errStartKey(err error) error {
	if se, ok := err.(*storage.SchemaError); ok {
		return errValidation("The provided starting key is invalid: %s", schemaMessage(se))
	}
	if ve, ok := err.(*item.ValidationError); ok {
		return errValidation("The provided starting key is invalid: %s", ve.Message)
	}
	if ae, ok := err.(*Error); ok && ae.Type == typeValidation {
		return errValidation("The provided starting key is invalid: %s", ae.Message)
	}
	return err
}

// keyString renders a key canonically (attributes in name order) for
// duplicate detection.
func keyString(table string, key item.Item) string {
	b := append([]byte(table), 0)
	return string(key.AppendJSON(b))
}
