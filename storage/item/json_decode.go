package item

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// DynamoDB's messages for AttributeValues of the wrong form.
const (
	msgEmpty        = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
	msgMultiple     = "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
	msgNullFalse    = "One or more parameter values were invalid: Null attribute value types must have the value of true"
	msgEmptySS      = "One or more parameter values were invalid: An string set  may not be empty"
	msgEmptyNS      = "One or more parameter values were invalid: An number set  may not be empty"
	msgEmptyBS      = "One or more parameter values were invalid: Binary sets should not be empty"
	msgNesting      = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
	msgUnexpectedOb = "Start of structure or map found where not expected"
	msgUnexpectedLs = "Start of list found where not expected"
)

// decoder scans DynamoDB wire JSON held in s. Depth is bounded by the
// callers: only L and M recurse, and they check MaxDepth before they do, so
// hostile input cannot grow the stack.
type decoder struct {
	s       string
	pos     int
	scratch []byte // reused for base64 and escaped strings
}

// ws skips JSON whitespace.
func (d *decoder) ws() {
	for d.pos < len(d.s) {
		switch d.s[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// end checks that only whitespace follows.
func (d *decoder) end() error {
	d.ws()
	if d.pos != len(d.s) {
		return d.syntax("unexpected data after the value")
	}
	return nil
}

func (d *decoder) isNull() bool {
	return strings.HasPrefix(d.s[d.pos:], "null")
}

func (d *decoder) syntax(what string) error {
	return &SerializationError{Message: fmt.Sprintf("Malformed JSON at offset %d: %s", d.pos, what)}
}

// peek returns the next non-space byte, or 0 at the end of input.
func (d *decoder) peek() byte {
	d.ws()
	if d.pos >= len(d.s) {
		return 0
	}
	return d.s[d.pos]
}

// expect consumes c after optional whitespace.
func (d *decoder) expect(c byte) error {
	if d.peek() != c {
		if d.pos >= len(d.s) {
			return d.syntax(fmt.Sprintf("unexpected end of input, expected %q", c))
		}
		return d.syntax(fmt.Sprintf("unexpected %q, expected %q", d.s[d.pos], c))
	}
	d.pos++
	return nil
}

// kindName names the JSON token starting with c the way DynamoDB's parser
// does in its messages.
func kindName(c byte) string {
	switch {
	case c == '"':
		return "STRING_VALUE"
	case c == '-' || (c >= '0' && c <= '9'):
		return "NUMBER_VALUE"
	case c == 't':
		return "TRUE_VALUE"
	case c == 'f':
		return "FALSE_VALUE"
	case c == 'n':
		return "NULL_VALUE"
	}
	return ""
}

// mismatch is the error for a token of the wrong JSON type where a scalar
// of type target ("String", "Boolean", ...) belongs.
func (d *decoder) mismatch(target string) error {
	c := d.peek()
	switch c {
	case '{':
		return &SerializationError{Message: msgUnexpectedOb}
	case '[':
		return &SerializationError{Message: msgUnexpectedLs}
	}
	if k := kindName(c); k != "" {
		return &SerializationError{Message: k + " cannot be converted to " + target}
	}
	if c == 0 {
		return d.syntax("unexpected end of input")
	}
	return d.syntax(fmt.Sprintf("unexpected %q", c))
}

// notContainer is the error for a scalar where a list or map belongs.
func (d *decoder) notContainer(want string) error {
	c := d.peek()
	switch c {
	case '{':
		return &SerializationError{Message: msgUnexpectedOb}
	case '[':
		return &SerializationError{Message: msgUnexpectedLs}
	}
	if k := kindName(c); k != "" {
		return &SerializationError{Message: k + " found where " + want + " was expected"}
	}
	if c == 0 {
		return d.syntax("unexpected end of input")
	}
	return d.syntax(fmt.Sprintf("unexpected %q", c))
}

// value decodes one AttributeValue object into v. depth is the number of L
// and M values enclosing it. DynamoDB counts a top-level attribute as
// level 1 and accepts a leaf at level MaxDepth (31 wrappers), not deeper.
func (d *decoder) value(v *Value, depth int) error {
	if depth >= MaxDepth {
		return &ValidationError{Message: msgNesting}
	}
	c := d.peek()
	if c != '{' {
		if c == 'n' && d.isNull() {
			return &ValidationError{Message: msgEmpty}
		}
		return d.notContainer("an AttributeValue structure")
	}
	d.pos++
	if d.peek() == '}' {
		d.pos++
		return &ValidationError{Message: msgEmpty}
	}
	for {
		key, err := d.str()
		if err != nil {
			return err
		}
		if err := d.expect(':'); err != nil {
			return err
		}
		t, ok := descriptor(key)
		if !ok {
			return &ValidationError{Message: fmt.Sprintf(
				"Supplied AttributeValue has an unsupported datatype %q, must contain exactly one of the supported datatypes", key)}
		}
		if d.peek() == 'n' && d.isNull() {
			d.pos += 4 // a null member is an absent member
		} else {
			if v.Type != 0 {
				return &ValidationError{Message: msgMultiple}
			}
			v.Type = t
			if err := d.typed(v, depth); err != nil {
				return err
			}
		}
		switch d.peek() {
		case ',':
			d.pos++
			continue
		case '}':
			d.pos++
		default:
			return d.syntax("expected ',' or '}' in AttributeValue")
		}
		break
	}
	if v.Type == 0 {
		return &ValidationError{Message: msgEmpty}
	}
	return nil
}

// descriptor maps a type key to its Type without allocating.
func descriptor(k string) (Type, bool) {
	switch k {
	case "S":
		return TypeS, true
	case "N":
		return TypeN, true
	case "B":
		return TypeB, true
	case "BOOL":
		return TypeBOOL, true
	case "NULL":
		return TypeNULL, true
	case "L":
		return TypeL, true
	case "M":
		return TypeM, true
	case "SS":
		return TypeSS, true
	case "NS":
		return TypeNS, true
	case "BS":
		return TypeBS, true
	}
	return 0, false
}

// typed decodes the JSON value of a type key into v, whose Type is set.
func (d *decoder) typed(v *Value, depth int) error {
	switch v.Type {
	case TypeS:
		if d.peek() != '"' {
			return d.mismatch("String")
		}
		s, err := d.str()
		v.S = s
		return err
	case TypeN:
		if d.peek() != '"' {
			return d.mismatch("String")
		}
		s, err := d.str()
		if err != nil {
			return err
		}
		v.S, err = CanonicalNumber(s)
		return err
	case TypeB:
		if d.peek() != '"' {
			return d.mismatch("Blob")
		}
		s, err := d.str()
		if err != nil {
			return err
		}
		v.S, err = d.base64(s)
		return err
	case TypeBOOL, TypeNULL:
		var b bool
		switch {
		case strings.HasPrefix(d.s[d.pos:], "true"):
			b = true
			d.pos += 4
		case strings.HasPrefix(d.s[d.pos:], "false"):
			d.pos += 5
		default:
			return d.mismatch("Boolean")
		}
		if v.Type == TypeNULL {
			if !b {
				return &ValidationError{Message: msgNullFalse}
			}
			return nil
		}
		v.Bool = b
		return nil
	case TypeL:
		if d.peek() != '[' {
			return d.notContainer("a list")
		}
		d.pos++
		v.L = []Value{}
		if d.peek() == ']' {
			d.pos++
			return nil
		}
		for {
			v.L = append(v.L, Value{})
			if err := d.value(&v.L[len(v.L)-1], depth+1); err != nil {
				return err
			}
			switch d.peek() {
			case ',':
				d.pos++
				continue
			case ']':
				d.pos++
				return nil
			}
			return d.syntax("expected ',' or ']' in list")
		}
	case TypeM:
		if d.peek() != '{' {
			return d.notContainer("a structure or map")
		}
		m, err := d.object(depth + 1)
		v.M = m
		return err
	default: // sets
		return d.set(v)
	}
}

// object decodes a JSON object of names to AttributeValues; its values are
// at the given depth. A repeated name keeps the last value, as
// encoding/json does.
func (d *decoder) object(depth int) (map[string]Value, error) {
	if d.peek() != '{' {
		return nil, d.notContainer("a structure or map")
	}
	d.pos++
	m := make(map[string]Value)
	if d.peek() == '}' {
		d.pos++
		return m, nil
	}
	for {
		k, err := d.str()
		if err != nil {
			return nil, err
		}
		if err := d.expect(':'); err != nil {
			return nil, err
		}
		var v Value
		if err := d.value(&v, depth); err != nil {
			return nil, err
		}
		m[k] = v
		switch d.peek() {
		case ',':
			d.pos++
			continue
		case '}':
			d.pos++
			return m, nil
		}
		return nil, d.syntax("expected ',' or '}' in map")
	}
}

// set decodes the JSON array of an SS, NS or BS value and validates it.
func (d *decoder) set(v *Value) error {
	if d.peek() != '[' {
		return d.notContainer("a list")
	}
	d.pos++
	var elems []string
	if d.peek() == ']' {
		d.pos++
	} else {
		target := "String"
		if v.Type == TypeBS {
			target = "Blob"
		}
		for {
			if d.peek() != '"' {
				return d.mismatch(target)
			}
			s, err := d.str()
			if err != nil {
				return err
			}
			switch v.Type {
			case TypeNS:
				if s, err = CanonicalNumber(s); err != nil {
					return err
				}
			case TypeBS:
				if s, err = d.base64(s); err != nil {
					return err
				}
			}
			elems = append(elems, s)
			c := d.peek()
			if c == ',' {
				d.pos++
				continue
			}
			if c == ']' {
				d.pos++
				break
			}
			return d.syntax("expected ',' or ']' in set")
		}
	}
	if len(elems) == 0 {
		switch v.Type {
		case TypeSS:
			return &ValidationError{Message: msgEmptySS}
		case TypeNS:
			return &ValidationError{Message: msgEmptyNS}
		}
		return &ValidationError{Message: msgEmptyBS}
	}
	if hasDuplicates(elems) {
		return &ValidationError{Message: duplicatesMessage(v.Type, elems), Older: olderDuplicatesMessage(v.Type, elems), Kind: KindBadValue}
	}
	v.Set = elems
	return nil
}

// hasDuplicates reports whether a set's elements repeat. Small sets are
// checked pairwise, which beats building a map.
func hasDuplicates(elems []string) bool {
	if len(elems) <= 16 {
		for i := 1; i < len(elems); i++ {
			for j := 0; j < i; j++ {
				if elems[i] == elems[j] {
					return true
				}
			}
		}
		return false
	}
	seen := make(map[string]struct{}, len(elems))
	for _, e := range elems {
		if _, ok := seen[e]; ok {
			return true
		}
		seen[e] = struct{}{}
	}
	return false
}

// olderDuplicatesMessage is duplicatesMessage in the older layer's words:
// the members as given, unquoted ([b, a, b]); a number set's without the
// prefix.
func olderDuplicatesMessage(t Type, elems []string) string {
	if t == TypeNS {
		return "Input collection contains duplicates"
	}
	b := []byte("One or more parameter values were invalid: Input collection [")
	for i, e := range elems {
		if i > 0 {
			b = append(b, ", "...)
		}
		if t == TypeBS {
			b = appendBase64(b, e)
		} else {
			b = append(b, e...)
		}
	}
	if t == TypeBS {
		return string(append(b, "]of type BS contains duplicates."...))
	}
	return string(append(b, "] contains duplicates."...))
}

// duplicatesMessage is DynamoDB's message for a set with repeats. A
// number set's lists nothing. The others list the collection as DynamoDB's
// newer validation layer does (paritysuite/dynamodb-conformance
// valueLayers.test.ts, 2026-10): each distinct member once in sorted
// order, then the repeats in the order given, quoted ("b", "a", "b" is
// ["a", "b", "b"]); binary members in base64 without spaces between them,
// followed by "of type BS" without a space (["AA==","/w==","AA=="]of type
// BS). The older layer, which dynalite copies, listed the members as given
// ([b, a, b]).
func duplicatesMessage(t Type, elems []string) string {
	if t == TypeNS {
		return "One or more parameter values were invalid: Input collection contains duplicates."
	}
	distinct := make([]string, 0, len(elems))
	var repeats []string
	seen := make(map[string]bool, len(elems))
	for _, e := range elems {
		if seen[e] {
			repeats = append(repeats, e)
			continue
		}
		seen[e] = true
		distinct = append(distinct, e)
	}
	slices.Sort(distinct)
	sep := ", "
	if t == TypeBS {
		sep = ","
	}
	b := []byte("One or more parameter values were invalid: Input collection [")
	for i, e := range append(distinct, repeats...) {
		if i > 0 {
			b = append(b, sep...)
		}
		if t == TypeBS {
			b = append(b, '"')
			b = appendBase64(b, e)
			b = append(b, '"')
		} else {
			b = appendString(b, e)
		}
	}
	if t == TypeBS {
		return string(append(b, "]of type BS contains duplicates."...))
	}
	return string(append(b, "] contains duplicates."...))
}

// base64 decodes standard base64 text, padded as DynamoDB's SDKs send it.
func (d *decoder) base64(s string) (string, error) {
	n := base64.StdEncoding.DecodedLen(len(s))
	if cap(d.scratch) < n {
		d.scratch = make([]byte, n)
	}
	buf := d.scratch[:n]
	n, err := base64.StdEncoding.Decode(buf, []byte(s))
	if err != nil {
		return "", &SerializationError{Message: "Base64 encoded binary value is invalid: " + err.Error()}
	}
	return string(buf[:n]), nil
}

// str decodes a JSON string. Strings without escapes are returned as
// substrings of d.s, without copying.
func (d *decoder) str() (string, error) {
	if d.peek() != '"' {
		if d.pos >= len(d.s) {
			return "", d.syntax("unexpected end of input, expected a string")
		}
		return "", d.syntax(fmt.Sprintf("unexpected %q, expected a string", d.s[d.pos]))
	}
	d.pos++
	start := d.pos
	ascii := true
	for i := start; i < len(d.s); i++ {
		c := d.s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\\' {
			// Most strings are short names and values; only a long one
			// is worth plainPrefix's call, after its first 16 bytes.
			if i-start == 16 {
				i = plainPrefix(d.s, i) - 1
			}
			continue
		}
		switch {
		case c == '"':
			s := d.s[start:i]
			if !ascii && !utf8.ValidString(s) {
				return d.strSlow(start)
			}
			d.pos = i + 1
			return s, nil
		case c == '\\':
			return d.strSlow(start)
		case c < 0x20:
			d.pos = i
			return "", d.syntax("control character in string")
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	d.pos = len(d.s)
	return "", d.syntax("unterminated string")
}

// strSlow decodes a string with escapes or invalid UTF-8 (replaced by
// U+FFFD, as encoding/json does), starting after the opening quote.
func (d *decoder) strSlow(start int) (string, error) {
	b := d.scratch[:0]
	i := start
	for i < len(d.s) {
		c := d.s[i]
		switch {
		case c == '"':
			d.pos = i + 1
			d.scratch = b
			return string(b), nil
		case c < 0x20:
			d.pos = i
			return "", d.syntax("control character in string")
		case c == '\\':
			if i+1 >= len(d.s) {
				d.pos = i
				return "", d.syntax("unterminated string")
			}
			e := d.s[i+1]
			i += 2
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := hex4(d.s, i)
				if !ok {
					d.pos = i
					return "", d.syntax("invalid \\u escape")
				}
				i += 4
				if utf16.IsSurrogate(r) {
					r2, ok := rune(-1), false
					if i+6 <= len(d.s) && d.s[i] == '\\' && d.s[i+1] == 'u' {
						r2, ok = hex4(d.s, i+2)
					}
					if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
						r = dec
						i += 6
					} else {
						r = utf8.RuneError
					}
				}
				b = utf8.AppendRune(b, r)
			default:
				d.pos = i - 1
				return "", d.syntax("invalid escape in string")
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(d.s[i:])
			i += size
			b = utf8.AppendRune(b, r) // RuneError for invalid bytes
		}
	}
	d.pos = len(d.s)
	return "", d.syntax("unterminated string")
}

// hex4 parses four hex digits at s[i:].
func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
