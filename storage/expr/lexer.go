package expr

import (
	"github.com/concorddb/concord/storage/item"
)

// tokKind classifies a token.
type tokKind uint8

const (
	tEOF    tokKind = iota
	tIdent          // bare name or keyword: a, AND, attribute_exists
	tName           // #placeholder
	tValue          // :placeholder
	tNumber         // digits, only meaningful inside [ ]
	tPunct          // = <> < <= > >= ( ) [ ] , . + -
)

// token is one lexeme of an expression; pos and end index the source.
type token struct {
	kind     tokKind
	text     string
	pos, end int
}

func isIdentStart(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func isIdentChar(c byte) bool { return isIdentStart(c) || isDigit(c) }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// lex splits s into tokens, ending with a tEOF token. which names the
// expression parameter for messages.
func lex(which, s string) ([]token, error) {
	var toks []token
	i := 0
	for {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			toks = append(toks, token{kind: tEOF, text: "<EOF>", pos: len(s), end: len(s)})
			return toks, nil
		}
		start := i
		c := s[i]
		var kind tokKind
		switch {
		case isIdentStart(c):
			for i < len(s) && isIdentChar(s[i]) {
				i++
			}
			kind = tIdent
		case isDigit(c):
			for i < len(s) && isDigit(s[i]) {
				i++
			}
			kind = tNumber
		case c == '#' || c == ':':
			i++
			for i < len(s) && isIdentChar(s[i]) {
				i++
			}
			kind = tName
			if c == ':' {
				kind = tValue
			}
			if i == start+1 {
				return nil, syntaxError(which, s, toks, token{kind: tPunct, text: s[start:i], pos: start, end: i})
			}
		case c == '<':
			i++
			if i < len(s) && (s[i] == '=' || s[i] == '>') {
				i++
			}
			kind = tPunct
		case c == '>' || c == '!':
			// '!' is a token of DynamoDB's grammar that no rule takes:
			// "!!!" is a syntax error at "!", not an invalid character.
			i++
			if i < len(s) && s[i] == '=' {
				i++
			}
			kind = tPunct
		case c == '=' || c == '(' || c == ')' || c == '[' || c == ']' || c == ',' || c == '.' || c == '+' || c == '-':
			i++
			kind = tPunct
		default:
			// One whole UTF-8 sequence, so the message quotes a character.
			i++
			for i < len(s) && s[i]&0xC0 == 0x80 {
				i++
			}
			return nil, item.Invalidf("Invalid %s: Invalid character encountered; character: %q, near: %q", which, s[start:i], near(s, toks, start, i))
		}
		toks = append(toks, token{kind: kind, text: s[start:i], pos: start, end: i})
	}
}

// near returns the source from the token before [pos,end) to the end of
// the following token, as DynamoDB's syntax errors show it.
func near(s string, toks []token, pos, end int) string {
	from := pos
	for k := len(toks) - 1; k >= 0; k-- {
		if toks[k].end <= pos {
			from = toks[k].pos
			break
		}
	}
	// The next token: skip space, then take one lexeme roughly.
	j := end
	for j < len(s) && isSpace(s[j]) {
		j++
	}
	k := j
	switch {
	case k >= len(s):
	case isIdentChar(s[k]) || s[k] == '#' || s[k] == ':':
		k++
		for k < len(s) && isIdentChar(s[k]) {
			k++
		}
	default:
		k++
		if k < len(s) && (s[k] == '=' || s[k] == '>') && (s[k-1] == '<' || s[k-1] == '>') {
			k++
		}
	}
	if k == j {
		k = end
	}
	return s[from:k]
}

// syntaxError is DynamoDB's message for an unexpected token.
func syntaxError(which, s string, before []token, t token) error {
	return item.Invalidf("Invalid %s: Syntax error; token: %q, near: %q", which, t.text, near(s, before, t.pos, t.end))
}
