package streams

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/concorddb/concord/storage/item"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// startJetStream starts an embedded nats-server with JetStream and returns
// a JetStream handle on it; both end with the test.
func startJetStream(t *testing.T) jetstream.JetStream {
	t.Helper()
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true,
		StoreDir: t.TempDir(), NoSigs: true, NoLog: true})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats not ready")
	}
	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// memLog is a ChangeLog holding a fixed list of changes (Seq 1..n), all
// originated by one region.
type memLog struct{ changes []Change }

// bigChanges returns n item changes of about 100 KB each, so that the
// publisher packs two in a message (maxMessageBytes is 256 KB) and a
// round publishes several messages.
func bigChanges(region string, n int) *memLog {
	l := &memLog{}
	pad := item.Str(strings.Repeat("x", 100<<10))
	for i := 1; i <= n; i++ {
		key := item.Item{"pk": item.Str(strconv.Itoa(i))}
		l.changes = append(l.changes, Change{Kind: KindItem, Seq: uint64(i), Table: "t", Origin: region,
			Version: []byte{byte(i)}, Key: key, New: item.Item{"pk": key["pk"], "pad": pad}, Group: uint64(i), GroupSize: 1})
	}
	return l
}

func (l *memLog) Changes(_ context.Context, after uint64, limit int, origin string) ([]Change, uint64, error) {
	if after >= uint64(len(l.changes)) {
		return nil, after, nil
	}
	read := l.changes[after:]
	if limit > 0 && len(read) > limit {
		read = read[:limit]
	}
	var out []Change
	for _, c := range read {
		if origin == "" || c.Origin == origin {
			out = append(out, c)
		}
	}
	return out, read[len(read)-1].Seq, nil
}

func (l *memLog) WaitChanges(ctx context.Context, after uint64) error {
	if after < uint64(len(l.changes)) {
		return nil
	}
	<-ctx.Done()
	return ctx.Err()
}

func (l *memLog) LastSeq() uint64 { return uint64(len(l.changes)) }

// faultyJS faults the nth message (1-based) published through it: the
// message is never sent, and its future either fails (lose false) or
// never resolves (lose true).
type faultyJS struct {
	jetstream.JetStream
	nth   int64
	lose  bool
	calls atomic.Int64
	// refuse, while set, fails every message.
	refuse atomic.Bool
	// maxData, if not 0, refuses messages with more data, as a stream
	// whose server's max payload is smaller would.
	maxData int
}

func (j *faultyJS) PublishMsgAsync(m *nats.Msg, opts ...jetstream.PublishOpt) (jetstream.PubAckFuture, error) {
	if j.refuse.Load() {
		return nil, errors.New("injected refusal")
	}
	if j.maxData > 0 && len(m.Data) > j.maxData {
		return nil, fmt.Errorf("injected: %w", jetstream.ErrStreamMessageExceedsMaximum)
	}
	if j.calls.Add(1) != j.nth {
		return j.JetStream.PublishMsgAsync(m, opts...)
	}
	return &faultyFuture{js: j.JetStream, msg: m, lose: j.lose}, nil
}

type faultyFuture struct {
	js   jetstream.JetStream
	msg  *nats.Msg
	lose bool
}

func (f *faultyFuture) Ok() <-chan *jetstream.PubAck { return nil }
func (f *faultyFuture) Msg() *nats.Msg               { return f.msg }

// Err reports the failure only once every message published after this
// one has been answered by the server: the worst order for the publisher,
// which learns of the failure after the later messages landed (or were
// refused).
func (f *faultyFuture) Err() <-chan error {
	if f.lose {
		return nil
	}
	select {
	case <-f.js.PublishAsyncComplete():
	case <-time.After(10 * time.Second):
	}
	ch := make(chan error, 1)
	ch <- errors.New("injected publish failure")
	return ch
}

// runPublisher runs a publisher until the test ends.
func runPublisher(t *testing.T, opts PublisherOptions) *Publisher {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	p := NewPublisher(opts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = p.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return p
}

// streamSeqs returns the change Seqs of every message in region's stream,
// in stream order.
func streamSeqs(js jetstream.JetStream, region string) ([]uint64, error) {
	ctx := context.Background()
	st, err := js.Stream(ctx, StreamName(region))
	if err != nil {
		return nil, err
	}
	info, err := st.Info(ctx)
	if err != nil {
		return nil, err
	}
	var seqs []uint64
	var asm Assembler
	for s := info.State.FirstSeq; s > 0 && s <= info.State.LastSeq; s++ {
		m, err := st.GetMsg(ctx, s)
		if err != nil {
			return nil, fmt.Errorf("stream seq %d: %w", s, err)
		}
		cs, err := asm.Add(m.Data, "")
		if err != nil {
			return nil, fmt.Errorf("stream seq %d: %w", s, err)
		}
		for _, c := range cs {
			seqs = append(seqs, c.Seq)
		}
	}
	return seqs, nil
}

// holdsExactly reports whether region's stream holds changes 1..n, each
// once, in order.
func holdsExactly(js jetstream.JetStream, region string, n int) func() error {
	return func() error {
		seqs, err := streamSeqs(js, region)
		if err != nil {
			return err
		}
		for i, s := range seqs {
			if s != uint64(i+1) {
				return fmt.Errorf("stream holds changes %v, want 1..%d", seqs, n)
			}
		}
		if len(seqs) != n {
			return fmt.Errorf("stream holds changes %v, want 1..%d", seqs, n)
		}
		return nil
	}
}

func eventually(t *testing.T, d time.Duration, f func() error) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not met after %v: %v", d, err)
		}
		time.Sleep(10 * time.Millisecond) // polling interval, not synchronisation
	}
}

