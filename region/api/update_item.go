package api

import (
	"context"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/expr"
	"github.com/concorddb/concord/storage/item"
)

// updateItemRequest is UpdateItem's input.
type updateItemRequest struct {
	Key              item.Item
	UpdateExpression *string
	AttributeUpdates map[string]expr.AttributeUpdate
	writeParams
}

// updateItem serves UpdateItem: it edits the item's attributes, creating
// the item from its key when absent (upsert), optionally under a condition.
func updateItem(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req updateItemRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	rv, allOld, capMode, err := req.returnOptions(false, "key", req.Key != nil)
	if err != nil {
		return nil, err
	}
	if err := checkExprParams(
		[]param{{"UpdateExpression", req.UpdateExpression != nil}, {"ConditionExpression", req.ConditionExpression != nil}},
		[]param{{"AttributeUpdates", req.AttributeUpdates != nil}, {"Expected", req.Expected != nil},
			{"ConditionalOperator", req.ConditionalOperator != ""}},
		req.ExpressionAttributeNames, req.ExpressionAttributeValues); err != nil {
		return nil, err
	}
	if err := checkConditionalOperator(req.ConditionalOperator); err != nil {
		return nil, err
	}
	p := exprParams(req.ExpressionAttributeNames, req.ExpressionAttributeValues)
	var upd *expr.Update
	switch {
	case req.UpdateExpression != nil:
		if err := nonEmpty("UpdateExpression", *req.UpdateExpression); err != nil {
			return nil, err
		}
		upd, err = expr.ParseUpdate(*req.UpdateExpression, p)
		err = envelopeUndefinedValue(err)
	case len(req.AttributeUpdates) > 0:
		upd, err = expr.UpdateFromAttributeUpdates(req.AttributeUpdates)
	}
	if err != nil {
		return nil, err
	}
	cond, err := writeCondition(req.ConditionExpression, req.Expected, req.ConditionalOperator, p)
	if err != nil {
		return nil, err
	}
	if req.UpdateExpression != nil || req.ConditionExpression != nil {
		if err := checkUnused(p); err != nil {
			return nil, err
		}
	}
	def, err := s.tableDef(*req.TableName)
	if err != nil {
		return nil, err
	}
	if err := storage.ValidateKey(def, req.Key); err != nil {
		return nil, err
	}
	if err := table.CheckUpdate(def, upd); err != nil {
		return nil, err
	}
	var paths []expr.Path
	if upd != nil {
		paths = upd.Paths()
	}
	key := req.Key
	old, newItem, err := s.eng.Write(ctx, table.Write{Op: table.OpUpdate, Def: def, Key: key, Update: upd, Cond: cond, ReturnOld: allOld})
	if err != nil {
		return nil, err
	}
	w := newBody(128)
	if attrs := rv.attributes(old, newItem, paths); attrs != nil {
		w.item("Attributes", attrs)
	}
	if capMode != capNone {
		w.capacity(capMode, def.Name, table.WriteUnitsOf(old, newItem))
	}
	if wantsCollectionMetrics(req.ReturnItemCollectionMetrics, def) {
		w.key("ItemCollectionMetrics")
		if w.b, err = s.appendCollectionMetrics(w.b, def, key); err != nil {
			return nil, err
		}
	}
	return w.bytes(), nil
}
