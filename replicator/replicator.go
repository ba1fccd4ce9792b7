package replicator

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Options configures a Replicator.
type Options struct {
	// Store receives the changes. Required.
	Store *storage.Store
	// Clock is this region's clock; every incoming timestamp advances it.
	// Required.
	Clock *hlc.Clock
	// Region is this region's name; it names the durable consumer
	// ("concord-<region>"). Required.
	Region string
	// Source is the region whose stream this Replicator consumes. Required.
	Source string
	// JS is a JetStream handle on the source region's NATS. Required.
	JS jetstream.JetStream
	// Logger; default slog.Default().
	Logger *slog.Logger
	// Batch is about the most changes applied in one commit (a message's
	// changes are never split); default 512.
	Batch int
	// Retry is the pause after a failure; default 250ms.
	Retry time.Duration
	// StuckRetry is the pause after the link got stuck (a message it
	// cannot decode, say): it tries again that often, in case the
	// message went away; default DefaultStuckRetry (30s).
	StuckRetry time.Duration
	// GroupWait is how long the link waits for the rest of a write group,
	// or of a change sent in parts, before it reports itself stuck
	// (it keeps waiting, and goes on once the rest comes); default
	// DefaultGroupWait (30s).
	GroupWait time.Duration
	// Now reads the wall clock for lag; default time.Now.
	Now func() time.Time
	// Tracer, if set, records a span per applied change whose origin
	// request was traced and sampled (the change's Trace), as a child of
	// that request's span. Default nil: no spans.
	Tracer trace.Tracer
}

