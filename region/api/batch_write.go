package api

import (
	"context"
	"errors"
	"slices"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// maxBatchWriteRequests is DynamoDB's limit on one BatchWriteItem call.
const maxBatchWriteRequests = 25

// writeRequest is one element of BatchWriteItem's RequestItems.
type writeRequest struct {
	PutRequest *struct {
		Item item.Item
	}
	DeleteRequest *struct {
		Key item.Item
	}
}

// batchWriteRequest is BatchWriteItem's input.
type batchWriteRequest struct {
	RequestItems                map[string][]writeRequest
	ReturnConsumedCapacity      string
	ReturnItemCollectionMetrics string
}

// batchWriteItem serves BatchWriteItem: up to 25 puts and deletes across
// tables, committed together in one synced batch. Nothing is ever left
// unprocessed.
func batchWriteItem(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req batchWriteRequest
	if err := decodeOlder(body, &req); err != nil {
		return nil, err
	}
	var v validationErrors // reported together, in DynamoDB's order
	capMode := v.capacityMode(req.ReturnConsumedCapacity)
	v.itemCollectionMetrics(req.ReturnItemCollectionMetrics)
	if err := v.err(); err != nil {
		return nil, err
	}
	if req.RequestItems == nil {
		return nil, errNotNull("requestItems")
	}
	if len(req.RequestItems) == 0 {
		return nil, errMinLength("requestItems", "{}", 1)
	}
	// Unlike BatchGetItem's, the table names are checked only once the
	// enums pass: an unknown ReturnConsumedCapacity is reported alone over
	// a malformed name (paritysuite/dynamodb-conformance
	// validation-ordering/batchOperations.test.ts, us-east-1 and
	// eu-west-2, 2026-10).
	checkRequestItemsNames(&v, body, req.RequestItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(req.RequestItems))
	total := 0
	for name, reqs := range req.RequestItems {
		if len(reqs) < 1 || len(reqs) > maxBatchWriteRequests {
			// DynamoDB echoes the map as Java prints it; of that, only a
			// lone empty list can be written here ('{t=[]}').
			value := ""
			if len(reqs) == 0 && len(req.RequestItems) == 1 {
				value = quote("{"+name+"=[]}") + " "
			}
			return nil, errValidation("1 validation error detected: Value %sat 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to %d, Member must have length greater than or equal to 1]", value, maxBatchWriteRequests)
		}
		names = append(names, name)
		total += len(reqs)
	}
	if total > maxBatchWriteRequests {
		return nil, errValidation("Too many items requested for the BatchWriteItem call")
	}
	slices.Sort(names)

	writes := make([]table.Write, 0, total)
	seen := make(map[string]bool, total)
	for _, name := range names {
		def, err := s.tableDef(name)
		if err != nil {
			return nil, err
		}
		for _, r := range req.RequestItems[name] {
			var key, put item.Item
			switch {
			case r.PutRequest != nil && r.DeleteRequest != nil, r.PutRequest == nil && r.DeleteRequest == nil:
				return nil, errValidation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")
			case r.PutRequest != nil:
				put = r.PutRequest.Item
				if put == nil {
					return nil, errNotNull("requestItems." + name + ".member.putRequest.item")
				}
				if key, err = storage.KeyOf(def, put); err != nil {
					// DynamoDB words a PutRequest's missing or mistyped key
					// attribute as it does a wrong key, not as PutItem does.
					if se, ok := errors.AsType[*storage.SchemaError](err); ok && (se.Problem == storage.KeyMissing || se.Problem == storage.KeyType) {
						return nil, errValidation(msgKeySchema)
					}
					return nil, err
				}
				if err := table.CheckRest(def, put); err != nil {
					return nil, err
				}
			default:
				key = r.DeleteRequest.Key
				if key == nil {
					return nil, errNotNull("requestItems." + name + ".member.deleteRequest.key")
				}
				if err := storage.ValidateKey(def, key); err != nil {
					return nil, err
				}
			}
			ks := keyString(def.Name, key)
			if seen[ks] {
				return nil, errDuplicateKeys()
			}
			seen[ks] = true
			op := table.OpDelete
			if put != nil {
				op = table.OpPut
			}
			writes = append(writes, table.Write{Op: op, Def: def, Key: key, Item: put})
		}
	}
	olds, err := s.eng.BatchWrite(ctx, writes)
	if err != nil {
		return nil, err
	}
	w := newBody(128)
	w.raw("UnprocessedItems", []byte("{}"))
	var used table.Capacity
	for i := range writes {
		var old item.Item
		if i < len(olds) {
			old = olds[i]
		}
		used.Add(writes[i].Def.Name, table.WriteUnitsOf(old, writes[i].Item))
	}
	w.capacityList(capMode, &used)
	if err := s.batchCollectionMetrics(&w, req.ReturnItemCollectionMetrics, writes); err != nil {
		return nil, err
	}
	return w.bytes(), nil
}

// batchCollectionMetrics adds a batch's ItemCollectionMetrics field to w
// when asked (SIZE): for each table with a local secondary index, the
// metrics of the item collection of each write, in request order. Tables
// without one have no item collections and are left out, and so is the
// field when none has.
func (s *Server) batchCollectionMetrics(w *respBody, mode string, writes []table.Write) error {
	if mode != "SIZE" {
		return nil
	}
	var tables []string
	defs := map[string]storage.TableDef{}
	for _, wr := range writes {
		if wantsCollectionMetrics(mode, wr.Def) && !slices.Contains(tables, wr.Def.Name) {
			tables = append(tables, wr.Def.Name)
			defs[wr.Def.Name] = wr.Def
		}
	}
	if len(tables) == 0 {
		return nil
	}
	w.key("ItemCollectionMetrics")
	w.b = append(w.b, '{')
	for i, t := range tables {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = appendString(w.b, t)
		w.b = append(w.b, ":["...)
		n := 0
		for _, wr := range writes {
			if wr.Def.Name != t {
				continue
			}
			if n > 0 {
				w.b = append(w.b, ',')
			}
			n++
			var err error
			if w.b, err = s.appendCollectionMetrics(w.b, defs[t], wr.Key); err != nil {
				return err
			}
		}
		w.b = append(w.b, ']')
	}
	w.b = append(w.b, '}')
	return nil
}
