package api

import (
	"context"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// deleteItemRequest is DeleteItem's input.
type deleteItemRequest struct {
	Key item.Item
	writeParams
}

// deleteItem serves DeleteItem: it removes the item (leaving a tombstone for
// replication), optionally under a condition, and may return the old item.
func deleteItem(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req deleteItemRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	rv, allOld, capMode, err := req.returnOptions(true, "key", req.Key != nil)
	if err != nil {
		return nil, err
	}
	cond, err := parseWriteCondition(req.ConditionExpression, req.Expected, req.ConditionalOperator,
		req.ExpressionAttributeNames, req.ExpressionAttributeValues)
	if err != nil {
		return nil, err
	}
	def, err := s.tableDef(*req.TableName)
	if err != nil {
		return nil, err
	}
	if err := storage.ValidateKey(def, req.Key); err != nil {
		return nil, err
	}
	old, _, err := s.eng.Write(ctx, table.Write{Op: table.OpDelete, Def: def, Key: req.Key, Cond: cond, ReturnOld: allOld})
	if err != nil {
		return nil, err
	}
	w := newBody(64)
	if rv == rvAllOld && old != nil {
		w.item("Attributes", old)
	}
	if capMode != capNone {
		w.capacity(capMode, def.Name, table.WriteUnitsOf(old, nil))
	}
	if wantsCollectionMetrics(req.ReturnItemCollectionMetrics, def) {
		w.key("ItemCollectionMetrics")
		if w.b, err = s.appendCollectionMetrics(w.b, def, req.Key); err != nil {
			return nil, err
		}
	}
	return w.bytes(), nil
}
