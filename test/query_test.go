package test

import (
	"fmt"
	"math/big"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// sortedNumbers is in ascending numeric order.
var sortedNumbers = []string{"-1e10", "-100", "-1.5", "-1", "-0.001", "0", "0.001", "0.5", "1", "1.5", "2", "10", "100", "12345.678", "1e10"}

func TestQueryNumberSortKeys(t *testing.T) {
	t.Parallel()
	c := sharedNode(t).client()
	ctx := testCtx(t)
	tbl := createPKSK(t, c, types.ScalarAttributeTypeN)
	// Insert in a scrambled order.
	for _, i := range []int{7, 2, 14, 0, 9, 4, 11, 1, 13, 5, 3, 12, 8, 6, 10} {
		put(t, c, tbl, item{"pk": s("h"), "sk": n(sortedNumbers[i]), "i": n(fmt.Sprint(i))})
	}
	put(t, c, tbl, item{"pk": s("other"), "sk": n("0")})
	query := func(t *testing.T, cond string, vals item, forward bool) []int {
		t.Helper()
		out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: aws.String(cond),
			ExpressionAttributeValues: withValue(vals, ":h", s("h")), ScanIndexForward: aws.Bool(forward)})
		if err != nil {
			t.Fatalf("Query %q: %v", cond, err)
		}
		var got []int
		for _, it := range out.Items {
			var i int
			fmt.Sscan(numOf(t, it["i"]), &i)
			got = append(got, i)
		}
		if int(out.Count) != len(out.Items) {
			t.Errorf("Count %d, %d items", out.Count, len(out.Items))
		}
		return got
	}
	seq := func(lo, hi int) []int {
		var r []int
		for i := lo; i <= hi; i++ {
			r = append(r, i)
		}
		return r
	}
	rev := func(r []int) []int {
		out := append([]int(nil), r...)
		sort.Sort(sort.Reverse(sort.IntSlice(out)))
		return out
	}
	cases := []struct {
		name string
		cond string
		vals item
		want []int
	}{
		{"all", "pk = :h", nil, seq(0, 14)},
		{"eq", "pk = :h AND sk = :v", item{":v": n("-1.50")}, []int{2}},
		{"lt", "pk = :h AND sk < :v", item{":v": n("0")}, seq(0, 4)},
		{"le", "pk = :h AND sk <= :v", item{":v": n("0")}, seq(0, 5)},
		{"gt", "pk = :h AND sk > :v", item{":v": n("1.5")}, seq(10, 14)},
		{"ge", "pk = :h AND sk >= :v", item{":v": n("1.5")}, seq(9, 14)},
		{"between", "pk = :h AND sk BETWEEN :a AND :b", item{":a": n("-1"), ":b": n("1")}, seq(3, 8)},
		{"reversed operands", ":h = pk AND :v < sk", item{":v": n("100")}, []int{13, 14}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := query(t, tc.cond, tc.vals, true); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ascending = %v, want %v", got, tc.want)
			}
			if got := query(t, tc.cond, tc.vals, false); !reflect.DeepEqual(got, rev(tc.want)) {
				t.Errorf("descending = %v, want %v", got, rev(tc.want))
			}
		})
	}
	badCases := []struct {
		name, cond string
		vals       item
		msg        string
	}{
		{"no partition key", "sk > :v", item{":v": n("1")}, ""},
		{"range on partition key", "pk > :h", nil, ""},
		{"non-key attribute", "pk = :h AND i = :v", item{":v": n("1")}, ""},
		{"begins_with on N", "pk = :h AND begins_with(sk, :v)", item{":v": n("1")}, ""},
		{"OR", "pk = :h OR sk = :v", item{":v": n("1")}, ""},
		{"wrong key type", "pk = :h AND sk = :v", item{":v": s("1")}, ""},
	}
	for _, tc := range badCases {
		t.Run("error/"+tc.name, func(t *testing.T) {
			_, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: aws.String(tc.cond),
				ExpressionAttributeValues: withValue(tc.vals, ":h", s("h"))})
			wantAPIError(t, err, "ValidationException", tc.msg)
		})
	}
}

