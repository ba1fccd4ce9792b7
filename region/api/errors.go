package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// Error is a client-visible DynamoDB error: the __type suffix (for example
// "ValidationException"), the HTTP status and the message.
type Error struct {
	Type    string
	Status  int
	Message string
	// Item is set for ConditionalCheckFailedException when the request asked
	// for ReturnValuesOnConditionCheckFailure ALL_OLD.
	Item item.Item
	// Extra holds additional top-level response fields (for example
	// CancellationReasons), marshalled beside __type and message.
	Extra map[string]any
	// enveloped, when set, is the message PutItem, UpdateItem and
	// DeleteItem send inside the validation envelope instead of Message
	// (envelope.go); other operations send Message.
	enveloped string
	// older, when set, is how DynamoDB's older validation layer words
	// the same problem (item.ValidationError's Older; decodeOlder).
	older string
}

func (e *Error) Error() string { return e.Type + ": " + e.Message }

// The catalogue. Every client-visible error is built by one of these.
const (
	typeValidation          = "ValidationException"
	typeSerialization       = "SerializationException"
	typeUnknownOperation    = "UnknownOperationException"
	typeResourceNotFound    = "ResourceNotFoundException"
	typeTableNotFound       = "TableNotFoundException"
	typeResourceInUse       = "ResourceInUseException"
	typeConditionalFailed   = "ConditionalCheckFailedException"
	typeInternal            = "InternalServerError"
	typeRequestTooLarge     = "RequestEntityTooLarge"
	typeLimitExceeded       = "LimitExceededException"
	typeTransactionConflict = "TransactionConflictException"
	typeTransactionCanceled = "TransactionCanceledException"
	typeIdempotentMismatch  = "IdempotentParameterMismatchException"
)

// errTransactionCanceled is TransactWriteItems' cancellation: reasons
// holds one entry per action, in request order (transact_write.go). Its
// body names the message "Message" (messageField).
func errTransactionCanceled(codes []string, reasons any) *Error {
	return &Error{Type: typeTransactionCanceled, Status: http.StatusBadRequest,
		Message: "Transaction cancelled, please refer cancellation reasons for specific reasons [" + strings.Join(codes, ", ") + "]",
		Extra:   map[string]any{"CancellationReasons": reasons}}
}

// errIdempotentMismatch: a ClientRequestToken reused with other parameters.
func errIdempotentMismatch() *Error {
	return &Error{Type: typeIdempotentMismatch, Status: http.StatusBadRequest,
		Message: "Request token was already used with different request parameters"}
}

// typePrefix is the namespace of every __type the server sends; SDKs read
// the part after '#'.
const typePrefix = "com.amazonaws.dynamodb.v20120810#"

