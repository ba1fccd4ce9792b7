package api

import (
	"context"
	"errors"
	"fmt"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/expr"
	"github.com/concorddb/concord/storage/item"
)

// txGetRequest is TransactGetItems' input.
type txGetRequest struct {
	TransactItems []struct {
		Get *txGet
	}
	ReturnConsumedCapacity string
}

// txGet is one Get action.
type txGet struct {
	TableName                string
	Key                      item.Item
	ProjectionExpression     *string
	ExpressionAttributeNames map[string]string
}

// transactGetItems serves TransactGetItems: up to 100 Gets of distinct
// items, in any tables, all read from one consistent snapshot of the
// region's store (storage.Store.GetMany). The answer therefore shows
// every transaction, local or replicated from another region, entirely
// or not at all. It never waits for writers and is never cancelled by a
// concurrent write (DynamoDB may answer TransactionCanceledException with
// reason TransactionConflict; Concord does not need to).
//
// A Get whose Key does not match the table's key schema (an attribute
// missing, of the wrong type, or one too many) does not fail the request:
// as in DynamoDB, it cancels the transaction with a ValidationError reason
// for that Get and None for the others, before anything is read
// (paritysuite/dynamodb-conformance transactGetItems.test.ts, "missing key
// attribute"). Other key problems (an empty string or binary value, a key
// too long) are ValidationException, as TransactWriteItems' are (txKey).
// Writes differ on a missing attribute, which fails their request.
func transactGetItems(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req txGetRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	capMode, err := parseCapacityMode(req.ReturnConsumedCapacity)
	if err != nil {
		return nil, err
	}
	if req.TransactItems == nil {
		return nil, errNotNull("transactItems")
	}
	if len(req.TransactItems) == 0 {
		return nil, errMinLength("transactItems", "[]", 1)
	}
	if len(req.TransactItems) > maxTransactItems {
		return nil, errValidation("1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to %d", maxTransactItems)
	}
	keys := make([]storage.TableKey, len(req.TransactItems))
	projs := make([][]expr.Path, len(req.TransactItems))
	expired := make([]func(item.Item) bool, len(req.TransactItems))
	seen := make(map[string]bool, len(req.TransactItems))
	reasons := make([]cancellationReason, len(req.TransactItems))
	keyFailed := false
	for i, ti := range req.TransactItems {
		reasons[i] = cancellationReason{Code: reasonNone}
		g := ti.Get
		path := fmt.Sprintf("transactItems.%d.member.get.", i+1)
		if g == nil {
			return nil, errNotNull(fmt.Sprintf("transactItems.%d.member.get", i+1))
		}
		if g.TableName == "" {
			return nil, errNotNull(path + "tableName")
		}
		if g.Key == nil {
			return nil, errNotNull(path + "key")
		}
		if err := checkExprParams([]param{{"ProjectionExpression", g.ProjectionExpression != nil}}, nil,
			g.ExpressionAttributeNames, nil); err != nil {
			return nil, err
		}
		p := exprParams(g.ExpressionAttributeNames, nil)
		if projs[i], err = projection(g.ProjectionExpression, nil, p); err != nil {
			return nil, err
		}
		if err := checkUnused(p); err != nil {
			return nil, err
		}
		def, err := s.tableDef(g.TableName)
		if err != nil {
			return nil, err
		}
		if !keyMatchesSchema(def, g.Key) {
			// Not a request error: the Get's ValidationError reason,
			// reported once every Get has passed the request's checks.
			reasons[i] = cancellationReason{Code: reasonValidation, Message: msgKeySchema}
			keyFailed = true
			continue
		}
		if err := storage.ValidateKey(def, g.Key); err != nil {
			return nil, err
		}
		ks := keyString(def.Name, g.Key)
		if seen[ks] {
			return nil, errValidation(msgDuplicateTxItem)
		}
		seen[ks] = true
		keys[i] = storage.TableKey{Table: def.Name, Key: g.Key}
		expired[i] = s.eng.ExpiredFunc(def)
	}
	if keyFailed {
		return nil, canceled(reasons)
	}
	items, err := s.store.GetMany(ctx, keys)
	if err != nil {
		var ke *storage.KeyError
		if errors.As(err, &ke) {
			return nil, ke.Err // a table deleted since validation
		}
		return nil, err
	}
	for i := range items {
		items[i] = table.HideExpired(expired[i], items[i])
	}
	size := 0
	var units table.Capacity
	for i, it := range items {
		n := 0
		if it != nil {
			n = it.Size()
		}
		size += n
		units.Add(keys[i].Table, 2*table.ReadUnits(n, true)) // a transactional read costs twice a consistent one
	}
	if size > maxTransactBytes {
		return nil, errValidation("The aggregate size of the items in the transaction exceeded %d bytes", maxTransactBytes)
	}

	w := newBody(256 + size*2)
	w.key("Responses")
	w.b = append(w.b, '[')
	for i, it := range items {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		if it == nil {
			w.b = append(w.b, '{', '}')
			continue
		}
		if projs[i] != nil {
			it = expr.Project(it, projs[i])
		}
		w.b = append(w.b, `{"Item":`...)
		w.b = it.AppendJSON(w.b)
		w.b = append(w.b, '}')
	}
	w.b = append(w.b, ']')
	w.capacityList(capMode, &units)
	return w.bytes(), nil
}

// keyMatchesSchema reports whether key has exactly the table's key
// attributes, each of its type (whatever their values).
func keyMatchesSchema(def storage.TableDef, key item.Item) bool {
	n := 0
	for _, a := range []*storage.KeyAttr{&def.PartitionKey, def.SortKey} {
		if a == nil {
			continue
		}
		n++
		if v, ok := key[a.Name]; !ok || v.Type != a.Type {
			return false
		}
	}
	return len(key) == n
}
