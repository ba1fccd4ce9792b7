package chaos

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"syscall"

	"github.com/aws/smithy-go"
)

// opStats counts operations by kind and outcome, and errors by code.
type opStats struct {
	mu     sync.Mutex // protects the maps
	counts map[string]*OpCount
	errors map[string]int // "<op> <code>" -> count
}

// OpCount is one operation kind's tally.
type OpCount struct {
	// OK were answered with success.
	OK int
	// Rejected were refused by the region without writing anything: a
	// failed condition, a cancelled transaction, a table that does not
	// exist there, a refused connection.
	Rejected int
	// Failed got no answer, or a 5xx: their outcome is unknown.
	Failed int
}

func newOpStats() *opStats {
	return &opStats{counts: map[string]*OpCount{}, errors: map[string]int{}}
}

// add records one operation of kind with outcome o (code is the error's
// name, for rejected and failed ones).
func (s *opStats) add(kind string, o outcome, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.counts[kind]
	if c == nil {
		c = &OpCount{}
		s.counts[kind] = c
	}
	switch o {
	case acked:
		c.OK++
	case notApplied:
		c.Rejected++
		s.errors[kind+" "+code]++
	default:
		c.Failed++
		s.errors[kind+" "+code]++
	}
}

// classify says what an operation's error tells of its effect: nil is
// acked; an answer with a 4xx status, or a connection the region refused,
// wrote nothing; anything else (a 5xx, no answer) may have written. code
// names the error for the report.
func classify(err error) (outcome, string) {
	if err == nil {
		return acked, ""
	}
	code := "error"
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code = ae.ErrorCode()
	}
	var hs interface{ HTTPStatusCode() int }
	if errors.As(err, &hs) && hs.HTTPStatusCode() != 0 {
		st := hs.HTTPStatusCode()
		if st >= 400 && st < 500 {
			return notApplied, code
		}
		return unknown, fmt.Sprintf("%s (%d)", code, st)
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return notApplied, "connection refused"
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return unknown, "timeout"
	case errors.Is(err, syscall.ECONNRESET):
		return unknown, "connection reset"
	case errors.Is(err, syscall.EPIPE):
		return unknown, "broken pipe"
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return unknown, "timeout"
	}
	if strings.Contains(err.Error(), "EOF") {
		return unknown, "EOF"
	}
	return unknown, "error: " + lastPart(err.Error())
}

// lastPart shortens an error message to its last colon-separated part.
func lastPart(s string) string {
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	if len(s) > 60 {
		s = s[:60]
	}
	return s
}
