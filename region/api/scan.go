package api

import (
	"context"

	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/expr"
	"github.com/concorddb/concord/storage/item"
)

// maxTotalSegments is DynamoDB's limit on TotalSegments.
const maxTotalSegments = 1000000

// scanRequest is Scan's input.
type scanRequest struct {
	TableName *string
	pageParams
	ConsistentRead            bool
	ScanFilter                map[string]expr.ExpectedAttr
	ConditionalOperator       string
	ExclusiveStartKey         item.Item
	Segment                   *int
	TotalSegments             *int
	FilterExpression          *string
	ExpressionAttributeNames  map[string]string
	ExpressionAttributeValues exprValues
}

// scan serves Scan: every item of the table (or of one segment of it), one
// page at a time.
func scan(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req scanRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	opts, err := req.readOptions(req.TableName)
	if err != nil {
		return nil, err
	}
	segment, total, err := parseSegments(req.Segment, req.TotalSegments)
	if err != nil {
		return nil, err
	}
	if err := checkExprParams(
		[]param{{"ProjectionExpression", req.ProjectionExpression != nil}, {"FilterExpression", req.FilterExpression != nil}},
		[]param{{"AttributesToGet", req.AttributesToGet != nil}, {"ScanFilter", req.ScanFilter != nil},
			{"ConditionalOperator", req.ConditionalOperator != ""}},
		req.ExpressionAttributeNames, req.ExpressionAttributeValues); err != nil {
		return nil, err
	}
	if err := checkConditionalOperator(req.ConditionalOperator); err != nil {
		return nil, err
	}
	p := exprParams(req.ExpressionAttributeNames, req.ExpressionAttributeValues)
	if req.FilterExpression != nil {
		if opts.filter, err = parseCondition("FilterExpression", req.FilterExpression, p); err != nil {
			return nil, err
		}
	} else if len(req.ScanFilter) > 0 {
		if opts.filter, err = expr.ConditionFromFilter("ScanFilter", req.ScanFilter, req.ConditionalOperator); err != nil {
			return nil, err
		}
	}
	if opts.proj, err = projection(req.ProjectionExpression, req.AttributesToGet, p); err != nil {
		return nil, err
	}
	if req.FilterExpression != nil || req.ProjectionExpression != nil {
		if err := checkUnused(p); err != nil {
			return nil, err
		}
	}
	def, err := s.tableDef(*req.TableName)
	if err != nil {
		return nil, err
	}
	opts.expired = s.eng.ExpiredFunc(def)
	var ix *indexRead
	if req.IndexName != nil {
		if ix, err = s.resolveIndexRead(ctx, def, *req.IndexName, req.Select, req.ConsistentRead, &opts); err != nil { // indexes.go
			return nil, err
		}
	}
	sc := storage.Scan{Segment: segment, TotalSegments: total}
	if req.ExclusiveStartKey != nil {
		if err := checkStartKey(def, ix, req.ExclusiveStartKey); err != nil {
			return nil, err
		}
		sc.ExclusiveStart = req.ExclusiveStartKey
	}
	pg := pager{def: def, opts: &opts}
	if ix != nil {
		err = s.store.ScanIndex(ctx, def.Name, ix.x.Name, sc, pg.visit)
	} else {
		err = s.store.Scan(ctx, def.Name, sc, pg.visit)
	}
	return pg.result(err, req.IndexName, req.ConsistentRead)
}

// parseSegments validates Segment and TotalSegments with DynamoDB's
// messages; total is 0 for a whole-table scan.
func parseSegments(segment, total *int) (int, int, error) {
	if total != nil {
		if *total < 1 {
			return 0, 0, errMinValue("totalSegments", *total, 1)
		}
		if *total > maxTotalSegments {
			return 0, 0, errMaxValue("totalSegments", *total, maxTotalSegments)
		}
	}
	if segment != nil {
		if *segment < 0 {
			return 0, 0, errMinValue("segment", *segment, 0)
		}
		if *segment > maxTotalSegments-1 {
			return 0, 0, errMaxValue("segment", *segment, maxTotalSegments-1)
		}
	}
	switch {
	case segment == nil && total == nil:
		return 0, 0, nil
	case total == nil:
		return 0, 0, errValidation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present")
	case segment == nil:
		return 0, 0, errValidation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present")
	case *segment >= *total:
		return 0, 0, errValidation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: %d is not less than TotalSegments: %d", *segment, *total)
	}
	return *segment, *total, nil
}
