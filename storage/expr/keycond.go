package expr

import (
	"github.com/concorddb/concord/storage/item"
)

const whichKey = "KeyConditionExpression"

// keyPart is one condition of a key condition: name op values.
type keyPart struct {
	name   string
	op     SortOp
	values [2]item.Value
}

var (
	errKeyNotSupported = item.Invalidf("Query key condition not supported")
	errKeyNested       = item.Invalidf("KeyConditionExpressions cannot contain nested operations")
)

// parseKeyCondition parses with the condition grammar, then checks the
// shape DynamoDB allows for key conditions.
func parseKeyCondition(s string, p *Params) (*KeyCondition, error) {
	n, err := parseCondition(whichKey, s, p)
	if err != nil {
		return nil, err
	}
	var parts []keyPart
	if err := collectKeyParts(n, &parts); err != nil {
		return nil, err
	}
	return keyConditionFromParts(parts)
}

// keyConditionFromParts arranges one or two parts into a KeyCondition:
// the equality is the partition part; when both are equalities the first
// is taken as the partition and KeyCondition.Check swaps them if the
// schema says otherwise.
func keyConditionFromParts(parts []keyPart) (*KeyCondition, error) {
	for i := range parts {
		for _, q := range parts[i+1:] {
			if q.name == parts[i].name {
				return nil, item.Invalidf("Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key")
			}
		}
	}
	if len(parts) > 2 {
		// Too many for any schema; the caller words it with the table's
		// number of key attributes.
		return &KeyCondition{Conditions: len(parts)}, nil
	}
	switch len(parts) {
	case 1:
		if parts[0].op != SortEQ {
			return nil, errKeyNotSupported
		}
		return &KeyCondition{Conditions: 1, PartitionName: parts[0].name, PartitionValue: parts[0].values[0]}, nil
	case 2:
		a, b := parts[0], parts[1]
		if a.op != SortEQ {
			a, b = b, a
		}
		if a.op != SortEQ {
			return nil, errKeyNotSupported
		}
		return &KeyCondition{
			Conditions:     2,
			PartitionName:  a.name,
			PartitionValue: a.values[0],
			SortName:       b.name,
			SortOp:         b.op,
			SortValues:     b.values,
		}, nil
	}
	return nil, errKeyNotSupported
}

func invalidKeyOperator(op string) error {
	return item.Invalidf("Invalid operator used in KeyConditionExpression: %s", op)
}

// collectKeyParts flattens ANDs (and parentheses) into parts.
func collectKeyParts(n node, parts *[]keyPart) error {
	switch n := n.(type) {
	case *parenNode:
		return collectKeyParts(n.n, parts)
	case *andNode:
		if err := collectKeyParts(n.l, parts); err != nil {
			return err
		}
		return collectKeyParts(n.r, parts)
	case *orNode:
		return invalidKeyOperator("OR")
	case *notNode:
		return invalidKeyOperator("NOT")
	case *inNode:
		return invalidKeyOperator("IN")
	case *cmpNode:
		ops := map[string]SortOp{"=": SortEQ, "<": SortLT, "<=": SortLE, ">": SortGT, ">=": SortGE}
		flipped := map[string]SortOp{"=": SortEQ, "<": SortGT, "<=": SortGE, ">": SortLT, ">=": SortLE}
		if n.op == "<>" {
			return invalidKeyOperator("<>")
		}
		op, l, r := ops[n.op], n.l, n.r
		_, lPath := l.(*pathOp)
		_, rPath := r.(*pathOp)
		if lPath && rPath {
			return item.Invalidf("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition")
		}
		if _, ok := l.(*valueOp); ok {
			op, l, r = flipped[n.op], r, l
		}
		name, err := keyName(l)
		if err != nil {
			return err
		}
		v, err := keyValue(r)
		if err != nil {
			return err
		}
		*parts = append(*parts, keyPart{name: name, op: op, values: [2]item.Value{v}})
	case *betweenNode:
		name, err := keyName(n.v)
		if err != nil {
			return err
		}
		lo, err := keyValue(n.lo)
		if err != nil {
			return err
		}
		hi, err := keyValue(n.hi)
		if err != nil {
			return err
		}
		*parts = append(*parts, keyPart{name: name, op: SortBetween, values: [2]item.Value{lo, hi}})
	case *fnNode:
		if n.fn != fnBeginsWith {
			return invalidKeyOperator(n.fn)
		}
		name, err := keyName(&pathOp{path: n.path})
		if err != nil {
			return err
		}
		v, err := keyValue(n.arg)
		if err != nil {
			return err
		}
		*parts = append(*parts, keyPart{name: name, op: SortBeginsWith, values: [2]item.Value{v}})
	default:
		return errKeyNotSupported
	}
	return nil
}

// keyName requires a top-level attribute name.
func keyName(o operand) (string, error) {
	switch o := o.(type) {
	case *pathOp:
		if len(o.path) != 1 {
			return "", item.Invalidf("KeyConditionExpressions cannot have conditions on nested attributes")
		}
		return o.path[0].Name, nil
	case *sizeOp:
		return "", errKeyNested
	}
	return "", errKeyNotSupported
}

// keyValue requires an ExpressionAttributeValue.
func keyValue(o operand) (item.Value, error) {
	switch o := o.(type) {
	case *valueOp:
		return o.v, nil
	case *sizeOp:
		return item.Value{}, errKeyNested
	}
	return item.Value{}, errKeyNotSupported
}

// Check matches k against the table's (or index's) key schema: it swaps
// the two parts when both are equalities and the first names the sort
// key, and reports DynamoDB's errors when the partition key is missing or
// a condition names a non-key attribute. sortName is "" for tables
// without a sort key.
func (k *KeyCondition) Check(partitionName, sortName string) error {
	if k.PartitionName != partitionName && k.SortName == partitionName && k.SortOp == SortEQ {
		k.PartitionName, k.SortName = k.SortName, k.PartitionName
		k.PartitionValue, k.SortValues[0] = k.SortValues[0], k.PartitionValue
	}
	if k.PartitionName != partitionName {
		return item.Invalidf("Query condition missed key schema element: %s", partitionName)
	}
	if k.SortOp != SortNone && (sortName == "" || k.SortName != sortName) {
		if sortName == "" {
			return item.Invalidf("Query key condition not supported")
		}
		return item.Invalidf("Query condition missed key schema element: %s", sortName)
	}
	return nil
}
