package expr

import "github.com/concorddb/concord/storage/item"

// MaxExpressionLength is DynamoDB's limit on any one expression, in bytes.
const MaxExpressionLength = 4096

// Params carries a request's ExpressionAttributeNames and
// ExpressionAttributeValues and records which of them the request's
// expressions used, so that unused ones can be reported.
type Params struct {
	Names  map[string]string
	Values map[string]item.Value

	usedNames  map[string]bool
	usedValues map[string]bool
}

// NewParams returns Params over the request's names and values (either may be nil).
func NewParams(names map[string]string, values map[string]item.Value) *Params {
	return &Params{Names: names, Values: values}
}

// CheckUnused returns DynamoDB's ValidationError for names or values that no
// expression used ("Value provided in ExpressionAttributeValues unused in
// expressions: keys: {:v}"). Call it after parsing all the request's
// expressions.
func (p *Params) CheckUnused() error { return p.checkUnused() }

// PathElem is one step of a document path: a map key (Name) or a list
// index (Index >= 0 when IsIndex).
type PathElem struct {
	Name    string
	Index   int
	IsIndex bool
}

// Path is a document path such as a.b[3].c, with names already resolved
// through ExpressionAttributeNames.
type Path []PathElem

// String renders the path as DynamoDB prints it.
func (p Path) String() string { return pathString(p) }

// Condition is a parsed condition or filter expression.
type Condition struct{ root node }

// node is one of the condition tree nodes (see condition.go).
type node interface{}

// ParseCondition parses a ConditionExpression or FilterExpression. which
// names the parameter for messages ("ConditionExpression",
// "FilterExpression").
func ParseCondition(which, s string, p *Params) (*Condition, error) {
	n, err := parseCondition(which, s, p)
	if err != nil {
		return nil, err
	}
	return &Condition{root: n}, nil
}

// Eval evaluates c against it (which may be nil: no item). Errors are
// *item.ValidationError for problems DynamoDB detects only at evaluation.
//
// A nil Condition, or one translated from an empty legacy map, is true.
func (c *Condition) Eval(it item.Item) (bool, error) {
	if c == nil || c.root == nil {
		return true, nil
	}
	return eval(c.root, it), nil
}

// Update is a parsed UpdateExpression (or translated AttributeUpdates).
type Update struct{ actions []action }

// ParseUpdate parses an UpdateExpression.
func ParseUpdate(s string, p *Params) (*Update, error) {
	acts, err := parseUpdate(s, p)
	if err != nil {
		return nil, err
	}
	return &Update{actions: acts}, nil
}

// Apply returns the item after the update; it is not modified. it may be
// nil (the item does not exist yet). Errors are *item.ValidationError, such
// as "The document path provided in the update expression is invalid for
// update" or "An operand in the update expression has an incorrect data type".
func (u *Update) Apply(it item.Item) (item.Item, error) { return applyActions(u.actions, it) }

// Paths returns the document paths the update sets, removes, adds to or
// deletes from, in expression order. ReturnValues UPDATED_OLD and
// UPDATED_NEW project the item on them; region/api checks them against the
// key schema.
func (u *Update) Paths() []Path {
	paths := make([]Path, len(u.actions))
	for i, a := range u.actions {
		paths[i] = a.path
	}
	return paths
}

// ParseProjection parses a ProjectionExpression into its paths.
func ParseProjection(s string, p *Params) ([]Path, error) { return parseProjection(s, p) }

// Project returns a new item holding only the given paths of it (nil paths
// returns it unchanged). List elements keep their relative order, as
// DynamoDB does.
func Project(it item.Item, paths []Path) item.Item { return project(it, paths) }

// SortOp is the operator of a key condition on the sort key.
type SortOp uint8

// Sort key operators; SortNone means the condition names only the partition key.
const (
	SortNone SortOp = iota
	SortEQ
	SortLT
	SortLE
	SortGT
	SortGE
	SortBetween
	SortBeginsWith
)

// KeyCondition is a parsed KeyConditionExpression (or translated
// KeyConditions): an equality on the partition key and at most one
// condition on the sort key. Names are resolved attribute names.
type KeyCondition struct {
	// Conditions is the number of conditions a KeyConditionExpression
	// holds (0 for legacy KeyConditions). Above 2 the other fields are
	// unset: the caller rejects it, naming the schema's key count.
	Conditions     int
	PartitionName  string
	PartitionValue item.Value
	SortName       string
	SortOp         SortOp
	SortValues     [2]item.Value // [0] for one-operand ops, [0],[1] for BETWEEN
}

// ParseKeyCondition parses a KeyConditionExpression. It checks the shape
// (one partition equality, at most one sort condition, only the allowed
// operators); the caller checks the names against the table's schema.
func ParseKeyCondition(s string, p *Params) (*KeyCondition, error) { return parseKeyCondition(s, p) }

// ExpectedAttr is one entry of the legacy Expected, QueryFilter,
// ScanFilter or KeyConditions maps, in its wire shape.
type ExpectedAttr struct {
	Value              *item.Value  `json:"Value,omitempty"`
	Exists             *bool        `json:"Exists,omitempty"`
	ComparisonOperator string       `json:"ComparisonOperator,omitempty"`
	AttributeValueList []item.Value `json:"AttributeValueList,omitempty"`
}

// ConditionFromExpected translates the legacy Expected map (with
// ConditionalOperator AND or OR, "" meaning AND) into a Condition.
func ConditionFromExpected(exp map[string]ExpectedAttr, conditionalOperator string) (*Condition, error) {
	return conditionFromExpected(exp, conditionalOperator)
}

// ConditionFromFilter translates a legacy QueryFilter or ScanFilter.
// which names the parameter for messages.
func ConditionFromFilter(which string, filter map[string]ExpectedAttr, conditionalOperator string) (*Condition, error) {
	return conditionFromFilter(which, filter, conditionalOperator)
}

// KeyConditionFromLegacy translates legacy KeyConditions, given the
// table's partition and sort key names.
func KeyConditionFromLegacy(conds map[string]ExpectedAttr, partitionName, sortName string) (*KeyCondition, error) {
	return keyConditionFromLegacy(conds, partitionName, sortName)
}

// AttributeUpdate is one entry of the legacy AttributeUpdates map.
type AttributeUpdate struct {
	Value  *item.Value `json:"Value,omitempty"`
	Action string      `json:"Action,omitempty"` // PUT (default), ADD, DELETE
}

// UpdateFromAttributeUpdates translates legacy AttributeUpdates.
func UpdateFromAttributeUpdates(m map[string]AttributeUpdate) (*Update, error) {
	return updateFromAttributeUpdates(m)
}

// ProjectionFromAttributesToGet translates legacy AttributesToGet.
func ProjectionFromAttributesToGet(names []string) []Path {
	return projectionFromAttributesToGet(names)
}
