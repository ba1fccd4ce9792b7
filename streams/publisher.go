package streams

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ChangeLog is what the Publisher needs of the store's change log.
// *storage.Store implements it through an adapter in region.
type ChangeLog interface {
	// Changes reads up to limit changes with Seq > after (all if limit <=
	// 0), in Seq order, and returns those that origin originated (all if
	// origin is "") and the Seq of the last change read (after if none).
	// Called from the Publisher's goroutine only.
	Changes(ctx context.Context, after uint64, limit int, origin string) ([]Change, uint64, error)
	// WaitChanges blocks until a change with Seq > after exists, or ctx
	// ends (returning ctx.Err()).
	WaitChanges(ctx context.Context, after uint64) error
	// LastSeq is the newest change's Seq (0 if none).
	LastSeq() uint64
}

// PublisherOptions configures a Publisher.
type PublisherOptions struct {
	// Log is the change log to tail. Required.
	Log ChangeLog
	// JS is a JetStream handle on this region's NATS. Required.
	JS jetstream.JetStream
	// Region is this region's name; only changes with this origin are
	// published. Required.
	Region string
	// Logger; default slog.Default().
	Logger *slog.Logger
	// Window bounds unacknowledged publishes; default 256.
	Window int
	// MaxAge is how long the stream keeps changes; default 24h. It should
	// be at least as long as the longest partition a region must survive.
	MaxAge time.Duration
	// Replicas is the stream's replica count; default 1 (embedded NATS).
	// Production clusters use 3.
	Replicas int
	// Retry is the pause after a failure before trying again; default 250ms.
	Retry time.Duration
	// AckTimeout bounds the wait for the stream's acknowledgement of a
	// message: when no acknowledgement comes for that long, the round
	// fails and the publisher starts again from the stream's last
	// message. Default DefaultAckTimeout (10s).
	AckTimeout time.Duration
}

// Message size bounds.
const (
	// maxMessageBytes bounds the changes packed into one message, well
	// below NATS's default 1 MiB payload limit; a single larger change
	// travels alone, and one larger than the max payload in parts
	// (parts.go).
	maxMessageBytes = 256 << 10
	// headerRoom is kept free below the connection's max payload for a
	// message's headers (which count against it), on top of twice the
	// region's name (each id header holds it).
	headerRoom = 1 << 10
	// minPayload is the least a message's data is bounded to, however
	// small the max payload looks (and the bound is halved after a
	// refusal).
	minPayload = 16 << 10
	// maxInflightBytes bounds the data of the messages a round has in
	// flight: a round of large changes waits for acknowledgements before
	// it sends more.
	maxInflightBytes = 32 << 20
)

// Default publisher settings.
const (
	DefaultWindow = 256
	DefaultMaxAge = 24 * time.Hour
	// DefaultAckTimeout is PublisherOptions.AckTimeout's default.
	DefaultAckTimeout = 10 * time.Second
	// DefaultDuplicates is the stream's duplicate window (JetStream's
	// own default), shortened to the stream's MaxAge when that is
	// shorter: JetStream refuses a window longer than the stream keeps
	// messages.
	DefaultDuplicates = 2 * time.Minute
	// HeaderSeq carries the change's sequence in its origin's log.
	HeaderSeq = "Concord-Seq"
	// HeaderTraceParent carries the W3C trace context of the request
	// that made the change (Change.Trace), when it had one.
	HeaderTraceParent = "traceparent"
)

func (o *PublisherOptions) ensureDefaults() {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Window <= 0 {
		o.Window = DefaultWindow
	}
	if o.MaxAge <= 0 {
		o.MaxAge = DefaultMaxAge
	}
	if o.Replicas <= 0 {
		o.Replicas = 1
	}
	if o.Retry <= 0 {
		o.Retry = 250 * time.Millisecond
	}
	if o.AckTimeout <= 0 {
		o.AckTimeout = DefaultAckTimeout
	}
}

