package region

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/replicator"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/streams"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/otlptranslator"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// Option configures Open beyond Config. Options wire telemetry for tests
// and embedders; a node needs none.
type Option func(*openOptions)

type openOptions struct {
	spanExporter sdktrace.SpanExporter
}

// WithSpanExporter makes the node sample every trace it starts (or that
// its caller sampled) and hand each ended span to exp synchronously,
// instead of exporting over OTLP. Tests pass an in-memory exporter
// (go.opentelemetry.io/otel/sdk/trace/tracetest).
func WithSpanExporter(exp sdktrace.SpanExporter) Option {
	return func(o *openOptions) { o.spanExporter = exp }
}

// Histogram bucket boundaries, in seconds.
var (
	requestBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}
	lagBuckets     = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300}
)

// telemetry is a node's OpenTelemetry: a meter provider exported on
// GET /metrics (Prometheus text, from a private registry) and over OTLP
// HTTP when the OTEL_EXPORTER_OTLP_* environment asks, and a tracer
// provider whose spans go to OTLP (or a test exporter) or, with neither,
// are sampled out: they are still created, so trace contexts propagate.
//
// Every instrument carries the attribute region. The Prometheus names are
// a contract (dashboards, deploy/): see README's Telemetry section.
type telemetry struct {
	region     string
	regionAttr attribute.KeyValue

	mp      *sdkmetric.MeterProvider
	tp      *sdktrace.TracerProvider
	tracer  trace.Tracer
	metrics http.Handler // GET /metrics

	requests  metric.Int64Counter
	errors    metric.Int64Counter
	throttled metric.Int64Counter
	duration  metric.Float64Histogram
	lag       metric.Float64Histogram

	// reqAttrs caches the precomputed attribute options of each
	// (operation, table, error type), so the request path does not build
	// attribute sets.
	reqMu    sync.RWMutex
	reqAttrs map[reqKey]*reqOpts

	// ttl counts TTL deletions per table (CountTTLDeleted).
	ttl sync.Map // string -> *atomic.Int64

	reg metric.Registration
}

type reqKey struct{ op, table, errType string }

type reqOpts struct {
	requests metric.AddOption
	duration metric.RecordOption
	errors   metric.AddOption // nil without an error type
}

// otlpConfigured reports whether the OTel environment asks for an OTLP
// exporter of signal ("METRICS" or "TRACES").
func otlpConfigured(signal string) bool {
	if strings.EqualFold(os.Getenv("OTEL_SDK_DISABLED"), "true") {
		return false
	}
	if strings.EqualFold(strings.TrimSpace(os.Getenv("OTEL_"+signal+"_EXPORTER")), "none") {
		return false
	}
	return os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_"+signal+"_ENDPOINT") != ""
}

