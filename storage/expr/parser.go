package expr

import (
	"strconv"
	"strings"

	"github.com/concorddb/concord/storage/item"
)

// Limits on expression shape. DynamoDB caps operators and functions per
// expression at 300 and IN lists at 100 operands; the nesting cap keeps
// recursion bounded on hostile input.
const (
	maxOperators  = 300
	maxInOperands = 100
	maxNesting    = 100
)

// parser is a recursive-descent parser over one expression's tokens.
type parser struct {
	which string // parameter name for messages, e.g. "ConditionExpression"
	src   string
	toks  []token
	i     int
	p     *Params
	depth int // current nesting of parentheses, NOT and function calls
	ops   int // operators and functions seen
}

// newParser lexes s after the checks every expression shares: not empty
// and not longer than MaxExpressionLength.
func newParser(which, s string, p *Params) (*parser, error) {
	if len(s) > MaxExpressionLength {
		return nil, item.Invalidf("Invalid %s: Expression size has exceeded the maximum allowed size; expression size: %d", which, len(s))
	}
	if strings.TrimSpace(s) == "" {
		return nil, item.Invalidf("Invalid %s: The expression can not be empty;", which)
	}
	toks, err := lex(which, s)
	if err != nil {
		return nil, err
	}
	return &parser{which: which, src: s, toks: toks, p: p}, nil
}

func (ps *parser) peek() token { return ps.toks[ps.i] }

func (ps *parser) peekAt(k int) token {
	if ps.i+k < len(ps.toks) {
		return ps.toks[ps.i+k]
	}
	return ps.toks[len(ps.toks)-1]
}

func (ps *parser) next() token {
	t := ps.toks[ps.i]
	if t.kind != tEOF {
		ps.i++
	}
	return t
}

// errAt is a syntax error at token t.
func (ps *parser) errAt(t token) error {
	k := 0
	for k < len(ps.toks) && ps.toks[k].pos < t.pos {
		k++
	}
	return syntaxError(ps.which, ps.src, ps.toks[:k], t)
}

// isPunct reports whether t is the punctuation s.
func isPunct(t token, s string) bool { return t.kind == tPunct && t.text == s }

// isKeyword reports whether t is the keyword kw, case-insensitively.
func isKeyword(t token, kw string) bool { return t.kind == tIdent && strings.EqualFold(t.text, kw) }

func (ps *parser) expectPunct(s string) error {
	t := ps.next()
	if !isPunct(t, s) {
		return ps.errAt(t)
	}
	return nil
}

func (ps *parser) expectEOF() error {
	if t := ps.peek(); t.kind != tEOF {
		return ps.errAt(t)
	}
	return nil
}

// enter counts one level of nesting and rejects input that nests deeper
// than maxNesting.
func (ps *parser) enter() error {
	ps.depth++
	if ps.depth > maxNesting {
		return item.Invalidf("Invalid %s: The expression has too many levels of nesting; maximum: %d", ps.which, maxNesting)
	}
	return nil
}

func (ps *parser) leave() { ps.depth-- }

// op counts one operator or function against DynamoDB's limit of 300.
func (ps *parser) op() error {
	ps.ops++
	if ps.ops > maxOperators {
		return item.Invalidf("Invalid %s: The expression contains too many operators; operator count: %d, maximum: %d", ps.which, ps.ops, maxOperators)
	}
	return nil
}

// startsPath reports whether t can begin a document path.
func startsPath(t token) bool { return t.kind == tIdent || t.kind == tName }

// parsePath parses name ( '.' name | '[' n ']' )*.
func (ps *parser) parsePath() (Path, error) {
	var path Path
	elem := func() error {
		t := ps.next()
		switch t.kind {
		case tIdent:
			if isReserved(t.text) {
				return item.Invalidf("Invalid %s: Attribute name is a reserved keyword; reserved keyword: %s", ps.which, t.text)
			}
			path = append(path, PathElem{Name: t.text})
		case tName:
			n, err := ps.p.name(ps.which, t.text)
			if err != nil {
				return err
			}
			path = append(path, PathElem{Name: n})
		default:
			return ps.errAt(t)
		}
		return nil
	}
	if err := elem(); err != nil {
		return nil, err
	}
	for {
		t := ps.peek()
		switch {
		case isPunct(t, "."):
			ps.next()
			if err := elem(); err != nil {
				return nil, err
			}
		case isPunct(t, "["):
			ps.next()
			n := ps.next()
			if n.kind != tNumber {
				return nil, ps.errAt(n)
			}
			idx, err := strconv.Atoi(n.text)
			if err != nil || idx > MaxListIndex {
				return nil, item.Invalidf("Invalid %s: List index is not within the allowable range; index: [%s]", ps.which, n.text)
			}
			if err := ps.expectPunct("]"); err != nil {
				return nil, err
			}
			path = append(path, PathElem{Index: idx, IsIndex: true})
		default:
			return path, nil
		}
		if len(path) > MaxPathDepth {
			return nil, item.Invalidf("Invalid %s: The document path has too many nesting levels; nesting levels: %d", ps.which, len(path))
		}
	}
}

// Operand kinds shared by conditions and updates.
type (
	pathOp  struct{ path Path }
	valueOp struct {
		v   item.Value
		ref string // the :placeholder, for messages
	}
	// sizeOp is size(path), or size(:v) whose size is known at parse time
	// (val is set).
	sizeOp struct {
		path Path
		val  *item.Value
	}
	// ifNotExistsOp is if_not_exists(path, operand).
	ifNotExistsOp struct {
		path Path
		def  operand
	}
	// listAppendOp is list_append(a, b).
	listAppendOp struct{ a, b operand }
	// arithOp is a + b or a - b.
	arithOp struct {
		minus bool
		a, b  operand
	}
)

