package api

import (
	"github.com/concorddb/concord/storage/expr"
	"github.com/concorddb/concord/storage/item"
)

// The members and options the single-item writes (PutItem, UpdateItem,
// DeleteItem) share. The write itself is the table engine's
// (table.Engine.Write).

// writeParams are the request members PutItem, UpdateItem and DeleteItem
// share; their request types embed it.
type writeParams struct {
	TableName                           *string
	ConditionExpression                 *string
	Expected                            map[string]expr.ExpectedAttr
	ConditionalOperator                 string
	ExpressionAttributeNames            map[string]string
	ExpressionAttributeValues           map[string]item.Value // not exprValues: see its doc
	ReturnValues                        string
	ReturnValuesOnConditionCheckFailure string
	ReturnConsumedCapacity              string
	ReturnItemCollectionMetrics         string
}

// returnOptions validates the members every write has: the table name,
// what the write returns (ReturnValues; oldOnly for PutItem and
// DeleteItem, which take only NONE and ALL_OLD), the consumed-capacity
// mode, the item collection metrics and whether a failed condition returns
// the old item, and records a missing Item or Key (keyPath, when hasKey is
// false). Members that break their constraints are reported together, as
// DynamoDB does, in its order: returnValues, returnConsumedCapacity,
// returnItemCollectionMetrics (as measured), then
// returnValuesOnConditionCheckFailure and tableName (their places are not
// measured). With the key left out DynamoDB lists them in another order,
// measured on UpdateItem (paritysuite/dynamodb-conformance
// validation-ordering/updateItem.test.ts, us-east-1 and eu-west-2,
// 2026-10): returnConsumedCapacity, tableName, returnValues, key.
func (w *writeParams) returnOptions(oldOnly bool, keyPath string, hasKey bool) (rv returnValues, allOld bool, capMode capacityMode, err error) {
	var v validationErrors
	if hasKey {
		rv = v.returnValues(w.ReturnValues)
		capMode = v.capacityMode(w.ReturnConsumedCapacity)
		v.itemCollectionMetrics(w.ReturnItemCollectionMetrics)
		allOld = v.onConditionFailure(w.ReturnValuesOnConditionCheckFailure)
		checkTableRef(&v, "tableName", w.TableName)
		v.conditionalOperator(w.ConditionalOperator)
	} else {
		capMode = v.capacityMode(w.ReturnConsumedCapacity)
		checkTableRef(&v, "tableName", w.TableName)
		rv = v.returnValues(w.ReturnValues)
		v.itemCollectionMetrics(w.ReturnItemCollectionMetrics)
		allOld = v.onConditionFailure(w.ReturnValuesOnConditionCheckFailure)
		v.conditionalOperator(w.ConditionalOperator) // before the key, as measured
		v.null(keyPath)
	}
	if err := v.err(); err != nil {
		return rvNone, false, capNone, err
	}
	if oldOnly && rv != rvNone && rv != rvAllOld {
		const m = "ReturnValues can only be ALL_OLD or NONE"
		return rvNone, false, capNone, errEnvelopedValidation(m, m)
	}
	return rv, allOld, capMode, nil
}