// Publisher tails the change log into the region's JetStream stream.
type Publisher struct {
	opts      PublisherOptions
	published atomic.Uint64 // highest Seq acknowledged by the stream (or skipped)
	errors    atomic.Uint64
	connected atomic.Bool
	// limit, when not 0, bounds a message's size below the connection's
	// max payload: set after the stream refused a message as too large
	// (its server's max payload is smaller than the one the connection
	// reaches). Used by the Run goroutine only.
	limit int

	// mu protects failure.
	mu struct {
		sync.Mutex
		failure Failure
	}
}

// Failure describes a publisher that cannot publish: it retries, but
// nothing it has not published reaches any peer meanwhile.
type Failure struct {
	// Since is when the failures in a row began.
	Since time.Time `json:"since"`
	// Rounds counts the failed rounds in a row.
	Rounds uint64 `json:"rounds"`
	// Seq is the first change-log Seq not in the stream.
	Seq uint64 `json:"seq"`
	// Err is the last failure's message.
	Err string `json:"err"`
}

// NewPublisher returns a Publisher; Run starts it.
func NewPublisher(opts PublisherOptions) *Publisher {
	opts.ensureDefaults()
	return &Publisher{opts: opts}
}

// Published is the highest change-log Seq known to be in the stream (or
// skipped because another region originated it).
func (p *Publisher) Published() uint64 { return p.published.Load() }

// Backlog is the number of change-log records not yet published.
func (p *Publisher) Backlog() uint64 {
	last, pub := p.opts.Log.LastSeq(), p.published.Load()
	if last < pub {
		return 0
	}
	return last - pub
}

// Connected reports whether the last attempt to publish succeeded (or
// found nothing to publish).
func (p *Publisher) Connected() bool { return p.connected.Load() }

// Errors counts failed publish rounds.
func (p *Publisher) Errors() uint64 { return p.errors.Load() }

// Failing reports whether the publisher is failing: its last round
// failed, and it has published nothing and not caught up since. The
// Failure says since when, how often, at which change and why.
func (p *Publisher) Failing() (Failure, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.mu.failure, p.mu.failure.Rounds > 0
}

// failed records a failed round and returns the failure so far.
func (p *Publisher) failed(err error) Failure {
	p.errors.Add(1)
	p.connected.Store(false)
	p.mu.Lock()
	defer p.mu.Unlock()
	f := &p.mu.failure
	if f.Rounds == 0 {
		f.Since = time.Now()
	}
	f.Rounds++
	f.Seq = p.published.Load() + 1
	f.Err = err.Error()
	return *f
}

// succeeded records a round that published what it read, or found
// nothing to publish, and ends a failure if there was one.
func (p *Publisher) succeeded() {
	p.connected.Store(true)
	p.mu.Lock()
	f := p.mu.failure
	p.mu.failure = Failure{}
	p.mu.Unlock()
	if f.Rounds > 0 {
		p.opts.Logger.Info("streams: publisher recovered", "region", p.opts.Region, "failures", f.Rounds, "since", f.Since)
	}
}

// EnsureStream creates or updates region's stream on js, keeping messages
// for maxAge (0: for ever). Its duplicate window is DefaultDuplicates, or
// maxAge if that is shorter.
func EnsureStream(ctx context.Context, js jetstream.JetStream, region string, maxAge time.Duration, replicas int) (jetstream.Stream, error) {
	dup := DefaultDuplicates
	if maxAge > 0 && maxAge < dup {
		dup = maxAge
	}
	return js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:       StreamName(region),
		Subjects:   []string{Subject(region)},
		Storage:    jetstream.FileStorage,
		Retention:  jetstream.LimitsPolicy,
		MaxAge:     maxAge,
		Duplicates: dup,
		Replicas:   replicas,
	})
}

// Failure logging: the first failure of a run of them is logged at once,
// the next ones at most every failLogEvery, as errors once the failures
// have lasted failLongAfter.
const (
	failLogEvery  = 10 * time.Second
	failLongAfter = time.Minute
)

