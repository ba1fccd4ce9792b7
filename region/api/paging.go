package api

import (
	"strings"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/expr"
	"github.com/concorddb/concord/storage/item"
)

// maxPageBytes is DynamoDB's limit on the item data one Query or Scan page
// reads (before any filter is applied).
const maxPageBytes = 1 << 20

// readOptions are the parameters Query and Scan share, validated.
type readOptions struct {
	countOnly bool
	limit     int // 0: none
	proj      []expr.Path
	filter    *expr.Condition
	capMode   capacityMode
	// index is the index read (nil for the table); fetch, if set, replaces
	// each index entry by the table's item (indexes.go).
	index *storage.IndexDef
	fetch func(item.Item) (item.Item, error)
	// expired, if set, hides items whose TTL has passed (ttl.go).
	expired func(item.Item) bool
}

// parseSelect validates Select against the projection parameters and
// reports whether only the count is wanted.
func parseSelect(sel string, projExpr *string, attrs []string) (countOnly bool, err error) {
	switch sel {
	case "", "SPECIFIC_ATTRIBUTES", "ALL_ATTRIBUTES", "COUNT":
	case "ALL_PROJECTED_ATTRIBUTES":
		return false, errValidation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")
	default:
		return false, errEnum("select", sel, "SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES")
	}
	if sel == "ALL_ATTRIBUTES" || sel == "COUNT" {
		what := "ALL_ATTRIBUTES"
		if sel == "COUNT" {
			what = "only the Count"
		}
		if projExpr != nil {
			return false, errValidation("Cannot specify the ProjectionExpression when choosing to get %s", what)
		}
		if attrs != nil {
			return false, errValidation("Cannot specify the AttributesToGet when choosing to get %s", what)
		}
	}
	if sel == "SPECIFIC_ATTRIBUTES" && projExpr == nil && attrs == nil {
		return false, errValidation("Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES")
	}
	return sel == "COUNT", nil
}

// parseLimit validates Limit (nil: none).
func parseLimit(limit *int) (int, error) {
	if limit == nil {
		return 0, nil
	}
	if *limit < 1 {
		return 0, errMinValue("limit", *limit, 1)
	}
	return *limit, nil
}

// pager collects one page of Query or Scan results as the store yields
// items, applying DynamoDB's paging rules: Limit counts items read before
// the filter, and a page reads at most maxPageBytes of item data.
type pager struct {
	def  storage.TableDef
	opts *readOptions

	items   []byte // the Items array's elements, comma-separated
	count   int    // items that passed the filter
	scanned int    // items read
	bytes   int    // item data read
	last    item.Item
	more    bool // the page stopped before the end of the range
	err     error
}

// visit is the store's callback.
func (p *pager) visit(it item.Item) bool {
	if p.opts.fetch != nil {
		var err error
		if it, err = p.opts.fetch(it); err != nil {
			p.err = err
			return false
		}
	}
	if p.opts.expired != nil && p.opts.expired(it) {
		return true // expired: as if already deleted
	}
	size := it.Size()
	if p.scanned > 0 && p.bytes+size > maxPageBytes {
		p.more = true
		return false
	}
	p.scanned++
	p.bytes += size
	p.last = it
	keep := true
	if p.opts.filter != nil {
		ok, err := p.opts.filter.Eval(it)
		if err != nil {
			p.err = err
			return false
		}
		keep = ok
	}
	if keep {
		p.count++
		if !p.opts.countOnly {
			if p.count > 1 {
				p.items = append(p.items, ',')
			}
			if p.opts.proj != nil {
				it = expr.Project(it, p.opts.proj)
			}
			p.items = it.AppendJSON(p.items)
		}
	}
	if p.opts.limit > 0 && p.scanned >= p.opts.limit {
		p.more = true
		return false
	}
	return true
}

// response renders the page.
func (p *pager) response(consistent bool) []byte {
	w := newBody(len(p.items) + 128)
	if !p.opts.countOnly {
		w.key("Items")
		w.b = append(w.b, '[')
		w.b = append(w.b, p.items...)
		w.b = append(w.b, ']')
	}
	w.int("Count", p.count)
	w.int("ScannedCount", p.scanned)
	if p.more && p.last != nil {
		w.item("LastEvaluatedKey", p.lastEvaluatedKey())
	}
	w.capacity(p.opts.capMode, p.def.Name, table.ReadUnits(p.bytes, consistent))
	return w.bytes()
}

// filterKeyAttr returns the first key attribute a FilterExpression names
// at the top of a document path, or "". It scans the expression's tokens:
// a path starts with a name or a #placeholder that follows neither '.' nor
// ':' and is not a function name or keyword.
func filterKeyAttr(def storage.TableDef, s string, names map[string]string) string {
	isName := func(c byte) bool {
		return c == '_' || c == '#' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	}
	prev := byte(' ')
	for i := 0; i < len(s); {
		c := s[i]
		if !isName(c) {
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
				prev = c
			}
			i++
			continue
		}
		j := i
		for j < len(s) && isName(s[j]) {
			j++
		}
		tok := s[i:j]
		k := j
		for k < len(s) && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r') {
			k++
		}
		isCall := k < len(s) && s[k] == '('
		if prev != '.' && prev != ':' && !isCall && !(tok[0] >= '0' && tok[0] <= '9') {
			name := tok
			if tok[0] == '#' {
				name = names[tok]
			}
			switch strings.ToUpper(tok) {
			case "AND", "OR", "NOT", "BETWEEN", "IN":
			default:
				if table.IsKeyAttr(def, name) {
					return name
				}
			}
		}
		prev = 'a'
		i = j
	}
	return ""
}

// checkStartKey validates a Query's or Scan's ExclusiveStartKey: the
// table's key, or for an index read the index key and the table key.
func checkStartKey(def storage.TableDef, ix *indexRead, key item.Item) error {
	if ix != nil {
		return checkIndexStartKey(def, ix.x, key)
	}
	if err := storage.ValidateKey(def, key); err != nil {
		return errStartKey(err)
	}
	return nil
}

// result turns the outcome of the storage read that fed p into the
// Query or Scan response.
func (p *pager) result(err error, indexName *string, consistent bool) ([]byte, error) {
	if isIndexNotFound(err) && indexName != nil {
		return nil, errValidation("The table does not have the specified index: %s", *indexName)
	}
	if err != nil {
		return nil, err
	}
	if p.err != nil {
		return nil, p.err
	}
	return p.response(consistent), nil
}

// pageParams are the members Query and Scan share that readOptions parses.
type pageParams struct {
	IndexName              *string
	Select                 string
	AttributesToGet        []string
	Limit                  *int
	ReturnConsumedCapacity string
	ProjectionExpression   *string
}

// readOptions checks the table name (tableName, not a pageParams member
// since it is the request's own) and parses the capacity mode, Limit and
// Select of a Query or Scan, in DynamoDB's order of checks.
func (p *pageParams) readOptions(tableName *string) (readOptions, error) {
	var opts readOptions
	var v validationErrors // reported together; the order is not measured
	opts.capMode = v.capacityMode(p.ReturnConsumedCapacity)
	checkTableRef(&v, "tableName", tableName)
	err := v.err()
	if err != nil {
		return opts, err
	}
	if opts.limit, err = parseLimit(p.Limit); err != nil {
		return opts, err
	}
	opts.countOnly, err = parseSelect(indexSelect(p.IndexName, p.Select), p.ProjectionExpression, p.AttributesToGet)
	return opts, err
}
