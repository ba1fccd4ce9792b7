package streams

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
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

// maxMessageBytes bounds the changes packed into one message, well below
// NATS's default 1 MB payload limit; a single larger change (an item is at
// most 400 KB) travels alone.
const maxMessageBytes = 256 << 10

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

// Connected reports whether the last attempt to publish succeeded.
func (p *Publisher) Connected() bool { return p.connected.Load() }

// Errors counts failed publish rounds.
func (p *Publisher) Errors() uint64 { return p.errors.Load() }

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

// Run publishes until ctx ends; it returns ctx's error. Failures (NATS
// unreachable, stream missing) are logged and retried.
func (p *Publisher) Run(ctx context.Context) error {
	log := p.opts.Logger.With("region", p.opts.Region)
	for {
		err := p.runOnce(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		p.connected.Store(false)
		p.errors.Add(1)
		log.Warn("streams: publisher failed, retrying", "err", err)
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
// that landed, whatever the order in which the failures are noticed.
func (p *Publisher) runOnce(ctx context.Context) error {
	stream, err := EnsureStream(ctx, p.opts.JS, p.opts.Region, p.opts.MaxAge, p.opts.Replicas)
	if err != nil {
		return fmt.Errorf("streams: ensure stream: %w", err)
	}
	cursor, prevID, err := lastPublished(ctx, stream, p.opts.Region)
	if err != nil {
		return err
	}
	p.published.Store(cursor)
	p.connected.Store(true)
	subject := Subject(p.opts.Region)
	batch := p.opts.Window
	var enc []byte
	for {
		// Changes replicated from elsewhere are skipped: their origin
		// publishes them.
		changes, last, err := p.opts.Log.Changes(ctx, cursor, batch, p.opts.Region)
		if err != nil {
			return fmt.Errorf("streams: read change log: %w", err)
		}
		if last == cursor {
			if err := p.opts.Log.WaitChanges(ctx, cursor); err != nil {
				return err
			}
			continue
		}
		// Pack the changes into as few messages as the size bound allows:
		// JetStream and every replica then handle one message per batch,
		// not one per change.
		var futures []jetstream.PubAckFuture
		var lasts []uint64 // the last Seq in each message
		var body []byte    // the entries of the message being packed
		var first uint64
		n := 0
		send := func(lastSeq uint64) error {
			id := BatchMsgID(p.opts.Region, first, lastSeq)
			msg := nats.NewMsg(subject)
			msg.Data = append(appendBatchHeader(make([]byte, 0, len(body)+16), n), body...)
			msg.Header.Set(jetstream.MsgIDHeader, id)
			if prevID != "" {
				msg.Header.Set(jetstream.ExpectedLastMsgIDHeader, prevID)
			}
			msg.Header.Set(HeaderSeq, strconv.FormatUint(lastSeq, 10))
			f, err := p.opts.JS.PublishMsgAsync(msg)
			if err != nil {
				return fmt.Errorf("streams: publish seq=%d-%d: %w", first, lastSeq, err)
			}
			futures = append(futures, f)
			lasts = append(lasts, lastSeq)
			prevID = id
			body, n = body[:0], 0
			return nil
		}
		for i := range changes {
			c := &changes[i]
			enc = EncodeChange(enc[:0], c)
			if n > 0 && len(body)+len(enc)+len(c.Trace)+32 > maxMessageBytes {
				if err := send(changes[i-1].Seq); err != nil {
					return err
				}
			}
			if n == 0 {
				first = c.Seq
			}
			body = appendBatchEntry(body, enc, c.Trace)
			n++
		}
		if n > 0 {
			if err := send(changes[len(changes)-1].Seq); err != nil {
				return err
			}
		}
		if err := p.await(ctx, futures, lasts); err != nil {
			return err
		}
		cursor = last
		p.published.Store(cursor)
		p.connected.Store(true)
	}
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

// lastPublished returns the last change-log Seq in region's newest message
// in stream and that message's id (Nats-Msg-Id); 0 and "" if the stream
// holds none.
func lastPublished(ctx context.Context, stream jetstream.Stream, region string) (uint64, string, error) {
	msg, err := stream.GetLastMsgForSubject(ctx, Subject(region))
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("streams: read last message: %w", err)
	}
	seq, err := strconv.ParseUint(msg.Header.Get(HeaderSeq), 10, 64)
	if err != nil {
		return 0, "", fmt.Errorf("streams: last message has no %s header: %w", HeaderSeq, err)
	}
	return seq, msg.Header.Get(jetstream.MsgIDHeader), nil
}
