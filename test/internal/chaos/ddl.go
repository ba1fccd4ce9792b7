package chaos

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// ddlTables are the tables the DDL traffic creates, deletes and changes
// while clients write to them. Their items are not judged one by one:
// a run checks only that every region ends with the same definition and
// the same digest.
var ddlTables = []string{"chaos-ddl-0", "chaos-ddl-1"}

// ddlIndexes are the indexes added to and removed from them, each on its
// own attribute.
var ddlIndexes = []struct{ name, attr string }{{"byH", "h"}, {"byI", "i"}}

const (
	ddlKeys         = 24
	ddlPause        = 1500 * time.Millisecond // mean pause between schema changes
	ddlItemInterval = 100 * time.Millisecond  // mean pause between item writes
)

// ddl is the schema traffic: CreateTable (now and then in two regions
// at once, just after a DeleteTable), DeleteTable, UpdateTable adding or removing an index, and
// UpdateTimeToLive, on ddlTables, in random regions, with item writes
// beside it.
type ddl struct {
	c     *cluster
	stats *opStats
	seed  uint64
	// oneCreator makes every CreateTable of a DDL table go to one region,
	// its own (ddlTables[t] to region t), so that no two regions ever
	// create one name concurrently; the step that would create a table
	// in two regions at once creates it there only.
	oneCreator bool
}

func (d *ddl) run(ctx context.Context, stop <-chan struct{}, wg *sync.WaitGroup) {
	wg.Add(2)
	go func() {
		defer wg.Done()
		d.schema(ctx, stop)
	}()
	go func() {
		defer wg.Done()
		d.items(ctx, stop)
	}()
}

// pick returns a random region's session, waiting for it to be up.
func (d *ddl) pick(ctx context.Context, stop <-chan struct{}, rng *rand.Rand) (session, string, bool) {
	name := d.c.names[rng.IntN(len(d.c.names))]
	s, ok := d.c.regions[name].waitUp(ctx, stop)
	return s, name, ok
}

func createDDLInput(name string, withIndex bool) *dynamodb.CreateTableInput {
	in := &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		BillingMode:          types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
	}
	if withIndex {
		x := ddlIndexes[0]
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{AttributeName: aws.String(x.attr), AttributeType: types.ScalarAttributeTypeS})
		in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{{IndexName: aws.String(x.name),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String(x.attr), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll}}}
	}
	return in
}

// schema changes the DDL tables until stop.
func (d *ddl) schema(ctx context.Context, stop <-chan struct{}) {
	rng := rand.New(rand.NewPCG(d.seed, 7))
	next := time.Now()
	for {
		next = next.Add(time.Duration(float64(ddlPause) * (0.3 + 1.4*rng.Float64())))
		if now := time.Now(); next.Before(now) {
			next = now
		}
		if !sleepUntil(ctx, stop, next) {
			return
		}
		t := rng.IntN(len(ddlTables))
		tbl := ddlTables[t]
		p := rng.IntN(100)
		withIndex := rng.IntN(3) == 0
		x := ddlIndexes[rng.IntN(len(ddlIndexes))]
		enable := rng.IntN(2) == 0
		// Both regions are drawn every time, so that the sequence of
		// draws does not depend on which case runs.
		i := rng.IntN(len(d.c.names))
		j := (i + 1 + rng.IntN(len(d.c.names)-1)) % len(d.c.names)
		if d.oneCreator && p < 32 {
			i = t % len(d.c.names)
		}
		s, ok := d.c.regions[d.c.names[i]].waitUp(ctx, stop)
		if !ok {
			return
		}
		octx, cancel := context.WithTimeout(ctx, opTimeout)
		switch {
		case p < 22, p < 32 && d.oneCreator:
			_, err := s.client.CreateTable(octx, createDDLInput(tbl, withIndex))
			d.record("ddl-create-table", err)
		case p < 32: // deleted, then created in two regions at once
			_, err := s.client.DeleteTable(octx, &dynamodb.DeleteTableInput{TableName: aws.String(tbl)})
			d.record("ddl-delete-table", err)
			if !sleepUntil(ctx, stop, time.Now().Add(500*time.Millisecond)) { // the deletion reaches the others, unless cut off
				cancel()
				return
			}
			sessions := []session{s}
			if s2, ok := d.c.regions[d.c.names[j]].current(); ok {
				sessions = append(sessions, s2)
			}
			var wg sync.WaitGroup
			for _, s := range sessions {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := s.client.CreateTable(octx, createDDLInput(tbl, withIndex))
					d.record("ddl-create-table-race", err)
				}()
			}
			wg.Wait()
		case p < 44:
			_, err := s.client.DeleteTable(octx, &dynamodb.DeleteTableInput{TableName: aws.String(tbl)})
			d.record("ddl-delete-table", err)
		case p < 60:
			_, err := s.client.UpdateTable(octx, &dynamodb.UpdateTableInput{TableName: aws.String(tbl),
				AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String(x.attr), AttributeType: types.ScalarAttributeTypeS}},
				GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
					IndexName:  aws.String(x.name),
					KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String(x.attr), KeyType: types.KeyTypeHash}},
					Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
				}}}})
			d.record("ddl-add-index", err)
		case p < 72:
			_, err := s.client.UpdateTable(octx, &dynamodb.UpdateTableInput{TableName: aws.String(tbl),
				GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Delete: &types.DeleteGlobalSecondaryIndexAction{
					IndexName: aws.String(x.name)}}}})
			d.record("ddl-remove-index", err)
		default:
			_, err := s.client.UpdateTimeToLive(octx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String(tbl),
				TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String("exp"), Enabled: aws.Bool(enable)}})
			d.record("ddl-ttl", err)
		}
		cancel()
	}
}

