package api

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/expr"
	"github.com/concorddb/concord/storage/item"
)

// TransactWriteItems limits.
const (
	// maxTransactItems is DynamoDB's limit on the actions of one
	// TransactWriteItems or TransactGetItems.
	maxTransactItems = 100
	// maxTransactBytes is DynamoDB's limit on the aggregate size of a
	// transaction's items.
	maxTransactBytes = 4 << 20
)

// errTxUnfinished marks a transaction whose handler panicked.
var errTxUnfinished = errors.New("api: transaction did not finish")

// msgDuplicateTxItem is DynamoDB's message for a transaction naming one
// item twice.
const msgDuplicateTxItem = "Transaction request cannot include multiple operations on one item"

// Cancellation reason codes (CancellationReason.Code).
const (
	reasonNone            = "None"
	reasonConditionFailed = "ConditionalCheckFailed"
	reasonValidation      = "ValidationError"
)

// txWriteRequest is TransactWriteItems' input.
type txWriteRequest struct {
	TransactItems               []txWriteItem `json:",omitempty"`
	ClientRequestToken          *string       `json:",omitempty"`
	ReturnConsumedCapacity      string        `json:",omitempty"`
	ReturnItemCollectionMetrics string        `json:",omitempty"`
}

// txWriteItem is one action: exactly one field is set.
type txWriteItem struct {
	ConditionCheck *txWriteAction `json:",omitempty"`
	Put            *txWriteAction `json:",omitempty"`
	Delete         *txWriteAction `json:",omitempty"`
	Update         *txWriteAction `json:",omitempty"`
}

// txWriteAction holds the members of the four action shapes (Item only in
// Put, Key in the others, UpdateExpression only in Update).
type txWriteAction struct {
	TableName                           string            `json:",omitempty"`
	Item                                item.Item         `json:",omitempty"`
	Key                                 item.Item         `json:",omitempty"`
	UpdateExpression                    *string           `json:",omitempty"`
	ConditionExpression                 *string           `json:",omitempty"`
	ExpressionAttributeNames            map[string]string `json:",omitempty"`
	ExpressionAttributeValues           exprValues        `json:",omitempty"`
	ReturnValuesOnConditionCheckFailure string            `json:",omitempty"`
}

// txKind is the kind of a transaction action.
type txKind uint8

const (
	txCheck txKind = iota
	txPut
	txDelete
	txUpdate
)

// txAction is one validated action.
type txAction struct {
	kind   txKind
	def    storage.TableDef
	key    item.Item
	put    item.Item    // txPut
	upd    *expr.Update // txUpdate
	cond   *expr.Condition
	allOld bool
	// keyErr, when set, is the message of the action's ValidationError
	// reason: its key has an attribute of the wrong type (txKey).
	keyErr string
}

// cancellationReason is one element of a TransactionCanceledException's
// CancellationReasons.
type cancellationReason struct {
	Code    string
	Message string    `json:",omitempty"`
	Item    item.Item `json:",omitempty"`
}

// transactWriteItems serves TransactWriteItems: up to 100 ConditionCheck,
// Put, Update and Delete actions over distinct items, in any tables,
// applied all or nothing.
//
// # Isolation
//
// The actions run in one storage.UpdateMany: it locks every item (in a
// fixed order, so transactions cannot deadlock), evaluates every action
// against the locked current items and commits all writes in one synced
// batch. Transactions are therefore serialisable within the region, and a
// concurrent write to one of the items waits for the locks rather than
// conflicting: Concord never answers TransactionConflictException (nor
// cancels with reason TransactionConflict). Readers (GetItem, Query,
// TransactGetItems) see all of a transaction's writes or none.
//
// The writes replicate as one group that other regions apply in one
// commit, so a TransactGetItems there also sees all or none of them. Each
// item still follows last-writer-wins on its own: a concurrent write from
// another region can win on one item of the transaction and lose on
// another.
//
// # Cancellation
//
// When a condition fails or a write is invalid for the data it meets (an
// update's operand of the wrong type, an item grown past 400 KB), nothing
// is written and the answer is TransactionCanceledException with one
// reason per action in request order (None for actions that would have
// succeeded). A key attribute of the wrong type also cancels, with a
// ValidationError reason for its action and None for all the others,
// before any item is read (txKey). Request-level problems (limits,
// expression syntax, unknown tables, duplicate items, empty key values)
// are ValidationException or ResourceNotFoundException, as in DynamoDB.
func transactWriteItems(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req txWriteRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	// Member constraints are reported together, in DynamoDB's order (the
	// token first, as measured in us-east-1).
	var v validationErrors
	if req.ClientRequestToken != nil {
		if n := len(*req.ClientRequestToken); n < 1 || n > maxTokenLength {
			v.add(quote(*req.ClientRequestToken), "clientRequestToken",
				fmt.Sprintf("Member must have length less than or equal to %d, Member must have length greater than or equal to 1", maxTokenLength))
		}
	}
	capMode := v.capacityMode(req.ReturnConsumedCapacity)
	v.itemCollectionMetrics(req.ReturnItemCollectionMetrics)
	if err := v.err(); err != nil {
		return nil, err
	}
	actions, err := s.parseTxWrite(req.TransactItems)
	if err != nil {
		return nil, err
	}
	if req.ClientRequestToken == nil {
		return s.runTxWrite(ctx, actions, capMode, req.ReturnItemCollectionMetrics, nil)
	}

	token := *req.ClientRequestToken
	req.ClientRequestToken = nil
	canon, err := json.Marshal(req) // maps marshal in key order
	if err != nil {
		return nil, err
	}
	hash := sha256.Sum256(canon)
	cache := s.idempotency()
	replay, owner, err := cache.begin(ctx, token, hash)
	if err != nil || !owner {
		return replay, err
	}
	var resp []byte
	err = errTxUnfinished // replaced below unless runTxWrite panics: then the token is released
	defer func() { cache.finish(token, resp, err) }()
	// A token this node no longer holds in memory (it restarted) may still
	// be in the store, written with its transaction.
	if resp, err = s.durableToken(token, hash); resp != nil || err != nil {
		return resp, err
	}
	record := storage.SettingWrite{Name: idemSettingPrefix + token,
		Value: encodeTokenRecord(hash, cache.now().Add(idemWindow))}
	resp, err = s.runTxWrite(ctx, actions, capMode, req.ReturnItemCollectionMetrics, []storage.SettingWrite{record})
	return resp, err
}

