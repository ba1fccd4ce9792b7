package test

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// createIndexedTable creates tbl (pk S, sk S) with a GSI byColor (color S,
// n N; INCLUDE x) and an LSI byN (pk, n N; KEYS_ONLY), on demand.
func createIndexedTable(t testing.TB, c *dynamodb.Client, tbl string) *types.TableDescription {
	t.Helper()
	out, err := c.CreateTable(testCtx(t), &dynamodb.CreateTableInput{
		TableName: aws.String(tbl),
		KeySchema: []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}, {AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange}},
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("color"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("n"), AttributeType: types.ScalarAttributeTypeN},
		},
		BillingMode: types.BillingModePayPerRequest,
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
			IndexName:  aws.String("byColor"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("color"), KeyType: types.KeyTypeHash}, {AttributeName: aws.String("n"), KeyType: types.KeyTypeRange}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeInclude, NonKeyAttributes: []string{"x"}},
		}},
		LocalSecondaryIndexes: []types.LocalSecondaryIndex{{
			IndexName:  aws.String("byN"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}, {AttributeName: aws.String("n"), KeyType: types.KeyTypeRange}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly},
		}},
	})
	if err != nil {
		t.Fatalf("CreateTable %s: %v", tbl, err)
	}
	return out.TableDescription
}

// queryIndexAll reads every page of an index query and returns the items.
func queryIndexAll(t testing.TB, c *dynamodb.Client, in *dynamodb.QueryInput) ([]item, int) {
	t.Helper()
	var items []item
	pages := 0
	p := dynamodb.NewQueryPaginator(c, in)
	for p.HasMorePages() {
		page, err := p.NextPage(testCtx(t))
		if err != nil {
			t.Fatalf("Query %s index %s: %v", aws.ToString(in.TableName), aws.ToString(in.IndexName), err)
		}
		pages++
		items = append(items, page.Items...)
	}
	return items, pages
}

func colorQuery(tbl, color string) *dynamodb.QueryInput {
	return &dynamodb.QueryInput{TableName: aws.String(tbl), IndexName: aws.String("byColor"),
		KeyConditionExpression:    aws.String("color = :c"),
		ExpressionAttributeValues: item{":c": s(color)}}
}