// newTelemetry builds the providers and the request instruments.
func newTelemetry(region string, o openOptions) (*telemetry, error) {
	ctx := context.Background()
	res, err := resource.New(ctx,
		resource.WithAttributes(attribute.String("service.name", "concord")),
		resource.WithFromEnv(), // OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES
		resource.WithTelemetrySDK(),
		resource.WithAttributes(attribute.String("region", region)),
	)
	if err != nil && res == nil {
		return nil, fmt.Errorf("region: telemetry resource: %w", err)
	}
	t := &telemetry{
		region:     region,
		regionAttr: attribute.String("region", region),
		reqAttrs:   make(map[reqKey]*reqOpts),
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	prom, err := otelprom.New(
		otelprom.WithRegisterer(reg),
		otelprom.WithTranslationStrategy(otlptranslator.UnderscoreEscapingWithSuffixes),
		otelprom.WithoutScopeInfo(),
	)
	if err != nil {
		return nil, fmt.Errorf("region: prometheus exporter: %w", err)
	}
	t.metrics = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	mopts := []sdkmetric.Option{sdkmetric.WithResource(res), sdkmetric.WithReader(prom)}
	if otlpConfigured("METRICS") {
		exp, err := otlpmetrichttp.New(ctx) // endpoint, headers, interval: from the environment
		if err != nil {
			return nil, fmt.Errorf("region: otlp metric exporter: %w", err)
		}
		mopts = append(mopts, sdkmetric.WithReader(sdkmetric.NewPeriodicReader(exp)))
	}
	t.mp = sdkmetric.NewMeterProvider(mopts...)

	topts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res)}
	switch {
	case o.spanExporter != nil:
		topts = append(topts, sdktrace.WithSyncer(o.spanExporter),
			sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.AlwaysSample())))
	case otlpConfigured("TRACES"):
		exp, err := otlptracehttp.New(ctx)
		if err != nil {
			_ = t.mp.Shutdown(ctx)
			return nil, fmt.Errorf("region: otlp trace exporter: %w", err)
		}
		topts = append(topts, sdktrace.WithBatcher(exp)) // sampler: OTEL_TRACES_SAMPLER
	default:
		// Nothing would receive spans: create them unsampled, which keeps
		// the request path cheap and still gives every write a trace
		// context to carry to the other regions.
		topts = append(topts, sdktrace.WithSampler(sdktrace.NeverSample()))
	}
	t.tp = sdktrace.NewTracerProvider(topts...)
	t.tracer = t.tp.Tracer("github.com/concorddb/concord/region")

	if err := t.newInstruments(); err != nil {
		_ = t.shutdown(ctx)
		return nil, err
	}
	return t, nil
}

// newInstruments creates the synchronous instruments.
func (t *telemetry) newInstruments() error {
	m := t.mp.Meter("github.com/concorddb/concord/region")
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	var err error
	t.requests, err = m.Int64Counter("concord.api.requests", metric.WithUnit("{request}"),
		metric.WithDescription("DynamoDB API requests, by operation and table."))
	add(err)
	t.errors, err = m.Int64Counter("concord.api.errors", metric.WithUnit("{error}"),
		metric.WithDescription("DynamoDB API requests answered with an error, by operation and error type."))
	add(err)
	t.throttled, err = m.Int64Counter("concord.api.throttled", metric.WithUnit("{request}"),
		metric.WithDescription("Throttled DynamoDB API requests; Concord does not throttle, so it stays 0."))
	add(err)
	t.duration, err = m.Float64Histogram("concord.api.request.duration", metric.WithUnit("s"),
		metric.WithDescription("DynamoDB API request latency, by operation."),
		metric.WithExplicitBucketBoundaries(requestBuckets...))
	add(err)
	t.lag, err = m.Float64Histogram("concord.replication.lag", metric.WithUnit("s"),
		metric.WithDescription("Time from a change's HLC wall time in its origin region to its apply here."),
		metric.WithExplicitBucketBoundaries(lagBuckets...))
	add(err)
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("region: telemetry instruments: %w", err)
	}
	for _, op := range throttledOps {
		t.throttled.Add(context.Background(), 0, metric.WithAttributes(t.regionAttr, attribute.String("operation", op)))
	}
	return nil
}

// throttledOps are the operations concord_api_throttled_total is exported
// for from the start, at 0.
var throttledOps = []string{
	"GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan",
	"BatchGetItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems",
}