func (d *ddl) record(kind string, err error) {
	o, code := classify(err)
	d.stats.add(kind, o, code)
}

// items writes to the DDL tables until stop: puts (some with an expiry
// long past, which Time to Live removes when it is on; others a year
// ahead) and deletes.
func (d *ddl) items(ctx context.Context, stop <-chan struct{}) {
	rng := rand.New(rand.NewPCG(d.seed, 8))
	next := time.Now()
	past := time.Now().Add(-24 * time.Hour).Unix()
	future := time.Now().Add(365 * 24 * time.Hour).Unix()
	for seq := 0; ; seq++ {
		next = next.Add(time.Duration(float64(ddlItemInterval) * (0.5 + rng.Float64())))
		if now := time.Now(); next.Before(now.Add(-ddlItemInterval)) {
			next = now
		}
		if !sleepUntil(ctx, stop, next) {
			return
		}
		tbl := aws.String(ddlTables[rng.IntN(len(ddlTables))])
		k := item{"pk": str(fmt.Sprintf("d%02d", rng.IntN(ddlKeys)))}
		del := rng.IntN(10) < 3
		it := item{"pk": k["pk"], "v": str(fmt.Sprintf("ddl/%d", seq))}
		if rng.IntN(10) < 3 {
			it["exp"] = num(fmt.Sprint(past))
		} else {
			it["exp"] = num(fmt.Sprint(future))
		}
		for _, x := range ddlIndexes {
			if rng.IntN(2) == 0 {
				it[x.attr] = str(fmt.Sprintf("%s%d", x.attr, rng.IntN(3)))
			}
		}
		s, _, ok := d.pick(ctx, stop, rng)
		if !ok {
			return
		}
		octx, cancel := context.WithTimeout(ctx, opTimeout)
		if del {
			_, err := s.client.DeleteItem(octx, &dynamodb.DeleteItemInput{TableName: tbl, Key: k})
			d.record("ddl-item-delete", err)
		} else {
			_, err := s.client.PutItem(octx, &dynamodb.PutItemInput{TableName: tbl, Item: it})
			d.record("ddl-item-put", err)
		}
		cancel()
	}
}

// describeDefinition renders what of a DDL table's definition must be
// equal in every region ("absent" when the region has no such table),
// and whether the table and its indexes are ACTIVE.
func describeDefinition(ctx context.Context, c *dynamodb.Client, name string) (string, bool, error) {
	out, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		var code string
		if o, cd := classify(err); o == notApplied {
			code = cd
		}
		if code == "ResourceNotFoundException" {
			return "absent", true, nil
		}
		return "", false, err
	}
	t := out.Table
	ready := t.TableStatus == types.TableStatusActive
	var b strings.Builder
	fmt.Fprintf(&b, "keys %s", keySchema(t.KeySchema))
	var attrs []string
	for _, a := range t.AttributeDefinitions {
		attrs = append(attrs, aws.ToString(a.AttributeName)+":"+string(a.AttributeType))
	}
	slices.Sort(attrs)
	fmt.Fprintf(&b, " attributes %v", attrs)
	var xs []string
	for _, x := range t.GlobalSecondaryIndexes {
		proj := ""
		if x.Projection != nil {
			proj = string(x.Projection.ProjectionType)
		}
		xs = append(xs, fmt.Sprintf("%s%s/%s", aws.ToString(x.IndexName), keySchema(x.KeySchema), proj))
		if x.IndexStatus != types.IndexStatusActive {
			ready = false
		}
	}
	slices.Sort(xs)
	fmt.Fprintf(&b, " indexes %v", xs)
	var rs []string
	for _, r := range t.Replicas {
		rs = append(rs, aws.ToString(r.RegionName))
	}
	slices.Sort(rs)
	fmt.Fprintf(&b, " replicas %v", rs)
	ttl, err := c.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(name)})
	if err != nil {
		return "", false, err
	}
	if d := ttl.TimeToLiveDescription; d != nil {
		fmt.Fprintf(&b, " ttl %s", d.TimeToLiveStatus)
		if d.AttributeName != nil {
			fmt.Fprintf(&b, "(%s)", aws.ToString(d.AttributeName))
		}
	}
	return b.String(), ready, nil
}

func keySchema(ks []types.KeySchemaElement) string {
	var parts []string
	for _, k := range ks {
		parts = append(parts, aws.ToString(k.AttributeName)+":"+string(k.KeyType))
	}
	return "(" + strings.Join(parts, ",") + ")"
}
