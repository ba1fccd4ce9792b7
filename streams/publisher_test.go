package streams

import (
	"context"
	"testing"
	"time"

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
