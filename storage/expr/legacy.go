package expr

import (
	"sort"

	"github.com/concorddb/concord/storage/item"
)

// legacyArgs is the number of AttributeValueList entries each legacy
// ComparisonOperator takes; -1 means one or more.
var legacyArgs = map[string]int{
	"EQ": 1, "NE": 1, "LE": 1, "LT": 1, "GE": 1, "GT": 1,
	"NOT_NULL": 0, "NULL": 0, "CONTAINS": 1, "NOT_CONTAINS": 1,
	"BEGINS_WITH": 1, "IN": -1, "BETWEEN": 2,
}

var legacyCmp = map[string]string{"EQ": "=", "NE": "<>", "LE": "<=", "LT": "<", "GE": ">=", "GT": ">"}

func invalidParam(format string, args ...any) error {
	return item.Invalidf("One or more parameter values were invalid: "+format, args...)
}

// sortedKeys returns m's keys in order, so translations are deterministic.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// checkLegacyArgs validates the AttributeValueList of op: its length and
// the types the operator accepts.
func checkLegacyArgs(op string, list []item.Value) error {
	n, ok := legacyArgs[op]
	if !ok {
		return item.Invalidf("1 validation error detected: Value '%s' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]", op)
	}
	if n >= 0 && len(list) != n || n < 0 && len(list) == 0 {
		return invalidParam("Invalid number of argument(s) for the %s ComparisonOperator", op)
	}
	for _, v := range list {
		ok := true
		switch op {
		case "LE", "LT", "GE", "GT", "BETWEEN", "CONTAINS", "NOT_CONTAINS", "IN":
			ok = scalar(v.Type)
		case "BEGINS_WITH":
			ok = v.Type == item.TypeS || v.Type == item.TypeB
		}
		if !ok {
			return invalidParam("ComparisonOperator %s is not valid for %s AttributeValue type", op, v.Type)
		}
	}
	if op == "BETWEEN" || op == "IN" {
		for _, v := range list[1:] {
			if v.Type != list[0].Type {
				return invalidParam("AttributeValues inside AttributeValueList must be of same type")
			}
		}
	}
	if op == "BETWEEN" {
		if c, ok := item.Compare(list[0], list[1]); ok && c > 0 {
			return invalidParam("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound")
		}
	}
	return nil
}

// legacyNode builds the condition for attr op list, after checkLegacyArgs.
func legacyNode(attr, op string, list []item.Value) node {
	path := namePath(attr)
	val := func(i int) operand { return &valueOp{v: list[i]} }
	switch op {
	case "NOT_NULL":
		return &fnNode{fn: fnAttributeExists, path: path}
	case "NULL":
		return &fnNode{fn: fnAttributeNotExists, path: path}
	case "CONTAINS":
		return &fnNode{fn: fnContains, path: path, arg: val(0)}
	case "NOT_CONTAINS":
		return &existsAndNode{path: path, n: &notNode{&fnNode{fn: fnContains, path: path, arg: val(0)}}}
	case "BEGINS_WITH":
		return &fnNode{fn: fnBeginsWith, path: path, arg: val(0)}
	case "IN":
		in := &inNode{v: &pathOp{path: path}}
		for i := range list {
			in.list = append(in.list, val(i))
		}
		return in
	case "BETWEEN":
		return &betweenNode{v: &pathOp{path: path}, lo: val(0), hi: val(1)}
	}
	return &cmpNode{op: legacyCmp[op], l: &pathOp{path: path}, r: val(0)}
}

// combine joins nodes with AND or OR; no nodes is a nil root (always true).
func combine(nodes []node, conditionalOperator string) (node, error) {
	or := false
	switch conditionalOperator {
	case "", "AND":
	case "OR":
		or = true
	default:
		return nil, item.Invalidf("1 validation error detected: Value '%s' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]", conditionalOperator)
	}
	var root node
	for _, n := range nodes {
		switch {
		case root == nil:
			root = n
		case or:
			root = &orNode{root, n}
		default:
			root = &andNode{root, n}
		}
	}
	return root, nil
}

// conditionFromExpected implements ConditionFromExpected.
func conditionFromExpected(exp map[string]ExpectedAttr, conditionalOperator string) (*Condition, error) {
	var nodes []node
	for _, attr := range sortedKeys(exp) {
		e := exp[attr]
		if op := e.ComparisonOperator; op != "" {
			// With a ComparisonOperator, the operand is Value or
			// AttributeValueList (not both), as DynamoDB takes it.
			list := e.AttributeValueList
			switch {
			case e.Exists != nil:
				return nil, invalidParam("Value or Exists cannot be used with ComparisonOperator for Attribute: %s", attr)
			case e.Value != nil && list != nil:
				return nil, invalidParam("Value and AttributeValueList cannot be used together for Attribute: %s", attr)
			case e.Value != nil:
				list = []item.Value{*e.Value}
			case len(list) == 0 && legacyArgs[op] != 0:
				if _, known := legacyArgs[op]; known {
					return nil, invalidParam("Value or AttributeValueList must be used with ComparisonOperator: %s for Attribute: %s", op, attr)
				}
			}
			if err := checkLegacyArgs(op, list); err != nil {
				return nil, err
			}
			nodes = append(nodes, legacyNode(attr, op, list))
			continue
		}
		if e.AttributeValueList != nil {
			return nil, invalidParam("AttributeValueList can only be used with a ComparisonOperator for Attribute: %s", attr)
		}
		exists := e.Exists == nil || *e.Exists
		switch {
		case e.Value != nil && exists:
			nodes = append(nodes, legacyNode(attr, "EQ", []item.Value{*e.Value}))
		case e.Value != nil:
			return nil, invalidParam("Value cannot be used when Exists is false for Attribute: %s", attr)
		case !exists:
			nodes = append(nodes, legacyNode(attr, "NULL", nil))
		case e.Exists == nil:
			return nil, invalidParam("Value must be provided when Exists is null for Attribute: %s", attr)
		default:
			return nil, invalidParam("Value must be provided when Exists is true for Attribute: %s", attr)
		}
	}
	root, err := combine(nodes, conditionalOperator)
	if err != nil {
		return nil, err
	}
	return &Condition{root: root}, nil
}

