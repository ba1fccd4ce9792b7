package api

import (
	"errors"
	"reflect"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/concorddb/concord/storage/item"
)

// exprValues is the ExpressionAttributeValues of the operations DynamoDB
// still validates in its older layer, Scan and TransactWriteItems. It
// decodes itself so that a bad value is reported as that layer reports it,
// naming the placeholder: "ExpressionAttributeValues contains invalid
// value: <why> for key :v". PutItem, UpdateItem, DeleteItem and Query
// report the value's problem alone (paritysuite/dynamodb-conformance
// error-messages/valueLayers.test.ts, four regions, 2026-10), so their
// requests keep a plain map[string]item.Value. Decoding straight from the
// request's token stream costs nothing over the plain map: each value's
// bytes go to item.Value.UnmarshalJSON exactly as they would have.
type exprValues map[string]item.Value

// UnmarshalJSONFrom implements the json-experiment UnmarshalerFrom
// interface (used in its v1 mode too, see decode).
func (m *exprValues) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	switch dec.PeekKind() {
	case 'n':
		_, err := dec.ReadToken()
		*m = nil
		return err
	case '{':
	default:
		// The library reports this as it does any wrongly typed field,
		// adding the field's path.
		return &json.SemanticError{JSONKind: dec.PeekKind(), JSONPointer: dec.StackPointer(), GoType: reflect.TypeFor[exprValues]()}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	if *m == nil {
		*m = exprValues{}
	}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		key := tok.String()
		raw, err := dec.ReadValue()
		if err != nil {
			return err
		}
		var v item.Value
		if err := v.UnmarshalJSON(raw); err != nil {
			if ve, ok := errors.AsType[*item.ValidationError](err); ok {
				return &item.ValidationError{Message: "ExpressionAttributeValues contains invalid value: " + ve.Message + " for key " + key}
			}
			return err
		}
		(*m)[key] = v
	}
	_, err := dec.ReadToken()
	return err
}
