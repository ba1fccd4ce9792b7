package expr

import (
	"bytes"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/concorddb/concord/storage/item"
)

// Condition tree nodes.
type (
	andNode   struct{ l, r node }
	orNode    struct{ l, r node }
	notNode   struct{ n node }
	parenNode struct{ n node } // kept to detect redundant parentheses
	// cmpNode is a comparison: op is one of = <> < <= > >=.
	cmpNode struct {
		op   string
		l, r operand
	}
	betweenNode struct{ v, lo, hi operand }
	inNode      struct {
		v    operand
		list []operand
	}
	// fnNode is a boolean function: attribute_exists, attribute_not_exists,
	// attribute_type, begins_with or contains. arg is nil for the first two.
	fnNode struct {
		fn   string
		path Path
		arg  operand
	}
	// existsAndNode is legacy NOT_CONTAINS-style "attribute exists and n".
	existsAndNode struct {
		path Path
		n    node
	}
)

// parseCondition parses a whole condition expression.
func parseCondition(which, s string, p *Params) (node, error) {
	ps, err := newParser(which, s, p)
	if err != nil {
		return nil, err
	}
	n, err := ps.parseOr()
	if err != nil {
		return nil, err
	}
	if err := ps.expectEOF(); err != nil {
		return nil, err
	}
	return n, nil
}

func (ps *parser) parseOr() (node, error) {
	l, err := ps.parseAnd()
	if err != nil {
		return nil, err
	}
	for isKeyword(ps.peek(), "OR") {
		ps.next()
		if err := ps.op(); err != nil {
			return nil, err
		}
		r, err := ps.parseAnd()
		if err != nil {
			return nil, err
		}
		l = &orNode{l, r}
	}
	return l, nil
}

func (ps *parser) parseAnd() (node, error) {
	l, err := ps.parseNot()
	if err != nil {
		return nil, err
	}
	for isKeyword(ps.peek(), "AND") {
		ps.next()
		if err := ps.op(); err != nil {
			return nil, err
		}
		r, err := ps.parseNot()
		if err != nil {
			return nil, err
		}
		l = &andNode{l, r}
	}
	return l, nil
}

func (ps *parser) parseNot() (node, error) {
	if !isKeyword(ps.peek(), "NOT") {
		return ps.parsePrimary()
	}
	ps.next()
	if err := ps.op(); err != nil {
		return nil, err
	}
	if err := ps.enter(); err != nil {
		return nil, err
	}
	defer ps.leave()
	n, err := ps.parseNot()
	if err != nil {
		return nil, err
	}
	return &notNode{n}, nil
}

func (ps *parser) parsePrimary() (node, error) {
	t := ps.peek()
	if isPunct(t, "(") {
		ps.next()
		if err := ps.enter(); err != nil {
			return nil, err
		}
		defer ps.leave()
		n, err := ps.parseOr()
		if err != nil {
			return nil, err
		}
		if err := ps.expectPunct(")"); err != nil {
			return nil, err
		}
		if _, ok := n.(*parenNode); ok {
			return nil, item.Invalidf("Invalid %s: The expression has redundant parentheses;", ps.which)
		}
		return &parenNode{n}, nil
	}
	if ps.isCall() {
		switch ps.peek().text {
		case fnAttributeExists, fnAttributeNotExists, fnAttributeType, fnBeginsWith, fnContains:
			return ps.parseFunction()
		}
	}
	l, err := ps.parseOperand(false)
	if err != nil {
		return nil, err
	}
	t = ps.peek()
	switch {
	case t.kind == tPunct && isComparator(t.text):
		ps.next()
		if err := ps.op(); err != nil {
			return nil, err
		}
		r, err := ps.parseOperand(false)
		if err != nil {
			return nil, err
		}
		if err := ps.checkDistinct(t.text, l, r); err != nil {
			return nil, err
		}
		if t.text != "=" && t.text != "<>" {
			for _, o := range []operand{l, r} {
				if err := ps.checkOrderable(t.text, o); err != nil {
					return nil, err
				}
			}
		}
		return &cmpNode{op: t.text, l: l, r: r}, nil
	case isKeyword(t, "BETWEEN"):
		ps.next()
		if err := ps.op(); err != nil {
			return nil, err
		}
		lo, err := ps.parseOperand(false)
		if err != nil {
			return nil, err
		}
		if t := ps.next(); !isKeyword(t, "AND") {
			return nil, ps.errAt(t)
		}
		hi, err := ps.parseOperand(false)
		if err != nil {
			return nil, err
		}
		for _, o := range []operand{l, lo, hi} {
			if err := ps.checkOrderable("BETWEEN", o); err != nil {
				return nil, err
			}
		}
		if err := ps.checkBounds(lo, hi); err != nil {
			return nil, err
		}
		return &betweenNode{v: l, lo: lo, hi: hi}, nil
	case isKeyword(t, "IN"):
		ps.next()
		if err := ps.op(); err != nil {
			return nil, err
		}
		if err := ps.expectPunct("("); err != nil {
			return nil, err
		}
		var list []operand
		for {
			o, err := ps.parseOperand(false)
			if err != nil {
				return nil, err
			}
			list = append(list, o)
			if len(list) > maxInOperands {
				return nil, item.Invalidf("Invalid %s: The IN operator is provided with too many operands; number of operands: %d", ps.which, len(list))
			}
			if !isPunct(ps.peek(), ",") {
				break
			}
			ps.next()
		}
		if err := ps.expectPunct(")"); err != nil {
			return nil, err
		}
		return &inNode{v: l, list: list}, nil
	}
	if _, ok := l.(*sizeOp); ok && (t.kind == tEOF || isPunct(t, ")") || isKeyword(t, "AND") || isKeyword(t, "OR")) {
		return nil, ps.notAllowed(fnSize)
	}
	ps.next()
	return nil, ps.errAt(t)
}

