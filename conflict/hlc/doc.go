// Package hlc implements a hybrid logical clock: timestamps that follow
// physical time but never go backwards, and that move past any timestamp
// the clock has seen, so causally later events get larger timestamps
// whatever the wall clocks say.
//
// The physical clock is injected (a func returning Unix nanoseconds), so
// tests control time. It imports only the standard library.
package hlc
