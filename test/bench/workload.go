package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// partitions is how many partition keys the preloaded items spread over.
const partitions = 10

// operations in report order.
var operations = []string{"PutItem", "GetItem", "Query", "UpdateItem"}

// newClient returns an SDK client with its own connection pool.
func newClient(endpoint string, maxConc int) *dynamodb.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = maxConc * 2
	tr.MaxIdleConnsPerHost = maxConc * 2
	tr.MaxConnsPerHost = 0
	return dynamodb.New(dynamodb.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(endpoint),
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		HTTPClient:       &http.Client{Transport: tr, Timeout: 30 * time.Second},
		RetryMaxAttempts: 1, // a failure is counted, not hidden
	})
}

// setup creates the table and preloads cfg.items items.
func setup(ctx context.Context, c *dynamodb.Client, table string, cfg *config) error {
	_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:   aws.String(table),
		BillingMode: types.BillingModePayPerRequest,
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
		return fmt.Errorf("CreateTable: %w", err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		out, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
		if err == nil && out.Table.TableStatus == types.TableStatusActive {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("table %s not ACTIVE within 60s: %v", table, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	// Preload with 8 concurrent BatchWriteItem streams.
	jobs := make(chan []types.WriteRequest)
	errc := make(chan error, 8)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for reqs := range jobs {
				m := map[string][]types.WriteRequest{table: reqs}
				for len(m) > 0 {
					out, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: m})
					if err != nil {
						errc <- fmt.Errorf("BatchWriteItem: %w", err)
						return
					}
					m = out.UnprocessedItems
				}
			}
		}()
	}
	var batch []types.WriteRequest
	for i := range cfg.items {
		batch = append(batch, types.WriteRequest{PutRequest: &types.PutRequest{Item: makeItem(i%partitions, int64(i/partitions), cfg.itemSize)}})
		if len(batch) == 25 || i == cfg.items-1 {
			select {
			case jobs <- batch:
			case err := <-errc:
				close(jobs)
				wg.Wait()
				return err
			}
			batch = nil
		}
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errc:
		return err
	default:
	}
	return nil
}

var payload = strings.Repeat("0123456789abcdef", 1024)

func makeItem(p int, sk int64, size int) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"pk":      &types.AttributeValueMemberS{Value: "p" + strconv.Itoa(p)},
		"sk":      &types.AttributeValueMemberN{Value: strconv.FormatInt(sk, 10)},
		"n":       &types.AttributeValueMemberN{Value: "0"},
		"payload": &types.AttributeValueMemberS{Value: payload[:max(0, min(len(payload), size-40))]},
	}
}

// opFunc performs one operation; worker and seq make keys distinct.
type opFunc func(ctx context.Context, rng *rand.Rand, worker int, seq int64) error

func makeOp(c *dynamodb.Client, table, op string, cfg *config) opFunc {
	perPart := int64(cfg.items / partitions)
	key := func(rng *rand.Rand) map[string]types.AttributeValue {
		return map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "p" + strconv.Itoa(rng.IntN(partitions))},
			"sk": &types.AttributeValueMemberN{Value: strconv.FormatInt(rng.Int64N(perPart), 10)},
		}
	}
	switch op {
	case "PutItem":
		return func(ctx context.Context, _ *rand.Rand, worker int, seq int64) error {
			// Fresh keys in their own partitions, beside the preloaded ones.
			it := makeItem(partitions+worker, seq, cfg.itemSize)
			_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: it})
			return err
		}
	case "GetItem":
		return func(ctx context.Context, rng *rand.Rand, _ int, _ int64) error {
			_, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: key(rng)})
			return err
		}
	case "Query":
		return func(ctx context.Context, rng *rand.Rand, _ int, _ int64) error {
			lo := rng.Int64N(max(1, perPart-10))
			_, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(table),
				KeyConditionExpression: aws.String("pk = :p AND sk >= :lo"),
				ExpressionAttributeValues: map[string]types.AttributeValue{
					":p":  &types.AttributeValueMemberS{Value: "p" + strconv.Itoa(rng.IntN(partitions))},
					":lo": &types.AttributeValueMemberN{Value: strconv.FormatInt(lo, 10)},
				},
				Limit: aws.Int32(10)})
			return err
		}
	case "UpdateItem":
		return func(ctx context.Context, rng *rand.Rand, _ int, _ int64) error {
			_, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(table), Key: key(rng),
				UpdateExpression:          aws.String("SET n = n + :one"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":one": &types.AttributeValueMemberN{Value: "1"}}})
			return err
		}
	}
	panic("bench: unknown operation " + op)
}

// result is one case's measurement.
type result struct {
	target, op string
	conc       int
	ops        int
	errors     int
	firstErr   error
	elapsed    time.Duration
	p50, p99   time.Duration
	// serverCPU is the CPU time the server's processes used during the
	// case (0 if unknown); see groupCPU.
	serverCPU time.Duration
}

// cpuPerOp is the server's CPU time per operation, 0 if unknown.
func (r result) cpuPerOp() time.Duration {
	if r.ops == 0 {
		return 0
	}
	return r.serverCPU / time.Duration(r.ops)
}

func (r result) opsPerSec() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.ops) / r.elapsed.Seconds()
}

// measure runs f from conc workers for d and collects latencies.
func measure(ctx context.Context, f opFunc, conc int, d time.Duration) result {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lats := make([][]time.Duration, conc)
	errs := make([]int, conc)
	var firstErr error
	var errOnce sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), uint64(start.UnixNano())))
			for seq := int64(0); ; seq++ {
				t0 := time.Now()
				if !t0.Before(deadline) || ctx.Err() != nil {
					return
				}
				if err := f(ctx, rng, w, seq); err != nil {
					errs[w]++
					errOnce.Do(func() { firstErr = err })
					continue
				}
				lats[w] = append(lats[w], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	r := result{conc: conc, elapsed: elapsed, firstErr: firstErr}
	for w := range conc {
		all = append(all, lats[w]...)
		r.errors += errs[w]
	}
	r.ops = len(all)
	if len(all) > 0 {
		slices.Sort(all)
		r.p50 = all[len(all)*50/100]
		r.p99 = all[min(len(all)-1, len(all)*99/100)]
	}
	return r
}
