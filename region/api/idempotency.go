package api

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"

	"github.com/concorddb/concord/region/table"
)

// ClientRequestToken idempotency for TransactWriteItems.
//
// DynamoDB remembers a token for 10 minutes after the first request that
// used it completed: the same token with the same parameters answers the
// same result without executing again; the same token with different
// parameters fails with IdempotentParameterMismatchException. Concord
// keeps the tokens in memory, per region node:
//
//   - Only successful transactions are remembered. A cancelled or failed
//     one wrote nothing, so a retry with its token simply runs again.
//   - A request whose token is in use by a transaction still running waits
//     for that one to finish, then answers its result (or runs, if it
//     failed). DynamoDB answers TransactionInProgressException instead;
//     waiting gives the client what a retry would.
//   - The memory is bounded (idemMaxEntries): past the bound the oldest
//     tokens leave memory before their 10 minutes are up, and are then
//     answered from the store.
//   - A successful transaction's token is also written to the store, in
//     the same synced commit as the transaction (table.TokenRecord: the
//     request hash and the expiry), so a
//     retry after the node restarted, even after a crash between the commit
//     and the answer, is recognised: it answers {} (the response of a
//     TransactWriteItems, without ConsumedCapacity) or, with other
//     parameters, IdempotentParameterMismatchException. The region's
//     maintenance deletes expired records (table.Engine.PurgeIdempotencyTokens).
//   - Tokens belong to one region: a retry sent to another region runs the
//     transaction again there.

// Idempotency limits.
const (
	// idemMaxEntries bounds the remembered tokens (each costs ~200 bytes).
	idemMaxEntries = 1 << 18
	// maxTokenLength is DynamoDB's ClientRequestToken length limit.
	maxTokenLength = 36
)

// idemEntry is one token's state.
type idemEntry struct {
	token string
	hash  [sha256.Size]byte
	// done is closed when the owning request finished; resp and expires
	// are set before (for a success) and read only after.
	done    chan struct{}
	ok      bool
	resp    []byte
	expires time.Time
}

// idemCache maps ClientRequestTokens to their transactions.
type idemCache struct {
	// now is the clock (time.Now); max bounds the entries
	// (idemMaxEntries). Tests set them before first use.
	now func() time.Time
	max int

	// mu protects byToken and order.
	mu      sync.Mutex
	byToken map[string]*idemEntry
	// order holds completed entries oldest first, for expiry and the bound.
	order []*idemEntry
}

// idempotency returns s's token cache, made on first use (tests build
// Servers without New).
func (s *Server) idempotency() *idemCache {
	s.idemOnce.Do(func() { s.idem = newIdemCache() })
	return s.idem
}

// newIdemCache returns an empty cache with the default clock and bound.
func newIdemCache() *idemCache {
	return &idemCache{now: time.Now, max: idemMaxEntries, byToken: map[string]*idemEntry{}}
}

// begin claims token for a request whose parameters hash to hash. It
// returns the remembered response of an earlier success (replay), or
// owner=true when the caller must run the transaction and then call
// finish. A request with the same token and other parameters fails with
// IdempotentParameterMismatchException.
func (c *idemCache) begin(ctx context.Context, token string, hash [sha256.Size]byte) (replay []byte, owner bool, err error) {
	for {
		c.mu.Lock()
		c.expireLocked(c.now())
		e := c.byToken[token]
		if e == nil {
			c.byToken[token] = &idemEntry{token: token, hash: hash, done: make(chan struct{})}
			c.mu.Unlock()
			return nil, true, nil
		}
		c.mu.Unlock()
		if e.hash != hash {
			return nil, false, errIdempotentMismatch()
		}
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
		if e.ok {
			return e.resp, false, nil
		}
		// The earlier request failed and released the token: run again.
	}
}

// finish records the owner's outcome: a success is remembered for
// table.IdemWindow; a failure releases the token.
func (c *idemCache) finish(token string, resp []byte, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.byToken[token]
	if err == nil {
		e.ok, e.resp, e.expires = true, resp, c.now().Add(table.IdemWindow)
		c.order = append(c.order, e)
		for len(c.order) > c.max {
			delete(c.byToken, c.order[0].token)
			c.order[0] = nil
			c.order = c.order[1:]
		}
	} else {
		delete(c.byToken, token)
	}
	close(e.done)
}

// expireLocked forgets completed tokens whose window has passed.
func (c *idemCache) expireLocked(now time.Time) {
	n := 0
	for n < len(c.order) && !now.Before(c.order[n].expires) {
		delete(c.byToken, c.order[n].token)
		c.order[n] = nil
		n++
	}
	if n > 0 {
		c.order = c.order[n:]
	}
}

// durableToken answers a request whose token the store holds from an
// earlier success that memory no longer has: the replay {} for the same
// parameters, IdempotentParameterMismatchException for others; nil, nil
// when the store holds no live record.
func (s *Server) durableToken(token string, hash [sha256.Size]byte) ([]byte, error) {
	h, ok, err := s.eng.Token(token, s.idempotency().now())
	if err != nil || !ok {
		return nil, err
	}
	if h != hash {
		return nil, errIdempotentMismatch()
	}
	return []byte("{}"), nil
}
