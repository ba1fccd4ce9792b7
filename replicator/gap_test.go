package replicator

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/concorddb/concord/storage/item"
	"github.com/concorddb/concord/streams"
)

// TestReplicatorGapResyncs is issue 13's "loud gaps": a region cut off
// for longer than the source stream's retention found the changes it
// missed gone from the stream, and skipped them silently (its link showed
// connected, pending 0). Now the gap is detected, counted, and the shared
// tables are resynced from the source's store, deletes included.
func TestReplicatorGapResyncs(t *testing.T) {
	t.Parallel()
	a, b := startRegion(t, "a", nil), startRegion(t, "b", nil)
	createTable(t, a, "t")
	createTable(t, b, "t")
	a.write(t, "t", "k0", item.Item{"pk": item.Str("k0")})
	ctx, cancel := context.WithCancel(context.Background())
	rep := New(Options{Store: b.store, Clock: b.clock, Region: b.name, Source: a.name,
		JS: connect(t, a.ns), Retry: 20 * time.Millisecond})
	done := make(chan struct{})
	go func() { defer close(done); _ = rep.Run(ctx) }()
	eventually(t, 10*time.Second, converged("t", a, b))
	cancel()
	<-done

	// Cut off: a writes and deletes, and its stream drops those changes
	// (as its retention would) before b reads them.
	for i := 1; i <= 20; i++ {
		a.write(t, "t", fmt.Sprint("k", i), item.Item{"pk": item.Str(fmt.Sprint("k", i))})
	}
	a.write(t, "t", "k0", nil)
	js := connect(t, a.ns)
	st, err := js.Stream(context.Background(), streams.StreamName("a"))
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, func() error {
		m, err := st.GetLastMsgForSubject(context.Background(), streams.Subject("a"))
		if err != nil {
			return err
		}
		if got, want := m.Header.Get(streams.HeaderSeq), fmt.Sprint(a.store.LastSeq()); got != want {
			return fmt.Errorf("stream holds changes up to %s of %s", got, want)
		}
		return nil
	})
	// Expire them: a retention of a second, then back to a day (JetStream
	// moves consumers past purged messages, but not past expired ones, as
	// after a long partition).
	setAge := func(age time.Duration) {
		t.Helper()
		cfg := st.CachedInfo().Config
		cfg.MaxAge, cfg.Duplicates = age, min(age, 2*time.Minute)
		if _, err := js.UpdateStream(context.Background(), cfg); err != nil {
			t.Fatal(err)
		}
	}
	last := a.store.LastSeq()
	setAge(time.Second)
	eventually(t, 20*time.Second, func() error {
		info, err := st.Info(context.Background())
		if err != nil {
			return err
		}
		if info.State.Msgs != 0 {
			return fmt.Errorf("%d messages not expired yet (last change %d)", info.State.Msgs, last)
		}
		return nil
	})
	setAge(24 * time.Hour)
	a.write(t, "t", "k21", item.Item{"pk": item.Str("k21")}) // after the gap: through the stream

	rep = follow(t, b, a)
	eventually(t, 10*time.Second, converged("t", a, b))
	if got := rep.Status().Gaps; got != 1 {
		t.Fatalf("Status().Gaps = %d, want 1", got)
	}
	if got, _ := b.store.Get(context.Background(), "t", item.Item{"pk": item.Str("k0")}); got != nil {
		t.Fatalf("k0, deleted in a during the gap, is still in b: %v", got)
	}
	eventually(t, 10*time.Second, func() error {
		if def, _ := b.store.Table("t"); def.BackfillFrom != "" {
			return fmt.Errorf("resync not finished: BackfillFrom=%q", def.BackfillFrom)
		}
		return nil
	})
}
