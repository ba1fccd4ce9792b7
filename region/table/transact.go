package table

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// Transactions. A transaction's actions run in one storage.UpdateMany: it
// locks every item (in a fixed order, so transactions cannot deadlock),
// evaluates every action against the locked current items and commits all
// writes in one synced batch. Transactions are therefore serialisable
// within the region, and a concurrent write to one of the items waits for
// the locks rather than conflicting. Readers see all of a transaction's
// writes or none. The writes replicate as one group that other regions
// apply in one commit; each item still follows last-writer-wins on its
// own.

// TxAction is one action of a transaction: a Write, and KeyErr when its
// key has an attribute of the wrong type (TxKey), which cancels the
// transaction before any item is read.
type TxAction struct {
	Write
	KeyErr error
}

// ReasonCode is why a transaction's action cancelled it.
type ReasonCode uint8

const (
	// ReasonNone: the action would have succeeded.
	ReasonNone ReasonCode = iota
	// ReasonConditionFailed: its condition is false (Item: the current
	// item, when the action asked for it).
	ReasonConditionFailed
	// ReasonValidation: the action is invalid for the data it met (Err).
	ReasonValidation
)

// Reason is one action's part in a cancellation.
type Reason struct {
	Code ReasonCode
	// Err is the ReasonValidation problem, for the protocol layer to word.
	Err error
	// Item is the current item of a ReasonConditionFailed action that
	// asked for it.
	Item item.Item
}

// ErrCanceled: a transaction was cancelled and wrote nothing. The error
// is a *CanceledError; test with errors.Is or errors.As.
var ErrCanceled = errors.New("table: transaction cancelled")

// CanceledError is ErrCanceled with one reason per action, in order.
type CanceledError struct{ Reasons []Reason }

func (e *CanceledError) Error() string { return ErrCanceled.Error() }
func (e *CanceledError) Unwrap() error { return ErrCanceled }

// TxKey returns the key of an action: the key attributes of a Put's item
// (put) or the Key of the other actions, validated as the single-item
// writes do, except that an attribute of the wrong type (another scalar,
// or a list, map or set) is not a request error: DynamoDB cancels the
// transaction for it instead, with a ValidationError reason for that
// action, which TxKey returns as keyErr (a *storage.SchemaError: KeyType
// for a Put, KeySchema for the others). Every other key problem (a missing
// attribute, an empty value, a key too long) is err, failing the request,
// as in DynamoDB. With keyErr set, key holds the given attributes, which
// name no item.
func TxKey(def storage.TableDef, it item.Item, put bool) (key item.Item, keyErr, err error) {
	// Check the key with a stand-in of the right type for each mistyped
	// attribute, so that only the types are left to report.
	valid, mistyped := it, false
	for _, a := range []*storage.KeyAttr{&def.PartitionKey, def.SortKey} {
		if a == nil {
			continue
		}
		if v, ok := it[a.Name]; ok && v.Type != a.Type {
			if !mistyped {
				valid, mistyped = maps.Clone(it), true
			}
			valid[a.Name] = keyStandIn(a.Type)
		}
	}
	check := func(k item.Item) (item.Item, error) {
		if put {
			return storage.KeyOf(def, k)
		}
		return k, storage.ValidateKey(def, k)
	}
	if key, err = check(valid); err != nil || !mistyped {
		return key, nil, err
	}
	_, keyErr = check(it)
	if put {
		key = KeyOf(def, it)
	} else {
		key = it
	}
	return key, keyErr, nil
}

// keyStandIn is a valid key value of type t.
func keyStandIn(t item.Type) item.Value {
	if t == item.TypeN {
		return item.Num("0")
	}
	return item.Value{Type: t, S: "0"}
}

// Transact applies actions (on distinct items) all or nothing, with
// settings written in the same commit only if it succeeds (an idempotency
// token's record). It returns each action's item before and after (nil
// for none). When a condition fails or an action is invalid for the data
// it meets (IsDataError), nothing is written and the error is a
// *CanceledError with one reason per action; an action with a KeyErr
// cancels it before any item is read, with ReasonNone for the others.
func (e *Engine) Transact(ctx context.Context, actions []TxAction, settings []storage.SettingWrite) (olds, news []item.Item, err error) {
	reasons := make([]Reason, len(actions))
	keyFailed := false
	for i := range actions {
		if ke := actions[i].KeyErr; ke != nil {
			reasons[i] = Reason{Code: ReasonValidation, Err: ke}
			keyFailed = true
		}
	}
	if keyFailed {
		return nil, nil, &CanceledError{Reasons: reasons}
	}
	news = make([]item.Item, len(actions))
	failed := false
	writes := make([]storage.Write, len(actions))
	for i := range actions {
		w := &actions[i].Write
		writes[i] = storage.Write{Table: w.Def.Name, Key: w.Key, Fn: LiveOnly(e.ExpiredFunc(w.Def), func(cur item.Item, meta storage.Meta) (storage.Mutation, error) {
			// UpdateMany calls the fns in order, each once, on one
			// goroutine. No fn fails early: every action gets its
			// reason, and the last fn cancels the whole write.
			m, reason, err := e.txDecide(ctx, w, cur, meta, failed)
			if err != nil {
				return storage.Mutation{}, err
			}
			news[i] = m.Put
			if reason.Code != ReasonNone {
				failed = true
			}
			reasons[i] = reason
			if failed && i == len(actions)-1 {
				return storage.Mutation{}, &CanceledError{Reasons: reasons}
			}
			return m, nil
		})}
	}
	olds, err = e.opts.Store.UpdateManyWith(ctx, writes, settings)
	if err != nil {
		if we, ok := errors.AsType[*storage.WriteError](err); ok {
			return nil, nil, we.Err
		}
		return nil, nil, fmt.Errorf("table: transaction of %d actions: %w", len(actions), err)
	}
	return olds, news, nil
}

// txDecide evaluates one action against its current item. A failed
// condition or a data error becomes the action's reason (with a zero
// Mutation); only other errors are returned. Once the transaction has
// failed (failed), no new version is taken.
func (e *Engine) txDecide(ctx context.Context, w *Write, cur item.Item, meta storage.Meta, failed bool) (storage.Mutation, Reason, error) {
	invalid := func(err error) (storage.Mutation, Reason, error) {
		if !IsDataError(err) {
			return storage.Mutation{}, Reason{}, err
		}
		return storage.Mutation{}, Reason{Code: ReasonValidation, Err: err}, nil
	}
	if err := checkCond(w, cur); err != nil {
		if cf, ok := errors.AsType[*ConditionFailedError](err); ok {
			return storage.Mutation{}, Reason{Code: ReasonConditionFailed, Item: cf.Item}, nil
		}
		return invalid(err)
	}
	m, write, err := next(w, cur)
	if err != nil {
		return invalid(err)
	}
	if !write || failed {
		return storage.Mutation{}, Reason{}, nil
	}
	m, err = e.Stamp(ctx, m, meta)
	return m, Reason{}, err
}