func TestIndexes(t *testing.T) {
	t.Parallel()
	c := sharedNode(t).client()
	ctx := testCtx(t)
	tbl := tableName(t)
	desc := createIndexedTable(t, c, tbl)
	if len(desc.GlobalSecondaryIndexes) != 1 || desc.GlobalSecondaryIndexes[0].IndexStatus != types.IndexStatusActive ||
		len(desc.LocalSecondaryIndexes) != 1 || aws.ToString(desc.LocalSecondaryIndexes[0].IndexArn) != aws.ToString(desc.TableArn)+"/index/byN" {
		t.Fatalf("CreateTable description: GSIs %+v LSIs %+v", desc.GlobalSecondaryIndexes, desc.LocalSecondaryIndexes)
	}
	for i := range 30 {
		it := item{"pk": s(fmt.Sprintf("p%d", i%3)), "sk": s(fmt.Sprintf("s%02d", i)), "n": n(fmt.Sprint(i)), "x": s("x"), "y": s("y")}
		if i%5 != 0 { // sparse: every fifth item has no color
			it["color"] = s([]string{"red", "blue"}[i%2])
		}
		put(t, c, tbl, it)
	}

	// GSI query, paged by the SDK paginator: LastEvaluatedKey round-trips.
	in := colorQuery(tbl, "red")
	in.Limit = aws.Int32(4)
	items, pages := queryIndexAll(t, c, in)
	if len(items) != 12 || pages < 3 {
		t.Fatalf("red: %d items in %d pages, want 12 items over several pages", len(items), pages)
	}
	prev := -1
	for _, it := range items {
		var v int
		fmt.Sscan(numOf(t, it["n"]), &v)
		if v <= prev || it["y"] != nil || it["x"] == nil {
			t.Fatalf("GSI items out of order or wrongly projected: %v", it)
		}
		prev = v
	}
	// An update moves the entry at once (never stale within a region).
	if _, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: item{"pk": s("p1"), "sk": s("s01")},
		UpdateExpression: aws.String("SET color = :c"), ExpressionAttributeValues: item{":c": s("green")}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := queryIndexAll(t, c, colorQuery(tbl, "green")); len(got) != 1 {
		t.Fatalf("green right after the update: %v", got)
	}
	// A table with a local index reports the item collection a write
	// touched, and the SDK reads it.
	pout, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item{"pk": s("p2"), "sk": s("s99"), "n": n("99")},
		ReturnItemCollectionMetrics: types.ReturnItemCollectionMetricsSize})
	if err != nil {
		t.Fatal(err)
	}
	if m := pout.ItemCollectionMetrics; m == nil || fmt.Sprint(m.SizeEstimateRangeGB) != "[0 1]" || len(m.ItemCollectionKey) != 1 ||
		m.ItemCollectionKey["pk"].(*types.AttributeValueMemberS).Value != "p2" {
		t.Fatalf("PutItem ItemCollectionMetrics: %+v", m)
	}

	// LSI: KEYS_ONLY projection; ALL_ATTRIBUTES fetches the items.
	lsi := &dynamodb.QueryInput{TableName: aws.String(tbl), IndexName: aws.String("byN"),
		KeyConditionExpression:    aws.String("pk = :p AND n BETWEEN :a AND :b"),
		ExpressionAttributeValues: item{":p": s("p0"), ":a": n("3"), ":b": n("12")}, ScanIndexForward: aws.Bool(false)}
	items, _ = queryIndexAll(t, c, lsi)
	if len(items) != 4 || numOf(t, items[0]["n"]) != "12" || items[0]["x"] != nil {
		t.Fatalf("LSI: %v", items)
	}
	lsi.Select = types.SelectAllAttributes
	lsi.ConsistentRead = aws.Bool(true)
	if items, _ = queryIndexAll(t, c, lsi); len(items) != 4 || items[0]["y"] == nil {
		t.Fatalf("LSI ALL_ATTRIBUTES: %v", items)
	}

	// Parallel Scan of the GSI.
	seen := 0
	for seg := range int32(4) {
		p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String(tbl), IndexName: aws.String("byColor"),
			Segment: aws.Int32(seg), TotalSegments: aws.Int32(4), Limit: aws.Int32(5)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			seen += len(page.Items)
		}
	}
	if seen != 24 {
		t.Fatalf("parallel scan of the GSI saw %d entries, want 24", seen)
	}

	_, err = c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(tbl), IndexName: aws.String("byColor"), ConsistentRead: aws.Bool(true),
		KeyConditionExpression: aws.String("color = :c"), ExpressionAttributeValues: item{":c": s("red")}})
	wantAPIError(t, err, "ValidationException", "Consistent reads are not supported on global secondary indexes")

	// A GSI added later is backfilled, then ACTIVE; the table is UPDATING
	// meanwhile.
	up, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String(tbl),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("y"), AttributeType: types.ScalarAttributeTypeS}},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
			IndexName:  aws.String("byY"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("y"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}}}})
	if err != nil {
		t.Fatalf("UpdateTable create GSI: %v", err)
	}
	if st := up.TableDescription.TableStatus; st != types.TableStatusUpdating {
		t.Fatalf("UpdateTable creating a GSI answered TableStatus %s, want UPDATING", st)
	}
	eventually(t, 30*time.Second, func() error {
		d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(tbl)})
		if err != nil {
			return err
		}
		for _, g := range d.Table.GlobalSecondaryIndexes {
			if aws.ToString(g.IndexName) == "byY" {
				if g.IndexStatus != types.IndexStatusActive || aws.ToInt64(g.ItemCount) != 30 {
					if d.Table.TableStatus != types.TableStatusUpdating {
						t.Errorf("byY is %s but the table is %s, want UPDATING", g.IndexStatus, d.Table.TableStatus)
					}
					return fmt.Errorf("byY: %s, %d items", g.IndexStatus, aws.ToInt64(g.ItemCount))
				}
				if d.Table.TableStatus != types.TableStatusActive {
					return fmt.Errorf("byY is ACTIVE, the table still %s", d.Table.TableStatus)
				}
				return nil
			}
		}
		return fmt.Errorf("byY missing")
	})
	yq := &dynamodb.QueryInput{TableName: aws.String(tbl), IndexName: aws.String("byY"),
		KeyConditionExpression: aws.String("y = :y"), ExpressionAttributeValues: item{":y": s("y")}}
	if items, _ := queryIndexAll(t, c, yq); len(items) != 30 {
		t.Fatalf("byY: %d items, want 30", len(items))
	}
}

// TestIndexesMultiRegion: index definitions replicate with the table, and
// replicated writes maintain the indexes in every region, including a GSI
// added later (each region backfills its own copy).
func TestIndexesMultiRegion(t *testing.T) {
	t.Parallel()
	regions := threeRegions[:2]
	cl := startCluster(t, regions, nil)
	a, b := cl.client(regions[0]), cl.client(regions[1])
	ctx := testCtx(t)
	tbl := tableName(t)
	createIndexedTable(t, a, tbl)
	waitActive(t, b, tbl)
	for i := range 10 {
		put(t, a, tbl, item{"pk": s("p"), "sk": s(fmt.Sprintf("s%02d", i)), "n": n(fmt.Sprint(i)), "color": s("red"), "y": s("y")})
	}
	eventually(t, 30*time.Second, func() error {
		out, err := b.Query(ctx, colorQuery(tbl, "red"))
		if err != nil {
			return err
		}
		if out.Count != 10 {
			return fmt.Errorf("region %s: %d red items, want 10", regions[1], out.Count)
		}
		return nil
	})
	_, err := a.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String(tbl),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("y"), AttributeType: types.ScalarAttributeTypeS}},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
			IndexName:  aws.String("byY"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("y"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly},
		}}}})
	if err != nil {
		t.Fatalf("UpdateTable create GSI: %v", err)
	}
	put(t, b, tbl, item{"pk": s("p"), "sk": s("from-b"), "y": s("y")})
	yq := &dynamodb.QueryInput{TableName: aws.String(tbl), IndexName: aws.String("byY"),
		KeyConditionExpression: aws.String("y = :y"), ExpressionAttributeValues: item{":y": s("y")}}
	for _, c := range []*dynamodb.Client{a, b} {
		eventually(t, 30*time.Second, func() error {
			out, err := c.Query(ctx, yq)
			if err != nil {
				return err
			}
			if out.Count != 11 {
				return fmt.Errorf("%d items in byY, want 11", out.Count)
			}
			return nil
		})
	}
}
