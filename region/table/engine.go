package table

import (
	"context"
	"log/slog"
	"slices"
	"sync/atomic"
	"time"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/storage"
)

// Options configures an Engine.
type Options struct {
	// Store holds the data. Required.
	Store *storage.Store
	// Clock stamps local writes. Required.
	Clock *hlc.Clock
	// Region is this node's region name, e.g. "us-east-1". Required.
	Region string
	// Wall is the wall clock. TTL expiry and the times DynamoDB shows
	// (table creation and update times, stream labels, shard iterator
	// expiry) are judged on it, never on Clock, which a peer's timestamps
	// may move ahead of it (up to the clock's maximum offset). The node
	// passes the wall clock its Clock and TTL sweeper read. Default
	// time.Now.
	Wall func() time.Time
	// Logger; default slog.Default().
	Logger *slog.Logger
}

// Engine is a region's table engine. It is safe for concurrent use.
type Engine struct {
	opts Options
	// regions lists the deployment's other regions (see SetRegions).
	regions atomic.Pointer[func() []string]
}

// New returns an Engine over opts.Store.
func New(opts Options) *Engine {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Wall == nil {
		opts.Wall = time.Now
	}
	return &Engine{opts: opts}
}

// Store returns the engine's store, for reads.
func (e *Engine) Store() *storage.Store { return e.opts.Store }

// Region returns this node's region.
func (e *Engine) Region() string { return e.opts.Region }

// Clock returns the clock that stamps local writes.
func (e *Engine) Clock() *hlc.Clock { return e.opts.Clock }

// Now returns the wall-clock time (Options.Wall) in Unix nanoseconds: the
// time TTL expiry is judged at and DynamoDB's timestamps show. Versions
// come from Clock instead (Stamp).
func (e *Engine) Now() int64 { return e.opts.Wall().UnixNano() }

// SetRegions tells the engine which regions the deployment has (this
// region included or not), for the replica set of new tables and the
// check of replica updates. fn is called per request; it must be safe for
// concurrent use. Without it, the deployment is this region alone.
func (e *Engine) SetRegions(fn func() []string) { e.regions.Store(&fn) }

// Regions returns the deployment's known regions, sorted, this one
// included.
func (e *Engine) Regions() []string {
	out := []string{e.opts.Region}
	if fn := e.regions.Load(); fn != nil {
		out = append(out, (*fn)()...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Request is what the layers around the engine share about one request.
// The node's telemetry middleware sets Trace, the protocol layer sets
// Table, and the engine records Version when a single-item write commits.
// One request runs on one goroutine at a time, so it needs no lock.
type Request struct {
	// Table is the request's top-level TableName, "" if it has none.
	Table string
	// Trace is the request's trace context (a W3C traceparent), copied
	// into every storage.Mutation the request writes; nil for none.
	Trace []byte
	// Version is the version the request's last local write was given;
	// Versioned reports whether there was one.
	Version   conflict.Version
	Versioned bool
}

// requestKey is the context key of a *Request.
type requestKey struct{}

// WithRequest returns ctx carrying r.
func WithRequest(ctx context.Context, r *Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestOf returns the Request ctx carries, nil if none.
func RequestOf(ctx context.Context) *Request {
	r, _ := ctx.Value(requestKey{}).(*Request)
	return r
}

// Stamp returns m as a local write over an item whose current version is
// meta.Version: a new version greater than it, this region as origin, and
// the request's trace. Call it inside the storage.UpdateFunc that read
// meta, so the version is taken in the same critical section (DESIGN
// decision 4). The version is recorded in ctx's Request; a write retried
// inside storage.Update records each attempt, the last one committed.
func (e *Engine) Stamp(ctx context.Context, m storage.Mutation, meta storage.Meta) (storage.Mutation, error) {
	v, err := conflict.NextLocal(e.opts.Clock, e.opts.Region, meta.Version)
	if err != nil {
		return storage.Mutation{}, err
	}
	m.Version = v.Encode()
	m.Origin = e.opts.Region
	if r := RequestOf(ctx); r != nil {
		r.Version, r.Versioned = v, true
		m.Trace = r.Trace
	}
	return m, nil
}