func TestQueryStringAndBinaryKeys(t *testing.T) {
	t.Parallel()
	c := sharedNode(t).client()
	ctx := testCtx(t)
	tbl := createPKSK(t, c, types.ScalarAttributeTypeS)
	words := []string{"a", "ab", "abc", "abd", "b", "B", "ba", "z", "é"}
	for _, w := range words {
		put(t, c, tbl, item{"pk": s("h"), "sk": s(w)})
	}
	out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: aws.String("pk = :h AND begins_with(sk, :p)"),
		ExpressionAttributeValues: item{":h": s("h"), ":p": s("ab")}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range out.Items {
		got = append(got, strOf(t, it["sk"]))
	}
	if want := []string{"ab", "abc", "abd"}; !reflect.DeepEqual(got, want) {
		t.Errorf("begins_with = %v, want %v", got, want)
	}
	// S keys sort by UTF-8 bytes: "B" < "a" < ... < "z" < "é".
	out, err = c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: aws.String("pk = :h"),
		ExpressionAttributeValues: item{":h": s("h")}})
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, it := range out.Items {
		got = append(got, strOf(t, it["sk"]))
	}
	want := append([]string(nil), words...)
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("S order = %v, want %v", got, want)
	}

	btbl := createPKSK(t, c, types.ScalarAttributeTypeB)
	bins := [][]byte{{0}, {0, 0}, {0, 1}, {1}, {0x7f}, {0x80}, {0xff}, {0xff, 0}}
	for _, i := range []int{4, 1, 7, 0, 6, 2, 5, 3} {
		put(t, c, btbl, item{"pk": s("h"), "sk": b(bins[i])})
	}
	out, err = c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(btbl), KeyConditionExpression: aws.String("pk = :h AND sk >= :lo"),
		ExpressionAttributeValues: item{":h": s("h"), ":lo": b([]byte{0, 1})}})
	if err != nil {
		t.Fatal(err)
	}
	var gotB [][]byte
	for _, it := range out.Items {
		gotB = append(gotB, it["sk"].(*types.AttributeValueMemberB).Value)
	}
	if !reflect.DeepEqual(gotB, bins[2:]) {
		t.Errorf("B order (unsigned bytes) = %v, want %v", gotB, bins[2:])
	}
}