// conditionFromFilter implements ConditionFromFilter.
func conditionFromFilter(which string, filter map[string]ExpectedAttr, conditionalOperator string) (*Condition, error) {
	var nodes []node
	for _, attr := range sortedKeys(filter) {
		e := filter[attr]
		if e.Value != nil || e.Exists != nil {
			return nil, invalidParam("%s can only contain ComparisonOperator and AttributeValueList for Attribute: %s", which, attr)
		}
		if err := checkLegacyArgs(e.ComparisonOperator, e.AttributeValueList); err != nil {
			return nil, err
		}
		nodes = append(nodes, legacyNode(attr, e.ComparisonOperator, e.AttributeValueList))
	}
	root, err := combine(nodes, conditionalOperator)
	if err != nil {
		return nil, err
	}
	return &Condition{root: root}, nil
}

// legacyKeyOps maps KeyConditions operators to sort operators.
var legacyKeyOps = map[string]SortOp{
	"EQ": SortEQ, "LE": SortLE, "LT": SortLT, "GE": SortGE, "GT": SortGT,
	"BEGINS_WITH": SortBeginsWith, "BETWEEN": SortBetween,
}

// keyConditionFromLegacy implements KeyConditionFromLegacy.
func keyConditionFromLegacy(conds map[string]ExpectedAttr, partitionName, sortName string) (*KeyCondition, error) {
	if len(conds) == 0 || len(conds) > 2 {
		return nil, invalidParam("Conditions can be of length 1 or 2 only")
	}
	k := &KeyCondition{}
	for _, attr := range sortedKeys(conds) {
		e := conds[attr]
		if e.Value != nil || e.Exists != nil {
			return nil, invalidParam("KeyConditions can only contain ComparisonOperator and AttributeValueList for Attribute: %s", attr)
		}
		if err := checkLegacyArgs(e.ComparisonOperator, e.AttributeValueList); err != nil {
			return nil, err
		}
		op, ok := legacyKeyOps[e.ComparisonOperator]
		if !ok {
			return nil, item.Invalidf("Attempted conditional constraint is not an indexable operation")
		}
		switch attr {
		case partitionName:
			if op != SortEQ {
				return nil, errKeyNotSupported
			}
			k.PartitionName, k.PartitionValue = attr, e.AttributeValueList[0]
		case sortName:
			k.SortName, k.SortOp = attr, op
			copy(k.SortValues[:], e.AttributeValueList)
		default:
			missing := partitionName
			if _, ok := conds[partitionName]; ok && sortName != "" {
				missing = sortName
			}
			return nil, item.Invalidf("Query condition missed key schema element: %s", missing)
		}
	}
	if k.PartitionName == "" {
		return nil, item.Invalidf("Query condition missed key schema element: %s", partitionName)
	}
	return k, nil
}

// updateFromAttributeUpdates implements UpdateFromAttributeUpdates.
func updateFromAttributeUpdates(m map[string]AttributeUpdate) (*Update, error) {
	u := &Update{}
	for _, attr := range sortedKeys(m) {
		au := m[attr]
		path := namePath(attr)
		switch au.Action {
		case "", "PUT":
			if au.Value == nil {
				return nil, invalidParam("Only DELETE action is allowed when no attribute value is specified")
			}
			u.actions = append(u.actions, action{kind: actSet, path: path, val: &valueOp{v: *au.Value}})
		case "DELETE":
			switch {
			case au.Value == nil:
				u.actions = append(u.actions, action{kind: actRemove, path: path})
			case au.Value.Type.IsSet():
				u.actions = append(u.actions, action{kind: actDelete, path: path, val: &valueOp{v: *au.Value}})
			default:
				return nil, invalidParam("DELETE action with value is not supported for the type %s", au.Value.Type)
			}
		case "ADD":
			switch {
			case au.Value == nil:
				return nil, invalidParam("Only DELETE action is allowed when no attribute value is specified")
			case au.Value.Type == item.TypeN || au.Value.Type.IsSet():
				u.actions = append(u.actions, action{kind: actAdd, path: path, val: &valueOp{v: *au.Value}})
			case au.Value.Type == item.TypeL:
				// ADD of a list appends to the existing list, or creates it.
				empty := &valueOp{v: item.Value{Type: item.TypeL, L: []item.Value{}}}
				val := &listAppendOp{a: &ifNotExistsOp{path: path, def: empty}, b: &valueOp{v: *au.Value}}
				u.actions = append(u.actions, action{kind: actSet, path: path, val: val})
			default:
				return nil, invalidParam("ADD action is not supported for the type %s", au.Value.Type)
			}
		default:
			return nil, item.Invalidf("1 validation error detected: Value '%s' at 'attributeUpdates.%s.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]", au.Action, attr)
		}
	}
	return u, nil
}

// projectionFromAttributesToGet implements ProjectionFromAttributesToGet;
// duplicate names are dropped.
func projectionFromAttributesToGet(names []string) []Path {
	if names == nil {
		return nil
	}
	seen := map[string]bool{}
	paths := make([]Path, 0, len(names))
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			paths = append(paths, namePath(n))
		}
	}
	return paths
}
