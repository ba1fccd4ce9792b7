package expr

import (
	"sort"

	"github.com/concorddb/concord/storage/item"
)

const whichProjection = "ProjectionExpression"

// parseProjection parses path (',' path)*.
func parseProjection(s string, p *Params) ([]Path, error) {
	ps, err := newParser(whichProjection, s, p)
	if err != nil {
		return nil, err
	}
	var paths []Path
	for {
		if t := ps.peek(); !startsPath(t) || ps.isCall() {
			return nil, ps.errAt(ps.next())
		}
		path, err := ps.parsePath()
		if err != nil {
			return nil, err
		}
		paths = append(paths, path)
		if !isPunct(ps.peek(), ",") {
			break
		}
		ps.next()
	}
	if err := ps.expectEOF(); err != nil {
		return nil, err
	}
	if err := overlapError(whichProjection, paths); err != nil {
		return nil, err
	}
	return paths, nil
}

// projNode is the tree of requested paths below one value.
type projNode struct {
	whole bool // the value is projected entirely
	keys  map[string]*projNode
	idx   map[int]*projNode
}

func (n *projNode) add(p Path) {
	for _, e := range p {
		var next *projNode
		if e.IsIndex {
			if n.idx == nil {
				n.idx = map[int]*projNode{}
			}
			if next = n.idx[e.Index]; next == nil {
				next = &projNode{}
				n.idx[e.Index] = next
			}
		} else {
			if n.keys == nil {
				n.keys = map[string]*projNode{}
			}
			if next = n.keys[e.Name]; next == nil {
				next = &projNode{}
				n.keys[e.Name] = next
			}
		}
		n = next
	}
	n.whole = true
}

// project returns the part of v the tree asks for; ok is false when none
// of it exists. Unchanged subtrees are shared with v, which is immutable.
func (n *projNode) project(v item.Value) (item.Value, bool) {
	if n.whole {
		return v, true
	}
	switch {
	case v.Type == item.TypeM && n.keys != nil:
		m := map[string]item.Value{}
		for k, c := range n.keys {
			if cv, ok := v.M[k]; ok {
				if pv, ok := c.project(cv); ok {
					m[k] = pv
				}
			}
		}
		return item.Value{Type: item.TypeM, M: m}, len(m) > 0
	case v.Type == item.TypeL && n.idx != nil:
		ids := make([]int, 0, len(n.idx))
		for i := range n.idx {
			ids = append(ids, i)
		}
		sort.Ints(ids)
		var l []item.Value
		for _, i := range ids {
			if i < len(v.L) {
				if pv, ok := n.idx[i].project(v.L[i]); ok {
					l = append(l, pv)
				}
			}
		}
		return item.Value{Type: item.TypeL, L: l}, len(l) > 0
	}
	return item.Value{}, false
}

// project implements Project.
func project(it item.Item, paths []Path) item.Item {
	if paths == nil {
		return it
	}
	root := &projNode{}
	for _, p := range paths {
		if len(p) > 0 {
			root.add(p)
		}
	}
	out := item.Item{}
	if v, ok := root.project(item.Value{Type: item.TypeM, M: it}); ok {
		out = item.Item(v.M)
	}
	return out
}