// parseTxWrite validates the actions of a TransactWriteItems.
func (s *Server) parseTxWrite(items []txWriteItem) ([]txAction, error) {
	if items == nil {
		return nil, errNotNull("transactItems")
	}
	if len(items) == 0 {
		return nil, errMinLength("transactItems", "[]", 1)
	}
	if len(items) > maxTransactItems {
		return nil, errValidation("1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to %d", maxTransactItems)
	}
	actions := make([]txAction, len(items))
	seen := make(map[string]bool, len(items))
	size := 0
	// Two passes, as DynamoDB checks: every action's own members and
	// expressions, then every action's table, key and item.
	parsed := make([]*txWriteAction, len(items))
	for i, ti := range items {
		a, w, err := parseTxExprs(i, ti)
		if err != nil {
			return nil, err
		}
		actions[i], parsed[i] = a, w
	}
	for i := range items {
		a, n, err := s.resolveTxAction(actions[i], parsed[i])
		if err != nil {
			return nil, err
		}
		size += n
		ks := keyString(a.def.Name, a.key)
		if seen[ks] {
			return nil, errValidation(msgDuplicateTxItem)
		}
		seen[ks] = true
		actions[i] = a
	}
	if size > maxTransactBytes {
		return nil, errValidation("Transaction request size has exceeded the maximum allowed size of %d bytes", maxTransactBytes)
	}
	return actions, nil
}

// parseTxExprs is the first pass over action i: the checks that need no
// table (which action it is, its required members, its expressions and
// their placeholders). DynamoDB makes them for every action before it
// looks any table up: a syntax error or an unused value in a later action
// is reported before an earlier action's missing table (paritysuite
// validation-ordering transactions.test.ts).
func parseTxExprs(i int, ti txWriteItem) (txAction, *txWriteAction, error) {
	var a txAction
	var w *txWriteAction
	var field string
	set := 0
	for _, c := range []struct {
		p     *txWriteAction
		kind  txKind
		field string
	}{{ti.ConditionCheck, txCheck, "conditionCheck"}, {ti.Put, txPut, "put"}, {ti.Delete, txDelete, "delete"}, {ti.Update, txUpdate, "update"}} {
		if c.p != nil {
			set++
			w, a.kind, field = c.p, c.kind, c.field
		}
	}
	if set != 1 {
		return a, nil, errValidation("TransactItems can only contain one of Check, Put, Update or Delete")
	}
	path := fmt.Sprintf("transactItems.%d.member.%s.", i+1, field)
	var err error
	if a.allOld, err = parseOnConditionFailure(w.ReturnValuesOnConditionCheckFailure); err != nil {
		return a, nil, err
	}
	if w.TableName == "" {
		return a, nil, errNotNull(path + "tableName")
	}
	if a.kind == txPut {
		if w.Item == nil {
			return a, nil, errNotNull(path + "item")
		}
		if w.Key != nil || w.UpdateExpression != nil {
			return a, nil, errValidation("Put can only carry Item, not Key or UpdateExpression")
		}
	} else {
		if w.Key == nil {
			return a, nil, errNotNull(path + "key")
		}
		if w.Item != nil {
			return a, nil, errValidation("Only Put can carry Item")
		}
	}
	if a.kind == txCheck && w.ConditionExpression == nil {
		return a, nil, errNotNull(path + "conditionExpression")
	}
	if a.kind == txUpdate && w.UpdateExpression == nil {
		return a, nil, errNotNull(path + "updateExpression")
	}
	if a.kind != txUpdate && w.UpdateExpression != nil {
		return a, nil, errValidation("Only Update can carry UpdateExpression")
	}
	exprs := []param{{"ConditionExpression", w.ConditionExpression != nil}}
	if a.kind == txUpdate {
		exprs = []param{{"UpdateExpression", true}, exprs[0]}
	}
	if err := checkExprParams(exprs, nil, w.ExpressionAttributeNames, w.ExpressionAttributeValues); err != nil {
		return a, nil, err
	}
	p := exprParams(w.ExpressionAttributeNames, w.ExpressionAttributeValues)
	if a.kind == txUpdate {
		if err := nonEmpty("UpdateExpression", *w.UpdateExpression); err != nil {
			return a, nil, err
		}
		if a.upd, err = expr.ParseUpdate(*w.UpdateExpression, p); err != nil {
			return a, nil, err
		}
	}
	if a.cond, err = parseCondition("ConditionExpression", w.ConditionExpression, p); err != nil {
		return a, nil, err
	}
	if err := checkUnused(p); err != nil {
		return a, nil, err
	}
	return a, w, nil
}