// observeNode registers the asynchronous instruments, read from n on each
// collection.
func (t *telemetry) observeNode(n *Node) error {
	m := t.mp.Meter("github.com/concorddb/concord/region")
	var errs []error
	i64g := func(name, unit, desc string) metric.Int64ObservableGauge {
		g, err := m.Int64ObservableGauge(name, metric.WithUnit(unit), metric.WithDescription(desc))
		if err != nil {
			errs = append(errs, err)
		}
		return g
	}
	i64c := func(name, unit, desc string) metric.Int64ObservableCounter {
		c, err := m.Int64ObservableCounter(name, metric.WithUnit(unit), metric.WithDescription(desc))
		if err != nil {
			errs = append(errs, err)
		}
		return c
	}
	pending := i64g("concord.replication.pending", "{message}", "Messages (each one or more changes) in a source region's stream not yet applied here.")
	connected := i64g("concord.replication.connected", "", "1 while the link to a source region is connected, else 0.")
	stuck := i64g("concord.replication.stuck", "", "1 while the link to a source region is stuck at a message it cannot go past (an undecodable one), else 0.")
	applied := i64c("concord.replication.applied", "{change}", "Replicated changes applied (they won last-writer-wins).")
	discarded := i64c("concord.replication.discarded", "{change}", "Replicated changes discarded: lost last-writer-wins, or duplicates.")
	parked := i64g("concord.replication.parked", "{change}", "Replicated changes waiting for a table this region does not hold yet, per table.")
	quarantined := i64g("concord.replication.quarantined", "{change}", "Replicated changes that can never apply here as they are, kept aside, per table.")
	gaps := i64c("concord.replication.gaps", "{gap}", "Times changes expired from a source region's stream before they were applied here; each resyncs the shared tables from the source.")
	skewed := i64c("concord.replication.skewed", "{change}", "Replicated changes whose timestamp was ahead of this clock beyond the maximum offset.")
	backlog := i64g("concord.publisher.backlog", "{change}", "Change-log records not yet published to this region's stream.")
	pubSeq := i64g("concord.publisher.published_seq", "", "The highest change-log sequence number published (or skipped).")
	pubFailing := i64g("concord.publisher.failing", "", "1 while the publisher fails to publish (no change after published_seq reaches a peer), else 0.")
	pubErrors := i64c("concord.publisher.errors", "{round}", "Publish rounds that failed (NATS unreachable, a message refused); each is retried.")
	items := i64g("concord.table.items", "{item}", "Live items in a table.")
	size := i64g("concord.table.size", "By", "Size of a table's live items.")
	digest := i64g("concord.table.digest", "", "The first 6 bytes of a table's content digest as an integer: equal in two regions when they hold the same items.")
	ttl := i64c("concord.ttl.deleted", "{item}", "Items deleted because their TTL expired.")
	debt := i64g("concord.pebble.compaction.debt", "By", "Pebble's estimated compaction debt.")
	l0 := i64g("concord.pebble.l0.files", "{file}", "Sstables in Pebble's level 0.")
	l0sub := i64g("concord.pebble.l0.sublevels", "{sublevel}", "Sublevels of Pebble's level 0 (its read amplification).")
	memtable := i64g("concord.pebble.memtable.size", "By", "Memory held by Pebble's memtables.")
	wal := i64g("concord.pebble.wal.size", "By", "Live data in Pebble's write-ahead log.")
	hitRatio, err := m.Float64ObservableGauge("concord.pebble.cache.hit", metric.WithUnit("1"),
		metric.WithDescription("Pebble block cache hits over lookups since the node started."))
	if err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("region: telemetry instruments: %w", err)
	}
	regionOnly := metric.WithAttributes(t.regionAttr)
	t.reg, err = m.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		o.ObserveInt64(backlog, int64(n.pub.Backlog()), regionOnly)
		o.ObserveInt64(pubSeq, int64(n.pub.Published()), regionOnly)
		var failing int64
		if _, ok := n.pub.Failing(); ok {
			failing = 1
		}
		o.ObserveInt64(pubFailing, failing, regionOnly)
		o.ObserveInt64(pubErrors, int64(n.pub.Errors()), regionOnly)

		sm := n.store.Metrics()
		o.ObserveInt64(debt, int64(sm.CompactionDebtBytes), regionOnly)
		o.ObserveInt64(l0, sm.L0Files, regionOnly)
		o.ObserveInt64(l0sub, int64(sm.L0Sublevels), regionOnly)
		o.ObserveInt64(memtable, int64(sm.MemTableBytes), regionOnly)
		o.ObserveInt64(wal, int64(sm.WALBytes), regionOnly)
		o.ObserveFloat64(hitRatio, sm.CacheHitRatio(), regionOnly)

		for _, l := range n.links() {
			rs := l.rep.Status()
			src := metric.WithAttributes(t.regionAttr, attribute.String("source_region", l.peer.Region))
			o.ObserveInt64(pending, int64(rs.Pending), src)
			var c int64
			if rs.Connected {
				c = 1
			}
			o.ObserveInt64(connected, c, src)
			var s int64
			if rs.State == replicator.StateStuck {
				s = 1
			}
			o.ObserveInt64(stuck, s, src)
			o.ObserveInt64(applied, int64(rs.Applied), src)
			o.ObserveInt64(discarded, int64(rs.Discarded), src)
			o.ObserveInt64(skewed, int64(rs.Skewed), src)
			o.ObserveInt64(gaps, int64(rs.Gaps), src)
		}

		if q, err := replicator.Quarantined(n.store); err == nil {
			for name, count := range q {
				o.ObserveInt64(quarantined, int64(count), metric.WithAttributes(t.regionAttr, attribute.String("table", name)))
			}
		}
		if p, err := replicator.Parked(n.store); err == nil {
			for name, count := range p {
				o.ObserveInt64(parked, int64(count), metric.WithAttributes(t.regionAttr, attribute.String("table", name)))
			}
		}
		names, _, err := n.store.ListTables("", 0)
		if err != nil {
			return nil // closing: nothing more to report
		}
		for _, name := range names {
			ts, err := n.store.Stats(name)
			if err != nil {
				continue // deleted since ListTables
			}
			tbl := metric.WithAttributes(t.regionAttr, attribute.String("table", name))
			o.ObserveInt64(items, ts.ItemCount, tbl)
			o.ObserveInt64(size, ts.SizeBytes, tbl)
			o.ObserveInt64(digest, digestValue(ts.Digest), tbl)
			o.ObserveInt64(ttl, t.ttlCounter(name).Load(), tbl)
		}
		return nil
	}, backlog, pubSeq, pubFailing, pubErrors, debt, l0, l0sub, memtable, wal, hitRatio,
		pending, connected, stuck, applied, discarded, parked, quarantined, skewed, gaps, items, size, digest, ttl)
	if err != nil {
		return fmt.Errorf("region: telemetry callback: %w", err)
	}
	return nil
}

