package api

import (
	"context"
	"errors"

	"github.com/concorddb/concord/storage/item"
)

// DynamoDB's newer validation layer, which serves PutItem, UpdateItem and
// DeleteItem, reports some errors inside the validation envelope, "1
// validation error detected: <message>", that the other operations send
// bare. The envelope goes, on those three operations only, around:
//
//   - ExpressionAttributeValues or ExpressionAttributeNames without an
//     expression that can use them (and without the older ": ConditionExpression
//     is null" suffix), and an empty ExpressionAttributeValues or
//     ExpressionAttributeNames map (checkExprParams);
//   - an empty ConditionExpression (nonEmpty);
//   - ReturnValues the operation does not take (returnOptions);
//   - a malformed Expected condition (writeCondition);
//   - an undefined value in a ConditionExpression or UpdateExpression;
//   - a malformed number and a set with duplicate members, wherever the
//     value sits: item, key, condition values, Expected, AttributeUpdates,
//     update values (decode).
//
// Key errors stay bare: the empty key value ("The AttributeValue for a key
// attribute cannot contain an empty binary value"), "The provided key
// element does not match the schema" and "Cannot update attribute pk. This
// attribute is part of the key". So do the errors whose envelope no capture
// pins exactly (expression syntax errors, "Can not use both expression and
// non-expression parameters", unused names or values, item size).
// Evidence: paritysuite/dynamodb-conformance tier3 error-messages
// putItem.test.ts, deleteItem.test.ts, updateItem.test.ts and
// valueLayers.test.ts (us-east-1, eu-west-2 and more, 2026-10).
//
// The code marks such an error where it is made (envelopeAs, or
// errEnvelopedValidation) and the three handlers add the envelope
// (newLayer, in dispatch.go); other operations ignore the mark.

// envelopeOne is the envelope around a single validation error.
const envelopeOne = "1 validation error detected: "

// errEnvelopedValidation is a ValidationException whose message is msg on
// the operations without the newer layer and envelopeOne+newMsg on
// PutItem, UpdateItem and DeleteItem.
func errEnvelopedValidation(msg, newMsg string) *Error {
	e := errValidation("%s", msg)
	e.enveloped = newMsg
	return e
}

// envelopeAs marks err, when it is a ValidationException, as one the
// newer layer reports inside the envelope with its own message.
func envelopeAs(err error) error {
	if err == nil {
		return nil
	}
	var ae *Error
	if errors.As(err, &ae) {
		if ae.Type != typeValidation || ae.enveloped != "" {
			return err
		}
		c := *ae
		c.enveloped = ae.Message
		return &c
	}
	var ve *item.ValidationError
	if errors.As(err, &ve) {
		e := errEnvelopedValidation(ve.Message, ve.Message)
		e.older = ve.Older
		return e
	}
	return err
}

// envelopeBadValue marks a decoding error that is a malformed number or a
// set with duplicate members (item.KindBadValue).
func envelopeBadValue(err error) error {
	var ve *item.ValidationError
	if errors.As(err, &ve) && ve.Kind == item.KindBadValue {
		return envelopeAs(err)
	}
	return err
}

// envelopeUndefinedValue marks an expression's "An expression attribute
// value used in expression is not defined" error (item.KindUndefinedValue).
func envelopeUndefinedValue(err error) error {
	var ve *item.ValidationError
	if errors.As(err, &ve) && ve.Kind == item.KindUndefinedValue {
		return envelopeAs(err)
	}
	return err
}

// newLayer wraps the handler of PutItem, UpdateItem or DeleteItem: it puts
// the errors marked for it inside the envelope.
func newLayer(h handler) handler {
	return func(ctx context.Context, s *Server, body []byte) ([]byte, error) {
		resp, err := h(ctx, s, body)
		if err == nil {
			return resp, nil
		}
		var ae *Error
		if errors.As(err, &ae) && ae.enveloped != "" {
			c := *ae
			c.Message = envelopeOne + ae.enveloped
			c.enveloped = ""
			return resp, &c
		}
		return resp, err
	}
}
