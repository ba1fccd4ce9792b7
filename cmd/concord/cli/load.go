package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Defaults of concord load (and concord dev --load).
const (
	// DefaultLoadTable is the table the load writes to.
	DefaultLoadTable = "concord-load"
	// DefaultLoadRate is concord load's total writes per second.
	DefaultLoadRate = 100
	// DefaultDevLoadRate is concord dev --load's total writes per second.
	DefaultDevLoadRate = 50
	// DefaultLoadKeys is the key-space size: small enough that regions
	// write the same keys concurrently and some writes conflict.
	DefaultLoadKeys = 200
	// DefaultDevLoadKeys is concord dev --load's key space: smaller, so
	// the dashboard's conflict list moves at its modest rate.
	DefaultDevLoadKeys = 50
	// loadReportEvery is how often concord load prints its progress.
	loadReportEvery = 5 * time.Second
	// loadTableTimeout bounds waiting for the table in every region.
	loadTableTimeout = 60 * time.Second
)

// loadOptions is the parsed command line of concord load.
type loadOptions struct {
	endpoints []string // DynamoDB endpoint URLs, one per region
	dev       string   // launcher URL to read the endpoints from
	rate      float64  // writes per second, all endpoints together
	table     string
	keys      int
	duration  time.Duration // 0: until ctx is done
	quiet     bool          // no progress lines (dev --load)
}

// parseLoad parses concord load's flags. It reports errors on stderr and
// returns them; they are usage errors.
func parseLoad(args []string, stderr io.Writer) (loadOptions, error) {
	bad := func(format string, a ...any) error {
		err := fmt.Errorf(format, a...)
		fmt.Fprintf(stderr, "concord load: %v\n", err)
		return err
	}
	fs := flag.NewFlagSet("concord load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o loadOptions
	var endpoints string
	fs.StringVar(&endpoints, "endpoints", "", "comma-separated DynamoDB endpoint URLs to write to, e.g. http://127.0.0.1:8000,http://127.0.0.1:8001")
	fs.StringVar(&o.dev, "dev", "", "a concord dev launcher URL (e.g. http://127.0.0.1:8003): write to all its regions")
	fs.Float64Var(&o.rate, "rate", DefaultLoadRate, "writes per second, all endpoints together")
	fs.StringVar(&o.table, "table", DefaultLoadTable, "table to write to; created with partition key pk (S) if missing")
	fs.IntVar(&o.keys, "keys", DefaultLoadKeys, "key-space size; a small one makes regions write the same items (conflicts)")
	fs.DurationVar(&o.duration, "duration", 0, "how long to run; 0 runs until Ctrl-C")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, bad("unexpected arguments %q", fs.Args())
	}
	for _, e := range strings.Split(endpoints, ",") {
		if e = strings.TrimRight(strings.TrimSpace(e), "/"); e != "" {
			if !strings.HasPrefix(e, "http://") && !strings.HasPrefix(e, "https://") {
				return o, bad("invalid endpoint %q: want http://host:port", e)
			}
			o.endpoints = append(o.endpoints, e)
		}
	}
	o.dev = strings.TrimRight(strings.TrimSpace(o.dev), "/")
	switch {
	case len(o.endpoints) == 0 && o.dev == "":
		return o, bad("give --endpoints or --dev")
	case len(o.endpoints) > 0 && o.dev != "":
		return o, bad("give --endpoints or --dev, not both")
	case !(o.rate > 0) || o.rate > 1e6:
		return o, bad("invalid --rate %v: want 0 < rate <= 1000000", o.rate)
	case o.keys <= 0:
		return o, bad("invalid --keys %d: want > 0", o.keys)
	case o.table == "":
		return o, bad("--table is empty")
	case o.duration < 0:
		return o, bad("invalid --duration %v", o.duration)
	}
	return o, nil
}

// runLoad is concord load: a steady mixed PutItem/UpdateItem/DeleteItem
// load into every region until --duration passes or ctx is done.
func runLoad(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseLoad(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if o.dev != "" {
		o.endpoints, err = devEndpoints(ctx, o.dev)
		if err != nil {
			fmt.Fprintf(stderr, "concord load: %v\n", err)
			return ExitError
		}
	}
	if o.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.duration)
		defer cancel()
	}
	fmt.Fprintf(stdout, "load: %.0f writes/s into table %s over %d keys, endpoints %s\n",
		o.rate, o.table, o.keys, strings.Join(o.endpoints, ","))
	st, err := generateLoad(ctx, o, stdout)
	fmt.Fprintf(stdout, "load: done: %s\n", st)
	if err != nil {
		fmt.Fprintf(stderr, "concord load: %v\n", err)
		return ExitError
	}
	return ExitOK
}

// devEndpoints reads a concord dev launcher's GET /admin/endpoints.
func devEndpoints(ctx context.Context, launcher string) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, launcher+"/admin/endpoints", nil)
	if err != nil {
		return nil, err
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return nil, fmt.Errorf("read endpoints from launcher: %w", err)
	}
	defer resp.Body.Close()
	var body devEndpointsReply
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("launcher %s/admin/endpoints: status %d", launcher, resp.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body); err != nil {
		return nil, fmt.Errorf("launcher %s/admin/endpoints: %w", launcher, err)
	}
	var eps []string
	for _, r := range body.Regions {
		if r.Endpoint != "" {
			eps = append(eps, r.Endpoint)
		}
	}
	if len(eps) == 0 {
		return nil, fmt.Errorf("launcher %s lists no region endpoints", launcher)
	}
	return eps, nil
}

// devEndpointsReply is the launcher's GET /admin/endpoints.
type devEndpointsReply struct {
	Regions []devEndpoint `json:"regions"`
}

