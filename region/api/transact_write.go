package api

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"

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
	record := table.TokenRecord(token, hash, cache.now())
	resp, err = s.runTxWrite(ctx, actions, capMode, req.ReturnItemCollectionMetrics, []storage.SettingWrite{record})
	return resp, err
}

// parseTxWrite validates the actions of a TransactWriteItems.
func (s *Server) parseTxWrite(items []txWriteItem) ([]table.TxAction, error) {
	if items == nil {
		return nil, errNotNull("transactItems")
	}
	if len(items) == 0 {
		return nil, errMinLength("transactItems", "[]", 1)
	}
	if len(items) > maxTransactItems {
		return nil, errValidation("1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to %d", maxTransactItems)
	}
	actions := make([]table.TxAction, len(items))
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
		ks := keyString(a.Def.Name, a.Key)
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
func parseTxExprs(i int, ti txWriteItem) (table.TxAction, *txWriteAction, error) {
	var a table.TxAction
	var w *txWriteAction
	var field string
	set := 0
	for _, c := range []struct {
		p     *txWriteAction
		op    table.Op
		field string
	}{{ti.ConditionCheck, table.OpCheck, "conditionCheck"}, {ti.Put, table.OpPut, "put"}, {ti.Delete, table.OpDelete, "delete"}, {ti.Update, table.OpUpdate, "update"}} {
		if c.p != nil {
			set++
			w, a.Op, field = c.p, c.op, c.field
		}
	}
	if set != 1 {
		return a, nil, errValidation("TransactItems can only contain one of Check, Put, Update or Delete")
	}
	path := fmt.Sprintf("transactItems.%d.member.%s.", i+1, field)
	var err error
	if a.ReturnOld, err = parseOnConditionFailure(w.ReturnValuesOnConditionCheckFailure); err != nil {
		return a, nil, err
	}
	if w.TableName == "" {
		return a, nil, errNotNull(path + "tableName")
	}
	if a.Op == table.OpPut {
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
	if a.Op == table.OpCheck && w.ConditionExpression == nil {
		return a, nil, errNotNull(path + "conditionExpression")
	}
	if a.Op == table.OpUpdate && w.UpdateExpression == nil {
		return a, nil, errNotNull(path + "updateExpression")
	}
	if a.Op != table.OpUpdate && w.UpdateExpression != nil {
		return a, nil, errValidation("Only Update can carry UpdateExpression")
	}
	exprs := []param{{"ConditionExpression", w.ConditionExpression != nil}}
	if a.Op == table.OpUpdate {
		exprs = []param{{"UpdateExpression", true}, exprs[0]}
	}
	if err := checkExprParams(exprs, nil, w.ExpressionAttributeNames, w.ExpressionAttributeValues); err != nil {
		return a, nil, err
	}
	p := exprParams(w.ExpressionAttributeNames, w.ExpressionAttributeValues)
	if a.Op == table.OpUpdate {
		if err := nonEmpty("UpdateExpression", *w.UpdateExpression); err != nil {
			return a, nil, err
		}
		if a.Update, err = expr.ParseUpdate(*w.UpdateExpression, p); err != nil {
			return a, nil, err
		}
	}
	if a.Cond, err = parseCondition("ConditionExpression", w.ConditionExpression, p); err != nil {
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
func (s *Server) resolveTxAction(a table.TxAction, w *txWriteAction) (table.TxAction, int, error) {
	var err error
	if a.Def, err = s.tableDef(w.TableName); err != nil {
		return a, 0, err
	}
	size := 0
	if a.Op == table.OpPut {
		if a.Key, a.KeyErr, err = table.TxKey(a.Def, w.Item, true); err != nil {
			return a, 0, err
		}
		if err := table.CheckRest(a.Def, w.Item); err != nil {
			return a, 0, err
		}
		a.Item = w.Item
		size += w.Item.Size()
	} else {
		if a.Key, a.KeyErr, err = table.TxKey(a.Def, w.Key, false); err != nil {
			return a, 0, err
		}
		size += w.Key.Size()
	}
	if err := table.CheckUpdate(a.Def, a.Update); err != nil {
		return a, 0, err
	}
	for _, v := range w.ExpressionAttributeValues {
		size += v.Size()
	}
	return a, size, nil
}

// runTxWrite applies the actions with the table engine and builds the
// answer. settings (the idempotency token's record) are written in the
// same commit as the actions, and only if the transaction succeeds.
func (s *Server) runTxWrite(ctx context.Context, actions []table.TxAction, capMode capacityMode, metrics string, settings []storage.SettingWrite) ([]byte, error) {
	olds, news, err := s.eng.Transact(ctx, actions, settings)
	if ce, ok := errors.AsType[*table.CanceledError](err); ok {
		return nil, txCanceled(ce.Reasons)
	}
	if err != nil {
		return nil, err
	}
	w := newBody(128)
	var used table.Capacity
	for i := range actions {
		// A transactional write costs twice a plain one.
		used.Add(actions[i].Def.Name, 2*table.WriteUnitsOf(olds[i], news[i]))
	}
	w.capacityList(capMode, &used)
	// The item collections the writes (not the condition checks) touched.
	var written []table.Write
	for _, a := range actions {
		if a.Op != table.OpCheck {
			written = append(written, a.Write)
		}
	}
	if err := s.batchCollectionMetrics(&w, metrics, written); err != nil {
		return nil, err
	}
	if len(w.b) == 1 {
		return nil, nil // nothing asked for: an empty answer
	}
	return w.bytes(), nil
}

// txCanceled is the TransactionCanceledException for the engine's
// reasons, worded as DynamoDB words them.
func txCanceled(reasons []table.Reason) *Error {
	out := make([]cancellationReason, len(reasons))
	for i, r := range reasons {
		switch r.Code {
		case table.ReasonConditionFailed:
			out[i] = cancellationReason{Code: reasonConditionFailed, Message: "The conditional request failed", Item: r.Item}
		case table.ReasonValidation:
			out[i] = cancellationReason{Code: reasonValidation, Message: toAPIError(r.Err).Message}
		default:
			out[i] = cancellationReason{Code: reasonNone}
		}
	}
	return canceled(out)
}

// canceled is the TransactionCanceledException for reasons.
func canceled(reasons []cancellationReason) *Error {
	codes := make([]string, len(reasons))
	for i, r := range reasons {
		codes[i] = r.Code
	}
	return errTransactionCanceled(codes, reasons)
}