func (o *Options) ensureDefaults() {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Batch <= 0 {
		o.Batch = 512
	}
	if o.Retry <= 0 {
		o.Retry = 250 * time.Millisecond
	}
	if o.StuckRetry <= 0 {
		o.StuckRetry = DefaultStuckRetry
	}
	if o.GroupWait <= 0 {
		o.GroupWait = DefaultGroupWait
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// DefaultStuckRetry is Options.StuckRetry's default.
const DefaultStuckRetry = 30 * time.Second

// DefaultGroupWait is Options.GroupWait's default.
const DefaultGroupWait = 30 * time.Second

// stuckLogEvery is how often a link that stays stuck says so again.
const stuckLogEvery = 10 * time.Minute

// Link states, Status.State.
const (
	StateConnected    = "connected"
	StateDisconnected = "disconnected"
	// StateStuck: the link cannot go on past a message of the source's
	// stream (Status.StuckSeq; Status.Reason says why). It applies and
	// acknowledges nothing from that message on, and tries again every
	// Options.StuckRetry. Or it has waited longer than Options.GroupWait
	// for that message, which must bring the rest of a write group (or of
	// a change sent in parts) it holds the start of; it goes on as soon
	// as the message comes.
	StateStuck = "stuck"
)

// pullMaxBytes bounds the messages buffered from the source: a message
// packs up to 256 KB of changes, so a count would not bound memory.
const pullMaxBytes = 16 << 20

// maxBatchBytes bounds the data of the messages a batch takes while it
// has room (a group, or a change sent in parts, is never cut to fit).
const maxBatchBytes = pullMaxBytes

// Status is a Replicator's live figures.
type Status struct {
	Source string `json:"source"`
	// Connected reports whether the link is consuming: false while it is
	// disconnected or stuck.
	Connected bool `json:"connected"`
	// LagMillis is the age of the newest applied change when it was applied
	// (now minus its HLC wall time at the origin).
	LagMillis float64 `json:"lagMillis"`
	// Pending counts messages in the source stream not yet applied here
	// (a message carries one or more changes).
	Pending   uint64 `json:"pending"`
	Applied   uint64 `json:"applied"`
	Discarded uint64 `json:"discarded"`
	Skipped   uint64 `json:"skipped"`
	// Quarantined counts the changes from this source that can never
	// apply here as they are, kept aside (quarantine.go).
	Quarantined uint64 `json:"quarantined"`
	Skewed      uint64 `json:"skewed"`
	Errors      uint64 `json:"errors"`
	// Backfill counts the copies of tables this region was added to, or
	// resyncs after a gap.
	Backfill BackfillStatus `json:"backfill"`
	// Gaps counts the times changes expired from the source's stream
	// before this region applied them (it was cut off for longer than the
	// retention): each resyncs the tables it shares with the source.
	Gaps uint64 `json:"gaps"`
	// LastApplied is when the newest change was applied (zero if never).
	LastApplied time.Time `json:"lastApplied,omitzero"`
	// State is StateConnected, StateDisconnected or StateStuck.
	State string `json:"state"`
	// Reason says why the link is stuck; empty otherwise.
	Reason string `json:"reason,omitempty"`
	// StuckSeq is the source stream's sequence of the message the link
	// cannot go past; 0 unless stuck.
	StuckSeq uint64 `json:"stuckSeq,omitempty"`
}

// stuckError ends a round that cannot go past the source stream's message
// seq: retrying soon would meet it again.
type stuckError struct {
	seq uint64
	err error
}

func (e *stuckError) Error() string {
	return fmt.Sprintf("replicator: stuck at stream seq %d: %v", e.seq, e.err)
}

func (e *stuckError) Unwrap() error { return e.err }

// Replicator consumes one source region's stream into the local store.
type Replicator struct {
	opts Options

	applied, discarded, skipped, skewed, errs atomic.Uint64
	quarantined                               atomic.Uint64
	lagMicros                                 atomic.Int64
	pending                                   atomic.Uint64
	connected                                 atomic.Bool
	lastApplied                               atomic.Int64 // unix nanos
	conflicts                                 conflictRing // recent LWW losses, see Conflicts
	// stuckSeq is the source stream seq the link is stuck at, 0 if it is
	// not stuck; stuckWhy (under mu) says why.
	stuckSeq atomic.Uint64
	bf       backfillState
	// gaps counts the times changes expired from the source's stream
	// before they were applied here (gap).
	gaps atomic.Uint64

	// mu protects onApply and stuckWhy.
	mu       sync.Mutex
	onApply  []func(*streams.Change, time.Duration)
	stuckWhy string
}

// New returns a Replicator; Run starts it.
func New(opts Options) *Replicator {
	opts.ensureDefaults()
	return &Replicator{opts: opts}
}

// OnApply registers fn to be called (from the Replicator's goroutine) with
// each change that won and was applied, and its replication lag. Used for
// metrics and by tests.
func (r *Replicator) OnApply(fn func(c *streams.Change, lag time.Duration)) {
	r.mu.Lock()
	r.onApply = append(r.onApply, fn)
	r.mu.Unlock()
}

// ConsumerName is the durable consumer a region holds on each peer's stream.
func ConsumerName(region string) string {
	return "concord-" + streams.StreamName(region)[len("CONCORD_"):]
}

// Status returns the live figures.
func (r *Replicator) Status() Status {
	st := Status{
		Source:      r.opts.Source,
		Connected:   r.connected.Load() && r.opts.JS.Conn().Status() == nats.CONNECTED,
		LagMillis:   float64(r.lagMicros.Load()) / 1000,
		Pending:     r.pending.Load(),
		Applied:     r.applied.Load(),
		Discarded:   r.discarded.Load(),
		Skipped:     r.skipped.Load(),
		Quarantined: r.quarantined.Load(),
		Skewed:      r.skewed.Load(),
		Errors:      r.errs.Load(),
		State:       StateDisconnected,
		Backfill:    r.bf.status(),
		Gaps:        r.gaps.Load(),
	}
	if ns := r.lastApplied.Load(); ns != 0 {
		st.LastApplied = time.Unix(0, ns)
	}
	if seq := r.stuckSeq.Load(); seq != 0 {
		r.mu.Lock()
		st.State, st.Reason, st.StuckSeq, st.Connected = StateStuck, r.stuckWhy, seq, false
		r.mu.Unlock()
	} else if st.Connected {
		st.State = StateConnected
	}
	return st
}

// stick records that the link is stuck at e.seq and reports whether it
// was not stuck there already.
func (r *Replicator) stick(e *stuckError) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stuckWhy = e.err.Error()
	return r.stuckSeq.Swap(e.seq) != e.seq
}

// unstick clears the stuck state once a message at or past the one the
// link was stuck at has been read, and reports whether it was stuck.
func (r *Replicator) unstick(seq uint64) bool {
	stuck := r.stuckSeq.Load()
	if stuck == 0 || seq < stuck || !r.stuckSeq.CompareAndSwap(stuck, 0) {
		return false
	}
	r.mu.Lock()
	r.stuckWhy = ""
	r.mu.Unlock()
	return true
}

// Run consumes until ctx ends, then returns ctx's error. Failures (the
// source unreachable, its stream not created yet) are logged, rate-limited,
// and retried after Options.Retry. A message the link cannot go past makes
// it stuck (Status.State): it is logged as an error, and retried after
// Options.StuckRetry.
func (r *Replicator) Run(ctx context.Context) error {
	log := r.opts.Logger.With("origin", r.opts.Source)
	var lastWarn, lastStuck time.Time
	for {
		err := r.runOnce(ctx)
		r.connected.Store(false)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		r.errs.Add(1)
		wait := r.opts.Retry
		var stuck *stuckError
		if errors.As(err, &stuck) {
			wait = r.opts.StuckRetry
			if now := time.Now(); r.stick(stuck) || now.Sub(lastStuck) > stuckLogEvery {
				log.Error("replicator: link stuck: it applies nothing from this message on", "seq", stuck.seq,
					"err", stuck.err, "retry", wait)
				lastStuck = now
			}
		} else if now := time.Now(); now.Sub(lastWarn) > 10*time.Second {
			log.Warn("replicator: consuming failed, retrying", "err", err)
			lastWarn = now
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

func (r *Replicator) runOnce(ctx context.Context) error {
	cons, next, err := r.consumer(ctx)
	if err != nil {
		return err
	}
	// A stuck link stays shown as not connected until it gets past the
	// message it was stuck at (add).
	r.connected.Store(r.stuckSeq.Load() == 0)
	if err := r.backfillPending(ctx); err != nil {
		return err
	}
	if info, err := cons.Info(ctx); err == nil {
		r.pending.Store(info.NumPending + uint64(info.NumAckPending))
	}
	msgs := make(chan jetstream.Msg, 2*r.opts.Batch)
	cc, err := cons.Consume(func(m jetstream.Msg) {
		select {
		case msgs <- m:
		case <-ctx.Done():
		}
	}, jetstream.PullMaxBytes(pullMaxBytes), jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
		r.opts.Logger.Debug("replicator: consume", "origin", r.opts.Source, "err", err)
	}))
	if err != nil {
		return fmt.Errorf("replicator: consume %s: %w", streams.StreamName(r.opts.Source), err)
	}
	defer cc.Stop()

	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var batch []jetstream.Msg
	var changes []*streams.Change
	var ends []int            // ends[i]: len(changes) once batch[i] was added
	var mids []bool           // mids[i]: a change sent in parts was incomplete once batch[i] was added
	var size int              // the data bytes of batch's messages
	var asm streams.Assembler // reassembles the changes sent in parts
	// stuck is set by add when a message cannot be decoded: the batch
	// ends before it.
	var stuck *stuckError
	// add takes the next message in stream order. Messages must arrive
	// gap-free: a gap means some were delivered to an earlier run and lost
	// with it, and acking past them (AckAll) would skip them for good, so
	// the run ends and the next one restarts from the ack floor. Older
	// messages are redeliveries: applying them again is harmless, so they
	// are dropped here. A message that cannot be decoded (a newer
	// version's, during a rolling upgrade, say) is never acknowledged nor
	// passed: the link stops before it (DESIGN decision 8). The parts of a
	// change too large for one message are consecutive: add holds them
	// until the last one, and the batch does not end before it.
	add := func(m jetstream.Msg) error {
		md, err := m.Metadata()
		if err != nil {
			return fmt.Errorf("replicator: message metadata: %w", err)
		}
		switch seq := md.Sequence.Stream; {
		case seq > next:
			return fmt.Errorf("replicator: gap in %s: got stream seq %d, want %d", streams.StreamName(r.opts.Source), seq, next)
		case seq < next:
			return nil
		}
		var trace string
		if tp := m.Headers()[streams.HeaderTraceParent]; len(tp) > 0 {
			trace = tp[0] // a single-change message of an older publisher
		}
		cs, err := asm.Add(m.Data(), trace)
		if errors.Is(err, streams.ErrPartWithoutStart) {
			// The stream no longer holds the change's first parts (its
			// retention removed them): nothing can rebuild it here.
			r.skipped.Add(1)
			r.opts.Logger.Error("replicator: change lost: the source's stream no longer holds its first parts",
				"origin", r.opts.Source, "seq", md.Sequence.Stream, "err", err)
			err = nil
		}
		if err != nil {
			stuck = &stuckError{seq: md.Sequence.Stream, err: fmt.Errorf("undecodable message: %w", err)}
			return nil
		}
		if r.unstick(md.Sequence.Stream) {
			r.connected.Store(true)
			r.opts.Logger.Info("replicator: link no longer stuck", "origin", r.opts.Source, "seq", md.Sequence.Stream)
		}
		next++
		batch = append(batch, m)
		changes = append(changes, cs...)
		ends = append(ends, len(changes))
		_, _, _, mid := asm.Open()
		mids = append(mids, mid)
		size += len(m.Data())
		return nil
	}
	for {
		batch, changes, ends, mids, size = batch[:0], changes[:0], ends[:0], mids[:0], 0
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-cc.Closed():
			return errors.New("replicator: consumer closed")
		case <-tick.C:
			if err := r.backfillDue(ctx); err != nil {
				return err
			}
			info, err := cons.Info(ctx)
			if err != nil {
				return fmt.Errorf("replicator: consumer info: %w", err)
			}
			r.pending.Store(info.NumPending + uint64(len(msgs)))
			continue
		case m := <-msgs:
			if err := add(m); err != nil {
				return err
			}
		}
	drain:
		for len(changes) < r.opts.Batch && size < maxBatchBytes && stuck == nil {
			select {
			case m := <-msgs:
				if err := add(m); err != nil {
					return err
				}
			default:
				break drain
			}
		}
		// Never end a batch inside a group (a batch write or transaction
		// in the origin): wait for the rest, so it is applied in one
		// commit; nor inside a change sent in parts. A wait that lasts
		// makes the link say what it waits for.
		waitFrom := time.Now()
		for open(changes, &asm) && stuck == nil {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-cc.Closed():
				return errors.New("replicator: consumer closed")
			case <-tick.C:
				if info, err := cons.Info(ctx); err == nil {
					r.pending.Store(info.NumPending + uint64(info.NumAckPending))
				}
				if waited := time.Since(waitFrom); waited >= r.opts.GroupWait {
					r.waiting(next, incomplete(changes, &asm), waited)
				}
			case m := <-msgs:
				if err := add(m); err != nil {
					return err
				}
			}
		}
		if stuck != nil {
			// Apply what came before the message, except a group it
			// leaves unfinished, then stop.
			k := len(batch)
			for k > 0 && (groupOpen(changes[:ends[k-1]]) || mids[k-1]) {
				k--
			}
			if k > 0 {
				if err := r.applyBatch(ctx, batch[:k], changes[:ends[k-1]]); err != nil {
					return err
				}
			}
			return stuck
		}
		if len(batch) == 0 {
			continue
		}
		if err := r.applyBatch(ctx, batch, changes); err != nil {
			return err
		}
	}
}

