package api

import (
	"github.com/concorddb/concord/storage/expr"
	"github.com/concorddb/concord/storage/item"
)

// returnValues is a write's ReturnValues.
type returnValues uint8

const (
	rvNone returnValues = iota
	rvAllOld
	rvUpdatedOld
	rvAllNew
	rvUpdatedNew
)

// returnValues parses ReturnValues, recording a value out of its set.
func (v *validationErrors) returnValues(s string) returnValues {
	switch s {
	case "", "NONE":
		return rvNone
	case "ALL_OLD":
		return rvAllOld
	case "UPDATED_OLD":
		return rvUpdatedOld
	case "ALL_NEW":
		return rvAllNew
	case "UPDATED_NEW":
		return rvUpdatedNew
	}
	v.enum("returnValues", s, "ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW")
	return rvNone
}

// onConditionFailure parses ReturnValuesOnConditionCheckFailure, recording
// a value out of its set, and reports whether it asks for the old item.
func (v *validationErrors) onConditionFailure(s string) (allOld bool) {
	switch s {
	case "", "NONE":
		return false
	case "ALL_OLD":
		return true
	}
	v.enum("returnValuesOnConditionCheckFailure", s, "ALL_OLD, NONE")
	return false
}

// parseOnConditionFailure is onConditionFailure for a member checked on
// its own (a TransactWriteItems action's).
func parseOnConditionFailure(s string) (allOld bool, err error) {
	var v validationErrors
	allOld = v.onConditionFailure(s)
	return allOld, v.err()
}

// attributes returns what ReturnValues asks to return, or nil for nothing.
// paths are the update's paths (UPDATED_OLD and UPDATED_NEW only).
func (rv returnValues) attributes(old, new item.Item, paths []expr.Path) item.Item {
	var it item.Item
	switch rv {
	case rvAllOld:
		it = old
	case rvAllNew:
		it = new
	case rvUpdatedOld:
		if old != nil && len(paths) > 0 {
			it = expr.Project(old, paths)
		}
	case rvUpdatedNew:
		if new != nil && len(paths) > 0 {
			it = expr.Project(new, paths)
		}
	}
	if len(it) == 0 {
		return nil
	}
	return it
}
