package test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestTablesCreateKeyTypes(t *testing.T) {
	t.Parallel()
	c := sharedNode(t).client()
	cases := []struct {
		name string
		hash keyDef
		rng  *keyDef
	}{
		{"S", keyDef{"id", types.ScalarAttributeTypeS}, nil},
		{"N", keyDef{"id", types.ScalarAttributeTypeN}, nil},
		{"B", keyDef{"id", types.ScalarAttributeTypeB}, nil},
		{"S-N", keyDef{"pk", types.ScalarAttributeTypeS}, &keyDef{"sk", types.ScalarAttributeTypeN}},
		{"N-B", keyDef{"pk", types.ScalarAttributeTypeN}, &keyDef{"sk", types.ScalarAttributeTypeB}},
		{"B-S", keyDef{"pk", types.ScalarAttributeTypeB}, &keyDef{"sk", types.ScalarAttributeTypeS}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			name := tableName(t)
			desc := createTable(t, c, name, tc.hash, tc.rng)
			if got := aws.ToString(desc.TableName); got != name {
				t.Errorf("TableName = %q, want %q", got, name)
			}
			wantKS := 1
			if tc.rng != nil {
				wantKS = 2
			}
			if len(desc.KeySchema) != wantKS || len(desc.AttributeDefinitions) != wantKS {
				t.Fatalf("KeySchema %d / AttributeDefinitions %d, want %d", len(desc.KeySchema), len(desc.AttributeDefinitions), wantKS)
			}
			if aws.ToString(desc.KeySchema[0].AttributeName) != tc.hash.name || desc.KeySchema[0].KeyType != types.KeyTypeHash {
				t.Errorf("KeySchema[0] = %s %s", aws.ToString(desc.KeySchema[0].AttributeName), desc.KeySchema[0].KeyType)
			}
			if tc.rng != nil && (aws.ToString(desc.KeySchema[1].AttributeName) != tc.rng.name || desc.KeySchema[1].KeyType != types.KeyTypeRange) {
				t.Errorf("KeySchema[1] = %s %s", aws.ToString(desc.KeySchema[1].AttributeName), desc.KeySchema[1].KeyType)
			}
			defs := map[string]types.ScalarAttributeType{}
			for _, d := range desc.AttributeDefinitions {
				defs[aws.ToString(d.AttributeName)] = d.AttributeType
			}
			if defs[tc.hash.name] != tc.hash.typ || (tc.rng != nil && defs[tc.rng.name] != tc.rng.typ) {
				t.Errorf("AttributeDefinitions = %v", defs)
			}
			// A key of each type round-trips.
			key := item{tc.hash.name: sampleKey(tc.hash.typ)}
			if tc.rng != nil {
				key[tc.rng.name] = sampleKey(tc.rng.typ)
			}
			it := item{"v": s("x")}
			for k, v := range key {
				it[k] = v
			}
			put(t, c, name, it)
			if got := get(t, c, name, key); got == nil || strOf(t, got["v"]) != "x" {
				t.Errorf("GetItem = %v", got)
			}
			// Creating it again is ResourceInUseException.
			_, err := c.CreateTable(testCtx(t), &dynamodb.CreateTableInput{
				TableName:            aws.String(name),
				BillingMode:          types.BillingModePayPerRequest,
				AttributeDefinitions: desc.AttributeDefinitions,
				KeySchema:            desc.KeySchema,
			})
			wantAPIError(t, err, "ResourceInUseException")
		})
	}
}

func sampleKey(typ types.ScalarAttributeType) types.AttributeValue {
	switch typ {
	case types.ScalarAttributeTypeN:
		return n("-12.5")
	case types.ScalarAttributeTypeB:
		return b([]byte{0, 1, 2, 0xff})
	}
	return s("key-ü")
}

