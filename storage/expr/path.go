package expr

import (
	"strconv"
	"strings"

	"github.com/concorddb/concord/storage/item"
)

// MaxPathDepth is the deepest document path DynamoDB accepts in an
// expression (it matches item.MaxDepth).
const MaxPathDepth = item.MaxDepth

// MaxListIndex is the largest list index DynamoDB accepts in a document
// path (measured on real DynamoDB: l[4294967294] is accepted, and SET at
// it appends; l[4294967295] is "not within the allowable range").
const MaxListIndex = 1<<32 - 2

// pathString renders p as a.b[3].c.
func pathString(p Path) string {
	var b strings.Builder
	for i, e := range p {
		if e.IsIndex {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(e.Index))
			b.WriteByte(']')
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(e.Name)
	}
	return b.String()
}

// pathList renders p as DynamoDB's overlap messages do: [a, b, [3]].
func pathList(p Path) string {
	parts := make([]string, len(p))
	for i, e := range p {
		if e.IsIndex {
			parts[i] = "[" + strconv.Itoa(e.Index) + "]"
		} else {
			parts[i] = e.Name
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// namePath is the one-element path of a top-level attribute.
func namePath(name string) Path { return Path{{Name: name}} }

// get returns the value at p inside it.
func get(it item.Item, p Path) (item.Value, bool) {
	if len(p) == 0 || p[0].IsIndex {
		return item.Value{}, false
	}
	v, ok := it[p[0].Name]
	if !ok {
		return item.Value{}, false
	}
	for _, e := range p[1:] {
		if v, ok = child(v, e); !ok {
			return item.Value{}, false
		}
	}
	return v, true
}

// child returns the element e of v: a map key or a list index.
func child(v item.Value, e PathElem) (item.Value, bool) {
	if e.IsIndex {
		if v.Type != item.TypeL || e.Index < 0 || e.Index >= len(v.L) {
			return item.Value{}, false
		}
		return v.L[e.Index], true
	}
	if v.Type != item.TypeM {
		return item.Value{}, false
	}
	c, ok := v.M[e.Name]
	return c, ok
}

// overlapError checks paths pairwise and returns DynamoDB's error for the
// first pair where one is a prefix of the other (overlap) or where they
// step into the same value once by key and once by index (conflict).
func overlapError(which string, paths []Path) error {
	for i := 1; i < len(paths); i++ {
		for j := 0; j < i; j++ {
			a, b := paths[j], paths[i]
			n := min(len(a), len(b))
			k := 0
			for k < n && a[k] == b[k] {
				k++
			}
			if k == n {
				return item.Invalidf("Invalid %s: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: %s, path two: %s", which, pathList(a), pathList(b))
			}
			if a[k].IsIndex != b[k].IsIndex {
				return item.Invalidf("Invalid %s: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: %s, path two: %s", which, pathList(a), pathList(b))
			}
		}
	}
	return nil
}