func isComparator(s string) bool {
	switch s {
	case "=", "<>", "<", "<=", ">", ">=":
		return true
	}
	return false
}

// checkOrderable rejects a :value operand of an ordering operator whose
// type is not S, N or B: DynamoDB reports that at parse time.
func (ps *parser) checkOrderable(op string, o operand) error {
	if v, ok := o.(*valueOp); ok && !scalar(v.v.Type) {
		return ps.badOperandType(op, v.v.Type)
	}
	return nil
}

// checkDistinct rejects a comparison or a two-operand function whose
// operands are the same document path (s = s, begins_with(s, s)):
// DynamoDB reports that at parse time, naming the operator.
func (ps *parser) checkDistinct(op string, l, r operand) error {
	lp, ok1 := l.(*pathOp)
	rp, ok2 := r.(*pathOp)
	if ok1 && ok2 && slices.Equal(lp.path, rp.path) {
		return item.Invalidf("Invalid %s: The first operand must be distinct from the remaining operands for this operator or function; operator: %s, first operand: %s", ps.which, op, pathList(lp.path))
	}
	return nil
}

func scalar(t item.Type) bool { return t == item.TypeS || t == item.TypeN || t == item.TypeB }

// checkBounds rejects BETWEEN :lo AND :hi with lo > hi when both are values.
func (ps *parser) checkBounds(lo, hi operand) error {
	l, ok1 := lo.(*valueOp)
	h, ok2 := hi.(*valueOp)
	if !ok1 || !ok2 {
		return nil
	}
	if l.v.Type != h.v.Type {
		return item.Invalidf("Invalid %s: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {%s:%s}, upper bound operand: AttributeValue: {%s:%s}", ps.which, l.v.Type, valueText(l.v), h.v.Type, valueText(h.v))
	}
	if c, ok := item.Compare(l.v, h.v); ok && c > 0 {
		return item.Invalidf("Invalid %s: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {%s:%s}, upper bound operand: AttributeValue: {%s:%s}", ps.which, l.v.Type, valueText(l.v), h.v.Type, valueText(h.v))
	}
	return nil
}

// valueText renders a scalar for messages.
func valueText(v item.Value) string {
	if v.Type == item.TypeB {
		return base64.StdEncoding.EncodeToString([]byte(v.S))
	}
	return v.S
}

// parseFunction parses a boolean function call.
func (ps *parser) parseFunction() (node, error) {
	fn, err := ps.funcName()
	if err != nil {
		return nil, err
	}
	if err := ps.enter(); err != nil {
		return nil, err
	}
	defer ps.leave()
	path, err := ps.pathArg(fn)
	if err != nil {
		return nil, err
	}
	n := &fnNode{fn: fn, path: path}
	if fn != fnAttributeExists && fn != fnAttributeNotExists {
		if err := ps.expectPunct(","); err != nil {
			return nil, err
		}
		if n.arg, err = ps.parseOperand(false); err != nil {
			return nil, err
		}
		if err := ps.checkDistinct(fn, &pathOp{path: path}, n.arg); err != nil {
			return nil, err
		}
		if v, ok := n.arg.(*valueOp); ok {
			switch fn {
			case fnAttributeType:
				if _, ok := item.ParseType(v.v.S); v.v.Type != item.TypeS || !ok {
					return nil, item.Invalidf("Invalid %s: Invalid attribute type name found; type: %s, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}", ps.which, v.v.S)
				}
			case fnBeginsWith:
				if v.v.Type != item.TypeS && v.v.Type != item.TypeB {
					return nil, ps.badOperandType(fn, v.v.Type)
				}
			}
		}
	}
	if err := ps.expectPunct(")"); err != nil {
		return nil, err
	}
	return n, nil
}

