package table

import (
	"context"
	"errors"
	"fmt"

	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/expr"
	"github.com/concorddb/concord/storage/item"
)

// The write path of a region. Every decision runs inside a
// storage.UpdateFunc, with the key locked, so a condition and the write it
// guards are atomic and the new version is taken in the same critical
// section that read the current one (DESIGN decision 4). Expired items
// (TTL) are seen as absent.

// Op is the kind of a Write.
type Op uint8

const (
	// OpCheck evaluates Cond and writes nothing (a transaction's
	// ConditionCheck).
	OpCheck Op = iota
	// OpPut replaces the item with Item.
	OpPut
	// OpDelete deletes the item.
	OpDelete
	// OpUpdate applies Update to the item, or to its key when absent.
	OpUpdate
)

// Write is one item write, already validated against its table (CheckPut,
// CheckUpdate).
type Write struct {
	Op  Op
	Def storage.TableDef
	// Key is the item's primary key.
	Key item.Item
	// Item is the new item of an OpPut.
	Item item.Item
	// Update is the update of an OpUpdate.
	Update *expr.Update
	// Cond, if set, must hold on the current item (nil when absent).
	Cond *expr.Condition
	// ReturnOld puts the current item in the ConditionFailedError of a
	// failed Cond.
	ReturnOld bool
}

// Errors of the write path. They carry no DynamoDB wording: region/api
// words them. Test with errors.Is, or errors.As for the typed ones.
var (
	// ErrConditionFailed: a write's condition is false on the current
	// item. The error is a *ConditionFailedError.
	ErrConditionFailed = errors.New("table: the conditional request failed")
	// ErrItemTooLarge: a put's item is larger than item.MaxItemSize.
	ErrItemTooLarge = errors.New("table: item larger than the item size limit")
	// ErrUpdatedItemTooLarge: an update would make the item larger than
	// item.MaxItemSize.
	ErrUpdatedItemTooLarge = errors.New("table: updated item larger than the item size limit")
)

// ConditionFailedError is ErrConditionFailed with the current item, when
// the write asked for it (Write.ReturnOld) and there is one.
type ConditionFailedError struct{ Item item.Item }

func (e *ConditionFailedError) Error() string { return ErrConditionFailed.Error() }
func (e *ConditionFailedError) Unwrap() error { return ErrConditionFailed }

// KeyUpdateError is an update that names one of the table's key
// attributes.
type KeyUpdateError struct{ Attr string }

func (e *KeyUpdateError) Error() string {
	return fmt.Sprintf("table: an update cannot change key attribute %q", e.Attr)
}

// AttrNameError is an attribute name DynamoDB does not accept: empty, or
// longer than item.MaxAttributeNameSize bytes.
type AttrNameError struct{ Name string }

func (e *AttrNameError) Error() string {
	return fmt.Sprintf("table: invalid attribute name %q", e.Name)
}

// IndexKeyError is an item whose value for a secondary index's key
// attribute the index cannot hold. Problem is storage.KeyType (Want, Got),
// storage.KeyEmpty (Got) or storage.KeyPartitionSize / storage.KeySortSize
// (Limit bytes).
type IndexKeyError struct {
	Index, Attr string
	Problem     storage.SchemaProblem
	Want, Got   item.Type
	Limit       int
}

func (e *IndexKeyError) Error() string {
	return fmt.Sprintf("table: index=%q key attribute=%q does not fit (problem %d)", e.Index, e.Attr, e.Problem)
}

// IsDataError reports whether err is a problem of the request with the
// data it met (an operand of the wrong type, an item grown too large, an
// index key that does not fit), which a transaction reports as a
// cancellation reason rather than a failed request.
func IsDataError(err error) bool {
	var ve *item.ValidationError
	var ie *IndexKeyError
	var se *storage.SchemaError
	return errors.As(err, &ve) || errors.As(err, &ie) || errors.As(err, &se) ||
		errors.Is(err, ErrUpdatedItemTooLarge) || errors.Is(err, ErrItemTooLarge)
}

// KeyOf returns the primary key attributes of an item already known to
// hold them (a stored item).
func KeyOf(def storage.TableDef, it item.Item) item.Item {
	k := make(item.Item, 2)
	k[def.PartitionKey.Name] = it[def.PartitionKey.Name]
	if def.SortKey != nil {
		k[def.SortKey.Name] = it[def.SortKey.Name]
	}
	return k
}

// IsKeyAttr reports whether name is one of the table's key attributes.
func IsKeyAttr(def storage.TableDef, name string) bool {
	return name == def.PartitionKey.Name || (def.SortKey != nil && name == def.SortKey.Name)
}

// CheckAttrNames rejects attribute names DynamoDB does not accept
// (*AttrNameError).
func CheckAttrNames(it item.Item) error {
	for name := range it {
		if name == "" || len(name) > item.MaxAttributeNameSize {
			return &AttrNameError{Name: name}
		}
	}
	return nil
}

// CheckPut checks what every put checks, in DynamoDB's order, and returns
// the item's key: the key attributes (a *storage.SchemaError), the
// attribute names, the item's size (ErrItemTooLarge) and the secondary
// index keys (*IndexKeyError). PutItem, BatchWriteItem and transactions
// call it.
func CheckPut(def storage.TableDef, it item.Item) (item.Item, error) {
	key, err := storage.KeyOf(def, it)
	if err != nil {
		return nil, err
	}
	if err := CheckRest(def, it); err != nil {
		return nil, err
	}
	return key, nil
}

// CheckRest is CheckPut after the key: attribute names, size and index
// keys.
func CheckRest(def storage.TableDef, it item.Item) error {
	if err := CheckAttrNames(it); err != nil {
		return err
	}
	if it.Size() > item.MaxItemSize {
		return ErrItemTooLarge
	}
	return CheckIndexKeys(def, it)
}