// devEndpoint is one region of devEndpointsReply.
type devEndpoint struct {
	Region   string `json:"region"`
	Endpoint string `json:"endpoint"`
	NATS     string `json:"nats"`
}

// loadStats counts what a load did.
type loadStats struct {
	puts, updates, deletes, errs, behind atomic.Uint64
}

func (s *loadStats) total() uint64 { return s.puts.Load() + s.updates.Load() + s.deletes.Load() }

func (s *loadStats) String() string {
	return fmt.Sprintf("%d writes (%d puts, %d updates, %d deletes), %d errors, %d skipped (behind schedule)",
		s.total(), s.puts.Load(), s.updates.Load(), s.deletes.Load(), s.errs.Load(), s.behind.Load())
}

// loadClient returns an SDK client for one endpoint. Any credentials work.
func loadClient(endpoint string, hc *http.Client) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(endpoint),
		Credentials:      credentials.NewStaticCredentialsProvider("concord", "load", ""),
		HTTPClient:       hc,
		RetryMaxAttempts: 2,
	})
}

// generateLoad creates o.table if needed, waits for it in every endpoint,
// then writes at o.rate until ctx is done. Progress goes to out unless
// o.quiet. It returns nil when ctx ended the load.
func generateLoad(ctx context.Context, o loadOptions, out io.Writer) (*loadStats, error) {
	st := &loadStats{}
	workers := min(128, max(16, int(o.rate/10)))
	hc := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: workers, IdleConnTimeout: 30 * time.Second},
	}
	defer hc.CloseIdleConnections()
	clients := make([]*dynamodb.Client, len(o.endpoints))
	for i, e := range o.endpoints {
		clients[i] = loadClient(e, hc)
	}
	if err := ensureLoadTable(ctx, clients, o.table); err != nil {
		if ctx.Err() != nil {
			return st, nil
		}
		return st, err
	}

	jobs := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() { // cli.load: one writer, ends when jobs closes
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(w)))
			for range jobs {
				c := clients[rng.IntN(len(clients))]
				if err := loadWrite(ctx, c, o, rng, st); err != nil && ctx.Err() == nil {
					st.errs.Add(1)
				}
			}
		}()
	}

	// Dispatch on a fine tick: the writes due by now, minus those issued.
	start := time.Now()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	report := time.NewTicker(loadReportEvery)
	defer report.Stop()
	var issued uint64
	var lastTotal uint64
	lastReport := start
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case now := <-report.C:
			if !o.quiet {
				tot := st.total()
				fmt.Fprintf(out, "load: %.0f writes/s, %s\n", float64(tot-lastTotal)/now.Sub(lastReport).Seconds(), st)
				lastTotal, lastReport = tot, now
			}
		case now := <-tick.C:
			due := uint64(o.rate * now.Sub(start).Seconds())
		dispatch:
			for ; issued < due; issued++ {
				select {
				case jobs <- struct{}{}:
				default: // every writer busy: skip, do not pile up
					st.behind.Add(due - issued)
					issued = due
					break dispatch
				}
			}
		}
	}
	close(jobs)
	wg.Wait()
	return st, nil
}

// ensureLoadTable creates the table through the first endpoint unless it
// exists, then waits until every endpoint reports it ACTIVE.
func ensureLoadTable(ctx context.Context, clients []*dynamodb.Client, table string) error {
	_, err := clients[0].DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	var nf *types.ResourceNotFoundException
	if errors.As(err, &nf) {
		_, err = clients[0].CreateTable(ctx, &dynamodb.CreateTableInput{
			TableName:            aws.String(table),
			AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
			KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
			BillingMode:          types.BillingModePayPerRequest,
		})
		var inUse *types.ResourceInUseException
		if errors.As(err, &inUse) {
			err = nil // created meanwhile
		}
	}
	if err != nil {
		return fmt.Errorf("table %s: %w", table, err)
	}
	deadline := time.Now().Add(loadTableTimeout)
	for i := 0; i < len(clients); {
		out, err := clients[i].DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
		if err == nil && out.Table != nil && out.Table.TableStatus == types.TableStatusActive {
			i++
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("table %s not active in every region within %v (last: %v)", table, loadTableTimeout, err)
		}
		t := time.NewTimer(100 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

// loadWrite does one random write: 60% PutItem, 30% UpdateItem (a
// counter), 10% DeleteItem.
func loadWrite(ctx context.Context, c *dynamodb.Client, o loadOptions, rng *rand.Rand, st *loadStats) error {
	key := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "k" + strconv.Itoa(rng.IntN(o.keys))}}
	now := &types.AttributeValueMemberS{Value: time.Now().UTC().Format(time.RFC3339Nano)}
	switch p := rng.IntN(10); {
	case p < 6:
		it := map[string]types.AttributeValue{
			"pk":      key["pk"],
			"at":      now,
			"n":       &types.AttributeValueMemberN{Value: strconv.Itoa(rng.IntN(1000))},
			"payload": &types.AttributeValueMemberS{Value: strings.Repeat("x", 16+rng.IntN(112))},
		}
		_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(o.table), Item: it})
		if err == nil {
			st.puts.Add(1)
		}
		return err
	case p < 9:
		_, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:        aws.String(o.table),
			Key:              key,
			UpdateExpression: aws.String("SET #c = if_not_exists(#c, :zero) + :one, #at = :at"),
			ExpressionAttributeNames: map[string]string{
				"#c": "count", "#at": "at",
			},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":zero": &types.AttributeValueMemberN{Value: "0"},
				":one":  &types.AttributeValueMemberN{Value: "1"},
				":at":   now,
			},
		})
		if err == nil {
			st.updates.Add(1)
		}
		return err
	default:
		_, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(o.table), Key: key})
		if err == nil {
			st.deletes.Add(1)
		}
		return err
	}
}