// resolve evaluates a condition operand against it; ok is false when the
// operand refers to a missing attribute (or size of an unsized type).
func resolve(o operand, it item.Item) (item.Value, bool) {
	switch o := o.(type) {
	case *valueOp:
		return o.v, true
	case *pathOp:
		return get(it, o.path)
	case *sizeOp:
		v, ok := item.Value{}, o.val != nil
		if ok {
			v = *o.val
		} else if v, ok = get(it, o.path); !ok {
			return item.Value{}, false
		}
		n, ok := sizeOf(v)
		if !ok {
			return item.Value{}, false
		}
		return item.Value{Type: item.TypeN, S: strconv.Itoa(n)}, true
	}
	return item.Value{}, false
}

// sizeOf is size(): UTF-16 code units of S (what real DynamoDB counts:
// "é😀" is 3), bytes of B, elements of sets, lists and maps.
func sizeOf(v item.Value) (int, bool) {
	switch v.Type {
	case item.TypeS:
		return utf16Len(v.S), true
	case item.TypeB:
		return len(v.S), true
	case item.TypeL:
		return len(v.L), true
	case item.TypeM:
		return len(v.M), true
	case item.TypeSS, item.TypeNS, item.TypeBS:
		return len(v.Set), true
	}
	return 0, false
}

// utf16Len is the length of s in UTF-16 code units: one per rune below
// U+10000, two above (a surrogate pair).
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// eval evaluates n against it.
func eval(n node, it item.Item) bool {
	switch n := n.(type) {
	case *andNode:
		return eval(n.l, it) && eval(n.r, it)
	case *orNode:
		return eval(n.l, it) || eval(n.r, it)
	case *notNode:
		return !eval(n.n, it)
	case *parenNode:
		return eval(n.n, it)
	case *existsAndNode:
		_, ok := get(it, n.path)
		return ok && eval(n.n, it)
	case *cmpNode:
		l, lok := resolve(n.l, it)
		r, rok := resolve(n.r, it)
		switch n.op {
		case "=":
			return lok && rok && item.Equal(l, r)
		case "<>":
			// A missing attribute is not equal to anything.
			return !(lok && rok && item.Equal(l, r))
		}
		if !lok || !rok {
			return false
		}
		c, ok := item.Compare(l, r)
		if !ok {
			return false
		}
		switch n.op {
		case "<":
			return c < 0
		case "<=":
			return c <= 0
		case ">":
			return c > 0
		case ">=":
			return c >= 0
		}
	case *betweenNode:
		v, ok1 := resolve(n.v, it)
		lo, ok2 := resolve(n.lo, it)
		hi, ok3 := resolve(n.hi, it)
		if !ok1 || !ok2 || !ok3 {
			return false
		}
		c1, ok1 := item.Compare(lo, v)
		c2, ok2 := item.Compare(v, hi)
		return ok1 && ok2 && c1 <= 0 && c2 <= 0
	case *inNode:
		v, ok := resolve(n.v, it)
		if !ok {
			return false
		}
		for _, o := range n.list {
			if w, ok := resolve(o, it); ok && item.Equal(v, w) {
				return true
			}
		}
		return false
	case *fnNode:
		return evalFunc(n, it)
	}
	return false
}

func evalFunc(n *fnNode, it item.Item) bool {
	v, ok := get(it, n.path)
	switch n.fn {
	case fnAttributeExists:
		return ok
	case fnAttributeNotExists:
		return !ok
	}
	if !ok {
		return false
	}
	a, ok := resolve(n.arg, it)
	if !ok {
		return false
	}
	switch n.fn {
	case fnAttributeType:
		return a.Type == item.TypeS && v.Type.String() == a.S
	case fnBeginsWith:
		return (v.Type == item.TypeS || v.Type == item.TypeB) && a.Type == v.Type && strings.HasPrefix(v.S, a.S)
	case fnContains:
		return contains(v, a)
	}
	return false
}

// contains is DynamoDB's contains(): substring of S or B, membership in a
// set of the matching scalar type, or an element of a list.
func contains(v, a item.Value) bool {
	switch v.Type {
	case item.TypeS:
		return a.Type == item.TypeS && strings.Contains(v.S, a.S)
	case item.TypeB:
		return a.Type == item.TypeB && bytes.Contains([]byte(v.S), []byte(a.S))
	case item.TypeSS, item.TypeNS, item.TypeBS:
		if elemType(v.Type) != a.Type {
			return false
		}
		for _, e := range v.Set {
			if e == a.S || (a.Type == item.TypeN && item.CompareNumbers(e, a.S) == 0) {
				return true
			}
		}
	case item.TypeL:
		for _, e := range v.L {
			if item.Equal(e, a) {
				return true
			}
		}
	}
	return false
}

// elemType is the scalar type of a set type's elements.
func elemType(t item.Type) item.Type {
	switch t {
	case item.TypeSS:
		return item.TypeS
	case item.TypeNS:
		return item.TypeN
	case item.TypeBS:
		return item.TypeB
	}
	return 0
}