func TestQueryFilterProjectionSelectPaging(t *testing.T) {
	t.Parallel()
	c := sharedNode(t).client()
	ctx := testCtx(t)
	tbl := createPKSK(t, c, types.ScalarAttributeTypeN)
	const total = 50
	for i := range total {
		put(t, c, tbl, item{"pk": s("h"), "sk": n(fmt.Sprint(i)), "even": boolean(i%2 == 0), "payload": s("p"), "m": mapv(item{"a": n(fmt.Sprint(i)), "b": s("b")})})
	}
	// Filter: Count counts matches, ScannedCount counts evaluated items.
	out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: aws.String("pk = :h"),
		FilterExpression: aws.String("even = :t AND m.a < :ten"), ExpressionAttributeValues: item{":h": s("h"), ":t": boolean(true), ":ten": n("10")},
		ProjectionExpression: aws.String("sk, m.a")})
	if err != nil {
		t.Fatal(err)
	}
	if out.Count != 5 || out.ScannedCount != total {
		t.Errorf("filter Count %d ScannedCount %d, want 5 %d", out.Count, out.ScannedCount, total)
	}
	if len(out.Items) > 0 {
		want := item{"sk": n("0"), "m": mapv(item{"a": n("0")})}
		if !reflect.DeepEqual(out.Items[0], want) {
			t.Errorf("projected item = %#v, want %#v", out.Items[0], want)
		}
	}
	// Select COUNT returns no items.
	cnt, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: aws.String("pk = :h"),
		ExpressionAttributeValues: item{":h": s("h")}, Select: types.SelectCount})
	if err != nil {
		t.Fatal(err)
	}
	if cnt.Count != total || len(cnt.Items) != 0 {
		t.Errorf("Select COUNT: Count %d, %d items", cnt.Count, len(cnt.Items))
	}
	t.Run("SPECIFIC_ATTRIBUTES without projection", func(t *testing.T) {
		_, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: aws.String("pk = :h"),
			ExpressionAttributeValues: item{":h": s("h")}, Select: types.SelectSpecificAttributes})
		wantAPIError(t, err, "ValidationException", "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES")
	})
	// Limit + ExclusiveStartKey to the end, both directions, with a filter:
	// Limit bounds evaluated items, not matches.
	for _, forward := range []bool{true, false} {
		var got []string
		var start item
		pages := 0
		for {
			out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: aws.String("pk = :h"),
				FilterExpression: aws.String("even = :t"), ExpressionAttributeValues: item{":h": s("h"), ":t": boolean(true)},
				Limit: aws.Int32(7), ExclusiveStartKey: start, ScanIndexForward: aws.Bool(forward)})
			if err != nil {
				t.Fatal(err)
			}
			pages++
			if out.ScannedCount > 7 {
				t.Fatalf("ScannedCount %d > Limit 7", out.ScannedCount)
			}
			for _, it := range out.Items {
				got = append(got, numOf(t, it["sk"]))
			}
			if out.LastEvaluatedKey == nil {
				break
			}
			if len(out.LastEvaluatedKey) != 2 {
				t.Errorf("LastEvaluatedKey = %v, want pk and sk only", out.LastEvaluatedKey)
			}
			start = out.LastEvaluatedKey
			if pages > 20 {
				t.Fatal("paging does not end")
			}
		}
		if len(got) != total/2 || pages < 8 {
			t.Errorf("forward=%v: %d items in %d pages, want %d in >= 8", forward, len(got), pages, total/2)
		}
		if !forward && len(got) > 0 && got[0] != "48" {
			t.Errorf("descending paging starts at %s", got[0])
		}
	}
	// The SDK paginator drains the partition.
	p := dynamodb.NewQueryPaginator(c, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: aws.String("pk = :h"),
		ExpressionAttributeValues: item{":h": s("h")}, Limit: aws.Int32(10)})
	seen := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		seen += len(out.Items)
	}
	if seen != total {
		t.Errorf("paginator saw %d items, want %d", seen, total)
	}
}

func TestQueryOneMegabytePage(t *testing.T) {
	t.Parallel()
	c := sharedNode(t).client()
	ctx := testCtx(t)
	tbl := createPKSK(t, c, types.ScalarAttributeTypeN)
	const items = 25
	big := strings.Repeat("x", 100*1024)
	var wg sync.WaitGroup
	errs := make(chan error, items)
	for i := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item{"pk": s("h"), "sk": n(fmt.Sprint(i)), "data": s(big)}})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	check := func(t *testing.T, page func(start item) (itemsN int, last item)) {
		var start item
		seen, pages := 0, 0
		for {
			got, last := page(start)
			pages++
			seen += got
			if pages == 1 {
				// 1 MB / ~100 KB: about 10 items, never all 25.
				if last == nil || got < 8 || got > 11 {
					t.Errorf("first page: %d items (LastEvaluatedKey %v), want about 10 and a LastEvaluatedKey", got, last != nil)
				}
			}
			if last == nil {
				break
			}
			start = last
			if pages > 10 {
				t.Fatal("paging does not end")
			}
		}
		if seen != items || pages < 3 {
			t.Errorf("%d items in %d pages, want %d in >= 3", seen, pages, items)
		}
	}
	t.Run("Query", func(t *testing.T) {
		check(t, func(start item) (int, item) {
			out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: aws.String("pk = :h"),
				ExpressionAttributeValues: item{":h": s("h")}, ExclusiveStartKey: start})
			if err != nil {
				t.Fatal(err)
			}
			return len(out.Items), out.LastEvaluatedKey
		})
	})
	t.Run("Scan", func(t *testing.T) {
		check(t, func(start item) (int, item) {
			out, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl), ExclusiveStartKey: start})
			if err != nil {
				t.Fatal(err)
			}
			return len(out.Items), out.LastEvaluatedKey
		})
	})
	t.Run("Select COUNT still pages", func(t *testing.T) {
		// The 1 MB limit applies to data read, before projection or COUNT.
		check(t, func(start item) (int, item) {
			out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), KeyConditionExpression: aws.String("pk = :h"),
				ExpressionAttributeValues: item{":h": s("h")}, ExclusiveStartKey: start, Select: types.SelectCount})
			if err != nil {
				t.Fatal(err)
			}
			return int(out.Count), out.LastEvaluatedKey
		})
	})
}