func errValidation(format string, args ...any) *Error {
	return &Error{Type: typeValidation, Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

func errSerialization(format string, args ...any) *Error {
	return &Error{Type: typeSerialization, Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

func errUnknownOperation() *Error {
	return &Error{Type: typeUnknownOperation, Status: http.StatusBadRequest}
}

// errTableNotFound is DynamoDB's message for an unknown table.
func errTableNotFound(name string) *Error {
	return &Error{Type: typeResourceNotFound, Status: http.StatusBadRequest,
		Message: "Requested resource not found: Table: " + name + " not found"}
}

// errBackupTableNotFound is the backup operations' answer for an unknown
// table: they report TableNotFoundException, not ResourceNotFoundException.
func errBackupTableNotFound(name string) *Error {
	return &Error{Type: typeTableNotFound, Status: http.StatusBadRequest, Message: "Table not found: " + name}
}

func errResourceNotFound(msg string) *Error {
	return &Error{Type: typeResourceNotFound, Status: http.StatusBadRequest, Message: msg}
}

func errResourceInUse(msg string) *Error {
	return &Error{Type: typeResourceInUse, Status: http.StatusBadRequest, Message: msg}
}

// errConditionalCheckFailed carries the old item when the request asked
// for it with ReturnValuesOnConditionCheckFailure ALL_OLD.
func errConditionalCheckFailed(old item.Item) *Error {
	return &Error{Type: typeConditionalFailed, Status: http.StatusBadRequest,
		Message: "The conditional request failed", Item: old}
}

func errLimitExceeded(format string, args ...any) *Error {
	return &Error{Type: typeLimitExceeded, Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

func errRequestTooLarge(limit int64) *Error {
	return &Error{Type: typeRequestTooLarge, Status: http.StatusRequestEntityTooLarge,
		Message: fmt.Sprintf("Request must be smaller than %d bytes for the operation", limit)}
}

func errInternal(err error) *Error {
	return &Error{Type: typeInternal, Status: http.StatusInternalServerError,
		Message: "Internal server error"}
}

// toAPIError maps any error to the catalogue. It is the one place internal
// errors become client-visible.
func toAPIError(err error) *Error {
	var ae *Error
	if errors.As(err, &ae) {
		return ae
	}
	var ve *item.ValidationError
	if errors.As(err, &ve) {
		return errValidation("%s", ve.Message)
	}
	var se *item.SerializationError
	if errors.As(err, &se) {
		return errSerialization("%s", se.Message)
	}
	if te := tableError(err); te != nil { // table_errors.go: the engine's errors
		return te
	}
	var sch *storage.SchemaError
	if errors.As(err, &sch) {
		return errValidation("%s", schemaMessage(sch))
	}
	var seg *storage.SegmentError
	if errors.As(err, &seg) {
		if seg.StartKey {
			return errValidation("The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: %d Segment: %d", seg.TotalSegments, seg.Segment)
		}
		return errValidation("One or more parameter values were invalid: Segment must be less than TotalSegments and both must be non-negative, with TotalSegments positive (Segment=%d TotalSegments=%d)", seg.Segment, seg.TotalSegments)
	}
	if errors.Is(err, storage.ErrDuplicateWrite) {
		return errValidation(msgDuplicateTxItem)
	}
	if errors.Is(err, storage.ErrTableNotFound) {
		return errResourceNotFound("Requested resource not found")
	}
	if errors.Is(err, storage.ErrTableExists) {
		return errResourceInUse("Table already exists")
	}
	return errInternal(err)
}

// msgKeySchema is DynamoDB's message for a key that does not fit the
// table's key schema.
const msgKeySchema = "The provided key element does not match the schema"

// schemaMessage words a storage.SchemaError as DynamoDB does.
func schemaMessage(e *storage.SchemaError) string {
	switch e.Problem {
	case storage.KeyMissing:
		return "One or more parameter values were invalid: Missing the key " + e.Attr + " in the item"
	case storage.KeyType:
		return fmt.Sprintf("One or more parameter values were invalid: Type mismatch for key %s expected: %s actual: %s", e.Attr, e.Want, e.Got)
	case storage.KeyEmpty:
		kind := "string"
		if e.Got == item.TypeB {
			kind = "binary"
		}
		return "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty " + kind + " value. Key: " + e.Attr
	case storage.KeyPartitionSize:
		return "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"
	case storage.KeySortSize:
		return "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes"
	case storage.KeyConditionType:
		return "One or more parameter values were invalid: Condition parameter type does not match schema type"
	case storage.KeyConditionUnsupported:
		return "Query key condition not supported"
	}
	return msgKeySchema
}

// body returns the JSON error body DynamoDB sends:
// {"__type":"com.amazonaws.dynamodb.v20120810#<Type>","message":"..."},
// plus Item and Extra fields when set.
func (e *Error) body() []byte {
	if e.Item == nil && len(e.Extra) == 0 {
		b := make([]byte, 0, 64+len(e.Type)+len(e.Message))
		b = append(b, `{"__type":`...)
		b = appendJSONString(b, typePrefix+e.Type)
		if e.Message != "" {
			b = append(b, ',')
			b = appendJSONString(b, e.messageField())
			b = append(b, ':')
			b = appendJSONString(b, e.Message)
		}
		return append(b, '}')
	}
	m := make(map[string]any, len(e.Extra)+3)
	for k, v := range e.Extra {
		m[k] = v
	}
	m["__type"] = typePrefix + e.Type
	if e.Message != "" {
		m[e.messageField()] = e.Message
	}
	if e.Item != nil {
		m["Item"] = e.Item
	}
	b, err := json.Marshal(m)
	if err != nil {
		// Extra holds something unencodable: a programmer error. Send the
		// error without its extra fields rather than nothing.
		return (&Error{Type: e.Type, Message: e.Message}).body()
	}
	return b
}

// messageField is the name of the body's message field. DynamoDB spells
// it "message", except beside a TransactionCanceledException's
// CancellationReasons, where it is "Message" (boto3 issue 2657, aws-sdk-net
// issue 1292). The SDKs read either.
func (e *Error) messageField() string {
	if e.Type == typeTransactionCanceled {
		return "Message"
	}
	return "message"
}

// appendJSONString appends s as a JSON string.
func appendJSONString(dst []byte, s string) []byte {
	b, _ := json.Marshal(s) // a string always encodes
	return append(dst, b...)
}

// validationErrors collects constraint violations in DynamoDB's format:
// "2 validation errors detected: Value 'x' at 'tableName' failed to
// satisfy constraint: ...; Value null at 'keySchema' ...". The zero value
// is ready to use.
type validationErrors struct {
	msgs []string
}

// null records a missing required member.
func (v *validationErrors) null(path string) {
	v.msgs = append(v.msgs, "Value null at '"+path+"' failed to satisfy constraint: Member must not be null")
}

// add records that value (already formatted, e.g. "'abc'" or "'[...]'" or
// "null") at path breaks constraint.
func (v *validationErrors) add(value, path, constraint string) {
	v.msgs = append(v.msgs, "Value "+value+" at '"+path+"' failed to satisfy constraint: "+constraint)
}

// enum records that value at path is not in set, listed as DynamoDB
// lists it ("ALL_OLD, NONE").
func (v *validationErrors) enum(path, value, set string) {
	v.add(quote(value), path, "Member must satisfy enum value set: ["+set+"]")
}

// quote formats a value as DynamoDB prints it in validation messages.
func quote(s string) string { return "'" + s + "'" }

// err returns the collected ValidationException, or nil if none.
func (v *validationErrors) err() error {
	switch len(v.msgs) {
	case 0:
		return nil
	case 1:
		return errValidation("1 validation error detected: %s", v.msgs[0])
	}
	return errValidation("%d validation errors detected: %s", len(v.msgs), strings.Join(v.msgs, "; "))
}

// errInvalidParam is DynamoDB's "One or more parameter values were invalid"
// ValidationException.
func errInvalidParam(format string, args ...any) *Error {
	return errValidation("One or more parameter values were invalid: "+format, args...)
}