func TestTablesCreateValidation(t *testing.T) {
	t.Parallel()
	c := sharedNode(t).client()
	name := tableName(t)
	ks := []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}}
	ad := []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}}
	cases := []struct {
		name string
		in   dynamodb.CreateTableInput
		msg  string
	}{
		{"provisioned without throughput", dynamodb.CreateTableInput{TableName: aws.String(name), KeySchema: ks, AttributeDefinitions: ad, BillingMode: types.BillingModeProvisioned}, "ReadCapacityUnits"},
		{"undefined key attribute", dynamodb.CreateTableInput{TableName: aws.String(name), KeySchema: ks, BillingMode: types.BillingModePayPerRequest,
			AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("other"), AttributeType: types.ScalarAttributeTypeS}}}, ""},
		{"short name", dynamodb.CreateTableInput{TableName: aws.String("ab"), KeySchema: ks, AttributeDefinitions: ad, BillingMode: types.BillingModePayPerRequest}, "tableName"},
		{"bad name chars", dynamodb.CreateTableInput{TableName: aws.String("a b c"), KeySchema: ks, AttributeDefinitions: ad, BillingMode: types.BillingModePayPerRequest}, "tableName"},
		{"two hash keys", dynamodb.CreateTableInput{TableName: aws.String(name), BillingMode: types.BillingModePayPerRequest,
			KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}, {AttributeName: aws.String("id2"), KeyType: types.KeyTypeHash}},
			AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}, {AttributeName: aws.String("id2"), AttributeType: types.ScalarAttributeTypeS}}}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateTable(testCtx(t), &tc.in)
			wantAPIError(t, err, "ValidationException", tc.msg)
		})
	}
}

func TestTablesDescribeFields(t *testing.T) {
	t.Parallel()
	c := sharedNode(t).client()
	ctx := testCtx(t)
	name := tableName(t)
	before := time.Now().Add(-5 * time.Minute)
	_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:             aws.String(name),
		BillingMode:           types.BillingModeProvisioned,
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(7)},
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeN},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	d := waitActive(t, c, name)
	if d.TableStatus != types.TableStatusActive {
		t.Errorf("TableStatus = %s", d.TableStatus)
	}
	if d.CreationDateTime == nil || d.CreationDateTime.Before(before) || d.CreationDateTime.After(time.Now().Add(5*time.Minute)) {
		t.Errorf("CreationDateTime = %v, want about now", d.CreationDateTime)
	}
	wantArn := "arn:aws:dynamodb:us-east-1:"
	if arn := aws.ToString(d.TableArn); !strings.HasPrefix(arn, wantArn) || !strings.HasSuffix(arn, ":table/"+name) {
		t.Errorf("TableArn = %q, want %s<account>:table/%s", arn, wantArn, name)
	}
	if id := aws.ToString(d.TableId); len(id) != 36 || strings.Count(id, "-") != 4 {
		t.Errorf("TableId = %q, want a UUID", id)
	}
	if d.ItemCount == nil || *d.ItemCount != 0 || d.TableSizeBytes == nil || *d.TableSizeBytes != 0 {
		t.Errorf("ItemCount %v TableSizeBytes %v, want 0 0", d.ItemCount, d.TableSizeBytes)
	}
	if pt := d.ProvisionedThroughput; pt == nil || aws.ToInt64(pt.ReadCapacityUnits) != 5 || aws.ToInt64(pt.WriteCapacityUnits) != 7 {
		t.Errorf("ProvisionedThroughput = %+v, want 5/7", pt)
	}
	if d.BillingModeSummary != nil && d.BillingModeSummary.BillingMode != types.BillingModeProvisioned {
		t.Errorf("BillingModeSummary = %+v", d.BillingModeSummary)
	}
	// ItemCount and TableSizeBytes are documented as updated about every
	// six hours; a local node may report them live. Only sanity-check.
	for i := range 3 {
		put(t, c, name, item{"pk": s("a"), "sk": n(fmt.Sprint(i)), "data": s(strings.Repeat("x", 100))})
	}
	out, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	if ic := aws.ToInt64(out.Table.ItemCount); ic != 0 && ic != 3 {
		t.Errorf("ItemCount after 3 puts = %d, want 0 (stale) or 3", ic)
	}
	if ts := aws.ToInt64(out.Table.TableSizeBytes); ts < 0 {
		t.Errorf("TableSizeBytes = %d", ts)
	}

	_, err = c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name + "-missing")})
	wantAPIError(t, err, "ResourceNotFoundException", "not found")
}