// open reports whether a batch of changes cannot end yet: its last
// change's group is incomplete, or a change sent in parts is.
func open(changes []*streams.Change, asm *streams.Assembler) bool {
	_, _, _, mid := asm.Open()
	return mid || groupOpen(changes)
}

// incomplete says what a batch that cannot end yet waits for.
func incomplete(changes []*streams.Change, asm *streams.Assembler) string {
	if seq, have, total, ok := asm.Open(); ok {
		return fmt.Sprintf("change seq %d sent in parts (%d of %d bytes came)", seq, have, total)
	}
	c := changes[len(changes)-1]
	return fmt.Sprintf("write group seq %d-%d (came up to seq %d)", c.Group, c.Group+uint64(c.GroupSize)-1, c.Seq)
}

// waiting marks the link stuck at the source stream's message seq, which
// must bring the rest of what, after it waited that long; add clears it
// when the message comes.
func (r *Replicator) waiting(seq uint64, what string, waited time.Duration) {
	e := &stuckError{seq: seq, err: fmt.Errorf("waited %v for the rest of %s: the source has not published it",
		waited.Round(time.Second), what)}
	if r.stick(e) {
		r.connected.Store(false)
		r.opts.Logger.Error("replicator: link stuck: waiting for the rest of a group the source has not published",
			"origin", r.opts.Source, "seq", seq, "err", e.err)
	}
}