// digestValue is a table digest's first 6 bytes as an integer: exact in a
// float64, so Prometheus shows equal values exactly when they are equal.
func digestValue(d [16]byte) int64 {
	var b [8]byte
	copy(b[2:], d[:6])
	return int64(binary.BigEndian.Uint64(b[:]))
}

// ttlCounter returns table's TTL deletion counter.
func (t *telemetry) ttlCounter(table string) *atomic.Int64 {
	if c, ok := t.ttl.Load(table); ok {
		return c.(*atomic.Int64)
	}
	c, _ := t.ttl.LoadOrStore(table, new(atomic.Int64))
	return c.(*atomic.Int64)
}

// observeReplicator records rep's replication lag (from source) in the
// lag histogram.
func (t *telemetry) observeReplicator(rep *replicator.Replicator, source string) {
	opt := metric.WithAttributeSet(attribute.NewSet(t.regionAttr, attribute.String("source_region", source)))
	rep.OnApply(func(_ *streams.Change, lag time.Duration) {
		t.lag.Record(context.Background(), max(lag, 0).Seconds(), opt)
	})
}

// opts returns the cached attribute options of a request.
func (t *telemetry) opts(k reqKey) *reqOpts {
	t.reqMu.RLock()
	o := t.reqAttrs[k]
	t.reqMu.RUnlock()
	if o != nil {
		return o
	}
	opAttr := attribute.String("operation", k.op)
	o = &reqOpts{
		requests: metric.WithAttributeSet(attribute.NewSet(t.regionAttr, opAttr, attribute.String("table", k.table))),
		duration: metric.WithAttributeSet(attribute.NewSet(t.regionAttr, opAttr)),
	}
	if k.errType != "" {
		o.errors = metric.WithAttributeSet(attribute.NewSet(t.regionAttr, opAttr, attribute.String("error_type", k.errType)))
	}
	t.reqMu.Lock()
	if prev := t.reqAttrs[k]; prev != nil {
		o = prev
	} else {
		t.reqAttrs[k] = o
	}
	t.reqMu.Unlock()
	return o
}

