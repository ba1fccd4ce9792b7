package api

import (
	"context"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/expr"
	"github.com/concorddb/concord/storage/item"
)

// queryRequest is Query's input.
type queryRequest struct {
	TableName *string
	pageParams
	ConsistentRead            bool
	KeyConditions             map[string]expr.ExpectedAttr
	QueryFilter               map[string]expr.ExpectedAttr
	ConditionalOperator       string
	ScanIndexForward          *bool
	ExclusiveStartKey         item.Item
	FilterExpression          *string
	KeyConditionExpression    *string
	ExpressionAttributeNames  map[string]string
	ExpressionAttributeValues map[string]item.Value // not exprValues: see its doc
}

// sortOps maps key condition operators to the store's range operators.
var sortOps = [...]storage.RangeOp{
	expr.SortNone:       storage.RangeAll,
	expr.SortEQ:         storage.RangeEQ,
	expr.SortLT:         storage.RangeLT,
	expr.SortLE:         storage.RangeLE,
	expr.SortGT:         storage.RangeGT,
	expr.SortGE:         storage.RangeGE,
	expr.SortBetween:    storage.RangeBetween,
	expr.SortBeginsWith: storage.RangeBeginsWith,
}

// query serves Query: the items of one partition, in sort key order, one
// page at a time.
func query(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req queryRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	opts, err := req.readOptions(req.TableName)
	if err != nil {
		return nil, err
	}
	if err := checkExprParams(
		[]param{{"ProjectionExpression", req.ProjectionExpression != nil}, {"FilterExpression", req.FilterExpression != nil},
			{"KeyConditionExpression", req.KeyConditionExpression != nil}},
		[]param{{"AttributesToGet", req.AttributesToGet != nil}, {"QueryFilter", req.QueryFilter != nil},
			{"ConditionalOperator", req.ConditionalOperator != ""}, {"KeyConditions", req.KeyConditions != nil}},
		req.ExpressionAttributeNames, req.ExpressionAttributeValues); err != nil {
		return nil, err
	}
	if err := checkConditionalOperator(req.ConditionalOperator); err != nil {
		return nil, err
	}
	if req.KeyConditions == nil && req.KeyConditionExpression == nil {
		return nil, errValidation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
	}
	// A KeyConditionExpression is parsed before the table is looked up:
	// DynamoDB reports an operand no key could match (begins_with a number)
	// even for a table that does not exist (paritysuite validation-ordering
	// query.test.ts).
	p := exprParams(req.ExpressionAttributeNames, req.ExpressionAttributeValues)
	var kc *expr.KeyCondition
	if req.KeyConditionExpression != nil {
		if err := nonEmpty("KeyConditionExpression", *req.KeyConditionExpression); err != nil {
			return nil, err
		}
		if kc, err = expr.ParseKeyCondition(*req.KeyConditionExpression, p); err != nil {
			return nil, err
		}
	}
	def, err := s.tableDef(*req.TableName)
	if err != nil {
		return nil, err
	}
	opts.expired = s.eng.ExpiredFunc(def)
	base := def
	var ix *indexRead
	if req.IndexName != nil {
		// Key conditions and filters then apply to the index's key schema.
		if ix, err = s.resolveIndexRead(ctx, def, *req.IndexName, req.Select, req.ConsistentRead, &opts); err != nil { // indexes.go
			return nil, err
		}
		def = ix.keys
	}

	if kc == nil {
		sortName := ""
		if def.SortKey != nil {
			sortName = def.SortKey.Name
		}
		if kc, err = expr.KeyConditionFromLegacy(req.KeyConditions, def.PartitionKey.Name, sortName); err != nil {
			return nil, err
		}
	}
	if req.FilterExpression != nil {
		if opts.filter, err = parseCondition("FilterExpression", req.FilterExpression, p); err != nil {
			return nil, err
		}
	} else if len(req.QueryFilter) > 0 {
		if opts.filter, err = expr.ConditionFromFilter("QueryFilter", req.QueryFilter, req.ConditionalOperator); err != nil {
			return nil, err
		}
	}
	if opts.proj, err = projection(req.ProjectionExpression, req.AttributesToGet, p); err != nil {
		return nil, err
	}
	if req.KeyConditionExpression != nil || req.FilterExpression != nil || req.ProjectionExpression != nil {
		if err := checkUnused(p); err != nil {
			return nil, err
		}
	}
	if err := checkKeyCondition(def, kc); err != nil {
		return nil, err
	}
	if req.FilterExpression != nil {
		if name := filterKeyAttr(def, *req.FilterExpression, req.ExpressionAttributeNames); name != "" {
			return nil, errValidation("Filter Expression can only contain non-primary key attributes: Primary key attribute: %s", name)
		}
	}
	for name := range req.QueryFilter {
		if table.IsKeyAttr(def, name) {
			return nil, errValidation("QueryFilter can only contain non-primary key attributes: Primary key attribute: %s", name)
		}
	}

	q := storage.Query{
		PartitionKey: kc.PartitionValue,
		Op:           sortOps[kc.SortOp],
		A:            kc.SortValues[0],
		B:            kc.SortValues[1],
		Reverse:      req.ScanIndexForward != nil && !*req.ScanIndexForward,
	}
	if req.ExclusiveStartKey != nil {
		if err := checkStartKey(base, ix, req.ExclusiveStartKey); err != nil {
			return nil, err
		}
		if !item.Equal(req.ExclusiveStartKey[def.PartitionKey.Name], kc.PartitionValue) {
			return nil, errValidation("The provided starting key is outside query boundaries based on provided conditions")
		}
		q.ExclusiveStart = req.ExclusiveStartKey
	}
	pg := pager{def: base, opts: &opts}
	if ix != nil {
		err = s.store.QueryIndex(ctx, base.Name, ix.x.Name, q, pg.visit)
	} else {
		err = s.store.Query(ctx, def.Name, q, pg.visit)
	}
	return pg.result(err, req.IndexName, req.ConsistentRead)
}

