package hlc

import (
	"math"
	"sync"
	"time"
)

// Timestamp is a hybrid logical clock reading: physical nanoseconds since
// the Unix epoch and a logical counter that orders events within one
// nanosecond of wall time.
type Timestamp struct {
	Wall    int64
	Logical uint32
}

// Compare orders timestamps: -1, 0 or +1.
func (t Timestamp) Compare(u Timestamp) int {
	switch {
	case t.Wall < u.Wall:
		return -1
	case t.Wall > u.Wall:
		return 1
	case t.Logical < u.Logical:
		return -1
	case t.Logical > u.Logical:
		return 1
	}
	return 0
}

// Less reports whether t is before u.
func (t Timestamp) Less(u Timestamp) bool { return t.Compare(u) < 0 }

// MaxTimestamp is the largest timestamp: no timestamp is after it. A clock
// that reaches it stays there (see Clock.Now).
var MaxTimestamp = Timestamp{Wall: math.MaxInt64, Logical: math.MaxUint32}

// Next returns the smallest timestamp after t: the next logical tick, or
// the next nanosecond once the counter is full. ok is false when t is
// MaxTimestamp, which has no successor; Next never wraps.
func (t Timestamp) Next() (next Timestamp, ok bool) {
	switch {
	case t.Logical < math.MaxUint32:
		return Timestamp{Wall: t.Wall, Logical: t.Logical + 1}, true
	case t.Wall < math.MaxInt64:
		return Timestamp{Wall: t.Wall + 1}, true
	}
	return t, false
}

// Time returns the wall part as a time.Time.
func (t Timestamp) Time() time.Time { return time.Unix(0, t.Wall) }

// Clock is a hybrid logical clock. It is safe for concurrent use.
//
// # Bounds
//
// With maxOffset > 0, a remote timestamp moves the clock at most to the
// physical clock + maxOffset (Update): a peer whose clock runs ahead, or
// a crafted timestamp, cannot drag this clock, and with it every later
// local timestamp, into the future. The caller still applies the remote
// version as data; a local write over it takes its version from
// conflict.NextLocal, which steps just past it without moving the clock.
//
// The clock never wraps and never goes backwards: Now borrows a
// nanosecond when the logical counter is full, and saturates at
// MaxTimestamp, which it then returns again (the only reading that is not
// strictly greater than the one before). With maxOffset > 0 and a sane
// physical clock it never gets there.
type Clock struct {
	physical  func() int64
	maxOffset time.Duration

	// mu protects last, the largest timestamp issued or seen.
	mu struct {
		sync.Mutex
		last Timestamp
	}
}

// NewClock returns a clock over physical, a source of Unix nanoseconds
// (nil means the system clock). maxOffset is the largest expected skew
// between regions: Update does not move the clock further than it ahead
// of physical, and reports remote timestamps beyond it. Zero (or less)
// means no bound: Update follows any timestamp, and reports none.
func NewClock(physical func() int64, maxOffset time.Duration) *Clock {
	if physical == nil {
		physical = func() int64 { return time.Now().UnixNano() }
	}
	return &Clock{physical: physical, maxOffset: maxOffset}
}

// Now returns a timestamp strictly greater than every timestamp this clock
// has returned or been updated with, unless the clock has reached
// MaxTimestamp: it then returns MaxTimestamp again rather than wrap.
func (c *Clock) Now() Timestamp {
	pt := c.physical()
	c.mu.Lock()
	defer c.mu.Unlock()
	if pt > c.mu.last.Wall {
		c.mu.last = Timestamp{Wall: pt}
	} else if next, ok := c.mu.last.Next(); ok {
		c.mu.last = next
	}
	return c.mu.last
}

// Update advances the clock to at least ts, so later Now readings exceed
// it, within the bound: with maxOffset > 0, a ts whose wall time is more
// than maxOffset ahead of the physical clock moves the clock only to the
// physical clock + maxOffset, and Update returns true (skewed). The
// caller still applies the remote version (no data is dropped), and logs
// and counts the skewed source.
func (c *Clock) Update(ts Timestamp) (skewed bool) {
	pt := c.physical()
	if c.maxOffset > 0 {
		if bound := addSat(pt, int64(c.maxOffset)); ts.Wall > bound {
			ts, skewed = Timestamp{Wall: bound}, true
		}
	}
	c.mu.Lock()
	if c.mu.last.Less(ts) {
		c.mu.last = ts
	}
	c.mu.Unlock()
	return skewed
}

// addSat returns a+b (b >= 0), or math.MaxInt64 when that overflows.
func addSat(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// Last returns the largest timestamp issued or seen, without advancing.
func (c *Clock) Last() Timestamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mu.last
}
