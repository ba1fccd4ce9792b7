package api

import (
	"context"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage/expr"
	"github.com/concorddb/concord/storage/item"
)

// putItemRequest is PutItem's input.
type putItemRequest struct {
	Item item.Item
	writeParams
}

// putItem serves PutItem: it replaces the whole item, optionally under a
// condition, and may return the old item.
func putItem(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req putItemRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	rv, allOld, capMode, err := req.returnOptions(true, "item", req.Item != nil)
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
	key, err := table.CheckPut(def, req.Item)
	if err != nil {
		return nil, err
	}
	old, _, err := s.eng.Write(ctx, table.Write{Op: table.OpPut, Def: def, Key: key, Item: req.Item, Cond: cond, ReturnOld: allOld})
	if err != nil {
		return nil, err
	}
	w := newBody(64)
	if rv == rvAllOld && old != nil {
		w.item("Attributes", old)
	}
	if capMode != capNone {
		w.capacity(capMode, def.Name, table.WriteUnitsOf(old, req.Item))
	}
	if wantsCollectionMetrics(req.ReturnItemCollectionMetrics, def) {
		w.key("ItemCollectionMetrics")
		if w.b, err = s.appendCollectionMetrics(w.b, def, key); err != nil {
			return nil, err
		}
	}
	return w.bytes(), nil
}

// parseWriteCondition validates the condition parameters of PutItem and
// DeleteItem and parses the condition (nil when there is none).
func parseWriteCondition(condExpr *string, expected map[string]expr.ExpectedAttr, condOp string,
	names map[string]string, values map[string]item.Value) (*expr.Condition, error) {
	if condExpr == nil && expected == nil && condOp == "" && names == nil && values == nil {
		return nil, nil // the common unconditional write
	}
	if err := checkExprParams(
		[]param{{"ConditionExpression", condExpr != nil}},
		[]param{{"Expected", expected != nil}, {"ConditionalOperator", condOp != ""}},
		names, values); err != nil {
		return nil, err
	}
	if err := checkConditionalOperator(condOp); err != nil {
		return nil, err
	}
	p := exprParams(names, values)
	cond, err := writeCondition(condExpr, expected, condOp, p)
	if err != nil {
		return nil, err
	}
	if condExpr != nil {
		if err := checkUnused(p); err != nil {
			return nil, err
		}
	}
	return cond, nil
}