// checkKeyCondition checks a key condition against the table's key schema
// and puts it in canonical form (partition equality first).
func checkKeyCondition(def storage.TableDef, kc *expr.KeyCondition) error {
	pk := def.PartitionKey.Name
	sortName, keyAttrs := "", 1
	if def.SortKey != nil {
		sortName, keyAttrs = def.SortKey.Name, 2
	}
	if kc.Conditions > keyAttrs {
		return errValidation("The number of query conditions (%d) exceeds the number of key attributes defined in the schema (%d)", kc.Conditions, keyAttrs)
	}
	// "sk = :a AND pk = :b": the parser cannot know which is the partition key.
	if kc.PartitionName != pk && kc.SortName == pk && kc.SortOp == expr.SortEQ {
		kc.PartitionName, kc.SortName = kc.SortName, kc.PartitionName
		kc.PartitionValue, kc.SortValues[0] = kc.SortValues[0], kc.PartitionValue
	}
	if kc.PartitionName != pk {
		if kc.PartitionName != "" && kc.PartitionName == sortName && kc.SortName == "" {
			return errValidation("Query condition missed key schema element: %s", pk)
		}
		if kc.SortName == pk {
			return errValidation("Query key condition not supported")
		}
		return errValidation("Query condition missed key schema element: %s", pk)
	}
	if kc.SortOp != expr.SortNone && kc.SortName != sortName {
		if sortName == "" {
			return errValidation("Query key condition not supported")
		}
		return errValidation("Query condition missed key schema element: %s", sortName)
	}
	if kc.PartitionValue.Type != def.PartitionKey.Type {
		return errValidation("One or more parameter values were invalid: Condition parameter type does not match schema type")
	}
	switch kc.SortOp {
	case expr.SortNone:
	case expr.SortBetween:
		for _, v := range kc.SortValues {
			if v.Type != def.SortKey.Type {
				return errValidation("One or more parameter values were invalid: Condition parameter type does not match schema type")
			}
		}
		if c, ok := item.Compare(kc.SortValues[0], kc.SortValues[1]); ok && c > 0 {
			return errValidation("Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound")
		}
	case expr.SortBeginsWith:
		if kc.SortValues[0].Type != def.SortKey.Type {
			return errValidation("One or more parameter values were invalid: Condition parameter type does not match schema type")
		}
		if def.SortKey.Type == item.TypeN {
			return errValidation("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N")
		}
	default:
		if kc.SortValues[0].Type != def.SortKey.Type {
			return errValidation("One or more parameter values were invalid: Condition parameter type does not match schema type")
		}
	}
	return nil
}