// groupOpen reports whether the last change belongs to a group whose
// later changes have not arrived yet.
func groupOpen(changes []*streams.Change) bool {
	if len(changes) == 0 {
		return false
	}
	c := changes[len(changes)-1]
	return c.GroupSize > 1 && c.Seq < c.Group+uint64(c.GroupSize)-1
}

// applyBatch applies a batch's decoded changes durably, then acknowledges
// the batch's messages.
func (r *Replicator) applyBatch(ctx context.Context, batch []jetstream.Msg, changes []*streams.Change) error {
	spans := r.startSpans(ctx, changes)
	res, err := applyIn(ctx, r.opts.Store, r.opts.Clock, r.opts.Region, changes)
	endSpans(spans, err)
	if err != nil {
		return err
	}
	if len(res.Backfill) > 0 {
		if err := r.backfillPending(ctx); err != nil {
			return err
		}
	}
	// Durable: record how far this region applied the stream (gap
	// detection), then acknowledge. AckAll on the last message covers
	// the batch.
	if md, err := batch[len(batch)-1].Metadata(); err == nil {
		if err := r.recordApplied(ctx, md.Sequence.Stream); err != nil {
			return fmt.Errorf("replicator: record applied seq: %w", err)
		}
	}
	if err := batch[len(batch)-1].Ack(); err != nil {
		return fmt.Errorf("replicator: ack: %w", err)
	}
	r.applied.Add(uint64(res.Applied))
	r.discarded.Add(uint64(res.Discarded))
	r.skipped.Add(uint64(res.Skipped))
	r.quarantined.Add(uint64(res.Quarantined))
	r.skewed.Add(uint64(res.Skewed))
	if res.Skewed > 0 {
		r.opts.Logger.Warn("replicator: remote clock ahead beyond max offset", "origin", r.opts.Source, "count", res.Skewed)
	}
	now := r.opts.Now()
	if n := len(changes); n > 0 {
		if v, err := conflict.DecodeVersion(changes[n-1].Version); err == nil {
			lag := now.Sub(v.TS.Time())
			r.lagMicros.Store(lag.Microseconds())
		}
	}
	r.lastApplied.Store(now.UnixNano())
	r.conflicts.add(now, res.Conflicts)
	if p := r.pending.Load(); p >= uint64(len(batch)) {
		r.pending.Store(p - uint64(len(batch)))
	} else {
		r.pending.Store(0)
	}
	r.mu.Lock()
	fns := r.onApply
	r.mu.Unlock()
	if len(fns) > 0 {
		for _, c := range changes {
			v, err := conflict.DecodeVersion(c.Version)
			if err != nil {
				continue
			}
			for _, fn := range fns {
				fn(c, now.Sub(v.TS.Time()))
			}
		}
	}
	return nil
}