// Run publishes until ctx ends; it returns ctx's error. Failures (NATS
// unreachable, stream missing, a message refused) are retried after
// Options.Retry; they show in Failing and Errors, and are logged,
// rate-limited: a publisher that cannot publish is never silent.
func (p *Publisher) Run(ctx context.Context) error {
	log := p.opts.Logger.With("region", p.opts.Region)
	var lastLog time.Time
	for {
		err := p.runOnce(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(err, jetstream.ErrStreamMessageExceedsMaximum) && p.budget() > minPayload {
			// The stream's server allows less than the one this
			// connection reaches says: bound messages lower.
			p.limit = max(p.budget()/2, minPayload)
			log.Warn("streams: message refused as too large, bounding messages lower", "bytes", p.limit)
		}
		f := p.failed(err)
		if now := time.Now(); f.Rounds == 1 || now.Sub(lastLog) >= failLogEvery {
			level := slog.LevelWarn
			if now.Sub(f.Since) >= failLongAfter {
				level = slog.LevelError
			}
			log.Log(ctx, level, "streams: publisher failed, retrying: no change from this seq on reaches a peer meanwhile",
				"seq", f.Seq, "failures", f.Rounds, "since", f.Since, "err", err)
			lastLog = now
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(p.opts.Retry):
		}
	}
}

// runOnce resumes from the stream's last message and publishes until an
// error.
//
// The stream must hold this region's changes without a gap, yet messages
// are published asynchronously, several at a time: if one failed and a
// later one landed, resuming after the stream's last message would skip
// the failed one's changes for good. So every message names its
// predecessor (the Nats-Expected-Last-Msg-Id header holds the previous
// message's id, or on the first of a round the id of the stream's last
// message), and JetStream stores it only if that predecessor is the
// stream's last message. Once one message fails, every later message of
// the round fails too, and the next round resumes right after the last one
// that landed, whatever the order in which the failures are noticed. When
// the stream ends with some of the parts of a change (parts.go), the next
// round sends that change again, with the next attempt number.
func (p *Publisher) runOnce(ctx context.Context) error {
	stream, err := EnsureStream(ctx, p.opts.JS, p.opts.Region, p.opts.MaxAge, p.opts.Replicas)
	if err != nil {
		return fmt.Errorf("streams: ensure stream: %w", err)
	}
	res, err := lastPublished(ctx, stream, p.opts.Region)
	if err != nil {
		return err
	}
	cursor := res.seq
	p.published.Store(cursor)
	r := &round{p: p, subject: Subject(p.opts.Region), prevID: res.id}
	for {
		changes, last, err := p.read(ctx, cursor)
		if err != nil {
			return fmt.Errorf("streams: read change log: %w", err)
		}
		if last == cursor {
			p.succeeded()
			if err := p.opts.Log.WaitChanges(ctx, cursor); err != nil {
				return err
			}
			continue
		}
		if err := r.send(ctx, changes, res.part); err != nil {
			return err
		}
		if err := r.flush(ctx); err != nil {
			return err
		}
		cursor = last
		p.published.Store(cursor)
		p.succeeded()
	}
}

// read returns the changes after cursor this region originated, and the
// Seq of the last change-log record read. It reads on until the group of
// its last change is complete, and narrows each group to the changes it
// returns: a commit here can mix changes of other origins in (a backfill
// copies them), and replicas, which get only this region's, must know
// where the group ends (Change.GroupSize).
func (p *Publisher) read(ctx context.Context, cursor uint64) ([]Change, uint64, error) {
	// Changes replicated from elsewhere are skipped: their origin
	// publishes them.
	changes, last, err := p.opts.Log.Changes(ctx, cursor, p.opts.Window, p.opts.Region)
	if err != nil {
		return nil, cursor, err
	}
	changes = slices.Clone(changes)
	for len(changes) > 0 {
		end := groupEnd(&changes[len(changes)-1])
		if end <= last {
			break
		}
		more, l, err := p.opts.Log.Changes(ctx, last, int(min(end-last, uint64(p.opts.Window))), p.opts.Region)
		if err != nil {
			return nil, cursor, err
		}
		if l == last {
			break // the log holds no more (cannot happen: a commit is logged whole)
		}
		changes, last = append(changes, more...), l
	}
	narrowGroups(changes)
	return changes, last, nil
}

// groupEnd is the Seq of the last change of c's group.
func groupEnd(c *Change) uint64 {
	if c.GroupSize <= 1 {
		return c.Seq
	}
	return c.Group + uint64(c.GroupSize) - 1
}

// narrowGroups sets each group's size so that it ends with its last
// change in changes, which holds every change of the group after the
// first one in changes (read makes sure). The size depends only on the
// group's last change, so a round that starts in the middle of a group
// (after a restart) gives its changes the size an earlier round gave the
// group's first ones.
func narrowGroups(changes []Change) {
	for i := len(changes) - 1; i >= 0; {
		c := &changes[i]
		if c.GroupSize <= 1 {
			i--
			continue
		}
		g, size := c.Group, int(c.Seq-c.Group)+1
		for ; i >= 0 && changes[i].GroupSize > 1 && changes[i].Group == g; i-- {
			changes[i].GroupSize = size
		}
	}
}

// budget is the most data a message may carry.
func (p *Publisher) budget() int {
	n := int(p.opts.JS.Conn().MaxPayload())
	if n <= 0 {
		n = 1 << 20 // not connected yet: NATS's default
	}
	if p.limit > 0 && p.limit < n {
		n = p.limit
	}
	return max(n-headerRoom-2*len(p.opts.Region), minPayload)
}

// round is the messages the publisher has sent and not yet seen
// acknowledged, chained from prevID.
type round struct {
	p       *Publisher
	subject string
	// prevID is the id of the last message sent (or, before any, of the
	// stream's last message).
	prevID   string
	futures  []jetstream.PubAckFuture
	lasts    []uint64 // the Concord-Seq of each future's message
	inflight int      // the data bytes of futures' messages
	enc      []byte
}

// send publishes changes, packed into as few messages as the size bound
// allows: JetStream and every replica then handle one message per batch,
// not one per change. A change too large for a message alone goes in
// parts; resume names the change whose parts the stream holds some of
// (its attempt is the next one), if any.
func (r *round) send(ctx context.Context, changes []Change, resume partResume) error {
	region := r.p.opts.Region
	budget := r.p.budget()
	pack := min(maxMessageBytes, budget)
	var body []byte        // the entries of the message being packed
	var first, last uint64 // the Seqs of its first and last change
	n := 0
	packed := func() error {
		if n == 0 {
			return nil
		}
		data := append(appendBatchHeader(make([]byte, 0, len(body)+16), n), body...)
		body, n = body[:0], 0
		return r.publish(ctx, BatchMsgID(region, first, last), data, last)
	}
	for i := range changes {
		c := &changes[i]
		r.enc = EncodeChange(r.enc[:0], c)
		size := len(r.enc) + len(c.Trace) + 2*binary.MaxVarintLen64
		if n > 0 && len(body)+size+16 > pack {
			if err := packed(); err != nil {
				return err
			}
		}
		if size+16 > budget {
			var attempt uint64
			if c.Seq == resume.seq {
				attempt = resume.attempt
			}
			if err := r.sendParts(ctx, c, attempt, budget); err != nil {
				return err
			}
			continue
		}
		if n == 0 {
			first = c.Seq
		}
		body = appendBatchEntry(body, r.enc, c.Trace)
		last = c.Seq
		n++
	}
	return packed()
}

// sendParts publishes c, whose encoding is r.enc, in parts of at most
// budget bytes.
func (r *round) sendParts(ctx context.Context, c *Change, attempt uint64, budget int) error {
	whole := appendBatchEntry(appendBatchHeader(nil, 1), r.enc, c.Trace)
	for off := 0; off < len(whole); {
		data, next := appendPartData(nil, c.Seq, attempt, whole, off, budget-partHeaderMax)
		seq := c.Seq - 1 // the change is not in the stream until its last part is
		if next == len(whole) {
			seq = c.Seq
		}
		if err := r.publish(ctx, PartMsgID(r.p.opts.Region, c.Seq, attempt, off), data, seq); err != nil {
			return err
		}
		off = next
	}
	return nil
}

// publish sends one message whose Concord-Seq is seq, chained to the
// previous one. When the round's messages in flight hold too many bytes,
// it waits for them first.
func (r *round) publish(ctx context.Context, id string, data []byte, seq uint64) error {
	if r.inflight+len(data) > maxInflightBytes {
		if err := r.flush(ctx); err != nil {
			return err
		}
	}
	msg := nats.NewMsg(r.subject)
	msg.Data = data
	msg.Header.Set(jetstream.MsgIDHeader, id)
	if r.prevID != "" {
		msg.Header.Set(jetstream.ExpectedLastMsgIDHeader, r.prevID)
	}
	msg.Header.Set(HeaderSeq, strconv.FormatUint(seq, 10))
	f, err := r.p.opts.JS.PublishMsgAsync(msg)
	if err != nil {
		return fmt.Errorf("streams: publish %s (%d bytes): %w", id, len(data), err)
	}
	r.futures = append(r.futures, f)
	r.lasts = append(r.lasts, seq)
	r.inflight += len(data)
	r.prevID = id
	return nil
}

// flush waits for the round's messages in flight to be acknowledged.
func (r *round) flush(ctx context.Context) error {
	if len(r.futures) == 0 {
		return nil
	}
	if err := r.p.await(ctx, r.futures, r.lasts); err != nil {
		return err
	}
	r.p.published.Store(r.lasts[len(r.lasts)-1])
	r.futures, r.lasts, r.inflight = r.futures[:0], r.lasts[:0], 0
	return nil
}

// await waits for the stream to acknowledge a round's messages, in order
// (lasts[i] is the last Seq in futures[i]'s message). It fails when one
// fails, or when none is acknowledged for AckTimeout: a future that never
// resolves (its acknowledgement lost) must not stop the publisher for good.
// Messages acknowledged before a failure count as published.
func (p *Publisher) await(ctx context.Context, futures []jetstream.PubAckFuture, lasts []uint64) error {
	timer := time.NewTimer(p.opts.AckTimeout)
	defer timer.Stop()
	for i, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			if i > 0 {
				p.published.Store(lasts[i-1])
			}
			return fmt.Errorf("streams: publish up to seq=%d: %w", lasts[i], err)
		case <-timer.C:
			if i > 0 {
				p.published.Store(lasts[i-1])
			}
			return fmt.Errorf("streams: publish up to seq=%d: no acknowledgement after %v", lasts[i], p.opts.AckTimeout)
		case <-ctx.Done():
			return ctx.Err()
		}
		timer.Reset(p.opts.AckTimeout)
	}
	return nil
}