// resolveTxAction is the second pass over an action (a and w from
// parseTxExprs): its table, its key and item, and the size of the data it
// carries (item, key and expression values).
func (s *Server) resolveTxAction(a txAction, w *txWriteAction) (txAction, int, error) {
	var err error
	if a.def, err = s.tableDef(w.TableName); err != nil {
		return a, 0, err
	}
	size := 0
	if a.kind == txPut {
		if a.key, a.keyErr, err = txKey(a.def, w.Item, true); err != nil {
			return a, 0, err
		}
		if err := checkAttrNames(w.Item); err != nil {
			return a, 0, err
		}
		if err := checkItemSize(w.Item); err != nil {
			return a, 0, err
		}
		if err := checkIndexKeys(a.def, w.Item); err != nil {
			return a, 0, err
		}
		a.put = w.Item
		size += w.Item.Size()
	} else {
		if a.key, a.keyErr, err = txKey(a.def, w.Key, false); err != nil {
			return a, 0, err
		}
		size += w.Key.Size()
	}
	if a.upd != nil {
		for _, up := range a.upd.Paths() {
			if len(up) > 0 && !up[0].IsIndex && isKeyAttr(a.def, up[0].Name) {
				return a, 0, errKeyAttrUpdate(up[0].Name)
			}
		}
	}
	for _, v := range w.ExpressionAttributeValues {
		size += v.Size()
	}
	return a, size, nil
}

// txKey returns the key of an action: the key attributes of a Put's item
// (put) or the Key of the other actions, validated as PutItem and the other
// single-item operations do, except that an attribute of the wrong type
// (another scalar, or a list, map or set) is not a request error. DynamoDB
// cancels the transaction for it instead, with a ValidationError reason
// for that action, which txKey returns as keyErr: PutItem's "Type mismatch
// for key" message for a Put, "The provided key element does not match the
// schema" for the others. Every other key problem (a missing attribute, an
// empty string or binary value, a key too long) still fails the request,
// as in DynamoDB. With keyErr set, key holds the given attributes, which
// name no item.
func txKey(def storage.TableDef, it item.Item, put bool) (key item.Item, keyErr string, err error) {
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
		return key, "", err
	}
	// storage's own message for the mistyped key is the reason.
	_, err = check(it)
	if put {
		key = keyOf(def, it)
	} else {
		key = it
	}
	return key, toAPIError(err).Message, nil
}

// keyStandIn is a valid key value of type t.
func keyStandIn(t item.Type) item.Value {
	if t == item.TypeN {
		return item.Num("0")
	}
	return item.Value{Type: t, S: "0"}
}