// consumer returns this region's durable consumer on the source's stream,
// positioned at the first message not yet durably applied here, and that
// message's stream sequence. Messages delivered to an earlier run but
// never acknowledged (the run died with them buffered) must come again
// now, not after AckWait: when the consumer's delivered position is past
// its ack floor, it is recreated to start right after the floor.
func (r *Replicator) consumer(ctx context.Context) (jetstream.Consumer, uint64, error) {
	stream := streams.StreamName(r.opts.Source)
	name := ConsumerName(r.opts.Region)
	cfg := jetstream.ConsumerConfig{
		Durable:       name,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckPolicy:     jetstream.AckAllPolicy,
		AckWait:       30 * time.Second,
		MaxAckPending: 4 * r.opts.Batch,
		FilterSubject: streams.Subject(r.opts.Source),
	}
	st, err := r.opts.JS.Stream(ctx, stream)
	if err != nil {
		return nil, 0, fmt.Errorf("replicator: stream %s: %w", stream, err)
	}
	sinfo, err := st.Info(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("replicator: stream %s info: %w", stream, err)
	}
	first := max(sinfo.State.FirstSeq, 1)
	cons, err := st.Consumer(ctx, name)
	switch {
	case errors.Is(err, jetstream.ErrConsumerNotFound):
		applied, _, err := r.appliedSeq()
		if err != nil {
			return nil, 0, err
		}
		if applied+1 < first {
			// The stream has dropped messages this region never applied
			// (or it has no record of what it applied): changes may be
			// missing.
			if err := r.gap(ctx, applied, first); err != nil {
				return nil, 0, err
			}
		}
		cons, err = st.CreateConsumer(ctx, cfg)
		if err != nil {
			return nil, 0, fmt.Errorf("replicator: create consumer on %s: %w", stream, err)
		}
		return cons, first, nil
	case err != nil:
		return nil, 0, fmt.Errorf("replicator: consumer on %s: %w", stream, err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("replicator: consumer info on %s: %w", stream, err)
	}
	floor := info.AckFloor.Stream
	// Whether messages expired before this region applied them (it was
	// cut off for longer than the stream's retention) is judged on what
	// it recorded applying, not on the consumer's ack floor, which
	// JetStream moves past expired messages.
	applied, recorded, err := r.appliedSeq()
	if err != nil {
		return nil, 0, err
	}
	if !recorded {
		applied = floor // recorded since this version only
	}
	if applied+1 < first {
		if err := r.gap(ctx, applied, first); err != nil {
			return nil, 0, err
		}
	}
	if info.Delivered.Stream <= floor && info.Config.AckPolicy == jetstream.AckAllPolicy {
		return cons, max(floor+1, first), nil
	}
	// Delivered past the floor: start again right after it.
	if err := st.DeleteConsumer(ctx, name); err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
		return nil, 0, fmt.Errorf("replicator: reset consumer on %s: %w", stream, err)
	}
	cfg.DeliverPolicy = jetstream.DeliverByStartSequencePolicy
	cfg.OptStartSeq = max(floor+1, first)
	cons, err = st.CreateConsumer(ctx, cfg)
	if err != nil {
		return nil, 0, fmt.Errorf("replicator: recreate consumer on %s: %w", stream, err)
	}
	return cons, cfg.OptStartSeq, nil
}

