package expr

import (
	"sort"
	"strings"

	"github.com/concorddb/concord/storage/item"
)

// actKind is the clause an update action belongs to.
type actKind uint8

const (
	actSet actKind = iota + 1
	actRemove
	actAdd
	actDelete
)

// action is one SET, REMOVE, ADD or DELETE action. val is the value
// operand (nil for REMOVE).
type action struct {
	kind actKind
	path Path
	val  operand
}

var clauseNames = map[string]actKind{"SET": actSet, "REMOVE": actRemove, "ADD": actAdd, "DELETE": actDelete}

const whichUpdate = "UpdateExpression"

// parseUpdate parses an UpdateExpression into actions in expression order.
func parseUpdate(s string, p *Params) ([]action, error) {
	ps, err := newParser(whichUpdate, s, p)
	if err != nil {
		return nil, err
	}
	seen := map[actKind]bool{}
	var acts []action
	for ps.peek().kind != tEOF {
		t := ps.next()
		kind, ok := actKind(0), false
		if t.kind == tIdent {
			kind, ok = clauseNames[strings.ToUpper(t.text)]
		}
		if !ok {
			return nil, ps.errAt(t)
		}
		if seen[kind] {
			return nil, item.Invalidf("Invalid UpdateExpression: The %q section can only be used once in an update expression;", strings.ToUpper(t.text))
		}
		seen[kind] = true
		for {
			a, err := ps.parseAction(kind)
			if err != nil {
				return nil, err
			}
			acts = append(acts, a)
			if !isPunct(ps.peek(), ",") {
				break
			}
			ps.next()
		}
	}
	paths := make([]Path, len(acts))
	for i, a := range acts {
		paths[i] = a.path
	}
	if err := overlapError(whichUpdate, paths); err != nil {
		return nil, err
	}
	return acts, nil
}

func (ps *parser) parseAction(kind actKind) (action, error) {
	if t := ps.peek(); !startsPath(t) || ps.isCall() {
		return action{}, ps.errAt(ps.next())
	}
	path, err := ps.parsePath()
	if err != nil {
		return action{}, err
	}
	a := action{kind: kind, path: path}
	switch kind {
	case actSet:
		if err := ps.expectPunct("="); err != nil {
			return action{}, err
		}
		if a.val, err = ps.parseSetValue(); err != nil {
			return action{}, err
		}
	case actAdd, actDelete:
		t := ps.next()
		if t.kind != tValue {
			return action{}, ps.errAt(t)
		}
		v, err := ps.p.value(ps.which, t.text)
		if err != nil {
			return action{}, err
		}
		op := "ADD"
		if kind == actDelete {
			op = "DELETE"
		}
		if !v.Type.IsSet() && (kind == actDelete || v.Type != item.TypeN) {
			return action{}, item.Invalidf("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: %s, operand type: %s", op, typeWord(v.Type))
		}
		a.val = &valueOp{v: v, ref: t.text}
	}
	return a, nil
}

// typeWord names a type as DynamoDB's ADD and DELETE operand messages do
// ("operand type: LIST"; condition messages use the type code instead).
func typeWord(t item.Type) string {
	switch t {
	case item.TypeS:
		return "STRING"
	case item.TypeN:
		return "NUMBER"
	case item.TypeB:
		return "BINARY"
	case item.TypeBOOL:
		return "BOOLEAN"
	case item.TypeL:
		return "LIST"
	case item.TypeM:
		return "MAP"
	}
	return t.String()
}

// parseSetValue parses operand [ ('+' | '-') operand ], or such a value in
// parentheses: DynamoDB takes SET c = (c - :v) as SET c = c - :v.
func (ps *parser) parseSetValue() (operand, error) {
	if isPunct(ps.peek(), "(") {
		ps.next()
		if err := ps.enter(); err != nil {
			return nil, err
		}
		defer ps.leave()
		v, err := ps.parseSetValue()
		if err != nil {
			return nil, err
		}
		if err := ps.expectPunct(")"); err != nil {
			return nil, err
		}
		return v, nil
	}
	a, err := ps.parseOperand(true)
	if err != nil {
		return nil, err
	}
	t := ps.peek()
	if !isPunct(t, "+") && !isPunct(t, "-") {
		return a, nil
	}
	ps.next()
	if err := ps.op(); err != nil {
		return nil, err
	}
	b, err := ps.parseOperand(true)
	if err != nil {
		return nil, err
	}
	for _, o := range []operand{a, b} {
		if v, ok := o.(*valueOp); ok && v.v.Type != item.TypeN {
			return nil, ps.badOperandType(t.text, v.v.Type)
		}
	}
	return &arithOp{minus: t.text == "-", a: a, b: b}, nil
}

