package expr

import (
	"fmt"
	"sort"
	"strings"

	"github.com/concorddb/concord/storage/item"
)

// name resolves a #placeholder through ExpressionAttributeNames and records
// it as used. which names the expression parameter for messages.
func (p *Params) name(which, ref string) (string, error) {
	if p != nil {
		if n, ok := p.Names[ref]; ok {
			if p.usedNames == nil {
				p.usedNames = make(map[string]bool)
			}
			p.usedNames[ref] = true
			return n, nil
		}
	}
	return "", item.Invalidf("Invalid %s: An expression attribute name used in the document path is not defined; attribute name: %s", which, ref)
}

// value resolves a :placeholder through ExpressionAttributeValues and
// records it as used.
func (p *Params) value(which, ref string) (item.Value, error) {
	if p != nil {
		if v, ok := p.Values[ref]; ok {
			if p.usedValues == nil {
				p.usedValues = make(map[string]bool)
			}
			p.usedValues[ref] = true
			return v, nil
		}
	}
	return item.Value{}, &item.ValidationError{Kind: item.KindUndefinedValue,
		Message: fmt.Sprintf("Invalid %s: An expression attribute value used in expression is not defined; attribute value: %s", which, ref)}
}

// checkUnused implements CheckUnused: names are reported before values,
// keys in sorted order.
func (p *Params) checkUnused() error {
	if p == nil {
		return nil
	}
	var names, values []string
	for k := range p.Names {
		if !p.usedNames[k] {
			names = append(names, k)
		}
	}
	if len(names) > 0 {
		sort.Strings(names)
		return item.Invalidf("Value provided in ExpressionAttributeNames unused in expressions: keys: {%s}", strings.Join(names, ", "))
	}
	for k := range p.Values {
		if !p.usedValues[k] {
			values = append(values, k)
		}
	}
	if len(values) > 0 {
		sort.Strings(values)
		return item.Invalidf("Value provided in ExpressionAttributeValues unused in expressions: keys: {%s}", strings.Join(values, ", "))
	}
	return nil
}