// appliedName is the local setting that records the last message of the
// source's stream this region applied.
func appliedName(source string) string { return "replicator.applied/" + source }

// appliedSeq returns the stream sequence of the last message of the
// source's stream this region recorded applying (recordApplied), and
// whether it has a record.
func (r *Replicator) appliedSeq() (uint64, bool, error) {
	v, err := r.opts.Store.Setting(appliedName(r.opts.Source))
	if err != nil || len(v) != 8 {
		return 0, false, err
	}
	return binary.BigEndian.Uint64(v), true, nil
}

// recordApplied durably records that the messages of the source's stream
// up to seq are applied here, before they are acknowledged.
func (r *Replicator) recordApplied(ctx context.Context, seq uint64) error {
	return r.opts.Store.SetSetting(ctx, appliedName(r.opts.Source), binary.BigEndian.AppendUint64(nil, seq))
}

// gap handles changes lost from the source's stream before this region
// applied them: the messages after floor and before first (all before
// first when floor is 0: no record of what was applied). They cannot be
// replayed, so every table this region holds with the source is resynced
// from the source's store: marked BackfillFrom the source, durably, before
// the consumer moves past the gap, and copied (live items and tombstones,
// with the usual rule) by backfillPending. The gap is logged, counted
// (Status.Gaps) and shown (Status.Resyncs) until the copies complete.
//
// What a copy cannot bring back: tables the source created during the gap
// (their later changes are parked here, and shown) and deletes whose
// tombstones the source has purged (the retention window is also the
// tombstones'): the items stay here. Re-adding the region as a replica of
// such a table repairs it.
func (r *Replicator) gap(ctx context.Context, floor, first uint64) error {
	names, _, err := r.opts.Store.ListTables("", 0)
	if err != nil {
		return err
	}
	var resync []string
	for _, name := range names {
		def, err := r.opts.Store.Table(name)
		if err != nil || !table.IsReplica(def, r.opts.Source) || slices.Contains(def.BackfillSources(), r.opts.Source) {
			continue
		}
		if _, err := r.opts.Store.UpdateTableLocal(ctx, name, func(d *storage.TableDef) error {
			d.SetBackfillSources(append(d.BackfillSources(), r.opts.Source))
			return nil
		}); err != nil && !errors.Is(err, storage.ErrTableNotFound) {
			return fmt.Errorf("replicator: mark table=%q for resync: %w", name, err)
		}
		resync = append(resync, name)
	}
	r.gaps.Add(1)
	r.opts.Logger.Error("replicator: changes expired from the source's stream before they were applied here; resyncing its tables from its store",
		"region", r.opts.Region, "origin", r.opts.Source, "after_seq", floor, "first_seq", first, "tables", resync)
	return nil
}