// Runtime update errors, worded as DynamoDB words them.
var (
	errBadType     = item.Invalidf("An operand in the update expression has an incorrect data type")
	errBadPath     = item.Invalidf("The document path provided in the update expression is invalid for update")
	errMissingAttr = item.Invalidf("The provided expression refers to an attribute that does not exist in the item")
)

// evalUpdateOperand computes a SET value against the item before the update.
func evalUpdateOperand(o operand, it item.Item) (item.Value, error) {
	switch o := o.(type) {
	case *valueOp:
		return o.v, nil
	case *pathOp:
		v, ok := get(it, o.path)
		if !ok {
			return item.Value{}, errMissingAttr
		}
		return v, nil
	case *ifNotExistsOp:
		if v, ok := get(it, o.path); ok {
			return v, nil
		}
		return evalUpdateOperand(o.def, it)
	case *listAppendOp:
		a, err := evalUpdateOperand(o.a, it)
		if err != nil {
			return item.Value{}, err
		}
		b, err := evalUpdateOperand(o.b, it)
		if err != nil {
			return item.Value{}, err
		}
		if a.Type != item.TypeL || b.Type != item.TypeL {
			return item.Value{}, errBadType
		}
		l := make([]item.Value, 0, len(a.L)+len(b.L))
		l = append(append(l, a.L...), b.L...)
		return item.Value{Type: item.TypeL, L: l}, nil
	case *arithOp:
		a, err := evalUpdateOperand(o.a, it)
		if err != nil {
			return item.Value{}, err
		}
		b, err := evalUpdateOperand(o.b, it)
		if err != nil {
			return item.Value{}, err
		}
		if a.Type != item.TypeN || b.Type != item.TypeN {
			return item.Value{}, errBadType
		}
		var n string
		if o.minus {
			n, err = item.SubtractNumbers(a.S, b.S)
		} else {
			n, err = item.AddNumbers(a.S, b.S)
		}
		if err != nil {
			return item.Value{}, err
		}
		return item.Value{Type: item.TypeN, S: n}, nil
	}
	return item.Value{}, errBadType
}

