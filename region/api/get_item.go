package api

import (
	"context"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/expr"
	"github.com/concorddb/concord/storage/item"
)

// getItemRequest is GetItem's input.
type getItemRequest struct {
	TableName                *string
	Key                      item.Item
	ProjectionExpression     *string
	ExpressionAttributeNames map[string]string
	AttributesToGet          []string
	ConsistentRead           bool
	ReturnConsumedCapacity   string
}

// getItem serves GetItem. Every read of a region's own store is strongly
// consistent; ConsistentRead only changes the capacity reported.
func getItem(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req getItemRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	// Member constraints are reported together (their order is not
	// measured).
	var v validationErrors
	capMode := v.capacityMode(req.ReturnConsumedCapacity)
	checkTableRef(&v, "tableName", req.TableName)
	if req.Key == nil {
		v.null("key")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	var proj []expr.Path
	if req.ProjectionExpression != nil || req.AttributesToGet != nil || req.ExpressionAttributeNames != nil {
		if err := checkExprParams(
			[]param{{"ProjectionExpression", req.ProjectionExpression != nil}},
			[]param{{"AttributesToGet", req.AttributesToGet != nil}},
			req.ExpressionAttributeNames, nil); err != nil {
			return nil, err
		}
		p := exprParams(req.ExpressionAttributeNames, nil)
		var err error
		if proj, err = projection(req.ProjectionExpression, req.AttributesToGet, p); err != nil {
			return nil, err
		}
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
	it, err := s.store.Get(ctx, def.Name, req.Key)
	if err != nil {
		return nil, err
	}
	it = table.HideExpired(s.eng.ExpiredFunc(def), it)
	w := newBody(256)
	size := 0
	if it != nil {
		if capMode != capNone {
			size = it.Size()
		}
		if proj != nil {
			it = expr.Project(it, proj)
		}
		w.item("Item", it)
	}
	w.capacity(capMode, def.Name, table.ReadUnits(size, req.ConsistentRead))
	return w.bytes(), nil
}
