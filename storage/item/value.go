package item

import "fmt"

// Type is the type of an AttributeValue, named by its DynamoDB descriptor.
type Type uint8

// The ten DynamoDB attribute types. The zero Type is invalid.
const (
	TypeS Type = iota + 1
	TypeN
	TypeB
	TypeBOOL
	TypeNULL
	TypeL
	TypeM
	TypeSS
	TypeNS
	TypeBS
)

var typeNames = [...]string{"", "S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS"}

// String returns the DynamoDB descriptor: "S", "N", "B", "BOOL", "NULL",
// "L", "M", "SS", "NS" or "BS".
func (t Type) String() string {
	if int(t) < len(typeNames) && t != 0 {
		return typeNames[t]
	}
	return fmt.Sprintf("Type(%d)", t)
}

// ParseType returns the Type for a descriptor such as "S" or "NS".
func ParseType(s string) (Type, bool) {
	for i := 1; i < len(typeNames); i++ {
		if typeNames[i] == s {
			return Type(i), true
		}
	}
	return 0, false
}

// IsSet reports whether t is SS, NS or BS.
func (t Type) IsSet() bool { return t == TypeSS || t == TypeNS || t == TypeBS }

// Value is one DynamoDB AttributeValue.
//
// Only the fields that belong to Type are meaningful:
//
//	S     S holds the string
//	N     S holds the number in canonical form (see CanonicalNumber)
//	B     S holds the raw bytes (not base64)
//	BOOL  Bool
//	NULL  nothing (NULL is always true on the wire)
//	L     L
//	M     M
//	SS    Set holds the strings
//	NS    Set holds canonical numbers
//	BS    Set holds raw bytes
//
// Sets are never empty and never hold duplicates once decoded. Values are
// treated as immutable once built: copy before changing a shared one.
type Value struct {
	Type Type
	S    string
	Bool bool
	L    []Value
	M    map[string]Value
	Set  []string
}

// Item is a DynamoDB item: attribute names to values.
type Item map[string]Value

// Convenience constructors, mostly for tests.

// Str returns an S value.
func Str(s string) Value { return Value{Type: TypeS, S: s} }

// Bin returns a B value holding b.
func Bin(b []byte) Value { return Value{Type: TypeB, S: string(b)} }

// Bool returns a BOOL value.
func BoolValue(b bool) Value { return Value{Type: TypeBOOL, Bool: b} }

// Null returns a NULL value.
func Null() Value { return Value{Type: TypeNULL} }

// ValidationError is a problem with user input. Message is what a DynamoDB
// user would read in the ValidationException.
type ValidationError struct {
	Message string
	// Older, when set, is how DynamoDB's older validation layer words the
	// same problem, for the operations it still serves (BatchWriteItem).
	Older string
	// Kind classifies the problem for callers that treat some kinds
	// apart (region/api's validation envelope); zero for the others.
	Kind ValidationKind
}

// ValidationKind is a class of ValidationError.
type ValidationKind uint8

const (
	// KindBadValue is a value DynamoDB refuses as such: a number it
	// cannot read or store, or a set with duplicate members.
	KindBadValue ValidationKind = iota + 1
	// KindUndefinedValue is an expression's reference to an
	// ExpressionAttributeValues placeholder that is not defined.
	KindUndefinedValue
)

func (e *ValidationError) Error() string { return e.Message }

// Invalidf returns a *ValidationError with a formatted message.
func Invalidf(format string, args ...any) error {
	return &ValidationError{Message: fmt.Sprintf(format, args...)}
}

// Limits DynamoDB imposes on the data model.
const (
	// MaxItemSize is the largest item, in bytes, as DynamoDB counts them.
	MaxItemSize = 400 * 1024
	// MaxDepth is the deepest nesting level of a value inside L and M
	// values, counting a top-level attribute as level 1: a leaf may sit
	// under at most MaxDepth-1 L or M values.
	MaxDepth = 32
	// MaxNumberDigits is the precision of N values.
	MaxNumberDigits = 38
	// MaxPartitionKeySize and MaxSortKeySize bound key attribute values in bytes.
	MaxPartitionKeySize = 2048
	MaxSortKeySize      = 1024
	// MaxAttributeNameSize bounds any attribute name in bytes; key and index
	// attribute names are limited to MaxKeyAttributeNameSize.
	MaxAttributeNameSize    = 64 * 1024
	MaxKeyAttributeNameSize = 255
)

// SerializationError is a request whose JSON has the wrong shape for an
// AttributeValue (for example a number where a string belongs). Message is
// what a DynamoDB user would read in the SerializationException.
type SerializationError struct {
	Message string
}

func (e *SerializationError) Error() string { return e.Message }