func TestScanPagingAndSegments(t *testing.T) {
	t.Parallel()
	c := sharedNode(t).client()
	ctx := testCtx(t)
	tbl := tableName(t)
	createTable(t, c, tbl, keyDef{"id", types.ScalarAttributeTypeN}, nil)
	const total = 120
	for i := range total {
		put(t, c, tbl, item{"id": n(fmt.Sprint(i)), "mod": n(fmt.Sprint(i % 3))})
	}
	ids := func(t *testing.T, its []item) []string {
		var r []string
		for _, it := range its {
			r = append(r, numOf(t, it["id"]))
		}
		return r
	}
	// Limit paging to the end sees every item exactly once.
	seen := map[string]int{}
	var start item
	for pages := 0; ; pages++ {
		out, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl), Limit: aws.Int32(17), ExclusiveStartKey: start})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Items) > 17 {
			t.Fatalf("page of %d with Limit 17", len(out.Items))
		}
		for _, id := range ids(t, out.Items) {
			seen[id]++
		}
		if out.LastEvaluatedKey == nil {
			break
		}
		start = out.LastEvaluatedKey
		if pages > 20 {
			t.Fatal("paging does not end")
		}
	}
	if len(seen) != total {
		t.Errorf("paged scan saw %d distinct items, want %d", len(seen), total)
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("item %s seen %d times", id, k)
		}
	}
	// Filter on scan.
	out, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl), FilterExpression: aws.String("#m = :z"),
		ExpressionAttributeNames: map[string]string{"#m": "mod"}, ExpressionAttributeValues: item{":z": n("0")}})
	if err != nil {
		t.Fatal(err)
	}
	if out.Count != total/3 || out.ScannedCount != total {
		t.Errorf("scan filter: Count %d ScannedCount %d", out.Count, out.ScannedCount)
	}
	// Parallel scan: segments are disjoint and their union is the table.
	const segs = 4
	owner := map[string]int32{}
	for seg := range int32(segs) {
		var start item
		for {
			out, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl), Segment: aws.Int32(seg), TotalSegments: aws.Int32(segs),
				Limit: aws.Int32(25), ExclusiveStartKey: start})
			if err != nil {
				t.Fatalf("segment %d: %v", seg, err)
			}
			for _, id := range ids(t, out.Items) {
				if prev, dup := owner[id]; dup {
					t.Errorf("item %s in segments %d and %d", id, prev, seg)
				}
				owner[id] = seg
			}
			if out.LastEvaluatedKey == nil {
				break
			}
			start = out.LastEvaluatedKey
		}
	}
	if len(owner) != total {
		t.Errorf("segments cover %d items, want %d", len(owner), total)
	}
	_, err = c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl), Segment: aws.Int32(4), TotalSegments: aws.Int32(4)})
	wantAPIError(t, err, "ValidationException", "Segment")
	_, err = c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tbl), Segment: aws.Int32(0)})
	wantAPIError(t, err, "ValidationException", "TotalSegments")
}

// numEqual reports whether two DynamoDB number strings are numerically equal.
func numEqual(a, b string) bool {
	x, ok1 := new(big.Rat).SetString(a)
	y, ok2 := new(big.Rat).SetString(b)
	return ok1 && ok2 && x.Cmp(y) == 0
}
