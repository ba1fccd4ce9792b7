package hlc

import (
	"math"
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
	remote := Timestamp{Wall: 500_000_000, Logical: 7} // 0.5s ahead: within the bound
	if skewed := c.Update(remote); skewed {
		t.Fatalf("Update with a timestamp 0.5s ahead and maxOffset 1s: skewed = true, want false")
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
	// Without a bound (maxOffset 0), the clock follows any timestamp.
	u := NewClock(m.read, 0)
	far := Timestamp{Wall: 7_200_000_000_000, Logical: 3}
	if skewed := u.Update(far); skewed {
		t.Fatalf("Update on an unbounded clock: skewed = true, want false")
	}
	if got := u.Now(); !far.Less(got) {
		t.Fatalf("unbounded Now after Update(%+v) = %+v, want greater", far, got)
	}
}

// TestHLCUpdateBoundedByMaxOffset: a remote timestamp far ahead of the
// physical clock (a peer 2 h ahead) is reported, and moves the clock only
// to physical + maxOffset (issue 13, item 6).
func TestHLCUpdateBoundedByMaxOffset(t *testing.T) {
	const maxOffset = 500 * time.Millisecond
	m := &manual{now: 1_700_000_000_000_000_000}
	c := NewClock(m.read, maxOffset)
	bound := m.read() + int64(maxOffset)
	remote := Timestamp{Wall: m.read() + int64(2*time.Hour), Logical: 9}
	if skewed := c.Update(remote); !skewed {
		t.Fatalf("Update with a timestamp 2h ahead and maxOffset %v: skewed = false, want true", maxOffset)
	}
	if got := c.Last(); got != (Timestamp{Wall: bound}) {
		t.Fatalf("Last after a skewed Update = %+v, want the bound %d", got, bound)
	}
	prev := c.Last()
	for i := 0; i < 1000; i++ {
		now := c.Now()
		if now.Wall > bound {
			t.Fatalf("Now %d after Update(2h ahead) = %+v, beyond physical + maxOffset = %d", i, now, bound)
		}
		if !prev.Less(now) {
			t.Fatalf("Now %+v not after previous %+v", now, prev)
		}
		prev = now
	}
	// Once the physical clock catches up, the clock follows it again.
	m.set(bound + 1)
	if got := c.Now(); got != (Timestamp{Wall: bound + 1}) {
		t.Fatalf("Now after the physical clock passed the bound = %+v, want wall %d", got, bound+1)
	}
}

// TestHLCMaximalTimestampDoesNotWrap: a crafted maximal timestamp neither
// wraps the clock nor moves it backwards. A bounded clock does not follow
// it; an unbounded one saturates at MaxTimestamp.
func TestHLCMaximalTimestampDoesNotWrap(t *testing.T) {
	m := &manual{now: 1_700_000_000_000_000_000}
	bounded := NewClock(m.read, time.Second)
	if skewed := bounded.Update(MaxTimestamp); !skewed {
		t.Fatal("Update(MaxTimestamp) on a bounded clock: skewed = false, want true")
	}
	if got := bounded.Now(); got.Wall != m.read()+int64(time.Second) {
		t.Fatalf("bounded Now after Update(MaxTimestamp) = %+v, want the bound", got)
	}

	unbounded := NewClock(m.read, 0)
	unbounded.Update(Timestamp{Wall: math.MaxInt64, Logical: math.MaxUint32 - 1})
	if got := unbounded.Now(); got != MaxTimestamp {
		t.Fatalf("Now one tick before the maximum = %+v, want MaxTimestamp", got)
	}
	for i := 0; i < 3; i++ {
		if got := unbounded.Now(); got != MaxTimestamp {
			t.Fatalf("Now at the maximum = %+v, want MaxTimestamp (saturated, not wrapped)", got)
		}
	}
	// A full logical counter borrows a nanosecond.
	c := NewClock(m.read, 0)
	c.Update(Timestamp{Wall: m.read(), Logical: math.MaxUint32})
	if got := c.Now(); got != (Timestamp{Wall: m.read() + 1}) {
		t.Fatalf("Now after a full counter = %+v, want the next nanosecond", got)
	}
}

func TestHLCTimestampNext(t *testing.T) {
	cases := []struct {
		t, want Timestamp
		ok      bool
	}{
		{Timestamp{5, 0}, Timestamp{5, 1}, true},
		{Timestamp{5, math.MaxUint32}, Timestamp{6, 0}, true},
		{Timestamp{math.MaxInt64, 7}, Timestamp{math.MaxInt64, 8}, true},
		{MaxTimestamp, MaxTimestamp, false},
	}
	for _, tc := range cases {
		got, ok := tc.t.Next()
		if got != tc.want || ok != tc.ok {
			t.Errorf("%+v.Next() = %+v, %v; want %+v, %v", tc.t, got, ok, tc.want, tc.ok)
		}
		if ok && !tc.t.Less(got) {
			t.Errorf("%+v.Next() = %+v, not after it", tc.t, got)
		}
	}
}

// TestHLCPropertyBoundedMonotonic drives a bounded clock with random
// physical readings (jumps back and forward) and random remote
// timestamps, extreme ones included, and checks after every step: Now is
// strictly after every earlier reading, and Update moves the clock to
// exactly max(before, min(ts, physical + maxOffset)).
func TestHLCPropertyBoundedMonotonic(t *testing.T) {
	const maxOffset = int64(time.Second)
	r := rand.New(rand.NewPCG(13, 6))
	base := int64(1_700_000_000_000_000_000)
	m := &manual{now: base}
	c := NewClock(m.read, time.Duration(maxOffset))
	randomTS := func() Timestamp {
		switch r.IntN(6) {
		case 0:
			return MaxTimestamp
		case 1:
			return Timestamp{Wall: math.MaxInt64 - r.Int64N(3), Logical: math.MaxUint32 - r.Uint32N(3)}
		case 2:
			return Timestamp{Wall: base + r.Int64N(int64(4*time.Hour)), Logical: r.Uint32()}
		case 3:
			return Timestamp{Wall: r.Int64N(math.MaxInt64), Logical: r.Uint32()}
		default: // near the physical clock, within or just beyond the bound
			return Timestamp{Wall: m.read() + r.Int64N(3*maxOffset) - maxOffset, Logical: r.Uint32N(4)}
		}
	}
	prev := c.Now()
	for i := 0; i < 100_000; i++ {
		switch r.IntN(4) {
		case 0:
			m.set(base + r.Int64N(int64(time.Hour)))
		case 1:
			ts := randomTS()
			before := c.Last()
			pt := m.read()
			skewed := c.Update(ts)
			want := ts
			if ts.Wall > pt+maxOffset {
				want = Timestamp{Wall: pt + maxOffset}
			}
			if want.Less(before) {
				want = before
			}
			if got := c.Last(); got != want {
				t.Fatalf("step %d: Update(%+v) at physical %d from %+v: clock %+v, want %+v", i, ts, pt, before, got, want)
			}
			if skewed != (ts.Wall > pt+maxOffset) {
				t.Fatalf("step %d: Update(%+v) at physical %d: skewed = %v", i, ts, pt, skewed)
			}
		}
		now := c.Now()
		if !prev.Less(now) {
			t.Fatalf("step %d: Now %+v not after previous %+v", i, now, prev)
		}
		if now.Wall < base {
			t.Fatalf("step %d: Now %+v wrapped", i, now)
		}
		prev = now
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