// operand is one of the operand kinds above.
type operand interface{}

// Function names, lower case as DynamoDB spells them (they are
// case-sensitive).
const (
	fnAttributeExists    = "attribute_exists"
	fnAttributeNotExists = "attribute_not_exists"
	fnAttributeType      = "attribute_type"
	fnBeginsWith         = "begins_with"
	fnContains           = "contains"
	fnSize               = "size"
	fnIfNotExists        = "if_not_exists"
	fnListAppend         = "list_append"
)

var knownFunctions = map[string]bool{
	fnAttributeExists: true, fnAttributeNotExists: true, fnAttributeType: true,
	fnBeginsWith: true, fnContains: true, fnSize: true, fnIfNotExists: true, fnListAppend: true,
}

// isCall reports whether the parser is at name '('.
func (ps *parser) isCall() bool { return ps.peek().kind == tIdent && isPunct(ps.peekAt(1), "(") }

// funcName consumes name '(' and validates the name.
func (ps *parser) funcName() (string, error) {
	t := ps.next()
	ps.next() // (
	if !knownFunctions[t.text] {
		return "", item.Invalidf("Invalid %s: Invalid function name; function: %s", ps.which, t.text)
	}
	if err := ps.op(); err != nil {
		return "", err
	}
	return t.text, nil
}

func (ps *parser) notAllowed(fn string) error {
	return item.Invalidf("Invalid %s: The function is not allowed to be used this way in an expression; function: %s", ps.which, fn)
}

func (ps *parser) needsPath(fn string) error {
	return item.Invalidf("Invalid %s: Operator or function requires a document path; operator or function: %s", ps.which, fn)
}

func (ps *parser) badOperandType(fn string, t item.Type) error {
	return item.Invalidf("Invalid %s: Incorrect operand type for operator or function; operator or function: %s, operand type: %s", ps.which, fn, t)
}

// parseOperand parses a path, a :value, or a function call allowed in the
// context (size in conditions; if_not_exists and list_append in updates).
func (ps *parser) parseOperand(update bool) (operand, error) {
	t := ps.peek()
	switch {
	case t.kind == tValue:
		ps.next()
		v, err := ps.p.value(ps.which, t.text)
		if err != nil {
			return nil, err
		}
		return &valueOp{v: v, ref: t.text}, nil
	case ps.isCall():
		return ps.parseCallOperand(update)
	case startsPath(t):
		path, err := ps.parsePath()
		if err != nil {
			return nil, err
		}
		return &pathOp{path: path}, nil
	default:
		ps.next()
		return nil, ps.errAt(t)
	}
}

func (ps *parser) parseCallOperand(update bool) (operand, error) {
	fn, err := ps.funcName()
	if err != nil {
		return nil, err
	}
	if err := ps.enter(); err != nil {
		return nil, err
	}
	defer ps.leave()
	switch {
	case fn == fnSize && !update:
		// size takes a path or a :value of a type with a size; size(size(a))
		// is a size of a number.
		var op sizeOp
		switch t := ps.peek(); {
		case t.kind == tValue:
			ps.next()
			v, err := ps.p.value(ps.which, t.text)
			if err != nil {
				return nil, err
			}
			if _, ok := sizeOf(v); !ok {
				return nil, ps.badOperandType(fn, v.Type)
			}
			op.val = &v
		case ps.isCall() && t.text == fnSize:
			if _, err := ps.parseCallOperand(update); err != nil {
				return nil, err
			}
			return nil, ps.badOperandType(fn, item.TypeN)
		default:
			if op.path, err = ps.pathArg(fn); err != nil {
				return nil, err
			}
		}
		if err := ps.expectPunct(")"); err != nil {
			return nil, err
		}
		return &op, nil
	case fn == fnIfNotExists && update:
		path, err := ps.pathArg(fn)
		if err != nil {
			return nil, err
		}
		if err := ps.expectPunct(","); err != nil {
			return nil, err
		}
		def, err := ps.parseOperand(true)
		if err != nil {
			return nil, err
		}
		if err := ps.expectPunct(")"); err != nil {
			return nil, err
		}
		return &ifNotExistsOp{path: path, def: def}, nil
	case fn == fnListAppend && update:
		a, err := ps.parseOperand(true)
		if err != nil {
			return nil, err
		}
		if err := ps.expectPunct(","); err != nil {
			return nil, err
		}
		b, err := ps.parseOperand(true)
		if err != nil {
			return nil, err
		}
		if err := ps.expectPunct(")"); err != nil {
			return nil, err
		}
		for _, o := range []operand{a, b} {
			if v, ok := o.(*valueOp); ok && v.v.Type != item.TypeL {
				return nil, ps.badOperandType(fn, v.v.Type)
			}
		}
		return &listAppendOp{a: a, b: b}, nil
	default:
		return nil, ps.notAllowed(fn)
	}
}

// pathArg parses a function argument that must be a document path.
func (ps *parser) pathArg(fn string) (Path, error) {
	if !startsPath(ps.peek()) || ps.isCall() {
		if t := ps.peek(); t.kind == tValue || ps.isCall() {
			return nil, ps.needsPath(fn)
		}
		return nil, ps.errAt(ps.next())
	}
	return ps.parsePath()
}
