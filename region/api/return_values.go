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

func parseReturnValues(s string) (returnValues, error) {
	switch s {
	case "", "NONE":
		return rvNone, nil
	case "ALL_OLD":
		return rvAllOld, nil
	case "UPDATED_OLD":
		return rvUpdatedOld, nil
	case "ALL_NEW":
		return rvAllNew, nil
	case "UPDATED_NEW":
		return rvUpdatedNew, nil
	}
	return rvNone, errEnum("returnValues", s, "ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW")
}

// parseReturnOldOnly parses ReturnValues for PutItem and DeleteItem, which
// accept only NONE and ALL_OLD.
func parseReturnOldOnly(s string) (returnValues, error) {
	rv, err := parseReturnValues(s)
	if err != nil {
		return rv, err
	}
	if rv != rvNone && rv != rvAllOld {
		return rv, errValidation("ReturnValues can only be ALL_OLD or NONE")
	}
	return rv, nil
}

// parseOnConditionFailure parses ReturnValuesOnConditionCheckFailure and
// reports whether it asks for the old item.
func parseOnConditionFailure(s string) (allOld bool, err error) {
	switch s {
	case "", "NONE":
		return false, nil
	case "ALL_OLD":
		return true, nil
	}
	return false, errEnum("returnValuesOnConditionCheckFailure", s, "ALL_OLD, NONE")
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
