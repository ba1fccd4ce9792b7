// Package hlc implements a hybrid logical clock: timestamps that follow
// physical time but never go backwards, and that move past the timestamps
// the clock has seen, so causally later events get larger timestamps
// whatever the wall clocks say — within a bound: a remote timestamp
// further ahead of the physical clock than the clock's maximum offset
// moves it only to physical time + maximum offset, and is reported
// (Clock.Update). The clock saturates at MaxTimestamp instead of wrapping.
//
// The physical clock is injected (a func returning Unix nanoseconds), so
// tests control time. It imports only the standard library.
package hlc