// applyActions applies acts to a copy of it. SET values are computed from
// the original item first; then SET, ADD and DELETE are applied, and
// REMOVE last, deepest paths first and higher list indexes before lower
// ones, so that each removal addresses the element its index named in the
// original item.
func applyActions(acts []action, it item.Item) (item.Item, error) {
	sets := make([]item.Value, len(acts))
	for i, a := range acts {
		if a.kind != actSet {
			continue
		}
		v, err := evalUpdateOperand(a.val, it)
		if err != nil {
			return nil, err
		}
		sets[i] = v
	}
	root := item.Value{Type: item.TypeM, M: make(map[string]item.Value, len(it)+len(acts))}
	for k, v := range it {
		root.M[k] = v
	}
	var removes []Path
	for i, a := range acts {
		var f updateFunc
		switch a.kind {
		case actSet:
			v := sets[i]
			f = func(item.Value, bool) (item.Value, bool, error) { return v, false, nil }
		case actAdd:
			f = addFunc(a.val.(*valueOp).v)
		case actDelete:
			f = deleteFunc(a.val.(*valueOp).v)
		case actRemove:
			removes = append(removes, a.path)
			continue
		}
		var err error
		if root, err = updateAt(root, a.path, true, false, f); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(removes, func(i, j int) bool { return removeBefore(removes[i], removes[j]) })
	for _, p := range removes {
		var err error
		if root, err = updateAt(root, p, true, true, removeFunc); err != nil {
			return nil, err
		}
	}
	return item.Item(root.M), nil
}

// removeBefore orders removals: deeper paths first; among paths with the
// same length, map keys before list indexes, and list indexes grouped by
// parent with higher indexes first; otherwise expression order (the sort
// is stable).
func removeBefore(a, b Path) bool {
	if len(a) != len(b) {
		return len(a) > len(b)
	}
	n := len(a) - 1
	if a[n].IsIndex != b[n].IsIndex {
		return !a[n].IsIndex
	}
	if !a[n].IsIndex {
		return false
	}
	if pa, pb := pathList(a[:n]), pathList(b[:n]); pa != pb {
		return pa < pb
	}
	return a[n].Index > b[n].Index
}

// updateFunc computes the new value at a path from the old one; del
// removes the element instead.
type updateFunc func(old item.Value, exists bool) (nv item.Value, del bool, err error)

func removeFunc(item.Value, bool) (item.Value, bool, error) { return item.Value{}, true, nil }

// addFunc is ADD: number addition (a missing attribute counts as 0) or set
// union (a missing attribute counts as the empty set).
func addFunc(v item.Value) updateFunc {
	return func(old item.Value, exists bool) (item.Value, bool, error) {
		if !exists {
			return v, false, nil
		}
		if old.Type != v.Type {
			return item.Value{}, false, errBadType
		}
		if v.Type == item.TypeN {
			n, err := item.AddNumbers(old.S, v.S)
			if err != nil {
				return item.Value{}, false, err
			}
			return item.Value{Type: item.TypeN, S: n}, false, nil
		}
		set := append([]string(nil), old.Set...)
		for _, e := range v.Set {
			if !setHas(old.Set, e, v.Type) {
				set = append(set, e)
			}
		}
		return item.Value{Type: v.Type, Set: set}, false, nil
	}
}

// deleteFunc is DELETE: set difference; an emptied set removes the
// attribute and a missing attribute is left alone.
func deleteFunc(v item.Value) updateFunc {
	return func(old item.Value, exists bool) (item.Value, bool, error) {
		if !exists {
			return item.Value{}, true, nil
		}
		if old.Type != v.Type {
			return item.Value{}, false, errBadType
		}
		var set []string
		for _, e := range old.Set {
			if !setHas(v.Set, e, v.Type) {
				set = append(set, e)
			}
		}
		if len(set) == 0 {
			return item.Value{}, true, nil
		}
		return item.Value{Type: v.Type, Set: set}, false, nil
	}
}

func setHas(set []string, e string, t item.Type) bool {
	for _, x := range set {
		if x == e || (t == item.TypeNS && item.CompareNumbers(x, e) == 0) {
			return true
		}
	}
	return false
}

// updateAt returns c with f applied at path, copying every map and list it
// changes (c itself is changed in place when owned). A missing parent is
// an error unless lenient (REMOVE), when nothing changes.
func updateAt(c item.Value, path Path, owned, lenient bool, f updateFunc) (item.Value, error) {
	e := path[0]
	if e.IsIndex && c.Type != item.TypeL || !e.IsIndex && c.Type != item.TypeM {
		return item.Value{}, errBadPath
	}
	old, exists := child(c, e)
	var nv item.Value
	del := false
	if len(path) == 1 {
		var err error
		if nv, del, err = f(old, exists); err != nil {
			return item.Value{}, err
		}
	} else {
		if !exists {
			if lenient {
				return c, nil
			}
			return item.Value{}, errBadPath
		}
		var err error
		if nv, err = updateAt(old, path[1:], false, lenient, f); err != nil {
			return item.Value{}, err
		}
	}
	if del && !exists {
		return c, nil
	}
	if e.IsIndex {
		l := c.L
		if !owned {
			l = append([]item.Value(nil), c.L...)
		}
		switch {
		case del:
			l = append(l[:e.Index], l[e.Index+1:]...)
		case exists:
			l[e.Index] = nv
		default:
			l = append(l, nv) // SET past the end appends
		}
		return item.Value{Type: item.TypeL, L: l}, nil
	}
	m := c.M
	if !owned {
		m = make(map[string]item.Value, len(c.M)+1)
		for k, v := range c.M {
			m[k] = v
		}
	}
	if del {
		delete(m, e.Name)
	} else {
		m[e.Name] = nv
	}
	return item.Value{Type: item.TypeM, M: m}, nil
}