// TestStreamsEnsureStreamShortRetention: a retention shorter than the
// default duplicate window shortens the window (JetStream refuses a window
// longer than MaxAge) instead of failing.
func TestStreamsEnsureStreamShortRetention(t *testing.T) {
	t.Parallel()
	js := startJetStream(t)
	ctx := context.Background()
	for _, tc := range []struct {
		region         string
		maxAge, window time.Duration
	}{
		{"short", 30 * time.Second, 30 * time.Second},
		{"long", 24 * time.Hour, DefaultDuplicates},
		{"forever", 0, DefaultDuplicates},
	} {
		st, err := EnsureStream(ctx, js, tc.region, tc.maxAge, 1)
		if err != nil {
			t.Fatalf("EnsureStream(maxAge=%v): %v", tc.maxAge, err)
		}
		if got := st.CachedInfo().Config.Duplicates; got != tc.window {
			t.Errorf("EnsureStream(maxAge=%v): duplicate window %v, want %v", tc.maxAge, got, tc.window)
		}
	}
}

// TestPublisherNeverSkipsAFailedMessage: when one message of a round fails
// and the later ones are answered first, the stream still ends up with
// every change, in order, once.
func TestPublisherNeverSkipsAFailedMessage(t *testing.T) {
	t.Parallel()
	js := startJetStream(t)
	const n = 10 // five messages of two changes
	fjs := &faultyJS{JetStream: js, nth: 2}
	p := runPublisher(t, PublisherOptions{Log: bigChanges("r", n), JS: fjs, Region: "r", Retry: 10 * time.Millisecond})
	eventually(t, 10*time.Second, func() error {
		if got := p.Published(); got != n {
			return fmt.Errorf("published %d, want %d", got, n)
		}
		return nil
	})
	if err := holdsExactly(js, "r", n)(); err != nil {
		t.Fatal(err)
	}
	if fjs.calls.Load() <= 5 || p.Errors() == 0 {
		t.Fatalf("the fault did not happen: %d publishes, %d failed rounds", fjs.calls.Load(), p.Errors())
	}
}

// TestPublisherAckTimeout: a message whose acknowledgement never comes
// fails its round after AckTimeout, and the publisher resumes from the
// stream's last message instead of waiting for ever.
func TestPublisherAckTimeout(t *testing.T) {
	t.Parallel()
	js := startJetStream(t)
	const n = 10
	fjs := &faultyJS{JetStream: js, nth: 2, lose: true}
	p := runPublisher(t, PublisherOptions{Log: bigChanges("r", n), JS: fjs, Region: "r",
		Retry: 10 * time.Millisecond, AckTimeout: 200 * time.Millisecond})
	eventually(t, 10*time.Second, holdsExactly(js, "r", n))
	eventually(t, 10*time.Second, func() error {
		if got := p.Published(); got != n {
			return fmt.Errorf("published %d, want %d", got, n)
		}
		return nil
	})
	if p.Errors() == 0 {
		t.Fatal("no round failed")
	}
}

// TestPublisherResumesAfterStreamLastMessage: a new publisher (a restart)
// names the stream's last message as its first message's predecessor, so
// it goes on where the stream ends.
func TestPublisherResumesAfterStreamLastMessage(t *testing.T) {
	t.Parallel()
	js := startJetStream(t)
	log := bigChanges("r", 10)
	half := &memLog{changes: log.changes[:4]}
	ctx, cancel := context.WithCancel(context.Background())
	p := NewPublisher(PublisherOptions{Log: half, JS: js, Region: "r", Logger: slog.New(slog.DiscardHandler)})
	done := make(chan struct{})
	go func() { defer close(done); _ = p.Run(ctx) }()
	eventually(t, 10*time.Second, holdsExactly(js, "r", 4))
	cancel()
	<-done
	p = runPublisher(t, PublisherOptions{Log: log, JS: js, Region: "r", Retry: 10 * time.Millisecond})
	eventually(t, 10*time.Second, holdsExactly(js, "r", 10))
	if p.Errors() != 0 {
		t.Fatalf("%d failed rounds after a restart", p.Errors())
	}
}
