package api

import (
	"errors"
	"fmt"
	"net/http"

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
}

func (e *Error) Error() string { return e.Type + ": " + e.Message }

// The catalogue. Every client-visible error is built by one of these.
const (
	typeValidation          = "ValidationException"
	typeSerialization       = "SerializationException"
	typeUnknownOperation    = "UnknownOperationException"
	typeResourceNotFound    = "ResourceNotFoundException"
	typeResourceInUse       = "ResourceInUseException"
	typeConditionalFailed   = "ConditionalCheckFailedException"
	typeInternal            = "InternalServerError"
	typeRequestTooLarge     = "RequestEntityTooLarge"
	typeLimitExceeded       = "LimitExceededException"
	typeTransactionConflict = "TransactionConflictException"
)

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
	if errors.Is(err, storage.ErrTableNotFound) {
		return errResourceNotFound("Requested resource not found")
	}
	if errors.Is(err, storage.ErrTableExists) {
		return errResourceInUse("Table already exists")
	}
	return errInternal(err)
}
