package chaos

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"
)

// The main table: every write to it is in the write log and judged
// exactly. Its index byG (on g) is checked against its items.
const (
	mainTable = "chaos"
	mainIndex = "byG"
	// sharedKeys are written from every region; ownKeys per region only
	// from that region (by batches and transactions mostly).
	sharedKeys = 32
	ownKeys    = 16
	// opTimeout bounds one request.
	opTimeout = 20 * time.Second
)

type item = map[string]types.AttributeValue

func str(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func num(v string) types.AttributeValue { return &types.AttributeValueMemberN{Value: v} }

// workload drives the main table from clients in every region.
type workload struct {
	c     *cluster
	log   *writeLog
	stats *opStats
	seed  uint64
	// interval is each client's mean pause between operations.
	interval time.Duration
}

// mainTableInput is the main table's CreateTable.
func mainTableInput() *dynamodb.CreateTableInput {
	return &dynamodb.CreateTableInput{
		TableName:   aws.String(mainTable),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("g"), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
			IndexName:  aws.String(mainIndex),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("g"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}},
	}
}

// run starts one client goroutine per region and client number; they stop
// (each after its operation in flight) when stop closes or ctx ends.
func (wl *workload) run(ctx context.Context, stop <-chan struct{}, clients int, wg *sync.WaitGroup) {
	for ri, name := range wl.c.names {
		for i := range clients {
			id := ri*clients + i
			wg.Add(1)
			go func() {
				defer wg.Done()
				wl.client(ctx, stop, wl.c.regions[name], id)
			}()
		}
	}
}

// client runs one client of region r. Its operations, keys and values
// come from its own generator (seed, id), so a seed replays them; how
// many it gets to do depends on timing.
func (wl *workload) client(ctx context.Context, stop <-chan struct{}, r *regionNode, id int) {
	rng := rand.New(rand.NewPCG(wl.seed, uint64(1000+id)))
	next := time.Now()
	for seq := 0; ; seq++ {
		pause := time.Duration(float64(wl.interval) * (0.5 + rng.Float64()))
		next = next.Add(pause)
		if now := time.Now(); next.Before(now.Add(-wl.interval)) {
			next = now // fell behind (the region was down): no burst
		}
		if !sleepUntil(ctx, stop, next) {
			return
		}
		s, ok := r.waitUp(ctx, stop)
		if !ok {
			return
		}
		wl.op(ctx, rng, s, r.name, id, seq)
	}
}

// sleepUntil waits until t; false if stop closed or ctx ended first.
func sleepUntil(ctx context.Context, stop <-chan struct{}, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		select {
		case <-stop:
			return false
		case <-ctx.Done():
			return false
		default:
			return true
		}
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-stop:
		return false
	case <-ctx.Done():
		return false
	}
}

// key picks a key: one of every region's shared keys with probability
// pShared, else one of region's own.
func key(rng *rand.Rand, region string, pShared float64) string {
	if rng.Float64() < pShared {
		return fmt.Sprintf("c%02d", rng.IntN(sharedKeys))
	}
	return fmt.Sprintf("%s:%02d", region, rng.IntN(ownKeys))
}

// op does one operation, chosen by rng, through s.
func (wl *workload) op(ctx context.Context, rng *rand.Rand, s session, region string, id, seq int) {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	val := fmt.Sprintf("%s/%d/%d", region, id, seq)
	w := func(op, k, v string) *write {
		return &write{key: k, value: v, op: op, region: region, epoch: s.epoch, client: id}
	}
	withG := func(it item) item {
		if rng.IntN(2) == 0 {
			it["g"] = str(fmt.Sprintf("g%d", rng.IntN(4)))
		}
		return it
	}
	tbl := aws.String(mainTable)
	switch p := rng.IntN(100); {
	case p < 25: // PutItem
		k := key(rng, region, 0.75)
		it := withG(item{"pk": str(k), "v": str(val)})
		wr := wl.log.begin(w("put", k, val))[0]
		out, err := s.client.PutItem(ctx, &dynamodb.PutItemInput{TableName: tbl, Item: it})
		wl.single(wr, err, func() middleware.Metadata { return out.ResultMetadata })
	case p < 45: // UpdateItem
		k := key(rng, region, 0.75)
		expr := "SET v = :v, n = if_not_exists(n, :z) + :one"
		vals := item{":v": str(val), ":z": num("0"), ":one": num("1")}
		switch rng.IntN(4) {
		case 0:
			expr += ", g = :g"
			vals[":g"] = str(fmt.Sprintf("g%d", rng.IntN(4)))
		case 1:
			expr += " REMOVE g"
		}
		wr := wl.log.begin(w("update", k, val))[0]
		out, err := s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: tbl, Key: item{"pk": str(k)},
			UpdateExpression: aws.String(expr), ExpressionAttributeValues: vals})
		wl.single(wr, err, func() middleware.Metadata { return out.ResultMetadata })
	case p < 57: // DeleteItem
		k := key(rng, region, 0.75)
		wr := wl.log.begin(w("delete", k, ""))[0]
		out, err := s.client.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: tbl, Key: item{"pk": str(k)}})
		wl.single(wr, err, func() middleware.Metadata { return out.ResultMetadata })
	case p < 67: // conditional PutItem: only if absent
		k := key(rng, region, 0.75)
		it := withG(item{"pk": str(k), "v": str(val)})
		wr := wl.log.begin(w("put-if-absent", k, val))[0]
		out, err := s.client.PutItem(ctx, &dynamodb.PutItemInput{TableName: tbl, Item: it,
			ConditionExpression: aws.String("attribute_not_exists(pk)")})
		wl.single(wr, err, func() middleware.Metadata { return out.ResultMetadata })
	case p < 72: // conditional UpdateItem: only if present
		k := key(rng, region, 0.75)
		wr := wl.log.begin(w("update-if-present", k, val))[0]
		out, err := s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: tbl, Key: item{"pk": str(k)},
			UpdateExpression: aws.String("SET v = :v"), ConditionExpression: aws.String("attribute_exists(pk)"),
			ExpressionAttributeValues: item{":v": str(val)}})
		wl.single(wr, err, func() middleware.Metadata { return out.ResultMetadata })
	case p < 83: // BatchWriteItem
		wl.batch(ctx, rng, s, region, val, w, withG)
	case p < 93: // TransactWriteItems
		wl.transact(ctx, rng, s, region, val, w, withG)
	default: // GetItem
		k := key(rng, region, 0.75)
		_, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{TableName: tbl, Key: item{"pk": str(k)}, ConsistentRead: aws.Bool(rng.IntN(2) == 0)})
		o, code := classify(err)
		wl.stats.add("get", o, code)
	}
}