// CheckUpdate rejects an update that changes a key attribute
// (*KeyUpdateError).
func CheckUpdate(def storage.TableDef, upd *expr.Update) error {
	if upd == nil {
		return nil
	}
	for _, path := range upd.Paths() {
		if len(path) > 0 && !path[0].IsIndex && IsKeyAttr(def, path[0].Name) {
			return &KeyUpdateError{Attr: path[0].Name}
		}
	}
	return nil
}

// CheckIndexKeys rejects a local write whose item carries a secondary
// index key attribute DynamoDB would refuse: of another type than the
// index declares, an empty string or binary, or larger than a key may be
// (*IndexKeyError). Items without the attribute are fine: they are just
// absent from the (sparse) index. Replicated writes are not checked
// again: their origin did.
func CheckIndexKeys(def storage.TableDef, it item.Item) error {
	for _, x := range def.Indexes {
		attrs := []storage.KeyAttr{x.PartitionKey}
		if x.SortKey != nil {
			attrs = append(attrs, *x.SortKey)
		}
		for i, a := range attrs {
			if IsKeyAttr(def, a.Name) {
				continue // checked as the table's own key
			}
			v, ok := it[a.Name]
			if !ok {
				continue
			}
			if v.Type != a.Type {
				return &IndexKeyError{Index: x.Name, Attr: a.Name, Problem: storage.KeyType, Want: a.Type, Got: v.Type}
			}
			if (v.Type == item.TypeS || v.Type == item.TypeB) && len(v.S) == 0 {
				return &IndexKeyError{Index: x.Name, Attr: a.Name, Problem: storage.KeyEmpty, Got: v.Type}
			}
			limit, problem := item.MaxPartitionKeySize, storage.KeyPartitionSize
			if i == 1 {
				limit, problem = item.MaxSortKeySize, storage.KeySortSize
			}
			if v.Size() > limit {
				return &IndexKeyError{Index: x.Name, Attr: a.Name, Problem: problem, Limit: limit}
			}
		}
	}
	return nil
}

// checkCond evaluates w's condition against the current item (nil when
// absent): a *ConditionFailedError when false.
func checkCond(w *Write, cur item.Item) error {
	if w.Cond == nil {
		return nil
	}
	ok, err := w.Cond.Eval(cur)
	if err != nil {
		return err
	}
	if !ok {
		if !w.ReturnOld {
			cur = nil
		}
		return &ConditionFailedError{Item: cur}
	}
	return nil
}

// next returns the mutation w makes of the current item cur (nil when
// absent), unstamped. write reports false when w writes nothing: a check.
//
// A delete always writes a tombstone, even when the item is absent here
// (DESIGN decision 4): the item may exist in another region, with a
// version older than this delete, still on its way here; without a
// tombstone, its arrival would undo an acknowledged delete. The change
// record of such a tombstone has no old image, and DynamoDB Streams
// readers see no record for it, as DynamoDB emits none for deleting an
// absent item.
func next(w *Write, cur item.Item) (m storage.Mutation, write bool, err error) {
	switch w.Op {
	case OpPut:
		return storage.Mutation{Put: w.Item}, true, nil
	case OpDelete:
		return storage.Mutation{Delete: true}, true, nil
	case OpUpdate:
		base := cur
		if base == nil {
			base = w.Key
		}
		n := base
		if w.Update != nil {
			if n, err = w.Update.Apply(base); err != nil {
				return m, false, err
			}
		}
		if n.Size() > item.MaxItemSize {
			return m, false, ErrUpdatedItemTooLarge
		}
		if err := CheckIndexKeys(w.Def, n); err != nil {
			return m, false, err
		}
		return storage.Mutation{Put: n}, true, nil
	}
	return m, false, nil
}

// Func returns the storage.UpdateFunc of w: the condition, then the
// mutation, stamped. The new item it wrote is left in *newItem (nil for
// none), when newItem is not nil.
func (e *Engine) Func(ctx context.Context, w *Write, newItem *item.Item) storage.UpdateFunc {
	return func(cur item.Item, meta storage.Meta) (storage.Mutation, error) {
		if newItem != nil {
			*newItem = nil
		}
		if err := checkCond(w, cur); err != nil {
			return storage.Mutation{}, err
		}
		m, write, err := next(w, cur)
		if err != nil || !write {
			return storage.Mutation{}, err
		}
		if newItem != nil {
			*newItem = m.Put
		}
		return e.Stamp(ctx, m, meta)
	}
}

// Write applies one conditional put, update or delete (PutItem,
// UpdateItem, DeleteItem) and returns the item before and after it (nil
// when absent; expired items are absent).
func (e *Engine) Write(ctx context.Context, w Write) (old, new item.Item, err error) {
	old, err = e.UpdateLive(ctx, w.Def, w.Key, e.Func(ctx, &w, &new))
	if err != nil {
		return nil, nil, err
	}
	return old, new, nil
}

// BatchWrite applies unconditional puts and deletes to distinct items in
// one synced commit (BatchWriteItem) and returns the items they replaced.
// A write the store rejects fails them all, with its own error.
func (e *Engine) BatchWrite(ctx context.Context, ws []Write) ([]item.Item, error) {
	writes := make([]storage.Write, len(ws))
	for i := range ws {
		w := &ws[i]
		writes[i] = storage.Write{Table: w.Def.Name, Key: w.Key, Fn: LiveOnly(e.ExpiredFunc(w.Def), e.Func(ctx, w, nil))}
	}
	olds, err := e.opts.Store.UpdateMany(ctx, writes)
	if we, ok := errors.AsType[*storage.WriteError](err); ok {
		return nil, we.Err
	}
	return olds, err
}