// middleware wraps the DynamoDB API: for each POST it starts a server
// span dynamodb.<Operation> (continuing the caller's traceparent, if
// any), hands the Server the trace context to record with the request's
// writes, and after the response counts the request, its latency and its
// error type (the x-amzn-ErrorType header). tableKnown bounds the table
// label to tables that exist (or existed when a request succeeded).
func (t *telemetry) middleware(next http.Handler, tableKnown func(string) bool) http.Handler {
	prop := propagation.TraceContext{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		op := operationName(r.Header.Get("X-Amz-Target"))
		ctx := r.Context()
		if r.Header.Get("Traceparent") != "" {
			ctx = prop.Extract(ctx, propagation.HeaderCarrier(r.Header))
		}
		ctx, span := t.tracer.Start(ctx, spanNames[op], serverKind)
		info := &table.Request{}
		if sc := span.SpanContext(); sc.IsValid() && !readOnlyOps[op] {
			info.Trace = appendTraceParent(make([]byte, 0, 55), sc)
		}
		next.ServeHTTP(w, r.WithContext(table.WithRequest(ctx, info)))

		errType := ""
		if v := w.Header()["X-Amzn-Errortype"]; len(v) > 0 {
			errType = v[0]
			if i := strings.LastIndexByte(errType, '#'); i >= 0 {
				errType = errType[i+1:]
			}
		}
		tbl := info.Table
		if tbl != "" && errType != "" && !tableKnown(tbl) {
			tbl = "" // keep unknown names out of the label values
		}
		o := t.opts(reqKey{op: op, table: tbl, errType: errType})
		bg := context.Background()
		t.requests.Add(bg, 1, o.requests)
		t.duration.Record(bg, time.Since(start).Seconds(), o.duration)
		if o.errors != nil {
			t.errors.Add(bg, 1, o.errors)
		}
		if span.IsRecording() {
			span.SetAttributes(
				attribute.String("operation", op),
				attribute.String("table", tbl),
				t.regionAttr,
			)
			if errType != "" {
				span.SetAttributes(attribute.String("error_type", errType))
				span.SetStatus(codes.Error, errType)
			}
		}
		span.End()
	})
}

// serverKind is the request spans' kind option, built once.
var serverKind = trace.WithSpanKind(trace.SpanKindServer)

// appendTraceParent appends sc as a W3C traceparent
// ("00-<trace id>-<span id>-<flags>").
func appendTraceParent(dst []byte, sc trace.SpanContext) []byte {
	tid, sid := sc.TraceID(), sc.SpanID()
	dst = append(dst, "00-"...)
	dst = hex.AppendEncode(dst, tid[:])
	dst = append(dst, '-')
	dst = hex.AppendEncode(dst, sid[:])
	dst = append(dst, '-')
	return hex.AppendEncode(dst, []byte{byte(sc.TraceFlags())})
}

// operationName maps an X-Amz-Target to the operation label: a known
// DynamoDB or DynamoDB Streams operation, else "Unknown" (label values
// stay bounded whatever clients send).
func operationName(target string) string {
	_, op, ok := strings.Cut(target, ".")
	if !ok {
		return "Unknown"
	}
	if _, known := spanNames[op]; known {
		return op
	}
	return "Unknown"
}

