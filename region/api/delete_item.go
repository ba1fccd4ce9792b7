package api

import (
	"context"

	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/expr"
	"github.com/concorddb/concord/storage/item"
)

// deleteItemRequest is DeleteItem's input.
type deleteItemRequest struct {
	TableName                           string
	Key                                 item.Item
	ConditionExpression                 *string
	Expected                            map[string]expr.ExpectedAttr
	ConditionalOperator                 string
	ExpressionAttributeNames            map[string]string
	ExpressionAttributeValues           map[string]item.Value
	ReturnValues                        string
	ReturnValuesOnConditionCheckFailure string
	ReturnConsumedCapacity              string
	ReturnItemCollectionMetrics         string
}

// deleteItem serves DeleteItem: it removes the item (leaving a tombstone for
// replication), optionally under a condition, and may return the old item.
func deleteItem(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req deleteItemRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	rv, err := parseReturnOldOnly(req.ReturnValues)
	if err != nil {
		return nil, err
	}
	allOld, err := parseOnConditionFailure(req.ReturnValuesOnConditionCheckFailure)
	if err != nil {
		return nil, err
	}
	capMode, err := parseCapacityMode(req.ReturnConsumedCapacity)
	if err != nil {
		return nil, err
	}
	if err := checkItemCollectionMetrics(req.ReturnItemCollectionMetrics); err != nil {
		return nil, err
	}
	if req.Key == nil {
		return nil, errNotNull("key")
	}
	cond, err := parseWriteCondition(req.ConditionExpression, req.Expected, req.ConditionalOperator,
		req.ExpressionAttributeNames, req.ExpressionAttributeValues)
	if err != nil {
		return nil, err
	}
	def, err := s.tableDef(req.TableName)
	if err != nil {
		return nil, err
	}
	if err := storage.ValidateKey(def, req.Key); err != nil {
		return nil, err
	}
	old, err := s.opts.Store.Update(ctx, def.Name, req.Key, s.deleteFunc(ctx, cond, allOld))
	if err != nil {
		return nil, err
	}
	w := newBody(64)
	if rv == rvAllOld && old != nil {
		w.item("Attributes", old)
	}
	if capMode != capNone {
		w.capacity(capMode, def.Name, writeUnitsOf(old, nil))
	}
	return w.bytes(), nil
}