// partResume names a change the stream holds some of the parts of, and
// the attempt its parts are sent again with.
type partResume struct{ seq, attempt uint64 }

// lastMsg is what the publisher resumes from: the last change-log Seq
// in the stream, the id (Nats-Msg-Id) of the stream's last message, and
// the change after seq if the stream holds some of its parts.
type lastMsg struct {
	seq  uint64
	id   string
	part partResume
}

// lastPublished reads region's newest message in stream; zero if the
// stream holds none.
func lastPublished(ctx context.Context, stream jetstream.Stream, region string) (lastMsg, error) {
	msg, err := stream.GetLastMsgForSubject(ctx, Subject(region))
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return lastMsg{}, nil
	}
	if err != nil {
		return lastMsg{}, fmt.Errorf("streams: read last message: %w", err)
	}
	seq, err := strconv.ParseUint(msg.Header.Get(HeaderSeq), 10, 64)
	if err != nil {
		return lastMsg{}, fmt.Errorf("streams: last message has no %s header: %w", HeaderSeq, err)
	}
	res := lastMsg{seq: seq, id: msg.Header.Get(jetstream.MsgIDHeader)}
	if p, ok := lastPart(msg.Data); ok && !p.last() {
		res.part = partResume{seq: p.seq, attempt: p.attempt + 1}
	}
	return res, nil
}
