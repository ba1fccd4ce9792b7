package chaos

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// scanned is one region's main table: pk -> v, and the index byG:
// pk -> "g=<g> v=<v>".
type scanned struct {
	items regionItems
	index map[string]string
	// want is what the index should hold, from the items.
	want map[string]string
}

// scanMain reads the main table and its index in one region.
func scanMain(ctx context.Context, c *dynamodb.Client) (*scanned, error) {
	sc := &scanned{items: regionItems{}, index: map[string]string{}, want: map[string]string{}}
	strOf := func(it item, name string) string {
		if s, ok := it[name].(*types.AttributeValueMemberS); ok {
			return s.Value
		}
		if it[name] != nil {
			return fmt.Sprintf("<%T>", it[name])
		}
		return "<none>"
	}
	p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String(mainTable), ConsistentRead: aws.Bool(true)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("scan %s: %w", mainTable, err)
		}
		for _, it := range page.Items {
			k := strOf(it, "pk")
			sc.items[k] = strOf(it, "v")
			if _, ok := it["g"]; ok {
				sc.want[k] = fmt.Sprintf("g=%s v=%s", strOf(it, "g"), strOf(it, "v"))
			}
		}
	}
	p = dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String(mainTable), IndexName: aws.String(mainIndex)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("scan %s index %s: %w", mainTable, mainIndex, err)
		}
		for _, it := range page.Items {
			k := strOf(it, "pk")
			if o, dup := sc.index[k]; dup {
				sc.index[k] = o + " AND " + fmt.Sprintf("g=%s v=%s", strOf(it, "g"), strOf(it, "v"))
				continue
			}
			sc.index[k] = fmt.Sprintf("g=%s v=%s", strOf(it, "g"), strOf(it, "v"))
		}
	}
	return sc, nil
}

// indexProblems compares a region's index with its items.
func (sc *scanned) indexProblems(region string) []string {
	var bad []string
	for k, w := range sc.want {
		if got, ok := sc.index[k]; !ok || got != w {
			if !ok {
				got = "nothing"
			}
			bad = append(bad, fmt.Sprintf("%s: index %s holds %s for key %s; the item is %s", region, mainIndex, got, k, w))
		}
	}
	for k, got := range sc.index {
		if _, ok := sc.want[k]; ok {
			continue
		}
		item := "absent"
		if v, ok := sc.items[k]; ok {
			item = fmt.Sprintf("v=%q, without g", v)
		}
		bad = append(bad, fmt.Sprintf("%s: index %s holds %s for key %s; the item is %s", region, mainIndex, got, k, item))
	}
	sort.Strings(bad)
	return bad
}