// startSpans starts a "concord.replicate.apply" span for each change that
// carries a sampled trace context, as a child of its origin request's
// span; unsampled or untraced changes cost nothing.
func (r *Replicator) startSpans(ctx context.Context, changes []*streams.Change) []trace.Span {
	if r.opts.Tracer == nil {
		return nil
	}
	var spans []trace.Span
	for _, c := range changes {
		if len(c.Trace) == 0 {
			continue
		}
		pctx := propagation.TraceContext{}.Extract(ctx, traceCarrier(c.Trace))
		if !trace.SpanContextFromContext(pctx).IsSampled() {
			continue
		}
		_, span := r.opts.Tracer.Start(pctx, "concord.replicate.apply",
			trace.WithSpanKind(trace.SpanKindConsumer),
			trace.WithAttributes(
				attribute.String("region", r.opts.Region),
				attribute.String("source_region", r.opts.Source),
				attribute.String("table", c.Table),
				attribute.Int64("seq", int64(c.Seq)),
			))
		spans = append(spans, span)
	}
	return spans
}

// endSpans ends the spans of an applied batch, marking them failed if the
// batch failed.
func endSpans(spans []trace.Span, err error) {
	for _, s := range spans {
		if err != nil {
			s.RecordError(err)
			s.SetStatus(codes.Error, "apply failed")
		}
		s.End()
	}
}

// traceCarrier is a propagation.TextMapCarrier holding one traceparent.
type traceCarrier []byte

func (t traceCarrier) Get(key string) string {
	if key == streams.HeaderTraceParent {
		return string(t)
	}
	return ""
}

func (t traceCarrier) Set(string, string) {}

func (t traceCarrier) Keys() []string { return []string{streams.HeaderTraceParent} }