// single records the outcome of a PutItem, UpdateItem or DeleteItem; md
// is called only on success.
func (wl *workload) single(wr *write, err error, md func() middleware.Metadata) {
	o, code := classify(err)
	var ver *version
	if o == acked {
		v, verr := versionOf(md())
		if verr != nil {
			wl.c.an.add("%s of key %s in %s acknowledged without a usable version: %v", wr.op, wr.key, wr.region, verr)
		} else {
			if v.region != wr.region {
				wl.c.an.add("%s of key %s in %s acknowledged with version %v of another region", wr.op, wr.key, wr.region, v)
			}
			ver = &v
		}
	}
	wl.log.finish(wr, o, ver)
	wl.stats.add(wr.op, o, code)
}

// distinctKeys picks n distinct keys, mostly region's own.
func distinctKeys(rng *rand.Rand, region string, n int) []string {
	seen := map[string]bool{}
	var ks []string
	for len(ks) < n {
		k := key(rng, region, 0.25)
		if !seen[k] {
			seen[k] = true
			ks = append(ks, k)
		}
	}
	return ks
}

// batch does a BatchWriteItem of 2 to 6 puts and deletes.
func (wl *workload) batch(ctx context.Context, rng *rand.Rand, s session, region, val string, w func(op, k, v string) *write, withG func(item) item) {
	var reqs []types.WriteRequest
	var ws []*write
	for i, k := range distinctKeys(rng, region, 2+rng.IntN(5)) {
		if rng.IntN(3) == 0 {
			reqs = append(reqs, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: item{"pk": str(k)}}})
			ws = append(ws, w("batch-delete", k, ""))
			continue
		}
		v := fmt.Sprintf("%s/%d", val, i)
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: withG(item{"pk": str(k), "v": str(v)})}})
		ws = append(ws, w("batch-put", k, v))
	}
	wl.log.begin(ws...)
	out, err := s.client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{mainTable: reqs}})
	o, code := classify(err)
	wl.stats.add("batch", o, code)
	unprocessed := map[string]bool{}
	if err == nil {
		for _, r := range out.UnprocessedItems[mainTable] {
			switch {
			case r.PutRequest != nil:
				unprocessed[r.PutRequest.Item["pk"].(*types.AttributeValueMemberS).Value] = true
			case r.DeleteRequest != nil:
				unprocessed[r.DeleteRequest.Key["pk"].(*types.AttributeValueMemberS).Value] = true
			}
		}
	}
	for _, wr := range ws {
		if unprocessed[wr.key] {
			wl.log.finish(wr, notApplied, nil)
			continue
		}
		wl.log.finish(wr, o, nil)
	}
}

// transact does a TransactWriteItems of 2 to 4 puts, updates and
// deletes, now and then with a condition on one more key that may cancel
// it.
func (wl *workload) transact(ctx context.Context, rng *rand.Rand, s session, region, val string, w func(op, k, v string) *write, withG func(item) item) {
	n := 2 + rng.IntN(3)
	check := rng.IntN(4) == 0
	ks := distinctKeys(rng, region, n+1)
	var acts []types.TransactWriteItem
	var ws []*write
	tbl := aws.String(mainTable)
	for i, k := range ks[:n] {
		v := fmt.Sprintf("%s/%d", val, i)
		switch rng.IntN(3) {
		case 0:
			acts = append(acts, types.TransactWriteItem{Put: &types.Put{TableName: tbl, Item: withG(item{"pk": str(k), "v": str(v)})}})
			ws = append(ws, w("tx-put", k, v))
		case 1:
			acts = append(acts, types.TransactWriteItem{Update: &types.Update{TableName: tbl, Key: item{"pk": str(k)},
				UpdateExpression:          aws.String("SET v = :v, n = if_not_exists(n, :z) + :one"),
				ExpressionAttributeValues: item{":v": str(v), ":z": num("0"), ":one": num("1")}}})
			ws = append(ws, w("tx-update", k, v))
		default:
			acts = append(acts, types.TransactWriteItem{Delete: &types.Delete{TableName: tbl, Key: item{"pk": str(k)}}})
			ws = append(ws, w("tx-delete", k, ""))
		}
	}
	if check {
		acts = append(acts, types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{TableName: tbl,
			Key: item{"pk": str(ks[n])}, ConditionExpression: aws.String("attribute_exists(pk)")}})
	}
	wl.log.begin(ws...)
	_, err := s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: acts})
	o, code := classify(err)
	wl.stats.add("transact", o, code)
	for _, wr := range ws {
		wl.log.finish(wr, o, nil)
	}
}