// knownOps are DynamoDB's and DynamoDB Streams' operations.
var knownOps = []string{
	"BatchExecuteStatement", "BatchGetItem", "BatchWriteItem", "CreateBackup",
	"CreateGlobalTable", "CreateTable", "DeleteBackup", "DeleteItem",
	"DeleteResourcePolicy", "DeleteTable", "DescribeBackup",
	"DescribeContinuousBackups", "DescribeContributorInsights",
	"DescribeEndpoints", "DescribeExport", "DescribeGlobalTable",
	"DescribeGlobalTableSettings", "DescribeImport",
	"DescribeKinesisStreamingDestination", "DescribeLimits", "DescribeTable",
	"DescribeTableReplicaAutoScaling", "DescribeTimeToLive",
	"DisableKinesisStreamingDestination", "EnableKinesisStreamingDestination",
	"ExecuteStatement", "ExecuteTransaction", "ExportTableToPointInTime",
	"GetItem", "GetResourcePolicy", "ImportTable", "ListBackups",
	"ListContributorInsights", "ListExports", "ListGlobalTables", "ListImports",
	"ListTables", "ListTagsOfResource", "PutItem", "PutResourcePolicy", "Query",
	"RestoreTableFromBackup", "RestoreTableToPointInTime", "Scan", "TagResource",
	"TransactGetItems", "TransactWriteItems", "UntagResource",
	"UpdateContinuousBackups", "UpdateContributorInsights", "UpdateGlobalTable",
	"UpdateGlobalTableSettings", "UpdateItem",
	"UpdateKinesisStreamingDestination", "UpdateTable",
	"UpdateTableReplicaAutoScaling", "UpdateTimeToLive",
	// DynamoDB Streams
	"DescribeStream", "GetRecords", "GetShardIterator", "ListStreams",
}

// spanNames maps each known operation (and "Unknown") to its span name,
// dynamodb.<Operation>, built once.
var spanNames = func() map[string]string {
	m := make(map[string]string, len(knownOps)+1)
	for _, op := range append(knownOps, "Unknown") {
		m[op] = "dynamodb." + op
	}
	return m
}()

// readOnlyOps never write, so their requests carry no trace context to
// the change log.
var readOnlyOps = map[string]bool{
	"GetItem": true, "BatchGetItem": true, "Query": true, "Scan": true,
	"TransactGetItems": true, "DescribeTable": true, "ListTables": true,
	"DescribeEndpoints": true, "DescribeLimits": true, "ListTagsOfResource": true,
	"DescribeTimeToLive": true, "DescribeStream": true, "GetRecords": true,
	"GetShardIterator": true, "ListStreams": true, "Unknown": true,
}

// CountTTLDeleted adds n to concord_ttl_deleted_total{table}. The TTL
// sweeper calls it after each durable batch of expiry deletes.
func (n *Node) CountTTLDeleted(table string, count int) {
	if n.tel != nil && count > 0 {
		n.tel.ttlCounter(table).Add(int64(count))
	}
}

// links returns the current peer links.
func (n *Node) links() []*peerLink {
	n.mu.Lock()
	defer n.mu.Unlock()
	links := make([]*peerLink, 0, len(n.mu.peers))
	for _, l := range n.mu.peers {
		links = append(links, l)
	}
	return links
}

// tableKnown reports whether the store holds table.
func (n *Node) tableKnown(table string) bool {
	_, err := n.store.Table(table)
	return !errors.Is(err, storage.ErrTableNotFound)
}

// shutdown flushes and stops the providers.
func (t *telemetry) shutdown(ctx context.Context) error {
	var errs []error
	if t.reg != nil {
		errs = append(errs, t.reg.Unregister())
	}
	errs = append(errs, t.tp.Shutdown(ctx), t.mp.Shutdown(ctx))
	return errors.Join(errs...)
}