func TestTablesListPagination(t *testing.T) {
	t.Parallel()
	c := startNode(t, "").client()
	ctx := testCtx(t)
	var want []string
	for i := range 7 {
		name := fmt.Sprintf("list-%02d", i)
		want = append(want, name)
		if _, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
			TableName:            aws.String(name),
			BillingMode:          types.BillingModePayPerRequest,
			AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
			KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := c.ListTables(ctx, &dynamodb.ListTablesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(all.TableNames, want) || all.LastEvaluatedTableName != nil {
		t.Fatalf("ListTables = %v (last %v), want %v sorted, no LastEvaluatedTableName", all.TableNames, aws.ToString(all.LastEvaluatedTableName), want)
	}
	var got []string
	var start *string
	pages := 0
	for {
		out, err := c.ListTables(ctx, &dynamodb.ListTablesInput{Limit: aws.Int32(3), ExclusiveStartTableName: start})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(out.TableNames) > 3 {
			t.Fatalf("page of %d names with Limit 3", len(out.TableNames))
		}
		got = append(got, out.TableNames...)
		if out.LastEvaluatedTableName == nil {
			break
		}
		if *out.LastEvaluatedTableName != out.TableNames[len(out.TableNames)-1] {
			t.Errorf("LastEvaluatedTableName %q is not the page's last name", *out.LastEvaluatedTableName)
		}
		start = out.LastEvaluatedTableName
		if pages > 10 {
			t.Fatal("pagination does not end")
		}
	}
	if !slices.Equal(got, want) || pages < 3 {
		t.Errorf("paged ListTables = %v in %d pages, want %v in 3", got, pages, want)
	}
	// The SDK paginator sees the same.
	p := dynamodb.NewListTablesPaginator(c, &dynamodb.ListTablesInput{Limit: aws.Int32(2)})
	got = nil
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, out.TableNames...)
	}
	if !slices.Equal(got, want) {
		t.Errorf("paginator = %v", got)
	}
	_, err = c.ListTables(ctx, &dynamodb.ListTablesInput{Limit: aws.Int32(101)})
	wantAPIError(t, err, "ValidationException", "100")
}

func TestTablesUpdateAndDelete(t *testing.T) {
	t.Parallel()
	c := sharedNode(t).client()
	ctx := testCtx(t)
	name := tableName(t)
	createTable(t, c, name, keyDef{"id", types.ScalarAttributeTypeS}, nil)
	put(t, c, name, item{"id": s("a")})

	_, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{
		TableName:             aws.String(name),
		BillingMode:           types.BillingModeProvisioned,
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(11), WriteCapacityUnits: aws.Int64(12)},
	})
	if err != nil {
		t.Fatalf("UpdateTable: %v", err)
	}
	d := waitActive(t, c, name)
	if pt := d.ProvisionedThroughput; pt == nil || aws.ToInt64(pt.ReadCapacityUnits) != 11 || aws.ToInt64(pt.WriteCapacityUnits) != 12 {
		t.Errorf("ProvisionedThroughput after update = %+v", pt)
	}
	if d.BillingModeSummary == nil || d.BillingModeSummary.BillingMode != types.BillingModeProvisioned {
		t.Errorf("BillingModeSummary after update = %+v", d.BillingModeSummary)
	}
	// Data survives UpdateTable.
	if got := get(t, c, name, item{"id": s("a")}); got == nil {
		t.Error("item lost by UpdateTable")
	}
	_, err = c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String(name + "-missing"), BillingMode: types.BillingModePayPerRequest})
	wantAPIError(t, err, "ResourceNotFoundException")

	out, err := c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	if err != nil {
		t.Fatalf("DeleteTable: %v", err)
	}
	if aws.ToString(out.TableDescription.TableName) != name {
		t.Errorf("DeleteTable description names %q", aws.ToString(out.TableDescription.TableName))
	}
	eventually(t, 30*time.Second, func() error {
		_, err := c.DescribeTable(context.Background(), &dynamodb.DescribeTableInput{TableName: aws.String(name)})
		if apiErrorCode(err) == "ResourceNotFoundException" {
			return nil
		}
		return fmt.Errorf("DescribeTable after delete: %v", err)
	})
	_, err = c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(name), Key: item{"id": s("a")}})
	wantAPIError(t, err, "ResourceNotFoundException")
	_, err = c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	wantAPIError(t, err, "ResourceNotFoundException")
	// The name can be reused, empty.
	createTable(t, c, name, keyDef{"id", types.ScalarAttributeTypeS}, nil)
	if got := get(t, c, name, item{"id": s("a")}); got != nil {
		t.Errorf("recreated table holds old item %v", got)
	}
}