// runTxWrite applies the actions in one UpdateMany and builds the answer.
// settings (the idempotency token's record) are written in the same
// commit as the actions, and only if the transaction succeeds.
func (s *Server) runTxWrite(ctx context.Context, actions []txAction, capMode capacityMode, metrics string, settings []storage.SettingWrite) ([]byte, error) {
	reasons := make([]cancellationReason, len(actions))
	// A key of the wrong type cancels the transaction before any item is
	// read or locked: the other actions are not evaluated (None).
	keyFailed := false
	for i := range actions {
		reasons[i] = cancellationReason{Code: reasonNone}
		if msg := actions[i].keyErr; msg != "" {
			reasons[i] = cancellationReason{Code: reasonValidation, Message: msg}
			keyFailed = true
		}
	}
	if keyFailed {
		return nil, txCanceled(reasons)
	}
	news := make([]item.Item, len(actions)) // each write's new item (nil for a delete or check)
	failed := false
	writes := make([]storage.Write, len(actions))
	for i := range actions {
		a := &actions[i]
		writes[i] = storage.Write{Table: a.def.Name, Key: a.key, Fn: table.LiveOnly(s.eng.ExpiredFunc(a.def), func(cur item.Item, meta storage.Meta) (storage.Mutation, error) {
			// UpdateMany calls the fns in order, each once, on one
			// goroutine. No fn fails early: every action gets its
			// reason, and the last fn cancels the whole write.
			m, reason, err := s.txDecide(ctx, a, cur, meta, failed)
			if err != nil {
				return storage.Mutation{}, err
			}
			news[i] = m.Put
			if reason.Code != reasonNone {
				failed = true
			}
			reasons[i] = reason
			if failed && i == len(actions)-1 {
				return storage.Mutation{}, txCanceled(reasons)
			}
			return m, nil
		})}
	}
	olds, err := s.store.UpdateManyWith(ctx, writes, settings)
	if err != nil {
		var we *storage.WriteError
		if errors.As(err, &we) {
			return nil, we.Err
		}
		return nil, err
	}
	w := newBody(128)
	if capMode != capNone {
		// A transactional write costs twice a plain one.
		units := map[string]float64{}
		for i := range actions {
			units[actions[i].def.Name] += 2 * table.WriteUnitsOf(olds[i], news[i])
		}
		tables := make([]string, 0, len(units))
		for name := range units {
			tables = append(tables, name)
		}
		slices.Sort(tables)
		w.key("ConsumedCapacity")
		w.b = append(w.b, '[')
		for i, name := range tables {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.b = appendCapacity(w.b, capMode, name, units[name])
		}
		w.b = append(w.b, ']')
	}
	// The item collections the writes (not the condition checks) touched.
	defs := map[string]storage.TableDef{}
	var written []storage.Write
	for _, a := range actions {
		if a.kind != txCheck {
			defs[a.def.Name] = a.def
			written = append(written, storage.Write{Table: a.def.Name, Key: a.key})
		}
	}
	if err := s.batchCollectionMetrics(&w, metrics, defs, written); err != nil {
		return nil, err
	}
	if len(w.b) == 1 {
		return nil, nil // nothing asked for: an empty answer
	}
	return w.bytes(), nil
}

// txDecide evaluates one action against its current item. A failed
// condition or a data-dependent validation error becomes the action's
// cancellation reason (with a zero Mutation); only internal errors are
// returned. Once the transaction has failed (failed), no new version is
// taken.
func (s *Server) txDecide(ctx context.Context, a *txAction, cur item.Item, meta storage.Meta, failed bool) (storage.Mutation, cancellationReason, error) {
	none := cancellationReason{Code: reasonNone}
	invalid := func(err error) (storage.Mutation, cancellationReason, error) {
		ae := toAPIError(err)
		if ae.Type != typeValidation {
			return storage.Mutation{}, none, err
		}
		return storage.Mutation{}, cancellationReason{Code: reasonValidation, Message: ae.Message}, nil
	}
	if a.cond != nil {
		ok, err := a.cond.Eval(cur)
		if err != nil {
			return invalid(err)
		}
		if !ok {
			r := cancellationReason{Code: reasonConditionFailed, Message: "The conditional request failed"}
			if a.allOld {
				r.Item = cur
			}
			return storage.Mutation{}, r, nil
		}
	}
	var m storage.Mutation
	switch a.kind {
	case txCheck:
		return m, none, nil
	case txPut:
		m.Put = a.put
	case txDelete:
		if cur == nil {
			return m, none, nil // nothing to delete: no tombstone, as DeleteItem
		}
		m.Delete = true
	case txUpdate:
		base := cur
		if base == nil {
			base = a.key
		}
		next, err := a.upd.Apply(base)
		if err != nil {
			return invalid(err)
		}
		if next.Size() > item.MaxItemSize {
			return invalid(errUpdateTooLarge())
		}
		if err := checkIndexKeys(a.def, next); err != nil {
			return invalid(err)
		}
		m.Put = next
	}
	if failed {
		return storage.Mutation{}, none, nil
	}
	m, err := s.eng.Stamp(ctx, m, meta)
	return m, none, err
}

// txCanceled is the TransactionCanceledException for reasons.
func txCanceled(reasons []cancellationReason) *Error {
	codes := make([]string, len(reasons))
	for i, r := range reasons {
		codes[i] = r.Code
	}
	return errTransactionCanceled(codes, reasons)
}
