package api

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/expr"
	"github.com/concorddb/concord/storage/item"
)

// BatchGetItem limits.
const (
	maxBatchGetKeys  = 100
	maxBatchGetBytes = 16 << 20
)

// keysAndAttributes is one table's part of a BatchGetItem request; it is
// also the shape of UnprocessedKeys.
type keysAndAttributes struct {
	Keys                     []item.Item       `json:"Keys"`
	ProjectionExpression     *string           `json:"ProjectionExpression,omitempty"`
	ExpressionAttributeNames map[string]string `json:"ExpressionAttributeNames,omitempty"`
	AttributesToGet          []string          `json:"AttributesToGet,omitempty"`
	ConsistentRead           *bool             `json:"ConsistentRead,omitempty"`
}

// batchGetRequest is BatchGetItem's input.
type batchGetRequest struct {
	RequestItems           map[string]keysAndAttributes
	ReturnConsumedCapacity string
}

// batchGetTable is one table's validated part of a BatchGetItem.
type batchGetTable struct {
	name string
	def  storage.TableDef
	req  keysAndAttributes
	proj []expr.Path
}

// batchGetItem serves BatchGetItem: up to 100 keys across tables. Keys whose
// items would take the response past 16 MB come back in UnprocessedKeys.
func batchGetItem(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req batchGetRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	// The table names and the capacity mode are reported together, in
	// that order (paritysuite/dynamodb-conformance
	// validation-ordering/batchOperations.test.ts, us-east-1 and
	// eu-west-2, 2026-10).
	var v validationErrors
	checkRequestItemsNames(&v, body, req.RequestItems)
	capMode := v.capacityMode(req.ReturnConsumedCapacity)
	if err := v.err(); err != nil {
		return nil, err
	}
	if req.RequestItems == nil {
		return nil, errNotNull("requestItems")
	}
	if len(req.RequestItems) == 0 {
		// DynamoDB's own sentence, not a constraint message (us-east-1 and
		// most regions, 2026-08; a few have moved to the generic "Value at
		// 'RequestItems' failed to satisfy constraint").
		return nil, errValidation("The requestItems parameter is required for BatchGetItem")
	}
	names := make([]string, 0, len(req.RequestItems))
	total := 0
	for name, ka := range req.RequestItems {
		names = append(names, name)
		// DynamoDB names the member path as it is spelled on the wire and
		// does not echo the value (us-east-1 and eu-west-2, 2026-10;
		// paritysuite batchGetItem.test.ts).
		switch path := "RequestItems." + name + ".member.Keys"; {
		case len(ka.Keys) == 0:
			return nil, errValidation("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length greater than or equal to 1", path)
		case len(ka.Keys) > maxBatchGetKeys:
			return nil, errValidation("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", path, maxBatchGetKeys)
		}
		total += len(ka.Keys)
	}
	if total > maxBatchGetKeys {
		return nil, errValidation("Too many items requested for the BatchGetItem call")
	}
	slices.Sort(names)
	// The expression and legacy parameters cannot be mixed across tables
	// either: DynamoDB rejects a ProjectionExpression on one table beside
	// AttributesToGet on another (paritysuite/dynamodb-conformance
	// batchGetItem.test.ts; no message pinned, so it is the one for a
	// single table).
	var anyProj, anyAttrs bool
	for _, ka := range req.RequestItems {
		anyProj = anyProj || ka.ProjectionExpression != nil
		anyAttrs = anyAttrs || ka.AttributesToGet != nil
	}
	if anyProj && anyAttrs {
		if err := checkExprParams([]param{{"ProjectionExpression", true}}, []param{{"AttributesToGet", true}}, nil, nil); err != nil {
			return nil, err
		}
	}

	tables := make([]batchGetTable, 0, len(names))
	seen := make(map[string]bool, total)
	for _, name := range names {
		ka := req.RequestItems[name]
		t := batchGetTable{name: name, req: ka}
		if err := checkExprParams(
			[]param{{"ProjectionExpression", ka.ProjectionExpression != nil}},
			[]param{{"AttributesToGet", ka.AttributesToGet != nil}},
			ka.ExpressionAttributeNames, nil); err != nil {
			return nil, err
		}
		p := exprParams(ka.ExpressionAttributeNames, nil)
		var err error
		if t.proj, err = projection(ka.ProjectionExpression, ka.AttributesToGet, p); err != nil {
			return nil, err
		}
		if err := checkUnused(p); err != nil {
			return nil, err
		}
		if t.def, err = s.tableDef(name); err != nil {
			return nil, err
		}
		for _, k := range ka.Keys {
			if err := storage.ValidateKey(t.def, k); err != nil {
				return nil, err
			}
			ks := keyString(name, k)
			if seen[ks] {
				return nil, errDuplicateKeys()
			}
			seen[ks] = true
		}
		tables = append(tables, t)
	}

	w := newBody(1024)
	w.key("Responses")
	w.b = append(w.b, '{')
	var used table.Capacity
	unprocessed := map[string]keysAndAttributes{}
	size := 0
	for ti, t := range tables {
		if ti > 0 {
			w.b = append(w.b, ',')
		}
		w.b = appendString(w.b, t.name)
		w.b = append(w.b, ':', '[')
		consistent := t.req.ConsistentRead != nil && *t.req.ConsistentRead
		units, n := 0.0, 0
		for ki, k := range t.req.Keys {
			if size >= maxBatchGetBytes {
				rest := t.req
				rest.Keys = t.req.Keys[ki:]
				unprocessed[t.name] = rest
				break
			}
			it, err := s.store.Get(ctx, t.def.Name, k)
			if err != nil {
				return nil, err
			}
			it = table.HideExpired(s.eng.ExpiredFunc(t.def), it)
			isize := 0
			if it != nil {
				isize = it.Size()
			}
			units += table.ReadUnits(isize, consistent)
			if it == nil {
				continue
			}
			size += isize
			if t.proj != nil {
				it = expr.Project(it, t.proj)
			}
			if n > 0 {
				w.b = append(w.b, ',')
			}
			n++
			w.b = it.AppendJSON(w.b)
		}
		w.b = append(w.b, ']')
		used.Add(t.name, units)
	}
	w.b = append(w.b, '}')
	un, err := json.Marshal(unprocessed)
	if err != nil {
		return nil, err
	}
	w.raw("UnprocessedKeys", un)
	w.capacityList(capMode, &used)
	return w.bytes(), nil
}