func TestTablesTags(t *testing.T) {
	t.Parallel()
	c := sharedNode(t).client()
	ctx := testCtx(t)
	name := tableName(t)
	arn := createTable(t, c, name, keyDef{"id", types.ScalarAttributeTypeS}, nil).TableArn
	_, err := c.TagResource(ctx, &dynamodb.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{
		{Key: aws.String("env"), Value: aws.String("test")},
		{Key: aws.String("team"), Value: aws.String("db")},
	}})
	if err != nil {
		t.Fatalf("TagResource: %v", err)
	}
	tags := func() map[string]string {
		out, err := c.ListTagsOfResource(ctx, &dynamodb.ListTagsOfResourceInput{ResourceArn: arn})
		if err != nil {
			t.Fatalf("ListTagsOfResource: %v", err)
		}
		m := map[string]string{}
		for _, tg := range out.Tags {
			m[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
		}
		return m
	}
	if got := tags(); len(got) != 2 || got["env"] != "test" || got["team"] != "db" {
		t.Errorf("tags = %v", got)
	}
	// Tagging an existing key overwrites.
	if _, err := c.TagResource(ctx, &dynamodb.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagResource(ctx, &dynamodb.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"team"}}); err != nil {
		t.Fatalf("UntagResource: %v", err)
	}
	if got := tags(); len(got) != 1 || got["env"] != "prod" {
		t.Errorf("tags after overwrite+untag = %v", got)
	}
	missing := aws.String(strings.TrimSuffix(*arn, name) + name + "-missing")
	_, err = c.ListTagsOfResource(ctx, &dynamodb.ListTagsOfResourceInput{ResourceArn: missing})
	wantAPIError(t, err, "ResourceNotFoundException")
	_, err = c.TagResource(ctx, &dynamodb.TagResourceInput{ResourceArn: aws.String("not-an-arn"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	if code := apiErrorCode(err); code != "ValidationException" && code != "AccessDeniedException" {
		t.Errorf("TagResource bad ARN: %v, want ValidationException or AccessDeniedException", err)
	}
}

func TestTablesDescribeEndpointsAndLimits(t *testing.T) {
	t.Parallel()
	nd := sharedNode(t)
	c := nd.client()
	ctx := testCtx(t)
	ep, err := c.DescribeEndpoints(ctx, &dynamodb.DescribeEndpointsInput{})
	if err != nil {
		t.Fatalf("DescribeEndpoints: %v", err)
	}
	if len(ep.Endpoints) != 1 || !strings.Contains(aws.ToString(ep.Endpoints[0].Address), nd.addr) {
		t.Errorf("DescribeEndpoints = %+v, want the node's address %s", ep.Endpoints, nd.addr)
	} else if ep.Endpoints[0].CachePeriodInMinutes <= 0 {
		t.Errorf("CachePeriodInMinutes = %d", ep.Endpoints[0].CachePeriodInMinutes)
	}
	lim, err := c.DescribeLimits(ctx, &dynamodb.DescribeLimitsInput{})
	if err != nil {
		t.Fatalf("DescribeLimits: %v", err)
	}
	for name, v := range map[string]*int64{
		"AccountMaxReadCapacityUnits":  lim.AccountMaxReadCapacityUnits,
		"AccountMaxWriteCapacityUnits": lim.AccountMaxWriteCapacityUnits,
		"TableMaxReadCapacityUnits":    lim.TableMaxReadCapacityUnits,
		"TableMaxWriteCapacityUnits":   lim.TableMaxWriteCapacityUnits,
	} {
		if aws.ToInt64(v) <= 0 {
			t.Errorf("%s = %v, want > 0", name, v)
		}
	}
}

// TestTablesContinuousBackups: DescribeContinuousBackups, which tools such
// as Terraform read for every table, answers through the SDK that there are
// no backups and no point-in-time recovery; an unknown table is
// TableNotFoundException.
func TestTablesContinuousBackups(t *testing.T) {
	t.Parallel()
	c := sharedNode(t).client()
	ctx := testCtx(t)
	tbl := tableName(t)
	createTable(t, c, tbl, keyDef{"id", types.ScalarAttributeTypeS}, nil)
	out, err := c.DescribeContinuousBackups(ctx, &dynamodb.DescribeContinuousBackupsInput{TableName: aws.String(tbl)})
	if err != nil {
		t.Fatalf("DescribeContinuousBackups: %v", err)
	}
	d := out.ContinuousBackupsDescription
	if d == nil || d.ContinuousBackupsStatus != types.ContinuousBackupsStatusDisabled || d.PointInTimeRecoveryDescription == nil ||
		d.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus != types.PointInTimeRecoveryStatusDisabled {
		t.Fatalf("DescribeContinuousBackups = %+v", d)
	}
	_, err = c.DescribeContinuousBackups(ctx, &dynamodb.DescribeContinuousBackupsInput{TableName: aws.String(tbl + "-none")})
	wantAPIError(t, err, "TableNotFoundException", "Table not found")
}
