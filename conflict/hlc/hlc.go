package hlc

import (
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

// Time returns the wall part as a time.Time.
func (t Timestamp) Time() time.Time { return time.Unix(0, t.Wall) }

// Clock is a hybrid logical clock. It is safe for concurrent use.
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
// between regions; Update reports remote timestamps further ahead than it.
func NewClock(physical func() int64, maxOffset time.Duration) *Clock {
	if physical == nil {
		physical = func() int64 { return time.Now().UnixNano() }
	}
	return &Clock{physical: physical, maxOffset: maxOffset}
}

// Now returns a timestamp strictly greater than every timestamp this clock
// has returned or been updated with.
func (c *Clock) Now() Timestamp {
	pt := c.physical()
	c.mu.Lock()
	defer c.mu.Unlock()
	if pt > c.mu.last.Wall {
		c.mu.last = Timestamp{Wall: pt}
	} else {
		c.mu.last.Logical++
		if c.mu.last.Logical == 0 { // counter wrapped: borrow a nanosecond
			c.mu.last.Wall++
		}
	}
	return c.mu.last
}

// Update advances the clock to at least ts, so later Now readings exceed
// it. It returns true when ts is further ahead of the physical clock than
// maxOffset (maxOffset > 0); the clock still advances, so no data is
// dropped, and the caller logs and counts the skewed source.
func (c *Clock) Update(ts Timestamp) (skewed bool) {
	pt := c.physical()
	c.mu.Lock()
	if c.mu.last.Less(ts) {
		c.mu.last = ts
	}
	c.mu.Unlock()
	return c.maxOffset > 0 && ts.Wall-pt > int64(c.maxOffset)
}

// Last returns the largest timestamp issued or seen, without advancing.
func (c *Clock) Last() Timestamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mu.last
}
