package hlc

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// manual is a physical clock the test moves by hand.
type manual struct {
	mu  sync.Mutex
	now int64
}

func (m *manual) read() int64 { m.mu.Lock(); defer m.mu.Unlock(); return m.now }
func (m *manual) set(t int64) { m.mu.Lock(); m.now = t; m.mu.Unlock() }

func TestHLCNowFollowsPhysicalTime(t *testing.T) {
	m := &manual{now: 100}
	c := NewClock(m.read, 0)
	if got := c.Now(); got != (Timestamp{Wall: 100}) {
		t.Fatalf("Now = %+v, want wall 100", got)
	}
	if got := c.Now(); got != (Timestamp{Wall: 100, Logical: 1}) {
		t.Fatalf("second Now in the same nanosecond = %+v, want logical 1", got)
	}
	m.set(200)
	if got := c.Now(); got != (Timestamp{Wall: 200}) {
		t.Fatalf("Now after time moved = %+v, want wall 200 logical 0", got)
	}
}

func TestHLCNowNeverGoesBackwards(t *testing.T) {
	m := &manual{now: 1000}
	c := NewClock(m.read, 0)
	prev := c.Now()
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 10000; i++ {
		switch r.IntN(3) {
		case 0: // the wall clock jumps back or forward
			m.set(1000 + r.Int64N(2000) - 1000)
		case 1: // a remote timestamp arrives
			c.Update(Timestamp{Wall: r.Int64N(3000), Logical: r.Uint32N(5)})
		}
		now := c.Now()
		if !prev.Less(now) {
			t.Fatalf("step %d: Now %+v not after previous %+v", i, now, prev)
		}
		prev = now
	}
}

func TestHLCUpdateMovesPastRemote(t *testing.T) {
	m := &manual{now: 10}
	c := NewClock(m.read, time.Second)
	remote := Timestamp{Wall: 5_000_000_000, Logical: 7}
	if skewed := c.Update(remote); !skewed {
		t.Fatalf("Update with a timestamp 5s ahead and maxOffset 1s: skewed = false, want true")
	}
	if got := c.Now(); !remote.Less(got) {
		t.Fatalf("Now after Update(%+v) = %+v, want greater", remote, got)
	}
	if skewed := c.Update(Timestamp{Wall: 11}); skewed {
		t.Fatalf("Update with a timestamp 1ns ahead: skewed = true, want false")
	}
	// An older remote timestamp never moves the clock back.
	before := c.Last()
	c.Update(Timestamp{Wall: 1})
	if c.Last() != before {
		t.Fatalf("Update with an old timestamp moved the clock from %+v to %+v", before, c.Last())
	}
}

func TestHLCConcurrentNowIsUnique(t *testing.T) {
	c := NewClock(nil, 0)
	const goroutines, per = 8, 2000
	out := make(chan Timestamp, goroutines*per)
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < per; i++ {
				out <- c.Now()
			}
		}()
	}
	wg.Wait()
	close(out)
	seen := make(map[Timestamp]bool)
	for ts := range out {
		if seen[ts] {
			t.Fatalf("timestamp %+v issued twice", ts)
		}
		seen[ts] = true
	}
}

func TestHLCCompare(t *testing.T) {
	cases := []struct {
		a, b Timestamp
		want int
	}{
		{Timestamp{1, 0}, Timestamp{2, 0}, -1},
		{Timestamp{2, 0}, Timestamp{1, 9}, 1},
		{Timestamp{1, 1}, Timestamp{1, 2}, -1},
		{Timestamp{1, 2}, Timestamp{1, 2}, 0},
	}
	for _, tc := range cases {
		if got := tc.a.Compare(tc.b); got != tc.want {
			t.Errorf("%+v.Compare(%+v) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
